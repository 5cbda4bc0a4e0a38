"""guanzhi-rules: cadre-accountability regulations (为官不为 / 为官乱为) as executable, traced rules.

Typical use::

    import guanzhi_rules as g

    case = g.read_case("examples/cases/minor_inaction.yaml")
    determination = g.load("benxi").evaluate(case)
    print(determination.to_text("en"))

``import guanzhi_rules`` imports nothing else: the pytest plugin (``guanzhi_rules.pytest_plugin``)
is loaded into every pytest session wherever the package is installed, and must not pay for the
engine and pydantic there. The first use of a public name imports the module that defines it, and
only that module (with what it imports): ``load`` does not load the evaluator, numpy or the renderers.
"""

import importlib
import sys
import typing

if typing.TYPE_CHECKING:  # the names as mypy and IDEs see them; at run time __getattr__ serves them
    from guanzhi_rules._case import Case, parse_case, read_case
    from guanzhi_rules._compare import Cell, Comparison, Entry, Row, compare
    from guanzhi_rules._determination import (
        ChoiceFinding,
        ChoiceReview,
        Circumstance,
        ConsequenceItem,
        DeadlineFinding,
        Determination,
        ExemptionOutcome,
        FactorFinding,
        Finding,
        Fingerprints,
        InForce,
        InForceFrom,
        Jurisdiction,
        MeasureConsequences,
        OpenQuestion,
        Period,
        ReferralFinding,
        SanctionRange,
        ScopeOutcome,
        Statement,
        TerritoryCheck,
        TimeAndPlace,
        TraceStep,
        VersionOutcome,
    )
    from guanzhi_rules._diff import Count, DiffReport, Example, FieldChange, RuleImpact, RuleSetSummary, StepChange, diff
    from guanzhi_rules._eligibility import Answer, Blocker, Eligibility, PastDecision, eligibility, read_history
    from guanzhi_rules._explain import Explanation, Node, RuleRef, Standing, explain
    from guanzhi_rules._loader import load, load_all
    from guanzhi_rules._matter import (
        Matter,
        MatterDetermination,
        MatterSubject,
        Relation,
        SubjectDetermination,
        evaluate_matter,
        parse_matter,
        read_matter,
    )
    from guanzhi_rules._rulefile import BUNDLED
    from guanzhi_rules._ruleset import RuleSet, Version
    from guanzhi_rules._verify import Verification, verify
    from guanzhi_rules._version import __version__
    from guanzhi_rules._yaml import Limits
    from guanzhi_rules.exceptions import CaseError, GuanzhiError, RuleSetError, RuleSetNotFoundError, WorkerError

__all__ = [
    "BUNDLED",
    "Answer",
    "Blocker",
    "Case",
    "CaseError",
    "Cell",
    "ChoiceFinding",
    "ChoiceReview",
    "Circumstance",
    "Comparison",
    "ConsequenceItem",
    "Count",
    "DeadlineFinding",
    "Determination",
    "DiffReport",
    "Eligibility",
    "Entry",
    "Example",
    "ExemptionOutcome",
    "Explanation",
    "FactorFinding",
    "FieldChange",
    "Finding",
    "Fingerprints",
    "GuanzhiError",
    "InForce",
    "InForceFrom",
    "Jurisdiction",
    "Limits",
    "Matter",
    "MatterDetermination",
    "MatterSubject",
    "MeasureConsequences",
    "Node",
    "OpenQuestion",
    "PastDecision",
    "Period",
    "ReferralFinding",
    "Relation",
    "Row",
    "RuleImpact",
    "RuleRef",
    "RuleSet",
    "RuleSetError",
    "RuleSetNotFoundError",
    "RuleSetSummary",
    "SanctionRange",
    "ScopeOutcome",
    "Standing",
    "Statement",
    "StepChange",
    "SubjectDetermination",
    "TerritoryCheck",
    "TimeAndPlace",
    "TraceStep",
    "Verification",
    "Version",
    "VersionOutcome",
    "WorkerError",
    "__version__",
    "compare",
    "diff",
    "eligibility",
    "evaluate_matter",
    "explain",
    "load",
    "load_all",
    "parse_case",
    "parse_matter",
    "read_case",
    "read_history",
    "read_matter",
    "verify",
]

_EXPORTS: dict[str, str] = {
    "BUNDLED": "guanzhi_rules._rulefile",
    "Answer": "guanzhi_rules._eligibility",
    "Blocker": "guanzhi_rules._eligibility",
    "Case": "guanzhi_rules._case",
    "CaseError": "guanzhi_rules.exceptions",
    "Cell": "guanzhi_rules._compare",
    "ChoiceFinding": "guanzhi_rules._determination",
    "ChoiceReview": "guanzhi_rules._determination",
    "Circumstance": "guanzhi_rules._determination",
    "Comparison": "guanzhi_rules._compare",
    "ConsequenceItem": "guanzhi_rules._determination",
    "Count": "guanzhi_rules._diff",
    "DeadlineFinding": "guanzhi_rules._determination",
    "Determination": "guanzhi_rules._determination",
    "DiffReport": "guanzhi_rules._diff",
    "Eligibility": "guanzhi_rules._eligibility",
    "Entry": "guanzhi_rules._compare",
    "Example": "guanzhi_rules._diff",
    "ExemptionOutcome": "guanzhi_rules._determination",
    "Explanation": "guanzhi_rules._explain",
    "FactorFinding": "guanzhi_rules._determination",
    "FieldChange": "guanzhi_rules._diff",
    "Finding": "guanzhi_rules._determination",
    "Fingerprints": "guanzhi_rules._determination",
    "GuanzhiError": "guanzhi_rules.exceptions",
    "InForce": "guanzhi_rules._determination",
    "InForceFrom": "guanzhi_rules._determination",
    "Jurisdiction": "guanzhi_rules._determination",
    "Limits": "guanzhi_rules._yaml",
    "Matter": "guanzhi_rules._matter",
    "MatterDetermination": "guanzhi_rules._matter",
    "MatterSubject": "guanzhi_rules._matter",
    "MeasureConsequences": "guanzhi_rules._determination",
    "Node": "guanzhi_rules._explain",
    "OpenQuestion": "guanzhi_rules._determination",
    "PastDecision": "guanzhi_rules._eligibility",
    "Period": "guanzhi_rules._determination",
    "ReferralFinding": "guanzhi_rules._determination",
    "Relation": "guanzhi_rules._matter",
    "Row": "guanzhi_rules._compare",
    "RuleImpact": "guanzhi_rules._diff",
    "RuleRef": "guanzhi_rules._explain",
    "RuleSet": "guanzhi_rules._ruleset",
    "RuleSetError": "guanzhi_rules.exceptions",
    "RuleSetNotFoundError": "guanzhi_rules.exceptions",
    "RuleSetSummary": "guanzhi_rules._diff",
    "SanctionRange": "guanzhi_rules._determination",
    "ScopeOutcome": "guanzhi_rules._determination",
    "Standing": "guanzhi_rules._explain",
    "Statement": "guanzhi_rules._determination",
    "StepChange": "guanzhi_rules._diff",
    "SubjectDetermination": "guanzhi_rules._matter",
    "TerritoryCheck": "guanzhi_rules._determination",
    "TimeAndPlace": "guanzhi_rules._determination",
    "TraceStep": "guanzhi_rules._determination",
    "Verification": "guanzhi_rules._verify",
    "Version": "guanzhi_rules._ruleset",
    "VersionOutcome": "guanzhi_rules._determination",
    "WorkerError": "guanzhi_rules.exceptions",
    "compare": "guanzhi_rules._compare",
    "diff": "guanzhi_rules._diff",
    "eligibility": "guanzhi_rules._eligibility",
    "evaluate_matter": "guanzhi_rules._matter",
    "explain": "guanzhi_rules._explain",
    "load": "guanzhi_rules._loader",
    "load_all": "guanzhi_rules._loader",
    "parse_case": "guanzhi_rules._case",
    "parse_matter": "guanzhi_rules._matter",
    "read_case": "guanzhi_rules._case",
    "read_history": "guanzhi_rules._eligibility",
    "read_matter": "guanzhi_rules._matter",
    "verify": "guanzhi_rules._verify",
}
"""The module that defines each public name, in ``__all__`` order (``__version__`` aside: see ``__getattr__``)."""


def _present(module: str) -> None:
    """Present the public names ``module`` defines as ``guanzhi_rules.<name>``: each such module calls this last.

    Setting ``__module__`` makes ``repr()`` and ``help()`` show the name users import, and makes
    pickle record ``guanzhi_rules.<name>``, which ``__getattr__`` resolves in a fresh process. It is
    done when the defining module is imported, however it is imported (``load`` imports the
    evaluator only when a case is evaluated), so every public class says the same thing whichever
    name was touched first.
    """
    namespace, package = vars(sys.modules[module]), globals()
    members = {name: namespace[name] for name, home in _EXPORTS.items() if home == module}
    for member in members.values():
        # A model that names a later one (a forward reference) is completed on first use, by looking
        # the name up in its __module__: complete it now, while that is still the defining module. A
        # model deferred by choice (``defer_build``) whose fields are all resolved needs no name from its
        # module: it stays deferred, built on first use.
        if isinstance(member, type) and getattr(member, "__pydantic_complete__", True) is False and not (
                member.model_config.get("defer_build") and member.__pydantic_fields_complete__):  # type: ignore[attr-defined]
            member.model_rebuild()  # type: ignore[attr-defined]
    for name, member in members.items():
        if isinstance(member, type) or callable(member):
            member.__module__ = __name__
        package.setdefault(name, member)


def __getattr__(name: str) -> object:
    """Resolve a public name on first use (PEP 562), importing only its module; later lookups find it in the module."""
    # The one deliberate lazy import in the package (importlib, so there is no import statement to
    # mark): see the module docstring for why the package root imports nothing eagerly.
    if name == "__version__":
        version: str = importlib.import_module("guanzhi_rules._version").__version__
        globals()["__version__"] = version
        return version
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    member = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = member
    return member


def __dir__() -> list[str]:
    """The module's names and every public name, resolved or not."""
    return sorted({*globals(), *__all__})
