#!/usr/bin/python3
"""rss_watch.py - run a command and report the peak memory of every
process in its tree: depth below the command, and which job it worked for.

For `axle run`, depth 0 is axle itself, depth 1 a job process (one per
job: prepare and synthesis run there) and depth 2 a slice (analysis).
A process's label is the highest-numbered folder name like `axle-work-12`
among the files it has open (a slice has its job's dataset files open,
and its inputs are older jobs), so slices can be told apart by job.

Three figures per process, polled from /proc/PID/status every few ms:
  hwm   VmHWM, the kernel's own peak of the resident set (what `top`
        shows as RES at its highest); it only grows, so the last value
        polled is the peak up to the last poll;
  anon  the largest RssAnon polled: private memory (heap, buffers);
  file  the largest RssFile polled: pages of mapped files (a mapped
        dataset column counts here once touched; the kernel can drop
        them at any time, but they are part of RSS).
(/usr/bin/time's "Maximum resident set size" is the hwm of the largest
process of the whole tree, without saying which.)

usage: rss_watch.py [--interval SECONDS] [--json FILE] -- COMMAND...
"""
import json
import os
import re
import subprocess
import sys
import time

LABEL = re.compile(r"/([A-Za-z0-9_.]+(?:-[A-Za-z0-9_.]+)*-[0-9]+)/")


def parents_map():
    """pid -> parent pid of every process."""
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
        parents[int(name)] = int(stat[stat.rfind(")") + 2:].split()[1])
    return parents


def memory_kb(pid):
    out = {}
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                key = line.split(":", 1)[0]
                if key in ("VmHWM", "RssAnon", "RssFile"):
                    out[key] = int(line.split()[1])
    except OSError:
        return None
    return out if len(out) == 3 else None


def label_of(pid):
    """The job folder with the highest number among the open files: a
    slice may also hold its inputs open, and inputs are older jobs."""
    try:
        fds = os.listdir("/proc/%d/fd" % pid)
    except OSError:
        return None
    best = None
    for fd in fds:
        try:
            m = LABEL.search(os.readlink("/proc/%d/fd/%s" % (pid, fd)))
        except OSError:
            continue
        if m and (best is None or int(m.group(1).rsplit("-", 1)[1]) > int(best.rsplit("-", 1)[1])):
            best = m.group(1)
    return best


def depth_of(pid, root, parents):
    d = 0
    while pid != root:
        pid = parents.get(pid)
        if pid is None or pid <= 1:
            return None
        d += 1
    return d


def usage():
    print(__doc__, file=sys.stderr)
    return 2


def main(argv):
    interval, out = 0.005, None
    while argv and argv[0] != "--":
        if argv[0] == "--interval" and len(argv) > 1:
            interval, argv = float(argv[1]), argv[2:]
        elif argv[0] == "--json" and len(argv) > 1:
            out, argv = argv[1], argv[2:]
        else:
            return usage()
    cmd = argv[1:]
    if not cmd:
        return usage()
    proc = subprocess.Popen(cmd)
    seen = {}   # pid -> record
    while proc.poll() is None:
        parents = parents_map()
        for pid in parents:
            d = depth_of(pid, proc.pid, parents)
            if d is None:
                continue
            mem = memory_kb(pid)
            if mem is None:
                continue
            r = seen.setdefault(pid, {"pid": pid, "ppid": parents[pid], "depth": d, "label": None,
                                      "hwm_kb": 0, "anon_kb": 0, "file_kb": 0})
            r["hwm_kb"] = max(r["hwm_kb"], mem["VmHWM"])
            r["anon_kb"] = max(r["anon_kb"], mem["RssAnon"])
            r["file_kb"] = max(r["file_kb"], mem["RssFile"])
            if r["label"] is None and d > 0:
                r["label"] = label_of(pid)
        time.sleep(interval)
    # A slice that ended before its files were seen: label it by a sibling.
    by_parent = {}
    for r in seen.values():
        if r["label"]:
            by_parent.setdefault(r["ppid"], r["label"])
    for r in seen.values():
        if r["label"] is None and r["depth"] > 1:
            r["label"] = by_parent.get(r["ppid"])
    procs = sorted(seen.values(), key=lambda r: (r["depth"], r["pid"]))
    for d in sorted({r["depth"] for r in procs}):
        rs = [r for r in procs if r["depth"] == d]
        print("depth %d: %d processes, peak VmHWM %.1f MiB, RssAnon %.1f MiB, RssFile %.1f MiB"
              % (d, len(rs), max(r["hwm_kb"] for r in rs) / 1024,
                 max(r["anon_kb"] for r in rs) / 1024, max(r["file_kb"] for r in rs) / 1024),
              file=sys.stderr)
    if out:
        with open(out, "w") as f:
            json.dump({"processes": procs}, f, indent=1)
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
