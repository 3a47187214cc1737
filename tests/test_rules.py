"""The rule language: evaluation, and the sync and safety invariants enforced at build time.

The proof's bit sets are held to `holds`, the one Python evaluator, on random conditions; the
browser tests hold `self-check.js` to the same evaluator through the canonical JSON.
"""

import functools
import itertools
import json
import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.rules import (
    ANSWERS,
    AllOf,
    Always,
    AnswerSpace,
    AnyOf,
    Is,
    NoneOf,
    Not,
    RuleSet,
    from_json,
    holds,
)
from tests.editing import TOPIC, line_of, problems_after
from tests.test_browser import random_condition

WARNING_CHECK = "do-i-need-an-mri-now"
RISK_CHECK = "before-your-mri"
PROFILE = settings(max_examples=200, deadline=None, derandomize=True)


def rule_set(library, check_id) -> RuleSet:
    [topic] = library.topics
    return library.rule_sets[topic.id][check_id]


def test_no_result_until_every_question_is_answered(library):
    rules = rule_set(library, WARNING_CHECK)
    answers = {question: "no" for question in rules.questions}
    assert rules.evaluate(answers) == "an-mri-will-not-help-now"
    del answers[rules.questions[-1]]
    assert rules.evaluate(answers) is None
    answers[rules.questions[-1]] = "maybe"
    assert rules.evaluate(answers) is None


def test_warning_sign_outcomes(library):
    rules = rule_set(library, WARNING_CHECK)
    base = {question: "no" for question in rules.questions}
    for question in rules.questions:
        assert rules.evaluate({**base, question: "yes"}) == "talk-to-a-doctor-now"
        assert rules.evaluate({**base, question: "not-sure"}) == "check-with-a-doctor"
    assert rules.evaluate({**base, rules.questions[0]: "yes", rules.questions[1]: "not-sure"}) \
        == "talk-to-a-doctor-now"


def test_before_your_mri_outcomes(library):
    rules = rule_set(library, RISK_CHECK)
    base = {question: "no" for question in rules.questions}
    assert rules.evaluate(base) == "no-known-risks"
    assert rules.evaluate({**base, "pregnancy": "yes"}) == "talk-to-your-doctor-first"
    assert rules.evaluate({**base, "pregnancy": "not-sure"}) == "tell-the-team-first"
    assert rules.evaluate({**base, "metal-in-body": "yes"}) == "tell-the-team-first"


def test_every_combination_gets_exactly_one_outcome_and_all_are_reachable(library):
    [topic] = library.topics
    for check in topic.self_checks:
        rules = library.rule_sets[topic.id][check.id]
        seen = set()
        for combination in itertools.product(ANSWERS, repeat=len(rules.questions)):
            answers = dict(zip(rules.questions, combination, strict=True))
            matching = [o for o, condition in rules.outcomes if holds(condition, answers)]
            assert matching, answers  # the first of these is the one shown
            seen.add(rules.evaluate(answers))
            if "not-sure" in combination:
                level = next(o.level for o in check.outcomes if o.id == matching[0])
                assert level != "routine", answers
        assert seen == {outcome.id for outcome in check.outcomes}


def test_sync_every_warning_sign_is_a_question_in_order(library):
    [topic] = library.topics
    rules = rule_set(library, WARNING_CHECK)
    assert rules.questions == tuple(sign.id for sign in topic.warning_signs.signs)
    assert rule_set(library, RISK_CHECK).questions == tuple(i.id for i in topic.risks.items)


def test_a_new_warning_sign_without_a_question_fails(tmp_path):
    text, problems = problems_after(
        tmp_path, "    - id: fever\n", "    - id: night-pain\n      text: Pain at night.\n"
        "    - id: fever\n")
    line = line_of(text, "- id: night-pain")
    assert f"{TOPIC}:{line}:7: error: the field 'question' is missing — add 'question:' here " \
           "[missing-field]" in problems


def test_a_rule_naming_a_missing_question_fails(tmp_path):
    text, problems = problems_after(tmp_path, "questions: [pregnancy]", "questions: [pregnant]")
    line = line_of(text, "questions: [pregnant]")
    assert any(p.startswith(f"{TOPIC}:{line}:") and "there is no question 'pregnant' in this "
               "self-check" in p and p.endswith("[unknown-question]") for p in problems)


def test_an_unreachable_outcome_fails(tmp_path):
    text, problems = problems_after(tmp_path, 'any: {answer: not-sure}\n        heading: Check',
                                    'any: {answer: "yes"}\n        heading: Check')
    line = line_of(text, "- id: check-with-a-doctor")
    assert any(p.startswith(f"{TOPIC}:{line}:") and "'check-with-a-doctor' can never be shown"
               in p and p.endswith("[unreachable-outcome]") for p in problems)


def test_unsure_never_gets_the_reassuring_outcome(tmp_path):
    text, problems = problems_after(tmp_path, 'any: {answer: not-sure}\n        heading: Check',
                                    'all: {answer: not-sure}\n        heading: Check')
    line = line_of(text, "- id: an-mri-will-not-help-now")
    assert any(p.startswith(f"{TOPIC}:{line}:") and "a reader who is not sure would be told "
               "'an-mri-will-not-help-now'" in p and p.endswith("[unsure-reassured]")
               for p in problems)


def test_a_warning_sign_always_gets_an_urgent_outcome(tmp_path):
    _, problems = problems_after(tmp_path, "level: urgent", "level: caution")
    assert any("a reader with a warning sign would be told 'talk-to-a-doctor-now', which is "
               "not urgent" in p and "[sign-not-urgent]" in p for p in problems)


def test_the_last_outcome_must_be_otherwise(tmp_path):
    _, problems = problems_after(tmp_path, "when: otherwise", 'when: {any: {answer: "no"}}')
    assert any("the last outcome must be 'when: otherwise'" in p for p in problems)


def test_a_bad_condition_is_located(tmp_path):
    text, problems = problems_after(tmp_path, 'any: {answer: "yes"}\n        heading: Talk',
                                    'some: {answer: "yes"}\n        heading: Talk')
    line = line_of(text, "some: {answer")
    assert f"{TOPIC}:{line}:11: error: 'some' is not a condition — use one of: any, all, " \
           "none, not [bad-condition]" in problems


@functools.cache  # Hypothesis is much faster when a strategy is built once, not per example
def conditions(questions: tuple[str, ...]):
    leaves = st.just(Always()) | st.builds(Is, st.sampled_from(questions),
                                           st.sampled_from(ANSWERS))

    def branches(inner):
        parts = st.lists(inner, max_size=3).map(tuple)
        return (st.builds(Not, inner) | st.builds(AnyOf, parts) | st.builds(AllOf, parts)
                | st.builds(NoneOf, parts))

    return st.recursive(leaves, branches, max_leaves=12)


def questions_and_condition():
    """1 to 5 questions, and a condition over them."""
    return st.integers(1, 5).map(lambda n: tuple(f"q{i}" for i in range(n))).flatmap(
        lambda questions: st.tuples(st.just(questions), conditions(questions)))


@PROFILE
@given(questions_and_condition())
def test_the_proof_bit_sets_agree_with_the_evaluator(case):
    questions, condition = case
    space = AnswerSpace.of(questions)
    bits = condition.combinations(space)
    assert 0 <= bits <= space.every
    combinations = itertools.product(ANSWERS, repeat=len(questions))
    for number, combination in enumerate(combinations):
        answers = dict(zip(questions, combination, strict=True))
        assert space.answers(number) == answers
        assert bool(bits >> number & 1) == holds(condition, answers)
        for answer in ANSWERS:
            assert bool(space.anywhere(answer) >> number & 1) == (answer in combination)
    assert space.every >> len(ANSWERS) ** len(questions) == 0


@PROFILE
@given(questions_and_condition())
def test_conditions_round_trip_through_json(case):
    _, condition = case
    data = condition.to_json()
    assert from_json(data) == condition
    assert from_json(json.loads(json.dumps(data))).to_json() == data


def test_the_conditions_the_browser_tests_use_are_canonical():
    rng = random.Random(20261123)
    for _ in range(300):
        data = random_condition(rng, [f"q{i}" for i in range(rng.randint(1, 5))], 3)
        assert from_json(data).to_json() == data


def test_a_rule_set_read_back_from_its_json_is_the_same(library):
    for check_id in (WARNING_CHECK, RISK_CHECK):
        rules = rule_set(library, check_id)
        assert RuleSet(rules.id, rules.questions, tuple(
            (outcome_id, condition.to_json()) for outcome_id, condition in rules.outcomes)) \
            == rules


@pytest.mark.parametrize(("data", "message"), [
    ({"op": "xor", "of": []}, "unknown operator 'xor'"),
    ({"of": []}, "unknown operator None"),
    ({"op": "not", "of": {"op": "xor"}}, "unknown operator 'xor'"),
    ({"op": "is", "question": "fever"}, "exactly the keys"),
    ({"op": "always", "of": []}, "exactly the keys"),
    ({"op": "is", "question": "fever", "answer": "maybe"}, "'is' needs"),
    ({"op": "any", "of": {"op": "always"}}, "'any' needs a list"),
    (["any"], "must be an object"),
])
def test_from_json_rejects_what_is_not_canonical(data, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        from_json(data)
