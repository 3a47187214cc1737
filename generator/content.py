"""Read every content file, check all of it, and hand back one trusted Library.

Like Pelican, we read everything before writing anything: each file is loaded, typed and its
self-checks proven, every problem in every file is collected, and only a library with no
errors comes out. Paths in messages are relative to the project, so they are clickable in an
editor and in CI logs on any machine.
"""

from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path

from generator.errors import ContentError, Problem
from generator.glossary import GLOSSARY_FILE, check_defined
from generator.load import LoadFailed, load_file
from generator.model import Glossary, Site, Topic, check_review, parse
from generator.rules import ANSWERS, RuleSet, Wording, check_topic
from generator.theme import check_language
from generator.tree import settings_file
from generator.tree import topic_files as list_topics
from generator.words import catalog

SITE_FILE = "site.yaml"
TOPICS_DIR = "topics"


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


def read_library(content_dir: Path, root: Path | None = None, *,
                 today: datetime.date | None = None, strict: bool = True) -> Library:
    """Load and check all content under `content_dir`; raise ContentError listing every problem.

    `today` decides which review checks are due (tests pass a fixed day); `strict` makes an
    overdue check an error rather than a warning.
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
        raise ContentError([Problem(display(content_dir), 0, 0, "there is no content folder here",
                                    "name the folder that holds site.yaml and topics/ with "
                                    "--content", "missing-file")])
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
        _, glossary = read(glossary_path, Glossary)
    elif found:
        glossary = None
    words = catalog(site.language if site else "en")
    answer_words = {answer: words[f"answer.{answer}"] for answer in ANSWERS}
    topics: list[Topic] = []
    rule_sets: dict[str, dict[str, RuleSet]] = {}
    wordings: dict[str, dict[str, Wording]] = {}
    first_file: dict[str, str] = {}
    first_check: dict[str, str] = {}  # self-check id -> "file:line" where it was first used
    check_places: list[tuple] = []  # (document, path, id) of each self-check id
    topic_files, found = list_topics(content_dir / TOPICS_DIR, display)
    problems.extend(found)
    if not topic_files and not found:
        problems.append(Problem(display(content_dir / TOPICS_DIR), 1, 1, "there are no topics",
                                "add a topic file such as topics/low-back-pain.yaml",
                                "no-topics"))
    for path in topic_files:
        document, topic = read(path, Topic)
        if topic is None:
            continue
        if topic.id in first_file:
            problems.append(document.problem(
                ("id",), f"the topic id '{topic.id}' is already used in {first_file[topic.id]}",
                "give each topic its own id", "duplicate-id"))
            continue
        first_file[topic.id] = f"{document.file}:{document.where(('id',))[0]}"
        for index, check in enumerate(topic.self_checks):
            where = ("self_checks", index, "id")
            if check.id in first_check:
                problems.append(document.problem(
                    where, f"the self-check id '{check.id}' is already used in "
                    f"{first_check[check.id]}", "give each self-check its own id",
                    "duplicate-id"))
            else:
                first_check[check.id] = f"{document.file}:{document.where(where)[0]}"
                check_places.append((document, where, check.id))
        if path.stem != topic.id:
            problems.append(document.problem(
                ("id",), f"the topic id '{topic.id}' does not match the file name '{path.name}'",
                f"rename the file to {topic.id}.yaml, or change the id", "id-not-file-name"))
        checked, found = check_topic(document, topic, site, answer_words)
        problems.extend(found)
        problems.extend(check_review(document, topic, today, strict=strict))
        if glossary is not None:
            problems.extend(check_defined(document, glossary))
        topics.append(topic)
        rule_sets[topic.id] = dict(checked.rule_sets)
        wordings[topic.id] = dict(checked.wordings)
    for document, where, check_id in check_places:  # a page path would be ambiguous
        if check_id in first_file:
            problems.append(document.problem(
                where, f"the self-check id '{check_id}' is already used by the topic in "
                f"{first_file[check_id]}", "give the self-check an id of its own, such as "
                f"'{check_id}-check'", "duplicate-id"))
    if any(problem.severity == "error" for problem in problems) or site is None \
            or glossary is None:
        raise ContentError(problems)
    return Library(site, tuple(sorted(topics, key=lambda t: t.title.casefold())), rule_sets,
                   tuple(problems), glossary, wordings)
