"""The rule language: evaluation, early results, and the safety proofs enforced at build time.

The proof's bit sets are held to `RuleSet.result`, the one Python evaluator, on random rule
sets of every question type; the browser tests hold `self-check.js` to the same tables.
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
    Ask,
    Is,
    NoneOf,
    Not,
    RuleSet,
    from_json,
)
from tests.editing import TOPIC, fixture_topic, line_of, problems_after
from tests.rule_sets import random_rule_set, table, table_by_vector

WARNING_CHECK = "do-i-need-an-mri-now"
RISK_CHECK = "before-your-mri"
PROFILE = settings(max_examples=200, deadline=None, derandomize=True)


def rule_set(library, check_id) -> RuleSet:
    topic = fixture_topic(library)
    return library.rule_sets[topic.id][check_id]


def test_a_yes_to_a_warning_sign_shows_its_result_at_once(library):
    rules = rule_set(library, WARNING_CHECK)
    first, *rest = rules.question_ids
    assert rules.result({first: "yes"}) == ("talk-to-a-doctor-now",)
    assert rules.result({rest[-1]: "yes"}) == ("talk-to-a-doctor-now",)
    # "Not sure" might still turn out to be a warning sign: no result yet.
    assert rules.result({first: "not-sure"}) is None


def test_unanswered_questions_never_lead_to_reassurance(library):
    rules = rule_set(library, WARNING_CHECK)
    answers = dict.fromkeys(rules.question_ids, "no")
    assert rules.result(answers) == ("an-mri-will-not-help-now",)
    for question in rules.question_ids:
        partial = {q: a for q, a in answers.items() if q != question}
        assert rules.result(partial) is None
    # Every other question "not sure": the "check soon" result waits for nothing else.
    unsure = {q: "not-sure" for q in rules.question_ids[:-1]}
    assert rules.result(unsure) is None
    assert rules.result({**unsure, rules.question_ids[-1]: "no"}) == ("check-with-a-doctor",)


def test_warning_sign_outcomes(library):
    rules = rule_set(library, WARNING_CHECK)
    base = dict.fromkeys(rules.question_ids, "no")
    for question in rules.question_ids:
        assert rules.result({**base, question: "yes"}) == ("talk-to-a-doctor-now",)
        assert rules.result({**base, question: "not-sure"}) == ("check-with-a-doctor",)


def test_before_your_mri_shows_every_piece_of_advice_that_applies(library):
    rules = rule_set(library, RISK_CHECK)
    base = dict.fromkeys(rules.question_ids, "no")
    assert rules.result(base) == ("no-known-risks",)
    assert rules.result({**base, "pregnancy": "yes", "pacemaker-or-implant": "yes",
                         "metal-in-body": "not-sure"}) == (
        "talk-to-your-doctor-first", "tell-them-about-an-implant", "tell-them-about-metal")
    assert rules.result({**base, "contrast-dye": "not-sure"}) == ("ask-about-contrast",)
    # Advice that adds up waits until every answer is in.
    assert rules.result({"pregnancy": "yes"}) is None


def test_bit_set_tables_match_the_evaluator_on_every_partial_answer_set(library):
    rules = rule_set(library, RISK_CHECK)
    assert table(rules) == table_by_vector(rules)
    assert all("1" in row for row in table(rules).values())


@PROFILE
@given(st.integers(0, 10**9))
def test_bit_sets_match_the_evaluator_on_random_rule_sets(seed):
    rules = random_rule_set(random.Random(seed), seed)
    assert table(rules) == table_by_vector(rules)


@PROFILE
@given(st.integers(0, 10**9))
def test_an_early_result_is_the_result_of_every_way_of_finishing(seed):
    """Soundness of the early result: whatever a reader answers next, it stays the same."""
    rules = random_rule_set(random.Random(seed), seed, max_questions=3)
    partial = AnswerSpace(rules.questions, partial=True)
    complete = AnswerSpace(rules.questions)
    finished = {number: rules.result({q: a for q, a in complete.answers(number).items()})
                for number in range(complete.total)}
    for number in range(partial.total):
        given_so_far = {q: a for q, a in partial.answers(number).items() if a is not None}
        shown = rules.result(given_so_far)
        if shown is None:
            continue
        for finish, result in finished.items():
            answers = complete.answers(finish)
            if all(answers[q] == a for q, a in given_so_far.items()):
                assert result == shown, (given_so_far, answers)


def test_complete_answers_always_get_a_result_in_the_real_proof(library):
    for check_id in (WARNING_CHECK, RISK_CHECK):
        rules = rule_set(library, check_id)
        space = AnswerSpace(rules.questions)
        shown = 0
        for bits in rules.shown(space).values():
            shown |= bits
        assert shown == space.every


def test_several_choices_and_follow_ups_in_the_evaluator():
    asks = (Ask("very-bad", "yes-no", ("yes", "no")),
            Ask("with", "several-choices", ("jaw", "eye"), Is("very-bad", "yes")),
            Ask("age", "number", ("child", "adult"), bands=(("child", 16.0), ("adult", None)),
                lowest=0.0, highest=120.0))
    rules = RuleSet("x", "first", 1, asks, (
        __import__("generator.rules", fromlist=["Rule"]).Rule(
            "now", 0, AnyOf((Is("with", "jaw"), Is("age", "child")))),
        __import__("generator.rules", fromlist=["Rule"]).Rule("fine", 2, Always())))
    assert rules.result({"very-bad": "yes", "with": frozenset({"jaw"})}) == ("now",)
    # A follow-up that is not asked counts for nothing, whatever was left in it.
    assert rules.result({"very-bad": "no", "with": frozenset({"jaw"}), "age": "adult"}) == \
        ("fine",)
    assert rules.result({"very-bad": "yes", "age": "adult"}) is None
    assert rules.result({"very-bad": "yes", "with": frozenset(), "age": "adult"}) == ("fine",)
    assert asks[2].band_of(15.9) == "child" and asks[2].band_of(16) == "adult"
    assert asks[2].band_of(121) is None and asks[2].band_of(float("nan")) is None


def test_sync_every_warning_sign_is_a_question_in_order(library):
    topic = fixture_topic(library)
    rules = rule_set(library, WARNING_CHECK)
    assert rules.question_ids == tuple(sign.id for sign in topic.warning_signs.signs)
    assert rule_set(library, RISK_CHECK).question_ids == tuple(i.id for i in topic.risks.items)


def test_a_rule_naming_a_missing_question_fails(tmp_path):
    text, problems = problems_after(tmp_path, "questions: [pregnancy]}\n            - any: "
                                    "{answer: not-sure", "questions: [pregnant]}\n            "
                                    "- any: {answer: not-sure")
    line = line_of(text, "questions: [pregnant]")
    assert any(p.startswith(f"{TOPIC}:{line}:") and "there is no question 'pregnant' in this "
               "self-check" in p and p.endswith("[unknown-question]") for p in problems)


def test_an_unreachable_outcome_fails(tmp_path):
    text, problems = problems_after(tmp_path, 'any: {answer: not-sure}\n        heading: Check',
                                    'any: {answer: "yes"}\n        heading: Check')
    line = line_of(text, "- id: check-with-a-doctor")
    assert any(p.startswith(f"{TOPIC}:{line}:") and "'check-with-a-doctor' can never be shown"
               in p and p.endswith("[unreachable-outcome]") for p in problems)


def test_not_sure_never_gets_a_level_below_the_sites_not_sure_level(tmp_path):
    text, problems = problems_after(tmp_path, 'any: {answer: not-sure}\n        heading: Check',
                                    'all: {answer: not-sure}\n        heading: Check')
    line = line_of(text, "- id: an-mri-will-not-help-now")
    assert any(p.startswith(f"{TOPIC}:{line}:") and "a reader who is not sure of an answer "
               "would be told 'an-mri-will-not-help-now' (level 'self-care')" in p
               and "'not_sure_level' is 'soon'" in p and p.endswith("[not-sure-level-too-low]")
               for p in problems)


def test_a_warning_sign_never_gets_a_level_below_its_own(tmp_path):
    text, problems = problems_after(tmp_path, "- id: fever\n      text: You have a fever.\n"
                                    "      level: urgent", "- id: fever\n      text: You have "
                                    "a fever.\n      level: emergency")
    line = line_of(text, "- id: talk-to-a-doctor-now")
    assert any(p.startswith(f"{TOPIC}:{line}:") and "a reader who has the warning sign "
               "'fever' would be told 'talk-to-a-doctor-now' (level 'urgent'), for example when "
               "fever=yes" in p and p.endswith("[sign-level-too-low]") for p in problems)


def test_a_level_the_site_does_not_have_is_named(tmp_path):
    text, problems = problems_after(tmp_path, "level: self-care", "level: selfcare")
    line = line_of(text, "level: selfcare")
    assert f"{TOPIC}:{line}:16: error: 'selfcare' is not one of the site's care levels — did " \
           "you mean 'self-care'? [unknown-level]" in problems


def test_answers_that_lead_nowhere_fail(tmp_path):
    text, problems = problems_after(
        tmp_path, "when: otherwise", 'when: {all: {answer: "no"}}',
        more=(('any: {answer: not-sure}\n        heading: Check',
               'all: {answer: not-sure}\n        heading: Check'),))
    line = line_of(text, "outcomes:")
    assert f"{TOPIC}:{line}:5: error: some answers lead to no outcome, for example " \
           "one-leg-numb-or-weak-and-worse=not-sure — end with an outcome 'when: otherwise' " \
           "[no-outcome]" in problems


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
def test_the_truth_bit_sets_agree_with_the_evaluator(case):
    questions, condition = case
    asks = tuple(Ask(q, "yes-no", ANSWERS) for q in questions)
    space = AnswerSpace(asks, partial=True)
    true, false = condition.truth(space)
    assert true & false == 0 and (true | false) <= space.every
    rules = RuleSet("x", "first", 0, asks, ())
    states = (*ANSWERS, None)
    for number, combination in enumerate(itertools.product(states, repeat=len(questions))):
        given_so_far = {q: a for q, a in zip(questions, combination, strict=True) if a}
        assert space.answers(number) == dict(zip(questions, combination, strict=True))
        value = condition.value(rules.answers(given_so_far))
        assert (bool(true >> number & 1), bool(false >> number & 1)) == (
            value is True, value is False)


@PROFILE
@given(questions_and_condition())
def test_conditions_round_trip_through_json(case):
    _, condition = case
    data = condition.to_json()
    assert from_json(data) == condition
    assert from_json(json.loads(json.dumps(data))).to_json() == data


def test_random_rule_sets_read_back_from_their_json_are_the_same():
    rng = random.Random(20261123)
    for number in range(300):
        rules = random_rule_set(rng, number)
        data = json.loads(json.dumps(rules.to_json()))
        assert RuleSet.from_json(data) == rules


def test_a_rule_set_read_back_from_its_json_is_the_same(library):
    for check_id in (WARNING_CHECK, RISK_CHECK):
        rules = rule_set(library, check_id)
        assert RuleSet.from_json(json.loads(json.dumps(rules.to_json()))) == rules


@pytest.mark.parametrize(("data", "message"), [
    ({"op": "xor", "of": []}, "unknown operator 'xor'"),
    ({"of": []}, "unknown operator None"),
    ({"op": "not", "of": {"op": "xor"}}, "unknown operator 'xor'"),
    ({"op": "is", "question": "fever"}, "exactly the keys"),
    ({"op": "always", "of": []}, "exactly the keys"),
    ({"op": "is", "question": "fever", "answer": 3}, "'is' needs"),
    ({"op": "any", "of": {"op": "always"}}, "'any' needs a list"),
    (["any"], "must be an object"),
])
def test_from_json_rejects_what_is_not_canonical(data, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        from_json(data)
