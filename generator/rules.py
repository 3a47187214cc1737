"""The self-check rule language: parse it, evaluate it, and prove each rule set is safe.

A self-check is an ordered list of outcomes. Each has a condition (`when`) and the first one
that holds is the result; the last is `when: otherwise`. Conditions are built from

    any / all / none:  a list of conditions, or {answer: A, questions: [ids]}
                       (questions left out means every question of the self-check)
    not:               one condition

where an answer is "yes", "no" or "not-sure". Parsing turns that into a canonical tree with
the operators `is`, `any`, `all`, `none`, `not` and `always` that this module and the browser's
`self-check.js` both evaluate. Because a self-check has at most MAX_QUESTIONS questions, every
answer combination can be tried at build time: that is how we prove every outcome can be
reached and that an unsure answer never gives the reassuring one.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping

from generator.errors import Problem
from generator.load import Document
from generator.model import SelfCheck, Topic

ANSWERS = ("yes", "no", "not-sure")
MAX_QUESTIONS = 12
_GROUPS = ("any", "all", "none")

Condition = dict


@dataclasses.dataclass(frozen=True)
class RuleSet:
    """A checked self-check in canonical form, ready for both evaluators."""

    id: str
    questions: tuple[str, ...]
    outcomes: tuple[tuple[str, Condition], ...]

    def evaluate(self, answers: Mapping[str, str]) -> str | None:
        """The id of the outcome for these answers, or None until every question is answered."""
        if any(answers.get(question) not in ANSWERS for question in self.questions):
            return None
        for outcome_id, condition in self.outcomes:
            if holds(condition, answers):
                return outcome_id
        raise AssertionError("the last outcome is always 'otherwise'")  # pragma: no cover


def holds(condition: Condition, answers: Mapping[str, str]) -> bool:
    """Whether a canonical condition is true for a complete set of answers."""
    op = condition["op"]
    if op == "always":
        return True
    if op == "is":
        return answers.get(condition["question"]) == condition["answer"]
    if op == "not":
        return not holds(condition["of"], answers)
    results = (holds(part, answers) for part in condition["of"])
    if op == "any":
        return any(results)
    if op == "all":
        return all(results)
    return not any(results)


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
                "when": condition,
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
    outcomes = []
    last = len(check.outcomes) - 1
    for index, outcome in enumerate(check.outcomes):
        where = path + ("outcomes", index, "when")
        if outcome.when == "otherwise":
            if index != last:
                problems.append(document.problem(
                    where, "'when: otherwise' must be the last outcome",
                    "move this outcome to the end, or give it a condition", "otherwise-not-last"))
            outcomes.append((outcome.id, {"op": "always"}))
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
    """Turn an editor's condition into canonical form, collecting every mistake."""
    if not isinstance(raw, dict) or len(raw) != 1:
        problems.append(document.problem(
            path, "a condition must be exactly one of: any, all, none, not",
            "write for example 'any: {answer: \"yes\"}'", "bad-condition"))
        return {"op": "always"}
    (op, body), = raw.items()
    here = path + (op,)
    if op == "not":
        return {"op": "not", "of": _parse(document, here, body, questions, problems)}
    if op not in _GROUPS:
        problems.append(document.problem(
            here, f"'{op}' is not a condition", "use one of: any, all, none, not",
            "bad-condition", key=True))
        return {"op": "always"}
    if isinstance(body, list):
        if not body:
            problems.append(document.problem(here, f"'{op}' has nothing in it",
                                              "list at least one condition", "bad-condition"))
        parts = [_parse(document, here + (i,), part, questions, problems)
                 for i, part in enumerate(body)]
        return {"op": op, "of": parts}
    if not isinstance(body, dict):
        problems.append(document.problem(
            here, f"'{op}' needs a list of conditions or an answer to match",
            "write for example 'any: {answer: \"yes\"}'", "bad-condition"))
        return {"op": "always"}
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
    return {"op": op, "of": [{"op": "is", "question": q, "answer": answer} for q in named]}


def _prove(document: Document, path: tuple, check: SelfCheck, rule_set: RuleSet) -> list[Problem]:
    """Try every complete set of answers and hold the rule set to our safety promises.

    All 3^n combinations are tried at once: each condition becomes a bit set over them (see
    `_answer_sets`), and an outcome gets the combinations its condition holds for that no
    earlier outcome took. A thousand topics are proven in well under a second this way.
    """
    problems: list[Problem] = []
    levels = {outcome.id: outcome.level for outcome in check.outcomes}
    index_of = {outcome.id: i for i, outcome in enumerate(check.outcomes)}
    count = len(rule_set.questions)
    answer_sets, every = _answer_sets(count)
    some_unsure = some_yes = 0
    for position in range(count):
        some_yes |= answer_sets[position][0]
        some_unsure |= answer_sets[position][2]
    left = every
    reached: set[str] = set()
    unsure_reassured = yes_not_urgent = None
    for outcome_id, condition in rule_set.outcomes:
        taken = _combinations(condition, rule_set.questions, answer_sets, every) & left
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
            pairs = zip(rule_set.questions, _decode(combination, count), strict=True)
            example = ", ".join(f"{q}={ANSWERS[a]}" for q, a in pairs if a != 1) or "all no"
            problems.append(document.problem(
                path + ("outcomes", index_of[outcome_id]),
                message.format(outcome=outcome_id) + f", for example when {example}",
                "add an outcome before it that catches these answers", code))
    return problems


def _first(candidate: tuple[str, int], best: tuple[str, int] | None) -> tuple[str, int] | None:
    """Keep the earliest combination (in answer order) of those found so far, as an example."""
    outcome_id, combinations = candidate
    if not combinations:
        return best
    lowest = (combinations & -combinations).bit_length() - 1
    return (outcome_id, lowest) if best is None or lowest < best[1] else best


def _decode(combination: int, count: int) -> tuple[int, ...]:
    """Answer indexes of combination number `combination`; the first question varies slowest."""
    digits = []
    for _ in range(count):
        combination, digit = divmod(combination, len(ANSWERS))
        digits.append(digit)
    return tuple(reversed(digits))


@functools.lru_cache(maxsize=MAX_QUESTIONS + 1)
def _answer_sets(count: int) -> tuple[tuple[tuple[int, ...], ...], int]:
    """For `count` questions: per question and answer, the bit set of combinations giving it.

    Bit k stands for combination number k (see `_decode`). Returns those sets and the set of
    all combinations.
    """
    total = len(ANSWERS) ** count
    sets = []
    for position in range(count):
        run = len(ANSWERS) ** (count - 1 - position)
        per_answer = []
        for answer in range(len(ANSWERS)):
            period = "".join("1" * run if a == answer else "0" * run for a in range(len(ANSWERS)))
            bits = period * (total // len(period))
            per_answer.append(int(bits[::-1], 2))
        sets.append(tuple(per_answer))
    return tuple(sets), (1 << total) - 1


def _combinations(condition: Condition, questions: tuple[str, ...],
                  answer_sets: tuple[tuple[int, ...], ...], every: int) -> int:
    """The bit set of answer combinations for which a canonical condition holds."""
    op = condition["op"]
    if op == "always":
        return every
    if op == "is":
        return answer_sets[questions.index(condition["question"])][
            ANSWERS.index(condition["answer"])]
    if op == "not":
        return every & ~_combinations(condition["of"], questions, answer_sets, every)
    parts = [_combinations(part, questions, answer_sets, every) for part in condition["of"]]
    if op == "all":
        result = every
        for part in parts:
            result &= part
        return result
    union = 0
    for part in parts:
        union |= part
    return union if op == "any" else every & ~union


def describe(condition: Condition, texts: Mapping[str, str]) -> str:
    """The condition in plain words, generated so that page text can never drift from rules."""
    op = condition["op"]
    if op == "always":
        return "If none of the above apply to you"
    return "If " + _clause(condition, texts)


def _clause(condition: Condition, texts: Mapping[str, str]) -> str:
    op = condition["op"]
    if op == "always":
        return "always"
    if op == "is":
        question = texts[condition["question"]]
        return f"you answer \u201c{_said(condition['answer'])}\u201d to \u201c{question}\u201d"
    if op == "not":
        return "it is not true that " + _clause(condition["of"], texts)
    parts = condition["of"]
    if parts and all(part["op"] == "is" for part in parts) and len(
            {part["answer"] for part in parts}) == 1:
        answer = _said(parts[0]["answer"])
        named = [part["question"] for part in parts]
        if len(named) == 1:
            return _clause(parts[0], texts) if op != "none" else (
                f"you do not answer \u201c{answer}\u201d to \u201c{texts[named[0]]}\u201d")
        scope = ("question" if set(named) == set(texts) else
                 "of these questions: " + "; ".join(f"\u201c{texts[q]}\u201d" for q in named))
        if op == "any":
            return f"you answer \u201c{answer}\u201d to any {scope}"
        if op == "all":
            return f"you answer \u201c{answer}\u201d to every {scope}"
        return f"you answer \u201c{answer}\u201d to no {scope}"
    joined = "; ".join(_clause(part, texts) for part in parts)
    lead = {"any": "at least one of these is true", "all": "all of these are true",
            "none": "none of these is true"}[op]
    return f"{lead}: {joined}"


def _said(answer: str) -> str:
    return answer.replace("-", " ")
