"""guanzhi-rules: cadre-accountability regulations (为官不为 / 为官乱为) as executable, traced rules.

Typical use::

    import guanzhi_rules as g

    case = g.read_case("examples/cases/minor_inaction.yaml")
    determination = g.load("benxi").evaluate(case)
    print(determination.to_text("en"))
"""

from guanzhi_rules._case import Case, parse_case, read_case
from guanzhi_rules._compare import Comparison, compare
from guanzhi_rules._determination import Determination
from guanzhi_rules._diff import DiffReport, diff
from guanzhi_rules._eligibility import Eligibility, PastDecision, eligibility, read_history
from guanzhi_rules._explain import Explanation, explain
from guanzhi_rules._loader import load, load_all
from guanzhi_rules._rulefile import BUNDLED
from guanzhi_rules._ruleset import RuleSet
from guanzhi_rules._verify import Verification, verify
from guanzhi_rules._version import __version__
from guanzhi_rules._yaml import Limits
from guanzhi_rules.exceptions import CaseError, GuanzhiError, RuleSetError, RuleSetNotFoundError

__all__ = [
    "BUNDLED",
    "Case",
    "CaseError",
    "Comparison",
    "Determination",
    "DiffReport",
    "Eligibility",
    "Explanation",
    "GuanzhiError",
    "Limits",
    "PastDecision",
    "RuleSet",
    "RuleSetError",
    "RuleSetNotFoundError",
    "Verification",
    "__version__",
    "compare",
    "diff",
    "eligibility",
    "explain",
    "load",
    "load_all",
    "parse_case",
    "read_case",
    "read_history",
    "verify",
]
