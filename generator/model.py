"""The typed model of site settings and health topics, and its checks.

The loader hands over plain text; this module decides what each field must be. Pydantic does
the typing (and later gives editors a JSON Schema from the same classes); we translate its
findings into located, plain-language problems. Checks that span fields, such as "every
reference id a statement cites is listed", live here too, so a model that validates is one
the rest of the pipeline can trust.
"""

from __future__ import annotations

import datetime
import difflib
from typing import Annotated, Literal, NotRequired

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    ValidationError,
    with_config,
)
from typing_extensions import TypedDict  # pydantic needs this one before Python 3.12

from generator.errors import Problem, quoted
from generator.load import MAX_PROBLEMS, Document

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
IsoDate = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]
# A date, or "not given" for a source that shows no review date.
SourceDate = Annotated[str, StringConstraints(pattern=r"^(\d{4}-\d{2}-\d{2}|not given)$")]
Pmid = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,9}$")]
Doi = Annotated[str, StringConstraints(pattern=r"^10\.[0-9]{4,9}/[^\s<>\"'`]+$", max_length=200)]
HttpsUrl = Annotated[str, StringConstraints(pattern=r"^https://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(/[^\s<>\"'`]*)?$",
                                            max_length=500)]
Section = Literal["warning_signs", "risks"]
Look = Literal["emergency", "urgent", "soon", "self-care"]
QuestionType = Literal["yes-no", "one-choice", "several-choices", "number"]
YesNo = Literal["yes", "no"]
NUMBER_PATTERN = r"^-?[0-9]{1,6}(\.[0-9]{1,3})?$"
PHONE_PATTERN = r"^\+?[0-9][0-9 ]{1,19}$"
Number = Annotated[str, StringConstraints(pattern=NUMBER_PATTERN)]
Phone = Annotated[str, StringConstraints(pattern=PHONE_PATTERN)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)


class Statement(_Strict):
    """A sentence a page shows: clinical, citing the references it comes from, or the site's
    own service guidance (`site_advice: yes`), which is shown as the site's and never cited.
    Which one it is, is checked with the topic, where the message can say what to do."""

    text: Text
    references: list[Id] = []
    site_advice: YesNo = "no"


class KeyMessage(Statement):
    """The one thing to take away, from the sources, and (`advice`) the site's own advice
    that goes with it, such as where to get help: shown after it and marked as the site's."""

    advice: Text | None = None


class Point(Statement):
    """A list item, with an optional list of its own one level down (`points`). Sub-points
    may leave out references when the point above them cites its source."""

    points: list[Statement] = []


class Question(_Strict):
    """A risk to know about, and the yes/no question a self-check asks about it (none when
    no check asks it on its own). `references` cites this risk alone."""

    id: Id
    text: Text
    question: ShortText | None = None
    references: list[Id] = []


class Sign(_Strict):
    """A warning sign: what to look out for, the lowest care level a reader who has it may be
    given (a site level id), the yes/no question a self-check asks about it, the group it is
    listed in, and the references for this sign alone."""

    id: Id
    text: Text
    level: Id
    question: ShortText | None = None
    group: Id | None = None
    references: list[Id] = []


class SignGroup(_Strict):
    """A named group of warning signs: long lists are hard to take in, so a care card lists
    the signs of each group under the group's own lead-in."""

    id: Id
    lead_in: ShortText


class WarningSigns(_Strict):
    intro: Text
    references: list[Id] = []
    groups: list[SignGroup] = []
    signs: list[Sign] = Field(min_length=1)


class Risks(_Strict):
    intro: Text
    references: list[Id] = []
    items: list[Question] = Field(min_length=1)
    advice: list[Statement] = []


class Row(_Strict):
    """One row of a table: its cells, left to right, and the references it comes from."""

    cells: list[ShortText] = Field(min_length=1)
    references: list[Id] = []
    site_advice: YesNo = "no"


class Table(_Strict):
    """A simple table: a caption that says what it shows, a header row, then the rows."""

    caption: ShortText
    header: list[ShortText] = Field(min_length=1)
    rows: list[Row] = Field(min_length=1)
    references: list[Id] = []


PICTURE_PATTERN = r"^images/[a-z0-9]+(-[a-z0-9]+)*\.(png|jpg|jpeg|webp)$"


class Image(_Strict):
    """A picture from the content's `images/` folder; `alt` says what it shows, for readers
    who cannot see it."""

    file: Annotated[str, StringConstraints(pattern=PICTURE_PATTERN, max_length=120)]
    alt: ShortText
    caption: Statement | None = None


# The named parts of a topic a section can place on the page (with `shows`).
Part = Literal["warning-signs", "what-to-do-now", "self-checks", "risks", "other-names"]
PART_FIELDS = {"warning-signs": "warning_signs", "what-to-do-now": "what_to_do_now",
               "self-checks": "self_checks", "risks": "risks", "other-names": "alternative_names"}
BODIES = ("points", "paragraphs", "steps", "table", "image", "shows")


class ArticleSection(_Strict):
    """One block of the topic page, in the order the editor lists them, under the editor's
    heading: text (`paragraphs`), a list (`points`, with sub-lists), numbered `steps`, a
    `table`, an `image`, or one of the topic's named parts (`shows`). `intro` comes first;
    `card` shows the block as a boxed card ("do-not" for things not to do, "note" for others)."""

    id: Id
    heading: ShortText
    intro: Statement | None = None
    card: Literal["do-not", "note"] | None = None
    points: list[Point] = []
    paragraphs: list[Statement] = []
    steps: list[Statement] = []
    table: Table | None = None
    image: Image | None = None
    shows: Part | None = None

    @property
    def body(self) -> str | None:
        """The name of the one body the section has (None while it has none)."""
        given = [name for name in BODIES if getattr(self, name)]
        return given[0] if len(given) == 1 else None


# The shape of a condition, for the editors' JSON Schema only: the model takes any group of
# fields and the rules module checks it, with messages that say exactly what is wrong.


@with_config(ConfigDict(extra="forbid"))
class Match(TypedDict):
    """The answer to look for, and the ids of the questions to look in (left out: every
    question that can be given this answer). Write "yes" and "no" in quotes."""

    answer: str
    questions: NotRequired[Annotated[list[Id], Field(min_length=1)]]


_Conditions = Annotated[list["Condition"], Field(min_length=1)] | Match
Condition = with_config(ConfigDict(extra="forbid", json_schema_extra={
    "minProperties": 1, "maxProperties": 1}))(TypedDict("Condition", {
        "any": _Conditions, "all": _Conditions, "none": _Conditions, "not": "Condition"},
        total=False))
Condition.__doc__ = (
    "Exactly one of: 'any', 'all' or 'none' (a list of conditions, or an answer to match), "
    "or 'not' (one condition).")


def _as_written(value: object) -> object:
    return value


def _shaped_as(shape: object) -> BeforeValidator:
    """Validates nothing: it only tells the JSON Schema what shape the value has."""
    return BeforeValidator(_as_written, json_schema_input_type=shape)


class Outcome(_Strict):
    """One possible result of a self-check; `level` names one of the site's care levels and
    `when` is checked by the rules module."""

    id: Id
    level: Id
    when: Annotated[dict | str, _shaped_as(Condition | Literal["otherwise"])]
    heading: ShortText
    advice: list[Statement] = Field(min_length=1)
    # "no" leaves the level's route off the card: only for the last level, where the route
    # would say nothing to a reader who needs no care (such as "none of these apply").
    show_route: YesNo = "yes"


class Option(_Strict):
    """One answer to choose; `sign` ties it to the warning sign it stands for."""

    id: Id
    text: ShortText
    sign: Id | None = None


class Band(_Strict):
    """A range of numbers read as one answer: from the previous band's `below` (or the
    question's `lowest`) up to, not including, its own `below` (the last band has none)."""

    id: Id
    text: ShortText
    below: Number | None = None


class AskedQuestion(_Strict):
    """One question of a self-check: a warning sign (`sign`), a risk (`risk`), or a question
    of its own (`id`, `type` and `question`). Which fields fit together is checked by the
    rules module, which can say exactly what is missing."""

    sign: Id | None = None
    risk: Id | None = None
    id: Id | None = None
    type: QuestionType | None = None
    question: ShortText | None = None
    not_sure: YesNo | None = None
    options: list[Option] = []
    bands: list[Band] = []
    unit: ShortText | None = None
    lowest: Number | None = None
    highest: Number | None = None
    asked_if: Annotated[dict | None, _shaped_as(Condition | None)] = None


class SelfCheck(_Strict):
    """One self-check page: under its intro a key message (its own `key_message`, else the
    topic's), then `image` (a picture of the choice it helps with, if any), the questions and
    the results."""

    id: Id
    title: ShortText
    intro: Text
    key_message: KeyMessage | None = None
    image: Image | None = None
    asks: Section | None = None
    questions: list[AskedQuestion] = []
    shows: Literal["first-that-applies", "every-that-applies"] = "first-that-applies"
    outcomes: list[Outcome] = Field(min_length=1)


class Reference(_Strict):
    id: Id
    citation: Text
    pmid: Pmid | None = None
    doi: Doi | None = None
    url: HttpsUrl | None = None

    @property
    def link(self) -> str | None:
        """The one address a reader follows: the editor's URL, else DOI, else PubMed."""
        if self.url:
            return self.url
        if self.doi:
            return f"https://doi.org/{self.doi}"
        if self.pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        return None


NOT_GIVEN = "not given"  # a source that shows no review date says so, honestly


class NameGroup(_Strict):
    """Other names under a lead-in, so a long list of names reads in chunks of at most 7."""

    lead_in: ShortText
    names: list[ShortText] = Field(min_length=1)


# One entry of `alternative_names`: a name, or a group of names under its lead-in.
OtherName = Annotated[
    Annotated[ShortText, Tag("name")] | Annotated[NameGroup, Tag("name-group")],
    Discriminator(lambda value: "name-group" if isinstance(value, dict | NameGroup) else "name"),
]


class Review(_Strict):
    """Who checked the topic against its sources, and when; never a clinical sign-off.

    `source_reviewed` is the date the source itself says it was last reviewed, or "not given"
    when it shows none: the date an editor read it is not the source's review date.
    """

    checked_by: ShortText
    source_reviewed: SourceDate
    last_checked: IsoDate
    next_check_due: IsoDate


class Topic(_Strict):
    id: Id
    title: ShortText
    summary: Text
    key_message: KeyMessage
    what_to_do_now: list[Statement] = Field(min_length=1)
    warning_signs: WarningSigns | None = None
    sections: list[ArticleSection] = []
    risks: Risks | None = None
    self_checks: list[SelfCheck] = []
    condition: ShortText | None = None
    alternative_names: list[OtherName] = []
    # Hard words this topic may use without a glossary entry: words its own text explains,
    # or that are plain to this topic's readers.
    allowed_words: list[ShortText] = []
    references: list[Reference] = Field(min_length=1)
    review: Review

    @property
    def gives_site_advice(self) -> bool:
        """Whether any text of the topic is the site's own advice (its pages then say what
        that mark means)."""
        return any(message.advice for message in [self.key_message] + [
            check.key_message for check in self.self_checks if check.key_message]) or any(
            getattr(item, "site_advice", "no") == "yes" for _, item, _ in _citations(self))

    @property
    def other_names(self) -> tuple[str, ...]:
        """Every other name, groups flattened: what the A to Z and search engines list."""
        return tuple(name for entry in self.alternative_names
                     for name in (entry.names if isinstance(entry, NameGroup) else [entry]))

    def items(self, section: str) -> list[Sign] | list[Question]:
        """The warning signs or the risks, in order (empty when the topic has none)."""
        if section == "warning_signs":
            return list(self.warning_signs.signs) if self.warning_signs else []
        return list(self.risks.items) if self.risks else []


class Contact(_Strict):
    """Whom to contact for a care level, and how: a phone number, a web address, or both."""

    who: ShortText
    phone: Phone | None = None
    web: HttpsUrl | None = None


class CareLevel(_Strict):
    """One step of the site's care scale: the route a reader at this level takes.

    This is the site's own service guidance, written by the site, never cited to a
    clinical source. `look` picks the colour and icon results at this level get.
    """

    id: Id
    name: ShortText
    look: Look
    what_to_do: Text
    how_soon: ShortText
    contacts: list[Contact] = []


class Site(_Strict):
    site_name: ShortText
    description: Text
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$")]
    emergency: Text
    publisher: ShortText
    care_levels: list[CareLevel] = Field(min_length=2)
    not_sure_level: Id
    emergency_line_levels: list[Id] = []

    def rank(self, level: str) -> int:
        """A level's place on the scale: 0 is the most urgent."""
        return [care.id for care in self.care_levels].index(level)

    def level(self, level: str) -> CareLevel:
        return self.care_levels[self.rank(level)]


class Term(_Strict):
    """A medical word, the other ways it is written, and what it means in plain words."""

    term: ShortText
    also: list[ShortText] = []
    meaning: ShortText

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.term, *self.also)


class Glossary(_Strict):
    terms: list[Term] = []


_PLAIN_TYPES = {
    "string_type": "text",
    "list_type": "a list (lines starting with '- ')",
    "dict_type": "a group of fields",
    "model_type": "a group of fields",
}


def parse(document: Document, cls: type[BaseModel]) -> tuple[BaseModel | None, list[Problem]]:
    """Validate one loaded file against `cls`; return the object or located problems."""
    try:
        obj = cls.model_validate(document.data)
    except ValidationError as error:
        found = error.errors()
        problems = [_translate(document, cls, item) for item in found[:MAX_PROBLEMS]]
        if len(found) > MAX_PROBLEMS:
            problems.append(document.problem(
                (), f"this file has {len(found)} problems; only the first {MAX_PROBLEMS} are "
                "listed", "fix these first, then check again", "too-many-problems"))
        return None, problems
    problems = _check_dates(document, obj) + (
        _check_topic(document, obj) if isinstance(obj, Topic) else []
    ) + (_check_glossary(document, obj) if isinstance(obj, Glossary) else []) + (
        _check_site(document, obj) if isinstance(obj, Site) else [])
    return (None if any(p.severity == "error" for p in problems) else obj), problems


def _translate(document: Document, cls: type[BaseModel], item: dict) -> Problem:
    """One pydantic finding in the words of an editor, at the line it is about."""
    loc = _written_path(document.data, tuple(item["loc"]))
    kind = item["type"]
    field = _field_name(loc)
    value = item.get("input")
    if kind == "missing":
        return document.problem(loc[:-1], f"the field '{loc[-1]}' is missing",
                                f"add '{loc[-1]}:' here", "missing-field", key=True)
    if kind == "extra_forbidden":
        allowed = _allowed_fields(cls, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = (f"did you mean '{close[0]}'?" if close
                else "remove it, or use one of: " + ", ".join(allowed))
        return document.problem(loc, f"'{loc[-1]}' is not a field here", hint, "unknown-field",
                                key=True)
    if kind in _PLAIN_TYPES:
        got = "nothing" if value is None else _describe(value)
        fields = _required_fields(cls, loc) if kind == "model_type" else []
        hint = (f"write it as fields, each on its own line: {', '.join(fields)}" if fields
                else _shape_hint(kind))
        return document.problem(loc, f"{field} must be {_PLAIN_TYPES[kind]}, not {got}",
                                hint, "wrong-type")
    if kind == "literal_error":
        allowed = item.get("ctx", {}).get("expected", "")
        return document.problem(loc, f"{field} cannot be {quoted(value)}",
                                f"use one of: {allowed}", "not-allowed")
    if kind == "string_pattern_mismatch":
        return _pattern_problem(document, loc, field, value,
                                item.get("ctx", {}).get("pattern", ""))
    if kind == "string_too_short":
        return document.problem(loc, f"{field} is empty", "write the text, or remove the field",
                                "empty-value")
    if kind in {"string_too_long", "too_long"}:
        return document.problem(loc, f"{field} is too long",
                                "shorten it: short text is easier to read", "too-long")
    if kind == "too_short":
        return document.problem(loc, f"{field} needs at least one entry",
                                "add an entry, or remove the field", "empty-value")
    return document.problem(loc, f"{field}: {item['msg']}", "check this value", "invalid-value")


_UNION_TAGS = frozenset({"str", "dict", "function-after", "name", "name-group"})


def _written_path(data: object, loc: tuple) -> tuple:
    """Pydantic's path, without the names it gives union branches ("str", "dict[any,any]"),
    which editors never see. A part the file really has (a field named "str") is kept."""
    path: list = []
    for part in loc:
        if (isinstance(data, dict) and part in data) or (
                isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)):
            data = data[part]
        elif isinstance(part, str) and ("[" in part or part in _UNION_TAGS):
            continue
        else:
            data = None
        path.append(part)
    return tuple(path)


def _pattern_problem(document: Document, loc: tuple, field: str, value: object,
                     pattern: str) -> Problem:
    name = loc[-1] if loc else ""
    levels = name in {"level", "not_sure_level"} or (
        len(loc) >= 2 and loc[-2] == "emergency_line_levels")
    if levels and pattern == ID_PATTERN:
        return document.problem(
            loc, f"{quoted(value)} is not a care level id",
            "use the id of one of the levels under 'care_levels' in site.yaml, like 'urgent'",
            "bad-id")
    if name in {"id"} or (len(loc) >= 2 and loc[-2] == "references") or pattern == ID_PATTERN:
        return document.problem(
            loc, f"{field} {quoted(value)} is not a valid id",
            "use lower-case letters, digits and single hyphens, like 'low-back-pain'", "bad-id")
    if pattern == NUMBER_PATTERN:
        return document.problem(loc, f"{field} {quoted(value)} is not a number",
                                'write only digits, with a point for a fraction, like "7" or '
                                '"37.5", in quotes', "invalid-value")
    if pattern == PHONE_PATTERN:
        return document.problem(loc, f"{quoted(value)} is not a phone number",
                                'write only digits and spaces, with a + in front if you need '
                                'one, like "+44 20 7946 0000", in quotes', "invalid-value")
    if name == "url" and str(value).lower().startswith("http://"):
        return document.problem(loc, f"{quoted(value)} is not a secure (https://) address",
                                "use the page's https:// address; most sites have one",
                                "bad-url")
    if name == "url":
        return document.problem(loc, f"{quoted(value)} is not a full https:// web address",
                                "write the whole address, starting with https://", "bad-url")
    if name == "doi":
        return document.problem(loc, f"{quoted(value)} is not a DOI",
                                "write only the DOI itself, like \"10.7326/0003-4819-154-3\", "
                                "in quotes", "bad-doi")
    if name == "pmid":
        return document.problem(loc, f"{quoted(value)} is not a PubMed id",
                                "write only the digits of the PMID, in quotes", "bad-pmid")
    if name == "language":
        return document.problem(loc, f"{quoted(value)} is not a language code",
                                "use a code like 'en' or 'en-GB'", "bad-language")
    if pattern == PICTURE_PATTERN:
        return document.problem(loc, f"{quoted(value)} is not a picture this site can show",
                                "name a PNG, JPEG or WebP file in the images folder, in "
                                "lower-case letters, digits and hyphens, like "
                                "'images/back-pain.png'", "bad-image")
    if name == "source_reviewed":
        return document.problem(loc, f"{quoted(value)} is not a date written as year-month-day",
                                "write it like \"2025-07-13\", in quotes, or write 'not given' "
                                "if the source shows no review date", "bad-date")
    return document.problem(loc, f"{quoted(value)} is not a date written as year-month-day",
                            "write it like \"2025-07-13\", in quotes", "bad-date")


def _check_dates(document: Document, obj: BaseModel) -> list[Problem]:
    """A date that matches the pattern can still not exist (2025-02-30)."""
    review = getattr(obj, "review", None)
    if review is None:
        return []
    problems = []
    for name in ("source_reviewed", "last_checked", "next_check_due"):
        value = getattr(review, name)
        if value == NOT_GIVEN:
            continue
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            problems.append(document.problem(
                ("review", name), f"{quoted(value)} is not a real date",
                "check the month and day", "bad-date"))
    return problems


def _check_glossary(document: Document, glossary: Glossary) -> list[Problem]:
    """Each word is explained once: one entry per word, whichever way it is written."""
    problems = []
    first: dict[str, tuple] = {}
    for index, term in enumerate(glossary.terms):
        paths = [("terms", index, "term")] + [("terms", index, "also", n)
                                              for n in range(len(term.also))]
        for path, form in zip(paths, term.forms, strict=True):
            key = form.casefold()
            if key in first:
                line = document.where(first[key])[0]
                problems.append(document.problem(
                    path, f"'{form}' is already in the glossary (line {line})",
                    "keep one entry for each word; put other spellings under 'also'",
                    "duplicate-term"))
            else:
                first[key] = path
    return problems


def _check_site(document: Document, site: Site) -> list[Problem]:
    """The care scale is well formed: unique levels, and the levels the site names exist.

    "Not sure" may never lead to the last level, which is the one that sends readers away
    without care.
    """
    problems = []
    ids = [level.id for level in site.care_levels]
    for index, level_id in enumerate(ids):
        if level_id in ids[:index]:
            problems.append(document.problem(
                ("care_levels", index, "id"), f"the care level '{level_id}' is listed twice",
                "give each level its own id", "duplicate-id"))
    named = [(("not_sure_level",), site.not_sure_level)] + [
        (("emergency_line_levels", index), level_id)
        for index, level_id in enumerate(site.emergency_line_levels)]
    for path, level_id in named:
        if level_id not in ids:
            problems.append(unknown_level(document, path, level_id, ids))
    if site.not_sure_level == ids[-1]:
        problems.append(document.problem(
            ("not_sure_level",), f"'not_sure_level' cannot be '{ids[-1]}', the last care "
            "level: a reader who is not sure of an answer must be told to get checked",
            f"name a level above it, such as '{ids[-2]}'", "not-sure-level-too-low"))
    return problems


def unknown_level(document: Document, path: tuple, level_id: str, ids: list[str]) -> Problem:
    close = difflib.get_close_matches(level_id, ids, n=1)
    return document.problem(
        path, f"'{level_id}' is not one of the site's care levels",
        f"did you mean '{close[0]}'?" if close else
        "use one of the ids under 'care_levels' in site.yaml: " + ", ".join(ids),
        "unknown-level")


DUE_SOON_DAYS = 60


def check_review(document: Document, topic: Topic, today: datetime.date, *,
                 strict: bool = True) -> list[Problem]:
    """Honest dates: nothing checked in the future, and a check that is due gets done.

    A check due within DUE_SOON_DAYS warns; a passed due date is an error in strict builds
    (a warning in a non-strict preview), because the page would then claim a check that is
    out of date.
    """
    review = topic.review
    dates = {name: datetime.date.fromisoformat(getattr(review, name))
             for name in ("source_reviewed", "last_checked", "next_check_due")
             if getattr(review, name) != NOT_GIVEN}
    problems = []
    for name in ("source_reviewed", "last_checked"):
        if name in dates and dates[name] > today:
            problems.append(document.problem(
                ("review", name), f"'{getattr(review, name)}' is in the future",
                "write the date the check really happened", "date-in-future"))
    if dates["next_check_due"] <= dates["last_checked"]:
        problems.append(document.problem(
            ("review", "next_check_due"), "the next check is due before the last check",
            "set 'next_check_due' after 'last_checked'", "bad-date"))
    due = dates["next_check_due"]
    if due < today:
        problems.append(document.problem(
            ("review", "next_check_due"), f"the check of this topic was due on {due.isoformat()}",
            "check the page against its sources (and whether they changed), then update "
            "'last_checked' and 'next_check_due'", "check-overdue",
            severity="error" if strict else "warning"))
    elif (due - today).days <= DUE_SOON_DAYS:
        problems.append(document.problem(
            ("review", "next_check_due"),
            f"the check of this topic is due in {(due - today).days} day(s), on "
            f"{due.isoformat()}", "plan the check: compare the page with its sources, then "
            "update 'last_checked' and 'next_check_due'", "check-due-soon",
            severity="warning"))
    return problems


def _check_topic(document: Document, topic: Topic) -> list[Problem]:
    """Ids are unique and every cited reference is listed (and every listed one cited)."""
    problems: list[Problem] = []

    def unique(items, path, what):
        seen: dict[str, int] = {}
        for index, item in enumerate(items):
            if item.id in seen:
                first = document.where(path + (seen[item.id], "id"))[0]
                problems.append(document.problem(
                    path + (index, "id"), f"the {what} id '{item.id}' is used twice "
                    f"(first on line {first})", "give each one its own id", "duplicate-id"))
            else:
                seen[item.id] = index

    unique(topic.references, ("references",), "reference")
    unique(topic.sections, ("sections",), "section")
    unique(topic.self_checks, ("self_checks",), "self-check")
    for index, check in enumerate(topic.self_checks):
        if check.id == "index":  # its page would be the topic's own page, topics/<id>/index.md
            problems.append(document.problem(
                ("self_checks", index, "id"), "a self-check cannot have the id 'index'",
                "choose an id that says what the check is about", "bad-id"))
    first_use: dict[str, tuple] = {}
    for path, question in _question_paths(topic):
        if question.id in first_use:
            line = document.where(first_use[question.id])[0]
            problems.append(document.problem(
                path, f"the question id '{question.id}' is used twice (first on line {line})",
                "give each warning sign and risk its own id", "duplicate-id"))
        else:
            first_use[question.id] = path
    for index, check in enumerate(topic.self_checks):
        unique(check.outcomes, ("self_checks", index, "outcomes"), "outcome")

    problems += _check_blocks(document, topic)
    listed = {reference.id for reference in topic.references}
    cited: set[str] = set()
    for path, item, required in _citations(topic):
        ids = item.references
        if getattr(item, "site_advice", "no") == "yes" and ids:
            problems.append(document.problem(
                path + ("site_advice",), "the site's own advice cannot cite a reference",
                "remove 'references' if this is the site's advice on where and when to get "
                "care; if a source says it, remove 'site_advice' instead", "cited-site-advice"))
        elif required and not ids and getattr(item, "site_advice", "no") != "yes":
            problems.append(document.problem(
                path, "this text does not say where it comes from",
                "add 'references: [id]' naming the source that says it; if it is the site's "
                "own advice on where and when to get care, write 'site_advice: yes'",
                "uncited-text"))
        for position, ref in enumerate(ids):
            cited.add(ref)
            if ref not in listed:
                close = difflib.get_close_matches(ref, sorted(listed), n=1)
                hint = (f"did you mean '{close[0]}'?" if close
                        else "add it under 'references', or cite one that is listed")
                problems.append(document.problem(
                    path + ("references", position),
                    f"the reference '{ref}' is not in this topic's references", hint,
                    "unknown-reference"))
    for index, reference in enumerate(topic.references):
        if reference.id not in cited:
            problems.append(document.problem(
                ("references", index, "id"), f"the reference '{reference.id}' is never cited",
                "cite it from a statement, or remove it", "uncited-reference"))
    return problems


LONGEST_LIST = 7  # plain-language guides (and the CDC index) ask for lists of at most 7


def _check_blocks(document: Document, topic: Topic) -> list[Problem]:
    """Each section has one body, each named part is placed once, tables are square, and
    sign groups exist and stay short."""
    problems: list[Problem] = []
    placed: dict[str, int] = {}
    for index, section in enumerate(topic.sections):
        path = ("sections", index)
        given = [name for name in BODIES if getattr(section, name)]
        if len(given) > 1:
            problems.append(document.problem(
                path + (given[1],), f"this section has both '{given[0]}' and '{given[1]}'",
                "give each section one of: " + ", ".join(BODIES) + "; make another section "
                "for the rest", "two-bodies"))
        elif not given and section.intro is None:
            problems.append(document.problem(
                path + ("heading",), "this section has nothing under its heading",
                "add one of: " + ", ".join(BODIES), "empty-section", key=True))
        if section.shows:
            if section.shows in placed:
                line = document.where(("sections", placed[section.shows], "shows"))[0]
                problems.append(document.problem(
                    path + ("shows",), f"'{section.shows}' is already shown on line {line}",
                    "show each part of the topic once", "shown-twice"))
            placed.setdefault(section.shows, index)
            field = PART_FIELDS[section.shows]
            if not getattr(topic, field):
                problems.append(document.problem(
                    path + ("shows",), f"this topic has no '{field}' to show",
                    f"add '{field}' to the topic, or remove this section", "nothing-to-show"))
        if section.table:
            width = len(section.table.header)
            for row_index, row in enumerate(section.table.rows):
                if len(row.cells) != width:
                    problems.append(document.problem(
                        path + ("table", "rows", row_index, "cells"),
                        f"this row has {len(row.cells)} cells but the header has {width}",
                        "give every row one cell for each header; write '-' in an empty one",
                        "uneven-table"))
        if section.steps and len(section.steps) > LONGEST_LIST:
            problems.append(_long_list(document, path + ("steps",), len(section.steps)))
    if topic.warning_signs:
        signs = topic.warning_signs
        group_ids = [group.id for group in signs.groups]
        for index, group in enumerate(signs.groups):
            if group.id in group_ids[:index]:
                problems.append(document.problem(
                    ("warning_signs", "groups", index, "id"),
                    f"the group id '{group.id}' is used twice", "give each group its own id",
                    "duplicate-id"))
        sizes: dict[tuple[str, str | None], list[int]] = {}
        for index, sign in enumerate(signs.signs):
            if sign.group is not None and sign.group not in group_ids:
                close = difflib.get_close_matches(sign.group, group_ids, n=1)
                problems.append(document.problem(
                    ("warning_signs", "signs", index, "group"),
                    f"'{sign.group}' is not one of the groups under 'groups'",
                    f"did you mean '{close[0]}'?" if close else
                    "add it under 'warning_signs: groups:' with its lead-in, or remove it",
                    "unknown-group"))
            sizes.setdefault((sign.level, sign.group), []).append(index)
        for members in sizes.values():
            if len(members) > LONGEST_LIST:
                problems.append(_long_list(
                    document, ("warning_signs", "signs", members[LONGEST_LIST]), len(members)))
    loose = [index for index, entry in enumerate(topic.alternative_names)
             if not isinstance(entry, NameGroup)]
    if len(loose) > LONGEST_LIST:
        problems.append(_long_list(
            document, ("alternative_names", loose[LONGEST_LIST]), len(loose)))
    for index, entry in enumerate(topic.alternative_names):
        if isinstance(entry, NameGroup) and len(entry.names) > LONGEST_LIST:
            problems.append(_long_list(
                document, ("alternative_names", index, "names", LONGEST_LIST), len(entry.names)))
    return problems


def _long_list(document: Document, path: tuple, count: int) -> Problem:
    how = {"steps": "split it into groups of at most 7 under their own lead-ins",
           "warning_signs": "split it into groups of at most 7 under their own lead-ins "
                            "(under 'groups', then each sign's 'group')",
           "alternative_names": "put the names in groups of at most 7, each written as a "
                                "'lead_in' and its 'names'"}
    return document.problem(
        path, f"this list has {count} entries; lists of more than {LONGEST_LIST} are hard to "
        "take in", how["steps" if "steps" in path else path[0]], "long-list", severity="warning")


def _question_paths(topic: Topic):
    for index, sign in enumerate(topic.items("warning_signs")):
        yield ("warning_signs", "signs", index, "id"), sign
    for index, item in enumerate(topic.items("risks")):
        yield ("risks", "items", index, "id"), item


def _citations(topic: Topic):
    """Every citing thing in a topic with its path, and whether it must say where it comes
    from (an item need not when the block it is in cites for it), so nothing escapes."""
    yield ("key_message",), topic.key_message, True
    for index, action in enumerate(topic.what_to_do_now):
        yield ("what_to_do_now", index), action, True
    if topic.warning_signs:
        block = topic.warning_signs
        yield ("warning_signs",), block, False
        for index, sign in enumerate(block.signs):
            yield ("warning_signs", "signs", index), sign, not block.references
    for s, section in enumerate(topic.sections):
        path = ("sections", s)
        if section.intro:
            yield path + ("intro",), section.intro, True
        for name in ("paragraphs", "steps"):
            for p, statement in enumerate(getattr(section, name)):
                yield path + (name, p), statement, True
        for p, point in enumerate(section.points):
            yield path + ("points", p), point, True
            covered = bool(point.references) or point.site_advice == "yes"
            for q, sub in enumerate(point.points):
                yield path + ("points", p, "points", q), sub, not covered
        if section.table:
            yield path + ("table",), section.table, False
            for r, row in enumerate(section.table.rows):
                yield path + ("table", "rows", r), row, not section.table.references
        if section.image and section.image.caption:
            yield path + ("image", "caption"), section.image.caption, True
    if topic.risks:
        block = topic.risks
        yield ("risks",), block, False
        for index, item in enumerate(block.items):
            yield ("risks", "items", index), item, not block.references
        for a, advice in enumerate(block.advice):
            yield ("risks", "advice", a), advice, True
    for c, check in enumerate(topic.self_checks):
        if check.key_message:
            yield ("self_checks", c, "key_message"), check.key_message, True
        if check.image and check.image.caption:
            yield ("self_checks", c, "image", "caption"), check.image.caption, True
        for o, outcome in enumerate(check.outcomes):
            for a, advice in enumerate(outcome.advice):
                yield ("self_checks", c, "outcomes", o, "advice", a), advice, True


def _group_at(cls: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model of the group of fields at `loc` (list positions skipped), if there is one."""
    current: object = cls
    for part in loc:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part) if isinstance(current, type) else None
        if field is None:
            return None
        current = _model_in(field.annotation)
    return current if isinstance(current, type) else None


def _allowed_fields(cls: type[BaseModel], loc: tuple) -> list[str]:
    """The field names allowed at `loc`, for "did you mean" hints."""
    group = _group_at(cls, loc)
    return sorted(group.model_fields) if group else []


def _required_fields(cls: type[BaseModel], loc: tuple) -> list[str]:
    """The fields a group at `loc` must have (for an option: id, text), for hints."""
    group = _group_at(cls, loc)
    return [f"'{name}:'" for name, info in group.model_fields.items()
            if info.is_required()] if group else []


def _model_in(annotation) -> object:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _field_name(loc: tuple) -> str:
    names = [str(part) for part in loc if isinstance(part, str)]
    return f"'{names[-1]}'" if names else "this file"


def _describe(value: object) -> str:
    if isinstance(value, dict):
        return "a group of fields"
    if isinstance(value, list):
        return "a list"
    return f"{quoted(value)}"


def _shape_hint(kind: str) -> str:
    if kind == "string_type":
        return "write the text on the same line after the colon, or under it after '>-'"
    if kind == "list_type":
        return "put each entry on its own line starting with '- '"
    return "indent the fields that belong here under it"
