"""Cold start: a fresh process that imports the package and loads every rule set, and one CLI evaluation.

Wall times of whole processes, run again and again (as hyperfine would), this checkout against a
base checkout (``--base``, e.g. a ``git worktree`` of main) side by side: every round runs each
command once on each tree, in rotating order, so the two see the same machine. This checkout is
timed with its cache of parsed rule files warm (filled by an earlier run) and cold (an empty cache
directory each run, which that run then fills). Each tree runs from its own ``src`` (``PYTHONPATH``),
its modules compiled to bytecode first (``compileall``), as installing a package does: where
``PYTHONDONTWRITEBYTECODE`` is set, as on the machines these figures come from, a source tree would
otherwise be compiled again by every process (about 70 ms of each figure).

    .venv/bin/python benchmarks/coldstart.py --base ../main-base            # print the section
    .venv/bin/python benchmarks/coldstart.py --base ../main-base --record   # and write it into RESULTS.md
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import sections  # noqa: E402

HEADING = "## Cold start"
CASE = "examples/cases/minor_inaction.yaml"
LOAD = "import guanzhi_rules; guanzhi_rules.load_all()"
COMMANDS = {
    "bare interpreter": ["-c", "pass"],
    "`import guanzhi_rules; load_all()`": ["-c", LOAD],
    f"`guanzhi evaluate {CASE} -j benxi`": ["-m", "guanzhi_rules", "evaluate", CASE, "-j", "benxi"],
}
SPLIT = ("import time; t = time.perf_counter(); import guanzhi_rules; from guanzhi_rules import load_all; "
         "u = time.perf_counter(); load_all(); v = time.perf_counter(); print((u - t) * 1e3, (v - u) * 1e3)")
"""Inside the process: the imports that ``load_all`` needs, then loading the rule sets."""


def _run(tree: Path, args: list[str], cache: Path) -> tuple[float, str]:
    env = {**os.environ, "PYTHONPATH": str(tree / "src"), "XDG_CACHE_HOME": str(cache)}
    start = time.perf_counter()
    out = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True)  # noqa: S603 - our own command
    return (time.perf_counter() - start) * 1e3, out.stdout


def importtime(tree: Path, cache: Path, top: int = 8) -> list[tuple[str, int]]:
    """The modules with the largest own import time (µs) in ``import guanzhi_rules; load_all()``, from ``-X importtime``."""
    env = {**os.environ, "PYTHONPATH": str(tree / "src"), "XDG_CACHE_HOME": str(cache)}
    command = [sys.executable, "-X", "importtime", "-c", LOAD]
    out = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=True)  # noqa: S603 - our own command
    rows = [re.match(r"import time:\s+(\d+) \|\s+\d+ \|(\s*)(\S+)", line) for line in out.stderr.splitlines()]
    own = [(m.group(3), int(m.group(1))) for m in rows if m]
    return sorted(own, key=lambda x: -x[1])[:top]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", type=Path, required=True, help="a checkout of the code to compare with (its src/ is used)")
    parser.add_argument("--runs", type=int, default=15, help="rounds; every command runs once per tree and cache per round")
    parser.add_argument("--record", action="store_true", help="write the section into benchmarks/RESULTS.md")
    args = parser.parse_args(argv)
    base = args.base.resolve()
    git = ["git", "-C", str(base), "log", "-1", "--format=%h"]
    label = subprocess.run(git, capture_output=True, text=True, check=False).stdout.strip()  # noqa: S603 - the base's commit
    for tree in (base, ROOT):
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree / "src")], check=True)  # noqa: S603 - the stdlib's compileall
    with tempfile.TemporaryDirectory() as scratch:
        warm = Path(scratch) / "warm"
        _run(ROOT, ["-c", LOAD], warm)  # fill this tree's cache
        configs = [("base", base, "—"), ("this", ROOT, "warm"), ("this", ROOT, "cold")]
        times: dict[tuple[str, str, str], list[float]] = {}
        split: dict[tuple[str, str], list[tuple[float, float]]] = {}
        fresh = iter(range(10**9))
        for r in range(args.runs):
            for name, tree, state in configs[r % 3:] + configs[: r % 3]:
                for label_, command in COMMANDS.items():
                    cache = warm if state != "cold" else Path(scratch) / f"cold-{next(fresh)}"
                    times.setdefault((name, state, label_), []).append(_run(tree, command, cache)[0])
                cache = warm if state != "cold" else Path(scratch) / f"cold-{next(fresh)}"
                imports, loading = map(float, _run(tree, ["-c", SPLIT], cache)[1].split())
                split.setdefault((name, state), []).append((imports, loading))
            print(f"round {r + 1} of {args.runs}", flush=True)
        heavy = importtime(ROOT, warm)
        heavy_base = importtime(base, warm)

    def med(key: tuple[str, str, str]) -> float:
        return statistics.median(times[key])

    now = dt.datetime.now(dt.UTC)
    lines = [
        HEADING, "",
        f"Measured {now:%Y-%m-%d %H:%M} UTC by `benchmarks/coldstart.py`, {args.runs} rounds, each command a fresh process, "
        f"this checkout against the base ({label or base.name}) alternating. Machine: {sections.machine()}; load average "
        f"at the end {sections.load_average()} (the machine was shared: compare the columns, not the absolute figures).",
        "",
        "Median wall time, ms (in brackets: the fastest run), both trees compiled to bytecode first, as an installed "
        "package is. Cache: this checkout's parsed rule files on disk, warm (filled by an earlier run) or cold (an "
        "empty cache directory, filled by the run).",
        "",
        "| command | base | this, warm cache | this, cold cache | base / this (warm) | target |",
        "|---|---:|---:|---:|---:|---|",
    ]
    targets = {"`import guanzhi_rules; load_all()`": 200.0, f"`guanzhi evaluate {CASE} -j benxi`": 250.0}
    for label_ in COMMANDS:
        b, w, c = (med((n, s, label_)) for n, s in (("base", "—"), ("this", "warm"), ("this", "cold")))
        fast = {k: min(times[k[0], k[1], label_]) for k in (("base", "—"), ("this", "warm"), ("this", "cold"))}
        target = targets.get(label_)
        verdict = "—" if target is None else f"≤ {target:.0f} ms: {'met' if w <= target else '**not met**'}"
        lines.append(f"| {label_} | {b:,.0f} ({fast['base', '—']:,.0f}) | {w:,.0f} ({fast['this', 'warm']:,.0f}) | "
                     f"{c:,.0f} ({fast['this', 'cold']:,.0f}) | {b / w:.2f}× | {verdict} |")
    lines += [
        "",
        "Inside the process (median ms): the imports `load_all` needs, then loading the five rule sets.",
        "",
        "| tree | imports | load_all() |",
        "|---|---:|---:|",
    ]
    for key in (("base", "—"), ("this", "warm"), ("this", "cold")):
        imports = statistics.median(x for x, _ in split[key])
        loading = statistics.median(y for _, y in split[key])
        lines.append(f"| {key[0]}{'' if key[1] == '—' else ', ' + key[1] + ' cache'} | {imports:,.0f} | {loading:,.0f} |")
    lines += [
        "",
        "Largest own import times in `import guanzhi_rules; load_all()` (`python -X importtime`, one run, ms): this "
        "checkout " + ", ".join(f"{m} {t / 1e3:,.0f}" for m, t in heavy) + "; the base "
        + ", ".join(f"{m} {t / 1e3:,.0f}" for m, t in heavy_base) + ".",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.record:
        sections.record(HEADING, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
