#!/bin/sh
# The import's identity stats each photo through its folder (one name
# looked up, not the whole path): a change in any folder, at any depth,
# through a linked folder too, must still rebuild the import, and nothing
# changed must reuse it.
. "$AXLE_SRCDIR/tests/lib.sh"

mkdir -p real/a real/b/deep
n=0
for f in "$AXLE_SRCDIR"/pipelines/samples/*.jpg; do
    n=$((n + 1))
    case $n in 1) cp "$f" real/top.jpg ;; 2) cp "$f" real/a/ ;; *) cp "$f" real/b/deep/ ;; esac
done
ln -s real photos  # the input named through a link to its folder
cat > p.yaml <<'YAML'
workdir: wd
jobs:
  import:
    method: import_images
    options: {files: photos}
YAML

run() {  # run: the import's word (built or reused)
    "$AXLE" run p.yaml > out 2> err || { cat err >&2; echo failed; return; }
    awk '$1 == "import" { print $3 }' out
}
is "$(run)" built "the first run imports"
is "$(run)" reused "nothing changed: reused"
deep=$(ls real/b/deep/*.jpg | head -1)
touch -d '2001-02-03 04:05:06' "$deep"
is "$(run)" built "a photo two folders down touched: imported again"
is "$(run)" reused "then reused"
cp "$deep" real/a/new.jpg
is "$(run)" built "a photo added to another folder: imported again"
rm "$(ls real/a/*.jpg | grep -v new.jpg)"
is "$(run)" built "a photo removed: imported again"
printf 'x' >> real/top.jpg
is "$(run)" built "the photo at the top grew: imported again"
mv real/a real/c
is "$(run)" built "a folder renamed: imported again"
is "$(run)" reused "then reused"
done_testing
