#!/usr/bin/env python3
"""Tables for bench/README.md from heap_bench's Google Benchmark JSON.

usage: heap_report.py heap.json

Reads every repetition of every benchmark (run with --benchmark_repetitions=R and
--benchmark_out=heap.json), takes the median over repetitions, and prints Markdown:
  1. time per operation for each workload and allocator, with the ratio to ZendMM
     (< 1 is faster than ZendMM) and the spread (max-min over median) of the repetitions;
  2. the two-thread scaling of the request workload: 2 * t(1 thread) / t(2 threads), where
     each thread runs the same work (a run = 2 requests per thread) on its own heap
     (2.0 = perfect, 1.0 = no gain), from the median and from the fastest runs of each
     repetition (then the median over repetitions).
"""
import json
import statistics
import sys
from collections import defaultdict

WORKLOADS = [
    ("pairs", "alloc+free pair, 8..512 B", "ns/pair", 0.8),
    ("request", "request: 200k allocs, 60% freed, reset", "ns/alloc", 0.8),
    ("growth", "realloc growth 16 B -> 1 MiB", "ns/realloc", 1.0),
    ("churn", "churn, 1M live blocks", "ns/replace", 1.0),
]
ALLOCATORS = ["zendmm", "zmem", "glibc", "mimalloc", "pmr"]
ANCHOR = "zendmm"


def load(path):
    with open(path) as f:
        data = json.load(f)
    runs = defaultdict(list)  # run_name -> [benchmark entries]
    for b in data["benchmarks"]:
        if b.get("run_type") == "aggregate" or b.get("error_occurred"):
            continue
        runs[b["run_name"]].append(b)
    return data["context"], runs


def med(entries, key):
    return statistics.median(e[key] for e in entries)


def spread(values):
    m = statistics.median(values)
    return (max(values) - min(values)) / m if m else 0.0


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    context, runs = load(sys.argv[1])
    print(f"host {context.get('host_name')}, {context.get('num_cpus')} CPUs, "
          f"load average {context.get('load_avg')}, date {context.get('date')}")
    reps = max((len(v) for v in runs.values()), default=0)
    print(f"median of {reps} repetitions; spread = (max - min) / median over the repetitions\n")

    print("| workload | unit | " + " | ".join(ALLOCATORS) + " | zmem target |")
    print("| --- | --- | " + " | ".join("---:" for _ in ALLOCATORS) + " | --- |")
    for key, title, unit, target in WORKLOADS:
        per_op = {}
        cells = []
        for a in ALLOCATORS:
            e = runs.get(f"{key}/{a}")
            if not e:
                cells.append("n/a")
                continue
            per_op[a] = med(e, "per_op") * 1e9
        anchor = per_op.get(ANCHOR)
        for a in ALLOCATORS:
            if a not in per_op:
                continue
            e = runs[f"{key}/{a}"]
            s = spread([x["per_op"] for x in e])
            ratio = f" **{per_op[a] / anchor:.2f}x**" if anchor else ""
            cells.append(f"{per_op[a]:.1f}{ratio} ±{s * 50:.0f}%")
        verdict = ""
        if anchor and "zmem" in per_op:
            r = per_op["zmem"] / anchor
            verdict = f"<= {target} ({'met' if r <= target else 'missed'}: {r:.2f})"
        print(f"| {title} | {unit} | " + " | ".join(cells) + f" | {verdict} |")

    print("\n| allocator | 1 thread, ms per run | 2 threads, ms per run | scaling (median runs) "
          "| scaling (fastest runs) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for a in ALLOCATORS:
        e = runs.get(f"request_2t/{a}/manual_time")
        if not e:
            continue
        print(f"| {a} | {med(e, 't1_ms'):.1f} (fastest {min(x['t1_best_ms'] for x in e):.1f}) "
              f"| {med(e, 't2_ms'):.1f} (fastest {min(x['t2_best_ms'] for x in e):.1f}) "
              f"| **{med(e, 'scaling'):.2f}x** ±{spread([x['scaling'] for x in e]) * 50:.0f}% "
              f"| **{med(e, 'scaling_best'):.2f}x** ±{spread([x['scaling_best'] for x in e]) * 50:.0f}% |")

if __name__ == "__main__":
    main()
