"""Medical words: which ones a reader may not know, and where a text uses them.

Editors define words in `content/glossary.yaml`; pages explain each one where they first use
it. Editors cannot always tell which of their words are hard, so the team keeps a list of
known hard words (HARD_WORDS): content that uses one with no glossary entry is an error at
the line that uses it. Matching ignores case and needs whole words, and the longest form
wins, so "spinal stenosis" is found as one phrase before "spine" or "stenosis".
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from generator.errors import Problem
from generator.load import Document
from generator.model import Glossary, Term

GLOSSARY_FILE = "glossary.yaml"

# Words found in our topics (and their sources) that plain-language guides flag as hard.
HARD_WORDS = (
    "contrast", "degenerative", "disk", "herniated", "implant", "intervertebral", "lumbar",
    "nucleus pulposus", "pacemaker", "prolapsed", "radiculopathy", "sciatica", "spinal",
    "spine", "stenosis", "technologist",
)
# Fields that hold ids, codes, dates or citations rather than text a reader reads as prose.
_NOT_PROSE = frozenset({"id", "references", "asks", "level", "when", "pmid", "doi", "url",
                        "citation", "review"})


class Matcher:
    """Finds glossary words in text: every match, with the term it belongs to."""

    def __init__(self, glossary: Glossary):
        self.by_form = {form.casefold(): term for term in glossary.terms for form in term.forms}
        forms = sorted(self.by_form, key=len, reverse=True)
        self.pattern = (re.compile(r"\b(" + "|".join(map(re.escape, forms)) + r")\b",
                                   re.IGNORECASE) if forms else None)

    def find(self, text: str) -> Iterator[tuple[re.Match, Term]]:
        if self.pattern is None:
            return
        for match in self.pattern.finditer(text):
            yield match, self.by_form[match.group(1).casefold()]


def hard_words_in(text: str) -> list[str]:
    """The known hard words a text uses, as written, in order."""
    return [match.group(1) for match in _HARD.finditer(text)]


_HARD = re.compile(r"\b(" + "|".join(map(re.escape, HARD_WORDS)) + r")\b", re.IGNORECASE)


def check_defined(document: Document, glossary: Glossary) -> list[Problem]:
    """Every known hard word the content uses is in the glossary; located at its first use."""
    defined, defined_words = _defined(tuple(form for term in glossary.terms
                                            for form in term.forms))
    problems: list[Problem] = []
    reported: set[str] = set()
    for path, text in _texts(document.data, ()):
        for word in hard_words_in(text):
            key = word.casefold()
            if key in defined or key in defined_words or key in reported:
                continue
            reported.add(key)
            problems.append(document.problem(
                path, f"'{word}' is a medical word that the glossary does not explain",
                f"add it to content/{GLOSSARY_FILE} with its meaning in plain words, or use "
                "a plainer word", "undefined-term"))
    return problems


@functools.lru_cache(maxsize=8)  # one glossary checks every topic
def _defined(forms: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    """The glossary's forms, and every word in them, as a text is matched against them."""
    defined = frozenset(form.casefold() for form in forms)
    return defined, frozenset(word for form in defined for word in re.findall(r"[\w-]+", form))


def _texts(value: object, path: tuple) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, child in value.items():
            if key not in _NOT_PROSE:
                yield from _texts(child, path + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _texts(child, path + (index,))
