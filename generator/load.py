"""Strict YAML loading that keeps the line and column of everything an editor wrote.

PyYAML's `safe_load` silently keeps the last of two duplicate keys, turns `no` into False and
`1.10` into 1.1, and follows anchors and aliases. We read the parser's event stream ourselves
instead: every scalar stays the exact text the editor wrote, and every node keeps its position,
so later stages can point at the line to fix. Anything YAML can do that a content file has no
use for (anchors, aliases, tags, several documents) is rejected with a located problem.
"""

from __future__ import annotations

import dataclasses
import errno
import itertools
import os
import re
import stat
import unicodedata
from pathlib import Path

import yaml

from generator.errors import Problem

try:  # libyaml's C parser is much faster and keeps the same marks.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader

MAX_BYTES = 512 * 1024
MAX_DEPTH = 24
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
MAX_REPORTED = 20  # per file and kind: enough to show the pattern, bounded for a hostile file
MAX_PROBLEMS = 200  # per file, from the YAML walk
# C0 and C1 controls (tab, line feed and carriage return are how text is laid out).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Unicode line and paragraph separators: YAML counts them as line breaks but editors show
# nothing, so written as they are, they make every later line number wrong. Written as an
# escape in quotes ("\u2028") they are plain text, like any other character.
_SEPARATORS = re.compile("[\u2028\u2029]")
# Characters that are invisible on screen yet change what a reader or a search finds: zero-width
# spaces and joiners, a byte order mark inside the text, and bidirectional overrides and marks
# (the "Trojan Source" trick) that make text display in a different order than it is stored.
_HIDDEN = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
                     "\u2066-\u2069\ufeff]")
_COMMENT_AFTER = re.compile(r"\s+#")
_TAB_INDENT = re.compile(r"^[ ]*\t", re.M)  # up to the first tab in a line's indentation

Path_ = tuple[str | int, ...]


@dataclasses.dataclass
class Document:
    """One content file: plain data (dicts, lists, text, None) and where each part was written.

    `positions[path]` is the 1-based (line, column) of the value at that path;
    `key_positions[path]` is where the key that leads to it was written.
    """

    file: str
    data: object
    positions: dict[Path_, tuple[int, int]]
    key_positions: dict[Path_, tuple[int, int]]
    warnings: tuple[Problem, ...] = ()

    def where(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """The closest known position for `path`, walking up to its parents if needed."""
        table = self.key_positions if key else self.positions
        path = tuple(path)
        while path:
            if path in table:
                return table[path]
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))

    def problem(self, path: Path_, message: str, hint: str, code: str, *, key: bool = False,
                severity: str = "error") -> Problem:
        line, column = self.where(path, key=key)
        return Problem(self.file, line, column, message, hint, code, severity)


class LoadFailed(Exception):
    """The file could not be read as content at all; `problems` says why and where."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


def load_file(path: Path, display: str) -> Document:
    """Read one YAML content file into a positioned Document, or raise LoadFailed."""
    try:
        # Not following a link and not waiting on a pipe: the file is checked to be a plain
        # file before a byte is read, even if it was swapped after the folder was listed.
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as error:
        raise _unreadable(display, error) from None
    with os.fdopen(descriptor, "rb") as file:
        kind = os.fstat(descriptor)
        if not stat.S_ISREG(kind.st_mode):
            raise LoadFailed([Problem(display, 1, 1, "this is not a plain file, so it is not read",
                                      "replace it with the YAML file itself", "not-a-file")])
        try:
            raw = file.read(MAX_BYTES + 1)  # enough to know it is too large, and no more
        except OSError as error:
            raise _unreadable(display, error) from None
        size = kind.st_size
    if size > MAX_BYTES:
        raise _too_large(display, size)
    return load_bytes(raw, display)


def _unreadable(display: str, error: OSError) -> LoadFailed:
    if error.errno == errno.ELOOP:
        return LoadFailed([Problem(display, 1, 1, "this is a link to another file, so it is "
                                   "not read", "put the file itself here instead of a link",
                                   "symlink")])
    return LoadFailed([Problem(display, 1, 1, f"this file cannot be read ({error.strerror})",
                               "check that it is a file, and that you can open it",
                               "cannot-read")])


def _too_large(display: str, size: int) -> LoadFailed:
    return LoadFailed([Problem(display, 1, 1,
                               f"this file is {size:,} bytes, more than the limit of {MAX_BYTES:,}",
                               "split the topic into smaller topics", "file-too-large")])


def load_bytes(raw: bytes, display: str) -> Document:
    """Parse bytes that claim to be a UTF-8 YAML content file named `display`."""

    def fail(line: int, column: int, message: str, hint: str, code: str) -> LoadFailed:
        return LoadFailed([Problem(display, line, column, message, hint, code)])

    if len(raw) > MAX_BYTES:
        raise _too_large(display, len(raw))
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise fail(1, 1, "this file is saved as UTF-16", "save it as UTF-8", "not-utf8")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise fail(line, column, f"this file is not valid UTF-8 (byte 0x{raw[error.start]:02x})",
                   "save the file as UTF-8", "not-utf8") from None
    if not text.strip():
        raise fail(1, 1, "this file is empty", "add the topic's fields, or delete the file",
                   "empty-file")
    problems = _character_problems(text, display)
    if problems:
        raise LoadFailed(problems)
    return _Builder(display).build(text)


def _character_problems(text: str, display: str) -> list[Problem]:
    """Tabs in indentation and characters an editor cannot see, each with its place.

    The YAML parser would stop at the first with a message about "tokens"; checking the text
    first finds every one and says what it is.
    """
    problems: list[Problem] = [
        Problem(display, text.count("\n", 0, match.start()) + 1,
                match.end() - match.start(), "this line is indented with a tab",
                "indent with spaces only, lined up with the fields around it", "tab")
        for match in itertools.islice(_TAB_INDENT.finditer(text), MAX_REPORTED)]
    for pattern, hint, code in (
        (_CONTROL, "delete it: it is a control character that cannot be shown",
         "control-character"),
        (_SEPARATORS, "delete it, and start a new line with the Enter key if you need one",
         "control-character"),
        (_HIDDEN, "delete it (retype the words around it if you cannot find it)",
         "hidden-character"),
    ):
        for match in itertools.islice(pattern.finditer(text), MAX_REPORTED):
            before = text[: match.start()]
            line = before.count("\n") + 1
            column = match.start() - (before.rfind("\n") + 1) + 1
            char = match.group()
            name = unicodedata.name(char, "control character")
            problems.append(Problem(
                display, line, column,
                f"there is an invisible character here: U+{ord(char):04X} ({name})",
                hint, code))
    return problems


class _Builder:
    """Turns the parser's events into plain data plus positions, checking as it goes."""

    def __init__(self, display: str):
        self.display = display
        self.lines: list[str] = []
        self.positions: dict[Path_, tuple[int, int]] = {}
        self.key_positions: dict[Path_, tuple[int, int]] = {}
        self.problems: list[Problem] = []

    def problem(self, mark, message: str, hint: str, code: str) -> None:
        self.add(Problem(self.display, mark.line + 1, mark.column + 1, message, hint, code))

    def add(self, problem: Problem) -> None:
        """Collect a problem; a file with very many is stopped, so the list stays readable
        and a hostile file cannot cost much time or memory."""
        self.problems.append(problem)
        if len(self.problems) >= MAX_PROBLEMS:
            self.problems.append(Problem(
                self.display, problem.line, problem.column,
                f"this file has {MAX_PROBLEMS} problems up to here; checking stopped",
                "fix these first, then check again", "too-many-problems"))
            raise LoadFailed(self.problems)

    def build(self, text: str) -> Document:
        self.lines = text.split("\n")
        try:
            data = self._walk(self._events(text))
        except yaml.MarkedYAMLError as error:
            raise LoadFailed([*self.problems, self._syntax_problem(error)]) from None
        except yaml.YAMLError as error:
            raise LoadFailed([*self.problems, Problem(
                self.display, 1, 1, f"this is not valid YAML: {error}",
                "save the file as plain UTF-8 text", "yaml-syntax",
            )]) from None
        errors = [problem for problem in self.problems if problem.severity == "error"]
        if errors:
            raise LoadFailed(self.problems)
        return Document(self.display, data, self.positions, self.key_positions,
                        tuple(self.problems))

    def _events(self, text: str):
        """The parser's events, one at a time: the walk stops at the first level too deep, so
        a hostile file is never parsed to the end (libyaml slows down with every level)."""
        documents = 0
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    self.problem(event.start_mark, "this file holds more than one YAML document",
                                 "keep one topic per file and remove the '---' line",
                                 "several-documents")
                    raise LoadFailed(self.problems)
            yield event

    def _syntax_problem(self, error: yaml.MarkedYAMLError) -> Problem:
        mark = error.problem_mark or error.context_mark
        problem = (error.problem or error.context or "this is not valid YAML").rstrip(".")
        message, hint = (
            f"this is not valid YAML: {problem}",
            "check the indentation, colons and quotes on this line and the one before")
        if problem.startswith("mapping values are not allowed"):
            message, hint = ("this is not valid YAML: a ': ' inside a one-line text looks "
                             "like a new field",
                             "write the text on the next lines after '>-', or in quotes")
        return Problem(self.display, mark.line + 1 if mark else 1,
                       mark.column + 1 if mark else 1, message, hint, "yaml-syntax")

    def _check_escapes(self, event) -> None:
        """Double quotes can write any character as an escape (\\u202e): the text check cannot
        see those, so the value itself is checked."""
        for pattern, code in ((_CONTROL, "control-character"), (_HIDDEN, "hidden-character")):
            found = pattern.search(event.value)
            if found:
                self.problem(event.start_mark,
                             f"this text holds an invisible character, U+{ord(found.group()):04X}",
                             "remove the escape that writes it (a backslash and letters)", code)

    def _check_comment_after(self, event) -> None:
        """Warn when ' #' cut a plain text short: YAML keeps only what came before it."""
        mark = event.end_mark
        rest = self.lines[mark.line][mark.column:] if mark.line < len(self.lines) else ""
        if not _COMMENT_AFTER.match(rest):
            return
        dropped = rest.strip()
        shown = dropped if len(dropped) <= 40 else dropped[:37] + "..."
        self.add(Problem(
            self.display, mark.line + 1, mark.column + 1 + rest.index("#"),
            f"the text '{shown}' after ' #' is a comment, so it is left out of the value",
            "if it belongs to the text, write the whole text under '>-' or in quotes",
            "comment-in-text", severity="warning"))

    def _walk(self, events) -> object:
        """Build the tree with an explicit stack, so deep nesting cannot overflow Python's."""
        root: list[object] = []
        # Each frame: (container, path, pending key or None, keys seen {key: mark})
        stack: list[list] = [[root, (), None, None]]
        for event in events:
            if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent,
                                  yaml.DocumentStartEvent, yaml.DocumentEndEvent)):
                continue
            frame = stack[-1]
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                stack.pop()
                continue
            if isinstance(event, yaml.AliasEvent):
                self.problem(event.start_mark,
                             f"'*{event.anchor}' repeats another part of the file",
                             "write the text out in full here", "anchor")
                value: object = None
            elif event.anchor is not None:
                self.problem(event.start_mark, f"'&{event.anchor}' marks text to repeat elsewhere",
                             "remove the '&' mark and write repeated text out in full", "anchor")
            if getattr(event, "tag", None) is not None:
                self.problem(event.start_mark, f"the tag '{event.tag}' is not allowed",
                             "remove the tag; write plain text", "tag")
            container, path, pending, seen = frame
            is_key = isinstance(container, dict) and pending is None
            if is_key:
                if not isinstance(event, yaml.ScalarEvent):
                    self.problem(event.start_mark, "a field name must be plain text",
                                 "write the field name as one word followed by a colon",
                                 "yaml-syntax")
                    key = f"<invalid key at line {event.start_mark.line + 1}>"
                    if not isinstance(event, yaml.AliasEvent):
                        stack.append([{} if isinstance(event, yaml.MappingStartEvent) else [],
                                      path + (key,), None, {}])
                        if len(stack) > MAX_DEPTH:
                            raise self._too_deep(event)
                    frame[2] = key
                    continue
                key = event.value
                if key == "<<":
                    self.problem(event.start_mark, "'<<' merges in another part of the file",
                                 "write the fields out in full here", "anchor")
                if key in seen:
                    first = seen[key]
                    self.problem(
                        event.start_mark,
                        f"the field '{key}' is written twice (first on line {first.line + 1})",
                        "keep one of them and delete the other", "duplicate-key",
                    )
                else:
                    seen[key] = event.start_mark
                frame[2] = key
                self.key_positions[path + (key,)] = (event.start_mark.line + 1,
                                                     event.start_mark.column + 1)
                continue
            if isinstance(container, dict):
                child_path = path + (pending,)
            elif isinstance(container, list) and path == () and container is root:
                child_path = ()
            else:
                child_path = path + (len(container),)
            self.positions[child_path] = (event.start_mark.line + 1, event.start_mark.column + 1)
            if isinstance(event, yaml.ScalarEvent):
                value = event.value
                if event.style == '"':
                    self._check_escapes(event)
                if not event.style and event.value in _NULLS:
                    value = None
                elif not event.style:
                    self._check_comment_after(event)
            elif isinstance(event, yaml.AliasEvent):
                value = None
            else:
                value = {} if isinstance(event, yaml.MappingStartEvent) else []
            if isinstance(container, dict):
                if pending not in container:
                    container[pending] = value
                frame[2] = None
            else:
                container.append(value)
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                stack.append([value, child_path, None, {}])
                if len(stack) > MAX_DEPTH:
                    raise self._too_deep(event)
        return root[0] if root else None

    def _too_deep(self, event) -> LoadFailed:
        self.problem(event.start_mark, f"this is nested more than {MAX_DEPTH} levels deep",
                     "check the indentation: content files are never this deep", "too-deep")
        return LoadFailed(self.problems)
