# tests/chains/lib_random.sh - what the random edit tests share
# (random.sh, random_long.sh); sourced after tests/lib.sh.  The caller
# sets SEED and keeps its photos under lib/.

# A small deterministic generator: next_rand N sets R to 0..N-1.
next_rand() { SEED=$(( (SEED * 1103515245 + 12345) % 2147483648 )); R=$(( SEED / 65536 % $1 )); }
pick() { # pick: P = one photo of the library, in name order
    n=$(find lib -type f | wc -l); next_rand "$n"
    P=$(find lib -type f | sort | sed -n "$((R + 1))p"); }
# results WORKDIR: each step's result.json (dest counts vary by design)
results() {
    for s in import thumbs export shapes; do
        printf '%s ' $s; cat "$1/latest/$s/result.json"; echo
    done
    printf 'mirror '; sed 's/,"written".*/}/' "$1/latest/mirror/result.json"; echo
}
