"""How the evaluators scale with the number of rules: synthetic rule sets of 100 to 1,000 rules.

A synthetic rule set is Benxi's rule file with copies of its circumstance and consequence rules
(those no other rule defeats and that defeat none) appended under new ids, on Benxi's own text,
until it has the number of rules asked for. Copies read the same facts as their originals, so a
case applies as many of them as of the originals: a fair stand-in for a longer document.

    .venv/bin/python benchmarks/scale.py             # print the table
    .venv/bin/python benchmarks/scale.py --record    # and write its section of benchmarks/RESULTS.md

Batch figures are the best of five passes over the same 32,768 generated cases, on one core.
Traced figures are medians over 300 generated cases. Not part of the unit tests.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import sections
import yaml

import guanzhi_rules as g
from guanzhi_rules import _batch, _yaml
from guanzhi_rules._population import generate

ROOT = Path(__file__).resolve().parent.parent
HEADING = "## Scaling with the number of rules (synthetic rule sets)"
SIZES = (100, 200, 500, 1000)
LIMITS = _yaml.Limits(max_bytes=16 * 1024 * 1024, max_nodes=1_000_000)
"""A 1,000-rule file is beyond the default document limits, which are sized for real rule files."""


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # rule files may not use anchors and aliases


def synthetic(size: int, directory: Path) -> Path:
    """Write a Benxi-based rule file of ``size`` rules (at least Benxi's own) into ``directory``."""
    data = yaml.safe_load((ROOT / "rules" / "benxi.yaml").read_text(encoding="utf-8"))
    rules = data["rules"]
    defeated = {target for rule in rules for target in rule.get("defeats", ())}
    copyable = [r for r in rules if r["stage"] in ("circumstance", "consequence") and r["id"] not in defeated and not r.get("defeats")]
    out, round_ = list(rules), 0
    while len(out) < size:
        for rule in copyable[: size - len(out)]:
            out.append({**copy.deepcopy(rule), "id": f"{rule['id']}.copy{round_}"})
        round_ += 1
    (directory / "sources").mkdir(exist_ok=True)
    shutil.copy(ROOT / "rules" / "sources" / "benxi.txt", directory / "sources" / "benxi.txt")
    path = directory / f"benxi_{size}.yaml"
    path.write_text(yaml.dump({**data, "rules": out}, Dumper=_NoAliases, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def batch_rate(ruleset: g.RuleSet, chunks: list[Any], n: int) -> float:
    """Cases per second of the untraced batch evaluator: the best of five passes."""
    _batch.outcome_table(ruleset, chunks[0])  # build the plan
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for chunk in chunks:
            _batch.outcome_table(ruleset, chunk)
        best = min(best, time.perf_counter() - start)
    return n / best


def traced_median(ruleset: g.RuleSet, cases: list[g.Case]) -> float:
    """Median µs of one traced evaluation (what is built on first read is not read)."""
    times = []
    for case in cases:
        start = time.perf_counter()
        ruleset.evaluate(case)
        times.append((time.perf_counter() - start) * 1e6)
    return statistics.median(times)


def measure(n: int = 32_768, traced: int = 300) -> list[tuple[str, int, float, float]]:
    """(name, rules, batch cases/s, traced µs) for Benxi and each synthetic size."""
    population = generate(n, seed=20)
    chunks = [_batch.columns_of(population, start, size) for start, size in _batch.chunks(population)]
    cases = list(generate(traced, seed=21))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        named = [("benxi", g.load("benxi"))] + [
            (f"synthetic {size}", g.load(synthetic(size, Path(tmp)), limits=LIMITS)) for size in SIZES]
        for name, ruleset in named:
            rows.append((name, len(ruleset.rules), batch_rate(ruleset, chunks, n), traced_median(ruleset, cases)))
    return rows


def section(rows: list[tuple[str, int, float, float]]) -> str:
    lines = [
        HEADING, "",
        f"Measured {dt.date.today().isoformat()} by `benchmarks/scale.py`, pinned to one core of {os.cpu_count()}; "
        "batch: best of five passes over 32,768 generated cases; traced: median over 300.", "",
        "| Rule set | rules | batch cases/s/core | target at 500 rules: ≥ 50,000 | traced evaluate median µs |",
        "|---|---:|---:|---|---:|",
    ]
    for name, rules, rate, traced in rows:
        target = ("met" if rate >= 50_000 else "not met") if rules == 500 else ""
        lines.append(f"| {name} | {rules} | {rate:,.0f} | {target} | {traced:,.0f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--record", action="store_true", help="Write the section of benchmarks/RESULTS.md.")
    args = parser.parse_args()
    sections.pin()
    text = section(measure())
    print(text)
    if args.record:
        sections.record(HEADING, text)


if __name__ == "__main__":
    main()
