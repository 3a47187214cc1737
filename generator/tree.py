"""Which files a build reads: plain files in the project's source folders, and nothing else.

A link in `content/` would publish a file from anywhere on the machine, or print it inside an
error message; a named pipe would make a build wait forever; `Topic.YAML` or
`topic.yaml.txt` would be skipped without a word. So each folder a build reads is listed
entry by entry, without following a link or opening anything, and every entry that is not a
plain file of the kind the folder holds is reported by name.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from generator.errors import Problem, quoted

TOPIC_EXTENSIONS = (".yaml", ".yml")
# Files that editors' tools and operating systems leave in folders; never content.
_LEFT_BY_TOOLS = frozenset({"thumbs.db", "desktop.ini"})

Display = Callable[[Path], str]


def ignored(name: str) -> bool:
    """Editors' lock and backup files (`.x.yaml.swp`, `x.yaml~`) and system files."""
    return name.startswith(".") or name.endswith("~") or name.casefold() in _LEFT_BY_TOOLS


def misfit(path: Path, display: str, what: str = "file") -> Problem | None:
    """A problem when `path` is a link, a folder or a special file rather than a plain file;
    None when it is a plain file or is not there. Nothing is opened or followed."""
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return None
    except OSError as error:
        return Problem(display, 1, 1, f"this {what} cannot be read ({error.strerror})",
                       "check that it is a file, and that you can open it", "cannot-read")
    if stat.S_ISLNK(mode):
        return Problem(display, 1, 1, f"this {what} is a link to another file, so it is not read",
                       "put the file itself here instead of a link", "symlink")
    if stat.S_ISDIR(mode):
        return Problem(display, 0, 0, f"this is a folder, not a {what}, so it is not read",
                       f"rename or move the folder; the {what} must be a file", "not-a-file")
    if not stat.S_ISREG(mode):
        return Problem(display, 1, 1, f"this {what} is a {_special(mode)}, not a plain file, so "
                       "it is not read", "delete it, and put a plain file here if one is needed",
                       "not-a-file")
    return None


def _special(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "named pipe"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "device"


def settings_file(folder: Path, name: str, what: str, display: Display) -> tuple[Path | None,
                                                                             list[Problem]]:
    """`folder/name` if it is a plain file. A link, folder or special file there, or a file
    whose name differs only in capitals or in .yml, is reported."""
    path = folder / name
    problem = misfit(path, display(path), what)
    if problem:
        return None, [problem]
    if path.is_file():
        return path, []
    stem = Path(name).stem
    near = sorted(entry for entry in _names(folder)
                  if entry != name and Path(entry).stem.casefold() == stem
                  and Path(entry).suffix.casefold() in TOPIC_EXTENSIONS)
    return None, [Problem(display(folder / entry), 1, 1,
                          f"the {what} must be named {name}, so {quoted(entry)} is not read",
                          f"rename it to {name}", "unexpected-file") for entry in near]


def _names(folder: Path) -> list[str]:
    try:
        return [entry.name for entry in os.scandir(folder)]
    except OSError:
        return []


def topic_files(folder: Path, display: Display) -> tuple[list[Path], list[Problem]]:
    """The topic files in `folder`, in name order, and a problem for every other entry."""
    problems: list[Problem] = []
    found: list[Path] = []
    if folder.is_symlink():
        return [], [Problem(display(folder), 1, 1, "the topics folder is a link to another "
                            "folder, so it is not read", "put the folder itself here instead "
                            "of a link", "symlink")]
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except FileNotFoundError:
        return [], []
    except OSError as error:
        return [], [Problem(display(folder), 1, 1, f"the topics folder cannot be read "
                            f"({error.strerror})", "make content/topics a folder that holds "
                            "the topic files", "cannot-read")]
    for entry in entries:
        path = Path(entry.path)
        if ignored(entry.name):
            continue
        if entry.is_symlink() or not entry.is_file(follow_symlinks=False):
            problem = misfit(path, display(path), "topic file")
            if problem and problem.code == "not-a-file" and path.suffix not in TOPIC_EXTENSIONS \
                    and entry.is_dir(follow_symlinks=False):
                problem = Problem(display(path), 0, 0, "the topics folder holds topic files "
                                  "only, so this folder is not read",
                                  "move the folder out of content/topics/", "unexpected-file")
            if problem:
                problems.append(problem)
            continue
        if path.suffix in TOPIC_EXTENSIONS:
            found.append(path)
        else:
            problems.append(_unexpected(path, display(path)))
    return found, problems


def _unexpected(path: Path, display: str) -> Problem:
    """A file in the topics folder that does not end in .yaml: named, with what to do."""
    name = path.name
    if path.suffix.casefold() in TOPIC_EXTENSIONS:
        better = path.stem.lower() + ".yaml"
        return Problem(display, 1, 1, f"{quoted(name)} ends in {quoted(path.suffix)}, in "
                       "capitals, so it is not read", f"rename it to {better}",
                       "unexpected-file")
    inner = Path(path.stem)
    if inner.suffix.casefold() in TOPIC_EXTENSIONS:  # topic.yaml.txt: saved with two endings
        better = inner.stem.lower() + ".yaml"
        return Problem(display, 1, 1, f"{quoted(name)} has a second ending after .yaml, so it "
                       "is not read", f"rename it to {better}", "unexpected-file")
    return Problem(display, 1, 1, f"{quoted(name)} is not a topic file (topic files end in "
                   ".yaml), so it is not read",
                   "move it out of content/topics/, or save it as a .yaml topic file",
                   "unexpected-file")


def source_problems(folder: Path, display: Display) -> list[Problem]:
    """Every link and special file under a folder the engine copies or reads (the
    hand-written pages, the theme overrides): the engine would follow a link to any file on
    the machine and publish it, and wait forever on a pipe."""
    problems: list[Problem] = []
    for top, folders, files in os.walk(folder):  # does not go into linked folders
        for name in sorted(folders + files):
            path = Path(top) / name
            if name in folders and not path.is_symlink():
                continue
            problem = misfit(path, display(path))
            if problem:
                problems.append(problem)
    return problems
