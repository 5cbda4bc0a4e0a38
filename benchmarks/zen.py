"""This engine against GoRules ZEN (``zen-engine``, Rust core) on the Benxi rule set, side by side.

ZEN runs ``benchmarks/zen/benxi.json``, the Benxi rule set as a JDM decision graph generated from the
compiled rule set by ``benchmarks/zen/generate.py``. Before anything is timed, the graph must agree
with this engine: on generated cases (``Population``, half and nine tenths of the facts known), ZEN's
output for the case, given as lean input and as the whole fact sheet, must equal ``outcome_of`` of
this engine's traced determination field by field (scope, exemption, accountability, the sanction
range, every consequence line, the ids of the rules that applied, in order). One disagreement stops
the run.

Then, pinned to one core and interleaved on the same cases (each case's calls in rotating order):
ZEN ``evaluate`` without and with its trace against this engine's traced ``evaluate``; and in blocks,
ZEN ``evaluate_batch`` against this engine's untraced batch path (``_batch.outcome_table`` on the
block's columns). Inputs are prepared before timing: ZEN gets Python dicts, this engine ``Case``
objects and, for the batch path, the block's columns. ZEN is called through a ``ZenEngine`` with a
static loader, its fastest path here: ``ZenDecision.evaluate`` on a created decision measured 3-4×
slower per call (it appears to compile the graph's expressions on every call).

Run from the repository root, with the ``bench`` extra (``pip install -e '.[bench]'``)::

    .venv/bin/python benchmarks/zen.py            # print the section
    .venv/bin/python benchmarks/zen.py --record   # and write it into benchmarks/RESULTS.md
    .venv/bin/python benchmarks/zen.py --quick    # small samples, a smoke test

Lean input: only the facts the Benxi rules read, and only those known. Whole fact sheet: every fact
of the case, unknown ones as null. Figures are medians; ratios come from this one run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
# This script is named zen.py: take its folder off the path so that `import zen` finds the engine.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
import zen  # noqa: E402

sys.path.insert(0, str(HERE))
import sections  # noqa: E402

import guanzhi_rules as g  # noqa: E402
from guanzhi_rules import _batch  # noqa: E402
from guanzhi_rules._columns import encode  # noqa: E402
from guanzhi_rules._conditions import Comparison, walk  # noqa: E402
from guanzhi_rules._facts import flatten  # noqa: E402
from guanzhi_rules._outcome import Outcome, outcome_of  # noqa: E402
from guanzhi_rules._population import generate  # noqa: E402

HEADING = "## This engine against GoRules ZEN (Benxi)"
GRAPH = HERE / "zen" / "benxi.json"


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("zen_generate", HERE / "zen" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _plain(value: Any) -> Any:
    if isinstance(value, frozenset):
        return sorted(v.value if hasattr(v, "value") else v for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value.value if hasattr(value, "value") else value


def zen_input(facts: Mapping[str, Any], read: frozenset[str] | None) -> dict[str, Any]:
    """The case as ZEN's input: nested by section; lean (``read`` given) keeps only known facts the rules read."""
    out: dict[str, dict[str, Any]] = {}
    for path, value in facts.items():
        if read is not None and (path not in read or value is None or value == frozenset()):
            continue
        section, name = path.split(".")
        out.setdefault(section, {})[name] = None if value is None else _plain(value)
    return out


def zen_outcome(result: Mapping[str, Any]) -> Outcome:
    """ZEN's output as an ``Outcome`` (ZEN leaves out keys whose value is null)."""
    return Outcome(scope=result["scope"], exemption=result["exemption"], accountable=result.get("accountable"),
                   measures=tuple(result["measures"]), consequences=tuple(result["consequences"]), applied=tuple(result["applied"]))


class Subject:
    """The cases of one population, each ready for both engines."""

    def __init__(self, ruleset: g.RuleSet, n: int, known: float, seed: int) -> None:
        read = frozenset(p for r in ruleset.rules if r.condition is not None
                         for c in walk(r.condition) if isinstance(c, Comparison) for p in c.paths) | {"decision.measures"}
        self.known = known
        self.cases = list(generate(n, seed=seed, known=known))
        facts = [flatten(c) for c in self.cases]
        self.inputs = {"lean": [zen_input(f, read) for f in facts], "whole": [zen_input(f, None) for f in facts]}
        self.columns = encode(facts)
        self.facts_given = {form: statistics.mean(sum(len(s) for s in x.values()) for x in xs) for form, xs in self.inputs.items()}


def agree(ruleset: g.RuleSet, engine: Any, subject: Subject) -> Counter[str]:
    """Check ZEN's outcome against this engine's on every case in both input forms; count the outcomes checked."""
    seen: Counter[str] = Counter()
    batch = _batch.outcome_table(ruleset, subject.columns).outcomes()
    for i, case in enumerate(subject.cases):
        ours = outcome_of(ruleset.evaluate(case))
        assert batch[i] == ours, f"the batch path disagrees with the traced path on case {i}"
        for form, inputs in subject.inputs.items():
            theirs = zen_outcome(engine.evaluate("benxi", inputs[i])["result"])
            if theirs != ours:
                raise SystemExit(f"ZEN disagrees on case {i} (known {subject.known}, {form} input):\n  ours {ours}\n  ZEN  {theirs}")
        seen[f"scope {ours.scope}"] += 1
        seen[f"accountable {ours.accountable}"] += 1
        seen["with a sanction range"] += bool(ours.measures)
        seen["with consequences"] += bool(ours.consequences)
    return seen


def interleaved(n: int, calls: dict[str, Callable[[int], object]], rounds: int) -> dict[str, float]:
    """Median µs of each call over cases 0..n-1, every case's calls in rotating order, ``rounds`` times."""
    names = list(calls)
    times: dict[str, list[float]] = {name: [] for name in names}
    clock = time.perf_counter_ns
    for r in range(rounds):
        for i in range(n):
            shift = (i + r) % len(names)
            for name in names[shift:] + names[:shift]:
                start = clock()
                calls[name](i)
                times[name].append((clock() - start) / 1e3)
    return {name: statistics.median(t) for name, t in times.items()}


def blocks(subject: Subject, engine: Any, form: str, *, size: int, rounds: int, ruleset: g.RuleSet) -> dict[str, float]:
    """Cases per second of ZEN ``evaluate_batch`` and of this engine's batch path on the same blocks, alternating."""
    n = size * (len(subject.cases) // size)
    requests = [{"key": "benxi", "context": c} for c in subject.inputs[form]]
    per: dict[str, list[float]] = {"zen": [], "ours": []}
    for r in range(rounds):
        for start in range(0, n, size):
            columns = subject.columns.rows(start, start + size)
            pair = [("zen", lambda s=start: engine.evaluate_batch(requests[s:s + size])),
                    ("ours", lambda c=columns: _batch.outcome_table(ruleset, c))]
            for name, fn in pair[::-1] if r % 2 else pair:
                t0 = time.perf_counter()
                fn()
                per[name].append(size / (time.perf_counter() - t0))
    return {name: statistics.median(v) for name, v in per.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agree", type=int, default=3000, help="cases checked for agreement at each level of known facts")
    parser.add_argument("--cases", type=int, default=2000, help="cases timed at each level of known facts")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--block", type=int, default=4096, help="cases per evaluate_batch call")
    parser.add_argument("--blocks", type=int, default=4, help="blocks per level of known facts and input form")
    parser.add_argument("--quick", action="store_true", help="small samples: a smoke test, not a measurement")
    parser.add_argument("--record", action="store_true", help="write the section into benchmarks/RESULTS.md")
    args = parser.parse_args(argv)
    if args.quick:
        args.agree, args.cases, args.rounds, args.block, args.blocks = 200, 200, 1, 256, 2
    generator = _generator()
    if GRAPH.read_text(encoding="utf-8") != generator.text():
        raise SystemExit("benchmarks/zen/benxi.json is stale: run benchmarks/zen/generate.py")
    core = sections.pin()
    ruleset = g.load("benxi")
    graph = GRAPH.read_text(encoding="utf-8")
    engine = zen.ZenEngine({"loader": {"type": "static", "content": {"benxi": json.loads(graph)}}})

    checked: Counter[str] = Counter()
    for known, seed in ((0.5, 101), (0.9, 202)):
        checked.update(agree(ruleset, engine, Subject(ruleset, args.agree, known, seed)))
    total = 2 * args.agree
    print(f"agreement: {total} cases × 2 input forms, all equal; {dict(checked)}", flush=True)

    rows = []
    for known, seed in ((0.5, 303), (0.9, 404)):
        subject = Subject(ruleset, max(args.cases, args.block * args.blocks), known, seed)
        for i in range(50):  # warm both engines
            ruleset.evaluate(subject.cases[i])
            engine.evaluate("benxi", subject.inputs["whole"][i])
        for form in ("lean", "whole"):
            inputs = subject.inputs[form]
            single = interleaved(args.cases, {
                "zen": lambda i, x=inputs: engine.evaluate("benxi", x[i]),
                "zen traced": lambda i, x=inputs: engine.evaluate("benxi", x[i], {"trace": True}),
                "ours traced": lambda i, s=subject: ruleset.evaluate(s.cases[i]),
            }, args.rounds)
            batch = blocks(subject, engine, form, size=args.block, rounds=args.rounds, ruleset=ruleset)
            rows.append((known, form, subject.facts_given[form], single, batch))
            print(known, form, single, batch, flush=True)

    now = dt.datetime.now(dt.UTC)
    lines = [
        HEADING, "",
        f"Measured {now:%Y-%m-%d %H:%M} UTC by `benchmarks/zen.py`, one run, pinned to core {core}; zen-engine "
        f"{_version('zen-engine')}, guanzhi-rules {g.__version__}. Machine: {sections.machine()}; load average at the end "
        f"{sections.load_average()} (this benchmark itself keeps one core busy; read the ratios, not the absolute figures).",
        "",
        f"**Agreement first.** The graph (`benchmarks/zen/benxi.json`, generated from the compiled rule set by "
        f"`benchmarks/zen/generate.py`) gave the same `Outcome` as this engine's traced determination on all {total:,} "
        f"generated cases ({args.agree:,} with half the facts known, {args.agree:,} with nine tenths), each given to ZEN "
        f"as lean input and as the whole fact sheet: scope, exemption, accountability, sanction range, every consequence "
        f"line, and the rules that applied, in trace order. Among them: "
        + ", ".join(f"{k} {v:,}" for k, v in sorted(checked.items())) + ".",
        "",
        f"**One case at a time** ({args.cases:,} cases × {args.rounds} rounds per row, each case's three calls in rotating "
        "order). Median µs; ratio: ZEN's time over ours (above 1: this engine is faster).",
        "",
        "| facts known | ZEN input | facts given to ZEN | ZEN evaluate | ZEN with trace | ours, traced | ZEN / ours | ZEN traced / ours |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for known, form, given, single, _ in rows:
        lines.append(f"| {known:.0%} | {form} | {given:,.0f} | {single['zen']:,.0f} | {single['zen traced']:,.0f} | "
                     f"{single['ours traced']:,.0f} | {single['zen'] / single['ours traced']:.2f}× | "
                     f"{single['zen traced'] / single['ours traced']:.2f}× |")
    lines += [
        "",
        f"**Batches** ({args.blocks} blocks of {args.block:,} cases, one `evaluate_batch` call or one batch evaluation each, "
        f"alternating, {args.rounds} rounds). Cases per second on one core; "
        "ours: the untraced batch path on the block's columns, as population diffs use it.",
        "",
        "| facts known | ZEN input | ZEN evaluate_batch | ours, batch | ours / ZEN |",
        "|---:|---|---:|---:|---:|",
    ]
    for known, form, _, _, batch in rows:
        lines.append(f"| {known:.0%} | {form} | {batch['zen']:,.0f} | {batch['ours']:,.0f} | {batch['ours'] / batch['zen']:,.0f}× |")
    worst_single = min(single["zen"] / single["ours traced"] for *_, single, _ in rows)
    worst_batch = min(batch["ours"] / batch["zen"] for *_, batch in rows)
    lines += [
        "",
        f"Targets: this engine's traced `evaluate` at least 2× ZEN's untraced `evaluate` — "
        f"{'met' if worst_single >= 2 else '**not met**'} (lowest ratio {worst_single:.2f}×); the untraced batch at least "
        f"100× ZEN's `evaluate_batch` — {'met' if worst_batch >= 100 else '**not met**'} (lowest {worst_batch:,.0f}×).",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.record:
        sections.record(HEADING, text)
    return 0


def _version(name: str) -> str:
    from importlib.metadata import version  # noqa: PLC0415

    return version(name)


if __name__ == "__main__":
    sys.exit(main())
