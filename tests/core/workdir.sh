#!/bin/sh
# A workdir is axle's and only axle's: a folder that is new, empty or
# marked (.axle-workdir); anything else, /, and the home folder are
# refused before anything is written.  Its job counter is validated.
. "$AXLE_SRCDIR/tests/lib.sh"

pipeline() {  # pipeline FILE WORKDIR VALUE
    printf 'workdir: %s\njobs:\n  a:\n    method: test_counter\n    options: {counter: c.log, value: %s}\n' \
        "$2" "$3" > "$1"
}
refused() {  # refused PIPELINE DESCRIPTION: exit 2, nothing run
    "$AXLE" run "$1" > out 2> err
    is "$? $(cat c.log 2>/dev/null | wc -l)" "2 0" "$2: exit 2, no job ran"
}

# A new workdir carries the marker, saying what it is and its format.
pipeline p.yaml wd 1
"$AXLE" run p.yaml > out 2> err
ok $? "a new workdir is made"
contains wd/.axle-workdir "axle workdir" "its marker says what the folder is"
contains wd/.axle-workdir "format 1" "and the format version"

# A folder of the user's is never written into.
mkdir mine
echo "my steps" > mine/steps.json
echo "my settings" > mine/workdir.json
echo "my notes" > mine/notes.txt
pipeline q.yaml mine 1
rm -f c.log
refused q.yaml "a non-empty folder without the marker"
contains err "workdir $PWD/mine is not empty and is not an axle workdir (no .axle-workdir); choose another folder" \
    "the message names the folder and the reason"
is "$(cat mine/steps.json mine/workdir.json mine/notes.txt | tr '\n' ' ')" \
    "my steps my settings my notes " "the user's files are untouched"
is "$(ls -A mine | tr '\n' ' ')" "notes.txt steps.json workdir.json " "and nothing was added"

pipeline r.yaml / 1
refused r.yaml "workdir: /"
contains err "workdir / is the root folder; choose another folder" "/ is refused by name"

mkdir home && touch home/.axle-workdir
pipeline h.yaml '"~/"' 1
HOME=$PWD/home "$AXLE" run h.yaml > out 2> err
is "$?" 2 "the home folder is refused, even marked"
contains err "workdir $PWD/home is your home folder; choose another folder" "saying so"

# An empty folder becomes a workdir.
mkdir empty
pipeline e.yaml empty 1
"$AXLE" run e.yaml > out 2> err
ok $? "an empty folder is taken"
check "and marked" -- test -f empty/.axle-workdir

# A workdir of axle 0.1 (no marker) is recognised by its layout and adopted.
# (axle 0.1 kept no run history either.)
rm wd/.axle-workdir wd/runs.jsonl
"$AXLE" run p.yaml > out 2> err
ok $? "a workdir without the marker but with axle's layout is used"
contains out " reused " "its jobs are reused"
check "and it gets the marker" -- test -f wd/.axle-workdir
cp -r wd wd_plus && rm wd_plus/.axle-workdir && touch wd_plus/holiday.jpg
pipeline w1.yaml wd_plus 1
rm -f c.log
refused w1.yaml "axle's layout plus a file of the user's"

# The job counter: a number out of range or not a number is not trusted;
# numbering goes on after the highest job folder.
rm -rf wd && pipeline p.yaml wd 1
"$AXLE" run p.yaml > out 2> err
echo 9223372036854775807 > wd/.next
mkdir wd/wd-9223372036854775807
pipeline p.yaml wd 2
"$AXLE" run p.yaml > out 2> err
ok $? "a run after the counter was set to 2^63-1 succeeds"
is "$(awk '{print $2}' out | head -1)" "wd-2" "the new job is numbered after the highest job folder"
contains err "the job counter $PWD/wd/.next holds '9223372036854775807', not a job number" \
    "the bad counter is reported"
is "$(cat wd/.next)" 3 "the counter is repaired"
printf 'abc' > wd/.next
pipeline p.yaml wd 3
"$AXLE" run p.yaml > out 2> err
is "$? $(awk '{print $2}' out | head -1)" "0 wd-3" "a counter of 'abc' is recovered the same way"
echo 999999999 > wd/.next
pipeline p.yaml wd 4
"$AXLE" run p.yaml > out 2> err
is "$? $(awk '{print $2}' out | head -1)" "0 wd-999999999" "the last job number is used"
pipeline p.yaml wd 5
"$AXLE" run p.yaml > out 2> err
is "$?" 1 "after it, the run fails instead of wrapping around"
contains err "cannot create a job folder in $PWD/wd" "saying where"
done_testing
