#!/bin/sh
# Two "hosts" on one machine: two network namespaces joined by a veth
# pair, each with an address only inside it, the test folder shared (it is
# the same filesystem), and an rsh agent that runs a command in the other
# namespace with a hostname of its own.  mpirun -H runs the thumbnail
# pipeline with one rank on each; the result is a local run's, byte for
# byte.  Skipped where namespaces cannot be made (not root, a container).
. "$AXLE_SRCDIR/tests/lib.sh"
. "$AXLE_SRCDIR/tests/mpi/lib_mpi.sh"

ns_a=axle-a-$$ ns_b=axle-b-$$ veth_a=axa$$ veth_b=axb$$
net=10.233.$(($$ % 200)).
ip netns add $ns_a 2>/dev/null || skip_all "ip netns is not permitted here"
cleanup() {
    ip netns del $ns_a 2>/dev/null
    ip netns del $ns_b 2>/dev/null
    rm -rf "$T_TMP"
}
trap cleanup EXIT
ip netns add $ns_b && command -v unshare >/dev/null ||
    skip_all "cannot make a second namespace, or no unshare"
ip link add $veth_a netns $ns_a type veth peer name $veth_b netns $ns_b &&
    ip -n $ns_a addr add ${net}1/24 dev $veth_a &&
    ip -n $ns_b addr add ${net}2/24 dev $veth_b &&
    ip -n $ns_a link set lo up && ip -n $ns_b link set lo up &&
    ip -n $ns_a link set $veth_a up && ip -n $ns_b link set $veth_b up ||
    skip_all "cannot join the namespaces with a veth pair"

# The rsh agent: `agent HOST COMMAND...` as ssh would run it, in the
# namespace of HOST's address, under hostname HOST-ns.
cat > agent <<AGENT
#!/bin/sh
host=\$1; shift
case "\$host" in ${net}1) ns=$ns_a ;; *) ns=$ns_b ;; esac
exec ip netns exec "\$ns" unshare --uts sh -c "hostname other-host; \$*"
AGENT
chmod +x agent

cp -r "$AXLE_SRCDIR/pipelines/samples" photos
mkdir here there
cp "$AXLE_SRCDIR/pipelines/thumbnails.yaml" here/p.yaml
cp "$AXLE_SRCDIR/pipelines/thumbnails.yaml" there/p.yaml
(cd here && "$AXLE" run p.yaml input="$T_TMP/photos" --slices 4 > out 2> err)
ok $? "the local run succeeds"

cd there
OMPI_MCA_plm_rsh_agent=$T_TMP/agent ip netns exec $ns_a "$AXLE_MPIRUN" $MPIRUN_FLAGS \
    --mca btl tcp,self --mca btl_tcp_if_include ${net}0/24 \
    --mca oob_tcp_if_include ${net}0/24 -H ${net}1,${net}2 -n 2 \
    "$AXLE" run p.yaml input="$T_TMP/photos" --slices 4 --mpi > out 2> err
ok $? "the run over two hosts succeeds"
sed 's/^/# /' err | head -20
is "$(grep -c ' built ' out)" 4 "and builds the four jobs"
cd ..
is "$(ls there/axle-work/index)" "$(ls here/axle-work/index)" "the same job identities"
diff -r -x job.json -x summary.json -x manifest.txt -x runs.jsonl here/axle-work there/axle-work > diffs 2>&1
ok $? "datasets, exported files and results are byte for byte the same"
sed 's/^/# /' diffs | head -20

# Which host forked which slice: slices 1 and 3 are rank 1's.
cat > ranks.yaml <<YAML
workdir: wd
slices: 4
jobs:
  ranks:
    method: test_ranks
    options: {ready: $T_TMP/ready}
YAML
OMPI_MCA_plm_rsh_agent=$T_TMP/agent ip netns exec $ns_a "$AXLE_MPIRUN" $MPIRUN_FLAGS \
    --mca btl tcp,self --mca btl_tcp_if_include ${net}0/24 \
    --mca oob_tcp_if_include ${net}0/24 -H ${net}1,${net}2 -n 2 \
    "$AXLE" run ranks.yaml --mpi > out 2> err
ok $? "a job that notes its hosts runs over the two"
is "$(sort ready | awk '{ printf "%s ", ($4 == "other-host") }')" "0 1 0 1 " \
    "slices 1 and 3 ran on the other host"
done_testing
