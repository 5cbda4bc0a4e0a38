import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]


def readme_commands() -> list[str]:
    return re.findall(r"```sh\n(.+?)\n```", (ROOT / "README.md").read_text(encoding="utf-8"))


def test_ci_runs_exactly_the_readme_test_command() -> None:
    """.ci/run's last line is the README's test command, so CI checks what the README promises."""
    commands = readme_commands()
    test_command = next(c for c in commands if "pytest" in c)
    ci_lines = [ln for ln in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines() if ln.strip()]
    assert ci_lines[-1] == test_command


def test_readme_example_case_exists() -> None:
    """The README's install command evaluates a case file that ships with the project."""
    install = readme_commands()[0]
    case = re.search(r"evaluate (\S+)", install)
    assert case and (ROOT / case.group(1)).is_file()


def test_ruff_is_clean() -> None:
    """The code passes the project's ruff rule set."""
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "src", "tests"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_is_clean() -> None:
    """The package type-checks under mypy --strict."""
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_test_has_a_docstring() -> None:
    """Every ``test_*`` function or method under tests/ has a docstring saying the behaviour it tests."""
    missing = []
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        tests = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name.startswith("test_")]
        missing += [f"{path.relative_to(ROOT)}:{n.lineno} {n.name}" for n in tests if ast.get_docstring(n) is None]
    assert missing == [], "tests without a docstring:\n" + "\n".join(missing)
