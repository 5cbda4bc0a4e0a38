"""pytest plugin: collects expected-outcome files (``*.guanzhi.yaml``) as tests.

Registered through the ``pytest11`` entry point ``guanzhi``, so installing guanzhi-rules is enough:
``pytest`` then collects every file matching the ``guanzhi_patterns`` ini option (default
``*.guanzhi.yaml *.guanzhi.yml``) below its test paths, one test per case and rule set, named
``FILE::CASE [KEY]``. A failure shows the expected and actual values and the trace steps of the
rules involved; a malformed file is a collection error naming its line and column. Disable the
plugin with ``-p no:guanzhi``. The file format is described in docs/testing.md.

The plugin does not import hypothesis, and imports the engine only when it meets such a file.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from guanzhi_rules._expect import CheckResult, Expectation

_DEFAULT_PATTERNS = ["*.guanzhi.yaml", "*.guanzhi.yml"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "guanzhi_patterns", type="linelist", default=_DEFAULT_PATTERNS,
        help="file-name patterns of guanzhi expected-outcome files to collect (default: *.guanzhi.yaml *.guanzhi.yml)")


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> GuanzhiFile | None:
    patterns = parent.config.getini("guanzhi_patterns")
    if any(fnmatch.fnmatch(file_path.name, pattern) for pattern in patterns):
        file: GuanzhiFile = GuanzhiFile.from_parent(parent, path=file_path)
        return file
    return None


class GuanzhiFile(pytest.File):
    """An expected-outcome file: one test item per case and rule set."""

    def collect(self) -> list[GuanzhiItem]:
        from guanzhi_rules._expect import read_expectations  # noqa: PLC0415 - the engine loads only when a file is collected
        from guanzhi_rules.exceptions import ExpectationFileError  # noqa: PLC0415 - ditto

        try:
            expectations = read_expectations(self.path)
        except ExpectationFileError as exc:
            raise self.CollectError(f"malformed expected-outcome file: {exc}") from exc
        items: list[GuanzhiItem] = [
            GuanzhiItem.from_parent(self, name=e.title, expectation=e) for e in expectations]
        return items


class ExpectationFailed(Exception):
    """The determination does not meet the file's expectations."""

    def __init__(self, result: CheckResult) -> None:
        self.result = result
        super().__init__(result.report())


class GuanzhiItem(pytest.Item):
    """One case under one rule set."""

    def __init__(self, *, expectation: Expectation, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.expectation = expectation

    def runtest(self) -> None:
        from guanzhi_rules._expect import check  # noqa: PLC0415 - ditto

        result = check(self.expectation)
        if not result.passed:
            raise ExpectationFailed(result)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, ExpectationFailed):
            return excinfo.value.result.report()
        return str(super().repr_failure(excinfo, style=style))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        line = self.expectation.line
        return self.path, (line - 1 if line else None), f"{self.expectation.title}"
