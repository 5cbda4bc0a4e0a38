"""The rule-file format: pydantic models for what a ``rules/<key>.yaml`` file may contain.

These models check shape only. Conditions stay raw data here; the loader compiles them against
the fact registry and checks cross-references (defeats, ladder measures, definitions).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    WithJsonSchema,
    field_validator,
    model_serializer,
    model_validator,
)

import guanzhi_rules
from guanzhi_rules._places import CODE
from guanzhi_rules._vocab import DevelopmentZone, Measure

Stage = Literal[
    "scope", "circumstance", "bar", "exemption", "aggravating", "mitigating", "sanction_band", "consequence", "choice", "procedure",
]
"""Pipeline stages, in the order the evaluator walks them."""

STAGES: tuple[Stage, ...] = (
    "scope", "circumstance", "bar", "exemption", "aggravating", "mitigating", "sanction_band", "consequence", "choice", "procedure",
)

BUNDLED: tuple[str, ...] = ("jiangsu", "yangjiang", "benxi", "yueyang", "zhejiang")
"""Keys of the five bundled jurisdictions, in the order the documents were issued (Yueyang undated).

The rule sets shipped in ``rules/``, and the documents a ``citation.document`` may name."""

Modality = Literal["shall", "always", "may", "as_warranted"]
"""应当 (shall), 一律 (always), 可以 (may), 视情 (as circumstances warrant)."""

MANDATORY: frozenset[str] = frozenset({"shall", "always"})

Factor = Literal["heavier", "lighter", "reduced", "reduced_or_lighter"]
"""从重 (heavier end of the range), 从轻 (lighter end), 减轻 (below the range), 减轻或从轻."""

Restriction = Literal["promotion", "equivalent_post", "higher_post", "any_post", "related_post"]
"""不得提拔; 不得担任与原职务相当的职务; 不得担任高于原职务层次的职务; 不安排职务; 不得担任相关联的职务."""

Status = Literal[
    "removed_from_leadership_team", "removed_from_promotion_shortlist", "removed_from_reserve_list",
    "trial_post_cancelled", "pay_at_pre_trial_level", "made_public", "filed_in_personnel_record",
    "reappointment_needs_approval", "name_cleared",
]
Grade = Literal["basically_competent", "incompetent"]
Referral = Literal["party_discipline", "public_office_discipline", "discipline_inspection", "judicial_organs"]

CONDITION_SCHEMA: dict[str, Any] = {
    "description": "A structured condition: a fact name, or {all|any: [...]}, {not: ...}, {use: NAME}, "
    "or {fact: NAME, is|in|at_least|at_most|has|has_any|has_all: VALUE}.",
    "anyOf": [{"type": "string"}, {"type": "object"}],
}
ConditionData = Annotated[Any, WithJsonSchema(CONDITION_SCHEMA)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


class Text(_Model):
    """A statement in Chinese and English."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


_CN = "零一二三四五六七八九十百"
# 文首 names the text before a source's first numbered unit (``PREAMBLE``).
_ADDRESS_TOKEN = re.compile(rf"文首|第[{_CN}]+条|[（(][{_CN}]+[)）]|[（(]\d+[)）]|\d+[.．]?|[{_CN}]+、?")
_WHITESPACE = re.compile(r"\s+")


def address_labels(*parts: str | None) -> tuple[str, ...]:
    """The canonical labels of an address written in any of the sources' styles, level by level.

    ``("二(二)1", "(9)")`` → ``("二", "（二）", "1", "（9）")``; ``("第八条", "(七)")`` → ``("第八条", "（七）")``;
    ``("五", "1．")`` → ``("五", "1")``. Brackets become full-width, a number loses its point, a section
    numeral its 、, and whitespace is ignored.

    Raises:
        ValueError: a part is not made of article and item numbers.
    """
    labels: list[str] = []
    for part in parts:
        if not part:
            continue
        text = _WHITESPACE.sub("", part)
        pos = 0
        for match in _ADDRESS_TOKEN.finditer(text):
            if match.start() != pos:
                break
            token = match.group().replace("(", "（").replace(")", "）").rstrip(".．、")
            labels.append(token)
            pos = match.end()
        if pos != len(text):
            raise ValueError(f"cannot read {part!r} as an article or item number (第六条, 二, （三）, (3), 1.)")
    return tuple(labels)


class Address(_Model):
    """A citation's address in one canonical form, whatever style the rule file wrote it in.

    ``article`` is the top numbered unit (第八条, or a section 二); ``item`` the unit under it (（七）, （二）,
    or 2 where a section numbers its paragraphs 1. 2.); ``sub_item`` whatever lies below the item, joined
    (1（9）). Brackets are full-width and numbers carry no point, so Jiangsu 第八条 + ``(七)`` and
    第八条 + ``（七）`` give the same address, and Yangjiang 二(二)1 + ``(9)`` and 二 + ``(二)1(9)`` too.
    ``text`` is the whole address as one string (第八条（七）, 二（二）1（9）); reading it back gives the same
    address. ``part`` names the measure, in a file holding several (the text leaves it out).
    """

    article: str
    item: str | None = None
    sub_item: str | None = None
    part: str | None = None
    text: str

    @classmethod
    def of(cls, article: str, item: str | None = None, part: str | None = None) -> Address:
        """The canonical address of an article and item written in any style.

        Raises:
            ValueError: the address is not made of article and item numbers.
        """
        return _address(article, item, part)


@functools.lru_cache(maxsize=4096)
def _address(article: str, item: str | None, part: str | None) -> Address:
    labels = address_labels(article, item)
    if not labels:
        raise ValueError(f"cannot read {article!r} as an article or item number: it is empty")
    return Address(article=labels[0], item=labels[1] if len(labels) > 1 else None,
                   sub_item="".join(labels[2:]) or None, part=part, text="".join(labels))


DRAFT_MARK = "【拟】"
"""What marks draft wording wherever a citation is shown: the words are proposed, not the official text's."""


class Citation(_Model):
    """Where a rule comes from: article, item and the verbatim words of the source.

    ``article`` and ``item`` are as the rule file writes them; ``canonical`` is their canonical form.

    In an overlay, a rule may cite **draft wording** instead: ``{article: 第十六条, draft: "拟新增的文字"}``
    gives the proposed words and the article where they would stand. It is kept as ``quote`` with
    ``draft: true``, never checked against the official text, and shown marked as proposed
    (``DRAFT_MARK``). A rule file (bundled or not) cannot cite draft wording: only a proposal can.
    """

    article: str = Field(min_length=1, description="Article or section, as the source numbers it: 第六条, 二(二)1.")
    item: str | None = Field(default=None, description="Item within the article, as the source numbers it: （三）, (12).")
    part: str | None = Field(default=None, description="For a file holding several measures: which one.")
    quote: str = Field(min_length=2, description="Verbatim words of the source text.")
    # A citation of the rule set's own text serialises as it always has (no ``document``, no ``draft``),
    # so fingerprints and stored determinations of existing rule sets do not change.
    document: str | None = Field(
        default=None, pattern=r"^[a-z][a-z0-9_]*$", exclude_if=lambda document: document is None,
        description="The bundled rule set whose official text is quoted, when it is not the citing rule set's own "
        "(an overlay adopting another jurisdiction's article). Omitted: the rule set's own source.")
    draft: bool = Field(
        default=False, exclude_if=lambda draft: not draft,
        description="The quote is draft wording a proposal introduces, not text of the source: written "
        "{article: ..., draft: TEXT} in an overlay's add or replace; never checked against the official text, shown as proposed.")

    @model_validator(mode="before")
    @classmethod
    def _draft_wording(cls, data: Any) -> Any:
        # {draft: TEXT} is the spelling a drafter writes; the model keeps the words as the quote, marked.
        if isinstance(data, dict) and isinstance(data.get("draft"), str):
            if "quote" in data:
                raise ValueError("a citation gives either 'quote' (words of the official text) or 'draft' (proposed words), not both")
            data = {**data, "quote": data["draft"], "draft": True}
        return data

    @model_validator(mode="after")
    def _readable_address(self) -> Citation:
        self.canonical  # noqa: B018 - refuse at load time an address no consumer could match
        return self

    @property
    def canonical(self) -> Address:
        """The canonical form of ``article`` and ``item`` (and ``part``)."""
        return _address(self.article, self.item, self.part)


class Cited(Citation):
    """A citation as it leaves the library (determinations, explain, compare, diff): the rule file's
    citation and its canonical ``address``, so a consumer can match 第八条（七） however the file wrote it."""

    address: Address

    @classmethod
    def of(cls, citation: Citation) -> Cited:
        """The citation with its address (the same object for a citation already carrying it)."""
        return citation if isinstance(citation, Cited) else _cited(citation)


@functools.lru_cache(maxsize=4096)
def _cited(citation: Citation) -> Cited:
    return Cited(article=citation.article, item=citation.item, part=citation.part, quote=citation.quote,
                 document=citation.document, draft=citation.draft, address=citation.canonical)


SOURCE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}\.txt")
"""A source text's name: a file in a sources/ folder, never a path elsewhere."""

PREAMBLE = "文首"
"""What a citation names as its article for the unnumbered text before a source's first numbered unit
(its heading, covering notice, signature and date): ``{article: 文首, quote: 2019年4月25日}``."""


class Commencement(_Model):
    """When the document takes effect, as its text states it, with the date that makes it a day."""

    stated: bool = Field(description="The text has a commencement clause (自发布之日起施行). Without one, the document is "
                         "read as in force from its issue or publication date, and the note says so.")
    date: dt.date | Literal["unknown"] = Field(description="The first day in force; unknown where the text gives no date.")
    citations: tuple[Citation, ...] = Field(
        min_length=1, description="The commencement clause, and where the date is read (文首 for the heading or signature).")
    note: Text = Field(description="How the day was read from the text.")


class Territory(_Model):
    """The territory the document binds, from its own words (全省, 我市, 全区)."""

    division: str = Field(pattern=CODE.pattern, description="GB/T 2260 code of the division: 320000 江苏省, 441700 阳江市.")
    zone: DevelopmentZone | None = Field(default=None, description="A development zone within the division, for a zone's own document.")
    citation: Citation = Field(description="The document's territorial words.")
    note: Text | None = Field(default=None, description="How the territory was read, where the words are not a scope clause.")


class Document(_Model):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    number: str | None = None
    issuer: str
    issued: dt.date | Literal["unknown"]
    source: str = Field(description="The official text: a file name (no folders) in the sources/ folder beside the "
                        "rule file, or among the bundled sources.")
    note: Text | None = Field(default=None, description="How the document's identity was established, where the text is unclear.")
    commencement: Commencement | None = Field(
        default=None, description="When the document takes effect; omitted: the rule set does not say, and no date is checked.")
    territory: Territory | None = Field(
        default=None, description="Where the document binds; omitted: the rule set does not say, and no place is checked.")

    @model_serializer(mode="wrap")
    def _omit_unstated(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # A rule file without commencement or territory serialises as before, keeping its fingerprint.
        data: dict[str, Any] = handler(self)
        for key in ("commencement", "territory"):
            if data.get(key) is None:
                data.pop(key, None)
        return data

    @field_validator("source")
    @classmethod
    def _plain_file_name(cls, name: str) -> str:
        if not SOURCE_NAME.fullmatch(name):
            raise ValueError("must be a plain file name ending in .txt, in the sources/ folder (no folders, no '..')")
        return name


class Freeze(_Model):
    """A restriction lasting a number of months, until rectification, or for a length the text leaves open."""

    restriction: Restriction
    months: int | None = Field(default=None, ge=1, le=600)
    until: Literal["rectification"] | None = None
    length: Literal["fixed", "not_fixed", "indefinite"] = "fixed"
    converts_after_months: int | None = Field(
        default=None, ge=1, le=120, description="With until: rectification, rectification taking longer than this converts the measure.")
    converts_to: Measure | None = Field(default=None, description="The measure the handling converts to (按照…进行问责).")

    @model_validator(mode="after")
    def _one_length(self) -> Freeze:
        if (self.converts_after_months is None) != (self.converts_to is None) or (self.converts_to and self.until is None):
            raise ValueError("'converts_after_months' and 'converts_to' go together, with until: rectification")
        given = (self.months is not None) + (self.until is not None)
        if self.length == "fixed" and given != 1:
            raise ValueError("a fixed freeze needs exactly one of 'months' or 'until'")
        if self.length != "fixed" and given:
            raise ValueError(f"a freeze of length {self.length!r} takes neither 'months' nor 'until'")
        return self


class Deadline(_Model):
    """A time limit counted from a date in the case: the start day is not counted."""

    task: Text = Field(description="What must be done by the deadline.")
    after: str = Field(pattern=r"^dates\.[a-z_]+$", description="The date fact the period runs from (dates.*).")
    count: int = Field(ge=1, le=366)
    unit: Literal["working_days", "days"] = Field(description="工作日 (official working days) or 日 (calendar days).")
    extendable: bool = Field(default=False, description="The text allows an extension (经批准可延长…).")
    extended_count: int | None = Field(default=None, ge=1, le=366, description="The extended limit, where the text fixes one.")

    @model_validator(mode="after")
    def _extension(self) -> Deadline:
        if self.extended_count is not None and (not self.extendable or self.extended_count <= self.count):
            raise ValueError("'extended_count' needs extendable: true and must exceed 'count'")
        return self


class Choice(_Model):
    """What a rule says about the measures and discipline a decision-maker chose."""

    permitted: bool
    reason: Text


class Effect(_Model):
    """One thing a rule does. Exactly one key is set."""

    scope: Literal["covered", "covered_by_reference", "not_covered"] | None = None
    category: Text | None = None
    exempt: Literal[True] | None = None
    factor: Factor | None = None
    measures: tuple[Measure, ...] | None = None
    open_ended: bool | None = Field(
        default=None, description="The source's list is not exhaustive (等, 主要): other measures of the kind also fit.")
    freeze: Freeze | None = None
    awards: Literal["lost_for_year"] | None = None
    annual_grade: tuple[Grade, ...] | None = None
    status: tuple[Status, ...] | None = None
    referral: Referral | None = None
    organisation: Text | None = None
    deadline: Deadline | None = None
    choice: Choice | None = None
    statement: Text | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Effect:
        keys = self.keys()
        if keys == {"measures", "open_ended"}:
            return self
        if len(keys) != 1 or keys == {"open_ended"}:
            raise ValueError(f"an effect sets exactly one of its keys, got {sorted(keys) or 'none'}")
        return self

    def keys(self) -> set[str]:
        return {k for k, v in self.__dict__.items() if v is not None}  # the fields, a fifth of the time of iterating the model


ALLOWED_EFFECTS: dict[str, frozenset[str]] = {
    "scope": frozenset({"scope"}),
    "circumstance": frozenset({"category"}),
    "bar": frozenset(),
    "exemption": frozenset({"exempt", "statement"}),
    "aggravating": frozenset({"factor"}),
    "mitigating": frozenset({"factor"}),
    "sanction_band": frozenset({"measures", "open_ended", "statement"}),
    "consequence": frozenset({"freeze", "awards", "annual_grade", "status", "referral", "organisation", "statement"}),
    "choice": frozenset({"choice"}),
    "procedure": frozenset({"deadline"}),
}
"""Which effect keys each stage may use."""


class Rule(_Model):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.\-]*$", description="Stable identifier, unique in the rule set.")
    stage: Stage
    modality: Modality
    label: Text
    when: ConditionData | None = Field(
        default=None, description="Structured condition; a catch-all's reads a finding, and only a catch-all without one omits it.")
    catch_all: bool = Field(
        default=False, description="A 其他…情形 item: it never applies from facts alone. With a 'when' (which must read a "
        "findings.* fact), it applies on the decision-maker's finding and asks for it where the conduct is within the "
        "document's general definition; without one, it only says the list is open.")
    attaches: Literal["always", "accountable", "exempted", "measures"] | None = Field(
        default=None, description="Consequences only: when the consequence attaches.")
    for_measures: tuple[Measure, ...] | None = Field(default=None, description="With attaches: measures, the measures it follows.")
    priority: int = Field(default=0, description="Higher wins among applicable rules of one stage (scope).")
    defeats: tuple[str, ...] = Field(
        default=(), description="Rule ids, or stage:NAME for every rule of a stage, this rule defeats when it applies.")
    combines_with: tuple[str, ...] = Field(
        default=(), description="Rule ids of the same stage whose effects add to this rule's when both apply "
        "(two sanction ranges both open to the decision-maker); without it or a defeat, guanzhi check reports a conflict.")
    then: tuple[Effect, ...] = ()
    citation: Citation
    note: Text | None = Field(default=None, description="How an unclear text was read, for the record.")

    @model_validator(mode="after")
    def _consistent(self) -> Rule:
        if not self.catch_all and self.when is None and self.stage not in ("consequence", "procedure"):
            raise ValueError("'when' is required (only catch-alls, unconditional consequences and procedures omit it)")
        allowed = ALLOWED_EFFECTS[self.stage]
        for effect in self.then:
            stray = effect.keys() - allowed
            if stray:
                raise ValueError(f"a {self.stage} rule cannot have effect {sorted(stray)[0]!r}; allowed: {sorted(allowed) or 'none'}")
        needs_effect = self.stage not in ("bar",)
        if needs_effect and not self.then:
            raise ValueError(f"a {self.stage} rule needs a 'then' effect")
        if self.stage == "bar" and not self.defeats:
            raise ValueError("a bar must say what it defeats")
        if (self.stage == "consequence") != (self.attaches is not None):
            raise ValueError("'attaches' is required for consequence rules and only for them")
        if (self.attaches == "measures") != bool(self.for_measures):
            raise ValueError("'for_measures' goes with attaches: measures, and only with it")
        return self


class LadderStep(_Model):
    measure: Measure
    rung: int = Field(ge=1, description="Severity: a higher rung is heavier; equal rungs are equally heavy.")


class Ladder(_Model):
    """The jurisdiction's own sanction ladder, lightest first."""

    steps: tuple[LadderStep, ...] = Field(min_length=1)
    citations: tuple[Citation, ...] = Field(min_length=1)
    note: Text | None = None


class Silence(_Model):
    """Something the document does not provide, stated so determinations can say so."""

    topic: Literal["exemption", "aggravating", "mitigating", "freeze_length", "procedure"]
    statement: Text


class Declaratory(_Model):
    """Numbered text of the source that no rule encodes, and why (checked by ``guanzhi check``)."""

    article: str = Field(min_length=1, description="Article or section, as in citations; all its items are covered.")
    item: str | None = None
    part: str | None = None
    reason: Text


class RuleFile(_Model):
    document: Document
    ladder: Ladder
    silent_on: tuple[Silence, ...] = ()
    define: dict[str, ConditionData] = Field(default_factory=dict, description="Named conditions, used as {use: NAME}.")
    rules: tuple[Rule, ...] = Field(min_length=1)
    declaratory: tuple[Declaratory, ...] = Field(
        default=(), description="Enumerated items of the source that are principles, duties or procedure no rule encodes.")


guanzhi_rules._present(__name__)  # the public names above read as guanzhi_rules.<name>
