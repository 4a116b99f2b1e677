#!/bin/sh
# Every libFuzzer harness (tests/fuzz/fuzz_*.c) runs briefly on its seeds,
# about a minute in all: a crash, a hang or a sanitizer report fails it.
# Longer runs: tests/fuzz/run.sh SECONDS.  Skipped without clang's libFuzzer.
. "$AXLE_SRCDIR/tests/lib.sh"

names=$(ls "$AXLE_SRCDIR"/tests/fuzz/fuzz_*.c | sed 's|.*/fuzz_||; s|\.c$||')
count=$(echo "$names" | wc -w)
each=$((60 / count))
[ "$each" -ge 10 ] || each=10

# From the seeds alone (a fresh corpus), so every run starts the same.
AXLE_FUZZ_CORPUS="$T_TMP/corpus" "$AXLE_SRCDIR/tests/fuzz/run.sh" "$each" \
    > run.out 2>&1
rc=$?
[ "$rc" -eq 77 ] && skip_all "$(cat run.out)"
sed 's/^/# /' run.out
for name in $names; do
    grep -q "^fuzz_$name: [0-9]* executions in .*, 0 findings$" run.out
    ok $? "fuzz_$name runs ${each}s on its seeds without a finding"
done
is "$rc" 0 "run.sh exits 0"
done_testing
