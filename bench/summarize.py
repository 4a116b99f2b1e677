#!/usr/bin/python3
"""summarize.py - the Markdown summary of a bench/thumbs.sh results folder:
medians per tool, ratios against the anchors of the same run, issue 5's
targets met or missed, and peak memory per slice.

usage: summarize.py RESULTS_DIR   (reads raw.tsv, rss.tsv, setup.txt, scales.txt)
"""
import csv
import os
import statistics
import sys

TOOLS = ("axle", "vips", "pillow", "probe", "probe1")
NAMES = {"axle": "axle (end to end)", "vips": "vipsthumbnail", "pillow": "Pillow + draft()",
         "probe": "decode only, at axle's scale",
         "probe1": "decode only, margin 1 (Pillow's draft scale)"}


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def med(rows, key):
    v = [num(r[key]) for r in rows if num(r[key]) is not None]
    return statistics.median(v) if v else None


def load(path):
    with open(path) as f:
        return list(csv.DictReader(f, delimiter="\t"))


def cell_stats(rows):
    """Medians of one (format, size, tool) cell."""
    n = int(rows[0]["images"])
    walls = [float(r["wall"]) for r in rows]
    cpu = [(float(r["user"]) + float(r["sys"])) / n * 1000 for r in rows]
    st = {"n": n, "runs": len(rows), "wall": statistics.median(walls),
          "min": min(walls), "max": max(walls), "cpu_ms": statistics.median(cpu),
          "rss_mib": max(float(r["maxrss_kb"]) for r in rows) / 1024}
    st["rate"] = n / st["wall"]
    st["best_rate"] = n / st["min"]
    st["load"] = med(rows, "load1") if "load1" in rows[0] else None
    for step in ("import", "thumbs", "export", "shapes"):
        st[step] = med(rows, step)
    return st


def fmt(v, spec="%.2f"):
    return "–" if v is None else spec % v


def ratio_line(name, value, target=None, stretch=False):
    if value is None:
        return "| %s | – | %s | – |" % (name, target or "")
    if target is None:
        return "| %s | %.2fx | | |" % (name, value)
    verdict = "met" if value >= target else "missed by %.0f%%" % ((1 - value / target) * 100)
    return "| %s | %.2fx | %s%.2fx | %s |" % (name, value, "stretch " if stretch else "", target, verdict)


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    d = argv[1]
    rows = load(os.path.join(d, "raw.tsv"))
    out = []
    for name in ("setup.txt", "scales.txt"):
        p = os.path.join(d, name)
        if os.path.exists(p):
            out.append("```\n" + open(p).read().rstrip() + "\n```\n")
    cells = {}
    for r in rows:
        cells.setdefault((r["format"], r["size"], r["tool"]), []).append(r)
    combos = []
    for r in rows:
        if (r["format"], r["size"]) not in combos:
            combos.append((r["format"], r["size"]))
    verdicts = []
    for fmt_, size in combos:
        st = {t: cell_stats(cells[(fmt_, size, t)]) for t in TOOLS if (fmt_, size, t) in cells}
        any_ = next(iter(st.values()))
        out.append("### %s, %d images -> %s\n" % (fmt_.upper(), any_["n"], size))
        out.append("| tool | median s | min–max s | images/s (median) | images/s (best) | CPU ms/image | load before (median) | max RSS of any process, MiB |")
        out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for t in TOOLS:
            if t in st:
                s = st[t]
                out.append("| %s | %.3f | %.3f–%.3f | %.1f | %.1f | %.1f | %s | %.1f |"
                           % (NAMES[t], s["wall"], s["min"], s["max"], s["rate"], s["best_rate"],
                              s["cpu_ms"], fmt(s["load"]), s["rss_mib"]))
        a = st.get("axle")
        if a:
            parts = ", ".join("%s %s s" % (k, fmt(a[k], "%.3f")) for k in ("import", "thumbs", "export", "shapes"))
            out.append("\naxle per step (medians of seconds.total in each job.json): %s; "
                       "the rest of the wall time is axle's start-up, identities, workdir and forking the jobs." % parts)
        out.append("\n| ratio (images/s, same run) | value | target | |")
        out.append("| --- | ---: | ---: | --- |")
        key = fmt_ == "jpeg" and size == "640x338"
        r_vips = a["rate"] / st["vips"]["rate"] if a and "vips" in st else None
        r_pil = a["rate"] / st["pillow"]["rate"] if a and "pillow" in st else None
        r_stage = None
        if a and a["thumbs"] and "probe" in st:
            r_stage = (a["n"] / a["thumbs"]) / st["probe"]["rate"]
        r_e2e = a["rate"] / st["probe"]["rate"] if a and "probe" in st else None
        out.append(ratio_line("axle / vipsthumbnail", r_vips, 1.5 if key else None))
        out.append(ratio_line("axle / Pillow + draft()", r_pil, 1.2 if key else None, stretch=True))
        out.append(ratio_line("thumbnailer stage / decode only", r_stage, 0.85))
        out.append(ratio_line("axle end to end / decode only", r_e2e))
        if a and "vips" in st and "pillow" in st:
            out.append("\nBest run against best run (the least disturbed by other load): "
                       "axle/vips %.2fx, axle/Pillow %.2fx.  By CPU time per image: vips/axle %.2fx, "
                       "Pillow/axle %.2fx, axle/decode-only %.2fx.\n"
                       % (a["best_rate"] / st["vips"]["best_rate"], a["best_rate"] / st["pillow"]["best_rate"],
                          st["vips"]["cpu_ms"] / a["cpu_ms"], st["pillow"]["cpu_ms"] / a["cpu_ms"],
                          a["cpu_ms"] / st["probe"]["cpu_ms"] if "probe" in st else float("nan")))
        else:
            out.append("")
        if key:
            verdicts += [("cold end to end >= 1.5x vipsthumbnail (JPEG 640x338)", r_vips, 1.5),
                         ("stretch: >= 1.2x Pillow + draft() (JPEG 640x338)", r_pil, 1.2)]
        verdicts.append(("thumbnailer stage >= 0.85x decode only (%s %s)" % (fmt_.upper(), size), r_stage, 0.85))
    rss_path = os.path.join(d, "rss.tsv")
    if os.path.exists(rss_path) and load(rss_path):
        out.append("### Peak memory (polled by rss_watch.py; max over the processes of each kind)\n")
        out.append("| input | images | process | count | peak RSS (VmHWM) MiB | private (RssAnon) MiB | mapped files (RssFile) MiB |")
        out.append("| --- | ---: | --- | ---: | ---: | ---: | ---: |")
        worst_hwm = worst_anon = 0
        for r in load(rss_path):
            hwm, anon, file_ = (float(r[k]) / 1024 for k in ("hwm_kb", "anon_kb", "file_kb"))
            if r["process"].startswith("slices"):
                worst_hwm, worst_anon = max(worst_hwm, hwm), max(worst_anon, anon)
            out.append("| %s %s | %s | %s | %s | %.1f | %.1f | %.1f |" % (
                r["format"].upper(), r["size"], r["images"], r["process"], r["count"], hwm, anon, file_))
        out.append("")
        verdicts.append(("peak RSS of a slice < 64 MiB (VmHWM)", worst_hwm, 64.0))
        verdicts.append(("private memory of a slice < 64 MiB (RssAnon)", worst_anon, 64.0))
    out.append("### Targets of issue 5\n")
    out.append("| target | measured | |")
    out.append("| --- | ---: | --- |")
    for name, v, t in verdicts:
        if v is None:
            out.append("| %s | – | not measured |" % name)
        elif "MiB" in name:
            out.append("| %s | %.1f MiB | %s |" % (name, v, "met" if v < t else "missed (%.1fx the limit)" % (v / t)))
        else:
            out.append("| %s | %.2fx | %s |" % (name, v, "met" if v >= t else
                                                "missed by %.0f%%" % ((1 - v / t) * 100)))
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
