"""The ``guanzhi`` command line.

Exit codes: 0 success; 2 bad input (a malformed case or rule file, an unknown key, bad
arguments) or a failed run (a diff worker that died), reported as one paragraph on stderr, never
as a traceback. A diff stopped by SIGTERM exits 143 (Ctrl-C: 1, as click does), its workers reaped.
"""

from __future__ import annotations

import datetime as dt
import json
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

import click

from guanzhi_rules._case import Case, read_case
from guanzhi_rules._loader import load_all, resolve
from guanzhi_rules._rulefile import BUNDLED, RuleFile
from guanzhi_rules._ruleset import RuleSet
from guanzhi_rules.exceptions import GuanzhiError

EXIT_BAD_INPUT = 2


def _fail(exc: Exception) -> NoReturn:
    click.echo(f"error: {exc}", err=True)
    sys.exit(EXIT_BAD_INPUT)


@click.group()
@click.version_option(package_name="guanzhi-rules")
def main() -> None:
    """Cadre-accountability rules as code: evaluate cases under five jurisdictions' rules."""


@main.command()
@click.argument("case_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-j", "--jurisdiction", "keys", multiple=True, default=("all",), show_default=True,
              help=f"Rule set key ({', '.join(BUNDLED)}), a rule-file path, KEY+OVERLAY, or 'all'. Repeatable.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--sensitivity", is_flag=True, help="Also list each single change of one fact that would change the outcome.")
def evaluate(case_file: Path, keys: tuple[str, ...], fmt: str, lang: str, sensitivity: bool) -> None:
    """Evaluate CASE_FILE (YAML or JSON) under one or more rule sets."""
    try:
        case = read_case(case_file)
        rulesets = _rulesets(keys)
        determinations = [rs.evaluate(case, sensitivity=sensitivity) for rs in rulesets]
    except GuanzhiError as exc:
        _fail(exc)
    if fmt == "json":
        payload = [json.loads(d.to_json()) for d in determinations]
        click.echo(json.dumps(payload[0] if len(payload) == 1 else payload, ensure_ascii=False, indent=2))
    else:
        click.echo("\n".join(d.to_text(lang) for d in determinations), nl=False)  # type: ignore[arg-type]


def _rulesets(keys: tuple[str, ...]) -> list[RuleSet]:
    if "all" in keys:
        return list(load_all().values())
    return [resolve(key) for key in keys]


@main.command()
@click.argument("what", type=click.Choice(["case", "ruleset"]))
def schema(what: str) -> None:
    """Print the JSON Schema of a case fact sheet or of a rule file."""
    model = Case if what == "case" else RuleFile
    click.echo(json.dumps(model.model_json_schema(), ensure_ascii=False, indent=2))


@main.command()
@click.argument("paths", nargs=-1)
def check(paths: tuple[str, ...]) -> None:
    """Check rule sets against their official texts (default: every bundled one).

    PATHS are bundled keys, rule files, overlay files (checked as the rule set they amend) or
    BASE+OVERLAY. Reports schema and reference errors, quotes not found under the article they cite,
    enumerated items neither cited nor declared declaratory, dead rules and same-priority conflicts,
    then a coverage table per document. Exits 1 on any finding.
    """
    from guanzhi_rules._check import check_all, render

    reports = check_all(list(paths) or None)
    click.echo(render(reports), nl=False)
    if not all(r.ok for r in reports):
        sys.exit(1)


@main.command("eligibility")
@click.argument("history_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--on", "on", required=True, type=click.DateTime(formats=["%Y-%m-%d"]), help="The date asked about (YYYY-MM-DD).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def eligibility_command(history_file: Path, on: dt.datetime, fmt: str, lang: str) -> None:
    """Whether a person may be promoted, appointed or awarded ON a date, given HISTORY_FILE (a list of past decisions)."""
    from guanzhi_rules._eligibility import eligibility, read_history

    try:
        result = eligibility(read_history(history_file), on=on.date())
    except GuanzhiError as exc:
        _fail(exc)
    click.echo(result.to_json() if fmt == "json" else result.to_text(lang), nl=fmt == "json")  # type: ignore[arg-type]


@main.command("verify")
@click.argument("determination_json", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("case_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("-j", "--jurisdiction", "key", default=None, help="Rule set key or path (default: the one the determination names).")
def verify_command(determination_json: Path, case_file: Path | None, key: str | None) -> None:
    """Would the rules as they stand decide DETERMINATION_JSON the same? Exit 0 if so, 1 if not.

    With CASE_FILE the determination is recomputed and compared; without it only the rule set's
    fingerprint is compared.
    """
    from guanzhi_rules._verify import read_stored, verify

    try:
        stored = read_stored(determination_json)
        case = read_case(case_file) if case_file else None
        result = verify(stored, case, _rulesets((key,))[0] if key else None)
    except GuanzhiError as exc:
        _fail(exc)
    click.echo(result.to_text(), nl=False)
    if not result.same:
        sys.exit(1)


@main.command("compare")
@click.argument("case_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-j", "--jurisdiction", "keys", multiple=True, default=("all",), show_default=True,
              help=f"Rule set key ({', '.join(BUNDLED)}), a rule-file path, or 'all'. Repeatable; columns follow the order given.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--width", type=click.IntRange(60, 1000), default=160, show_default=True, help="Width of the text table, in columns.")
def compare_command(case_file: Path, keys: tuple[str, ...], fmt: str, lang: str, width: int) -> None:
    """Compare CASE_FILE across rule sets: in force, territory, scope, circumstances, exemption, factors, sanctions, consequences."""
    from guanzhi_rules._compare import compare

    try:
        comparison = compare(read_case(case_file), _rulesets(keys))
    except GuanzhiError as exc:
        _fail(exc)
    click.echo(comparison.to_json() if fmt == "json" else comparison.to_text(lang, width=width), nl=fmt == "json")  # type: ignore[arg-type]


@main.command("explain")
@click.argument("case_file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("rule_id")
@click.option("-j", "--jurisdiction", "key", required=True, help=f"Rule set key ({', '.join(BUNDLED)}) or a rule-file path.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def explain_command(case_file: Path, rule_id: str, key: str, fmt: str, lang: str) -> None:
    """Explain why RULE_ID did or did not apply to CASE_FILE, condition by condition."""
    from guanzhi_rules._explain import explain

    try:
        explanation = explain(_rulesets((key,))[0], read_case(case_file), rule_id)
    except GuanzhiError as exc:
        _fail(exc)
    except KeyError as exc:  # an unknown rule id: the message carries a did-you-mean
        _fail(GuanzhiError(str(exc.args[0])))
    click.echo(explanation.to_json() if fmt == "json" else explanation.to_text(lang), nl=fmt == "json")  # type: ignore[arg-type]


# -- diff -----------------------------------------------------------------------------------------

@main.command("diff")
@click.argument("base_spec", metavar="BASE")
@click.argument("changed_spec", metavar="CHANGED")
@click.option("--cases", "cases_dir", type=click.Path(file_okay=False, path_type=Path),
              help="A directory of case files (*.yaml, *.yml, *.json), read in sorted order.")
@click.option("--generate", "generate_n", type=click.IntRange(min=0), help="Use a generated population of N cases instead.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the generated population.")
@click.option("--known", type=click.FloatRange(0, 1), default=0.5, show_default=True,
              help="Chance that each fact of a generated case is known (higher: more cases decided).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the report here instead of stdout.")
@click.option("--examples", type=click.IntRange(min=0), default=3, show_default=True, help="Examples kept per direction.")
@click.option("--progress/--no-progress", "show_progress", default=None,
              help="Progress bar on stderr (default: only when stderr is a terminal).")
def diff_command(
    *, base_spec: str, changed_spec: str, cases_dir: Path | None, generate_n: int | None, seed: int, known: float, fmt: str, lang: str,
    output: Path | None, examples: int, show_progress: bool | None,
) -> None:
    """Impact of changing rule set BASE into CHANGED over a corpus of cases or a generated population.

    BASE and CHANGED are bundled keys, rule files, overlay files, or KEY+OVERLAY[+OVERLAY...]
    (e.g. benxi+docs/examples/benxi_private_gain_bar.yaml). Reports how many cases change, in which
    direction on the sanction ladder, because of which rules, with minimal examples traced under
    both. Exits 0 whether or not anything changed; 2 on bad input.
    """
    from guanzhi_rules._diff import case_files, diff

    if (cases_dir is None) == (generate_n is None):
        raise click.UsageError("give exactly one of --cases DIR or --generate N")
    # SIGTERM ends the run as Ctrl-C does: the workers are killed and reaped on the way out.
    signal.signal(signal.SIGTERM, _terminated)
    try:
        base, changed = resolve(base_spec), resolve(changed_spec)
        if cases_dir is not None:
            cases: Sequence[Case] = case_files(cases_dir)
        else:
            from guanzhi_rules._population import generate

            assert generate_n is not None
            try:
                cases = generate(generate_n, seed, known)
            except ValueError as exc:
                raise click.BadParameter(str(exc)) from None
        bar = _ProgressBar(len(cases)) if show_progress or (show_progress is None and sys.stderr.isatty()) else None
        try:
            report = diff(base, changed, cases, examples=examples, progress=bar.advance if bar else None)
        finally:
            if bar:
                bar.stop()
    except GuanzhiError as exc:
        _fail(exc)
    text = report.to_json() + "\n" if fmt == "json" else report.to_html(lang) if fmt == "html" else report.to_text(lang)  # type: ignore[arg-type]
    if output is None:
        click.echo(text, nl=False)
    else:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            _fail(GuanzhiError(f"{output}: cannot write the report: {exc.strerror}"))


def _terminated(signum: int, frame: object) -> NoReturn:
    click.echo("error: terminated; the diff was not finished", err=True)
    sys.exit(128 + signum)


class _ProgressBar:
    """A rich progress bar on stderr, never on stdout (where JSON may go)."""

    def __init__(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        columns = (TextColumn("diff"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn())
        # No refresh thread: the diff forks its workers, which is only safe in a single-threaded process.
        self.progress = Progress(*columns, console=Console(file=sys.stderr), auto_refresh=False)
        self.task = self.progress.add_task("diff", total=total)
        self.progress.start()

    def advance(self, done: int, total: int) -> None:
        self.progress.update(self.task, completed=done, total=total, refresh=True)

    def stop(self) -> None:
        self.progress.stop()


@main.command("test")
@click.argument("paths", nargs=-1, required=True)
@click.option("-q", "--quiet", is_flag=True, help="Show only failures, malformed files and the summary.")
def test_command(paths: tuple[str, ...], quiet: bool) -> None:
    """Check the expected-outcome files in PATHS (files, or directories searched for *.guanzhi.yaml).

    Each case is evaluated under each rule set its file names, and every assertion is compared with
    the determination; a failure shows expected and actual values and the trace steps of the rules
    involved. Exits 0 when everything passes, 1 when an expectation fails, 2 when a file is
    malformed (or no file is found). The format is described in docs/testing.md.
    """
    from guanzhi_rules._expect import run

    started = time.perf_counter()
    try:
        summary = run(paths)
    except GuanzhiError as exc:
        _fail(exc)
    for result in summary.results:
        if not result.passed:
            click.echo(f"FAIL  {result.report()}")
        elif not quiet:
            click.echo(f"ok    {result.expectation.file}: {result.expectation.title}")
    for error in summary.errors:
        click.echo(f"ERROR {error}", err=True)
    if not summary.results and not summary.errors:
        _fail(GuanzhiError(f"no expected-outcome files (*.guanzhi.yaml) in {', '.join(paths)}"))
    failed, errors = len(summary.failed), len(summary.errors)
    counts = [f"{len(summary.results) - failed} passed", f"{failed} failed"] + ([f"{errors} malformed file(s)"] if errors else [])
    click.echo(f"{', '.join(counts)} in {time.perf_counter() - started:.2f}s")
    if errors:
        sys.exit(EXIT_BAD_INPUT)
    if failed:
        sys.exit(1)
