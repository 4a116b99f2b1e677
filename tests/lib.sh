# tests/lib.sh - TAP helpers for shell tests; source it first.
# Every test runs in its own scratch folder, removed on exit.
set -u
T_NUM=0
T_FAILED=0
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/axle-test.XXXXXX")
trap 'rm -rf "$T_TMP"' EXIT
cd "$T_TMP" || exit 99

ok() {      # ok COND_STATUS DESCRIPTION
    T_NUM=$((T_NUM + 1))
    if [ "$1" -eq 0 ]; then echo "ok $T_NUM - $2"
    else echo "not ok $T_NUM - $2"; T_FAILED=$((T_FAILED + 1)); fi
}
check() {   # check DESCRIPTION -- COMMAND...
    desc=$1; shift; [ "$1" = "--" ] && shift
    if "$@" >"$T_TMP/.out" 2>&1; then ok 0 "$desc"
    else ok 1 "$desc"; sed 's/^/# /' "$T_TMP/.out"; fi
}
is() {      # is GOT WANT DESCRIPTION
    if [ "$1" = "$2" ]; then ok 0 "$3"
    else ok 1 "$3"; echo "#   got: '$1'"; echo "#  want: '$2'"; fi
}
contains() { # contains HAYSTACK_FILE NEEDLE DESCRIPTION
    if grep -qF -- "$2" "$1"; then ok 0 "$3"
    else ok 1 "$3"; echo "#  '$2' not in $1:"; sed 's/^/#   /' "$1" | head -20; fi
}
done_testing() { echo "1..$T_NUM"; [ "$T_FAILED" -eq 0 ]; }
skip_all() { echo "1..0 # SKIP $1"; exit 0; }
# wait_for DESCRIPTION COMMAND...: polls until COMMAND succeeds, for a
# state a run writes (a file, a line, a lock), never for a time.  The
# bound (120 s) only catches a hung run on a loaded machine; a test that
# orders on it must say what it gave up on, and fail.
wait_for() {
    wf_desc=$1; shift
    wf_i=0
    while [ $wf_i -lt 1200 ]; do
        "$@" && return 0
        sleep 0.1; wf_i=$((wf_i + 1))
    done
    echo "# gave up waiting (120 s): $wf_desc"
    return 1
}
# lines_at_least N FILE: FILE exists and has N lines or more.
lines_at_least() { [ "$(cat "$2" 2>/dev/null | wc -l)" -ge "$1" ]; }
# says_waiting ERRFILE: a run printed that it waits for the workdir; it
# holds Ctrl-C and SIGTERM from then on, so a signal after it ends the wait.
says_waiting() { grep -q "in use by another run; waiting for it" "$1"; }
