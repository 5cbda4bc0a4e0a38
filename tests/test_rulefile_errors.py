"""The rule-file format's own checks (``_rulefile.py`` validators): each malformed rule is refused at
load time with an error that names the rule, the place in the file, and what was wrong.

Every case adds one rule, ``extra``, to the minimal rule file; it differs from a rule that loads
(see ``test_well_formed_extra_rules_load``) in the one thing the error must name.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import guanzhi_rules as g
from tests.support import MINIMAL_RULE_FILE, write

EXTRA = """\
  - id: extra
    stage: {stage}
    modality: shall
    label: {{zh: 附, en: extra}}
{body}    citation: {{article: 第十一条, quote: 可以单独使用}}
"""
"""One more rule for the minimal file: ``body`` holds its when/on/then/... lines, each indented four spaces."""

CONSEQUENCE = "    attaches: accountable\n    then: [{effect}]\n"
PROCEDURE = "    then: [{{deadline: {{task: {{zh: 办, en: do}}, after: dates.conduct, unit: days, {deadline}}}}}]\n"
BAR = "    when: subject.is_leading_cadre\n"


def extra_rule(stage: str, body: str) -> str:
    """The minimal rule file with the rule ``extra`` of ``stage`` appended."""
    return MINIMAL_RULE_FILE + EXTRA.format(stage=stage, body=body)


WELL_FORMED = [
    pytest.param("consequence", CONSEQUENCE.format(effect="{freeze: {restriction: promotion, months: 12}}"), id="freeze-months"),
    pytest.param("consequence", CONSEQUENCE.format(
        effect="{freeze: {restriction: promotion, until: rectification, converts_after_months: 6, converts_to: removal}}"),
        id="freeze-converts"),
    pytest.param("consequence", CONSEQUENCE.format(effect="{freeze: {restriction: promotion, length: not_fixed}}"), id="freeze-not-fixed"),
    pytest.param("procedure", PROCEDURE.format(deadline="count: 5, extendable: true, extended_count: 10"), id="deadline-extended"),
    pytest.param("sanction_band", "    when: subject.is_leading_cadre\n    then: [{measures: [criticism_education], open_ended: true}]\n",
                 id="measures-open-ended"),
    pytest.param("bar", BAR + "    defeats: [trigger]\n", id="bar"),
    pytest.param("circumstance", "    catch_all: true\n    then: [{category: {zh: 其他, en: other}}]\n", id="catch-all"),
    pytest.param("consequence", "    attaches: measures\n    for_measures: [criticism_education]\n"
                 "    then: [{statement: {zh: 说明, en: note}}]\n", id="attaches-measures"),
]


@pytest.mark.parametrize(("stage", "body"), WELL_FORMED)
def test_well_formed_extra_rules_load(tmp_path: Path, stage: str, body: str) -> None:
    """Each kind of rule the malformed cases below start from loads when it is well formed."""
    ruleset = g.load(write(tmp_path, extra_rule(stage, body)))
    assert ruleset.rule("extra").rule.stage == stage


MALFORMED = [
    # Freeze._one_length
    pytest.param("consequence", CONSEQUENCE.format(
        effect="{freeze: {restriction: promotion, until: rectification, converts_after_months: 6}}"),
        "rules.2.then.0.freeze", "'converts_after_months' and 'converts_to' go together", id="freeze-converts-after-alone"),
    pytest.param("consequence", CONSEQUENCE.format(
        effect="{freeze: {restriction: promotion, months: 6, converts_after_months: 6, converts_to: removal}}"),
        "rules.2.then.0.freeze", "'converts_after_months' and 'converts_to' go together, with until: rectification",
        id="freeze-converts-without-until"),
    pytest.param("consequence", CONSEQUENCE.format(effect="{freeze: {restriction: promotion}}"),
                 "rules.2.then.0.freeze", "a fixed freeze needs exactly one of 'months' or 'until'", id="freeze-no-length"),
    pytest.param("consequence", CONSEQUENCE.format(effect="{freeze: {restriction: promotion, months: 6, until: rectification}}"),
                 "rules.2.then.0.freeze", "a fixed freeze needs exactly one of 'months' or 'until'", id="freeze-two-lengths"),
    pytest.param("consequence", CONSEQUENCE.format(effect="{freeze: {restriction: promotion, length: indefinite, months: 6}}"),
                 "rules.2.then.0.freeze", "a freeze of length 'indefinite' takes neither 'months' nor 'until'",
                 id="freeze-open-length-with-months"),
    # Deadline._extension
    pytest.param("procedure", PROCEDURE.format(deadline="count: 5, extended_count: 10"),
                 "rules.2.then.0.deadline", "'extended_count' needs extendable: true", id="deadline-extended-not-extendable"),
    pytest.param("procedure", PROCEDURE.format(deadline="count: 5, extendable: true, extended_count: 5"),
                 "rules.2.then.0.deadline", "'extended_count' needs extendable: true and must exceed 'count'",
                 id="deadline-extension-not-longer"),
    # Effect._exactly_one
    pytest.param("consequence", CONSEQUENCE.format(effect="{}"),
                 "rules.2.then.0", "an effect sets exactly one of its keys, got none", id="effect-empty"),
    pytest.param("consequence", CONSEQUENCE.format(effect="{statement: {zh: 说明, en: note}, organisation: {zh: 组织, en: unit}}"),
                 "rules.2.then.0", "an effect sets exactly one of its keys, got ['organisation', 'statement']", id="effect-two-keys"),
    pytest.param("sanction_band", "    when: subject.is_leading_cadre\n    then: [{open_ended: true}]\n",
                 "rules.2.then.0", "an effect sets exactly one of its keys, got ['open_ended']", id="effect-open-ended-alone"),
    # Rule._consistent
    pytest.param("circumstance", "    then: [{category: {zh: 其他, en: other}}]\n",
                 "rules.2", "'when' is required", id="circumstance-without-when"),
    pytest.param("bar", BAR + "    defeats: [trigger]\n    then: [{statement: {zh: 说明, en: note}}]\n",
                 "rules.2", "a bar rule cannot have effect 'statement'; allowed: none", id="bar-with-effect"),
    pytest.param("circumstance", "    when: subject.is_leading_cadre\n",
                 "rules.2", "a circumstance rule needs a 'then' effect", id="circumstance-without-then"),
    pytest.param("bar", BAR, "rules.2", "a bar must say what it defeats", id="bar-without-defeats"),
    pytest.param("consequence", "    then: [{statement: {zh: 说明, en: note}}]\n",
                 "rules.2", "'attaches' is required for consequence rules and only for them", id="consequence-without-attaches"),
    pytest.param("circumstance",
                 "    when: subject.is_leading_cadre\n    attaches: accountable\n    then: [{category: {zh: 其他, en: other}}]\n",
                 "rules.2", "'attaches' is required for consequence rules and only for them", id="attaches-outside-consequence"),
    pytest.param("consequence", "    attaches: measures\n    then: [{statement: {zh: 说明, en: note}}]\n",
                 "rules.2", "'for_measures' goes with attaches: measures, and only with it", id="attaches-measures-without-for-measures"),
    pytest.param("consequence", "    attaches: accountable\n    for_measures: [criticism_education]\n"
                 "    then: [{statement: {zh: 说明, en: note}}]\n",
                 "rules.2", "'for_measures' goes with attaches: measures, and only with it", id="for-measures-without-attaches-measures"),
]


@pytest.mark.parametrize(("stage", "body", "where", "problem"), MALFORMED)
def test_malformed_rule_is_refused_naming_what_is_wrong(tmp_path: Path, stage: str, body: str, where: str, problem: str) -> None:
    """A rule breaking one of the format's checks is refused at load time, naming the rule, its field path, line and problem."""
    text = extra_rule(stage, body)
    with pytest.raises(g.RuleSetError) as info:
        g.load(write(tmp_path, text))
    error = info.value
    assert error.rule_id == "extra"
    first_line = MINIMAL_RULE_FILE.count("\n") + 1
    assert error.location is not None and error.location.line is not None
    assert first_line <= error.location.line <= text.count("\n"), "the error points into the rule 'extra'"
    assert f"{where}: {problem}" in str(error)
