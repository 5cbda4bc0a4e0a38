"""How much keeping many determinations alive slows the next evaluations (the garbage collector's share).

Each scenario runs in a fresh interpreter pinned to one core: load the Benxi rule set, warm up, set
the scenario up, then time traced ``evaluate`` on the same generated cases, recording every call,
and the garbage collector's passes and time (``gc.callbacks``) while it ran. The timed
determinations are either dropped at once (a server answering requests) or kept too (a caller
collecting results, where the collector's full passes grow with all that is kept):

- ``none``: nothing retained before the timed calls;
- ``retained``: 20,000 determinations kept in a list first;
- ``retained, freeze after load``: the same, with ``gc.freeze()`` called once the rule set was loaded
  (what an application such as ``guanzhi serve`` could do at start-up);
- ``retained, freeze after keeping``: the same, with ``gc.freeze()`` called once the 20,000 were kept
  (what a caller that keeps results for long can do).

Scenarios alternate across repeats; the figure for each is the median over its repeats. The mean per
call counts collection pauses, which the median of single calls hides.

    .venv/bin/python benchmarks/retention.py            # print the section
    .venv/bin/python benchmarks/retention.py --record   # and write it into benchmarks/RESULTS.md
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import sections  # noqa: E402

HEADING = "## Keeping determinations alive (garbage collector)"
SCENARIOS = (("none", False), ("retained", False), ("none", True), ("retained", True), ("retained, freeze after load", True),
             ("retained, freeze after keeping", True))
"""(what was retained first, whether the timed determinations are kept too)."""

CHILD = r"""
import gc, json, os, statistics, sys, time
os.sched_setaffinity(0, {{{core}}})
import guanzhi_rules as g
from guanzhi_rules._population import generate
scenario, keep, n, keep_timed = {scenario!r}, {keep}, {n}, {keep_timed}
ruleset = g.load("benxi")
cases = list(generate(2000, seed=11))
for case in cases[:200]:
    ruleset.evaluate(case)
if scenario == "retained, freeze after load":
    gc.freeze()
objects = len(gc.get_objects())
kept = [ruleset.evaluate(cases[i % len(cases)]) for i in range(keep)] if scenario != "none" else []
per_determination = (len(gc.get_objects()) - objects) / keep if kept else 0
if scenario == "retained, freeze after keeping":
    gc.freeze()
passes = [0, 0, 0]
spent = [0.0]
started = [0.0]
def watch(phase, info):
    if phase == "start":
        started[0] = time.perf_counter()
    else:
        passes[info["generation"]] += 1
        spent[0] += time.perf_counter() - started[0]
gc.callbacks.append(watch)
times = []
clock = time.perf_counter
start = clock()
for i in range(n):
    t = clock()
    d = ruleset.evaluate(cases[i % len(cases)])
    if keep_timed:
        kept.append(d)
    times.append(clock() - t)
total = clock() - start
gc.callbacks.remove(watch)
print(json.dumps({{"mean": total / n * 1e6, "median": statistics.median(times) * 1e6, "passes": passes,
                  "gc_ms": spent[0] * 1e3, "objects_per_determination": per_determination, "tracked": len(gc.get_objects())}}))
"""


def scenario(name: str, *, keep: int, n: int, core: int, keep_timed: bool) -> dict[str, float]:
    """One scenario's figures, from a fresh interpreter."""
    code = CHILD.format(core=core, scenario=name, keep=keep, n=n, keep_timed=keep_timed)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # noqa: S603 - our own code
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keep", type=int, default=20_000, help="determinations kept alive")
    parser.add_argument("--calls", type=int, default=4000, help="evaluations timed per scenario")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--record", action="store_true", help="write the section into benchmarks/RESULTS.md")
    args = parser.parse_args(argv)
    core = max(os.sched_getaffinity(0))
    runs: dict[tuple[str, bool], list[dict[str, float]]] = {s: [] for s in SCENARIOS}
    for r in range(args.repeats):
        order = SCENARIOS if r % 2 == 0 else SCENARIOS[::-1]
        for name, timed in order:
            runs[name, timed].append(scenario(name, keep=args.keep, n=args.calls, core=core, keep_timed=timed))
            print(name, timed, runs[name, timed][-1], flush=True)

    def med(name: tuple[str, bool], key: str) -> float:
        return statistics.median(float(x[key]) for x in runs[name])

    now = dt.datetime.now(dt.UTC)
    lines = [
        HEADING, "",
        f"Measured {now:%Y-%m-%d %H:%M} UTC by `benchmarks/retention.py`, each scenario in a fresh interpreter pinned to core "
        f"{core}, {args.repeats} repeats alternating, {args.calls:,} traced Benxi evaluations timed per run. Machine: "
        f"{sections.machine()}; load average at the end {sections.load_average()} (the machine was shared: read the ratios).",
        "",
        "| retained first | timed determinations | mean µs per evaluation | median µs | mean against none | GC passes (gen 0/1/2) "
        "| time in GC, ms |",
        "|---|---|---:|---:|---:|---|---:|",
    ]
    for name, timed in SCENARIOS:
        base = med(("none", timed), "mean")
        passes = "/".join(str(int(statistics.median(x["passes"][g] for x in runs[name, timed]))) for g in range(3))  # type: ignore[index]
        lines.append(f"| {name} | {'kept' if timed else 'dropped'} | {med((name, timed), 'mean'):,.0f} | "
                     f"{med((name, timed), 'median'):,.0f} | {med((name, timed), 'mean') / base - 1:+.0%} | {passes} | "
                     f"{med((name, timed), 'gc_ms'):,.0f} |")
    per = med(("retained", False), "objects_per_determination")
    dropped = med(("retained", False), "mean") / med(("none", False), "mean") - 1
    kept = med(("retained", True), "mean") / med(("none", True), "mean") - 1
    met = "met" if max(dropped, kept) < 0.2 else "**not met**"
    lines += [
        "",
        f"Each determination kept holds about {per:,.0f} objects the collector tracks ({args.keep:,} of them: "
        f"{per * args.keep / 1e6:,.1f} million). Target: keeping {args.keep:,} determinations alive slows the next "
        f"evaluation by less than 20% — {met} without any freeze ({dropped:+.0%} when the next are dropped, {kept:+.0%} "
        "when they are kept too).",
        "",
        f"Keeping each new determination as well, with nothing retained before, costs "
        f"{med(('none', True), 'mean') / med(('none', False), 'mean') - 1:+.0%} against dropping it: the collector's passes over "
        f"the young survivors ({med(('none', True), 'gc_ms'):,.0f} ms of collection in {args.calls:,} evaluations). "
        "`gc.freeze()` takes what exists when it is called out of every later pass: after loading, the rule set "
        "(a small share of what is tracked); after keeping, the retained determinations.",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.record:
        sections.record(HEADING, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
