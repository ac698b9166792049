#!/usr/bin/env python3
"""Toy's own thread figures, which have no CPython counterpart to divide by:

    python3 bench/threads.py [--runs N] [--no-build]

- GIL switching overhead: bench/threads_cpu.toy with 2 threads against 1 thread doing the
  same total work, both under the GIL (target: within 10%, i.e. a ratio below 1.10);
- the GIL hand-offs of the 2-thread run (from `--gil-stats`): how many, and the time from
  each grant to the new holder running, in which no thread runs toy code: the switching cost
  proper, which the wall-clock ratio adds the machine's effects to;
- CPython 3.11's own ratio for the same program (it is valid Python), for reference: what
  this machine does to two threads taking turns on its two cores;
- no-GIL scaling: the same 2-thread program under the GIL against --no-gil (target: at least
  1.8x faster without the GIL on a 2-core machine).

Prints a Markdown table of medians. Run it on an otherwise idle machine: the figures measure
how threads share the cores.
"""

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import time

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH_DIR)


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd):
    """Wall time and CPU time (user + system, all threads) of one run of `cmd`."""
    cpu_before = children_cpu()
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=BENCH_DIR, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    cpu = children_cpu() - cpu_before
    if proc.returncode != 0:
        sys.exit(f"threads.py: {' '.join(cmd)} failed:\n{proc.stderr}")
    return (elapsed, cpu), proc.stdout, proc.stderr


def run_round_robin(cmds, runs):
    """Run each command `runs` times, round-robin, so that a change in the machine's load
    (this VM is shared) touches every figure alike rather than whichever ran during it.
    Returns, per command, the list of (wall, cpu, stderr) of its runs and its output."""
    samples = [[] for _ in cmds]
    outputs = [set() for _ in cmds]
    for _ in range(runs):
        for i, cmd in enumerate(cmds):
            timing, out, err = timed(cmd)
            samples[i].append(timing + (err,))
            outputs[i].add(out)
    for cmd, outs in zip(cmds, outputs):
        if len(outs) != 1:
            sys.exit(f"threads.py: output changed between runs of {' '.join(cmd)}: {outs}")
    return [(s, outs.pop()) for s, outs in zip(samples, outputs)]


def median_ratio(numerators, denominators):
    """The median of the ratios of runs made in the same round: runs seconds apart share the
    machine's mood (this VM's speed drifts by a third over minutes), runs far apart do not."""
    return statistics.median(n / d for n, d in zip(numerators, denominators))


def handoff_figures(stderr):
    """(grants, milliseconds) from the `hand-offs:` line of a `--gil-stats` report."""
    m = re.search(r"hand-offs: (\d+) grants, ([\d.]+) ms", stderr)
    if not m:
        sys.exit(f"threads.py: no hand-off figures in the --gil-stats report:\n{stderr}")
    return int(m.group(1)), float(m.group(2))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args()
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release"], cwd=ROOT, check=True)
    toy = os.path.join(ROOT, "target", "release", "toy")
    prog = "threads_cpu.toy"
    configs = {
        "one": [toy, prog, "1"],
        "two": [toy, "--gil-stats", prog, "2"],
        "free": [toy, "--no-gil", prog, "2"],
        "py_one": [sys.executable, prog, "1"],
        "py_two": [sys.executable, prog, "2"],
    }
    results = dict(zip(configs, run_round_robin(list(configs.values()), args.runs)))
    outs = {name: out for name, (_, out) in results.items()}
    if len(set(outs.values())) != 1:
        sys.exit(f"threads.py: results differ: {outs}")
    wall = {name: [w for w, _, _ in runs] for name, (runs, _) in results.items()}
    cpu = {name: [c for _, c, _ in runs] for name, (runs, _) in results.items()}
    handoffs = [handoff_figures(err) for _, _, err in results["two"][0]]
    med = statistics.median
    print(f"toy: `{toy}`, {args.runs} rounds; times are medians, ratios medians of per-round ratios\n")
    print("| figure | wall (s) | CPU (s) | ratio | target |")
    print("|---|---:|---:|---:|---|")
    print(f"| 1 thread, GIL | {med(wall['one']):.3f} | {med(cpu['one']):.3f} | | |")
    print(
        f"| 2 threads, GIL (switching overhead) | {med(wall['two']):.3f} | {med(cpu['two']):.3f} "
        f"| {median_ratio(wall['two'], wall['one']):.2f} | below 1.10 |"
    )
    grants = med(g for g, _ in handoffs)
    share = median_ratio([ms / 1e3 for _, ms in handoffs], wall["two"])
    print(
        f"| of which GIL hand-offs ({grants:.0f} grants) | {med(ms for _, ms in handoffs) / 1e3:.4f} "
        f"| | {share:.2%} of wall | |"
    )
    print(
        f"| CPython 3.11, 1 thread / 2 threads (reference) | {med(wall['py_one']):.3f} / "
        f"{med(wall['py_two']):.3f} | | {median_ratio(wall['py_two'], wall['py_one']):.2f} | |"
    )
    print(
        f"| 2 threads, --no-gil (scaling) | {med(wall['free']):.3f} | {med(cpu['free']):.3f} "
        f"| {median_ratio(wall['two'], wall['free']):.2f}x faster | at least 1.8x |"
    )
    print(
        "\nCPU time is user + system time of all threads. Under the GIL the thread next in line "
        "spins on the other core while it waits (a parked thread takes a VM tens to hundreds of "
        "microseconds to wake), so the CPU time of 2 threads is about twice their wall time."
    )


if __name__ == "__main__":
    main()
