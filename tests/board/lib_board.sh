# tests/board/lib_board.sh - shared by the board's tests; source it after
# tests/lib.sh.  Makes a workdir with pipelines/thumbnails.yaml on images
# of its own, starts `axle board` on a free port and stops it on exit.
[ -n "${PYTHON_PIL:-}" ] && "$PYTHON_PIL" -c 'import PIL' 2>/dev/null ||
    skip_all "no Python with PIL (PYTHON_PIL)"
command -v curl >/dev/null || skip_all "curl is missing (./setup.sh installs it)"
if "$AXLE" board --workdir "$T_TMP/none" 2>&1 | grep -q "built without the board"; then
    skip_all "axle was built without libmicrohttpd"
fi

BOARD_PID=""
trap '[ -n "$BOARD_PID" ] && kill "$BOARD_PID" 2>/dev/null; rm -rf "$T_TMP"' EXIT

# make_images DIR N: N small JPEGs of several shapes, by Pillow.
make_images() {
    "$PYTHON_PIL" - "$1" "$2" <<'PY'
import os, sys
from PIL import Image
d, n = sys.argv[1], int(sys.argv[2])
os.makedirs(d, exist_ok=True)
for i in range(n):
    w, h = [(40, 30), (30, 40), (32, 32)][i % 3]
    im = Image.new("RGB", (w, h), ((i * 37) % 256, (i * 91) % 256, 128))
    im.save(os.path.join(d, "img%04d.jpg" % i), quality=90)
PY
}

# pipeline DIR: runs thumbnails.yaml on DIR into ./axle-work; sets the
# job ids IMPORT, THUMBS, EXPORT, SHAPES.
pipeline() {
    "$AXLE" run "$AXLE_SRCDIR/pipelines/thumbnails.yaml" input="$1" size=[24,24] \
        >run.out 2>run.err || { sed 's/^/# /' run.err; return 1; }
    IMPORT=$(awk '$1 == "import" { print $2 }' run.out)
    THUMBS=$(awk '$1 == "thumbs" { print $2 }' run.out)
    EXPORT=$(awk '$1 == "export" { print $2 }' run.out)
    SHAPES=$(awk '$1 == "shapes" { print $2 }' run.out)
}

# board_said_url: the board printed its URL, or is gone (start_board says
# which).
board_said_url() {
    grep -q '^http' board.url 2>/dev/null || ! kill -0 "$BOARD_PID" 2>/dev/null
}

# start_board [ARGS...]: serves ./axle-work on a free port; sets URL
# (ending in '/').  Waits for the URL line (wait_for's bound).
start_board() {
    "$AXLE" board --port 0 --workdir axle-work "$@" >board.url 2>board.err &
    BOARD_PID=$!
    wait_for "axle board to print its URL into board.url" board_said_url || return 1
    if ! grep -q '^http' board.url; then
        echo "# axle board exited before printing its URL:"
        sed 's/^/# /' board.err
        return 1
    fi
    URL=$(head -1 board.url)
}

# board_gone: the board's process has ended.
board_gone() { ! kill -0 "$BOARD_PID" 2>/dev/null; }

# stop_board: SIGTERM, and its exit status in $st once it has ended
# (wait_for's bound: 1 and a line saying so when it has not).
stop_board() {
    kill "$BOARD_PID"
    if wait_for "axle board to end after SIGTERM" board_gone; then
        wait "$BOARD_PID"; st=$?
    else
        kill -9 "$BOARD_PID" 2>/dev/null; st=1
    fi
    BOARD_PID=""
}

# get PATH [CURL ARGS...]: the body in ./got, the status in $code, the
# content type in $ctype.  A board that does not answer within 60 s is a
# failed request (code 000), not a hung test.
get() {
    p=$1; shift
    out=$(curl -s --max-time 60 --path-as-is -o got -w '%{http_code} %{content_type}' "$@" \
        "$URL$p")
    code=${out%% *}; ctype=${out#* }
}
