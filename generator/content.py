"""Read every content file, check all of it, and hand back one trusted Library.

Like Pelican, we read everything before writing anything: each file is loaded, typed and its
self-checks proven, every problem in every file is collected, and only a library with no
errors comes out. Paths in messages are relative to the project, so they are clickable in an
editor and in CI logs on any machine.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import datetime
import difflib
import functools
import hashlib
import json
import multiprocessing
import os
import threading
from collections.abc import Callable
from pathlib import Path

from generator import syllables, vocabulary
from generator.cache import Store, code_version
from generator.errors import ContentError, Problem
from generator.glossary import GLOSSARY_FILE, check_defined
from generator.images import BadPicture, Picture, read_picture
from generator.links import PAGE_PARTS, written_links
from generator.load import LoadFailed, load_file
from generator.model import PART_FIELDS, Glossary, Site, Topic, check_review, parse
from generator.plain_language import check_plain
from generator.rules import ANSWERS, RuleSet, Wording, check_topic
from generator.theme import check_language
from generator.tree import settings_file
from generator.tree import topic_files as list_topics
from generator.words import catalog

SITE_FILE = "site.yaml"
TOPICS_DIR = "topics"
STORE = "topics"  # the cache folder that keeps checked topic files


@dataclasses.dataclass(frozen=True)
class Library:
    """The whole checked content: site settings, topics in title order, and for each topic
    its self-checks' rule sets and the words that put them into sentences."""

    site: Site
    topics: tuple[Topic, ...]
    rule_sets: dict[str, dict[str, RuleSet]]
    warnings: tuple[Problem, ...] = ()
    glossary: Glossary = Glossary()
    wordings: dict[str, dict[str, Wording]] = dataclasses.field(default_factory=dict)
    # Per topic id: a fingerprint of its file and of everything it was checked against.
    fingerprints: dict[str, str] = dataclasses.field(default_factory=dict)
    # The pictures topics show, by the name topics give them ("images/x.png").
    pictures: dict[str, Picture] = dataclasses.field(default_factory=dict)


def read_library(content_dir: Path, root: Path | None = None, *,
                 today: datetime.date | None = None, strict: bool = True) -> Library:
    """Load and check all content under `content_dir`; raise ContentError listing every problem.

    `today` decides which review checks are due (tests pass a fixed day); `strict` makes an
    overdue check an error rather than a warning.
    """
    checked = check_content(content_dir, root, today=today, strict=strict)
    if not checked.valid:
        raise ContentError(checked.problems)
    contents = [read.content() for read in checked.topics]
    return Library(checked.site, tuple(sorted((content.topic for content in contents),
                                              key=lambda topic: topic.title.casefold())),
                   {content.topic.id: dict(content.rule_sets) for content in contents},
                   tuple(checked.problems), checked.glossary,
                   {content.topic.id: dict(content.wordings) for content in contents},
                   {read.id: read.fingerprint for read in checked.topics},
                   dict(checked.pictures))


@dataclasses.dataclass(frozen=True)
class CheckedContent:
    """Every problem in the content, and what was read: enough to report on, and to make a
    Library from when there are no errors."""

    site: Site | None
    glossary: Glossary | None
    topics: tuple[ReadTopic, ...]
    problems: list[Problem]
    pictures: dict[str, Picture] = dataclasses.field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return (self.site is not None and self.glossary is not None
                and not any(problem.severity == "error" for problem in self.problems))


def check_content(content_dir: Path, root: Path | None = None, *,
                  today: datetime.date | None = None, strict: bool = True) -> CheckedContent:
    """Load and check all content under `content_dir`, collecting every problem.

    Topic files unchanged since the last run (and checked against the same settings, glossary
    and code) are taken from this tool's cache, summary first: checking needs only each
    topic's problems and ids, so their typed content is unpickled only for a build.
    """
    today = today or datetime.date.today()
    content_dir = Path(content_dir)
    root = Path(root) if root else content_dir.parent
    problems: list[Problem] = []

    def display(path: Path) -> str:
        try:  # the entry's own name, never where a link leads
            return (path.parent.resolve() / path.name).relative_to(root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    def read(path: Path, cls):
        try:
            document = load_file(path, display(path))
        except LoadFailed as failed:
            problems.extend(failed.problems)
            return None, None
        problems.extend(document.warnings)
        obj, found = parse(document, cls)
        problems.extend(found)
        return document, obj

    if not content_dir.is_dir():
        return CheckedContent(None, None, (), [Problem(
            display(content_dir), 0, 0, "there is no content folder here",
            "name the folder that holds site.yaml and topics/ with --content", "missing-file")])
    site_path, found = settings_file(content_dir, SITE_FILE, "site settings file", display)
    problems.extend(found)
    site = None
    if site_path:
        site_document, site = read(site_path, Site)
        if site is not None:
            problems.extend(check_language(site_document, site))
    elif not found:
        problems.append(Problem(display(content_dir / SITE_FILE), 1, 1,
                                "the site settings file is missing",
                                "create it with site_name, description, language, emergency, "
                                "publisher, care_levels and not_sure_level", "missing-file"))
    glossary = Glossary()
    glossary_path, found = settings_file(content_dir, GLOSSARY_FILE, "glossary", display)
    problems.extend(found)
    if glossary_path:
        glossary_document, glossary = read(glossary_path, Glossary)
        if glossary is not None:  # its meanings are read by everyone, so plain too
            problems.extend(check_defined(glossary_document, glossary,
                                          skipped=("term", "also")))
    elif found:
        glossary = None
    if site is not None and glossary is not None:
        problems.extend(check_defined(site_document, glossary))
    words = catalog(site.language if site else "en")
    answer_words = {answer: words[f"answer.{answer}"] for answer in ANSWERS}
    topic_files, found = list_topics(content_dir / TOPICS_DIR, display)
    problems.extend(found)
    if not topic_files and not found:
        problems.append(Problem(display(content_dir / TOPICS_DIR), 1, 1, "there are no topics",
                                "add a topic file such as topics/low-back-pain.yaml",
                                "no-topics"))
    store = Store(STORE)
    read_topics = _read_topics([(path, display(path)) for path in topic_files],
                               TopicContext(site, glossary, answer_words, today, strict), store)
    store.prune()
    syllables.save()  # words learned by hyphenation while checking
    topics: list[ReadTopic] = []
    first_file: dict[str, str] = {}
    first_check: dict[str, str] = {}  # self-check id -> "file:line" where it was first used
    check_places: list[tuple[ReadTopic, tuple, str]] = []  # each self-check id, and where
    for path, read_topic in zip(topic_files, read_topics, strict=True):
        problems.extend(read_topic.problems)
        if read_topic.id is None:
            continue
        if read_topic.id in first_file:
            problems.append(read_topic.problem(
                ("id",), f"the topic id '{read_topic.id}' is already used in "
                f"{first_file[read_topic.id]}", "give each topic its own id", "duplicate-id"))
            continue
        first_file[read_topic.id] = read_topic.line_of(("id",))
        for index, check_id in enumerate(read_topic.check_ids):
            where = ("self_checks", index, "id")
            if check_id in first_check:
                problems.append(read_topic.problem(
                    where, f"the self-check id '{check_id}' is already used in "
                    f"{first_check[check_id]}", "give each self-check its own id",
                    "duplicate-id"))
            else:
                first_check[check_id] = read_topic.line_of(where)
                check_places.append((read_topic, where, check_id))
        if path.stem != read_topic.id:
            problems.append(read_topic.problem(
                ("id",), f"the topic id '{read_topic.id}' does not match the file name "
                f"'{path.name}'", f"rename the file to {read_topic.id}.yaml, or change the id",
                "id-not-file-name"))
        topics.append(read_topic)
    checks_of = {read_topic.id: set(read_topic.check_ids) for read_topic in topics}
    for read_topic in topics:
        for path, target, check in read_topic.links:
            if target not in checks_of:
                close = difflib.get_close_matches(target, sorted(checks_of), n=1)
                problems.append(read_topic.problem(
                    path, f"there is no topic '{target}' to link to",
                    f"did you mean 'topic:{close[0]}'?" if close else
                    "use the id of a topic in topics/", "bad-link"))
            elif check is not None and check not in checks_of[target]:
                problems.append(_unknown_check(read_topic.problem, path, check, target))
    pictures: dict[str, Picture | BadPicture] = {}
    for read_topic in topics:
        for path, name in read_topic.pictures:
            if name not in pictures:
                try:
                    pictures[name] = read_picture(content_dir, name, display(content_dir / name))
                except BadPicture as bad:
                    pictures[name] = bad
            if isinstance(pictures[name], BadPicture):
                bad = pictures[name]
                problems.append(read_topic.problem(path, bad.message, bad.hint, bad.code))
    for read_topic, where, check_id in check_places:  # a page path would be ambiguous
        if check_id in first_file:
            problems.append(read_topic.problem(
                where, f"the self-check id '{check_id}' is already used by the topic in "
                f"{first_file[check_id]}", "give the self-check an id of its own, such as "
                f"'{check_id}-check'", "duplicate-id"))
    return CheckedContent(site, glossary, tuple(topics), problems, {
        name: picture for name, picture in pictures.items() if isinstance(picture, Picture)})


@dataclasses.dataclass(frozen=True)
class TopicContext:
    """What checking one topic file depends on besides the file itself."""

    site: Site | None
    glossary: Glossary | None
    answer_words: dict[str, str]
    today: datetime.date
    strict: bool

    def fingerprint(self) -> str:
        """Everything above, and this tool's code, as one text for a cache key."""
        return json.dumps([
            code_version(), vocabulary.data_version(),
            self.site.model_dump_json() if self.site else None,
            self.glossary.model_dump_json() if self.glossary else None,
            self.answer_words, self.today.isoformat(), self.strict], sort_keys=True)


@dataclasses.dataclass(frozen=True)
class TopicContent:
    """What the library needs of one valid topic file."""

    topic: Topic
    rule_sets: dict[str, RuleSet]
    wordings: dict[str, Wording]


@dataclasses.dataclass
class ReadTopic:
    """One topic file, loaded, typed and proven: its problems, and the ids that checks across
    files compare, with their places. Its content (the typed topic and its proven rules) is
    held here when the file was just read, or fetched from the store when first needed."""

    file: str
    id: str | None
    check_ids: tuple[str, ...]
    problems: tuple[Problem, ...]
    places: dict[tuple, tuple[int, int]]
    fingerprint: str = ""
    # Links to other topics: the path of the text, the topic id and the self-check id.
    links: tuple[tuple[tuple, str, str | None], ...] = ()
    # The pictures it shows: the path of each `file` field, and the file it names.
    pictures: tuple[tuple[tuple, str], ...] = ()
    _content: TopicContent | None = dataclasses.field(default=None, repr=False)
    _fetch: Callable[[], TopicContent | None] | None = dataclasses.field(default=None,
                                                                          repr=False)

    def problem(self, path: tuple, message: str, hint: str, code: str) -> Problem:
        line, column = self.places[path]
        return Problem(self.file, line, column, message, hint, code)

    def line_of(self, path: tuple) -> str:
        return f"{self.file}:{self.places[path][0]}"

    def content(self) -> TopicContent:
        """The typed topic and its rules (only for a topic with an id, which is valid)."""
        if self._content is None:
            self._content = self._fetch()
        return self._content

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_content": None, "_fetch": None}


def _read_topics(files: list[tuple[Path, str]], context: TopicContext,
                 store: Store) -> list[ReadTopic]:
    """Each topic file read, or taken from the store when neither it nor what checking it
    depends on has changed since it was last read: an edit re-reads one file, not all."""
    around = context.fingerprint()
    found: list[ReadTopic | None] = []
    missing: list[tuple[int, Path, str, str]] = []
    for path, display in files:
        try:
            raw = path.read_bytes()
        except OSError:
            found.append(read_topic(path, display, context))  # which reports why
            continue
        key = hashlib.sha256(f"{around}|{display}|{len(raw)}|".encode() + raw).hexdigest()
        read = store.get(key)
        if isinstance(read, ReadTopic):
            read._fetch = functools.partial(_fetch_content, store, key, path, display, context)
        else:
            missing.append((len(found), path, display, key))
            read = None
        found.append(read)
    for (index, path, display, key), read in zip(
            missing, _read_missing(missing, context, store), strict=True):
        if read._content is None and read.id is not None:
            read._fetch = functools.partial(_fetch_content, store, key, path, display, context)
        found[index] = read
    return found


# Below this many files to read, starting other processes costs more than it saves.
PARALLEL_FROM = 48


def _read_missing(missing: list[tuple[int, Path, str, str]], context: TopicContext,
                  store: Store) -> list[ReadTopic]:
    """Read the files the store did not have, and keep what was read in the store; on every
    core when there are many (a first check, or one after the settings, the glossary or this
    tool changed). Other processes keep their results in the store themselves and send back
    only what checking needs, so a check never moves every topic's content between them."""
    cores = min(os.cpu_count() or 1, 8)
    jobs = [(path, display, context, key) for _, path, display, key in missing]
    # Only a copy of this very process (a fork) is safe: it shares what is loaded and runs no
    # one's main script again. With other threads running (the preview's server, a browser
    # driven by a script) a fork could copy a lock held by another thread: read here instead.
    if (cores < 2 or len(jobs) < PARALLEL_FROM or store.folder is None
            or threading.active_count() > 1
            or "fork" not in multiprocessing.get_all_start_methods()):
        return [_read_and_keep(store, *job) for job in jobs]
    with concurrent.futures.ProcessPoolExecutor(
            cores, mp_context=multiprocessing.get_context("fork")) as pool:
        found = list(pool.map(_read_elsewhere, jobs, chunksize=max(1, len(jobs) // (cores * 4))))
    for read in found:
        store.used.add(read.fingerprint)
    return found


def _read_and_keep(store: Store, path: Path, display: str, context: TopicContext,
                   key: str) -> ReadTopic:
    read = dataclasses.replace(read_topic(path, display, context), fingerprint=key)
    store.put(key, read)
    if read._content is not None:
        store.put(f"{key}-content", read._content)
    return read


def _read_elsewhere(job: tuple[Path, str, TopicContext, str]) -> ReadTopic:
    return _read_and_keep(Store(STORE), *job)  # sent back without its content


def _fetch_content(store: Store, key: str, path: Path, display: str,
                   context: TopicContext) -> TopicContent | None:
    found = store.get(f"{key}-content")
    if isinstance(found, TopicContent):
        return found
    return read_topic(path, display, context)._content  # gone from the cache: read it again


def read_topic(path: Path, display: str, context: TopicContext) -> ReadTopic:
    """Everything one topic file says and every problem it has on its own."""
    try:
        document = load_file(path, display)
    except LoadFailed as failed:
        return ReadTopic(display, None, (), tuple(failed.problems), {})
    problems = list(document.warnings)
    topic, found = parse(document, Topic)
    problems.extend(found)
    if topic is None:
        return ReadTopic(display, None, (), tuple(problems), {})
    checked, found = check_topic(document, topic, context.site, context.answer_words)
    problems.extend(found)
    problems.extend(check_review(document, topic, context.today, strict=context.strict))
    if context.glossary is not None:
        problems.extend(check_defined(document, context.glossary, topic.allowed_words))
    problems.extend(check_plain(document))
    links, found = _check_links(document, topic)
    problems.extend(found)
    places = {("id",): document.where(("id",))}
    for index in range(len(topic.self_checks)):
        places[("self_checks", index, "id")] = document.where(("self_checks", index, "id"))
    pictures = tuple((("sections", index, "image", "file"), section.image.file)
                     for index, section in enumerate(topic.sections) if section.image) + tuple(
        (("self_checks", index, "image", "file"), check.image.file)
        for index, check in enumerate(topic.self_checks) if check.image)
    for path in [path for path, _, _ in links] + [path for path, _ in pictures]:
        places[path] = document.where(path)
    return ReadTopic(display, topic.id, tuple(check.id for check in topic.self_checks),
                     tuple(problems), places, links=links, pictures=pictures, _content=TopicContent(
                         topic, dict(checked.rule_sets), dict(checked.wordings)))


def _check_links(document, topic: Topic) -> tuple[tuple, list[Problem]]:
    """Links to places on the topic's own page are checked here; links to other topics are
    returned (path, topic id, self-check id) for the check across files."""
    problems: list[Problem] = []
    elsewhere = []
    places = set(anchors(topic))
    own_checks = {check.id for check in topic.self_checks}
    for path, link in written_links(document.data):
        if link.bad is not None:
            problems.append(document.problem(
                path, f"'({link.bad})' after [{link.label}] is not a link this site can follow",
                "link to a topic as [words](topic:topic-id), to its self-check as "
                "[words](topic:topic-id/check-id), or to a part of this page as "
                "[words](#warning-signs); anything else shows as typed", "bad-link",
                severity="warning"))
        elif not linkable(path):
            problems.append(document.problem(
                path, f"[{link.label}] cannot be a link here",
                "write links only in a 'text' or a section's 'intro'; here, write the words "
                "alone", "bad-link"))
        elif link.anchor is not None and link.anchor not in places:
            problems.append(document.problem(
                path, f"'#{link.anchor}' is not a part of this page",
                "use a section id of this topic or one of: " + ", ".join(
                    part for part in PAGE_PARTS if part in places), "bad-link"))
        elif link.topic == topic.id and link.check is not None and link.check not in own_checks:
            problems.append(_unknown_check(document.problem, path, link.check, topic.id))
        elif link.topic is not None and link.topic != topic.id:
            elsewhere.append((path, link.topic, link.check))
    return tuple(elsewhere), problems


def linkable(path: tuple) -> bool:
    """Whether a field's text becomes a link where it is shown: sentences (`text`) and the
    intros of a topic page's blocks do. Titles, headings, lead-ins, answers, cells, alt text
    and summaries do not, because they are also shown where a link cannot be (a page's
    description, a button, an attribute)."""
    if path[-1] == "text":
        return not {"options", "bands"} & set(path)
    return path[-1] == "intro" and path[0] != "self_checks"


def anchors(topic: Topic) -> dict[str, str]:
    """What each `#name` link on a topic's pages may name, and the element id it goes to."""
    found = {section.id: f"section-{section.id}" for section in topic.sections}
    present = {part: getattr(topic, field) for part, field in PART_FIELDS.items()}
    present["references"] = topic.references
    found.update((part, part) for part in PAGE_PARTS if present[part])
    for section in topic.sections:
        if section.shows:
            found[section.id] = section.shows
    return found


def _unknown_check(problem, path: tuple, check: str, topic_id: str) -> Problem:
    return problem(path, f"the topic '{topic_id}' has no self-check '{check}'",
                   "use the id of one of its self-checks, or link to the topic alone",
                   "bad-link")
