"""The self-check rule language: parse it, evaluate it, and prove each rule set is safe.

A self-check asks typed questions and ends in outcomes. A question is yes/no (with or without
"not sure"), one choice from a list, several choices (where choosing none is an answer too),
or a number read into bands; a follow-up question is asked only when its `asked_if` holds.
Every question has a finite set of answers, so every way of answering can be tried.

Each outcome has a condition (`when`). In a check that shows the first that applies, the
first outcome whose condition holds is the result; in one whose advice adds up, every outcome
that holds is shown, most urgent first, and `otherwise` means "when no other applies".
Conditions are built from

    any / all / none:  a list of conditions, or {answer: A, questions: [ids]}
                       (questions left out means every question that has the answer A)
    not:               one condition

and are parsed into frozen condition objects: `Always`, `Is`, `Not`, `AnyOf`, `AllOf`,
`NoneOf`. Answers may be missing, because a reader answers one question at a time, so every
condition is true, false or not yet known (Kleene's three-valued logic). `Is` about a
follow-up is false when the follow-up is not asked. Each condition knows:

- `value`: the one Python evaluator, for one reader's answers;
- `truth`: the same, for every answer vector at once, as two bit sets (true, false) over an
  `AnswerSpace`, which is how the build proves its promises over every complete answer set;
- `to_json`: the canonical JSON that the browser's `self-check.js` evaluates the same way.

A result is shown as soon as the answers given fix it (no way of answering the rest could
change it), except that a result below the site's "not sure" level waits until every asked
question is answered: unanswered questions never lead to reassurance. The tests hold `truth`
to `value` and `self-check.js` to both, on every partial and complete answer vector.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
from collections.abc import Mapping
from typing import ClassVar

from generator.errors import Problem
from generator.load import Document
from generator.model import AskedQuestion, SelfCheck, Site, Topic, unknown_level

ANSWERS = ("yes", "no", "not-sure")
YES_NO = ("yes", "no")
MAX_QUESTIONS = 12  # asked of everyone: follow-ups come on top, only when called for
MAX_ALL_QUESTIONS = 24
MAX_OPTIONS = 10
MAX_COMBINATIONS = 1 << 20
SHOWS = {"first-that-applies": "first", "every-that-applies": "every"}

Given = Mapping[str, "str | frozenset[str]"]


def _and(left: bool | None, right: bool | None) -> bool | None:
    if left is False or right is False:
        return False
    return None if left is None or right is None else True


@dataclasses.dataclass(frozen=True)
class Ask:
    """A question as both evaluators see it: its id, type, answers and when it is asked.

    `values` are the answer ids: yes/no answers, option ids, or band ids. A several-choices
    answer is the set of options chosen (empty for "none of these"). `bands` pair each band
    id with the number it stays below (None for the last band).
    """

    id: str
    type: str
    values: tuple[str, ...]
    asked_if: Condition | None = None
    bands: tuple[tuple[str, float | None], ...] = ()
    lowest: float | None = None
    highest: float | None = None

    @property
    def size(self) -> int:
        """How many different complete answers there are."""
        return 1 << len(self.values) if self.type == "several-choices" else len(self.values)

    def answer(self, index: int) -> str | frozenset[str]:
        """Answer number `index` (for several choices, bit k means option k is chosen)."""
        if self.type == "several-choices":
            return frozenset(v for k, v in enumerate(self.values) if index >> k & 1)
        return self.values[index]

    def band_of(self, number: float) -> str | None:
        """The band a number falls in, or None if it is outside what the question accepts."""
        if not math.isfinite(number) or (self.lowest is not None and number < self.lowest) or (
                self.highest is not None and number > self.highest):
            return None
        return next(band for band, below in self.bands if below is None or number < below)

    def to_json(self) -> dict:
        data: dict = {"id": self.id, "type": self.type, "values": list(self.values)}
        if self.asked_if is not None:
            data["askedIf"] = self.asked_if.to_json()
        if self.type == "number":
            data["bands"] = [{"id": band, "below": below} for band, below in self.bands]
            data["lowest"], data["highest"] = self.lowest, self.highest
        return data

    @classmethod
    def from_json(cls, data: Mapping) -> Ask:
        return cls(data["id"], data["type"], tuple(data["values"]),
                   from_json(data["askedIf"]) if "askedIf" in data else None,
                   tuple((band["id"], band["below"]) for band in data.get("bands", ())),
                   data.get("lowest"), data.get("highest"))


class Answers:
    """One reader's answers so far, for `value`: which are given, and which questions are
    asked (a follow-up is asked only when its condition holds)."""

    def __init__(self, asks: Mapping[str, Ask], given: Given):
        self.asks, self.given = asks, given
        self._asked: dict[str, bool | None] = {}

    def raw(self, question: str, answer: str) -> bool | None:
        if question not in self.given:
            return None
        got = self.given[question]
        return answer in got if isinstance(got, frozenset) else got == answer

    def asked(self, question: str) -> bool | None:
        if question not in self._asked:
            condition = self.asks[question].asked_if
            self._asked[question] = True if condition is None else condition.value(self)
        return self._asked[question]

    def complete(self) -> bool:
        """Whether every question that is asked has an answer (and no follow-up waits)."""
        return all(self.asked(q) is False or (self.asked(q) and q in self.given)
                   for q in self.asks)


class AnswerSpace:
    """Every answer vector of some questions, numbered so that a set of vectors is an int.

    Vector number k is bit k; the first question varies slowest. In a partial space each
    question has one more answer, "not answered yet". Bit patterns are built by doubling, so
    a space of a million vectors costs a few milliseconds per pattern.
    """

    def __init__(self, asks: tuple[Ask, ...], *, partial: bool = False):
        self.asks = asks
        self.by_id = {ask.id: ask for ask in asks}
        self.partial = partial
        self.sizes = tuple(ask.size + partial for ask in asks)
        self.total = math.prod(self.sizes)
        self.every = (1 << self.total) - 1
        self.strides = tuple(math.prod(self.sizes[i + 1:]) for i in range(len(asks)))
        self._position = {ask.id: i for i, ask in enumerate(asks)}
        self._digits: dict[tuple[int, int], int] = {}
        self._asked: dict[str, tuple[int, int]] = {}

    def digit(self, question: str, index: int) -> int:
        """The vectors in which `question` gets answer number `index` (its last number, in a
        partial space, is "not answered yet")."""
        position = self._position[question]
        if (position, index) not in self._digits:
            run, size = self.strides[position], self.sizes[position]
            bits, length = ((1 << run) - 1) << (run * index), run * size
            while length < self.total:
                bits |= bits << length
                length *= 2
            self._digits[position, index] = bits & self.every
        return self._digits[position, index]

    def raw(self, question: str, answer: str) -> tuple[int, int]:
        """(answered with `answer`, not answered yet), ignoring whether it is asked."""
        ask = self.by_id[question]
        got = 0
        if ask.type == "several-choices":
            bit = 1 << ask.values.index(answer)
            for index in range(ask.size):
                if index & bit:
                    got |= self.digit(question, index)
        else:
            got = self.digit(question, ask.values.index(answer))
        return got, self.digit(question, ask.size) if self.partial else 0

    def asked(self, question: str) -> tuple[int, int]:
        """(asked, not asked): the true and false sets of the question's `asked_if`."""
        if question not in self._asked:
            condition = self.by_id[question].asked_if
            self._asked[question] = (self.every, 0) if condition is None else \
                condition.truth(self)
        return self._asked[question]

    def complete(self) -> int:
        """The vectors in which every asked question has an answer."""
        result = self.every
        for ask in self.asks:
            asked, skipped = self.asked(ask.id)
            unanswered = self.digit(ask.id, ask.size) if self.partial else 0
            result &= skipped | (asked & ~unanswered)
        return result

    def answers(self, number: int) -> dict[str, str | frozenset[str] | None]:
        """Vector number `number`, as each question's answer (None: not answered yet)."""
        given = {}
        for ask, stride, size in zip(self.asks, self.strides, self.sizes, strict=True):
            index = number // stride % size
            given[ask.id] = None if index == ask.size else ask.answer(index)
        return given


@dataclasses.dataclass(frozen=True, slots=True)
class Always:
    """True for every answer: the condition of `when: otherwise`."""

    op: ClassVar[str] = "always"

    def value(self, answers: Answers) -> bool | None:
        return True

    def truth(self, space: AnswerSpace) -> tuple[int, int]:
        return space.every, 0

    def to_json(self) -> dict:
        return {"op": self.op}


@dataclasses.dataclass(frozen=True, slots=True)
class Is:
    """True when `question` is asked and gets `answer` (or, for several choices, when the
    option `answer` is among those chosen)."""

    question: str
    answer: str
    op: ClassVar[str] = "is"

    def value(self, answers: Answers) -> bool | None:
        return _and(answers.asked(self.question), answers.raw(self.question, self.answer))

    def truth(self, space: AnswerSpace) -> tuple[int, int]:
        got, unknown = space.raw(self.question, self.answer)
        asked, skipped = space.asked(self.question)
        return asked & got, skipped | (space.every & ~got & ~unknown)

    def to_json(self) -> dict:
        return {"op": self.op, "question": self.question, "answer": self.answer}


@dataclasses.dataclass(frozen=True, slots=True)
class Not:
    """True when `of` is false (and unknown while it is)."""

    of: Condition
    op: ClassVar[str] = "not"

    def value(self, answers: Answers) -> bool | None:
        value = self.of.value(answers)
        return None if value is None else not value

    def truth(self, space: AnswerSpace) -> tuple[int, int]:
        true, false = self.of.truth(space)
        return false, true

    def to_json(self) -> dict:
        return {"op": self.op, "of": self.of.to_json()}


def _any(parts: tuple[Condition, ...], answers: Answers) -> bool | None:
    values = [part.value(answers) for part in parts]
    return True if True in values else (None if None in values else False)


def _any_truth(parts: tuple[Condition, ...], space: AnswerSpace) -> tuple[int, int]:
    true, false = 0, space.every
    for part in parts:
        part_true, part_false = part.truth(space)
        true, false = true | part_true, false & part_false
    return true, false


@dataclasses.dataclass(frozen=True, slots=True)
class AnyOf:
    """True when at least one of `parts` is."""

    parts: tuple[Condition, ...]
    op: ClassVar[str] = "any"

    def value(self, answers: Answers) -> bool | None:
        return _any(self.parts, answers)

    def truth(self, space: AnswerSpace) -> tuple[int, int]:
        return _any_truth(self.parts, space)

    def to_json(self) -> dict:
        return {"op": self.op, "of": [part.to_json() for part in self.parts]}


@dataclasses.dataclass(frozen=True, slots=True)
class AllOf:
    """True when every one of `parts` is (so an empty one is)."""

    parts: tuple[Condition, ...]
    op: ClassVar[str] = "all"

    def value(self, answers: Answers) -> bool | None:
        values = [part.value(answers) for part in self.parts]
        return False if False in values else (None if None in values else True)

    def truth(self, space: AnswerSpace) -> tuple[int, int]:
        true, false = space.every, 0
        for part in self.parts:
            part_true, part_false = part.truth(space)
            true, false = true & part_true, false | part_false
        return true, false

    def to_json(self) -> dict:
        return {"op": self.op, "of": [part.to_json() for part in self.parts]}


@dataclasses.dataclass(frozen=True, slots=True)
class NoneOf:
    """True when no one of `parts` is."""

    parts: tuple[Condition, ...]
    op: ClassVar[str] = "none"

    def value(self, answers: Answers) -> bool | None:
        value = _any(self.parts, answers)
        return None if value is None else not value

    def truth(self, space: AnswerSpace) -> tuple[int, int]:
        true, false = _any_truth(self.parts, space)
        return false, true

    def to_json(self) -> dict:
        return {"op": self.op, "of": [part.to_json() for part in self.parts]}


Condition = Always | Is | Not | AnyOf | AllOf | NoneOf
_GROUPS: dict[str, type[AnyOf | AllOf | NoneOf]] = {
    group.op: group for group in (AnyOf, AllOf, NoneOf)}


@dataclasses.dataclass(frozen=True)
class Rule:
    """One outcome as the evaluators see it: its id, its level's rank (0 is the most urgent)
    and its condition."""

    id: str
    rank: int
    when: Condition

    def to_json(self) -> dict:
        return {"id": self.id, "rank": self.rank, "when": self.when.to_json()}


@dataclasses.dataclass(frozen=True)
class RuleSet:
    """A checked self-check, ready for both evaluators.

    `shows` is "first" or "every"; results ranked below `floor` (the rank of the site's
    "not sure" level) wait until every asked question is answered.
    """

    id: str
    shows: str
    floor: int
    questions: tuple[Ask, ...]
    outcomes: tuple[Rule, ...]

    @classmethod
    def from_json(cls, data: Mapping) -> RuleSet:
        """The rule set a built page carries; ValueError if its JSON is not canonical."""
        return cls(data["id"], data["shows"], data["floor"],
                   tuple(Ask.from_json(ask) for ask in data["questions"]),
                   tuple(Rule(rule["id"], rule["rank"], from_json(rule["when"]))
                         for rule in data["outcomes"]))

    def to_json(self) -> dict:
        """The canonical JSON the self-check page embeds: ids and conditions, no words."""
        return {"id": self.id, "shows": self.shows, "floor": self.floor,
                "questions": [ask.to_json() for ask in self.questions],
                "outcomes": [rule.to_json() for rule in self.outcomes]}

    @property
    def question_ids(self) -> tuple[str, ...]:
        return tuple(ask.id for ask in self.questions)

    def answers(self, given: Given) -> Answers:
        return Answers({ask.id: ask for ask in self.questions}, given)

    def result(self, given: Given) -> tuple[str, ...] | None:
        """The outcome ids to show for these answers so far (most urgent first), or None
        while the answers do not fix the result yet."""
        answers = self.answers(given)
        if self.shows == "first":
            for rule in self.outcomes:
                value = rule.when.value(answers)
                if value is None:
                    return None
                if value:
                    shown = (rule,)
                    break
            else:
                return None  # only for a rule set the build would not accept
        else:
            values = [rule.when.value(answers) for rule in self.outcomes]
            if None in values:
                return None
            shown = tuple(sorted((rule for rule, value in zip(self.outcomes, values,
                                                              strict=True) if value),
                                 key=lambda rule: rule.rank))
            if not shown:
                return None
        if shown[0].rank > self.floor and not answers.complete():
            return None
        return tuple(rule.id for rule in shown)

    def shown(self, space: AnswerSpace) -> dict[str, int]:
        """For each outcome, the vectors of `space` in which it is shown: `result` for every
        answer vector at once."""
        truths = [rule.when.truth(space) for rule in self.outcomes]
        complete = space.complete()
        shown = {}
        if self.shows == "first":
            before = space.every
            for rule, (true, false) in zip(self.outcomes, truths, strict=True):
                shown[rule.id] = before & true & (space.every if rule.rank <= self.floor
                                                  else complete)
                before &= false
            return shown
        fixed, urgent = space.every, 0
        for rule, (true, false) in zip(self.outcomes, truths, strict=True):
            fixed &= true | false
            if rule.rank <= self.floor:
                urgent |= true
        ready = fixed & (urgent | complete)
        return {rule.id: true & ready for rule, (true, _) in zip(self.outcomes, truths,
                                                                  strict=True)}


def from_json(data: object) -> Condition:
    """The condition that canonical JSON stands for; ValueError if it is not canonical."""
    if not isinstance(data, Mapping):
        raise ValueError(f"a condition must be an object, not {data!r}")
    op = data.get("op")
    if op not in ("always", "is", "not", *_GROUPS):
        raise ValueError(f"unknown operator {op!r} in {data!r}: use one of always, is, not, "
                         + ", ".join(_GROUPS))
    fields = {"always": {"op"}, "is": {"op", "question", "answer"}}.get(op, {"op", "of"})
    if set(data) != fields:
        raise ValueError(f"a condition with op {op!r} has exactly the keys "
                         f"{', '.join(sorted(fields))}, not {data!r}")
    if op == "always":
        return Always()
    if op == "is":
        if not isinstance(data["question"], str) or not isinstance(data["answer"], str):
            raise ValueError(f"'is' needs a question id and an answer id, not {data!r}")
        return Is(data["question"], data["answer"])
    if op == "not":
        return Not(from_json(data["of"]))
    if not isinstance(data["of"], list):
        raise ValueError(f"'{op}' needs a list of conditions, not {data!r}")
    return _GROUPS[op](tuple(from_json(part) for part in data["of"]))


# ---------------------------------------------------------------------------------------
# Reading a topic's self-checks, with located problems


@dataclasses.dataclass(frozen=True)
class Wording:
    """The words a page uses to put a self-check into sentences: each question's text, each
    answer's label, and which warning sign each question or option stands for."""

    questions: Mapping[str, str]
    labels: Mapping[tuple[str, str], str]
    signs: Mapping[tuple[str, str | None], str]
    conditions: Mapping[str, Condition]  # each outcome's `when` as written
    units: Mapping[str, str]


@dataclasses.dataclass(frozen=True)
class CheckedTopic:
    rule_sets: Mapping[str, RuleSet]
    wordings: Mapping[str, Wording]


def check_topic(document: Document, topic: Topic, site: Site | None,
                answer_words: Mapping[str, str]) -> tuple[CheckedTopic, list[Problem]]:
    """Read and prove every self-check of a topic. Without valid site settings the care
    levels are unknown, so nothing is proven (the site's own problems are reported)."""
    rule_sets, wordings, problems = {}, {}, []
    if site is None:
        return CheckedTopic({}, {}), problems
    levels = [level.id for level in site.care_levels]
    for index, sign in enumerate(topic.items("warning_signs")):
        if sign.level not in levels:
            problems.append(unknown_level(document, ("warning_signs", "signs", index, "level"),
                                          sign.level, levels))
    asked_signs: set[str] = set()
    for index, check in enumerate(topic.self_checks):
        reader = _Reader(document, ("self_checks", index), topic, site, answer_words)
        rule_set, wording = reader.read(check)
        problems += reader.problems
        asked_signs |= set(reader.signs.values())
        if rule_set is not None and not reader.problems:
            problems += _prove(document, ("self_checks", index), check, rule_set, wording,
                               site, topic)
            rule_sets[check.id] = rule_set
            wordings[check.id] = wording
    if problems:
        return CheckedTopic({}, {}), problems
    for index, sign in enumerate(topic.items("warning_signs")):
        if sign.id not in asked_signs:
            problems.append(document.problem(
                ("warning_signs", "signs", index, "id"),
                f"no self-check asks about the warning sign '{sign.id}'",
                "add it to a self-check's questions ('- sign: " + sign.id + "'), or as an "
                "option with 'sign: " + sign.id + "'", "sign-not-asked"))
    return CheckedTopic(rule_sets, wordings), problems


class _Reader:
    """Turns one self-check as written into a RuleSet, collecting every mistake."""

    def __init__(self, document: Document, path: tuple, topic: Topic, site: Site,
                 answer_words: Mapping[str, str]):
        self.document, self.path, self.topic, self.site = document, path, topic, site
        self.answer_words = answer_words
        self.problems: list[Problem] = []
        self.asks: list[Ask] = []
        self.texts: dict[str, str] = {}
        self.labels: dict[tuple[str, str], str] = {}
        self.signs: dict[tuple[str, str | None], str] = {}
        self.written: dict[str, Condition] = {}
        self.units: dict[str, str] = {}

    def problem(self, path: tuple, message: str, hint: str, code: str, **kw) -> None:
        self.problems.append(self.document.problem(self.path + path, message, hint, code, **kw))

    def read(self, check: SelfCheck) -> tuple[RuleSet | None, Wording]:
        written = self._questions(check)
        # Outcomes name the questions: while a question has a mistake, reading them would
        # only repeat it as "there is no question ...".
        outcomes = self._outcomes(check) if written is not None else ()
        wording = Wording(self.texts, self.labels, self.signs, self.written, self.units)
        if self.problems or written is None:
            return None, wording
        return RuleSet(check.id, SHOWS[check.shows], self.site.rank(self.site.not_sure_level),
                       tuple(self.asks), outcomes), wording

    def _questions(self, check: SelfCheck) -> bool | None:
        if check.asks and check.questions:
            key = "risk" if check.asks == "risks" else "sign"
            self.problem(("questions",), "a self-check has either 'asks' or 'questions', not "
                         "both", f"remove 'asks: {check.asks}', and list each {key} you want "
                         f"asked under 'questions' as '- {key}: id'", "asks-and-questions",
                         key=True)
            return None
        if check.asks:
            items = self.topic.items(check.asks)
            if not items:
                self.problem(("asks",), f"there is nothing in '{check.asks}' to ask about",
                             "add items there, or remove this self-check", "self-check-empty")
                return None
            key = "sign" if check.asks == "warning_signs" else "risk"
            written = [AskedQuestion(**{key: item.id}) for item in items]
            paths = [("asks",)] * len(written)
        elif check.questions:
            written = list(check.questions)
            paths = [("questions", index) for index in range(len(written))]
        else:
            self.problem((), "this self-check asks nothing", "add 'questions:' (or 'asks: "
                         "warning_signs')", "self-check-empty")
            return None
        for path, question in zip(paths, written, strict=True):
            self._question(path, question)
        if self.problems:
            return None
        # Follow-up conditions name earlier questions only, so each is parsed with those.
        for position, (path, question) in enumerate(zip(paths, written, strict=True)):
            if question.asked_if is not None:
                earlier = self.asks[:position]
                condition = self._condition(path + ("asked_if",), question.asked_if, earlier)
                self.asks[position] = dataclasses.replace(self.asks[position],
                                                          asked_if=condition)
        first = sum(1 for ask in self.asks if ask.asked_if is None)
        size = math.prod(ask.size for ask in self.asks)
        for count, limit, what in ((first, MAX_QUESTIONS, "questions asked of everyone"),
                                   (len(self.asks), MAX_ALL_QUESTIONS, "questions")):
            if count > limit:
                self.problem(("questions",) if check.questions else ("asks",),
                             f"this self-check has {count} {what}, more than {limit}",
                             "a worried reader on a phone needs a short check: split it, or "
                             "ask some questions only as follow-ups", "too-many-questions")
                return None
        if size > MAX_COMBINATIONS:
            self.problem(("questions",), f"this self-check can be answered in {size:,} ways, "
                         f"more than {MAX_COMBINATIONS:,}, too many to prove safe",
                         "ask fewer questions, or offer fewer options", "too-many-questions")
            return None
        return not self.problems

    def _question(self, path: tuple, question: AskedQuestion) -> None:
        fields = {name for name in AskedQuestion.model_fields
                  if getattr(question, name) not in (None, [])}
        own = {"id", "type", "question"}
        source = [name for name in ("sign", "risk") if name in fields]
        if len(source) > 1 or (source and fields & own):
            self.problem(path, "a question is either a warning sign ('sign'), a risk ('risk') "
                         "or a question of its own ('id', 'type', 'question')",
                         "keep one of these", "question-shape")
            return
        if source:
            self._item_question(path, question, source[0], fields)
        else:
            self._own_question(path, question, fields)

    def _item_question(self, path, question: AskedQuestion, kind: str, fields: set) -> None:
        section = "warning_signs" if kind == "sign" else "risks"
        item_id = getattr(question, kind)
        items = {item.id: item for item in self.topic.items(section)}
        if item_id not in items:
            what = "warning sign" if kind == "sign" else "risk"
            close = difflib.get_close_matches(item_id, list(items), n=1)
            self.problem(path + (kind,), f"there is no {what} '{item_id}' in this topic",
                         f"did you mean '{close[0]}'?" if close else
                         f"use the id of one of the topic's {section.replace('_', ' ')}",
                         "unknown-question")
            return
        extra = fields - {kind, "not_sure", "asked_if"}
        if extra:
            self.problem(path + (sorted(extra)[0],), f"'{sorted(extra)[0]}' does not belong "
                         f"to a question about a {kind}", "remove it: the question comes from "
                         "the " + section.replace("_", " "), "question-shape", key=True)
            return
        if items[item_id].question is None:
            what = "warning sign" if kind == "sign" else "risk"
            self.problem(path + (kind,), f"the {what} '{item_id}' has no 'question', "
                         "so this self-check cannot ask about it",
                         f"add a yes/no 'question' to the {what} under '{section}'",
                         "sign-has-no-question")
            return
        self._add(path, item_id, "yes-no", items[item_id].question, question.not_sure)
        if kind == "sign":
            self.signs[item_id, None] = item_id

    def _own_question(self, path, question: AskedQuestion, fields: set) -> None:
        for name in ("id", "type", "question"):
            if name not in fields:
                self.problem(path, f"the field '{name}' is missing", f"add '{name}:' here",
                             "missing-field", key=True)
        if self.problems:
            return
        allowed = {"yes-no": {"not_sure"}, "one-choice": {"options"},
                   "several-choices": {"options"},
                   "number": {"bands", "unit", "lowest", "highest"}}[question.type]
        extra = fields - allowed - {"id", "type", "question", "asked_if"}
        if extra:
            name = sorted(extra)[0]
            self.problem(path + (name,), f"'{name}' does not belong to a {question.type} "
                         "question", "remove it, or change the 'type'", "question-shape",
                         key=True)
            return
        if question.type == "yes-no":
            self._add(path, question.id, "yes-no", question.question, question.not_sure)
        elif question.type == "number":
            self._number(path, question)
        else:
            self._choices(path, question)

    def _add(self, path, question_id: str, kind: str, text: str, not_sure: str | None,
             values: tuple[str, ...] = (), **number) -> None:
        if question_id in self.texts:
            self.problem(path, f"the question '{question_id}' is asked twice in this "
                         "self-check", "ask each question once", "duplicate-id")
            return
        if kind == "yes-no":
            values = YES_NO if not_sure == "no" else ANSWERS
            for value in values:
                self.labels[question_id, value] = self.answer_words[value]
        self.texts[question_id] = text
        self.asks.append(Ask(question_id, kind, values, **number))

    def _choices(self, path, question: AskedQuestion) -> None:
        options = question.options
        least = 2 if question.type == "one-choice" else 1
        if not least <= len(options) <= MAX_OPTIONS:
            self.problem(path + ("options",) if options else path,
                         f"a {question.type} question needs {least} to {MAX_OPTIONS} options, "
                         f"not {len(options)}",
                         "list the answers under 'options', each with an id and a text",
                         "bad-options", key=True)
            return
        signs = {sign.id for sign in self.topic.items("warning_signs")}
        ids = [option.id for option in options]
        for index, option in enumerate(options):
            if option.id in ids[:index]:
                self.problem(path + ("options", index, "id"), f"the option '{option.id}' is "
                             "listed twice", "give each option its own id", "duplicate-id")
            if option.sign is not None and option.sign not in signs:
                self.problem(path + ("options", index, "sign"), f"there is no warning sign "
                             f"'{option.sign}' in this topic", "use the id of a warning sign",
                             "unknown-question")
            self.labels[question.id, option.id] = option.text
            if option.sign is not None:
                self.signs[question.id, option.id] = option.sign
        self._add(path, question.id, question.type, question.question, None, tuple(ids))

    def _number(self, path, question: AskedQuestion) -> None:
        bands = question.bands
        lowest = None if question.lowest is None else float(question.lowest)
        highest = None if question.highest is None else float(question.highest)
        if len(bands) < 2:
            self.problem(path + ("bands",) if bands else path, "a number question needs at "
                         "least 2 bands", "list the ranges under 'bands', each with an id and "
                         "a text; every band but the last also has the number it stays "
                         "'below'", "bad-bands", key=True)
            return
        previous = lowest
        for index, band in enumerate(bands):
            last = index == len(bands) - 1
            here = path + ("bands", index)
            if last and band.below is not None:
                self.problem(here + ("below",), "the last band has no 'below'",
                             "remove 'below' from the last band: it takes every larger number",
                             "bad-bands", key=True)
            elif not last and band.below is None:
                self.problem(here, "this band needs 'below': the number it stays below",
                             "add 'below:'", "bad-bands", key=True)
            elif not last:
                below = float(band.below)
                if previous is not None and below <= previous:
                    start = (f"'lowest' is {previous:g}" if index == 0 else
                             f"the band before stops below {previous:g}")
                    self.problem(here + ("below",), f"the bands must go up: {start}, so this "
                                 f"band's 'below' must be more than {previous:g}, not "
                                 f"{band.below}", "put the bands in order, from small numbers "
                                 "to large" + (", or lower 'lowest'" if index == 0 else ""),
                                 "bad-bands")
                previous = below
            self.labels[question.id, band.id] = band.text
        if highest is not None and previous is not None and highest < previous:
            self.problem(path + ("highest",), f"'highest' is {highest:g}, but the last band "
                         f"starts at {previous:g}, so no one could give its answer",
                         f"raise 'highest' to {previous:g} or more, or lower the 'below' of "
                         "the band before the last", "bad-bands")
        if self.problems:
            return
        if question.unit:
            self.units[question.id] = question.unit
        self._add(path, question.id, "number", question.question, None,
                  tuple(band.id for band in bands),
                  bands=tuple((band.id, None if band.below is None else float(band.below))
                              for band in bands),
                  lowest=lowest, highest=highest)

    def _outcomes(self, check: SelfCheck) -> tuple[Rule, ...]:
        levels = [level.id for level in self.site.care_levels]
        rules = []
        last = len(check.outcomes) - 1
        otherwise = []
        for index, outcome in enumerate(check.outcomes):
            where = ("outcomes", index)
            if outcome.level not in levels:
                self.problems.append(unknown_level(self.document, self.path + where + (
                    "level",), outcome.level, levels))
                continue
            if outcome.show_route == "no" and outcome.level != levels[-1]:
                self.problem(where + ("show_route",), "only a result at the last care level, "
                             f"'{levels[-1]}', can leave out where to get care",
                             "remove 'show_route: no': a reader sent for care must see how "
                             "to get it", "route-needed")
            if outcome.when == "otherwise":
                if index != last:
                    self.problem(where + ("when",), "'when: otherwise' must be the last "
                                 "outcome", "move this outcome to the end, or give it a "
                                 "condition", "otherwise-not-last")
                otherwise.append(index)
                condition: Condition = Always()
            else:
                condition = self._condition(where + ("when",), outcome.when, self.asks)
            rules.append(Rule(outcome.id, self.site.rank(outcome.level), condition))
            self.written[outcome.id] = condition
        if otherwise and check.shows == "every-that-applies" and not self.problems:
            # "Otherwise" in a check whose advice adds up: when no other outcome applies.
            others = tuple(rule.when for rule in rules[:-1])
            rules[-1] = dataclasses.replace(rules[-1], when=NoneOf(others))
        return tuple(rules)

    def _condition(self, path: tuple, raw: object, asks: list[Ask]) -> Condition:
        """An editor's condition in typed form. Where there is a mistake the condition
        returned is a stand-in: the rule set is not used."""
        if not isinstance(raw, dict) or len(raw) != 1:
            self.problem(path, "a condition must be exactly one of: any, all, none, not",
                         "write for example 'any: {answer: \"yes\"}'", "bad-condition")
            return Always()
        (op, body), = raw.items()
        here = path + (op,)
        if op == "not":
            return Not(self._condition(here, body, asks))
        if op not in _GROUPS:
            self.problem(here, f"'{op}' is not a condition", "use one of: any, all, none, not",
                         "bad-condition", key=True)
            return Always()
        group = _GROUPS[op]
        if isinstance(body, list):
            if not body:
                self.problem(here, f"'{op}' has nothing in it", "list at least one condition",
                             "bad-condition")
            return group(tuple(self._condition(here + (i,), part, asks)
                               for i, part in enumerate(body)))
        if not isinstance(body, dict):
            self.problem(here, f"'{op}' needs a list of conditions or an answer to match",
                         "write for example 'any: {answer: \"yes\"}'", "bad-condition")
            return Always()
        return group(self._leaf(here, body, asks))

    def _leaf(self, here: tuple, body: dict, asks: list[Ask]) -> tuple[Is, ...]:
        found = len(self.problems)
        for key in body:
            if key not in ("answer", "questions"):
                self.problem(here + (key,), f"'{key}' is not a field here",
                             "use 'answer' and 'questions'", "unknown-field", key=True)
        answer = body.get("answer")
        by_id = {ask.id: ask for ask in asks}
        if not isinstance(answer, str):
            self.problem(here + ("answer",) if "answer" in body else here,
                         "the answer to match is missing" if answer is None else
                         "'answer' must be one answer", 'write for example \'answer: "yes"\'',
                         "bad-answer")
            return ()
        if "questions" in body:
            named = body["questions"]
            if not isinstance(named, list) or not named or not all(
                    isinstance(question, str) for question in named):
                self.problem(here + ("questions",), "'questions' must be a list of question "
                             "ids", "write for example 'questions: [fever]'", "bad-condition")
                return ()
        else:
            named = [ask.id for ask in asks if answer in ask.values]
            if not named:
                where = "in this self-check" if len(asks) == len(self.asks) else "above this one"
                offered = _answer_list(value for ask in asks for value in ask.values)
                self.problem(here + ("answer",), f"no question {where} can be answered "
                             f"'{answer}'", f"use one of: {offered}" if offered else
                             "a follow-up depends on questions above it: move this question "
                             "below the one it depends on", "bad-answer")
                return ()
        for i, question in enumerate(named):
            if question not in by_id:
                known = ", ".join(by_id) or "none yet"
                later = [ask.id for ask in self.asks[len(asks):]]
                if later and question == later[0]:  # a follow-up's own id
                    self.problem(here + ("questions", i), "a follow-up cannot depend on its "
                                 "own answer", f"name a question above it: {known}",
                                 "unknown-question")
                    continue
                if question in later:
                    self.problem(here + ("questions", i), f"'{question}' is asked after this "
                                 "question, so its answer is not known yet", "a follow-up can "
                                 "depend only on questions above it: move this question below "
                                 f"'{question}', or use one of: {known}", "unknown-question")
                    continue
                self.problem(here + ("questions", i), f"there is no question '{question}' "
                             + ("in this self-check" if len(asks) == len(self.asks) else
                                "before this one"),
                             f"use one of: {known}", "unknown-question")
            elif answer not in by_id[question].values:
                self.problem(here + ("answer",), f"'{answer}' is not an answer to "
                             f"'{question}'", "use one of: " + _answer_list(
                                 by_id[question].values), "bad-answer")
        offered = {value for ask in self.asks for value in ask.values}
        if not any(question in by_id for question in named) and answer not in offered:
            # No question named here is known, so the answer was checked against none.
            self.problem(here + ("answer",), f"no question in this self-check can be answered "
                         f"'{answer}'", "use one of: " + _answer_list(sorted(offered)),
                         "bad-answer")
        if len(self.problems) > found:
            return ()
        return tuple(Is(question, answer) for question in named)


def _answer_list(values) -> str:
    """Answers as an editor writes them in a rule: "yes" and "no" in quotes."""
    return ", ".join(f'"{value}"' if value in YES_NO else value
                     for value in dict.fromkeys(values))


def _prove(document: Document, path: tuple, check: SelfCheck, rule_set: RuleSet,
           wording: Wording, site: Site, topic: Topic) -> list[Problem]:
    """Try every complete set of answers at once and hold the rule set to our promises.

    Each condition gives its bit set over every answer vector (see `AnswerSpace`), so a
    million ways of answering are tried in a few bit operations per condition. Promises:
    every answer set gets an outcome; every outcome can be shown; a "yes" to a warning sign
    (or choosing an option that stands for one) never gets a level below the sign's; "not
    sure" never gets a level below the site's "not sure" level.
    """
    problems: list[Problem] = []
    space = AnswerSpace(rule_set.questions)
    shown = rule_set.shown(space)
    index_of = {outcome.id: i for i, outcome in enumerate(check.outcomes)}
    anything = 0
    for rule in rule_set.outcomes:
        anything |= shown[rule.id]
        if not shown[rule.id]:
            problems.append(document.problem(
                path + ("outcomes", index_of[rule.id]),
                f"the outcome '{rule.id}' can never be shown: "
                + ("earlier outcomes catch every answer that would lead here"
                   if rule_set.shows == "first" else "its condition never holds"),
                "change its condition or the ones before it", "unreachable-outcome"))
    if space.every & ~anything:
        problems.append(document.problem(
            path + ("outcomes",), "some answers lead to no outcome, for example "
            + _example(space, space.every & ~anything, wording),
            "end with an outcome 'when: otherwise'", "no-outcome", key=True))
        return problems
    levels = [level.id for level in site.care_levels]
    sign_levels = {sign.id: site.rank(sign.level) for sign in topic.items("warning_signs")}
    promises = []
    for (question, option), sign in wording.signs.items():
        promises.append((Is(question, option or "yes").truth(space)[0], sign_levels[sign],
                         f"a reader who has the warning sign '{sign}'", "sign-level-too-low",
                         f"the sign's level is '{levels[sign_levels[sign]]}'"))
    unsure = 0
    for ask in rule_set.questions:
        if "not-sure" in ask.values and ask.type == "yes-no":
            unsure |= Is(ask.id, "not-sure").truth(space)[0]
    promises.append((unsure, rule_set.floor, "a reader who is not sure of an answer",
                     "not-sure-level-too-low",
                     f"the site's 'not_sure_level' is '{site.not_sure_level}'"))
    for vectors, rank, who, code, why in promises:
        for rule in rule_set.outcomes:
            if rule.rank <= rank:
                continue
            # In a check whose advice adds up, a more urgent outcome shown beside it is fine.
            bad = shown[rule.id] & vectors
            if rule_set.shows == "every":
                for other in rule_set.outcomes:
                    if other.rank <= rank:
                        bad &= ~shown[other.id]
            if bad:
                problems.append(document.problem(
                    path + ("outcomes", index_of[rule.id]),
                    f"{who} would be told '{rule.id}' (level '{levels[rule.rank]}'), for "
                    f"example when {_example(space, bad, wording)}; {why}",
                    f"add an outcome before it at level '{levels[rank]}' or more urgent that "
                    "catches these answers" if rule_set.shows == "first" else
                    f"add an outcome at level '{levels[rank]}' or more urgent that catches "
                    "these answers", code))
                break
    return problems


def plainest(space: AnswerSpace, vectors: int) -> int:
    """The number of one answer vector of a non-empty set, with as few answers other than
    "no" (or "none of these") as can be: each question in turn takes its plainest answer that
    keeps the example in the set."""
    for ask in space.asks:
        plain = ask.values.index("no") if "no" in ask.values else 0
        for index in (plain, *(i for i in range(ask.size) if i != plain)):
            narrowed = vectors & space.digit(ask.id, index)
            if narrowed:
                vectors = narrowed
                break
    return (vectors & -vectors).bit_length() - 1


def _example(space: AnswerSpace, vectors: int, wording: Wording) -> str:
    """An example answer vector of a set, in the editor's ids."""
    parts = []
    number = plainest(space, vectors)
    for question, answer in space.answers(number).items():
        if not space.asked(question)[0] >> number & 1:
            continue  # a follow-up these answers do not call for
        if isinstance(answer, frozenset):
            parts.append(f"{question}=" + ("+".join(sorted(answer)) or "(none chosen)"))
        elif answer != "no":
            parts.append(f"{question}={answer}")
    return ", ".join(parts) or "every answer is no"


def describe(condition: Condition, wording: Wording) -> str:
    """The condition in plain words, generated so that page text can never drift from rules."""
    if isinstance(condition, Always):
        return "If none of the above apply to you"
    return "If " + _clause(condition, wording)


def _answers_to(parts: list[Is], wording: Wording, verb: str) -> str:
    """Several answers to one question: you answer "A", "B" or "C" to "Q"."""
    labels = [f"\u201c{wording.labels[part.question, part.answer]}\u201d" for part in parts]
    said = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]
    return f"you {verb} {said} to \u201c{wording.questions[parts[0].question]}\u201d"


def _flat(parts: tuple[Condition, ...]) -> tuple[Condition, ...]:
    """`any` inside `any` says no more than one `any`: its parts, in order."""
    flat: list[Condition] = []
    for part in parts:
        flat.extend(_flat(part.parts) if isinstance(part, AnyOf) else (part,))
    return tuple(flat)


def _clause(condition: Condition, wording: Wording) -> str:
    texts = wording.questions
    if isinstance(condition, Always):
        return "always"
    if isinstance(condition, Is):
        return (f"you answer \u201c{wording.labels[condition.question, condition.answer]}\u201d "
                f"to \u201c{texts[condition.question]}\u201d")
    if isinstance(condition, Not):
        return "it is not true that " + _clause(condition.of, wording)
    parts = condition.parts
    if isinstance(condition, AnyOf | NoneOf):
        parts = _flat(parts)
        if len(parts) > 1 and all(isinstance(part, Is) for part in parts):
            groups: dict[str, list[Is]] = {}
            for part in parts:
                groups.setdefault(part.question, []).append(part)
            verb = "answer" if isinstance(condition, AnyOf) else "do not answer"
            if len(groups) == 1:
                return _answers_to(parts, wording, verb)
            if isinstance(condition, AnyOf) and len(groups) < len(parts):
                return "at least one of these is true: " + "; ".join(
                    _answers_to(group, wording, verb) for group in groups.values())
    if parts and all(isinstance(part, Is) for part in parts) and len(
            {wording.labels[part.question, part.answer] for part in parts}) == 1:
        answer = wording.labels[parts[0].question, parts[0].answer]
        named = [part.question for part in parts]
        if len(named) == 1:
            return _clause(parts[0], wording) if not isinstance(condition, NoneOf) else (
                f"you do not answer \u201c{answer}\u201d to \u201c{texts[named[0]]}\u201d")
        scope = ("question" if set(named) == set(texts) else
                 "of these questions: " + "; ".join(f"\u201c{texts[q]}\u201d" for q in named))
        quantifier = {AnyOf: "any", AllOf: "every", NoneOf: "no"}[type(condition)]
        return f"you answer \u201c{answer}\u201d to {quantifier} {scope}"
    joined = "; ".join(_clause(part, wording) for part in parts)
    lead = {AnyOf: "at least one of these is true", AllOf: "all of these are true",
            NoneOf: "none of these is true"}[type(condition)]
    return f"{lead}: {joined}"
