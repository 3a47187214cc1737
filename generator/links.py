"""Links an editor writes in text: to another topic, to a self-check, or to a part of the page.

Editors write `[the words to click](topic:headaches)`, `[check yourself](topic:headaches/
do-i-need-help)` or `[the warning signs](#warning-signs)`. Links name pages by id, never by
address, so a link cannot point outside the site and a page that moves keeps its links. This
module finds them and says what each one names; content checks that the target exists, and
render turns each into a link through the site plan. Anything else in square brackets
followed by brackets is a located error, so a pasted web address never shows as typed text.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

from generator.glossary import prose

# The parts of a topic page a `#` link can name, besides its sections (`#section-id`).
PAGE_PARTS = ("warning-signs", "what-to-do-now", "self-checks", "risks", "other-names",
              "references")
_ID = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_LINK = re.compile(r"\[([^\[\]\n]{1,200})\]\(([^()\s]{0,300})\)")
_TARGET = re.compile(rf"^(?:topic:({_ID})(?:/({_ID}))?|#({_ID}))$")
@dataclasses.dataclass(frozen=True)
class Link:
    """One link in a text: the words shown, and the topic, self-check or place it names.

    `topic` is None for a link to a place on the topic's own page (`anchor`); `bad` holds
    what the editor wrote when it is not a link this site can follow."""

    start: int
    end: int
    label: str
    topic: str | None = None
    check: str | None = None
    anchor: str | None = None
    bad: str | None = None


def links_in(text: str) -> Iterator[Link]:
    """Every link written in a text, in order."""
    for match in _LINK.finditer(text):
        label, target = match.group(1), match.group(2)
        found = _TARGET.match(target)
        if found is None:
            yield Link(match.start(), match.end(), label, bad=target)
        else:
            yield Link(match.start(), match.end(), label, topic=found.group(1),
                       check=found.group(2), anchor=found.group(3))


def written_links(data: object) -> Iterator[tuple[tuple, Link]]:
    """Every link in a loaded topic file's text, with the path of the field it is in."""
    for path, text in prose(data):
        for link in links_in(text):
            yield path, link
    for path, name in _written_names(data):
        for link in links_in(name):
            yield path, link  # names are text too, never links


def _written_names(data: object) -> Iterator[tuple[tuple, str]]:
    """Each other name as written, with its path: loose names and the names in groups."""
    names = data.get("alternative_names") if isinstance(data, dict) else None
    for index, entry in enumerate(names if isinstance(names, list) else []):
        if isinstance(entry, str):
            yield ("alternative_names", index), entry
        elif isinstance(entry, dict) and isinstance(entry.get("names"), list):
            for place, name in enumerate(entry["names"]):
                if isinstance(name, str):
                    yield ("alternative_names", index, "names", place), name


def plain_text(text: str) -> str:
    """The text as a reader sees it: each link is its words."""
    return _LINK.sub(lambda match: match.group(1) if _TARGET.match(match.group(2))
                     else match.group(0), text)
