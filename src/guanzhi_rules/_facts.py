"""The fact registry: every fact a rule may read, by dotted name, with its type and labels.

Built once from the ``Case`` model, so the model is the single source of the vocabulary.
"""

from __future__ import annotations

import datetime as dt
import itertools
import operator
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from guanzhi_rules._case import NOT_READ_BY_RULES, Case
from guanzhi_rules._vocab import Ordinal, Vocab

Kind = Literal["bool", "enum", "ordinal", "set", "int", "number", "date"]


@dataclass(frozen=True)
class FactSpec:
    """What a rule needs to know about one fact."""

    path: str
    kind: Kind
    zh: str
    en: str
    description: str
    values: type[Vocab] | None = None
    judgement: Literal["assessment", "finding"] | None = None
    """Whether the fact is a judgement point: the decision-maker's assessment or finding (see ``_case.Judgement``)."""

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


def _kind_of(annotation: Any) -> tuple[Kind, type[Vocab] | None]:
    args = [a for a in typing.get_args(annotation) if a is not types.NoneType]
    base = args[0] if typing.get_origin(annotation) in (typing.Union, types.UnionType) else annotation
    if typing.get_origin(base) is frozenset:
        (member,) = typing.get_args(base)
        return "set", member
    if base is bool:
        return "bool", None
    if base is int:
        return "int", None
    if base is float:
        return "number", None
    if base is dt.date:
        return "date", None
    if isinstance(base, type) and issubclass(base, Ordinal):
        return "ordinal", base
    if isinstance(base, type) and issubclass(base, Vocab):
        return "enum", base
    raise TypeError(f"unsupported fact type {annotation!r}")


def _build() -> dict[str, FactSpec]:
    specs: dict[str, FactSpec] = {}
    for section, section_field in Case.model_fields.items():
        model = section_field.annotation
        if not (isinstance(model, type) and issubclass(model, BaseModel)) or section in NOT_READ_BY_RULES:
            continue  # id and summary are not facts; the place is checked against a document's territory, not by rules
        for name, field in model.model_fields.items():
            kind, values = _kind_of(field.annotation)
            extra = field.json_schema_extra
            zh = extra["x-label-zh"] if isinstance(extra, dict) else name
            judgement = extra.get("x-judgement") if isinstance(extra, dict) else None
            path = f"{section}.{name}"
            specs[path] = FactSpec(path, kind, str(zh), field.title or name, field.description or "", values, judgement)  # type: ignore[arg-type]
    return specs


FACTS: dict[str, FactSpec] = _build()
"""Every fact a rule may read, keyed by dotted name (``section.field``)."""

def _layout() -> tuple[tuple[str, tuple[str, ...], Callable[[Mapping[str, Any]], Iterable[Any]]], ...]:
    """Each section of a case, its facts' dotted names, and how to read their values off the section's fields at once."""
    layout = []
    for section in dict.fromkeys(path.split(".")[0] for path in FACTS):
        paths = tuple(p for p in FACTS if p.split(".")[0] == section)
        names = [p.split(".")[1] for p in paths]
        read = operator.itemgetter(*names) if len(names) > 1 else lambda fields, name=names[0]: (fields[name],)
        layout.append((section, paths, read))
    return tuple(layout)


_LAYOUT = _layout()
_PATHS = tuple(path for _, paths, _ in _LAYOUT for path in paths)


def flatten(case: Case) -> dict[str, Any]:
    """The case's facts keyed by dotted name, as rules read them."""
    values = itertools.chain.from_iterable(read(getattr(case, section).__dict__) for section, _, read in _LAYOUT)
    return dict(zip(_PATHS, values, strict=True))  # a model's fields are in its __dict__
