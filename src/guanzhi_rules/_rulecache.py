"""The parsed bundled rule files, kept on disk so that a fresh process skips their YAML parsing.

Parsing YAML is the largest part of loading a rule set, and the bundled rule files change only
with the package. The parsed data of each is stored in the user's cache directory
(``$XDG_CACHE_HOME/guanzhi-rules``, else ``~/.cache/guanzhi-rules``), in a file named by the
SHA-256 of the package version, this format's number and the rule file's bytes.

An entry holds data only: JSON (dates tagged), never pickle or code, so reading one cannot run
anything. It starts with a header line carrying the SHA-256 of the rest; an entry whose name or
digest does not match (stale, edited, truncated, unreadable) is ignored, and the loader parses the
YAML and writes the entry again. Data from the cache goes through the same validation and
compilation as freshly parsed data, and the loader writes an entry only for a file that loaded
without error, so a rule set is the same whether or not it came from the cache. Writing is atomic
(a temporary file renamed into place) and best effort: where the directory cannot be written,
nothing is cached and nothing is said.

The digest detects corruption and edits, not a deliberate forgery: whoever can write the user's
cache directory can write a matching digest too (and, usually, the user's other files).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from guanzhi_rules._version import __version__

FORMAT = 1
"""The entry format's number: a change of format (or of the package version) names new entries."""

_HEADER = "guanzhi-rules parsed rule file"
_DATE, _DATETIME = "$date", "$datetime"


def directory() -> Path | None:
    """Where entries live: ``$XDG_CACHE_HOME/guanzhi-rules`` (an absolute path), else ``~/.cache/guanzhi-rules``; None without a home."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG spec: a relative (or empty) value is invalid and ignored
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home directory to be found
            return None
    return Path(base) / "guanzhi-rules"


def _entry(source: bytes) -> Path | None:
    folder = directory()
    if folder is None:
        return None
    key = hashlib.sha256(f"{__version__}\0{FORMAT}\0".encode() + source).hexdigest()
    return folder / f"rules-{key}.json"


def _tag(value: object) -> dict[str, str]:
    """``json.dumps`` hook: dates and timestamps as tagged objects, so they come back as they were."""
    if isinstance(value, dt.datetime):
        return {_DATETIME: value.isoformat()}
    if isinstance(value, dt.date):
        return {_DATE: value.isoformat()}
    raise TypeError(f"{type(value).__name__} is not plain data")


def _untag(item: dict[str, Any]) -> Any:
    if len(item) == 1:
        if isinstance(item.get(_DATE), str):
            return dt.date.fromisoformat(item[_DATE])
        if isinstance(item.get(_DATETIME), str):
            return dt.datetime.fromisoformat(item[_DATETIME])
    return item


def encode(data: Any) -> str | None:
    """The data as an entry's payload, or None where it would not decode to equal data (a NaN, a key like a tag)."""
    try:
        payload = json.dumps(data, default=_tag, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError, RecursionError):
        return None
    return payload if decode(payload) == data else None


def decode(payload: str) -> Any:
    """The data an entry's payload holds.

    Raises:
        ValueError: the payload is not the JSON ``encode`` writes.
    """
    try:
        return json.loads(payload, object_hook=_untag)
    except RecursionError as exc:
        raise ValueError("the payload nests too deeply") from exc


def read(source: bytes) -> Any | None:
    """The parsed data of the rule file whose bytes are ``source``, if a sound entry holds it; else None."""
    path = _entry(source)
    if path is None:
        return None
    try:
        text = path.read_text(encoding="utf-8")
        header, _, payload = text.partition("\n")
        if header != f"{_HEADER} {FORMAT} sha256={hashlib.sha256(payload.encode()).hexdigest()}":
            return None
        return decode(payload)
    except (OSError, ValueError):  # missing, unreadable, not UTF-8, not JSON: parse the YAML instead
        return None


def write(source: bytes, data: Any) -> None:
    """Keep the parsed data of the rule file whose bytes are ``source``, if the cache directory can be written."""
    path = _entry(source)
    payload = encode(data)
    if path is None or payload is None:
        return
    text = f"{_HEADER} {FORMAT} sha256={hashlib.sha256(payload.encode()).hexdigest()}\n{payload}"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=".rules-", delete=False) as out:
            out.write(text)
        try:
            os.replace(out.name, path)
        finally:
            if os.path.exists(out.name):
                os.unlink(out.name)
    except OSError:
        return  # a read-only or full disk, a file where the directory should be: no cache, same results
