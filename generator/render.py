"""Turn a checked Library into Markdown pages (and the rules JSON they embed).

The output is plain Markdown with a little HTML, so any Markdown site engine can build it;
the MkDocs adapter is only one consumer. Editor text is never trusted: every value a template
prints is escaped for Markdown *and* HTML at once, by turning each ASCII punctuation character
into a numeric character reference. Emphasis, links, `{: attr_list}` and tags then have no
characters left to work with, while the browser still shows exactly what the editor wrote.
Only values wrapped in `Markup` by this module (our own HTML, the JSON block) pass unchanged.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import string
import unicodedata

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
from markupsafe import Markup, escape

from generator.content import Library
from generator.glossary import Matcher
from generator.model import SelfCheck, Topic
from generator.rules import canonical, describe

_PUNCTUATION = {ord(c): f"&#{ord(c)};" for c in string.punctuation}
# Line and paragraph separators end a line in some parsers; keep them inert as well.
_PUNCTUATION.update({0x2028: "&#8232;", 0x2029: "&#8233;"})
_ID_CHARS = frozenset(string.ascii_lowercase + string.digits + "-")
_JSON_UNSAFE = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026",
                0x2028: "\\u2028", 0x2029: "\\u2029"}


def escape_text(value: object) -> Markup:
    """Editor text made inert in Markdown and HTML (text and quoted attributes)."""
    if isinstance(value, Markup):
        return value
    text = str(value)
    text = " ".join(text.split())  # a newline inside a value must not start a Markdown block
    return Markup(text.translate(_PUNCTUATION))


def escape_html(value: object) -> Markup:
    """Editor text for a place the theme prints as HTML (text or a quoted attribute)."""
    return escape(" ".join(str(value).split()))


def _inert(part: str) -> Markup:
    """Like escape_text for a piece of a sentence: keeps the spaces at its edges."""
    return Markup(part.translate(_PUNCTUATION))


def escape_title(value: object) -> Markup:
    """A page title for YAML front matter: MkDocs prints it into HTML without escaping."""
    return Markup(json.dumps(str(escape_html(value)), ensure_ascii=True))


def json_block(value: object) -> Markup:
    """JSON that is safe inside a <script type="application/json"> (or ld+json) element.

    `<`, `>` and `&` become \\u escapes, so no `</script>` or `<!--` can end or change the
    element, and U+2028/U+2029 are escaped for older script parsers.
    """
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return Markup(text.translate(_JSON_UNSAFE))


def letter_of(name: str) -> str:
    """The A-Z letter a name files under ('#' for names that do not start with a letter)."""
    first = unicodedata.normalize("NFKD", name.strip()[:1]).encode("ascii", "ignore").decode()
    return first.upper() if first.isalpha() else "#"


LEVEL_LABELS = {"urgent": "Urgent advice: ", "caution": "Important: ", "routine": "Advice: "}
ANSWER_LABELS = (("yes", "Yes"), ("no", "No"), ("not-sure", "Not sure"))
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def safe_id(value: str) -> Markup:
    """An id or ISO date for URLs and attributes; the model already restricted its characters."""
    if not _ID_CHARS.issuperset(value) or not value:
        raise ValueError(f"not a safe id: {value!r}")
    return Markup(value)


def long_date(value: str) -> str:
    """2015-07-13 as '13 July 2015': no reader has to guess which number is the month."""
    year, month, day = (int(part) for part in value.split("-"))
    return f"{day} {_MONTHS[month - 1]} {year}"


class Explainer:
    """Explains each glossary word where a page first uses it, in text anyone can read.

    The meaning follows the word in brackets, as visible text, so screen readers read it
    too (a tooltip would hide it from many readers). A page can have several scopes: the
    self-check form replaces the question list when its script runs, so it explains again.
    """

    def __init__(self, matcher: Matcher):
        self.matcher = matcher
        self.seen: dict[str, set[str]] = {}

    def inline(self, text: object, scope: str = "page") -> Markup:
        """The text, escaped, with the first use of each word followed by its meaning."""
        text = " ".join(str(text).split())
        seen = self.seen.setdefault(scope, set())
        out, last = [], 0
        for match, term in self.matcher.find(text):
            if term.term in seen:
                continue
            seen.add(term.term)
            out += [_inert(text[last:match.start()]),
                    Markup('<dfn class="term">'), _inert(match.group(0)),
                    Markup('</dfn> (<span class="term__meaning">'),
                    escape_text(term.meaning), Markup("</span>)")]
            last = match.end()
        out.append(_inert(text[last:]))
        return Markup("").join(out)

    def after(self, name: object, scope: str = "page") -> Markup:
        """For a name (a link, a list of names): the meanings of its new words, after it."""
        seen = self.seen.setdefault(scope, set())
        parts = []
        for match, term in self.matcher.find(str(name)):
            if term.term not in seen:
                seen.add(term.term)
                parts.append(Markup('<dfn class="term">') + escape_text(match.group(0))
                             + Markup('</dfn>: <span class="term__meaning">')
                             + escape_text(term.meaning) + Markup("</span>"))
        if not parts:
            return Markup("")
        return Markup(' <span class="term__names">(') + Markup("; ").join(parts) + Markup(
            ")</span>")


@pass_context
def _explain(context, text: object, scope: str = "page") -> Markup:
    return context["explainer"].inline(text, scope)


@pass_context
def _explain_after(context, name: object, scope: str = "page") -> Markup:
    return context["explainer"].after(name, scope)


@dataclasses.dataclass(frozen=True)
class Page:
    """One generated page: where it goes, its title, and its Markdown."""

    path: str
    title: str
    markdown: str


@functools.cache  # compiling the templates costs more than rendering a hundred topics
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("generator", "templates"),
        undefined=StrictUndefined,
        # Autoescape makes macro output Markup; finalize then escapes every other value our way.
        autoescape=True,
        finalize=escape_text,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        # Markdown's heading ids are written "{#id}", so Jinja comments need other marks.
        comment_start_string="{##",
        comment_end_string="##}",
    )
    env.filters["title"] = escape_title
    env.filters["safe_id"] = safe_id
    env.filters["letter_id"] = lambda letter: Markup("other" if letter == "#" else letter.lower())
    env.filters["long_date"] = long_date
    env.globals["LEVEL_LABELS"] = LEVEL_LABELS
    env.globals["ANSWER_LABELS"] = ANSWER_LABELS
    env.filters["json_block"] = json_block
    env.filters["explain"] = _explain
    env.filters["explain_after"] = _explain_after
    env.globals["describe"] = describe
    return env


def article_path(topic: Topic) -> str:
    return f"topics/{topic.id}/index.md"


def self_check_path(topic: Topic, check: SelfCheck) -> str:
    return f"topics/{topic.id}/{check.id}.md"


def render_pages(library: Library) -> list[Page]:
    """Every generated page, home first, in the order the navigation lists them."""
    env = _environment()
    matcher = Matcher(library.glossary)

    def explainer() -> Explainer:
        return Explainer(matcher)

    pages = [Page("index.md", library.site.site_name,
                  env.get_template("home.md.j2").render(library=library,
                                                        explainer=explainer()))]
    for topic in library.topics:
        numbers = {ref.id: index for index, ref in enumerate(topic.references, 1)}
        warning_check = next((c for c in topic.self_checks if c.asks == "warning_signs"), None)
        risk_check = next((c for c in topic.self_checks if c.asks == "risks"), None)
        common = dict(topic=topic, numbers=numbers, library=library,
                      warning_check=warning_check, risk_check=risk_check,
                      texts=_question_texts(topic),
                      conditions={check_id: dict(rule_set.outcomes) for check_id, rule_set
                                  in library.rule_sets[topic.id].items()})
        pages.append(Page(article_path(topic), topic.title,
                          env.get_template("article.md.j2").render(
                              explainer=explainer(),
                              structured_data=structured_data(topic, library), **common)))
        for check in topic.self_checks:
            rules = canonical(library.rule_sets[topic.id][check.id], check, topic)
            # The page's words for answers and levels travel with the rules, so the script
            # never keeps a second copy of them.
            rules["words"] = {"answers": dict(ANSWER_LABELS), "levels": LEVEL_LABELS}
            pages.append(Page(self_check_path(topic, check), check.title,
                              env.get_template("self_check.md.j2").render(
                                  check=check, rules=rules, explainer=explainer(), **common)))
    pages.append(Page("a-z.md", "A to Z of health topics",
                      env.get_template("a_to_z.md.j2").render(
                          library=library, entries=_a_to_z(library), explainer=explainer())))
    return pages


def structured_data(topic: Topic, library: Library) -> dict:
    """schema.org MedicalWebPage data for search engines, from the same fields as the page.

    It claims only what the page shows: when the page was last checked (lastReviewed), the
    condition and its other names, and the sources. It names no reviewer, because our checks
    are editorial, not a clinical sign-off.
    """
    condition = {"@type": "MedicalCondition", "name": topic.condition or topic.title}
    if topic.alternative_names:
        condition["alternateName"] = list(topic.alternative_names)
    citations = []
    for ref in topic.references:
        citation = {"@type": "CreativeWork", "name": " ".join(ref.citation.split())}
        if ref.link:
            citation["url"] = ref.link
        citations.append(citation)
    return {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": topic.title,
        "description": " ".join(topic.summary.split()),
        "inLanguage": library.site.language,
        "lastReviewed": topic.review.last_checked,
        "publisher": {"@type": "Organization", "name": library.site.publisher},
        "about": condition,
        "citation": citations,
    }


def _question_texts(topic: Topic) -> dict[str, dict[str, str]]:
    return {section: {q.id: q.question for q in topic.questions(section)}
            for section in ("warning_signs", "risks")}


def _a_to_z(library: Library) -> list[tuple[str, list[tuple[str, Topic]]]]:
    """Every topic title and alternative name, grouped by first letter, sorted."""
    names = sorted(
        ((name, topic) for topic in library.topics
         for name in (topic.title, *topic.alternative_names)),
        key=lambda pair: (pair[0].casefold(), pair[1].id),
    )
    letters: dict[str, list[tuple[str, Topic]]] = {}
    for name, topic in names:
        letters.setdefault(letter_of(name), []).append((name, topic))
    return sorted(letters.items())
