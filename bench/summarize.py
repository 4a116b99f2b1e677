#!/usr/bin/python3
"""summarize.py - the Markdown summary of a bench/thumbs.sh results folder:
medians per tool, ratios against the anchors of the same run, the
targets of issues 5 and 12 met or missed, and peak memory per slice.

usage: summarize.py RESULTS_DIR   (reads raw.tsv, rss.tsv, setup.txt, scales.txt)
"""
import csv
import os
import statistics
import sys

TOOLS = ("axle", "axlefast", "vips", "pillow", "probe", "probe1", "cp")
NAMES = {"axle": "axle (end to end)", "axlefast": "axle, quality: fast (end to end)",
         "vips": "vipsthumbnail", "pillow": "Pillow + draft()",
         "probe": "decode only, at axle's scale",
         "probe1": "decode only, margin 1 (Pillow's draft scale)",
         "cp": "cp of the files (anchor for import)"}


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


def verdict(value, target):
    if value is None or target is None:
        return "–"
    return "met" if value >= target else "missed by %.0f%%" % ((1 - value / target) * 100)


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
        key = fmt_ == "jpeg" and size == "640x338"
        prog = fmt_ == "progressive" and size == "640x338"
        out.append("\n| ratio (same run) | median/median | best/best | CPU time | target | verdict (median; best) |")
        out.append("| --- | ---: | ---: | ---: | ---: | --- |")

        def ratio(name, num_key, den, target=None, stretch=False, cpu=None):
            """num_key: a stats dict of the numerator; den: the denominator's."""
            if not num_key or not den:
                out.append("| %s | – | – | – | %s | – |" % (name, "%.2fx" % target if target else ""))
                return None, None
            med_ = num_key["rate"] / den["rate"]
            best = num_key["best_rate"] / den["best_rate"]
            tgt = ("stretch " if stretch else "") + "%.2fx" % target if target else ""
            out.append("| %s | %.2fx | %.2fx | %s | %s | %s |" % (
                name, med_, best, "%.2fx" % cpu if cpu else "–", tgt,
                "%s; %s" % (verdict(med_, target), verdict(best, target)) if target else ""))
            return med_, best

        def cpu_ratio(other):
            return st[other]["cpu_ms"] / a["cpu_ms"] if a and other in st else None

        stage = None
        if a and a["thumbs"]:
            # The thumbnailer stage as its own "tool": images / seconds.total.
            secs = [num(r["thumbs"]) for r in cells[(fmt_, size, "axle")] if num(r["thumbs"])]
            stage = {"rate": a["n"] / statistics.median(secs), "best_rate": a["n"] / min(secs)}
        r_vips = ratio("axle / vipsthumbnail", a, st.get("vips"), 1.7 if key else None, cpu=cpu_ratio("vips"))
        r_pil = ratio("axle / Pillow + draft()", a, st.get("pillow"),
                      1.2 if key else 3.0 if prog else None, cpu=cpu_ratio("pillow"))
        r_fast = ratio("axle quality: fast / Pillow + draft()", st.get("axlefast"), st.get("pillow"),
                       1.35 if key else None)
        r_stage = ratio("thumbnailer stage / decode only", stage, st.get("probe"))
        r_floor = ratio("axle end to end / decode only", a, st.get("probe"), 0.85 if key else None,
                        cpu=cpu_ratio("probe"))
        ratio("axle end to end / decode only at margin 1", a, st.get("probe1"), cpu=cpu_ratio("probe1"))
        if a and a["import"] and "cp" in st:
            out.append("\nimport step %.3f s vs cp of the same files %.3f s (medians): %.2fx the time of cp."
                       % (a["import"], st["cp"]["wall"], a["import"] / st["cp"]["wall"]))
        out.append("\nCPU time column: the other's CPU seconds per image over axle's (whole run, "
                   "all steps); above 1 means axle spends less CPU per image.\n")
        if key:
            verdicts += [("cold end to end >= 1.2x Pillow + draft() (JPEG 640x338)", r_pil, 1.2),
                         ("cold end to end >= 1.7x vipsthumbnail (JPEG 640x338)", r_vips, 1.7),
                         ("cold end to end >= 0.85x decode only at axle's scale (JPEG 640x338)",
                          r_floor, 0.85),
                         ("quality: fast >= 1.35x Pillow + draft() (JPEG 640x338)", r_fast, 1.35)]
        if prog:
            verdicts.append(("progressive: >= 3x Pillow + draft() (progressive JPEG 640x338)",
                             r_pil, 3.0))
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
    out.append("### Targets of issues 5 and 12\n")
    out.append("| target | measured (median; best) | verdict (median; best) |")
    out.append("| --- | ---: | --- |")
    for name, v, t in verdicts:
        if v is None or v == (None, None):
            out.append("| %s | – | not measured |" % name)
        elif "MiB" in name:
            out.append("| %s | %.1f MiB | %s |" % (name, v, "met" if v < t else "missed (%.1fx the limit)" % (v / t)))
        else:
            out.append("| %s | %.2fx; %.2fx | %s; %s |" % (name, v[0], v[1], verdict(v[0], t), verdict(v[1], t)))
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
