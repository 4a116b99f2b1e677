# tests/image/lib_image.sh - shared by the image shell tests; source it
# after tests/lib.sh.  Images are made by tests/gen_images.py with Pillow,
# references computed by tests/image/pilref.py.
[ -n "${PYTHON_PIL:-}" ] && "$PYTHON_PIL" -c 'import PIL' 2>/dev/null ||
    skip_all "no Python with PIL (PYTHON_PIL)"
TOOL="$AXLE_BUILDDIR/tests/image_tool"
[ -x "$TOOL" ] || skip_all "tests/image_tool is not built"

gen() { "$PYTHON_PIL" "$AXLE_SRCDIR/tests/gen_images.py" "$@"; }
pilref() { "$PYTHON_PIL" "$AXLE_SRCDIR/tests/image/pilref.py" "$@"; }

# at_least GOT MIN DESCRIPTION: a number compared as a float.
at_least() {
    if awk -v g="$1" -v m="$2" 'BEGIN { exit !(g == "inf" || g + 0 >= m + 0) }'; then
        ok 0 "$3 ($1 >= $2)"
    else
        ok 1 "$3"; echo "#   got $1, want at least $2"
    fi
}

# at_most GOT MAX DESCRIPTION
at_most() {
    if awk -v g="$1" -v m="$2" 'BEGIN { exit !(g + 0 <= m + 0) }'; then
        ok 0 "$3 ($1 <= $2)"
    else
        ok 1 "$3"; echo "#   got $1, want at most $2"
    fi
}
