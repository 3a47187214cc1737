"""Medical words: which ones a topic must explain, and where a text uses them.

Editors define words in `content/glossary.yaml`; pages explain each one where they first use
it. Editors cannot always tell which of their words are hard, so the check finds them
(`vocabulary`: long and uncommon words, medical words, abbreviations): a hard word must be in
the glossary, or in the topic's `allowed_words` (words its own text explains, or that its
readers know), or it is an error at the line that first uses it. Matching ignores case and
needs whole words, and the longest form wins, so "spinal stenosis" is found as one phrase
before "spine" or "stenosis".
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator

from generator.errors import Problem
from generator.load import Document
from generator.model import Glossary, Term
from generator.vocabulary import WORD, base_forms, hard_words_in

GLOSSARY_FILE = "glossary.yaml"

# Fields that hold ids, codes, dates, citations or names rather than text a reader reads as
# prose. Other names are what readers search for, and allowed words are the exceptions.
_NOT_PROSE = frozenset({"id", "references", "asks", "level", "when", "pmid", "doi", "url",
                        "citation", "review", "alternative_names", "allowed_words", "phone",
                        "web", "language", "look", "not_sure_level", "emergency_line_levels",
                        "file", "shows", "card", "group", "show_route", "site_advice",
                        "not_sure", "type", "unit", "lowest", "highest", "below", "sign",
                        "risk", "asked_if"})


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


def check_defined(document: Document, glossary: Glossary, allowed: Iterable[str] | None = None,
                  *, skipped: Iterable[str] = ()) -> list[Problem]:
    """Every hard word the content uses is in the glossary or, in a topic, in its `allowed`
    words; each is reported once, at its first use. Fields named in `skipped`, and what is
    inside them, are not read (a glossary's own terms). Settings files have no allowed words
    (`allowed` is None), so there a hard word is a warning: an emergency line must never
    stop a build."""
    defined, defined_words = _defined(tuple(form for term in glossary.terms
                                            for form in term.forms))
    allowed_words = _words_of(allowed or ())
    ignored = frozenset(skipped)
    problems: list[Problem] = []
    reported: set[str] = set()
    for path, text in prose(document.data):
        if ignored.intersection(path):
            continue
        for word in hard_words_in(text):
            key = word.casefold()
            if key in reported or key in defined or key in defined_words or (
                    allowed_words & set(base_forms(key))):
                continue
            reported.add(key)
            problems.append(document.problem(
                path, f"'{word}' is a hard word that the glossary does not explain",
                _hint(key, defined | defined_words, allowed is not None), "undefined-term",
                severity="error" if allowed is not None else "warning"))
    return problems


def _hint(word: str, defined: frozenset[str], in_topic: bool) -> str:
    base = next((form for form in base_forms(word)[1:] if form in defined), None)
    first = (f"add '{word}' to the 'also' list of '{base}' in {GLOSSARY_FILE}" if base else
             f"add it to {GLOSSARY_FILE} with its meaning in plain words")
    if in_topic:
        return f"{first}, add it to this topic's 'allowed_words', or use a plainer word"
    return f"{first}, or use a plainer word"


def _words_of(forms: Iterable[str]) -> frozenset[str]:
    return frozenset(word for form in forms for word in WORD.findall(form.casefold()))


@functools.lru_cache(maxsize=8)  # one glossary checks every topic
def _defined(forms: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    """The glossary's forms, and every word in them, as a text is matched against them."""
    defined = frozenset(form.casefold() for form in forms)
    return defined, frozenset(word for form in defined
                              for word in (*re.findall(r"[\w-]+", form), *WORD.findall(form)))


def prose(value: object, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """Each text of loaded content that readers read, with its path, in file order."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, child in value.items():
            if key == "alternative_names" and isinstance(child, list):
                for index, entry in enumerate(child):  # a group's lead-in is read as prose
                    if isinstance(entry, dict) and "lead_in" in entry:
                        yield from prose(entry["lead_in"], path + (key, index, "lead_in"))
            elif key not in _NOT_PROSE:
                yield from prose(child, path + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from prose(child, path + (index,))
