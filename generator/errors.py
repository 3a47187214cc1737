"""Located problems: the one format every editor-facing message takes.

Editors work in GitHub's web editor and read CI logs, so a problem names the file, line and
column, says what is wrong and what to do, and carries a short code that the editor guide
(`content/README.md`) explains. Every stage collects problems instead of stopping at the
first, so one run shows everything that needs fixing.
"""

from __future__ import annotations

import dataclasses
import os
import unicodedata
from collections.abc import Iterable

GUIDE = "content/README.md"
_INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})


@dataclasses.dataclass(frozen=True, order=True)
class Problem:
    """One thing an editor must fix (or, as a warning, should look at)."""

    file: str
    line: int
    column: int
    message: str
    hint: str
    code: str
    severity: str = "error"

    def __str__(self) -> str:
        return visible(
            f"{self.file}:{self.line}:{self.column}: {self.severity}: "
            f"{self.message} — {self.hint} [{self.code}]"
        )

    def annotation(self) -> str:
        """The GitHub Actions workflow command that shows this problem on a pull request."""
        kind = "error" if self.severity == "error" else "warning"
        props = ",".join(
            f"{key}={_escape_property(str(value))}"
            for key, value in (
                ("file", self.file),
                ("line", self.line),
                ("col", self.column),
                ("title", self.code),
            )
        )
        return f"::{kind} {props}::{_escape_data(visible(f'{self.message} — {self.hint}'))}"


def visible(text: str) -> str:
    """Editor text quoted in a message stays on one line and shows what cannot be seen.

    A line break or a direction override inside a quoted value would split the message or
    reorder it on screen; each such character is shown as its escape, like \\n or \\u202e.
    """
    return "".join(
        repr(char)[1:-1] if unicodedata.category(char) in _INVISIBLE else char for char in text)


class ContentError(Exception):
    """Raised once, after collecting, when content has at least one error."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems)
        super().__init__(report(self.problems))


def report(problems: Iterable[Problem]) -> str:
    """All problems, sorted by file and line, then a one-line count."""
    problems = sorted(problems)
    lines = [str(problem) for problem in problems]
    errors = sum(1 for problem in problems if problem.severity == "error")
    warnings = len(problems) - errors
    lines.append(f"{errors} error(s), {warnings} warning(s). See {GUIDE} for how to fix each one.")
    return "\n".join(lines)


def github_annotations(problems: Iterable[Problem]) -> str:
    """Workflow commands for every problem, when running inside GitHub Actions."""
    if not os.environ.get("GITHUB_ACTIONS"):
        return ""
    return "\n".join(problem.annotation() for problem in sorted(problems))


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
