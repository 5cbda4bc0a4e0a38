"""The public surface: ``__all__``, the lazy package root, how exported members present themselves."""

from __future__ import annotations

import ast
import base64
import inspect
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import BaseModel

import guanzhi_rules
from guanzhi_rules._outcome import Outcome, outcome_of

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "examples" / "cases" / "minor_inaction.yaml"
PACKAGE_PARENT = str(Path(guanzhi_rules.__file__).resolve().parents[1])


def _python(code: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter that imports this checkout's package."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [PACKAGE_PARENT, os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, env=env)


def _b64(data: bytes) -> str:
    """``data`` as base64 text, to pass in a ``-c`` script."""
    return base64.b64encode(data).decode()


def _members() -> list[tuple[str, object]]:
    """The exported classes and functions (``BUNDLED`` and ``__version__`` are data)."""
    members = [(name, getattr(guanzhi_rules, name)) for name in guanzhi_rules.__all__]
    return [(name, m) for name, m in members if inspect.isclass(m) or inspect.isfunction(m)]


def test_all_is_exactly_the_public_surface() -> None:
    """Every public name in the package namespace is in __all__, and __all__ names nothing else.

    Public submodules (``exceptions``, ``strategies``, ``pytest_plugin``) are attributes of the package once
    imported, but they are modules, not members.
    """
    public = {n for n in dir(guanzhi_rules) if not n.startswith("_") and not inspect.ismodule(getattr(guanzhi_rules, n))}
    public.add("__version__")
    assert set(guanzhi_rules.__all__) == public


def test_all_is_sorted() -> None:
    """__all__ is kept sorted as ruff's RUF022 sorts it (constants, then classes, then the rest), so additions are easy to review."""
    def kind(name: str) -> int:
        return 0 if name.isupper() else 1 if name[0].isupper() else 2

    assert list(guanzhi_rules.__all__) == sorted(guanzhi_rules.__all__, key=lambda n: (kind(n), n))


def test_exported_members_come_from_the_package() -> None:
    """Re-exported classes and functions live in guanzhi_rules modules, not third-party ones."""
    for name in guanzhi_rules.__all__:
        member = getattr(guanzhi_rules, name)
        module = getattr(member, "__module__", "guanzhi_rules")
        assert module.startswith("guanzhi_rules"), name


def test_static_imports_match_the_lazy_exports() -> None:
    """The TYPE_CHECKING imports that mypy and IDEs read name exactly __all__, from the modules __getattr__ imports them from."""
    tree = ast.parse(Path(guanzhi_rules.__file__).read_text(encoding="utf-8"))
    (block,) = [node for node in tree.body if isinstance(node, ast.If)]
    static = {alias.name: node.module for node in block.body if isinstance(node, ast.ImportFrom) for alias in node.names}
    assert static.pop("__version__") == "guanzhi_rules._version"
    assert static == guanzhi_rules._EXPORTS
    assert set(static) | {"__version__"} == set(guanzhi_rules.__all__)


def test_importing_the_pytest_plugin_imports_nothing_else() -> None:
    """The pytest plugin, loaded into every pytest session, imports only the bare package root: no engine, no pydantic."""
    result = _python("import guanzhi_rules.pytest_plugin, sys; print(sorted(m for m in sys.modules if m.startswith('guanzhi_rules')));"
                     "print('pydantic' in sys.modules)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["['guanzhi_rules', 'guanzhi_rules.pytest_plugin']", "False"]


def test_the_version_does_not_import_the_engine() -> None:
    """Reading guanzhi_rules.__version__ imports the version module and nothing more."""
    result = _python("import guanzhi_rules, sys; v = guanzhi_rules.__version__;"
                     "print(sorted(m for m in sys.modules if m.startswith('guanzhi_rules')))")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['guanzhi_rules', 'guanzhi_rules._version']"


def test_unknown_names_are_attribute_errors() -> None:
    """A name the package does not export is an AttributeError, so hasattr() and submodule imports work as usual."""
    assert not hasattr(guanzhi_rules, "no_such_name")
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = guanzhi_rules.no_such_name


@pytest.mark.parametrize(("name", "member"), _members(), ids=[name for name, _ in _members()])
def test_exported_members_present_themselves_as_guanzhi_rules(name: str, member: object) -> None:
    """Each exported class and function says it is guanzhi_rules.<name>, so repr() and help() show what users import."""
    assert getattr(member, "__module__", None) == "guanzhi_rules"
    assert getattr(member, "__qualname__", None) == name
    if inspect.isclass(member):
        assert repr(member) == f"<class 'guanzhi_rules.{name}'>"


@pytest.mark.parametrize(("name", "member"), _members(), ids=[name for name, _ in _members()])
def test_exported_members_have_their_own_docstrings(name: str, member: object) -> None:
    """help() on an exported class or function shows its own docstring, not pydantic's or a generated signature."""
    own = vars(member).get("__doc__") if inspect.isclass(member) else getattr(member, "__doc__", None)
    assert own and own.strip(), f"{name} has no docstring of its own"
    assert not own.startswith(f"{name}("), f"{name} has only the docstring dataclasses generate"
    assert inspect.getdoc(member) != inspect.getdoc(BaseModel)


def test_a_determination_survives_pickling() -> None:
    """A determination pickles as guanzhi_rules.Determination and unpickles equal, with byte-identical JSON."""
    determination = guanzhi_rules.load("benxi").evaluate(guanzhi_rules.read_case(CASE))
    data = pickle.dumps(determination)
    assert b"_determination" not in data  # its records are found as guanzhi_rules.<name>
    restored = pickle.loads(data)
    assert restored == determination
    assert restored.to_json() == determination.to_json()


def test_a_determination_unpickles_in_a_fresh_process() -> None:
    """A process that has imported nothing of guanzhi_rules finds guanzhi_rules.Determination through the lazy package root."""
    determination = guanzhi_rules.load("benxi").evaluate(guanzhi_rules.read_case(CASE))
    code = ("import pickle, sys, base64\n"
            f"d = pickle.loads(base64.b64decode({_b64(pickle.dumps(determination))!r}))\n"
            "print(type(d).__module__, type(d).__name__); sys.stdout.write(d.to_json())")
    result = _python(code)
    assert result.returncode == 0, result.stderr
    head, _, body = result.stdout.partition("\n")
    assert head == "guanzhi_rules Determination"
    assert body == determination.to_json()


def test_an_outcome_survives_pickling() -> None:
    """An Outcome (what forked batch workers send back) pickles and unpickles equal, here and in a fresh process."""
    outcome = outcome_of(guanzhi_rules.load("benxi").evaluate(guanzhi_rules.read_case(CASE)))
    data = pickle.dumps(outcome)
    assert pickle.loads(data) == outcome
    result = _python(f"import pickle, base64; print(repr(pickle.loads(base64.b64decode({_b64(data)!r}))))")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == repr(outcome)
    assert isinstance(outcome, Outcome)


HEAVY = frozenset({"numpy", "fastapi", "pyarrow", "z3", "rich", "uvicorn"})
"""Libraries a cold start must not pay for: batch columns, the server, case tables, the satisfiability search, the renderers."""


def _loaded(code: str) -> set[str]:
    """The modules (of HEAVY, and guanzhi_rules') in ``sys.modules`` after running ``code`` in a fresh interpreter."""
    result = _python(code + "\nimport sys; print('\\n'.join(sorted(sys.modules)))")
    assert result.returncode == 0, result.stderr
    return {m for m in result.stdout.splitlines() if m.split(".")[0] in HEAVY or m.startswith("guanzhi_rules")}


def test_importing_the_package_and_loading_every_rule_set_imports_no_heavy_library() -> None:
    """``import guanzhi_rules; load_all()`` reads rule files only: no numpy, fastapi, pyarrow, z3 or rich, and no evaluator."""
    loaded = _loaded("import guanzhi_rules; guanzhi_rules.load_all()")
    assert not {m for m in loaded if m.split(".")[0] in HEAVY}
    assert "guanzhi_rules._evaluator" not in loaded
    assert "guanzhi_rules._determination" not in loaded


def test_a_traced_evaluation_imports_no_heavy_library() -> None:
    """A traced evaluation loads the evaluator but not numpy (the batch path's), the durable backend, the server, tables or solver."""
    loaded = _loaded(f"import guanzhi_rules as g; g.load('benxi').evaluate(g.read_case({str(CASE)!r}))")
    assert "guanzhi_rules._evaluator" in loaded
    assert "guanzhi_rules._backends.durable" not in loaded
    assert not {m for m in loaded if m.split(".")[0] in HEAVY - {"rich"}}


def test_bundled_rule_sets_load_and_evaluate_without_the_overlay_machinery() -> None:
    """Loading every bundled rule set and evaluating a case imports neither overlays nor the official texts their quotes are checked in."""
    loaded = _loaded(f"import guanzhi_rules as g; g.load_all(); g.load('benxi').evaluate(g.read_case({str(CASE)!r}))")
    assert not loaded & {"guanzhi_rules._overlay", "guanzhi_rules._overlayfile", "guanzhi_rules._quotes", "guanzhi_rules._source"}


def test_a_decision_space_is_decided_without_the_batch_evaluator() -> None:
    """Writing out a determination whose decision space opens imports neither numpy nor the batch evaluator; reading
    its sensitivity (hundreds of single changes) does."""
    road = ROOT / "examples" / "cases" / "rural_road_director.yaml"
    evaluated = f"import guanzhi_rules as g; d = g.load('benxi').evaluate(g.read_case({str(road)!r}), sensitivity=%s)\n"
    space = _loaded(evaluated % False + "assert d.decision_space is not None; d.to_json()")
    assert not space & {"numpy", "guanzhi_rules._batch"}
    assert {"numpy", "guanzhi_rules._batch"} <= _loaded(evaluated % True + "assert d.sensitivity")


def test_loading_from_the_cache_of_parsed_rule_files_imports_no_yaml_parser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A process whose bundled rule files are all cached loads every rule set without importing PyYAML."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    code = "import guanzhi_rules, sys; guanzhi_rules.load_all(); print('yaml' in sys.modules, 'guanzhi_rules._yamlparse' in sys.modules)"
    first, second = _python(code), _python(code)
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    assert first.stdout.split() == ["True", "True"]  # an empty cache: the files are parsed, and cached
    assert second.stdout.split() == ["False", "False"]


def test_models_a_cold_start_does_not_use_stay_unbuilt() -> None:
    """Loading rule sets builds no case validator, and reading and evaluating one case builds no matter model (``defer_build``)."""
    result = _python("import guanzhi_rules as g\nfrom guanzhi_rules import _case, _matter\ng.load_all()\n"
                     "print(_case.Case.__pydantic_complete__, _case.Subject.__pydantic_complete__)\n"
                     f"g.load('benxi').evaluate(_matter.read_case_or_matter({str(CASE)!r}))\n"
                     "print(_case.Case.__pydantic_complete__, _matter.Matter.__pydantic_complete__, "
                     "_matter.MatterDetermination.__pydantic_complete__)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "True", "False", "False"]


@pytest.mark.parametrize("name", guanzhi_rules.__all__)
def test_each_public_name_resolves_first_in_a_fresh_process(name: str) -> None:
    """Each public name, touched first in a fresh interpreter, imports its own module and presents itself as guanzhi_rules.<name>."""
    result = _python(f"import guanzhi_rules as g; m = getattr(g, {name!r}); print(getattr(m, '__module__', 'guanzhi_rules'))")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "guanzhi_rules"


def test_star_import_gives_every_public_name() -> None:
    """``from guanzhi_rules import *`` binds exactly __all__, each resolved."""
    result = _python("from guanzhi_rules import *\nimport guanzhi_rules\n"
                     "print(all(globals()[n] is getattr(guanzhi_rules, n) for n in guanzhi_rules.__all__))")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_records_made_before_their_names_are_touched_pickle_by_their_public_names() -> None:
    """A determination made through load() alone (its classes never looked up on the package) pickles as guanzhi_rules.<name>."""
    result = _python(f"import guanzhi_rules as g, pickle; d = g.load('benxi').evaluate(g.read_case({str(CASE)!r}));"
                     "data = pickle.dumps(d); print(b'_determination' in data, type(d).__module__)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "guanzhi_rules"]


def test_exported_models_are_complete_once_their_module_is_imported() -> None:
    """Exported models are complete once their module is imported, or deferred by choice and built on first use as guanzhi_rules.<name>.

    Regression: pydantic completes a model naming a later one on first use by looking the name up in
    ``__module__``; once that said ``guanzhi_rules``, ``VersionOutcome`` could not find ``MeasureConsequences``.
    Models deferred on purpose (``defer_build``: the case and matter models, for the cold start) must build then.
    """
    code = ("import importlib, guanzhi_rules as g\n"
            "for name, module in g._EXPORTS.items():\n"
            "    member = vars(importlib.import_module(module))[name]\n"
            "    if getattr(member, '__pydantic_complete__', True) is False:\n"
            "        print(name, member.model_config.get('defer_build', False))\n"
            "        member.model_json_schema()\n"
            "        assert member.__pydantic_complete__, name\n"
            "print('checked')")
    result = _python(code)
    assert result.returncode == 0, result.stderr
    *deferred, last = result.stdout.splitlines()
    assert last == "checked"
    assert sorted(deferred) == [f"{name} True" for name in
                                ("Case", "Matter", "MatterDetermination", "MatterSubject", "Relation", "SubjectDetermination")]
