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
import statistics
import subprocess
import sys
import time

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH_DIR)


def timed(cmd):
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=BENCH_DIR, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"threads.py: {' '.join(cmd)} failed:\n{proc.stderr}")
    return elapsed, proc.stdout


def medians_of(cmds, runs):
    """Run each command `runs` times, round-robin, so that a change in the machine's load
    (this VM is shared) touches every figure alike rather than whichever ran during it."""
    times = [[] for _ in cmds]
    outputs = [set() for _ in cmds]
    for _ in range(runs):
        for i, cmd in enumerate(cmds):
            t, out = timed(cmd)
            times[i].append(t)
            outputs[i].add(out)
    results = []
    for cmd, ts, outs in zip(cmds, times, outputs):
        if len(outs) != 1:
            sys.exit(f"threads.py: output changed between runs of {' '.join(cmd)}: {outs}")
        results.append((statistics.median(ts), outs.pop()))
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args()
    if not args.no_build:
        subprocess.run(["cargo", "build", "--release"], cwd=ROOT, check=True)
    toy = os.path.join(ROOT, "target", "release", "toy")
    prog = "threads_cpu.toy"
    (one, out1), (two, out2), (free, out3) = medians_of(
        [[toy, prog, "1"], [toy, prog, "2"], [toy, "--no-gil", prog, "2"]], args.runs
    )
    if not (out1 == out2 == out3):
        sys.exit(f"threads.py: results differ: {out1!r} {out2!r} {out3!r}")
    print(f"toy: `{toy}`, median of {args.runs} runs\n")
    print("| figure | time (s) | ratio | target |")
    print("|---|---:|---:|---|")
    print(f"| 1 thread, GIL | {one:.3f} | | |")
    print(f"| 2 threads, GIL (switching overhead) | {two:.3f} | {two / one:.2f} | below 1.10 |")
    print(f"| 2 threads, --no-gil (scaling) | {free:.3f} | {two / free:.2f}x faster | at least 1.8x |")


if __name__ == "__main__":
    main()
