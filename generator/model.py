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
    Field,
    StringConstraints,
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
    """A clinical sentence and the references it comes from."""

    text: Text
    references: list[Id] = Field(min_length=1)


class Question(_Strict):
    """A risk to know about, and the yes/no question a self-check asks about it (none when
    no check asks it on its own)."""

    id: Id
    text: Text
    question: ShortText | None = None


class Sign(_Strict):
    """A warning sign: what to look out for, the lowest care level a reader who has it may be
    given (a site level id), and the yes/no question a self-check asks about it."""

    id: Id
    text: Text
    level: Id
    question: ShortText | None = None


class WarningSigns(_Strict):
    intro: Text
    references: list[Id] = Field(min_length=1)
    signs: list[Sign] = Field(min_length=1)


class Risks(_Strict):
    intro: Text
    references: list[Id] = Field(min_length=1)
    items: list[Question] = Field(min_length=1)
    advice: list[Statement] = []


class ArticleSection(_Strict):
    id: Id
    heading: ShortText
    points: list[Statement] = Field(min_length=1)


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
    id: Id
    title: ShortText
    intro: Text
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
    key_message: Statement
    what_to_do_now: list[Statement] = Field(min_length=1)
    warning_signs: WarningSigns | None = None
    sections: list[ArticleSection] = []
    risks: Risks | None = None
    self_checks: list[SelfCheck] = []
    condition: ShortText | None = None
    alternative_names: list[ShortText] = []
    # Hard words this topic may use without a glossary entry: words its own text explains,
    # or that are plain to this topic's readers.
    allowed_words: list[ShortText] = []
    references: list[Reference] = Field(min_length=1)
    review: Review

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
    loc = tuple(item["loc"])
    kind = item["type"]
    # Pydantic names union branches in the path ("str", "dict[any,any]"); editors never see them.
    loc = tuple(part for part in loc if not (isinstance(part, str) and (
        "[" in part or part in {"str", "dict", "function-after"})))
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

    listed = {reference.id for reference in topic.references}
    cited: set[str] = set()
    for path, ids in _citations(topic):
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


def _question_paths(topic: Topic):
    for index, sign in enumerate(topic.items("warning_signs")):
        yield ("warning_signs", "signs", index, "id"), sign
    for index, item in enumerate(topic.items("risks")):
        yield ("risks", "items", index, "id"), item


def _citations(topic: Topic):
    """Every (path, reference ids) pair in a topic, so no statement escapes the check."""
    yield ("key_message",), topic.key_message.references
    for index, action in enumerate(topic.what_to_do_now):
        yield ("what_to_do_now", index), action.references
    if topic.warning_signs:
        yield ("warning_signs",), topic.warning_signs.references
    for s, section in enumerate(topic.sections):
        for p, point in enumerate(section.points):
            yield ("sections", s, "points", p), point.references
    if topic.risks:
        yield ("risks",), topic.risks.references
        for a, advice in enumerate(topic.risks.advice):
            yield ("risks", "advice", a), advice.references
    for c, check in enumerate(topic.self_checks):
        for o, outcome in enumerate(check.outcomes):
            for a, advice in enumerate(outcome.advice):
                yield ("self_checks", c, "outcomes", o, "advice", a), advice.references


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
