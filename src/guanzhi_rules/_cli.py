"""The ``guanzhi`` command line.

Exit codes: 0 success; 2 bad input (a malformed case or rule file, an unknown key, bad
arguments) or a failed run (a diff worker that died), reported as one paragraph on stderr, never
as a traceback. A diff stopped by SIGTERM exits 143 (Ctrl-C: 1, as click does), its workers reaped.

Every argument that names an input file also takes ``-``, standard input (read up to the same size
limit as a file).
"""

from __future__ import annotations

import datetime as dt
import json
import signal
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from guanzhi_rules._case import Case, parse_case, read_case
from guanzhi_rules._determination import Determination
from guanzhi_rules._loader import load_all, resolve
from guanzhi_rules._output import TRACE_LEVELS, TraceLevel, comparison_json, determination_json
from guanzhi_rules._rulefile import BUNDLED, RuleFile
from guanzhi_rules._ruleset import RuleSet
from guanzhi_rules._yaml import DEFAULT_LIMITS
from guanzhi_rules.exceptions import CaseError, FieldProblem, GuanzhiError

if TYPE_CHECKING:
    from guanzhi_rules._tables import CaseTable

EXIT_BAD_INPUT = 2


STDIN = Path("-")
"""What ``-`` on the command line reads: standard input."""

_TRACE = click.option("--trace", type=click.Choice(TRACE_LEVELS), default="full", show_default=True,
                      help="JSON only: full trace; steps (without the facts each rule read and its citation); none.")


def _fail(exc: Exception) -> NoReturn:
    click.echo(f"error: {exc}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def _stdin() -> bytes:
    """Standard input, no more than one byte past the documents' size limit (``parse`` refuses that)."""
    return sys.stdin.buffer.read(DEFAULT_LIMITS.max_bytes + 1)


def _read_case(path: Path) -> Case:
    """A case file, or standard input for ``-``."""
    return parse_case(_stdin(), source="<stdin>") if path == STDIN else read_case(path)


def _file(**kwargs: object) -> click.Path:
    return click.Path(dir_okay=False, path_type=Path, allow_dash=True, **kwargs)  # type: ignore[arg-type]


@click.group()
@click.version_option(package_name="guanzhi-rules")
def main() -> None:
    """Cadre-accountability rules as code: evaluate cases under five jurisdictions' rules."""


@main.command()
@click.argument("case_file", type=_file())
@click.option("-j", "--jurisdiction", "keys", multiple=True, default=("all",), show_default=True,
              help=f"Rule set key ({', '.join(BUNDLED)}), a rule-file path, KEY+OVERLAY, or 'all'. Repeatable.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--sensitivity", is_flag=True, help="Also list each single change of one fact that would change the outcome.")
@_TRACE
@click.option("--jsonl", is_flag=True, help="CASE_FILE holds one JSON case per line: write one JSON result per line, as each is read.")
@click.option("--table", "table", is_flag=True,
              help="CASE_FILE is a table (.csv, .parquet; '-' reads CSV or Parquet) with one column per fact: write a table of "
                   "outcomes, by the batch evaluator (the 'tables' extra).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="With --table: write the outcomes here (.parquet or .csv) instead of CSV on stdout.")
@click.option("--skip-bad", is_flag=True, help="With --table: leave out rows that are not valid cases (listed on stderr), not stop.")
def evaluate(
    *, case_file: Path, keys: tuple[str, ...], fmt: str, lang: str, sensitivity: bool, trace: TraceLevel, jsonl: bool, table: bool,
    output: Path | None, skip_bad: bool,
) -> None:
    """Evaluate CASE_FILE (YAML or JSON; '-' for stdin) under one or more rule sets.

    ``--format json`` writes a list of determinations, one per rule set in the order given (``-j all``:
    the bundled order), however many there are; each names its rule set under ``jurisdiction``.
    --trace steps or none leaves out the detail of each trace.

    CASE_FILE holds one case, or a matter with several subjects (a file listing ``subjects``): each
    subject is then evaluated on the matter's shared facts and their own, with how the document
    relates their liabilities.
    """
    from guanzhi_rules._matter import MatterDetermination, evaluate_matter, read_case_or_matter

    if jsonl and table:
        raise click.UsageError("give at most one of --jsonl and --table")
    if table:
        _evaluate_table(case_file, keys, output, skip_bad)
        return
    if output is not None or skip_bad:
        raise click.UsageError("-o and --skip-bad go with --table")
    try:
        rulesets = _rulesets(keys)
    except GuanzhiError as exc:
        _fail(exc)
    if jsonl:
        _evaluate_lines(case_file, rulesets, sensitivity, trace)
        return
    try:
        read = _read_case(case_file) if case_file == STDIN else read_case_or_matter(case_file)
        determinations: list[Determination] | list[MatterDetermination] = (
            [rs.evaluate(read, sensitivity=sensitivity) for rs in rulesets] if isinstance(read, Case)
            else [evaluate_matter(read, rs, sensitivity=sensitivity) for rs in rulesets])
    except GuanzhiError as exc:
        _fail(exc)
    if fmt == "json":
        # Always a list: one shape for one rule set or five, in the order asked. An object keyed by rule
        # set could not hold a rule set twice (benxi and benxi+OVERLAY share the key benxi).
        payload = [json.loads(determination_json(d, trace=trace) if isinstance(d, Determination) else d.to_json())
                   for d in determinations]
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        click.echo("\n".join(d.to_text(lang) for d in determinations), nl=False)  # type: ignore[arg-type]


def _evaluate_lines(path: Path, rulesets: list[RuleSet], sensitivity: bool, trace: TraceLevel) -> None:
    """One JSON case per input line in, one JSON line out per case, flushed as it is written.

    A line's output is the determination (one rule set) or a list of them; a line that is not a
    valid case gives ``{"line": N, "error": ..., "problems": [{"path", "message"}]}`` instead, and
    the command exits 2 at the end. Blank lines are skipped.
    """
    failed = False
    stream = sys.stdin.buffer if path == STDIN else None
    try:
        handle = stream or path.open("rb")
    except OSError as exc:
        _fail(GuanzhiError(f"{path}: cannot read: {exc.strerror}"))
    limit = DEFAULT_LIMITS.max_bytes
    with handle:
        for number, line in enumerate(iter(lambda: handle.readline(limit + 1), b""), start=1):
            if not line.strip():
                continue
            try:
                if len(line) > limit:
                    raise CaseError([FieldProblem("(line)", f"longer than the limit of {limit} bytes")])
                try:
                    data = json.loads(line)
                except (ValueError, RecursionError) as exc:
                    raise CaseError([FieldProblem("(line)", f"not a JSON document: {str(exc)[:200]}")]) from exc
                case = parse_case(data)
                results = [determination_json(rs.evaluate(case, sensitivity=sensitivity), trace=trace, indent=None) for rs in rulesets]
                text = "[" + ",".join(results) + "]"  # always a list, as --format json writes
            except CaseError as exc:
                failed = True
                text = json.dumps({"line": number, "error": str(exc),
                                   "problems": [{"path": p.path, "message": p.message} for p in exc.problems]}, ensure_ascii=False)
            sys.stdout.write(text + "\n")
            sys.stdout.flush()
    if failed:
        sys.exit(EXIT_BAD_INPUT)


def _table_cases(path: Path, skip_bad: bool) -> CaseTable:
    """The valid cases of a case table (a file, or all of stdin: a table is not a document with a size limit)."""
    try:
        from guanzhi_rules import _tables
    except ImportError as exc:
        _fail(GuanzhiError(f"tables need pyarrow: pip install 'guanzhi-rules[tables]' ({exc})"))
    name = "<stdin>" if path == STDIN else str(path)
    table = _tables.read_table(sys.stdin.buffer.read() if path == STDIN else path, name=name)
    cases = _tables.cases_of(table, skip_bad=skip_bad, name=name)
    for bad in cases.bad:
        click.echo(f"skipped {bad}", err=True)
    return cases


def _evaluate_table(path: Path, keys: tuple[str, ...], output: Path | None, skip_bad: bool) -> None:
    try:
        cases = _table_cases(path, skip_bad)
        from guanzhi_rules import _tables

        rulesets = _named_rulesets(keys)
        data = _tables.write_table(_tables.evaluate_table(cases, rulesets), output)
    except GuanzhiError as exc:
        _fail(exc)
    if data is not None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


def _named_rulesets(keys: tuple[str, ...]) -> dict[str, RuleSet]:
    """The rule sets of ``-j``, each under the name it was given by (``all``: the bundled keys); a repeated name is numbered."""
    if "all" in keys:
        return load_all()
    named: dict[str, RuleSet] = {}
    for key in keys:
        name = key if key not in named else f"{key}#{sum(n.split('#')[0] == key for n in named) + 1}"
        named[name] = resolve(key)
    return named


def _rulesets(keys: tuple[str, ...]) -> list[RuleSet]:
    if "all" in keys:
        return list(load_all().values())
    return [resolve(key) for key in keys]


@main.command()
@click.argument("what", type=click.Choice(["case", "matter", "ruleset", "overlay", "history", "determination"]))
def schema(what: str) -> None:
    """Print the JSON Schema of a case fact sheet, a matter file (shared and per-subject case sections), a rule file, an
    overlay, a history of past decisions, or a determination (as ``evaluate --format json`` writes each)."""
    from pydantic import TypeAdapter

    from guanzhi_rules._eligibility import PastDecision
    from guanzhi_rules._matter import matter_schema
    from guanzhi_rules._overlayfile import Overlay

    schemas: dict[str, Callable[[], dict[str, Any]]] = {
        "case": Case.model_json_schema, "matter": matter_schema, "ruleset": RuleFile.model_json_schema,
        "overlay": lambda: Overlay.model_json_schema(by_alias=True), "history": TypeAdapter(list[PastDecision]).json_schema,
        "determination": Determination.model_json_schema}
    click.echo(json.dumps(schemas[what](), ensure_ascii=False, indent=2))


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--strict", is_flag=True, help="Fail on warnings too (operative text neither encoded nor declared).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="en", show_default=True,
              help="Language of the report (a rule file's load error, which names keys and paths, stays in English).")
def check(paths: tuple[str, ...], strict: bool, lang: str) -> None:
    """Check rule sets against their official texts (default: every bundled one).

    PATHS are bundled keys, rule files, overlay files (checked as the rule set they amend; rules citing draft
    wording are listed, not compared with the text),
    BASE+OVERLAY, or '-' (an overlay on stdin). Reports schema and reference errors, quotes not found
    under the article they cite, enumerated items neither cited nor declared declaratory, rules no case
    can reach (an unsatisfiable condition, always defeated, or gated by the pipeline: attaches: exempted
    with no mandatory exemption) and same-priority conflicts, then a coverage table per document. Exits 1
    on any finding. Warns of articles with operative text (应当, 可以, 不得 ...) that nothing encodes or
    declares; --strict fails on those too.
    """
    from guanzhi_rules._check import check, check_all, render

    if "-" in paths:
        from guanzhi_rules._inline import check_overlay

        piped = check_overlay(_stdin(), "-")
        reports = [piped if p == "-" else check(p) for p in paths]
    else:
        reports = check_all(list(paths) or None)
    click.echo(render(reports, lang), nl=False)
    if not all(r.passes(strict=strict) for r in reports):
        sys.exit(1)


@main.command("rules")
@click.argument("spec", metavar="KEY")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("-j", "--json", "as_json", is_flag=True, help="Write the listing as JSON.")
def rules_command(spec: str, lang: str, as_json: bool) -> None:
    """List the rules of rule set KEY (a bundled key, a rule file, or KEY+OVERLAY) and the parameters an overlay can change.

    Each rule: id, article, stage, modality and label, then each editable parameter as PATH = VALUE, the
    path an overlay's ``set: [{rule: ID, path: PATH, value: NEW}]`` takes.
    """
    from guanzhi_rules._parameters import editable_parameters

    try:
        listing = editable_parameters(resolve(spec))
    except GuanzhiError as exc:
        _fail(exc)
    click.echo(listing.to_json() if as_json else listing.to_text(lang), nl=as_json)  # type: ignore[arg-type]


@main.command("eligibility")
@click.argument("history_file", type=_file())
@click.option("--on", "on", required=True, type=click.DateTime(formats=["%Y-%m-%d"]), help="The date asked about (YYYY-MM-DD).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def eligibility_command(history_file: Path, on: dt.datetime, fmt: str, lang: str) -> None:
    """Whether a person may be promoted, appointed or awarded ON a date, given HISTORY_FILE (a list of past decisions; '-': stdin)."""
    from guanzhi_rules._eligibility import eligibility, read_history

    try:
        history = _stdin_history() if history_file == STDIN else read_history(history_file)
        result = eligibility(history, on=on.date())
    except GuanzhiError as exc:
        _fail(exc)
    click.echo(result.to_json() if fmt == "json" else result.to_text(lang), nl=fmt == "json")  # type: ignore[arg-type]


def _stdin_stored() -> dict[str, Any]:
    """A stored determination from stdin, within the size limit of a stored determination's file."""
    from guanzhi_rules._verify import MAX_STORED_BYTES, parse_stored

    return parse_stored(sys.stdin.buffer.read(MAX_STORED_BYTES + 1), "<stdin>")


def _stdin_history() -> list[Any]:
    from guanzhi_rules._yaml import YamlError
    from guanzhi_rules._yamlparse import parse

    try:
        data = parse(_stdin())
    except YamlError as exc:
        raise CaseError([FieldProblem("(document)", exc.message)], source="<stdin>") from exc
    if not isinstance(data, list):
        raise CaseError([FieldProblem("(document)", "a history is a list of past decisions")], source="<stdin>")
    return data


@main.command("verify")
@click.argument("determination_json", type=_file())
@click.argument("case_file", required=False, type=_file())
@click.option("-j", "--jurisdiction", "key", default=None, help="Rule set key or path (default: the one the determination names).")
def verify_command(determination_json: Path, case_file: Path | None, key: str | None) -> None:
    """Would the rules as they stand decide DETERMINATION_JSON the same? Exit 0 if so, 1 if not.

    With CASE_FILE the determination is recomputed and compared; without it only the rule set's
    fingerprint is compared. DETERMINATION_JSON is one determination, or the one-element list
    ``evaluate --format json`` writes for a single -j.
    """
    from guanzhi_rules._verify import read_stored, verify

    if determination_json == STDIN and case_file == STDIN:
        raise click.UsageError("only one of DETERMINATION_JSON and CASE_FILE can be '-'")
    try:
        stored = _stdin_stored() if determination_json == STDIN else read_stored(determination_json)
        case = _read_case(case_file) if case_file else None
        result = verify(stored, case, _rulesets((key,))[0] if key else None)
    except GuanzhiError as exc:
        _fail(exc)
    click.echo(result.to_text(), nl=False)
    if not result.same:
        sys.exit(1)


@main.command("compare")
@click.argument("case_file", type=_file())
@click.option("-j", "--jurisdiction", "keys", multiple=True, default=("all",), show_default=True,
              help=f"Rule set key ({', '.join(BUNDLED)}), a rule-file path, or 'all'. Repeatable; columns follow the order given.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--width", type=click.IntRange(60, 1000), default=160, show_default=True, help="Width of the text table, in columns.")
@_TRACE
def compare_command(*, case_file: Path, keys: tuple[str, ...], fmt: str, lang: str, width: int, trace: TraceLevel) -> None:
    """Compare CASE_FILE ('-': stdin) across rule sets, concept by concept: in force, territory, scope, exemption, sanctions and more."""
    from guanzhi_rules._compare import compare

    try:
        comparison = compare(_read_case(case_file), _rulesets(keys))
    except GuanzhiError as exc:
        _fail(exc)
    text = comparison_json(comparison, trace=trace) if fmt == "json" else comparison.to_text(lang, width=width)  # type: ignore[arg-type]
    click.echo(text, nl=fmt == "json")


@main.command("explain")
@click.argument("case_file", type=_file())
@click.argument("rule_id")
@click.option("-j", "--jurisdiction", "key", required=True, help=f"Rule set key ({', '.join(BUNDLED)}) or a rule-file path.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def explain_command(case_file: Path, rule_id: str, key: str, fmt: str, lang: str) -> None:
    """Explain why RULE_ID did or did not apply to CASE_FILE, condition by condition."""
    from guanzhi_rules._explain import explain

    try:
        explanation = explain(_rulesets((key,))[0], _read_case(case_file), rule_id)
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
@click.option("--table", "table_file", type=_file(),
              help="Use the cases of a table instead (.csv or .parquet, one column per fact; '-': stdin). The 'tables' extra.")
@click.option("--skip-bad", is_flag=True, help="With --table: leave out rows that are not valid cases (listed on stderr), not stop.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the generated population.")
@click.option("--known", type=click.FloatRange(0, 1), default=0.5, show_default=True,
              help="Chance that each fact of a generated case is known (higher: more cases decided).")
@click.option("--fix", "fixes", multiple=True, metavar="FACT=VALUE",
              help="Every generated case takes VALUE for FACT (as in a case file: a code, number, date, true/false; a;b for a "
                   "set, exactly those codes). Repeatable.")
@click.option("--weight", "weights", multiple=True, metavar="FACT=VALUE:P",
              help="A generated case takes VALUE for FACT with probability P, otherwise it is drawn as usual. Repeatable.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the report here instead of stdout.")
@click.option("--examples", type=click.IntRange(min=0), default=3, show_default=True, help="Examples kept per direction.")
@click.option("--progress/--no-progress", "show_progress", default=None,
              help="Progress bar on stderr (default: only when stderr is a terminal).")
def diff_command(
    *, base_spec: str, changed_spec: str, cases_dir: Path | None, generate_n: int | None, table_file: Path | None, skip_bad: bool,
    seed: int, known: float, fixes: tuple[str, ...], weights: tuple[str, ...], fmt: str, lang: str, output: Path | None,
    examples: int, show_progress: bool | None,
) -> None:
    """Impact of changing rule set BASE into CHANGED over a corpus of cases or a generated population.

    BASE and CHANGED are bundled keys, rule files, overlay files, or KEY+OVERLAY[+OVERLAY...]
    (e.g. benxi+docs/examples/benxi_private_gain_bar.yaml). Reports how many cases change, in which
    direction on the sanction ladder, because of which rules, with minimal examples traced under
    both. Exits 0 whether or not anything changed; 2 on bad input.
    """
    from guanzhi_rules._diff import case_files, diff

    if sum(x is not None for x in (cases_dir, generate_n, table_file)) != 1:
        raise click.UsageError("give exactly one of --cases DIR, --generate N or --table FILE")
    if (fixes or weights) and generate_n is None:
        raise click.UsageError("--fix and --weight go with --generate")
    fix, weight = _pinned(fixes, weights)
    # SIGTERM ends the run as Ctrl-C does: the workers are killed and reaped on the way out.
    signal.signal(signal.SIGTERM, _terminated)
    try:
        base, changed = resolve(base_spec), resolve(changed_spec)
        if cases_dir is not None:
            cases: Sequence[Case] = case_files(cases_dir)
        elif table_file is not None:
            cases = _table_cases(table_file, skip_bad).cases
        else:
            from guanzhi_rules._population import generate

            assert generate_n is not None
            try:
                cases = generate(generate_n, seed, known, fix=fix, weight=weight)
            except CaseError:
                raise  # a fixed or weighted fact, named by its path
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


def _pinned(fixes: tuple[str, ...], weights: tuple[str, ...]) -> tuple[dict[str, Any], dict[str, tuple[Any, float]]]:
    """``--fix FACT=VALUE`` and ``--weight FACT=VALUE:P`` as the population reads them (it validates them)."""
    from guanzhi_rules._population import fact_value

    fix: dict[str, Any] = {}
    weight: dict[str, tuple[Any, float]] = {}
    for option, given in (("--fix", fixes), ("--weight", weights)):
        for text in given:
            path, equals, value = text.partition("=")
            if not equals or not path.strip():
                raise click.BadParameter(f"{text!r}: write FACT=VALUE{':P' if option == '--weight' else ''}", param_hint=option)
            path = path.strip()
            if option == "--fix":
                fix[path] = fact_value(path, value.strip())
                continue
            value, colon, chance = value.rpartition(":")
            try:
                p = float(chance)
            except ValueError:
                p = -1.0
            if not colon or not 0 <= p <= 1:
                raise click.BadParameter(f"{text!r}: write FACT=VALUE:P with P a probability from 0 to 1", param_hint=option)
            weight[path] = (fact_value(path, value.strip()), p)
    return fix, weight


def _terminated(signum: int, frame: object) -> NoReturn:
    click.echo("error: terminated; the diff was not finished", err=True)
    sys.exit(128 + signum)


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True, help="Server processes.")
def serve_command(host: str, port: int, workers: int) -> None:
    """Serve the HTTP API (OpenAPI at /openapi.json, documentation at /docs) until interrupted. The 'serve' extra.

    Every command has an endpoint returning the same JSON: POST /evaluate, /compare, /explain,
    /eligibility, /check (an overlay), /diff (a job: GET /jobs/{id}); GET /rulesets, /schema/{what},
    /version, /healthz. Rule sets are named by bundled key, amended by overlays sent inline.
    """
    try:
        from guanzhi_rules._service import serve
    except ImportError as exc:
        _fail(GuanzhiError(f"serving needs FastAPI and uvicorn: pip install 'guanzhi-rules[serve]' ({exc})"))
    serve(host=host, port=port, workers=workers)


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
