#!/usr/bin/env bash
# End-to-end tests of the `rq` CLI against a scripted rq1 server (Tests/Fixtures/mock_rq1.py).
# Checks exact stdout, stderr, exit status, and the exact request bytes the CLI sent.
#
# usage: Tests/cli/test_cli.sh PATH_TO_RQ_BINARY      (builds nothing itself)
# Last line: "N passed, M failed"; exit status 0 iff nothing failed.
set -u
unset RQ_ROOT # the cases choose the root themselves
export LC_ALL=C # ${#s} counts bytes, as the rq1 length does

if [ $# -ne 1 ] || [ ! -x "$1" ]; then
    echo "usage: $0 PATH_TO_RQ_BINARY" >&2
    exit 2
fi
RQ=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
MOCK="$HERE/../Fixtures/mock_rq1.py"
WORK=$(mktemp -d /tmp/rq-cli-test.XXXXXX)
ROOT=$WORK/root
MOCK_PID=""

cleanup() {
    if [ -n "$MOCK_PID" ]; then kill "$MOCK_PID" 2>/dev/null; wait "$MOCK_PID" 2>/dev/null; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

mkdir -p "$ROOT/config" "$ROOT/queue/test" "$ROOT/queue/relay" "$ROOT/queue/down" "$WORK/files/adir"
echo '{}' > "$ROOT/config/config.json" # what makes a directory an installation for rq
printf 'attachment bytes\n' > "$WORK/files/studio3.jpg"

FULL=http://127.0.0.1:3333/q/test/20240105.1307.22.123.4456712
SHORT=20240105.1307.22.123.4456712
NEW=http://127.0.0.1:3333/q/test/20240105.1307.23.456.7890123
MD5=14a1a7845cc7f981977fbba6a60f0e42
passed=0
failed=0

# frame PAYLOAD: the rq1 packet for PAYLOAD.
frame() { printf 'rq1 %08d %s' "${#1}" "$1"; }

# start_mock QUEUE SCRIPT_JSON: a mock queue server answering SCRIPT_JSON's entries in turn.
start_mock() {
    local log=$WORK/request.log
    rm -f "$log" "$log.ready"
    printf '%s' "$2" > "$WORK/script.json"
    python3 "$MOCK" "$ROOT/queue/$1/queue.sock" "$WORK/script.json" "$log" 2>"$WORK/mock.err" &
    MOCK_PID=$!
    local tries=0
    while [ ! -e "$log.ready" ] && [ $tries -lt 100 ]; do sleep 0.05; tries=$((tries + 1)); done
}

stop_mock() {
    [ -z "$MOCK_PID" ] && return
    local tries=0
    while kill -0 "$MOCK_PID" 2>/dev/null && [ $tries -lt 40 ]; do sleep 0.05; tries=$((tries + 1)); done
    kill "$MOCK_PID" 2>/dev/null
    wait "$MOCK_PID" 2>/dev/null
    MOCK_PID=""
}

# rq ARGS...: run the CLI (cwd $RUN_DIR, default $ROOT), bounded to 10 s.
RUN_DIR=""
rq() {
    (cd "${RUN_DIR:-$ROOT}" && timeout 10 "$RQ" "$@") >"$WORK/out" 2>"$WORK/err"
    echo $? >"$WORK/rc"
}

# check NAME STDOUT STDERR STATUS [REQUEST]: REQUEST "-" (default) skips the request check,
# "" expects that nothing reached the mock.
check() {
    local name=$1 out=$2 err=$3 rc=$4 request=${5--}
    stop_mock
    local problems=""
    printf '%s' "$out" > "$WORK/exp.out"
    printf '%s' "$err" > "$WORK/exp.err"
    cmp -s "$WORK/out" "$WORK/exp.out" || problems+=" stdout=[$(cat "$WORK/out")] want [$out]"
    cmp -s "$WORK/err" "$WORK/exp.err" || problems+=" stderr=[$(cat "$WORK/err")] want [$err]"
    [ "$(cat "$WORK/rc")" = "$rc" ] || problems+=" status=$(cat "$WORK/rc") want $rc"
    if [ "$request" != "-" ]; then
        printf '%s' "$request" > "$WORK/exp.req"
        touch "$WORK/request.log"
        cmp -s "$WORK/request.log" "$WORK/exp.req" ||
            problems+=" request=[$(cat "$WORK/request.log")] want [$request]"
    fi
    rm -f "$WORK/request.log"
    if [ -z "$problems" ]; then
        passed=$((passed + 1)); echo "PASS $name"
    else
        failed=$((failed + 1)); echo "FAIL $name:$problems"
    fi
}

# check_help NAME FIRST_LINE_PREFIX STATUS: for help texts, whose wording may evolve.
check_help() {
    local first
    first=$(head -n 1 "$WORK/out")
    if [[ "$first" == "$2"* ]] && grep -q -- '--root DIR' "$WORK/out" && [ "$(cat "$WORK/rc")" = "$3" ] && [ ! -s "$WORK/err" ]; then
        passed=$((passed + 1)); echo "PASS $1"
    else
        failed=$((failed + 1)); echo "FAIL $1: first line [$first] status $(cat "$WORK/rc")"
    fi
}

COMMANDS="attachmesg attachstatusmesg clone commitmesg prepmesg sendmesg single_que state statuscountmesg statusmesg verify_rules"

# check_overview NAME STATUS: the command list of `rq`/`rq help`: the original's first line,
# every command on its own two-space-indented line with a summary, and how the root is found.
check_overview() {
    local problems=""
    [ "$(head -n 1 "$WORK/out")" = "Valid commands are:" ] || problems+=" first line [$(head -n 1 "$WORK/out")]"
    local listed
    listed=$(sed -n '2,/^$/p' "$WORK/out" | grep -E '^  [a-z_]+ +[a-z]' | awk '{print $1}' | tr '\n' ' ')
    [ "$listed" = "$COMMANDS " ] || problems+=" commands [$listed]"
    grep -q -- '--root DIR' "$WORK/out" || problems+=" no --root DIR"
    grep -q -- '\$RQ_ROOT' "$WORK/out" || problems+=" no \$RQ_ROOT"
    [ -s "$WORK/err" ] && problems+=" stderr [$(cat "$WORK/err")]"
    [ "$(cat "$WORK/rc")" = "$2" ] || problems+=" status $(cat "$WORK/rc") want $2"
    if [ -z "$problems" ]; then
        passed=$((passed + 1)); echo "PASS $1"
    else
        failed=$((failed + 1)); echo "FAIL $1:$problems"
    fi
}

# --- usage and help ----------------------------------------------------------------------
rq;                         check_overview "no arguments lists commands, exit 1" 1
rq -h;                      check_overview "-h lists commands" 0
rq --help;                  check_overview "--help lists commands" 0
rq help;                    check_overview "help lists commands" 0
rq --root "$ROOT";          check_overview "only --root lists commands, exit 1" 1
rq bogus --help;            check_overview "unknown command with --help lists commands, exit 1" 1
rq bogus --dest x;          check "unknown command" "" "Command not found: bogus (cmd_bogus)
" 1
rq help bogus;              check "help for an unknown command" "" "Command not found: bogus (cmd_bogus)
" 1
rq help statusmesg;         check_help "help statusmesg" "Usage: rq statusmesg --" 0
for c in sendmesg prepmesg single_que attachmesg commitmesg statusmesg state statuscountmesg \
         attachstatusmesg clone verify_rules; do
    rq "$c" --help; check_help "$c --help" "Usage: rq $c --" 0
done
rq sendmesg --dest test -h; check_help "sendmesg -h shows its help" "Usage: rq sendmesg --dest QUEUE|URL [--relay-ok] [message options]" 0

# --- message creation --------------------------------------------------------------------
start_mock test "[\"[\\\"ok\\\",\\\"$FULL\\\"]\"]"
rq sendmesg --dest test
check "sendmesg --dest v" "ok $FULL
" "" 0 "$(frame 'create_message {"dest":"test"}')"

start_mock test "[\"[\\\"ok\\\",\\\"$FULL\\\"]\"]"
rq sendmesg stray --dest=test --src me --param1=done --force_remote
check "sendmesg mixed forms, flag is true, stray word ignored" "ok $FULL
" "" 0 "$(frame 'create_message {"dest":"test","force_remote":true,"param1":"done","src":"me"}')"

start_mock test "[\"[\\\"ok\\\",\\\"$FULL\\\"]\"]"
rq sendmesg --dest test --count 2 --max_count 5 --due 1700000000 --param2 b --param3 c \
    --param4 'x y' --relay-ok --src first --src second
check "sendmesg copies only message keys, later duplicate wins" "ok $FULL
" "" 0 "$(frame 'create_message {"count":"2","dest":"test","due":"1700000000","max_count":"5","param2":"b","param3":"c","param4":"x y","src":"second"}')"

start_mock test "[\"[\\\"ok\\\",\\\"$FULL\\\"]\"]"
rq sendmesg --dest test '--param1=a=b--c' --param2 'héllo "q" \ /'
check "sendmesg value with = and --, UTF-8 and escapes" "ok $FULL
" "" 0 "$(frame 'create_message {"dest":"test","param1":"a=b--c","param2":"héllo \"q\" \\ /"}')"

start_mock test '["[\"fail\",\"input missing required \\\"dest\\\" parameter\"]"]'
rq sendmesg --dest test
check "sendmesg fail reply" 'fail input missing required "dest" parameter
' "" 1 "$(frame 'create_message {"dest":"test"}')"

start_mock relay "[\"[\\\"ok\\\",\\\"http://127.0.0.1:3333/q/relay/$SHORT\\\"]\"]"
rq sendmesg --dest http://example.com:3333/q/test --relay-ok
check "sendmesg http: dest with --relay-ok goes to relay" "ok http://127.0.0.1:3333/q/relay/$SHORT
" "" 0 "$(frame 'create_message {"dest":"http://example.com:3333/q/test"}')"

start_mock relay '["[\"ok\",\"x\"]"]'
rq sendmesg --dest http://127.0.0.1:3333/q/test
check "sendmesg http: dest without --relay-ok" "fail Cannot relay message
" "" 1 ""

rq sendmesg --src me;        check "sendmesg without --dest names it" "fail Missing argument: --dest
" "" 1
rq sendmesg --dest;          check "sendmesg --dest as bare flag" "fail Missing argument: --dest
" "" 1

# --- options a command does not take, --due, --count -------------------------------------
rq sendmesg --dest hello --parm1 x
check "sendmesg mistyped option is named (refused before connecting)" "fail Unknown option --parm1 (see rq sendmesg --help)
" "" 1
rq sendmesg --dest test --param1 x --parm2=y
check "sendmesg mistyped --k=v option" "fail Unknown option --parm2 (see rq sendmesg --help)
" "" 1
rq statusmesg --msg_id "$FULL" --verbose
check "statusmesg does not take --verbose" "fail Unknown option --verbose (see rq statusmesg --help)
" "" 1
rq attachmesg --msg_id "$FULL" --path /tmp/x
check "attachmesg --path for --pathname" "fail Unknown option --path (see rq attachmesg --help)
" "" 1
rq verify_rules --path x --pathname y
check "verify_rules does not take --pathname" "fail Unknown option --pathname (see rq verify_rules --help)
" "" 1

rq sendmesg --dest test --due tomorrow
check "sendmesg --due that is no time" "fail --due tomorrow is not a time: give seconds since 1970 or a date like 2026-12-01T06:30
" "" 1
rq sendmesg --dest test --due=
check "sendmesg empty --due" "fail --due  is not a time: give seconds since 1970 or a date like 2026-12-01T06:30
" "" 1
rq sendmesg --dest test --due 2026-13-01
check "sendmesg --due with month 13" "fail --due 2026-13-01 is not a time: give seconds since 1970 or a date like 2026-12-01T06:30
" "" 1
rq sendmesg --dest test --due '2026-12-01 junk'
check "sendmesg --due date with trailing junk" "fail --due 2026-12-01 junk is not a time: give seconds since 1970 or a date like 2026-12-01T06:30
" "" 1
rq sendmesg --dest test --due
check "sendmesg --due without a value" "fail Missing argument: --due needs a value
" "" 1
rq sendmesg --dest test --count two
check "sendmesg --count not a number" "fail --count two is not a whole number
" "" 1
rq sendmesg --dest test --max_count -3
check "sendmesg negative --max_count" "fail --max_count -3 is not a whole number
" "" 1

start_mock test "[\"[\\\"ok\\\",\\\"$FULL\\\"]\"]"
rq sendmesg --dest test --due 1700000000.5
check "sendmesg --due seconds with a fraction sent as typed" "ok $FULL
" "" 0 "$(frame 'create_message {"dest":"test","due":"1700000000.5"}')"

start_mock test "[\"[\\\"ok\\\",\\\"$FULL\\\"]\"]"
rq sendmesg --dest test --due 2026-12-01T06:30:00Z
check "sendmesg --due UTC date sent as seconds" "ok $FULL
" "" 0 "$(frame 'create_message {"dest":"test","due":"1796106600"}')"

start_mock test "[\"[\\\"ok\\\",\\\"$FULL\\\"]\"]"
rq prepmesg --dest test --due '2026-12-01 06:30+01:00'
check "prepmesg --due with an offset" "ok $FULL
" "" 0 "$(frame 'prep_message {"dest":"test","due":"1796103000"}')"

start_mock test "[\"[\\\"ok\\\",\\\"$FULL\\\"]\"]"
TZ=Asia/Tokyo rq single_que --dest test --due '2026-12-01 06:30'
check "single_que --due local time" "ok $FULL
" "" 0 "$(frame 'single_que {"dest":"test","due":"1796074200"}')"

start_mock test "[\"[\\\"ok\\\",\\\"$FULL\\\"]\"]"
TZ=UTC rq sendmesg --dest test --due 2026-12-01
check "sendmesg --due a day, local midnight" "ok $FULL
" "" 0 "$(frame 'create_message {"dest":"test","due":"1796083200"}')"

rq sendmesg --dest nosuch;   check "sendmesg unknown queue" "fail Queue not found
" "" 1
rq sendmesg --dest ../queue/test; check "sendmesg queue name with a slash" "fail Queue not found
" "" 1
rq sendmesg --dest down;     check "sendmesg queue without a server" "fail couldn't connect to queue - down: No such file or directory
" "" 1
python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$ROOT/queue/down/queue.sock"
rq sendmesg --dest down;     check "sendmesg stale socket file" "fail couldn't connect to queue - down: Connection refused
" "" 1
rm -f "$ROOT/queue/down/queue.sock"

start_mock test "[\"[\\\"ok\\\",\\\"$FULL\\\"]\"]"
rq prepmesg --dest test --param1 p
check "prepmesg" "ok $FULL
" "" 0 "$(frame 'prep_message {"dest":"test","param1":"p"}')"

start_mock relay "[\"[\\\"ok\\\",\\\"$FULL\\\"]\"]"
rq prepmesg --dest http://h/q/test --relay-ok
check "prepmesg relays http:" "ok $FULL
" "" 0 "$(frame 'prep_message {"dest":"http://h/q/test"}')"

start_mock test "[\"[\\\"ok\\\",\\\"$FULL\\\"]\"]"
rq single_que --dest test
check "single_que" "ok $FULL
" "" 0 "$(frame 'single_que {"dest":"test"}')"

rq single_que --dest http://h/q/test --relay-ok
check "single_que does not relay http:" "fail Queue not found
" "" 1

# --- installation root ---------------------------------------------------------------------
start_mock test "[\"[\\\"ok\\\",\\\"$FULL\\\"]\"]"
RUN_DIR=$WORK rq --root "$ROOT" sendmesg --dest test
check "--root before the command" "ok $FULL
" "" 0 "$(frame 'create_message {"dest":"test"}')"

start_mock test "[\"[\\\"ok\\\",\\\"$FULL\\\"]\"]"
RUN_DIR=$WORK rq sendmesg --dest test "--root=$ROOT"
check "--root= after the options, not sent" "ok $FULL
" "" 0 "$(frame 'create_message {"dest":"test"}')"

start_mock test "[\"[\\\"ok\\\",\\\"$FULL\\\"]\"]"
RUN_DIR=$WORK RQ_ROOT=$ROOT rq sendmesg --dest test
check "RQ_ROOT environment" "ok $FULL
" "" 0 "$(frame 'create_message {"dest":"test"}')"

NOT_INSTALLED="(no config/config.json): give --root DIR or set RQ_ROOT, or create one with rq-server install --root DIR"
RUN_DIR=$WORK rq sendmesg --dest test
check "no root: the current directory is no installation" "fail no RQ installation at $WORK $NOT_INSTALLED
" "" 1

RUN_DIR=$WORK rq --root "$WORK/nowhere" state --msg_id "$FULL"
check "--root at no installation" "fail no RQ installation at $WORK/nowhere $NOT_INSTALLED
" "" 1

RUN_DIR=$ROOT rq --root ../files sendmesg --dest test
check "relative --root at no installation is shown absolute" "fail no RQ installation at $WORK/files $NOT_INSTALLED
" "" 1

RUN_DIR=$WORK RQ_ROOT=$WORK rq --root "$ROOT" sendmesg --dest down
check "--root wins over RQ_ROOT" "fail couldn't connect to queue - down: No such file or directory
" "" 1

rq sendmesg --dest test --root
check "--root without a directory" "fail --root needs a directory
" "" 1

# --- commands on an existing message ---------------------------------------------------
start_mock test '["[\"ok\",\"msg commited\"]"]'
rq commitmesg --msg_id "$FULL"
check "commitmesg" "ok msg commited
" "" 0 "$(frame "commit_message {\"msg_id\":\"$SHORT\"}")"

start_mock test '["[\"fail\",\"cannot find message\"]"]'
rq commitmesg "--msg_id=$FULL"
check "commitmesg fail, --msg_id=" "fail cannot find message
" "" 1 "$(frame "commit_message {\"msg_id\":\"$SHORT\"}")"

start_mock test '["[\"ok\",{\"path\":\"/x\",\"state\":\"done\",\"status\":\"done - done sleeping\"}]"]'
rq statusmesg --msg_id "$FULL"
check "statusmesg" "ok done - done sleeping
" "" 0 "$(frame "get_message_status {\"msg_id\":\"$SHORT\"}")"

start_mock test '["[\"fail\",\"msg not found\"]"]'
rq statusmesg --msg_id "$FULL"
check "statusmesg not found" "fail msg not found
" "" 1

start_mock test '["[\"ok\",\"done\"]"]'
rq state --msg_id "/q/test/$SHORT"
check "state with a bare /q/ path" "ok done
" "" 0 "$(frame "get_message_state {\"msg_id\":\"$SHORT\"}")"

start_mock test '["[\"ok\",{\"count\":1,\"dest\":\"test\"}]"]'
rq statuscountmesg --msg_id "$FULL"
check "statuscountmesg" "ok 1
" "" 0 "$(frame "get_message {\"msg_id\":\"$SHORT\"}")"

start_mock test '["[\"ok\",{\"dest\":\"test\"}]"]'
rq statuscountmesg --msg_id "$FULL"
check "statuscountmesg without count" "ok 0
" "" 0

start_mock test "[\"[\\\"ok\\\",{\\\"_attachments\\\":{\\\"studio3.jpg\\\":{\\\"md5\\\":\\\"$MD5\\\",\\\"size\\\":96007,\\\"path\\\":\\\"/r/attach/studio3.jpg\\\"},\\\"a.txt\\\":{\\\"md5\\\":\\\"00ff\\\",\\\"size\\\":3,\\\"path\\\":\\\"/r/attach/a.txt\\\"}}}]\"]"
rq attachstatusmesg --msg_id "$FULL"
check "attachstatusmesg" "ok 2
a.txt 00ff 3 /r/attach/a.txt
studio3.jpg $MD5 96007 /r/attach/studio3.jpg
" "" 0 "$(frame "get_message {\"msg_id\":\"$SHORT\"}")"

start_mock test '["[\"ok\",{\"dest\":\"test\"}]"]'
rq attachstatusmesg --msg_id "$FULL"
check "attachstatusmesg without attachments" "ok 0
" "" 0

start_mock test "[\"[\\\"ok\\\",\\\"$NEW\\\"]\"]"
rq clone --msg_id "$FULL"
check "clone" "ok $NEW
" "" 0 "$(frame "clone_message {\"msg_id\":\"$SHORT\"}")"

rq clone;                      check "clone without --msg_id" "fail Missing argument: --msg_id
" "" 1
rq clone --msg_id;             check "clone --msg_id as bare flag" "fail Missing argument: --msg_id
" "" 1
rq clone --msg_id not-an-id;   check "clone with a malformed id" "fail invalid full message id: not-an-id
" "" 1
rq state --msg_id "http://h/q/nosuch/$SHORT"; check "state on an unknown queue" "fail Queue not found
" "" 1

# --- attachmesg ----------------------------------------------------------------------------
start_mock test "[\"[\\\"ok\\\",\\\"$MD5-Attached successfully\\\"]\"]"
rq attachmesg --msg_id "$FULL" --pathname ../files/./studio3.jpg
check "attachmesg relative path made absolute" "ok $MD5-Attached successfully for Message: $FULL attachment
" "" 0 "$(frame "attach_message {\"msg_id\":\"$SHORT\",\"pathname\":\"$WORK/files/studio3.jpg\"}")"

start_mock test "[\"[\\\"ok\\\",\\\"$MD5-Attached successfully\\\"]\"]"
rq attachmesg --msg_id "$FULL" --pathname "$WORK/files/studio3.jpg" --name pic.jpg --local_fs_only
check "attachmesg --name and --local_fs_only" "ok $MD5-Attached successfully for Message: $FULL attachment
" "" 0 "$(frame "attach_message {\"local_fs_only\":true,\"msg_id\":\"$SHORT\",\"name\":\"pic.jpg\",\"pathname\":\"$WORK/files/studio3.jpg\"}")"

start_mock test '["[\"fail\",\"cannot find message\"]"]'
rq attachmesg --msg_id "$FULL" --pathname "$WORK/files/studio3.jpg"
check "attachmesg fail reply" "fail cannot find message for Message: $FULL attachment
" "" 1

start_mock test '["[\"ok\",\"x\"]"]'
rq attachmesg --msg_id "$FULL" --pathname "$WORK/files/missing.jpg"
check "attachmesg missing file" "fail No such file $WORK/files/missing.jpg to attach to message
" "" 1 ""

rq attachmesg --msg_id "$FULL" --pathname "$WORK/files/adir"
check "attachmesg directory" "fail Attachment currently cannot be a directory $WORK/files/adir
" "" 1
rq attachmesg --msg_id "$FULL" --pathname /dev/null
check "attachmesg not a regular file" "fail Attachment currently not of supported type: /dev/null
" "" 1
rq attachmesg --msg_id "$FULL"
check "attachmesg without --pathname" "fail Missing argument: --pathname
" "" 1

# --- bad or missing replies --------------------------------------------------------------
start_mock test '["[ \"ERROR\" ]"]'
rq state --msg_id "$FULL"
check "unknown-command reply prints like the original" "ERROR 
" "" 1

start_mock test '[{"close": true}]'
rq state --msg_id "$FULL"
check "server closes without reply" "fail no reply from queue - test
" "" 1 "$(frame "get_message_state {\"msg_id\":\"$SHORT\"}")"

start_mock test '[{"raw": "HTTP/1.1 400 Bad Request\r\n\r\n"}]'
rq state --msg_id "$FULL"
check "reply not rq1" "fail bad reply from queue - test
" "" 1

start_mock test '[{"raw": "rq1 00000020 [\"ok\"]"}]'
rq state --msg_id "$FULL"
check "reply shorter than its header says" "fail short reply from queue - test
" "" 1

start_mock test '["{\"prep\":0}"]'
rq state --msg_id "$FULL"
check "reply not a JSON array" "fail bad reply from queue - test
" "" 1

start_mock test '["not json"]'
rq state --msg_id "$FULL"
check "reply not JSON" "fail bad reply from queue - test
" "" 1

# --- verify_rules --------------------------------------------------------------------------
cat > "$WORK/rules.json" <<'JSON'
[{"desc": "to remote", "match": {"dest": "^remote", "src": "x"}, "dest": "http://h:3333/q/in"},
 {"match": {"param1": "y"}, "dest": "local"}]
JSON
rq verify_rules --path "$WORK/rules.json"
check "verify_rules good file" "ok
" "" 0
rq verify_rules --path "$WORK/rules.json" --verbose
check "verify_rules --verbose" "to remote
match dest ^remote
match src x
dest http://h:3333/q/in

rule 2
match param1 y
dest local

ok
" "" 0
echo '[]' > "$WORK/empty.json"
rq verify_rules --path "$WORK/empty.json";    check "verify_rules empty list" "ok
" "" 0
echo '[{"match": {"dest": "a"}}]' > "$WORK/nodest.json"
rq verify_rules --path "$WORK/nodest.json";   check "verify_rules rule without dest" "fail bad router rules file
" "" 1
rq verify_rules --path "$WORK/nodest.json" --verbose; check "verify_rules --verbose says why" 'rule 1: "dest" must be a non-empty string
fail bad router rules file
' "" 1
echo '[{"match": {"dest": 3}, "dest": "a"}]' > "$WORK/badmatch.json"
rq verify_rules --path "$WORK/badmatch.json"; check "verify_rules non-string match" "fail bad router rules file
" "" 1
echo '[{"match": {}, "dest": "a"}]' > "$WORK/emptymatch.json"
rq verify_rules --path "$WORK/emptymatch.json"; check "verify_rules empty match" "fail bad router rules file
" "" 1
echo 'rule "x"' > "$WORK/ruby.rb"
rq verify_rules --path "$WORK/ruby.rb";       check "verify_rules not JSON" "fail bad router rules file
" "" 1
rq verify_rules --path "$WORK/none.json";     check "verify_rules missing file" "fail bad router rules file
" "" 1
rq verify_rules;                              check "verify_rules without --path" "fail Missing argument: --path
" "" 1

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
