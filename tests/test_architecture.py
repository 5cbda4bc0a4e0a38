"""The package's layout: which modules import which, read from the source.

Imports count wherever they are written, inside functions too; only ``if TYPE_CHECKING:`` blocks
are left out, since they never run.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "src" / "guanzhi_rules"

ALLOWED_CYCLES = (
    {"guanzhi_rules._determination", "guanzhi_rules._render"},  # a record renders itself: to_text()
    {"guanzhi_rules._diff", "guanzhi_rules._diffreport"},  # likewise the diff report
)
"""Import cycles kept on purpose: a record's method hands itself to its renderer."""


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST, module: str, is_package: bool) -> Iterator[str]:
    """Every package module imported by ``tree``, outside ``if TYPE_CHECKING:`` blocks."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            yield from (name for child in node.orelse for name in _imports(child, module, is_package))
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = module.split(".")[: len(module.split(".")) - node.level + is_package]
                base = ".".join([*parent, base] if base else parent)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)
        yield from _imports(node, module, is_package)


def import_graph() -> dict[str, set[str]]:
    """Each package module and the package modules it imports."""
    files = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for module, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = set(_imports(tree, module, path.name == "__init__.py"))
        graph[module] = {m for m in imported if m in files and m != module and not (module == "guanzhi_rules" and m.startswith(module))}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(component)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles_but_the_renderer_ones() -> None:
    """Modules import one another without cycles, except a record and its renderer."""
    unexpected = [sorted(c) for c in cycles(import_graph()) if c not in ALLOWED_CYCLES]
    assert not unexpected


def test_the_cycle_finder_finds_a_cycle() -> None:
    """The check above can fail: a graph with a two-module loop has one cycle."""
    assert cycles({"a": {"b"}, "b": {"a", "c"}, "c": set()}) == [{"a", "b"}]


def test_only_the_pipeline_decides_stages() -> None:
    """Settling a stage, the scope winner and the standing of a rule are defined in _pipeline and nowhere else."""
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        defined = {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
        shared = defined & {"settle", "decide_scope", "standing", "precedence", "accountability", "exemption_outcome"}
        if path.name != "_pipeline.py":
            assert not shared, f"{path.name} defines {sorted(shared)}"
