"""The site plan: every page of the site, decided once, before anything is written.

Which pages exist, what kind each is, which language it is in, where it goes, what it is
called, whether the menu lists it, which template fills it and what that template is given:
this module is the one place that knows. Render fills templates from the plan, templates link
to pages through the plan (`SitePlan.link`), and the engine adapter and `export` hand the
planned pages to a site engine. A new kind of page is one entry in PAGE_KINDS.

Pages are named by a key: the kind, then the ids that tell pages of that kind apart
(`("article", "mri-and-low-back-pain")`, `("self-check", topic id, check id)`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import posixpath
import unicodedata
from collections.abc import Mapping
from types import MappingProxyType

from generator.content import Library, anchors
from generator.images import Picture
from generator.model import PART_FIELDS, ArticleSection, Glossary, Topic
from generator.words import catalog

Key = tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class PageKind:
    """What every page of one kind shares.

    `source` is where the page's Markdown goes in the docs folder, with the page's ids put
    into its `{fields}`; `template` is None for pages that editors write by hand in
    `site_src/`; `scripts` and `styles` are the site's own script and style files the page
    loads besides those every page loads; `hide` names parts of the theme's page the kind
    leaves out. The theme titles the home page with the site name alone, so that page states
    no title of its own.
    """

    name: str
    source: str
    template: str | None
    in_menu: bool
    scripts: tuple[str, ...] = ()
    styles: tuple[str, ...] = ()
    states_title: bool = True
    hide: tuple[str, ...] = ()


PAGE_KINDS: Mapping[str, PageKind] = MappingProxyType({kind.name: kind for kind in (
    PageKind("home", "index.md", "home.md.j2", in_menu=True, states_title=False),
    PageKind("a-z", "a-z.md", "a_to_z.md.j2", in_menu=True),
    PageKind("site-page", "{page}.md", None, in_menu=True),
    PageKind("article", "topics/{topic}/index.md", "article.md.j2", in_menu=False,
             styles=("assets/stylesheets/self-check.css",)),
    PageKind("self-check", "topics/{topic}/{check}.md", "self_check.md.j2", in_menu=False,
             scripts=("assets/javascripts/self-check.js",),
             styles=("assets/stylesheets/self-check.css",),
             # With the script running, the questions list and the results are hidden until
             # they apply: a contents list would link to headings that are not there.
             hide=("toc",)),
)})

# The hand-written pages (site_src/<name>.md), in menu order, with their menu word.
SITE_PAGES = (("about", "menu.about"), ("privacy", "menu.privacy"),
              ("accessibility", "menu.accessibility"))
# Topic pages stay out of the menu: if every page listed every topic, each page would grow
# with the library and the build with its square. Readers reach a topic from the home page,
# the A to Z or search, and topic pages link back.
MENU_WORDS = {"home": "menu.home", "a-z": "menu.a-z"}


@dataclasses.dataclass(frozen=True)
class PlannedPage:
    """One page of the site: everything an engine or a template needs to know about it."""

    key: Key
    kind: str
    language: str
    source: str
    url: str
    title: str
    description: str
    menu_title: str | None
    template: str | None
    scripts: tuple[str, ...]
    styles: tuple[str, ...]
    view: Mapping[str, object]
    # A fingerprint of everything the view and the page's links are made from, where the plan
    # can tell: a topic's own pages come from that topic's file (and what it was checked
    # against) and the places of the site's pages. Pages that show the whole library have
    # none. A renderer may reuse a page's last output while its fingerprint is the same.
    inputs: str | None = None


@dataclasses.dataclass(frozen=True)
class ThemeSettings:
    """The site-wide words the theme prints on every page (as editors wrote them)."""

    site_name: str
    description: str
    language: str
    emergency: str
    copyright: str


@dataclasses.dataclass(frozen=True)
class SitePlan:
    """The whole site: its pages in menu order, then topics in title order."""

    pages: tuple[PlannedPage, ...]
    settings: ThemeSettings
    words: Mapping[str, str]
    glossary: Glossary
    # The pictures pages show, by name ("images/x.png"); they are served at that path.
    pictures: Mapping[str, Picture] = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_key", MappingProxyType(
            {page.key: page for page in self.pages}))

    def page(self, *key: str) -> PlannedPage:
        return self._by_key[tuple(key)]

    def of_kind(self, kind: str) -> tuple[PlannedPage, ...]:
        return tuple(page for page in self.pages if page.kind == kind)

    @property
    def menu(self) -> tuple[PlannedPage, ...]:
        return tuple(page for page in self.pages if page.menu_title is not None)

    def href(self, origin: PlannedPage, *key: str) -> str:
        """The relative address from one page to another in the built site, for links in
        HTML that engines do not rewrite."""
        target, here = self.page(*key).url, origin.url
        if target == here:
            return "./"
        link = posixpath.relpath(target or ".", here.rstrip("/") or ".")
        return link if link.endswith("/") or link.endswith(".html") else link + "/"

    def file_href(self, origin: PlannedPage, name: str) -> str:
        """The relative address of a file the site serves at `name`, from one page."""
        return posixpath.relpath(name, origin.url.rstrip("/") or ".")

    def link(self, origin: PlannedPage, *key: str) -> str:
        """The relative link from one page's Markdown to another's (engines resolve these)."""
        target = self.page(*key).source
        return posixpath.relpath(target, posixpath.dirname(origin.source) or ".")


def source_of(kind: str, **ids: str) -> str:
    return PAGE_KINDS[kind].source.format(**ids)


def url_of(source: str) -> str:
    """The page's address inside the site, as engines write it with directory URLs."""
    stem = source.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def plan_site(library: Library) -> SitePlan:
    """Every page of the site, with the view model its template needs."""
    site = library.site
    words = catalog(site.language)
    pages: list[PlannedPage] = []

    def add(kind: str, key: Key, title: str, description: str = "", *,
            ids: Mapping[str, str] = MappingProxyType({}), menu_word: str | None = None,
            **view: object) -> None:
        spec = PAGE_KINDS[kind]
        source = spec.source.format(**ids)
        pages.append(PlannedPage(
            key=key, kind=kind, language=site.language, source=source, url=url_of(source),
            title=title, description=description,
            menu_title=words[menu_word] if spec.in_menu and menu_word else None,
            template=spec.template, scripts=spec.scripts, styles=spec.styles,
            view=MappingProxyType(view)))

    add("home", ("home",), site.site_name, site.description, menu_word=MENU_WORDS["home"],
        topics=library.topics)
    add("a-z", ("a-z",), words["page.a-z"], words["page.a-z.description"],
        menu_word=MENU_WORDS["a-z"], entries=_a_to_z(library))
    for name, word in SITE_PAGES:
        add("site-page", ("site-page", name), words[word], ids={"page": name}, menu_word=word)
    for topic in library.topics:
        common = _topic_view(topic, library)
        add("article", ("article", topic.id), topic.title, topic.summary,
            ids={"topic": topic.id}, structured_data=structured_data(topic, library),
            blocks=page_blocks(topic, words), **common)
        for check in topic.self_checks:
            rule_set = library.rule_sets[topic.id][check.id]
            add("self-check", ("self-check", topic.id, check.id), check.title, check.intro,
                ids={"topic": topic.id, "check": check.id}, check=check, rule_set=rule_set,
                rules=rule_set.to_json(), wording=library.wordings[topic.id][check.id],
                **common)
    places = hashlib.sha256(repr(sorted((page.key, page.source) for page in pages)).encode())
    pages = [dataclasses.replace(page, inputs=_inputs(page, library, places.hexdigest()))
             for page in pages]
    return SitePlan(
        pages=tuple(pages),
        settings=ThemeSettings(site.site_name, site.description, site.language,
                               site.emergency, words["publisher"].format(
                                   publisher=site.publisher)),
        words=words, glossary=library.glossary, pictures=MappingProxyType(library.pictures))


def _inputs(page: PlannedPage, library: Library, places: str) -> str | None:
    """The page's fingerprint (see PlannedPage.inputs): only a topic's pages have one."""
    if page.kind not in {"article", "self-check"}:
        return None
    fingerprint = library.fingerprints.get(page.key[1])
    if not fingerprint:
        return None
    plain = dataclasses.replace(page, view=MappingProxyType({}))
    topic = page.view["topic"]
    shown = [section.image for section in topic.sections] + [
        check.image for check in topic.self_checks]
    pictures = sorted((image.file, hashlib.sha256(library.pictures[image.file].data).hexdigest())
                      for image in shown if image)  # a picture can change on its own
    return hashlib.sha256(f"{fingerprint}|{places}|{plain!r}|{pictures}".encode()).hexdigest()


@dataclasses.dataclass(frozen=True)
class Block:
    """One block of a topic page, in page order: an editor's section, or a named part of the
    topic (`part`) under the editor's heading or, where the editor did not place it, under
    the catalog's."""

    part: str | None
    heading: str
    anchor: str
    section: ArticleSection | None = None


# Where the named parts go when no section places them: the urgent things before the
# editor's sections, the rest after them.
PARTS_BEFORE = ("warning-signs", "what-to-do-now", "self-checks")
PARTS_AFTER = ("risks", "other-names")


def page_blocks(topic: Topic, words: Mapping[str, str]) -> tuple[Block, ...]:
    """The topic page's blocks in order. A topic that places nothing gets the default page."""
    placed = {section.shows for section in topic.sections if section.shows}

    def defaults(parts: tuple[str, ...]) -> list[Block]:
        return [Block(part, words[f"part.{part}"], part) for part in parts
                if part not in placed and getattr(topic, PART_FIELDS[part])]

    blocks = defaults(PARTS_BEFORE)
    for section in topic.sections:
        blocks.append(Block(section.shows, section.heading,
                            section.shows or f"section-{section.id}", section))
    return tuple(blocks + defaults(PARTS_AFTER))


def _topic_view(topic: Topic, library: Library) -> dict[str, object]:
    """What the article and its self-checks show alike: citation numbers, the site's care
    levels (each page shows a level's route with the level), the warning signs grouped by
    the level a reader who has them needs (and within a level by the editor's groups), and
    where each `#name` link goes."""
    site = library.site
    words = catalog(site.language)
    signs = topic.warning_signs
    lead_ins = {group.id: group.lead_in for group in signs.groups} if signs else {}
    order = [None, *lead_ins]
    sign_groups = []
    for level in site.care_levels:
        at_level = [sign for sign in topic.items("warning_signs") if sign.level == level.id]
        if at_level:
            sign_groups.append((level, tuple(
                (lead_ins.get(group, words["signs.lead-in"]),
                 tuple(sign for sign in at_level if sign.group == group))
                for group in order if any(sign.group == group for sign in at_level))))
    return dict(
        topic=topic,
        numbers={ref.id: index for index, ref in enumerate(topic.references, 1)},
        levels={level.id: level for level in site.care_levels},
        ranks={level.id: rank for rank, level in enumerate(site.care_levels)},
        emergency_levels=frozenset(site.emergency_line_levels),
        emergency=site.emergency,
        site_name=site.site_name,
        anchors=anchors(topic),
        sign_groups=tuple(sign_groups))


def structured_data(topic: Topic, library: Library) -> dict:
    """schema.org MedicalWebPage data for search engines, from the same fields as the page.

    It claims only what the page shows: when the page was last checked (lastReviewed), the
    condition and its other names, and the sources. It names no reviewer, because our checks
    are editorial, not a clinical sign-off.
    """
    condition = {"@type": "MedicalCondition", "name": topic.condition or topic.title}
    if topic.other_names:
        condition["alternateName"] = list(topic.other_names)
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


def letter_of(name: str) -> str:
    """The A-Z letter a name files under ('#' for names that do not start with a letter)."""
    first = unicodedata.normalize("NFKD", name.strip()[:1]).encode("ascii", "ignore").decode()
    return first.upper() if first.isalpha() else "#"


def _a_to_z(library: Library) -> tuple[tuple[str, tuple[tuple[str, Topic], ...]], ...]:
    """Every topic title and alternative name, grouped by first letter, sorted."""
    names = sorted(
        ((name, topic) for topic in library.topics
         for name in (topic.title, *topic.other_names)),
        key=lambda pair: (pair[0].casefold(), pair[1].id),
    )
    letters: dict[str, list[tuple[str, Topic]]] = {}
    for name, topic in names:
        letters.setdefault(letter_of(name), []).append((name, topic))
    return tuple((letter, tuple(entries)) for letter, entries in sorted(letters.items()))
