#!/bin/sh
# browser.sh - the board in a real browser (headless Chromium): pages
# reached by following links from the front page, and every image of a
# gallery decoded by the browser (naturalWidth > 0).
. "$AXLE_SRCDIR/tests/lib.sh"
[ -x "$AXLE" ] || skip_all "axle is not built"
. "$AXLE_SRCDIR/tests/board/lib_board.sh"
BROWSER=$(command -v chromium || command -v chromium-browser) ||
    skip_all "chromium is missing (./setup.sh installs it)"

# dom URL [WINDOW_HEIGHT]: the page as the browser built it, in ./dom.
dom() {
    timeout 120 "$BROWSER" --headless --no-sandbox --disable-gpu --disable-quic \
        --no-first-run --disable-background-networking --disable-component-update \
        --disable-sync --user-data-dir="$T_TMP/profile" --virtual-time-budget=10000 \
        --window-size=1280,"${2:-2000}" --dump-dom "$1" >dom 2>browser.err
}
# link PATTERN: the first href in ./dom matching PATTERN (a grep -E).
link() { grep -oE "href=\"$1\"" dom | head -1 | sed 's/^href="//; s/"$//'; }

make_images in 130
pipeline in || { echo "Bail out! the pipeline failed"; exit 1; }
start_board || { echo "Bail out! axle board did not start"; exit 1; }

dom "$URL"
contains dom "<h1>runs</h1>" "the front page renders in Chromium"
run=$(link '/run/[^"]*')
is "$run" /run/1 "the front page links the run of the history"
dom "${URL%/}$run"
job=$(link "/job/$THUMBS")
is "$job" "/job/$THUMBS" "the run's page links the thumbs job"
dom "${URL%/}$job"
contains dom "thumbnailer" "the job page shows the method"
ds=$(link "/ds/$THUMBS/[^\"]*")
is "$ds" "/ds/$THUMBS/default" "the job page links its dataset"
dom "${URL%/}$ds"
contains dom "130 in 2 slices" "the dataset page shows its rows" ||
    contains dom "130 in" "the dataset page shows its rows"
gallery=$(link '/gallery/[^"]*/thumb')
is "$gallery" "/gallery/$THUMBS/default/thumb" "the dataset page links the gallery"
dom "${URL%/}$gallery" 20000
is "$(grep -o '<img loading="lazy"[^>]*src="/cell/[^"]*"' dom | wc -l)" 100 \
    "the gallery's first page has 100 images"
contains dom "page 1 of 2" "the gallery has 2 pages"
next=$(link '/gallery/[^"]*\?page=2')
dom "${URL%/}$next" 20000
is "$(grep -o '<img loading="lazy"[^>]*src="/cell/[^"]*"' dom | wc -l)" 30 \
    "the second page has the other 30"

# Every image the gallery's first page names, decoded by the browser: a
# page of our own loads them and counts those with naturalWidth > 0.
dom "${URL%/}$gallery" 20000
{
    echo '<!doctype html><html><body><p id="r">pending</p>'
    grep -o 'src="/cell/[^"]*"' dom | sed "s|src=\"|<img src=\"${URL%/}|; s|\$|>|"
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
dom "file://$T_TMP/check.html"
is "$(grep -o 'shown [0-9]* of [0-9]*' dom)" "shown 100 of 100" \
    "Chromium shows every image of the gallery page"

# The shape histogram's chart, rendered.
dom "${URL%/}/job/$SHAPES"
is "$(grep -o '<rect class="bar"' dom | wc -l)" 3 "the shape histogram's bars render"
done_testing
