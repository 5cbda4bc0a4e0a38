"""Before → after, side by side: the traced path of two source trees on the same cases, interleaved.

Each tree runs in its own worker process (both pinned to the same core, so they never run at once);
the driver hands them the same blocks of generated cases in turn, alternating which goes first. Before
timing, the two must agree byte for byte on ``to_json()`` of every case under every rule set.

    .venv/bin/python benchmarks/ab.py BEFORE_SRC AFTER_SRC [--cases 2000] [--core 1] [--clock cpu]

``BEFORE_SRC`` and ``AFTER_SRC`` are ``src`` directories (say, of a worktree of ``main`` and of this
branch). Prints median µs of traced ``evaluate`` and of ``evaluate`` + ``to_json()`` per rule set, and
the ratios. Timings are only meaningful read as ratios on a loaded machine; there ``--clock cpu``
(each call's CPU time, not wall time) leaves out the time the worker waited for the core.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

WORKER = r"""
import hashlib, json, os, sys, time
os.sched_setaffinity(0, {int(sys.argv[3])})
import guanzhi_rules as g
from guanzhi_rules._population import generate
rulesets = g.load_all()
n, seed = int(sys.argv[1]), int(sys.argv[2])
cases = [*generate(n // 2, seed=seed), *generate(n - n // 2, seed=seed + 1, known=0.9)]
for line in sys.stdin:
    verb, *args = line.split()
    if verb == "check":
        out = {key: hashlib.sha256("".join(r.evaluate(c).to_json() for c in cases).encode()).hexdigest()
               for key, r in rulesets.items()}
    else:  # time KEY START STOP
        r, chosen = rulesets[args[0]], cases[int(args[1]):int(args[2])]
        clock = time.thread_time if sys.argv[4] == "cpu" else time.perf_counter
        evaluate, written, spaces = [], [], []
        for c in chosen:
            start = clock()
            d = r.evaluate(c)
            mid = clock()
            d.to_json()
            end = clock()
            evaluate.append((mid - start) * 1e6)
            written.append((end - start) * 1e6)
            spaces.append(d.decision_space is not None)
        out = {"evaluate": evaluate, "written": written, "spaces": spaces}
    print(json.dumps(out), flush=True)
"""

KEYS = ("jiangsu", "yangjiang", "benxi", "yueyang", "zhejiang")


def _worker(src: str, n: int, seed: int, core: int, clock: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": src}
    return subprocess.Popen(  # noqa: S603 - our own interpreter on our own script
        [sys.executable, "-c", WORKER, str(n), str(seed), str(core), clock],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)


def _ask(worker: subprocess.Popen[str], line: str) -> dict[str, object]:
    assert worker.stdin is not None and worker.stdout is not None
    worker.stdin.write(line + "\n")
    worker.stdin.flush()
    return json.loads(worker.stdout.readline())  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--block", type=int, default=100)
    parser.add_argument("--core", type=int, default=1)
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                        help="cpu: the worker thread's CPU time, not wall time (less disturbed by other work on the core)")
    args = parser.parse_args()
    trees = (("before", args.before), ("after", args.after))
    workers = {name: _worker(str(src), args.cases, args.seed, args.core, args.clock) for name, src in trees}
    checks = {name: _ask(w, "check") for name, w in workers.items()}
    agree = checks["before"] == checks["after"]
    print(f"to_json() byte-identical on {args.cases} cases × {len(KEYS)} rule sets: {agree}")
    if not agree:
        print({k: checks["before"][k] == checks["after"][k] for k in KEYS})
        sys.exit(1)
    times: dict[tuple[str, str, str], list[float]] = {}
    opened: dict[str, int] = {}
    for key in KEYS:
        for i, start in enumerate(range(0, args.cases, args.block)):
            order = ("before", "after") if i % 2 == 0 else ("after", "before")
            for name in order:
                got = _ask(workers[name], f"time {key} {start} {start + args.block}")
                for what in ("evaluate", "written"):
                    times.setdefault((key, name, what), []).extend(got[what])  # type: ignore[arg-type]
                plain = [t for t, space in zip(got["written"], got["spaces"], strict=True) if not space]  # type: ignore[call-overload]
                times.setdefault((key, name, "plain"), []).extend(plain)
                if name == "after":
                    opened[key] = opened.get(key, 0) + sum(got["spaces"])  # type: ignore[arg-type]
    for w in workers.values():
        assert w.stdin is not None
        w.stdin.close()
        w.wait()
    print("Median µs; ratio: before / after. *No space*: the cases whose determination opens no decision space")
    print("(writing a decision space out builds it: a decision per combination of open judgement points).")
    print()
    print("| Rule set | cases opening a space | evaluate: before | after | ratio | evaluate + to_json(): before | after | ratio "
          "| no space: before | after | ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for key in KEYS:
        cells = [f"{opened.get(key, 0)} of {args.cases}"]
        for what in ("evaluate", "written", "plain"):
            before, after = (statistics.median(times[key, name, what]) for name in ("before", "after"))
            cells += [f"{before:,.0f}", f"{after:,.0f}", f"{before / after:.1f}×"]
        print(f"| {key} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
