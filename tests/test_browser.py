"""The self-check in real headless Chromium: same results as Python, usable, and safe without JS."""

import itertools
import json
import random

import pytest

from generator.rules import ANSWERS, RuleSet

TOPIC = "topics/mri-and-low-back-pain"
CHECKS = ("do-i-need-an-mri-now", "before-your-mri")
UNANSWERED = len(ANSWERS)  # a fourth state in the encodings below
STATES = len(ANSWERS) + 1

pytestmark = pytest.mark.browser

# Runs every combination in the page, with the page's own evaluator, and returns one character
# per combination: the outcome's index, or "-" while any question is unanswered.
JS_ALL_COMBINATIONS = """
(rules) => {
  const n = rules.questions.length, states = rules.answers.length + 1;
  const total = states ** n;
  const index = {};
  rules.outcomes.forEach((o, i) => { index[o.id] = String(i); });
  const out = new Array(total);
  for (let c = 0; c < total; c++) {
    const answers = {};
    let rest = c;
    for (let q = 0; q < n; q++) {
      const state = rest % states;
      rest = Math.floor(rest / states);
      if (state < rules.answers.length) answers[rules.questions[q].id] = rules.answers[state];
    }
    const result = window.selfCheck.evaluate(rules, answers);
    out[c] = result === null ? "-" : index[result];
  }
  return out.join("");
}
"""


def python_all_combinations(rules: dict) -> str:
    """The same encoding as JS_ALL_COMBINATIONS, from generator.rules.RuleSet."""
    rule_set = RuleSet(rules["id"], tuple(q["id"] for q in rules["questions"]),
                       tuple((o["id"], o["when"]) for o in rules["outcomes"]))
    index = {o["id"]: str(i) for i, o in enumerate(rules["outcomes"])}
    out = []
    n = len(rule_set.questions)
    for c in range(STATES ** n):
        answers, rest = {}, c
        for question in rule_set.questions:
            state, rest = rest % STATES, rest // STATES
            if state < UNANSWERED:
                answers[question] = ANSWERS[state]
        result = rule_set.evaluate(answers)
        out.append("-" if result is None else index[result])
    return "".join(out)


def open_check(page, site_url, check):
    page.goto(f"{site_url}{TOPIC}/{check}/")
    page.wait_for_selector("[data-self-check-form]:not([hidden])")
    return json.loads(page.locator("script[data-self-check-rules]").text_content())


@pytest.mark.parametrize("check", CHECKS)
def test_js_and_python_agree_on_every_answer_combination(page, site_url, check):
    rules = open_check(page, site_url, check)
    from_js = page.evaluate(JS_ALL_COMBINATIONS, rules)
    from_python = python_all_combinations(rules)
    assert len(from_js) == STATES ** len(rules["questions"])
    assert from_js == from_python
    # Every outcome is shown for some answers, and incomplete answers never get one.
    assert set(from_js) == {"-", *map(str, range(len(rules["outcomes"])))}


def test_every_real_self_check_agrees_with_python_on_every_answer_combination(
        page, real_site, real_site_url):
    """The sync proof on the real content, whatever topics it holds: each self-check page the
    build made, found from the built folder."""
    from tests.accessibility import self_check_paths

    paths = self_check_paths(real_site["dir"])
    assert paths
    for path in paths:
        page.goto(real_site_url + path)
        page.wait_for_selector("[data-self-check-form]:not([hidden])")
        rules = json.loads(page.locator("script[data-self-check-rules]").text_content())
        assert page.evaluate(JS_ALL_COMBINATIONS, rules) == python_all_combinations(rules), path


def test_the_page_evaluator_refuses_an_unknown_operator(page, site_url):
    """Python's checker refuses it with a located error (see the golden error cases); the
    page's evaluator throws rather than guess."""
    open_check(page, site_url, CHECKS[0])
    thrown = page.evaluate("""() => {
        try { window.selfCheck.holds({op: "xor", of: []}, {}); return null; }
        catch (error) { return String(error.message); }
    }""")
    assert thrown == "unknown operator xor"


def random_condition(rng: random.Random, questions: list[str], depth: int) -> dict:
    if depth == 0 or rng.random() < 0.3:
        return {"op": "is", "question": rng.choice(questions), "answer": rng.choice(ANSWERS)}
    op = rng.choice(["any", "all", "none", "not"])
    if op == "not":
        return {"op": "not", "of": random_condition(rng, questions, depth - 1)}
    return {"op": op, "of": [random_condition(rng, questions, depth - 1)
                             for _ in range(rng.randint(0, 3))]}


def test_js_and_python_agree_on_random_rule_sets(page, site_url):
    open_check(page, site_url, CHECKS[1])
    rng = random.Random(20261123)
    for number in range(150):
        questions = [f"q{i}" for i in range(rng.randint(1, 5))]
        outcomes = [{"id": f"o{i}", "when": random_condition(rng, questions, 3)}
                    for i in range(rng.randint(0, 4))]
        outcomes.append({"id": "otherwise", "when": {"op": "always"}})
        rules = {"id": f"random-{number}", "answers": list(ANSWERS),
                 "questions": [{"id": q, "text": q} for q in questions], "outcomes": outcomes}
        assert page.evaluate(JS_ALL_COMBINATIONS, rules) == python_all_combinations(rules), rules


def answer(page, rules, combination):
    for question, value in zip(rules["questions"], combination, strict=True):
        page.locator(f"label[for='{question['id']}--{value}']").click()


@pytest.mark.parametrize("check", CHECKS)
def test_answering_shows_the_outcome_python_predicts(page, site_url, library, check):
    [topic] = library.topics
    rule_set = library.rule_sets[topic.id][check]
    rules = open_check(page, site_url, check)
    examples = {}
    for combination in itertools.product(ANSWERS, repeat=len(rule_set.questions)):
        outcome = rule_set.evaluate(dict(zip(rule_set.questions, combination, strict=True)))
        examples.setdefault(outcome, combination)
    assert len(examples) == len(rules["outcomes"])
    region = page.locator("[data-self-check-result]")
    assert region.get_attribute("role") == "status"
    for outcome, combination in examples.items():
        page.locator("[data-self-check-form] button[type=reset]").click()
        answer(page, rules, combination)
        page.locator("[data-self-check-form] button[type=submit]").click()
        card = region.locator(".care-card")
        assert card.get_attribute("data-outcome") == outcome
        expected = next(o for o in rules["outcomes"] if o["id"] == outcome)
        assert expected["heading"] in card.locator("h2").text_content()
        assert page.evaluate("document.activeElement.id") == "result-heading"
        assert page.locator("[data-self-check-errors]").is_hidden()


def test_an_incomplete_answer_shows_an_error_summary(page, site_url):
    rules = open_check(page, site_url, CHECKS[0])
    answer(page, {"questions": rules["questions"][:3]}, ["no", "yes", "no"])
    page.locator("[data-self-check-form] button[type=submit]").click()
    summary = page.locator("[data-self-check-errors]")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.getAttribute('data-self-check-errors')") \
        is not None
    links = summary.locator("a")
    assert links.count() == len(rules["questions"]) - 3
    assert page.locator("[data-self-check-result]").text_content() == ""
    links.first.click()
    assert page.evaluate("document.activeElement.name") == rules["questions"][3]["id"]


def test_answers_never_leave_the_page(page, site_url):
    rules = open_check(page, site_url, CHECKS[0])
    url = page.url
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    answer(page, rules, ["not-sure"] + ["no"] * (len(rules["questions"]) - 1))
    page.locator("[data-self-check-form] button[type=submit]").click()
    assert page.locator("[data-self-check-result] .care-card").get_attribute(
        "data-outcome") == "check-with-a-doctor"
    assert requests == []
    assert page.url == url
    stored = page.evaluate("JSON.stringify([localStorage, sessionStorage, document.cookie])")
    for secret in ("not-sure", "check-with-a-doctor", rules["questions"][0]["id"]):
        assert secret not in stored


def test_without_javascript_every_sign_and_all_advice_are_on_the_page(browser, site_url, library):
    [topic] = library.topics
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{site_url}{TOPIC}/do-i-need-an-mri-now/")
        assert page.locator("[data-self-check-form]").is_hidden()
        visible = page.locator("[data-self-check-guide]").inner_text()
        for sign in topic.warning_signs.signs:
            assert sign.question in visible
        for outcome in topic.self_checks[0].outcomes:
            assert outcome.heading in visible
            for statement in outcome.advice:
                assert statement.text in visible
        page.goto(f"{site_url}{TOPIC}/")
        article = page.locator("article").inner_text()
        for sign in topic.warning_signs.signs:
            assert sign.text in article
    finally:
        context.close()


def test_a_missing_page_gets_the_styled_404_under_the_sub_path(page, site_url):
    failed = []
    # A request cut short by the next navigation (net::ERR_ABORTED) is not a broken link.
    page.on("requestfailed", lambda request: "ERR_ABORTED" not in (request.failure or "")
            and failed.append(request.url))
    response = page.goto(f"{site_url}topics/no-such-topic/deep/")
    assert response.status == 404
    assert page.locator("h1").first.inner_text().strip() == "404 - Not found"
    assert page.evaluate("document.styleSheets.length") >= 2
    home = page.evaluate("document.querySelector('.md-header__button.md-logo').href")
    assert home.rstrip(".").rstrip("/") + "/" == site_url
    page.goto(home)
    assert page.locator("h1").first.inner_text().strip() == "Clear Health Guides"
    assert failed == []
