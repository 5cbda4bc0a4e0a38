"""The ``guanzhi`` command line.

Exit codes: 0 success; 2 bad input (a malformed case or rule file, an unknown key, bad
arguments), reported as one paragraph on stderr, never as a traceback.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import NoReturn

import click

from guanzhi_rules._case import Case, read_case
from guanzhi_rules._loader import BUNDLED, RuleSet, load
from guanzhi_rules._rulefile import RuleFile
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
              help=f"Rule set key ({', '.join(BUNDLED)}), a rule-file path, or 'all'. Repeatable.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def evaluate(case_file: Path, keys: tuple[str, ...], fmt: str, lang: str) -> None:
    """Evaluate CASE_FILE (YAML or JSON) under one or more rule sets."""
    try:
        case = read_case(case_file)
        rulesets = _rulesets(keys)
        determinations = [rs.evaluate(case) for rs in rulesets]
    except GuanzhiError as exc:
        _fail(exc)
    if fmt == "json":
        payload = [json.loads(d.to_json()) for d in determinations]
        click.echo(json.dumps(payload[0] if len(payload) == 1 else payload, ensure_ascii=False, indent=2))
    else:
        click.echo("\n".join(d.to_text(lang) for d in determinations), nl=False)  # type: ignore[arg-type]


def _rulesets(keys: tuple[str, ...]) -> list[RuleSet]:
    if "all" in keys:
        from guanzhi_rules._loader import load_all

        return list(load_all().values())
    return [load(key) for key in keys]


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

    Reports schema and reference errors, quotes not found under the article they cite, enumerated
    items neither cited nor declared declaratory, dead rules and same-priority conflicts, then a
    coverage table per document. Exits 1 on any finding.
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
    from guanzhi_rules._verify import verify

    try:
        stored = json.loads(determination_json.read_text(encoding="utf-8"))
        case = read_case(case_file) if case_file else None
        result = verify(stored, case, load(key) if key else None)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        _fail(exc if isinstance(exc, GuanzhiError) else GuanzhiError(f"{determination_json}: not a stored determination ({exc})"))
    click.echo(result.to_text(), nl=False)
    if not result.same:
        sys.exit(1)
