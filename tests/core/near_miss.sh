#!/bin/sh
# Misspelt entry points: a method exporting `analyse` or `Prepare` instead
# of analysis or prepare loads with a warning naming each symbol and the
# name axle expected; one exporting no entry point but `synthesize` is
# refused, and the refusal names the near miss.  Methods spelt right get
# no warning.
. "$AXLE_SRCDIR/tests/lib.sh"

"$AXLE" methods test_typo > out 2> err
is $? 0 "a method with misspelt entry points still loads (it has synthesis)"
contains err "test_typo.so: warning: exports" "the loader warns, naming the file"
contains err "'analyse' (did you mean 'analysis'?)" "naming analyse and analysis"
contains err "'Prepare' (did you mean 'prepare'?)" "naming Prepare and prepare"
grep -q helper_count err
is $? 1 "an exported helper far from every entry point is not mentioned"

printf 'jobs:\n  t:\n    method: test_typo\n' > p.yaml
"$AXLE" run p.yaml --slices 2 > run.out 2> run.err
is $? 0 "a pipeline running it runs (its synthesis)"
contains run.err "'analyse' (did you mean 'analysis'?)" "and axle run warns too"
is "$(grep -c "did you mean 'analysis'" run.err)" 1 "once"

"$AXLE" methods test_typo_only > out2 2> err2
is $? 1 "a method whose only entry point is misspelt is refused"
contains out2 "test_typo_only.so: exports none of prepare, analysis, synthesis; it exports 'synthesize' (did you mean 'synthesis'?)" \
    "the refusal names the near miss"
printf 'jobs:\n  t:\n    method: test_typo_only\n' > q.yaml
"$AXLE" run q.yaml > run2.out 2> run2.err
is $? 2 "a pipeline naming it is a load error"
contains run2.err "q.yaml:3:13: error:" "at the method's place"
contains run2.err "did you mean 'synthesis'?" "saying what was meant"

AXLE_METHOD_PATH="$AXLE_BUILDDIR/plugins/.libs" "$AXLE" methods > all.out 2> all.err
is $? 0 "the built-in methods load"
is "$(grep -c warning all.err)" 0 "without a warning: their entry points are spelt right"
"$AXLE" methods test_no_entry > ne.out 2>&1
contains ne.out "exports none of prepare, analysis, synthesis" \
    "a method with no entry point and no near miss is refused as before"
grep -q "it exports" ne.out
is $? 1 "without a near miss to name"
done_testing
