"""Helpers for tests that make an editor's change to a copy of the fixture library."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.content import read_library
from generator.errors import ContentError

ROOT = Path(__file__).resolve().parent.parent  # the project folder
LIBRARY = ROOT / "tests" / "library"  # the fixture library, laid out like content/
TOPIC = "content/topics/mri-and-low-back-pain.yaml"  # its topic, once copied to content/


def fixture_topic(library):
    """The fixture library's MRI topic, found by its id: more topics may join the library."""
    return next(topic for topic in library.topics if topic.id == Path(TOPIC).stem)


def line_of(text: str, needle: str) -> int:
    """1-based line number of the first line containing `needle`."""
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in the text")


def problems_after(tmp_path: Path, old: str, new: str, count: int = 1,
                   more: tuple[tuple[str, str], ...] = ()) -> tuple[str, list[str]]:
    """Replace `old` with `new` (then each pair in `more`) in a copy of the topic; return the
    new text and every message."""
    shutil.copytree(LIBRARY, tmp_path / "content")
    path = tmp_path / TOPIC
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, f"{old!r} is not in the topic"
    text = text.replace(old, new, count)
    for old_text, new_text in more:
        assert old_text in text, f"{old_text!r} is not in the topic"
        text = text.replace(old_text, new_text, 1)
    path.write_text(text, encoding="utf-8")
    try:
        read_library(tmp_path / "content", tmp_path)
    except ContentError as error:
        return text, [str(problem) for problem in error.problems]
    return text, []


def edited_copy(tmp_path: Path, *edits: tuple[str, str], file: str = TOPIC) -> tuple[Path, str]:
    """A copy of the fixture library under `tmp_path`/content with each (old, new) made in
    `file`, where `old` must occur exactly once; the content folder and the file's new text."""
    content = tmp_path / "content"
    shutil.copytree(LIBRARY, content)
    path = tmp_path / file
    text = path.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, f"{old!r} must occur once in {file}"
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return content, text
