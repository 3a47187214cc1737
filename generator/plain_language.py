"""Short headings and plain sentences, checked by `check`, where editors look.

The built site's pages are scored as a whole (`readability`), and a page that reads too hard
fails only `make test`, late and far from the line to fix. A page's score is also one
average: easy sentences hide hard ones, so removing an easy sentence can push a page over
its limit. So `check` holds each heading to MAX_HEADING_WORDS words (an error, as in the
tests of the built pages) and names each sentence that on its own reads above
SENTENCE_MAX_GRADE, at the line of its field.

That is a warning, and its bar is higher than a page's: a grade worked out from one sentence
is noisy. A plain sentence with one long medical word ("Before any MRI scan, tell the
technologist about any metal in your body.") scores grade 11 alone, and a short one
("Stop taking ibuprofen.") 13, so sentences under SENTENCE_MIN_WORDS words are not graded
alone and the bar is twice the page's limit.
"""

from __future__ import annotations

from generator.errors import Problem, quoted
from generator.glossary import prose
from generator.load import Document
from generator.readability import MAX_GRADE, grade, sentences_in, words_of

HEADING_FIELDS = frozenset({"heading", "title", "caption"})
MAX_HEADING_WORDS = 8
SENTENCE_MAX_GRADE = 2 * MAX_GRADE
SENTENCE_MIN_WORDS = 8
QUOTE = 120  # characters of a sentence a message quotes


def check_plain(document: Document) -> list[Problem]:
    """Every heading too long to take in at a glance (an error) and every sentence too hard
    to read on its own (a warning), located at its field."""
    problems: list[Problem] = []
    for path, text in prose(document.data):
        if path and path[-1] in HEADING_FIELDS:
            words = words_of(text)  # "Call 999 — now" is 3 words
            if len(words) > MAX_HEADING_WORDS:
                problems.append(document.problem(
                    path, f"this heading has {len(words)} words (at most {MAX_HEADING_WORDS}): "
                    f"{quoted(' '.join(text.split()), QUOTE)}", "rewrite it in "
                    f"{MAX_HEADING_WORDS} words or fewer; say the rest in the text below it",
                    "heading-too-long"))
            continue
        for sentence in sentences_in(text):
            if len(words_of(sentence)) < SENTENCE_MIN_WORDS:
                continue
            found = grade(sentence)
            if found > SENTENCE_MAX_GRADE:
                problems.append(document.problem(
                    path, f"this sentence reads at grade {found:.1f} (at most "
                    f"{SENTENCE_MAX_GRADE:g} for one sentence): {quoted(sentence, QUOTE)}",
                    "split it into shorter sentences, and use shorter, everyday words",
                    "hard-sentence", severity="warning"))
    return problems
