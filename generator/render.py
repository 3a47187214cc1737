"""Fill each planned page's template: Markdown pages (and the rules JSON they embed).

Render decides nothing about which pages exist or where they go (`plan` does); it only turns
the plan's view models into text. The output is plain Markdown with a little HTML, so any
Markdown site engine can build it; the MkDocs adapter is only one consumer. Editor text is
never trusted: every value a template prints is escaped for Markdown *and* HTML at once, by
turning each ASCII punctuation character into a numeric character reference. Emphasis,
links, `{: attr_list}` and tags then have no characters left to work with, while the browser
still shows exactly what the editor wrote.
Only values wrapped in `Markup` by this module (our own HTML, the JSON block) pass unchanged.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import string
from collections.abc import Callable, Mapping

import jinja2
from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
from markupsafe import Markup, escape

from generator import cache, theme
from generator.glossary import Matcher
from generator.links import Link, links_in
from generator.model import LONGEST_LIST
from generator.plan import PAGE_KINDS, PlannedPage, SitePlan
from generator.rules import describe

_PUNCTUATION = {ord(c): f"&#{ord(c)};" for c in string.punctuation}
# Line and paragraph separators end a line in some parsers; keep them inert as well.
_PUNCTUATION.update({0x2028: "&#8232;", 0x2029: "&#8233;"})
_ID_CHARS = frozenset(string.ascii_lowercase + string.digits + "-")
_LINK_CHARS = _ID_CHARS | frozenset("./")
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


def json_block(value: object) -> Markup:
    """JSON that is safe inside a <script type="application/json"> (or ld+json) element.

    `<`, `>` and `&` become \\u escapes, so no `</script>` or `<!--` can end or change the
    element, and U+2028/U+2029 are escaped for older script parsers.
    """
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return Markup(text.translate(_JSON_UNSAFE))


def safe_id(value: str) -> Markup:
    """An id or ISO date for URLs and attributes; the model already restricted its characters."""
    if not _ID_CHARS.issuperset(value) or not value:
        raise ValueError(f"not a safe id: {value!r}")
    return Markup(value)


@pass_context
def _long_date(context, value: str) -> str:
    """2015-07-13 as '13 July 2015': no reader has to guess which number is the month."""
    year, month, day = (int(part) for part in value.split("-"))
    return f"{day} {context['words']['months'].split()[month - 1]} {year}"


class Explainer:
    """Explains each glossary word where a page first uses it, in text anyone can read, and
    turns the links editors write into links.

    The meaning follows the word in brackets, as visible text, so screen readers read it
    too (a tooltip would hide it from many readers). A page can have several scopes: the
    self-check form replaces the question list when its script runs, so it explains again.
    `resolve` gives a written link's address from this page (None: show its words alone).
    """

    def __init__(self, matcher: Matcher,
                 resolve: Callable[[Link], str | None] = lambda link: None):
        self.matcher = matcher
        self.resolve = resolve
        self.seen: dict[str, set[str]] = {}

    def inline(self, text: object, scope: str = "page") -> Markup:
        """The text, escaped, with its links, and the first use of each word followed by its
        meaning."""
        text = " ".join(str(text).split())
        out, last = [], 0
        for link in links_in(text):
            if link.bad is not None:  # content checks refuse these; shown as typed
                continue
            out.append(self._explained(text[last:link.start], scope))
            href = self.resolve(link)
            label = escape_text(link.label)
            out.append(Markup('<a href="{}">{}</a>').format(Markup(href), label) if href
                       else label)
            last = link.end
        out.append(self._explained(text[last:], scope))
        return Markup("").join(out)

    def _explained(self, text: str, scope: str) -> Markup:
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


def resolver(plan: SitePlan, page: PlannedPage,
             view: Mapping[str, object]) -> Callable[[Link], str | None]:
    """How a page's written links find their pages: through the plan, so an address is never
    taken from content. `#name` links go to the page's own topic."""
    topic = view.get("topic")

    def resolve(link: Link) -> str | None:
        if link.topic is not None:
            key = ("self-check", link.topic, link.check) if link.check else (
                "article", link.topic)
            href = plan.href(page, *key)
        elif topic is not None and link.anchor in view["anchors"]:
            here = page.key == ("article", topic.id)
            href = ("" if here else plan.href(page, "article", topic.id)) + "#" + view[
                "anchors"][link.anchor]
        else:
            return None
        return _safe_link(href)

    return resolve


@pass_context
def _explain(context, text: object, scope: str = "page") -> Markup:
    return context["explainer"].inline(text, scope)


@pass_context
def _explain_after(context, name: object, scope: str = "page") -> Markup:
    return context["explainer"].after(name, scope)


@dataclasses.dataclass(frozen=True)
class RenderedPage:
    """A planned page with its Markdown (front matter and body)."""

    page: PlannedPage
    markdown: str


@dataclasses.dataclass(frozen=True)
class RenderedSite:
    """What an engine builds: the generated pages, and the theme's settings escaped for the
    HTML the theme prints them into."""

    pages: tuple[RenderedPage, ...]
    menu: tuple[tuple[str, str], ...]
    settings: dict[str, str]
    # Files the pages use, served as they are: (path in the site, bytes).
    files: tuple[tuple[str, bytes], ...] = ()


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
    env.filters["safe_id"] = safe_id
    env.filters["letter_id"] = lambda letter: Markup("other" if letter == "#" else letter.lower())
    env.filters["long_date"] = _long_date
    env.filters["json_block"] = json_block
    env.filters["explain"] = _explain
    env.filters["explain_after"] = _explain_after
    env.filters["phone_link"] = lambda phone: Markup(phone.replace(" ", ""))
    env.filters["address"] = _address
    env.filters["number"] = lambda number: f"{number:g}"
    env.globals["describe"] = describe
    env.globals["longest_list"] = LONGEST_LIST
    env.globals["icon_path"] = lambda look: Markup(ICONS[look])
    env.globals["link_to"] = _link_to
    env.globals["href_to"] = _href_to
    env.globals["file_href"] = _file_href
    env.globals["button_class"] = Markup(theme.BUTTON)
    use_template_cache(env)
    return env


class _TemplateCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between runs, keyed by name, source and the environment's
    settings: Jinja keys only by name and source, yet the same template compiles differently
    under another environment (our Markdown one, the theme's HTML one)."""

    def __init__(self, folder: str, salt: str) -> None:
        super().__init__(folder)
        self.salt = salt

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return hashlib.sha1(f"{self.salt}|{name}|{filename}".encode()).hexdigest()


def use_template_cache(env: Environment) -> None:
    """Keep `env`'s compiled templates in this tool's cache.

    Compiling templates is most of the time a small build spends in Jinja: the theme alone
    has about 45, compiled again on every run. Jinja rebuilds a cached template whenever its
    source changes and keys the cache by its own version; the salt adds the settings that
    change the compiled code.
    """
    folder = cache.folder("templates")
    if folder is None:
        return
    settings = (jinja2.__version__, env.block_start_string, env.block_end_string,
                env.variable_start_string, env.variable_end_string, env.comment_start_string,
                env.comment_end_string, env.line_statement_prefix, env.line_comment_prefix,
                env.trim_blocks, env.lstrip_blocks, env.newline_sequence,
                env.keep_trailing_newline, env.optimized, sorted(env.extensions),
                _qualified(env.autoescape), _qualified(env.finalize))
    env.bytecode_cache = _TemplateCache(str(folder), repr(settings))


def _qualified(value: object) -> str:
    return getattr(value, "__qualname__", None) or repr(value)


# The icon beside each care level's name (Material Design Icons, Apache 2.0): a siren for
# emergencies, a clock for today, a calendar for soon, a house for looking after yourself.
ICONS = {
    "emergency": "M6 6.9 3.87 4.78l1.41-1.41L7.4 5.5 6 6.9M13 1v3h-2V1h2m7.13 3.78L18 "
                 "6.9l-1.4-1.4 2.12-2.13 1.41 1.41M4.5 10.5v2h-3v-2h3m18 0v2h-3v-2h3M6 "
                 "20h12a2 2 0 0 1 2 2H4a2 2 0 0 1 2-2m6-15a6 6 0 0 1 6 6v8H6v-8a6 6 0 0 1 "
                 "6-6Z",
    "urgent": "M12 20a8 8 0 0 0 8-8 8 8 0 0 0-8-8 8 8 0 0 0-8 8 8 8 0 0 0 8 8m0-18a10 10 0 0 "
              "1 10 10 10 10 0 0 1-10 10C6.47 22 2 17.5 2 12A10 10 0 0 1 12 2m.5 5v5.25l4.5 "
              "2.67-.75 1.23L11 13V7h1.5Z",
    "soon": "M19 19H5V8h14m-3-7v2H8V1H6v2H5c-1.11 0-2 .89-2 2v14a2 2 0 0 0 2 2h14a2 2 0 0 0 "
            "2-2V5a2 2 0 0 0-2-2h-1V1m-1 11h-5v5h5v-5Z",
    "self-care": "M10 20v-6h4v6h5v-8h3L12 3 2 12h3v8h5Z",
}


_last_render: dict[str | None, str] = {}


def _address(url: str) -> Markup:
    """A web address as a reader would say it: its host and path, without https://."""
    return escape_text(url.removeprefix("https://").rstrip("/"))


def _safe_link(link: str) -> Markup:
    """A relative address made by the plan, checked once more: only id characters, dots,
    slashes and one `#`, so nothing in it can end an attribute or start a scheme."""
    if not _LINK_CHARS.issuperset(link.replace("#", "", 1)):
        raise ValueError(f"not a safe link: {link!r}")
    return Markup(link)


@pass_context
def _link_to(context, *key: str) -> Markup:
    """A Markdown link from the page being rendered to the page with this key (the engine
    turns it into the page's address)."""
    return _safe_link(context["plan"].link(context["page"], *key))


@pass_context
def _href_to(context, *key: str) -> Markup:
    """The address of the page with this key from the page being rendered, for HTML links."""
    return _safe_link(context["plan"].href(context["page"], *key))


@pass_context
def _file_href(context, name: str) -> Markup:
    """The address of a file the site serves (a picture) from the page being rendered."""
    return _safe_link(context["plan"].file_href(context["page"], name))


def render_site(plan: SitePlan) -> RenderedSite:
    """Every generated page, filled from the plan, and the settings the theme prints.

    A page whose inputs are the same as at the last render in this process (the preview
    renders again on every save) keeps its last Markdown: an edit to one topic renders that
    topic's pages and the pages that list every topic, not the whole library.
    """
    env = _environment()
    matcher = Matcher(plan.glossary)
    pages = tuple(
        RenderedPage(page, _last_render.get(page.inputs) or _front_matter(page) + env.get_template(
            page.template).render(plan=plan, page=page, words=plan.words,
                                  explainer=Explainer(matcher, resolver(plan, page, page.view)),
                                  **page.view).lstrip("\n"))
        for page in plan.pages if page.template is not None)
    _last_render.clear()
    _last_render.update((rendered.page.inputs, rendered.markdown) for rendered in pages
                        if rendered.page.inputs)
    settings = plan.settings
    return RenderedSite(
        pages=pages,
        menu=tuple((page.menu_title, page.source) for page in plan.menu),
        files=tuple((name, picture.data) for name, picture in sorted(plan.pictures.items())),
        settings={
            "site_name": str(escape_html(settings.site_name)),
            "site_description": str(escape_html(settings.description)),
            "language": settings.language,
            "emergency": str(escape_html(settings.emergency)),
            "copyright": str(escape_html(settings.copyright)),
        })


def _front_matter(page: PlannedPage) -> str:
    """The page's YAML front matter. The theme prints the title and description into HTML
    as they are, so each is HTML-escaped, then written as a JSON string (valid YAML)."""
    fields = {"title": page.title if PAGE_KINDS[page.kind].states_title else None,
              "description": page.description, "page_kind": page.kind}
    lines = [f"{name}: {json.dumps(str(escape_html(value)), ensure_ascii=True)}"
             for name, value in fields.items() if value]
    if page.scripts:
        lines.append("scripts: " + json.dumps(list(page.scripts)))
    if page.styles:
        lines.append("styles: " + json.dumps(list(page.styles)))
    if PAGE_KINDS[page.kind].hide:
        lines.append("hide: " + json.dumps(list(PAGE_KINDS[page.kind].hide)))
    return "---\n" + "\n".join(lines) + "\n---\n\n"
