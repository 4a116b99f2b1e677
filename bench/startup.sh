#!/bin/bash
# bench/startup.sh - an axle process's start-up CPU, two builds compared:
# `axle --version` under `perf stat -r N`, alternating, each with its own
# libaxle (LD_LIBRARY_PATH), plus the libraries each maps (issue 11 item 7,
# lazy: libheif and libjxl loaded on first use, not at every start).
#
# usage: bench/startup.sh --before DIR --after DIR [--runs N] [--rounds R]
#
# perf's task-clock, user and system time; CPU, not wall: the machine may
# be shared.  A benchmark, never part of `make check`.
set -euo pipefail
# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"
before='' after='' runs=30 rounds=2
while [ $# -gt 0 ]; do
    case $1 in
    --before) before=$2; shift ;;
    --after) after=$2; shift ;;
    --runs) runs=$2; shift ;;
    --rounds) rounds=$2; shift ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
    esac
    shift
done
[ -n "$before" ] && [ -n "$after" ] || die "--before and --after are required"
command -v perf >/dev/null || die "no perf (Debian: linux-perf)"
measure() {  # measure DIR: one perf stat line of task-clock, user, sys (ms)
    LD_LIBRARY_PATH=$1/lib/.libs perf stat -x, -r "$runs" \
        -e task-clock,user_time,system_time "$1/core/.libs/axle" --version 2>&1 >/dev/null |
        awk -F, '$3 == "task-clock" { t = $1 } $3 == "user_time" { u = $1 / 1e6 }
                 $3 == "system_time" { s = $1 / 1e6 }
                 END { printf "%.2f | %.2f | %.2f", t, u, s }'
}
echo "| round | build | task-clock ms | user ms | sys ms |"
echo "| --- | --- | ---: | ---: | ---: |"
for r in $(seq 1 "$rounds"); do
    for which in before after; do
        [ "$which" = before ] && b=$before || b=$after
        echo "| $r | $which | $(measure "$b") |"
    done
done
inits() {  # inits DIR: the libraries the dynamic loader initialises, one a line
    LD_DEBUG=libs LD_LIBRARY_PATH=$1/lib/.libs "$1/core/.libs/axle" --version 2>&1 |
        sed -n 's#.*calling init: .*/##p' | sort -u
}
for which in before after; do
    [ "$which" = before ] && b=$before || b=$after
    echo "$which initialises $(inits "$b" | wc -l) libraries, of them:" \
        "$(inits "$b" | grep -E '^lib(heif|jxl|hwy|de265|x265|aom|dav1d)' | tr '\n' ' ')"
done
