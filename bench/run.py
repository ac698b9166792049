#!/usr/bin/env python3
"""Time toy against CPython on the benchmark programs in this folder.

    python3 bench/run.py                  build toy (release), run every bench/*.toy 5 times
    python3 bench/run.py fib loop         only these programs (name, name.toy or a path)
    python3 bench/run.py --runs 10 --no-build --toy target/release/toy

Each program is run N times under toy and under python3; both must print the same output.
Prints a Markdown table of medians and the ratio toy/python (below 1.0: toy is faster), plus a
startup row (`-c pass`, 20 runs). Exits non-zero if a toy run fails or the outputs differ.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH_DIR)
STARTUP_RUNS = 20


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("programs", nargs="*", help="programs to run (default: all bench/*.toy)")
    parser.add_argument("--runs", type=int, default=5, help="runs per program (default 5)")
    parser.add_argument("--no-build", action="store_true", help="do not run cargo build --release")
    parser.add_argument("--toy", help="toy binary to time (default target/release/toy)")
    parser.add_argument("--python", default="python3", help="python to compare with (default python3)")
    parser.add_argument("--gevent-python", help="python with gevent installed, for programs "
                        "marked `# needs: gevent` (skipped without it)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds before a run is killed")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def find_programs(names):
    if not names:
        return sorted(
            os.path.join(BENCH_DIR, f) for f in os.listdir(BENCH_DIR) if f.endswith(".toy")
        )
    programs = []
    for name in names:
        candidates = [name, os.path.join(BENCH_DIR, name), os.path.join(BENCH_DIR, name + ".toy")]
        found = next((c for c in candidates if c.endswith(".toy") and os.path.isfile(c)), None)
        if found is None:
            sys.exit(f"run.py: no benchmark program {name!r} in {BENCH_DIR}")
        programs.append(os.path.abspath(found))
    return programs


def resolve(exe):
    """An executable named by path or found on PATH, as an absolute path."""
    if os.sep in exe:
        path = os.path.abspath(exe)
        return path if os.access(path, os.X_OK) else None
    return shutil.which(exe)


def timed_run(cmd, cwd, timeout):
    """Run cmd once; return (seconds, stdout, stderr, exit code or error text)."""
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            cmd, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return time.perf_counter() - start, "", "", f"timed out after {timeout:.0f} s"
    elapsed = time.perf_counter() - start
    out = proc.stdout.decode("utf-8", "replace")
    err = proc.stderr.decode("utf-8", "replace")
    return elapsed, out, err, proc.returncode


class Result:
    def __init__(self):
        self.times = []
        self.output = None
        self.failure = None

    def median(self):
        return None if self.failure or not self.times else statistics.median(self.times)


def bench_pair(name, toy_cmd, py_cmd, runs, cwd, timeout):
    """Run toy and python `runs` times each, alternating so that a change in machine load
    hits both alike. Returns {"toy": Result, "python3": Result}."""
    results = {"toy": Result(), "python3": Result()}
    for _ in range(runs):
        for label, cmd in (("toy", toy_cmd), ("python3", py_cmd)):
            result = results[label]
            if result.failure:
                continue
            elapsed, out, err, code = timed_run(cmd, cwd, timeout)
            if code != 0:
                detail = err.strip().splitlines()[-5:] or ["(no stderr)"]
                result.failure = f"{label} {name}: exit {code}\n    " + "\n    ".join(detail)
            elif result.output is not None and out != result.output:
                result.failure = (
                    f"{label} {name}: output changed between runs: {result.output!r} then {out!r}"
                )
            else:
                result.output = out
                result.times.append(elapsed)
    return results


def fmt_time(t):
    return "—" if t is None else f"{t:.3f}"


def fmt_ratio(toy, py):
    return "—" if toy is None or py is None or py == 0 else f"{toy / py:.2f}"


def build():
    print("building toy: cargo build --release", file=sys.stderr, flush=True)
    result = subprocess.run(["cargo", "build", "--release"], cwd=ROOT)
    if result.returncode != 0:
        sys.exit("run.py: cargo build --release failed")


def needs_gevent(path):
    """A program marked `# needs: gevent` runs only under a python that has gevent."""
    with open(path, encoding="utf-8") as f:
        return any(line.strip() == "# needs: gevent" for line in f.readlines()[:5])


def main():
    args = parse_args()
    programs = find_programs(args.programs)
    if not args.no_build and args.toy is None:
        build()
    toy = resolve(args.toy or os.path.join(ROOT, "target", "release", "toy"))
    python = resolve(args.python)
    if toy is None:
        sys.exit(f"run.py: toy binary not found: {args.toy or 'target/release/toy'}")
    if python is None:
        sys.exit(f"run.py: {args.python} not found")

    rows = []
    failures = []
    mismatches = []
    gevent_python = resolve(args.gevent_python) if args.gevent_python else None
    jobs = []
    for p in programs:
        py = python
        if needs_gevent(p):
            if gevent_python is None:
                print(f"skipping {os.path.basename(p)}: needs --gevent-python", file=sys.stderr)
                continue
            py = gevent_python
        jobs.append((os.path.basename(p), os.path.dirname(p), [os.path.basename(p)], args.runs, py))
    jobs.append(("startup (`-c pass`)", ROOT, ["-c", "pass"], STARTUP_RUNS, python))
    for name, cwd, argv, runs, py in jobs:
        print(f"running {name} ({runs} runs each)...", file=sys.stderr, flush=True)
        results = bench_pair(name, [toy] + argv, [py] + argv, runs, cwd, args.timeout)
        toy_r, py_r = results["toy"], results["python3"]
        notes = []
        if toy_r.failure:
            failures.append(toy_r.failure)
            notes.append("**TOY FAILED**")
        if py_r.failure:
            failures.append(py_r.failure)
            notes.append("**PYTHON FAILED**")
        if not notes and toy_r.output != py_r.output:
            mismatches.append(f"{name}: toy printed {toy_r.output!r}, python3 printed {py_r.output!r}")
            notes.append("**OUTPUT MISMATCH**")
        rows.append((name, toy_r.median(), py_r.median(), " ".join(notes)))

    print()
    print(f"toy: `{toy}`, python: `{python}`, median of {args.runs} runs "
          f"(startup: {STARTUP_RUNS})")
    print()
    print("| program | toy median (s) | python3 median (s) | ratio toy/python |")
    print("|---|---:|---:|---:|")
    for name, toy_t, py_t, note in rows:
        ratio = fmt_ratio(toy_t, py_t)
        if note:
            ratio = f"{ratio} {note}"
        print(f"| {name} | {fmt_time(toy_t)} | {fmt_time(py_t)} | {ratio} |")

    for mismatch in mismatches:
        print(f"\nOUTPUT MISMATCH: {mismatch}", file=sys.stderr)
    for failure in failures:
        print(f"\nFAILED: {failure}", file=sys.stderr)
    if failures or mismatches:
        sys.exit(1)


if __name__ == "__main__":
    main()
