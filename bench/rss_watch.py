#!/usr/bin/python3
"""rss_watch.py - run a command and report the peak resident memory of
every process in its tree, grouped by depth below the command.

For `axle run`, depth 0 is axle itself, depth 1 a job process (one per
job: prepare and synthesis run there) and depth 2 a slice (analysis).
The kernel keeps each process's peak in VmHWM (/proc/PID/status), which
only grows, so polling every few milliseconds and keeping the last value
seen gives the peak up to the last poll before the process exits; slices
reach their peak on their first images, long before they exit.
(/usr/bin/time's "Maximum resident set size" is the largest process of
the whole tree, without saying which one; this says which.)

usage: rss_watch.py [--interval SECONDS] [--json FILE] -- COMMAND...
prints to stderr: depth D: N processes, peak VmHWM max X MiB (median Y)
"""
import json
import os
import subprocess
import sys
import time


def children_map():
    """pid -> parent pid, for every process we may look at."""
    parents = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name) as f:
                stat = f.read()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: split after it.
        fields = stat[stat.rfind(")") + 2:].split()
        parents[int(name)] = int(fields[1])
    return parents


def hwm_kb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def depth_of(pid, root, parents):
    d = 0
    while pid != root:
        pid = parents.get(pid)
        if pid is None or pid <= 1:
            return None
        d += 1
    return d


def main(argv):
    interval, out = 0.005, None
    while argv and argv[0] != "--":
        if argv[0] == "--interval":
            interval = float(argv[1])
            argv = argv[2:]
        elif argv[0] == "--json":
            out = argv[1]
            argv = argv[2:]
        else:
            print(__doc__, file=sys.stderr)
            return 2
    cmd = argv[1:]
    if not cmd:
        print(__doc__, file=sys.stderr)
        return 2
    proc = subprocess.Popen(cmd)
    peak = {}   # pid -> (depth, kB)
    while proc.poll() is None:
        parents = children_map()
        for pid in parents:
            d = depth_of(pid, proc.pid, parents)
            if d is None:
                continue
            kb = hwm_kb(pid)
            if kb is not None:
                peak[pid] = (d, max(kb, peak.get(pid, (d, 0))[1]))
        time.sleep(interval)
    by_depth = {}
    for d, kb in peak.values():
        by_depth.setdefault(d, []).append(kb)
    summary = {}
    for d in sorted(by_depth):
        v = sorted(by_depth[d])
        summary[d] = {"processes": len(v), "max_kb": v[-1], "median_kb": v[len(v) // 2]}
        print("depth %d: %d processes, peak VmHWM max %.1f MiB (median %.1f MiB)"
              % (d, len(v), v[-1] / 1024, v[len(v) // 2] / 1024), file=sys.stderr)
    if out:
        with open(out, "w") as f:
            json.dump(summary, f)
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
