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

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from generator.content import Library
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


def escape_title(value: object) -> Markup:
    """A page title for YAML front matter: MkDocs prints it into HTML without escaping."""
    text = " ".join(str(value).split())
    html = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return Markup(json.dumps(html, ensure_ascii=True))


def json_block(value: object) -> Markup:
    """JSON that is safe inside a <script type="application/json"> element."""
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
    env.globals["describe"] = describe
    return env


def article_path(topic: Topic) -> str:
    return f"topics/{topic.id}/index.md"


def self_check_path(topic: Topic, check: SelfCheck) -> str:
    return f"topics/{topic.id}/{check.id}.md"


def render_pages(library: Library) -> list[Page]:
    """Every generated page, home first, in the order the navigation lists them."""
    env = _environment()
    pages = [Page("index.md", library.site.site_name,
                  env.get_template("home.md.j2").render(library=library))]
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
                          env.get_template("article.md.j2").render(**common)))
        for check in topic.self_checks:
            rules = canonical(library.rule_sets[topic.id][check.id], check, topic)
            # The page's words for answers and levels travel with the rules, so the script
            # never keeps a second copy of them.
            rules["words"] = {"answers": dict(ANSWER_LABELS), "levels": LEVEL_LABELS}
            pages.append(Page(self_check_path(topic, check), check.title,
                              env.get_template("self_check.md.j2").render(
                                  check=check, rules=rules, **common)))
    pages.append(Page("a-z.md", "A to Z of health topics",
                      env.get_template("a_to_z.md.j2").render(
                          library=library, entries=_a_to_z(library))))
    return pages


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
