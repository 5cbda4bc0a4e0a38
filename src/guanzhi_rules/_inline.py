"""Overlays given inline (in an HTTP request, on stdin) rather than as files, applied by the same loader.

The loader applies overlays from files (``load(key, overlays=[path])``), caches them by file identity
and names the file in every error. An inline overlay is written, as the JSON or YAML text it arrived
as, to a private temporary directory (mode 0700) for as long as it is being applied, then removed;
errors are relabelled with the name the caller knows it by (``rulesets[0].overlays[1]``, ``-``), so a
server's temporary paths never reach a client. Nothing in an overlay names a file: its base is a
rule-set key and a foreign citation a bundled key, both checked by the loader.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from guanzhi_rules._check import Report, check
from guanzhi_rules.exceptions import Location, RuleSetError


def _text(overlay: Mapping[str, Any] | str | bytes) -> bytes:
    if isinstance(overlay, bytes):
        return overlay
    if isinstance(overlay, str):
        return overlay.encode("utf-8")
    return json.dumps(overlay, ensure_ascii=False, allow_nan=False).encode("utf-8")  # JSON is YAML


@contextmanager
def overlay_files(overlays: Sequence[Mapping[str, Any] | str | bytes], names: Sequence[str]) -> Iterator[list[Path]]:
    """Write each overlay to a private temporary file for the duration of the ``with`` block.

    Args:
        overlays: overlays as data (a mapping, written as JSON) or as YAML/JSON text.
        names: what the caller calls each overlay; a ``RuleSetError`` raised inside the block is
            re-raised naming it instead of the temporary file.

    Raises:
        RuleSetError: relabelled, from the block.
    """
    directory = Path(tempfile.mkdtemp(prefix="guanzhi-overlay-")).resolve()
    paths = [directory / f"overlay-{i}.yaml" for i in range(len(overlays))]
    try:
        for path, overlay in zip(paths, overlays, strict=True):
            path.write_bytes(_text(overlay))
        try:
            yield paths
        except RuleSetError as exc:
            raise relabel(exc, {str(p): n for p, n in zip(paths, names, strict=True)}, str(directory)) from exc
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def relabel(exc: RuleSetError, names: Mapping[str, str], directory: str) -> RuleSetError:
    """``exc`` with each temporary path replaced by the name its overlay is known by."""
    location = exc.location
    if location is not None and location.path in names:
        location = Location(names[location.path], location.line, location.column)
    message = _relabel_text(exc.message, names, directory)
    return type(exc)(message, location=location, rule_id=exc.rule_id, definition=exc.definition)


def _relabel_text(text: str, names: Mapping[str, str], directory: str) -> str:
    for path, name in names.items():
        text = text.replace(path, name)
    return text.replace(directory, "(overlay)")


def check_overlay(overlay: Mapping[str, Any] | str | bytes, name: str) -> Report:
    """``guanzhi check`` of one inline overlay, as the rule set it amends; its findings name it ``name``."""
    with overlay_files([overlay], [name]) as paths:
        report = check(paths[0])
        names, directory = {str(paths[0]): name}, str(paths[0].parent)
    findings = tuple(replace(f, message=_relabel_text(f.message, names, directory)) for f in report.findings)
    return replace(report, target=name, findings=findings)
