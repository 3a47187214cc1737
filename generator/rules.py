"""The self-check rule language: parse it, evaluate it, and prove each rule set is safe.

A self-check is an ordered list of outcomes. Each has a condition (`when`) and the first one
that holds is the result; the last is `when: otherwise`. Conditions are built from

    any / all / none:  a list of conditions, or {answer: A, questions: [ids]}
                       (questions left out means every question of the self-check)
    not:               one condition

where an answer is "yes", "no" or "not-sure". Parsing turns that into a tree of frozen
condition objects: `Always`, `Is`, `Not`, `AnyOf`, `AllOf` and `NoneOf`. Each knows three
things, so that no other code has to walk the tree: `holds`, the one Python evaluator;
`to_json`, the canonical JSON that the browser's `self-check.js` evaluates; and
`combinations`, the bit set of answer combinations it holds for. Because a self-check has at
most MAX_QUESTIONS questions, every combination can be tried at build time with those bit
sets: that is how we prove every outcome can be reached and that an unsure answer never gives
the reassuring one. The tests hold the bit sets to `holds`, and the browser tests hold
`self-check.js` to `holds`, so the proof is about the rules readers actually get.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from typing import ClassVar

from generator.errors import Problem
from generator.load import Document
from generator.model import SelfCheck, Topic

ANSWERS = ("yes", "no", "not-sure")
MAX_QUESTIONS = 12


@functools.lru_cache(maxsize=MAX_QUESTIONS + 1)
def _layout(count: int) -> tuple[tuple[dict[str, int], ...], dict[str, int], int]:
    """For `count` questions: per position and answer, the combinations that give it; per
    answer, those in which some question gets it; and all combinations."""
    total = len(ANSWERS) ** count
    patterns = []
    for position in range(count):
        run = len(ANSWERS) ** (count - 1 - position)
        per_answer = {}
        for answer in ANSWERS:
            period = "".join("1" * run if other == answer else "0" * run for other in ANSWERS)
            per_answer[answer] = int((period * (total // len(period)))[::-1], 2)
        patterns.append(per_answer)
    anywhere = dict.fromkeys(ANSWERS, 0)
    for per_answer in patterns:
        for answer, bits in per_answer.items():
            anywhere[answer] |= bits
    return tuple(patterns), anywhere, (1 << total) - 1


@dataclasses.dataclass(frozen=True, slots=True)
class AnswerSpace:
    """Every complete set of answers to `questions`, numbered so that a set of them is an int.

    Combination number k is bit k. Numbers count in ANSWERS order with the first question
    varying slowest; a problem quotes the lowest number of a set as its example.
    """

    questions: tuple[str, ...]
    every: int
    _position: Mapping[str, int] = dataclasses.field(repr=False, compare=False)
    _patterns: tuple[Mapping[str, int], ...] = dataclasses.field(repr=False, compare=False)
    _anywhere: Mapping[str, int] = dataclasses.field(repr=False, compare=False)

    @classmethod
    def of(cls, questions: tuple[str, ...]) -> AnswerSpace:
        patterns, anywhere, every = _layout(len(questions))
        return cls(questions, every, {question: i for i, question in enumerate(questions)},
                   patterns, anywhere)

    def given(self, question: str, answer: str) -> int:
        """The combinations in which `question` gets `answer`."""
        return self._patterns[self._position[question]][answer]

    def anywhere(self, answer: str) -> int:
        """The combinations in which at least one question gets `answer`."""
        return self._anywhere[answer]

    def answers(self, number: int) -> dict[str, str]:
        """Combination number `number`, as each question's answer."""
        given = {}
        for question in reversed(self.questions):
            number, digit = divmod(number, len(ANSWERS))
            given[question] = ANSWERS[digit]
        return {question: given[question] for question in self.questions}


@dataclasses.dataclass(frozen=True, slots=True)
class Always:
    """True for every answer: the condition of `when: otherwise`."""

    op: ClassVar[str] = "always"

    def holds(self, answers: Mapping[str, str]) -> bool:
        return True

    def combinations(self, space: AnswerSpace) -> int:
        return space.every

    def to_json(self) -> dict:
        return {"op": self.op}


@dataclasses.dataclass(frozen=True, slots=True)
class Is:
    """True when `question` gets `answer`."""

    question: str
    answer: str
    op: ClassVar[str] = "is"

    def holds(self, answers: Mapping[str, str]) -> bool:
        return answers.get(self.question) == self.answer

    def combinations(self, space: AnswerSpace) -> int:
        return space.given(self.question, self.answer)

    def to_json(self) -> dict:
        return {"op": self.op, "question": self.question, "answer": self.answer}


@dataclasses.dataclass(frozen=True, slots=True)
class Not:
    """True when `of` is not."""

    of: Condition
    op: ClassVar[str] = "not"

    def holds(self, answers: Mapping[str, str]) -> bool:
        return not self.of.holds(answers)

    def combinations(self, space: AnswerSpace) -> int:
        return space.every & ~self.of.combinations(space)

    def to_json(self) -> dict:
        return {"op": self.op, "of": self.of.to_json()}


def _union(parts: tuple[Condition, ...], space: AnswerSpace) -> int:
    union = 0
    for part in parts:
        union |= part.combinations(space)
    return union


@dataclasses.dataclass(frozen=True, slots=True)
class AnyOf:
    """True when at least one of `parts` is."""

    parts: tuple[Condition, ...]
    op: ClassVar[str] = "any"

    def holds(self, answers: Mapping[str, str]) -> bool:
        return any(part.holds(answers) for part in self.parts)

    def combinations(self, space: AnswerSpace) -> int:
        return _union(self.parts, space)

    def to_json(self) -> dict:
        return {"op": self.op, "of": [part.to_json() for part in self.parts]}


@dataclasses.dataclass(frozen=True, slots=True)
class AllOf:
    """True when every one of `parts` is (so an empty one is)."""

    parts: tuple[Condition, ...]
    op: ClassVar[str] = "all"

    def holds(self, answers: Mapping[str, str]) -> bool:
        return all(part.holds(answers) for part in self.parts)

    def combinations(self, space: AnswerSpace) -> int:
        result = space.every
        for part in self.parts:
            result &= part.combinations(space)
        return result

    def to_json(self) -> dict:
        return {"op": self.op, "of": [part.to_json() for part in self.parts]}


@dataclasses.dataclass(frozen=True, slots=True)
class NoneOf:
    """True when no one of `parts` is."""

    parts: tuple[Condition, ...]
    op: ClassVar[str] = "none"

    def holds(self, answers: Mapping[str, str]) -> bool:
        return not any(part.holds(answers) for part in self.parts)

    def combinations(self, space: AnswerSpace) -> int:
        return space.every & ~_union(self.parts, space)

    def to_json(self) -> dict:
        return {"op": self.op, "of": [part.to_json() for part in self.parts]}


Condition = Always | Is | Not | AnyOf | AllOf | NoneOf
_GROUPS: dict[str, type[AnyOf | AllOf | NoneOf]] = {
    group.op: group for group in (AnyOf, AllOf, NoneOf)}


@dataclasses.dataclass(frozen=True)
class RuleSet:
    """A checked self-check, ready for both evaluators.

    Conditions may also be given as canonical JSON (as read back from a built page); they are
    held typed either way.
    """

    id: str
    questions: tuple[str, ...]
    outcomes: tuple[tuple[str, Condition], ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "outcomes", tuple(
            (outcome_id, condition if isinstance(condition, Condition) else from_json(condition))
            for outcome_id, condition in self.outcomes))

    def evaluate(self, answers: Mapping[str, str]) -> str | None:
        """The id of the outcome for these answers, or None until every question is answered."""
        if any(answers.get(question) not in ANSWERS for question in self.questions):
            return None
        for outcome_id, condition in self.outcomes:
            if condition.holds(answers):
                return outcome_id
        raise AssertionError("the last outcome is always 'otherwise'")  # pragma: no cover


def holds(condition: Condition, answers: Mapping[str, str]) -> bool:
    """Whether a condition is true for a complete set of answers."""
    return condition.holds(answers)


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
        if not isinstance(data["question"], str) or data["answer"] not in ANSWERS:
            raise ValueError(f"'is' needs a question id and one of {', '.join(ANSWERS)}, "
                             f"not {data!r}")
        return Is(data["question"], data["answer"])
    if op == "not":
        return Not(from_json(data["of"]))
    if not isinstance(data["of"], list):
        raise ValueError(f"'{op}' needs a list of conditions, not {data!r}")
    return _GROUPS[op](tuple(from_json(part) for part in data["of"]))


def canonical(rule_set: RuleSet, check: SelfCheck, topic: Topic) -> dict:
    """The JSON the self-check page embeds: everything the browser needs, nothing more."""
    texts = {question.id: question.question for question in topic.questions(check.asks)}
    by_id = {outcome.id: outcome for outcome in check.outcomes}
    return {
        "id": check.id,
        "answers": list(ANSWERS),
        "questions": [{"id": q, "text": texts[q]} for q in rule_set.questions],
        "outcomes": [
            {
                "id": outcome_id,
                "level": by_id[outcome_id].level,
                "heading": by_id[outcome_id].heading,
                "advice": [statement.text for statement in by_id[outcome_id].advice],
                "when": condition.to_json(),
            }
            for outcome_id, condition in rule_set.outcomes
        ],
    }


def check_topic(document: Document, topic: Topic) -> tuple[dict[str, RuleSet], list[Problem]]:
    """Parse and prove every self-check of a topic; the sync invariants live here."""
    rule_sets: dict[str, RuleSet] = {}
    problems: list[Problem] = []
    for section in ("warning_signs", "risks"):
        askers = [check for check in topic.self_checks if check.asks == section]
        if topic.questions(section) and len(askers) != 1:
            what = "warning signs" if section == "warning_signs" else "risks"
            problems.append(document.problem(
                (section,) if not askers else ("self_checks",),
                f"the {what} must be asked by exactly one self-check, not {len(askers)}",
                f"give one self-check 'asks: {section}'", "self-check-missing"
                if not askers else "self-check-twice", key=True))
    for index, check in enumerate(topic.self_checks):
        rule_set, found = _check_self_check(document, ("self_checks", index), check, topic)
        problems += found
        if rule_set is not None:
            rule_sets[check.id] = rule_set
    return rule_sets, problems


def _check_self_check(document: Document, path: tuple, check: SelfCheck,
                      topic: Topic) -> tuple[RuleSet | None, list[Problem]]:
    questions = tuple(question.id for question in topic.questions(check.asks))
    problems: list[Problem] = []
    if not questions:
        return None, [document.problem(path + ("asks",), f"there is nothing in '{check.asks}' "
                                       "to ask about", "add items there, or remove this "
                                       "self-check", "self-check-empty")]
    if len(questions) > MAX_QUESTIONS:
        problems.append(document.problem(
            path + ("asks",), f"this self-check would ask {len(questions)} questions, more than "
            f"{MAX_QUESTIONS}", "a worried reader on a phone needs a short check: split the "
            "topic", "too-many-questions"))
        return None, problems
    outcomes: list[tuple[str, Condition]] = []
    last = len(check.outcomes) - 1
    for index, outcome in enumerate(check.outcomes):
        where = path + ("outcomes", index, "when")
        if outcome.when == "otherwise":
            if index != last:
                problems.append(document.problem(
                    where, "'when: otherwise' must be the last outcome",
                    "move this outcome to the end, or give it a condition", "otherwise-not-last"))
            outcomes.append((outcome.id, Always()))
            continue
        if index == last:
            problems.append(document.problem(
                where, "the last outcome must be 'when: otherwise'",
                "so that every answer gets a result, end with 'when: otherwise'",
                "otherwise-missing"))
        outcomes.append((outcome.id, _parse(document, where, outcome.when, questions, problems)))
    if problems:
        return None, problems
    rule_set = RuleSet(check.id, questions, tuple(outcomes))
    problems += _prove(document, path, check, rule_set)
    return (None if problems else rule_set), problems


def _parse(document: Document, path: tuple, raw: object, questions: tuple[str, ...],
           problems: list[Problem]) -> Condition:
    """Turn an editor's condition into typed form, collecting every mistake.

    Where there is a mistake the condition returned is a stand-in: the rule set is not used.
    """
    if not isinstance(raw, dict) or len(raw) != 1:
        problems.append(document.problem(
            path, "a condition must be exactly one of: any, all, none, not",
            "write for example 'any: {answer: \"yes\"}'", "bad-condition"))
        return Always()
    (op, body), = raw.items()
    here = path + (op,)
    if op == "not":
        return Not(_parse(document, here, body, questions, problems))
    if op not in _GROUPS:
        problems.append(document.problem(
            here, f"'{op}' is not a condition", "use one of: any, all, none, not",
            "bad-condition", key=True))
        return Always()
    group = _GROUPS[op]
    if isinstance(body, list):
        if not body:
            problems.append(document.problem(here, f"'{op}' has nothing in it",
                                              "list at least one condition", "bad-condition"))
        return group(tuple(_parse(document, here + (i,), part, questions, problems)
                           for i, part in enumerate(body)))
    if not isinstance(body, dict):
        problems.append(document.problem(
            here, f"'{op}' needs a list of conditions or an answer to match",
            "write for example 'any: {answer: \"yes\"}'", "bad-condition"))
        return Always()
    found = len(problems)
    for key in body:
        if key not in ("answer", "questions"):
            problems.append(document.problem(
                here + (key,), f"'{key}' is not a field here", "use 'answer' and 'questions'",
                "unknown-field", key=True))
    answer = body.get("answer")
    if answer not in ANSWERS:
        problems.append(document.problem(
            here + ("answer",) if "answer" in body else here,
            f"the answer '{answer}' is not one a reader can give" if answer is not None
            else "the answer to match is missing",
            'use one of: "yes", no, not-sure', "bad-answer"))
    named = body.get("questions", list(questions))
    if not isinstance(named, list) or not named:
        problems.append(document.problem(
            here + ("questions",), "'questions' must be a list of question ids",
            "write for example 'questions: [fever]'", "bad-condition"))
        named = []
    for i, question in enumerate(named):
        if question not in questions:
            problems.append(document.problem(
                here + ("questions", i), f"there is no question '{question}' in this self-check",
                "use one of: " + ", ".join(questions), "unknown-question"))
    if len(problems) > found:
        return Always()
    return group(tuple(Is(question, answer) for question in named))


def _prove(document: Document, path: tuple, check: SelfCheck, rule_set: RuleSet) -> list[Problem]:
    """Try every complete set of answers and hold the rule set to our safety promises.

    All 3^n combinations are tried at once: each condition gives its bit set over them (see
    `AnswerSpace`), and an outcome gets the combinations its condition holds for that no
    earlier outcome took. A thousand topics are proven in well under a second this way.
    """
    problems: list[Problem] = []
    levels = {outcome.id: outcome.level for outcome in check.outcomes}
    index_of = {outcome.id: i for i, outcome in enumerate(check.outcomes)}
    space = AnswerSpace.of(rule_set.questions)
    some_yes, some_unsure = space.anywhere("yes"), space.anywhere("not-sure")
    left = space.every
    reached: set[str] = set()
    unsure_reassured = yes_not_urgent = None
    for outcome_id, condition in rule_set.outcomes:
        taken = condition.combinations(space) & left
        left &= ~taken
        if taken:
            reached.add(outcome_id)
        if levels[outcome_id] == "routine":
            unsure_reassured = _first((outcome_id, taken & some_unsure), unsure_reassured)
        if check.asks == "warning_signs" and levels[outcome_id] != "urgent":
            yes_not_urgent = _first((outcome_id, taken & some_yes), yes_not_urgent)
    for outcome in check.outcomes:
        if outcome.id not in reached:
            problems.append(document.problem(
                path + ("outcomes", index_of[outcome.id]),
                f"the outcome '{outcome.id}' can never be shown: earlier outcomes catch every "
                "answer that would lead here", "change its condition or the ones before it",
                "unreachable-outcome"))
    for found, message, code in (
        (unsure_reassured, "a reader who is not sure would be told '{outcome}' (level routine)",
         "unsure-reassured"),
        (yes_not_urgent, "a reader with a warning sign would be told '{outcome}', which is not "
         "urgent", "sign-not-urgent"),
    ):
        if found:
            outcome_id, combination = found
            example = ", ".join(f"{question}={answer}" for question, answer
                                in space.answers(combination).items() if answer != "no")
            problems.append(document.problem(
                path + ("outcomes", index_of[outcome_id]),
                message.format(outcome=outcome_id) + f", for example when {example or 'all no'}",
                "add an outcome before it that catches these answers", code))
    return problems


def _first(candidate: tuple[str, int], best: tuple[str, int] | None) -> tuple[str, int] | None:
    """Keep the earliest combination (in answer order) of those found so far, as an example."""
    outcome_id, combinations = candidate
    if not combinations:
        return best
    lowest = (combinations & -combinations).bit_length() - 1
    return (outcome_id, lowest) if best is None or lowest < best[1] else best


def describe(condition: Condition, texts: Mapping[str, str]) -> str:
    """The condition in plain words, generated so that page text can never drift from rules."""
    if isinstance(condition, Always):
        return "If none of the above apply to you"
    return "If " + _clause(condition, texts)


def _clause(condition: Condition, texts: Mapping[str, str]) -> str:
    if isinstance(condition, Always):
        return "always"
    if isinstance(condition, Is):
        question = texts[condition.question]
        return f"you answer \u201c{_said(condition.answer)}\u201d to \u201c{question}\u201d"
    if isinstance(condition, Not):
        return "it is not true that " + _clause(condition.of, texts)
    parts = condition.parts
    if parts and all(isinstance(part, Is) for part in parts) and len(
            {part.answer for part in parts}) == 1:
        answer = _said(parts[0].answer)
        named = [part.question for part in parts]
        if len(named) == 1:
            return _clause(parts[0], texts) if not isinstance(condition, NoneOf) else (
                f"you do not answer \u201c{answer}\u201d to \u201c{texts[named[0]]}\u201d")
        scope = ("question" if set(named) == set(texts) else
                 "of these questions: " + "; ".join(f"\u201c{texts[q]}\u201d" for q in named))
        quantifier = {AnyOf: "any", AllOf: "every", NoneOf: "no"}[type(condition)]
        return f"you answer \u201c{answer}\u201d to {quantifier} {scope}"
    joined = "; ".join(_clause(part, texts) for part in parts)
    lead = {AnyOf: "at least one of these is true", AllOf: "all of these are true",
            NoneOf: "none of these is true"}[type(condition)]
    return f"{lead}: {joined}"


def _said(answer: str) -> str:
    return answer.replace("-", " ")
