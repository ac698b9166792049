#!/usr/bin/env python3
"""Toy's own thread figures, which have no CPython counterpart to divide by:

    python3 bench/threads.py [--runs N] [--no-build]

- GIL switching overhead: bench/threads_cpu.toy with 2 threads against 1 thread doing the
  same total work, both under the GIL (target: within 10%, i.e. a ratio below 1.10);
- no-GIL scaling: the same 2-thread program under the GIL against --no-gil (target: at least
  1.8x faster without the GIL on a 2-core machine).

Prints a Markdown table of medians. Run it on an otherwise idle machine: the figures measure
how threads share the cores.
"""

import argparse
import os
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
    return (elapsed, cpu), proc.stdout


def run_round_robin(cmds, runs):
    """Run each command `runs` times, round-robin, so that a change in the machine's load
    (this VM is shared) touches every figure alike rather than whichever ran during it.
    Returns, per command, the list of (wall, cpu) of its runs and its output."""
    samples = [[] for _ in cmds]
    outputs = [set() for _ in cmds]
    for _ in range(runs):
        for i, cmd in enumerate(cmds):
            timing, out = timed(cmd)
            samples[i].append(timing)
            outputs[i].add(out)
    for cmd, outs in zip(cmds, outputs):
        if len(outs) != 1:
            sys.exit(f"threads.py: output changed between runs of {' '.join(cmd)}: {outs}")
    return [(s, outs.pop()) for s, outs in zip(samples, outputs)]


def median_ratio(numerators, denominators):
    """The median of the ratios of runs made in the same round: runs seconds apart share the
    machine's mood (this VM's speed drifts by a third over minutes), runs far apart do not."""
    return statistics.median(n / d for n, d in zip(numerators, denominators))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args()
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release"], cwd=ROOT, check=True)
    toy = os.path.join(ROOT, "target", "release", "toy")
    prog = "threads_cpu.toy"
    (one, out1), (two, out2), (free, out3) = run_round_robin(
        [[toy, prog, "1"], [toy, prog, "2"], [toy, "--no-gil", prog, "2"]], args.runs
    )
    if not (out1 == out2 == out3):
        sys.exit(f"threads.py: results differ: {out1!r} {out2!r} {out3!r}")
    wall = {name: [w for w, _ in runs] for name, runs in (("one", one), ("two", two), ("free", free))}
    cpu = {name: [c for _, c in runs] for name, runs in (("one", one), ("two", two), ("free", free))}
    med = statistics.median
    print(f"toy: `{toy}`, {args.runs} rounds; times are medians, ratios medians of per-round ratios\n")
    print("| figure | wall (s) | CPU (s) | ratio | target |")
    print("|---|---:|---:|---:|---|")
    print(f"| 1 thread, GIL | {med(wall['one']):.3f} | {med(cpu['one']):.3f} | | |")
    print(
        f"| 2 threads, GIL (switching overhead) | {med(wall['two']):.3f} | {med(cpu['two']):.3f} "
        f"| {median_ratio(wall['two'], wall['one']):.2f} | below 1.10 |"
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
