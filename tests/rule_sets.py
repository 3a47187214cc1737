"""Random rule sets using every question type, and the answer tables both evaluators must share.

A table gives, for each outcome, one character per answer vector of the partial answer space
(`AnswerSpace(partial=True)`: every question answered in each possible way, or not yet): "1"
where the outcome is shown. The browser tests compute the same table with the page's
`selfCheck.result`.
"""

from __future__ import annotations

import random

from generator.rules import (
    ANSWERS,
    YES_NO,
    AllOf,
    Always,
    AnswerSpace,
    AnyOf,
    Ask,
    Condition,
    Is,
    NoneOf,
    Not,
    Rule,
    RuleSet,
)

TYPES = ("yes-no", "one-choice", "several-choices", "number")


def table(rule_set: RuleSet) -> dict[str, str]:
    """The answer table from the proof's bit sets."""
    space = AnswerSpace(rule_set.questions, partial=True)
    return {outcome: format(bits, "b").zfill(space.total)[::-1][:space.total]
            for outcome, bits in rule_set.shown(space).items()}


def table_by_vector(rule_set: RuleSet) -> dict[str, str]:
    """The same table from `RuleSet.result`, one answer vector at a time."""
    space = AnswerSpace(rule_set.questions, partial=True)
    rows: dict[str, list[str]] = {rule.id: [] for rule in rule_set.outcomes}
    for number in range(space.total):
        given = {q: a for q, a in space.answers(number).items() if a is not None}
        shown = rule_set.result(given) or ()
        for outcome, row in rows.items():
            row.append("1" if outcome in shown else "0")
    return {outcome: "".join(row) for outcome, row in rows.items()}


def random_ask(rng: random.Random, number: int, earlier: list[Ask]) -> Ask:
    kind = rng.choice(TYPES)
    ask_id = f"q{number}"
    if kind == "yes-no":
        values = ANSWERS if rng.random() < 0.7 else YES_NO
        ask = Ask(ask_id, kind, values)
    elif kind == "number":
        count = rng.randint(2, 3)
        bands = tuple((f"b{i}", None if i == count - 1 else float(10 * (i + 1)))
                      for i in range(count))
        ask = Ask(ask_id, kind, tuple(band for band, _ in bands), bands=bands,
                  lowest=0.0, highest=rng.choice([None, 100.0]))
    else:
        count = rng.randint(2, 3)
        ask = Ask(ask_id, kind, tuple(f"o{i}" for i in range(count)))
    if earlier and rng.random() < 0.3:
        ask = Ask(ask.id, ask.type, ask.values, random_condition(rng, earlier, 1), ask.bands,
                  ask.lowest, ask.highest)
    return ask


def random_condition(rng: random.Random, asks: list[Ask], depth: int) -> Condition:
    if depth == 0 or rng.random() < 0.35:
        if rng.random() < 0.05:
            return Always()
        ask = rng.choice(asks)
        return Is(ask.id, rng.choice(ask.values))
    op = rng.choice(["any", "all", "none", "not"])
    if op == "not":
        return Not(random_condition(rng, asks, depth - 1))
    group = {"any": AnyOf, "all": AllOf, "none": NoneOf}[op]
    return group(tuple(random_condition(rng, asks, depth - 1)
                       for _ in range(rng.randint(0, 3))))


def random_rule_set(rng: random.Random, number: int, *, max_questions: int = 4) -> RuleSet:
    """A rule set of 1 to `max_questions` questions of random types (some of them follow-ups),
    random outcomes at random levels, and an `otherwise` last."""
    asks: list[Ask] = []
    for index in range(rng.randint(1, max_questions)):
        asks.append(random_ask(rng, index, asks))
    shows = rng.choice(["first", "every"])
    rules = [Rule(f"r{i}", rng.randint(0, 3), random_condition(rng, asks, 3))
             for i in range(rng.randint(0, 4))]
    others = tuple(rule.when for rule in rules)
    rules.append(Rule("otherwise", rng.randint(0, 3),
                      Always() if shows == "first" else NoneOf(others)))
    return RuleSet(f"random-{number}", shows, rng.randint(0, 2), tuple(asks), tuple(rules))
