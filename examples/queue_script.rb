#!/usr/bin/env ruby
# Example RQ queue script in Ruby.
#
# RQ runs one copy per message, in the message's job/ directory, with stdout and stderr
# appended to job/stdio.log. The script reports to the queue with lines on fd 3 (RQ_WRITE):
#   run <text>              progress (becomes the message's status text)
#   done <text>             success
#   err <text>              failure, the message goes to err/ for an operator
#   resend <secs>-<reason>  run again in <secs> seconds (RQ_COUNT goes up by one)
#   dup <secs>-X-<dest>     copy this message to queue <dest> (or a URL); the queue answers
#                           one line on fd 4 (RQ_READ): "ok <new full id>" or "fail <reason>"
# The final state is decided when the script exits: exit 0 after the line that says it.
#
# This example picks a path from RQ_PARAM1: "err", "resend", "dup" (RQ_PARAM2 = target
# queue), anything else runs three steps and finishes with "done".

STATUS_PIPE = IO.new(Integer(ENV.fetch('RQ_WRITE', '3')), 'w')
STATUS_PIPE.sync = true # every status line reaches the queue at once
REPLY_PIPE = IO.new(Integer(ENV.fetch('RQ_READ', '4')), 'r')
$stdout.sync = true

# One line per report: a newline inside the text would start a new command.
def status(command, text)
  STATUS_PIPE.write("#{command} #{text.to_s.lines.map(&:chomp).join(' ')}\n")
end

param1 = ENV.fetch('RQ_PARAM1', '')
count = ENV.fetch('RQ_COUNT', '0').to_i
status('run', "started #{ENV.fetch('RQ_MSG_ID', '?')} (count #{count})")
(1..3).each do |step|
  puts "working on step #{step}" # goes to job/stdio.log
  status('run', "step #{step} of 3")
end

case param1
when 'err'
  status('err', 'failed on purpose (param1=err)')
  exit 0
when 'resend'
  if count < 1
    status('resend', '5-not ready yet, trying again in 5 seconds')
    exit 0
  end
when 'dup'
  status('dup', "0-X-#{ENV.fetch('RQ_PARAM2', '')}")
  reply = REPLY_PIPE.gets.to_s.chomp
  unless reply.start_with?('ok ')
    status('err', "dup refused: #{reply}")
    exit 0
  end
  status('run', "copied to #{reply.delete_prefix('ok ')}")
end

status('done', 'all 3 steps done')
