#!/bin/sh
# dest.sh - an export with `dest` on the board and under `axle which`:
# the job page shows the images from dest, served only when dest's
# manifest lists them for that job and they are unchanged (no links, no
# other files of dest, nothing outside it); `axle which` on a file in dest
# finds the workdir from the manifest, without --workdir; a renamed copy
# elsewhere is found with --workdir.
. "$AXLE_SRCDIR/tests/lib.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"
. "$AXLE_SRCDIR/tests/board/lib_board.sh"

make_images in 5
mkdir -p out/sub
echo "the user's own" >out/mine.jpg
cat >p.yaml <<'YAML'
params:
  input: in
jobs:
  import:
    method: import_images
    options: {files: "${input}"}
  thumbs:
    method: thumbnailer
    datasets: {source: import}
    options: {size: 24}
  export:
    method: export_images
    datasets: {source: thumbs}
    options: {dest: out, quality: 90}
YAML
"$AXLE" run p.yaml >run.out 2>run.err || { sed 's/^/# /' run.err; echo "Bail out! the run failed"; exit 1; }
EXPORT=$(awk '$1 == "export" { print $2 }' run.out)
THUMBS=$(awk '$1 == "thumbs" { print $2 }' run.out)
check "the export wrote into dest" -- test -f out/img0001.jpg

start_board || { echo "Bail out! axle board did not start"; exit 1; }
get "job/$EXPORT"
is "$(grep -o "<img loading=\"lazy\" alt=\"img000[0-4].jpg\" src=\"/dest/$EXPORT/img000[0-4].jpg\">" got | wc -l)" 5 \
    "the export's job page shows its 5 images from dest"
contains got "$(pwd)/out" "the job page names the dest folder"
for i in 0 4; do
    get "dest/$EXPORT/img000$i.jpg"
    is "$code $ctype" "200 image/jpeg" "dest file img000$i.jpg is served"
    check "its bytes are dest's" -- cmp got "out/img000$i.jpg"
done
get "gallery/$EXPORT/default/thumb"
is "$(grep -o "<img loading=\"lazy\" alt=\"row [0-4]\" src=\"/dest/$EXPORT/img000[0-4].jpg\">" got | wc -l)" 5 \
    "the export's gallery shows the 5 files from dest"
get "gallery/$THUMBS/default/thumb"
is "$(grep -c 'src="/cell/' got)" 5 "a gallery of a job without dest shows its cells as before"
get "dest/$EXPORT/mine.jpg"
is "$code" 404 "a file in dest the export did not write is refused"
get "dest/$EXPORT/.axle-export.json"
is "$code" 404 "the manifest itself is not served"
get "dest/$EXPORT/../in/img0001.jpg"
is "$code" 404 "../ out of dest is refused"
get "dest/$EXPORT/%2e%2e/in/img0001.jpg"
is "$code" 404 "an encoded ../ out of dest is refused"
get "dest/$EXPORT//etc/passwd"
is "$code" 404 "an absolute path is refused"
cp -p out/img0002.jpg keep2.jpg
touch -d '2001-01-01' out/img0002.jpg
get "dest/$EXPORT/img0002.jpg"
is "$code" 404 "a dest file changed since the export wrote it is not shown"
touch -r keep2.jpg out/img0002.jpg
get "dest/$EXPORT/img0002.jpg"
is "$code" 200 "with its time put back it is served again"
mv out/img0003.jpg keep3.jpg
ln -s "$(pwd)/keep3.jpg" out/img0003.jpg
get "dest/$EXPORT/img0003.jpg"
is "$code" 404 "a link in dest, even to the same bytes, is refused"
rm out/img0003.jpg; mv keep3.jpg out/img0003.jpg
get "dest/$EXPORT/img0003.jpg"
is "$code" 200 "the file back as it was is served again"
get "dest/$THUMBS/img0001.jpg"
is "$code" 404 "a job without dest serves nothing from /dest"

# -- in Chromium: every image of the export's gallery, decoded from dest --
BROWSER=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$BROWSER" ]; then
    get "gallery/$EXPORT/default/thumb"
    {
        echo '<!doctype html><html><body><p id="r">pending</p>'
        grep -o 'src="/dest/[^"]*"' got | sed "s|src=\"|<img src=\"${URL%/}|; s|\$|>|"
        cat <<'HTML'
<script>
window.addEventListener('load', function () {
  var all = document.images, shown = 0;
  for (var i = 0; i < all.length; i++)
    if (all[i].complete && all[i].naturalWidth > 0) shown++;
  document.getElementById('r').textContent = 'shown ' + shown + ' of ' + all.length;
});
</script></body></html>
HTML
    } >check.html
    timeout 120 "$BROWSER" --headless --no-sandbox --disable-gpu --disable-quic \
        --no-first-run --disable-background-networking --disable-component-update \
        --disable-sync --user-data-dir="$T_TMP/profile" --virtual-time-budget=10000 \
        --dump-dom "file://$(pwd)/check.html" >dom 2>browser.err
    is "$(grep -o 'shown [0-9]* of [0-9]*' dom)" "shown 5 of 5" \
        "Chromium shows every image of the export's gallery from dest"
else
    ok 0 "# SKIP chromium is missing"
fi

# -- axle which, from elsewhere, without --workdir --
mkdir elsewhere
(cd elsewhere && "$AXLE" which ../out/img0001.jpg) >w1.out 2>w1.err; st=$?
sed 's/^/# /' w1.err
is "$st" 0 "axle which on a dest file, run outside, needs no --workdir"
contains w1.out "job       $EXPORT in $(pwd)/axle-work" "it names the export job and its workdir"
contains w1.out "img0001.jpg" "it names the source photo"
(cd out/sub && "$AXLE" which ../img0004.jpg) >w2.out 2>&1
contains w2.out "job       $EXPORT in" "from a folder inside dest too"
cp out/img0001.jpg elsewhere/renamed.jpg
(cd elsewhere && "$AXLE" which renamed.jpg --workdir ../axle-work) >w3.out 2>&1; st=$?
is "$st" 0 "a renamed copy outside dest is found with --workdir"
contains w3.out "job       $EXPORT in" "by its identity"
(cd elsewhere && "$AXLE" which renamed.jpg) >w4.out 2>&1; st=$?
is "$st" 2 "without --workdir a copy outside dest and any workdir names no workdir"
contains w4.out "give --workdir" "and says how to name it"
done_testing
