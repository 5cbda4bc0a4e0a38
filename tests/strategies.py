"""The tests' hypothesis strategies: the package's public ones (``guanzhi_rules.strategies``), re-exported."""

from guanzhi_rules.strategies import (
    case_data,
    cases,
    fact_values,
    in_scope_case_data,
    in_scope_cases,
    out_of_scope_case_data,
    out_of_scope_cases,
)

__all__ = [
    "case_data",
    "cases",
    "fact_values",
    "in_scope_case_data",
    "in_scope_cases",
    "out_of_scope_case_data",
    "out_of_scope_cases",
]
