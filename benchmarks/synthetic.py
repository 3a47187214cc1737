"""A synthetic library: N topics made from the real topic files, each with its own ids and words.

The topics are derived from whatever `content/topics/` holds when the benchmark runs, so the
figures follow the real content as it changes. Each copy gets a made-up word of its own: it
replaces one word of the topic's title everywhere in the file's values (so titles, text, ids
and search terms differ from topic to topic) and names the copy's id and file. Field names are
never touched, so every copy passes the same checks as the original.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from generator.links import plain_text

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("site_src", "overrides")
SYLLABLES = ("ka", "lo", "mi", "ren", "su", "tal", "vo", "zen", "pri", "dus", "ne", "bor",
             "fa", "gil", "ho", "jun")
# "  key: value" or "  - key: value": a value after a field name on the same line.
_FIELD = re.compile(r"^(\s*(?:-\s+)?[A-Za-z_][A-Za-z0-9_]*:)(.*)$")
_ID = re.compile(r"^id:\s*(\S+)\s*$", re.M)
_TITLE = re.compile(r"^title:\s*(.+?)\s*$", re.M)
# The top-level `self_checks` list, up to the next top-level field, and an item's id in it.
_CHECKS = re.compile(r"^self_checks:\n(?:(?:[ #].*)?\n)*", re.M)
_CHECK_ID = re.compile(r"^(  - id:\s*)(\S+)\s*$", re.M)
_ALLOWED_FLOW = re.compile(r"^allowed_words:\s*\[", re.M)
_ALLOWED_BLOCK = re.compile(r"^allowed_words:(?=\s*\n)", re.M)


def made_up_word(number: int) -> str:
    """A distinct pronounceable word for each number (three syllables or more)."""
    syllables = []
    rest = number
    while rest or len(syllables) < 3:
        rest, digit = divmod(rest, len(SYLLABLES))
        syllables.append(SYLLABLES[digit])
    return "".join(syllables)


def _swap_word(text: str, word: str, replacement: str) -> str:
    """Replace `word` (whole word, any case) in the values of a YAML file, never in field names."""
    pattern = re.compile(rf"\b{re.escape(word)}\b", re.I)

    def cased(match: re.Match) -> str:
        found = match.group(0)
        if found.isupper() and len(found) > 1:
            return replacement.upper()
        return replacement.capitalize() if found[0].isupper() else replacement

    lines = []
    for line in text.splitlines(keepends=True):
        field = _FIELD.match(line)
        if line.lstrip().startswith("file:"):  # a picture's file name stays as it is
            lines.append(line)
        elif field:
            lines.append(field.group(1) + pattern.sub(cased, field.group(2)) + "\n")
        elif line.lstrip().startswith("#"):
            lines.append(line)
        else:
            lines.append(pattern.sub(cased, line))
    return "".join(lines)


def _title_word(text: str) -> str | None:
    """The last word of four letters or more in the topic's title: the one each copy replaces."""
    title = _TITLE.search(text)
    words = re.findall(r"[A-Za-z]{4,}", title.group(1)) if title else []
    return words[-1] if words else None


def synthetic_topic(text: str, number: int) -> tuple[str, str]:
    """One copy of a topic file: (its id, its YAML text)."""
    word = made_up_word(number)
    original = _ID.search(text).group(1)
    title_word = _title_word(text)
    copy = _swap_word(text, title_word, word) if title_word else text
    topic_id = _ID.search(copy).group(1)
    if topic_id == original:
        topic_id = f"{word}-{original}"
    if _TITLE.search(copy).group(1) == _TITLE.search(text).group(1):
        copy = _TITLE.sub(lambda match: f"title: {match.group(1)} {word.capitalize()}", copy,
                          count=1)
    # Links to other topics would name topics this library does not have: keep their words.
    copy = plain_text(copy)
    # Self-check ids are unique across the library too.
    copy = _CHECKS.sub(lambda checks: _CHECK_ID.sub(
        lambda match: f"{match.group(1)}{word}-{match.group(2)}", checks.group(0)), copy)
    return topic_id, _allow(_ID.sub(f"id: {topic_id}", copy, count=1), word)


def _allow(text: str, word: str) -> str:
    """The made-up word is long and in no word list, so hard: the copy allows it, as its
    editor would (`allowed_words`, in either YAML list style, or a new one)."""
    if _ALLOWED_FLOW.search(text):
        return _ALLOWED_FLOW.sub(lambda match: f"{match.group(0)}{word}, ", text, count=1)
    if _ALLOWED_BLOCK.search(text):
        return _ALLOWED_BLOCK.sub(lambda match: f"{match.group(0)}\n  - {word}", text, count=1)
    return text.rstrip("\n") + f"\nallowed_words: [{word}]\n"


def make_project(destination: Path, topics: int, source: Path = ROOT) -> Path:
    """A copy of the project at `destination` whose content holds `topics` synthetic topics."""
    destination.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_PARTS:
        shutil.copytree(source / name, destination / name, dirs_exist_ok=True)
    shutil.copy(source / "mkdocs.yml", destination / "mkdocs.yml")
    content = destination / "content"
    topic_dir = content / "topics"
    shutil.rmtree(content, ignore_errors=True)
    topic_dir.mkdir(parents=True)
    for shared in (source / "content").glob("*.yaml"):  # site settings, glossary
        shutil.copy(shared, content / shared.name)
    if (source / "content" / "images").is_dir():  # the pictures the topics show
        shutil.copytree(source / "content" / "images", content / "images")
    originals = sorted((source / "content" / "topics").glob("*.y*ml"))
    if not originals:
        raise SystemExit("content/topics/ has no topic to copy")
    texts = [path.read_text(encoding="utf-8") for path in originals]
    for number in range(topics):
        topic_id, text = synthetic_topic(texts[number % len(texts)], number)
        (topic_dir / f"{topic_id}.yaml").write_text(text, encoding="utf-8")
    return destination
