# tests/mpi/lib_mpi.sh - helpers for the --mpi tests; source after lib.sh.
# Skips the whole test, saying why, when axle was built without MPI.
[ -n "${AXLE_MPIRUN:-}" ] || skip_all "axle was built without MPI (no OpenMPI found by configure)"
[ -x "$AXLE_MPIRUN" ] || skip_all "mpirun ($AXLE_MPIRUN) is not there"

# mpi_run P ARGS...: axle run ARGS --mpi as P ranks on this machine.
# MPIRUN_FLAGS, for a launcher started in the background ($! is then
# mpirun's own pid): $AXLE_MPIRUN $MPIRUN_FLAGS -n P "$AXLE" run ... &
MPIRUN_FLAGS="--oversubscribe --allow-run-as-root"
mpi_run() {
    p=$1; shift
    "$AXLE_MPIRUN" $MPIRUN_FLAGS -n "$p" "$AXLE" run "$@" --mpi
}

# wait_lines FILE N: until FILE has N lines (a slice writes one as it
# starts); fails after a minute, so a broken run cannot hang the suite.
wait_lines() {
    i=0
    while [ "$(cat "$1" 2>/dev/null | wc -l)" -lt "$2" ]; do
        i=$((i + 1))
        [ "$i" -gt 600 ] && return 1
        sleep 0.1
    done
}

# axle processes still running in this test's folder (ranks, job
# processes, slices: all have it as their working folder).
axle_left() {
    n=0
    for p in /proc/[0-9]*; do
        [ "$(readlink "$p/cwd" 2>/dev/null)" = "$T_TMP" ] || continue
        tr '\0' ' ' < "$p/cmdline" 2>/dev/null | grep -q "axle" && n=$((n + 1))
    done
    echo "$n"
}

# left_after_ends: axle processes still running here once the launcher
# ended and they had their time to go (at once, usually; a slice goes
# with its parent by PR_SET_PDEATHSIG, which the kernel delivers on its
# own time, late on a loaded machine): 0, or what is left after 120 s.
left_after_ends() {
    i=0
    while [ "$(axle_left)" -gt 0 ] && [ "$i" -lt 1200 ]; do
        i=$((i + 1))
        sleep 0.1
    done
    axle_left
}

# rank_pid RANK: the axle process mpirun started as RANK (its job process
# and slices inherit the rank's environment, but their parent has it too).
rank_of() {
    tr '\0' '\n' < "/proc/$1/environ" 2>/dev/null | sed -n 's/^OMPI_COMM_WORLD_RANK=//p'
}
rank_pid() {
    for p in /proc/[0-9]*; do
        [ "$(readlink "$p/cwd" 2>/dev/null)" = "$T_TMP" ] || continue
        [ "$(rank_of "${p#/proc/}")" = "$1" ] || continue
        parent=$(awk '{ print $4 }' "$p/stat" 2>/dev/null)
        [ -n "$parent" ] && [ -z "$(rank_of "$parent")" ] && echo "${p#/proc/}"
    done
}
