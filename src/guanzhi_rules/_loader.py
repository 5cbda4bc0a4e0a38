"""Loading rule sets: read a rule file as safe YAML, validate it, compile it, and cache the result.

Everything that can be wrong with a rule file is found at load time, so evaluation never meets a
malformed rule: ``_compiler`` compiles and checks what this module has read and validated, and
``_overlay`` amends a loaded rule set. Errors name the file, line, column and rule id.

Two caches: loaded rule sets in memory (``_load_cached``), and the parsed data of the bundled rule
files on disk (``_rulecache``), which spares a fresh process their YAML parsing. Overlays and the
official texts their quotes are checked against (``_overlay``, ``_quotes``) are imported only when an
overlay is named: loading a bundled rule set, the cold start of every ``guanzhi`` call, needs neither.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

import guanzhi_rules
from guanzhi_rules import _rulecache, _yaml
from guanzhi_rules._compiler import compile_rules, freeze_conditions, located_error, validation_error
from guanzhi_rules._rulefile import BUNDLED, Citation, RuleFile, Text
from guanzhi_rules._ruleset import RuleSet
from guanzhi_rules._suggestions import suggest
from guanzhi_rules.exceptions import Location, RuleSetError, RuleSetNotFoundError

_PACKAGE_DIR = Path(__file__).resolve().parent


def rules_dir() -> Path:
    """Where the bundled rule sets live: inside the installed wheel, or in the source tree."""
    for candidate in (_PACKAGE_DIR / "rules", _PACKAGE_DIR.parents[1] / "rules"):
        if candidate.is_dir():
            return candidate
    raise RuleSetNotFoundError("the bundled rules/ directory is missing from this installation")


def load_path(
    path: Path, *, limits: _yaml.Limits = _yaml.DEFAULT_LIMITS, overlays: Sequence[str | Path] = (),
) -> RuleSet:
    """Load and compile a rule file, and apply overlays to it in order.

    Args:
        path: the rule file.
        limits: bounds on the YAML document (size, depth, nodes, scalar length); overlays too.
        overlays: overlay files (see ``docs/authoring.md``), applied in order.

    Raises:
        RuleSetError: anything wrong with the file or an overlay, with its location.
    """
    if overlays:
        return _overlaid(load_path(path, limits=limits), overlays, limits)
    raw = _raw(path, limits)
    bundled = limits == _yaml.DEFAULT_LIMITS and _is_bundled(path)
    data = _rulecache.read(raw) if bundled else None
    parsed = not isinstance(data, dict)
    if parsed:
        data = _read(raw, path, limits)
    try:
        file = RuleFile.model_validate_json(json.dumps(data, default=_yaml.json_default, ensure_ascii=False))
    except ValidationError as exc:
        raise validation_error(exc, data, path) from exc
    _no_draft_wording(file, data, path)
    rules = compile_rules(file, data, path)
    freeze_conditions(file)
    if bundled and parsed:  # only data that loaded without error: a cached rule file never needs its locations
        _rulecache.write(raw, data)
    return RuleSet(file, rules, path, None)  # the fingerprint of the file, computed when first asked for


def quote_problem(base: RuleSet, citation: Citation) -> str | None:
    """What is wrong with ``citation``'s quote in ``base``'s official text (or the text it names), as ``guanzhi check`` finds it.

    Nothing is said where the base's own text cannot be found: ``guanzhi check`` reports that.
    """
    from guanzhi_rules import _quotes  # noqa: PLC0415 - the official texts only when an overlay quotes them (cold start)

    source = _quotes.source_of(base, rules_dir())
    if isinstance(source, Text):
        return None
    found = _quotes.locate_quote(citation, base, source, lambda key: _quotes.foreign_text(key, load, rules_dir()))
    return found.en if isinstance(found, Text) else None


def _no_draft_wording(file: RuleFile, data: Any, path: Path) -> None:
    """A rule file states law: draft wording (``citation: {draft: ...}``) belongs in an overlay, a proposal."""
    for i, rule in enumerate(file.rules):
        if rule.citation.draft:
            raise located_error("draft wording is allowed only in an overlay (a proposal), never in a rule file: cite the "
                                "official text with 'quote', or move the rule into an overlay",
                                data, ("rules", i, "citation"), path, rule.id)
    for i, citation in enumerate(file.ladder.citations):
        if citation.draft:
            raise located_error("draft wording is allowed only in an overlay, never in a rule file's ladder", data,
                                ("ladder", "citations", i), path)


def _is_bundled(path: Path) -> bool:
    """Whether ``path`` is one of the bundled rule files."""
    try:
        return path.resolve().parent == rules_dir().resolve() and path.stem in BUNDLED
    except (OSError, RuleSetNotFoundError):
        return False


def _raw(path: Path, limits: _yaml.Limits) -> bytes:
    """The rule file's bytes, within ``limits.max_bytes``."""
    try:
        return _yaml.read_limited(path, limits)
    except OSError as exc:
        raise RuleSetNotFoundError(f"cannot read rule file: {exc.strerror}", location=Location(str(path))) from exc
    except _yaml.YamlError as exc:  # too large
        raise _yaml_error(exc, path) from exc


def _yaml_error(exc: _yaml.YamlError, path: Path) -> RuleSetError:
    """A YAML problem of the rule file as a rule-set error, located where the parser found it."""
    mark = exc.mark
    return RuleSetError(exc.message, location=Location(str(path), mark.line if mark else None, mark.column if mark else None))


def _read(raw: bytes, path: Path, limits: _yaml.Limits) -> Any:
    """The rule file's located data: a mapping, and not an overlay."""
    from guanzhi_rules import _yamlparse  # noqa: PLC0415 - PyYAML only where the cache of parsed rule files has none (cold start)

    try:
        data = _yamlparse.parse(raw, limits=limits)
    except _yaml.YamlError as exc:
        raise _yaml_error(exc, path) from exc
    if not isinstance(data, dict):
        raise RuleSetError("a rule file must be a mapping with document, ladder and rules", location=Location(str(path), 1, 1))
    if "overlay" in data and "document" not in data:
        raise RuleSetError("this is an overlay, not a rule file: apply it to its base rule set, load(BASE, overlays=[PATH]) "
                           "or BASE+PATH on the command line", location=Location(str(path), 1, 1))
    return data


@functools.lru_cache(maxsize=32)
def _load_cached(path: str, mtime_ns: int, size: int, limits: _yaml.Limits) -> RuleSet:
    """``load_path(path)``, cached by the file's identity: its path, modification time and size.

    Bounded because every edit of a file makes a new key: a long-lived process that reloads files
    (a server, an editor integration, a test session writing rule files) would otherwise keep every
    version it ever loaded. 32 holds the bundled rule sets and the files a project works on with
    room to spare; an evicted rule set is simply loaded again (equal, but a new object).
    """
    del mtime_ns, size  # only part of the cache key
    return load_path(Path(path), limits=limits)


def load(
    key_or_path: str | Path, *, limits: _yaml.Limits = _yaml.DEFAULT_LIMITS, overlays: Sequence[str | Path] = (),
    on: dt.date | None = None,
) -> RuleSet:
    """Load a bundled rule set by key ("benxi") or any rule file by path, amended by overlays.

    Loading the same unchanged files twice (with the same limits) returns the same (immutable)
    ``RuleSet``, while it is among the last 32 rule files loaded.

    Args:
        key_or_path: a bundled key, or the path of a rule file.
        limits: bounds on the YAML documents; the defaults suit any real rule file.
        overlays: paths of overlay files, applied in order (see ``docs/authoring.md``). The amended
            rule set's ``sha256`` fingerprints the base and each overlay's content, in order.
        on: give the version in force on this day: of the dated overlays (``in_force_from``), only
            those in force by then are applied (undated ones always are). Without it, all are. Every
            version knows the whole timeline (``RuleSet.versions``).

    Raises:
        RuleSetNotFoundError: no bundled rule set has that key, or no such file (rule file or overlay) exists.
        RuleSetError: the file or an overlay is malformed, or an overlay does not fit its base.
    """
    text = str(key_or_path)
    if isinstance(key_or_path, str) and "/" not in text and "\\" not in text and not text.endswith((".yaml", ".yml")):
        path = rules_dir() / f"{text}.yaml"
        if not path.is_file():
            raise RuleSetNotFoundError(f"no bundled rule set {text!r}{suggest(text, BUNDLED)} (bundled: {', '.join(BUNDLED)})")
    else:
        path = Path(key_or_path)
    path = path.resolve()
    try:
        stat = path.stat()
    except OSError as exc:
        raise RuleSetNotFoundError(f"cannot read rule file: {exc.strerror}", location=Location(str(path))) from exc
    ruleset = _load_cached(str(path), stat.st_mtime_ns, stat.st_size, limits)
    if overlays:
        ruleset = _overlaid(ruleset, overlays, limits)
    return ruleset if on is None else ruleset.version_on(on)


def _overlaid(base: RuleSet, overlays: Sequence[str | Path], limits: _yaml.Limits) -> RuleSet:
    """``base`` amended by the overlay files in order, their quotes checked against the official texts."""
    from guanzhi_rules._overlay import apply_overlays  # noqa: PLC0415 - overlays only when one is named (cold start)

    return apply_overlays(base, overlays, limits=limits, quotes=quote_problem)


def load_bundled(key: object) -> RuleSet:
    """The bundled rule set a document names by key (a history, a stored determination): never a path.

    Raises:
        RuleSetNotFoundError: ``key`` is not the key of a bundled rule set.
    """
    if not isinstance(key, str) or key not in BUNDLED:
        hint = suggest(key, BUNDLED) if isinstance(key, str) and len(key) < 100 else ""
        raise RuleSetNotFoundError(f"no bundled rule set {str(key)[:100]!r}{hint} (bundled: {', '.join(BUNDLED)})")
    return load(key)


def load_all() -> dict[str, RuleSet]:
    """Every bundled rule set that exists, keyed by jurisdiction."""
    directory = rules_dir()
    return {key: load(key) for key in BUNDLED if (directory / f"{key}.yaml").is_file()}


def resolve(spec: str | Path, *, limits: _yaml.Limits = _yaml.DEFAULT_LIMITS) -> RuleSet:
    """The rule set a command line names: a key, a rule-file path, an overlay path, or ``BASE+OVERLAY[+OVERLAY...]``.

    An overlay path alone is applied to the bundled rule set its header names.

    Raises:
        RuleSetNotFoundError: a key or file that does not exist.
        RuleSetError: a malformed rule file or overlay.
    """
    text = str(spec)
    path = Path(text)
    if "+" in text and not path.exists():
        base, *overlays = text.split("+")
        if not base or not all(overlays):
            raise RuleSetError(f"cannot read {text!r} as a rule set: write KEY, PATH, OVERLAY or BASE+OVERLAY[+OVERLAY...]")
        return load(base, limits=limits, overlays=overlays)
    if ("/" in text or "\\" in text or text.endswith((".yaml", ".yml"))) and path.is_file():
        from guanzhi_rules._overlay import is_overlay, read_overlay  # noqa: PLC0415 - overlays only when a file is named (cold start)

        if is_overlay(path, limits):
            overlay, _ = read_overlay(path, limits)
            return load(overlay.overlay.base, limits=limits, overlays=[path])
    return load(spec, limits=limits)


guanzhi_rules._present(__name__)  # the public names above read as guanzhi_rules.<name>
