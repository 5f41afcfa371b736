"""Plots of passkey-bench results (the JSON written by `passkey-bench --json`).

    python Bench/plot.py RESULT.json [MORE.json ...] --out DIR

Writes into DIR:
  throughput.png            assertions/s and p50/p99 latency versus connections × depth (a --sweep; one line per
                            mode/batch/algorithm series found among the runs)
  latency.png               p50, p90, p99, p99.9 and max latency of every run (log scale)
  latency-distribution.png  every run's whole latency distribution, HdrHistogram style (percentile on a log scale)
Needs matplotlib (Bench/requirements.txt). Files with one run and sweeps can be mixed; runs are drawn in file order;
throughput.png uses the sweeps only (several sweep files, e.g. single and batch requests, are drawn as separate lines).
"""
import argparse
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

PERCENTILES = [("p50", "p50"), ("p90", "p90"), ("p99", "p99"), ("p99_9", "p99.9"), ("max", "max")]


def load_runs(paths):
    """Every run of every file, each with the file's shared members filled in, and a description of the set."""
    runs, docs = [], []
    for path in paths:
        with open(path) as f:
            doc = json.load(f)
        docs.append(doc)
        shared = {k: v for k, v in doc.items() if k != "runs"}
        for run in doc.get("runs") or [doc]:
            merged = dict(shared)
            merged.update(run)
            merged["from_sweep"] = doc.get("kind") == "sweep"
            runs.append(merged)
    return runs, docs


def shape(run):
    return "%dx%d" % (run["connections"], run["depth"])


def run_name(run, index):
    name = run.get("label") or "%s %s" % (shape(run), "batch %d" % run["batch"] if run["batch"] > 1 else "single")
    if run.get("mode") == "open":
        name += " @%d/s" % round(run.get("target_assertions_per_second", 0))
    return name if run.get("label") else "%d: %s" % (index + 1, name)


def series_key(run):
    mode = "open loop %d/s" % round(run["target_assertions_per_second"]) if run.get("mode") == "open" else "closed loop"
    batch = "batch %d" % run["batch"] if run["batch"] > 1 else "single requests"
    return "%s, %s, %s" % (run.get("algorithm", "?"), batch, mode)


def distinct(docs, key):
    seen = []
    for d in docs:
        v = d.get(key, "?")
        if v not in seen:
            seen.append(v)
    return "/".join(str(v) for v in seen)


def context_line(docs):
    parts = [distinct(docs, "endpoint"), "passkeyd %s" % distinct(docs, "server_version"),
             "%s credentials %s" % (distinct(docs, "credentials"), distinct(docs, "algorithm"))]
    if docs[0].get("cpus"):
        parts.append("%s CPUs shared by client and server" % distinct(docs, "cpus"))
    return ", ".join(parts)


def ms(us):
    return None if us is None else us / 1000.0


def plot_throughput(runs, docs, out):
    series = {}
    for r in runs:
        if r["from_sweep"]:
            series.setdefault(series_key(r), []).append(r)
    if not series:
        print("throughput.png: skipped (no --sweep results among the files)", file=sys.stderr)
        return None
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 7.5), sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    for key, rs in series.items():
        rs = sorted(rs, key=lambda r: (r["connections"] * r["depth"], r["connections"]))
        x = list(range(len(rs))) if len(series) == 1 else [r["connections"] * r["depth"] for r in rs]
        y = [r["assertions_per_second"] for r in rs]
        line, = top.plot(x, y, marker="o", label=key)
        for xi, yi in zip(x, y):
            top.annotate("%d" % round(yi), (xi, yi), textcoords="offset points", xytext=(0, 7), ha="center", fontsize=8)
        bottom.plot(x, [ms(r["latency_us"]["p50"]) for r in rs], marker="o", color=line.get_color(), label="p50 " + key)
        bottom.plot(x, [ms(r["latency_us"]["p99"]) for r in rs], marker="s", linestyle="--", color=line.get_color(),
                    label="p99 " + key)
    if len(series) == 1:
        rs = sorted(next(iter(series.values())), key=lambda r: (r["connections"] * r["depth"], r["connections"]))
        bottom.set_xticks(range(len(rs)))
        bottom.set_xticklabels(["%d×%d\n(%d)" % (r["connections"], r["depth"], r["connections"] * r["depth"]) for r in rs])
        bottom.set_xlabel("connections × depth (requests in flight)")
    else:
        bottom.set_xscale("log", base=2)
        bottom.xaxis.set_major_formatter(FuncFormatter(lambda v, _: "%g" % v))
        bottom.set_xlabel("requests in flight (connections × depth)")
    top.set_ylabel("assertions/s")
    top.set_ylim(bottom=0, top=max(r["assertions_per_second"] for rs in series.values() for r in rs) * 1.15)
    top.grid(True, alpha=0.3)
    top.legend(loc="lower right", fontsize=8)
    top.set_title("passkeyd throughput versus concurrency\n" + context_line(docs), fontsize=10)
    bottom.set_yscale("log")
    bottom.set_ylabel("latency, ms (log)")
    bottom.yaxis.set_major_formatter(FuncFormatter(lambda v, _: "%g" % v))
    bottom.grid(True, which="both", alpha=0.3)
    bottom.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    path = os.path.join(out, "throughput.png")
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def plot_latency(runs, docs, out):
    names = [run_name(r, i) for i, r in enumerate(runs)]
    width = 0.8 / len(PERCENTILES)
    fig, ax = plt.subplots(figsize=(max(7, 1.3 * len(runs) + 3), 5.5))
    for j, (key, label) in enumerate(PERCENTILES):
        xs = [i - 0.4 + width * (j + 0.5) for i in range(len(runs))]
        ys = [ms(r["latency_us"].get(key)) or 0 for r in runs]
        bars = ax.bar(xs, ys, width, label=label)
        for b, y in zip(bars, ys):
            if y > 0:
                ax.annotate("%.2f" % y if y < 10 else "%.0f" % y, (b.get_x() + b.get_width() / 2, y),
                            textcoords="offset points", xytext=(0, 2), ha="center", fontsize=6, rotation=90)
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: "%g" % v))
    ax.set_ylabel("latency per request, ms (log)")
    ax.set_xticks(range(len(runs)))
    ax.set_xticklabels(names, rotation=20 if len(runs) > 4 else 0, ha="right" if len(runs) > 4 else "center", fontsize=8)
    ax.grid(True, axis="y", which="both", alpha=0.3)
    ax.legend(ncol=len(PERCENTILES), fontsize=8, loc="upper left")
    top = max((ms(r["latency_us"].get("max")) or 0) for r in runs)
    if top > 0:
        ax.set_ylim(top=top * 4)
    note = "open loop: from the intended start; closed loop: from the send" \
        if any(r.get("mode") == "open" for r in runs) else "closed loop: from the send"
    ax.set_title("passkeyd latency percentiles per run (%s)\n%s" % (note, context_line(docs)), fontsize=10)
    fig.tight_layout()
    path = os.path.join(out, "latency.png")
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def plot_distribution(runs, docs, out):
    drawn = [(i, r) for i, r in enumerate(runs) if r.get("latency_distribution_us")]
    if not drawn:
        return None
    fig, ax = plt.subplots(figsize=(9, 5.5))
    cap = 1e6  # 99.9999 %
    for i, r in drawn:
        pts = r["latency_distribution_us"]
        # x = 1 / (1 - p): 50 % -> 2, 99 % -> 100, 99.9 % -> 1000 (the final 100 % point is drawn at the cap).
        xs = [min(cap, 1.0 / (1.0 - p / 100.0)) if p < 100 else cap for p, _ in pts]
        ax.plot(xs, [v / 1000.0 for _, v in pts], drawstyle="steps-post", label=run_name(r, i))
    ax.set_xscale("log")
    ticks = [1, 2, 10, 100, 1000, 10000, 100000, 1000000]
    ax.set_xticks(ticks)
    ax.set_xticklabels(["0%", "50%", "90%", "99%", "99.9%", "99.99%", "99.999%", "max"])
    ax.set_xlim(1, cap * 1.5)
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: "%g" % v))
    ax.set_xlabel("percentile")
    ax.set_ylabel("latency per request, ms (log)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, loc="lower right")
    ax.set_title("passkeyd latency distribution\n" + context_line(docs), fontsize=10)
    fig.tight_layout()
    path = os.path.join(out, "latency-distribution.png")
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("results", nargs="+", help="JSON files written by passkey-bench --json")
    ap.add_argument("--out", required=True, help="directory for the PNG files (created if missing)")
    args = ap.parse_args()
    runs, docs = load_runs(args.results)
    if not runs:
        sys.exit("no runs in " + ", ".join(args.results))
    os.makedirs(args.out, exist_ok=True)
    for path in (plot_throughput(runs, docs, args.out), plot_latency(runs, docs, args.out),
                 plot_distribution(runs, docs, args.out)):
        if path:
            print(path)


if __name__ == "__main__":
    main()
