"""Located problems: the one format every editor-facing message takes.

Editors work in GitHub's web editor and read CI logs, so a problem names the file, line and
column, says what is wrong and what to do, and carries a short code that the editor guide
(`content/README.md`) explains. Every stage collects problems instead of stopping at the
first, so one run shows everything that needs fixing.
"""

from __future__ import annotations

import dataclasses
import errno
import os
import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import quote

GUIDE = "content/README.md"
# Messages quote what editors wrote, and an editor can write a whole page into one field (or
# point a file at something that is not theirs): a quote shows this much, then an ellipsis.
QUOTE_LIMIT = 60
MESSAGE_LIMIT = 400
_INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})
_MARKDOWN_PUNCTUATION = re.compile(r"[\\`*_{}\[\]()#+\-.!|~<>&:]")


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

    def __post_init__(self) -> None:
        if len(self.message) > MESSAGE_LIMIT:  # a last guard; quotes are capped where made
            object.__setattr__(self, "message", self.message[: MESSAGE_LIMIT - 1] + "…")

    @property
    def where(self) -> str:
        """`file:line:col`, or only the file (or folder) when no line is meant (line 0)."""
        return f"{self.file}:{self.line}:{self.column}" if self.line else self.file

    def __str__(self) -> str:
        return visible(f"{self.where}: {self.severity}: {self.message} — {self.hint} [{self.code}]")

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
            ) if value or key in {"file", "title"}
        )
        return f"::{kind} {props}::{_escape_data(visible(f'{self.message} — {self.hint}'))}"


def quoted(value: object, limit: int = QUOTE_LIMIT) -> str:
    """Editor text as a message quotes it: in single quotes, cut to `limit` characters."""
    text = str(value)
    return f"'{text if len(text) <= limit else text[: limit - 1] + '…'}'"


# What an operating system error means for someone building the site, and what to do.
_OS_REASONS = {
    errno.ENOSPC: ("the disk is full", "free some space on the disk, then build again"),
    errno.EDQUOT: ("the disk quota is used up", "free some space, then build again"),
    errno.EROFS: ("the disk is read-only",
                  "build into a folder on a disk you can write to, with --site-dir"),
    errno.EACCES: ("permission was refused",
                   "build into a folder you may write to, or ask for write access to it"),
    errno.EPERM: ("permission was refused",
                  "build into a folder you may write to, or ask for write access to it"),
    errno.ENOTDIR: ("a file is where a folder should be",
                    "rename or remove that file, then build again"),
    errno.EEXIST: ("a file is where a folder should be",
                   "rename or remove that file, then build again"),
    errno.EISDIR: ("a folder is where a file should be",
                   "rename or remove that folder, then build again"),
    errno.EFBIG: ("a file grew past the size this machine allows",
                  "free some space or raise the file size limit, then build again"),
}


def os_problem(error: OSError, root: os.PathLike | str, action: str = "write") -> Problem:
    """A problem the machine made (a full or read-only disk, a permission, a file where a
    folder should be), named by the path it happened at, relative to the project if inside.
    """
    path = error.filename or "."
    try:
        path = os.path.relpath(os.path.realpath(path), os.path.realpath(root))
        path = path if not path.startswith("..") else str(error.filename)
    except ValueError:
        path = str(error.filename)
    reason, hint = _OS_REASONS.get(error.errno, (
        (error.strerror or "the system refused").lower(), "fix the cause, then build again"))
    return Problem(path.replace(os.sep, "/"), 0, 0, f"cannot {action} here: {reason}", hint,
                   "cannot-write")


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
    """All problems, sorted by file and line, a count, then where the guide explains each code."""
    problems = sorted(problems)
    lines = [str(problem) for problem in problems]
    errors = sum(1 for problem in problems if problem.severity == "error")
    warnings = len(problems) - errors
    lines.append(f"{errors} error(s), {warnings} warning(s).")
    codes = dict.fromkeys(problem.code for problem in problems)
    lines.extend(f"How to fix [{code}]: {GUIDE}#{code}" for code in codes)
    return "\n".join(lines)


def github_annotations(problems: Iterable[Problem]) -> str:
    """Workflow commands for every problem, when running inside GitHub Actions."""
    if not os.environ.get("GITHUB_ACTIONS"):
        return ""
    return "\n".join(problem.annotation() for problem in sorted(problems))


def github_summary(problems: Iterable[Problem], guide_url: str = GUIDE) -> str:
    """A Markdown table of every problem for the job summary page of a GitHub Actions run.

    Messages quote what editors wrote, so every cell is escaped for Markdown and HTML: a
    quoted `|` must not split the table, `<b>` must not become markup, `*x*` must not become
    emphasis, and `https://...` must not become a link. Each code links to its section of
    the editor guide.
    """
    problems = sorted(problems)
    errors = sum(1 for problem in problems if problem.severity == "error")
    lines = [f"### Content check: {errors} error(s), {len(problems) - errors} warning(s)", "",
             "| Where | What is wrong | What to do | Help |", "| --- | --- | --- | --- |"]
    for problem in problems:
        where = problem.where
        kind = "" if problem.severity == "error" else "warning: "
        lines.append(" | ".join([
            "", _markdown_cell(where), _markdown_cell(kind + problem.message),
            _markdown_cell(problem.hint),
            f"[{_markdown_cell(problem.code)}]({guide_url}#{quote(problem.code)})", ""]).strip())
    return "\n".join(lines) + "\n"


def write_github_summary(problems: Iterable[Problem]) -> None:
    """Append the summary to the file GitHub Actions names, when running inside it."""
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if not os.environ.get("GITHUB_ACTIONS") or not path:
        return
    guide = GUIDE
    server, repo, sha = (os.environ.get(name) for name in
                         ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA"))
    if server and repo and sha:
        guide = f"{server}/{repo}/blob/{sha}/{GUIDE}"
    with open(path, "a", encoding="utf-8") as summary:
        summary.write(github_summary(problems, guide))


def _markdown_cell(text: str) -> str:
    """Every character Markdown or HTML gives a meaning becomes a numeric character reference,
    which GitHub's Markdown and Python-Markdown alike show as the plain character."""
    return _MARKDOWN_PUNCTUATION.sub(lambda found: f"&#{ord(found.group())};", visible(text))


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
