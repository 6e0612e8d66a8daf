#!/usr/bin/env python3
"""Example RQ queue script in Python 3.

RQ runs one copy per message, in the message's job/ directory, with stdout and stderr
appended to job/stdio.log. The script reports to the queue with lines on fd 3 (RQ_WRITE):
  run <text>              progress (becomes the message's status text)
  done <text>             success
  err <text>              failure, the message goes to err/ for an operator
  resend <secs>-<reason>  run again in <secs> seconds (RQ_COUNT goes up by one)
  dup <secs>-X-<dest>     copy this message to queue <dest> (or a URL); the queue answers one
                          line on fd 4 (RQ_READ): "ok <new full id>" or "fail <reason>"
The final state is decided when the script exits: exit 0 after the line that says it.

This example picks a path from RQ_PARAM1: "err", "resend", "dup" (RQ_PARAM2 = target queue),
anything else runs three steps and finishes with "done".
"""
import os
import sys

# Line-buffered, so every status line reaches the queue as soon as it is written.
status_pipe = os.fdopen(int(os.environ.get("RQ_WRITE", "3")), "w", buffering=1)
reply_pipe = os.fdopen(int(os.environ.get("RQ_READ", "4")), "r")


def status(command, text):
    # One line per report: a newline inside the text would start a new command.
    status_pipe.write(f"{command} {' '.join(str(text).splitlines())}\n")


def main():
    param1 = os.environ.get("RQ_PARAM1", "")
    count = int(os.environ.get("RQ_COUNT", "0") or 0)
    status("run", f"started {os.environ.get('RQ_MSG_ID', '?')} (count {count})")
    for step in (1, 2, 3):
        print(f"working on step {step}", flush=True)  # goes to job/stdio.log
        status("run", f"step {step} of 3")

    if param1 == "err":
        status("err", "failed on purpose (param1=err)")
        return 0
    if param1 == "resend" and count < 1:
        status("resend", "5-not ready yet, trying again in 5 seconds")
        return 0
    if param1 == "dup":
        status("dup", f"0-X-{os.environ.get('RQ_PARAM2', '')}")
        reply = reply_pipe.readline().rstrip("\n")
        if not reply.startswith("ok "):
            status("err", f"dup refused: {reply}")
            return 0
        status("run", f"copied to {reply[3:]}")

    status("done", "all 3 steps done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
