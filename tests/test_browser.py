"""The self-check in real headless Chromium: same results as Python, current, safe without JS."""

import json
import random

import pytest

from generator.rules import ANSWERS, Always, AnyOf, Ask, Is, Rule, RuleSet
from tests.accessibility import FILL, examples, self_check_paths
from tests.rule_sets import random_rule_set, table

TOPIC = "topics/mri-and-low-back-pain"
CHECKS = ("do-i-need-an-mri-now", "before-your-mri")
# A partial answer space this large is compared in full; the browser's loop takes about a
# second per million answer vectors. A larger one (a check may ask 12 questions of everyone:
# 4^12 vectors) is compared on SAMPLE vectors spread over it, always with its first and last.
FULL_TABLE_LIMIT = 1 << 21
SAMPLE = 200_000

# The page's own evaluator, `selfCheck.result`, on answer vectors numbered as in
# generator/rules.py's AnswerSpace(partial=True): one string per outcome, "1" where shown.
JS_TABLE = """([rules, numbers]) => {
  const sizes = rules.questions.map((q) =>
    (q.type === "several-choices" ? 1 << q.values.length : q.values.length) + 1);
  const total = sizes.reduce((a, b) => a * b, 1);
  const rows = {};
  rules.outcomes.forEach((o) => { rows[o.id] = []; });
  const count = numbers ? numbers.length : total;
  for (let i = 0; i < count; i++) {
    let rest = numbers ? numbers[i] : i;
    const given = {};
    for (let k = rules.questions.length - 1; k >= 0; k--) {
      const q = rules.questions[k], index = rest % sizes[k];
      rest = (rest - index) / sizes[k];
      if (index === sizes[k] - 1) continue;
      given[q.id] = q.type !== "several-choices" ? q.values[index]
        : q.values.filter((v, bit) => index >> bit & 1);
    }
    const shown = window.selfCheck.result(rules, given) || [];
    rules.outcomes.forEach((o) => rows[o.id].push(shown.includes(o.id) ? 1 : 0));
  }
  for (const id in rows) rows[id] = rows[id].join("");
  return rows;
}"""

pytestmark = pytest.mark.browser


def open_check(page, site_url, path):
    page.goto(f"{site_url}{path}")
    page.wait_for_selector("[data-self-check-form]:not([hidden])")
    return json.loads(page.locator("script[data-self-check-rules]").text_content())


def js_table(page, rules: dict, numbers: list[int] | None = None) -> dict[str, str]:
    return page.evaluate(JS_TABLE, [rules, numbers])


def partial_size(rules: dict) -> int:
    size = 1
    for question in rules["questions"]:
        values = len(question["values"])
        size *= (1 << values if question["type"] == "several-choices" else values) + 1
    return size


@pytest.mark.parametrize("check", CHECKS)
def test_js_and_python_agree_on_every_partial_and_complete_answer_set(page, site_url, library,
                                                                      check):
    rules = open_check(page, site_url, f"{TOPIC}/{check}/")
    rule_set = RuleSet.from_json(rules)
    topic = library_topic(library)
    assert rule_set == library.rule_sets[topic.id][check]  # the page carries the checked rules
    from_js = js_table(page, rules)
    assert from_js == table(rule_set)
    assert all("1" in row for row in from_js.values())


def library_topic(library):
    """The topic these tests open (TOPIC), found by its id: other topics may sit beside it."""
    return next(topic for topic in library.topics if topic.id == TOPIC.rsplit("/", 1)[1])


def every_check_agrees(page, site, url) -> int:
    """Each self-check page the build made, found from the built folder; returns how many
    answer vectors were compared."""
    paths = self_check_paths(site["dir"])
    assert paths
    compared = 0
    for path in paths:
        rules = open_check(page, url, path)
        expected = table(RuleSet.from_json(rules))
        size = partial_size(rules)
        if size <= FULL_TABLE_LIMIT:
            assert js_table(page, rules) == expected, path
            compared += size
            continue
        rng = random.Random(path)
        numbers = sorted({0, size - 1, *(rng.randrange(size) for _ in range(SAMPLE))})
        sampled = {outcome: "".join(row[n] for n in numbers)
                   for outcome, row in expected.items()}
        assert js_table(page, rules, numbers) == sampled, path
        compared += len(numbers)
    return compared


def test_a_check_too_large_to_compare_in_full_is_compared_on_a_sample(page, site_url):
    """Twelve yes/no/not-sure questions asked of everyone (the most the build allows) make
    4^12 partial answer vectors: the sample path must hold too."""
    open_check(page, site_url, f"{TOPIC}/{CHECKS[1]}/")
    asks = tuple(Ask(f"q{i}", "yes-no", ANSWERS) for i in range(12))
    rule_set = RuleSet("big", "first", 1, asks, (
        Rule("any-yes", 0, AnyOf(tuple(Is(a.id, "yes") for a in asks))),
        Rule("any-unsure", 1, AnyOf(tuple(Is(a.id, "not-sure") for a in asks))),
        Rule("otherwise", 3, Always())))
    rules = rule_set.to_json()
    size = partial_size(rules)
    assert size == 4 ** 12 > FULL_TABLE_LIMIT
    expected = table(rule_set)
    numbers = sorted(random.Random(1).sample(range(size), 20_000))
    assert js_table(page, rules, numbers) == {
        outcome: "".join(row[n] for n in numbers) for outcome, row in expected.items()}


def test_every_real_self_check_agrees_with_python(page, real_site, real_site_url):
    assert every_check_agrees(page, real_site, real_site_url) > 0


def test_every_fixture_self_check_of_every_question_type_agrees(page, checks_site,
                                                               checks_site_url):
    assert every_check_agrees(page, checks_site, checks_site_url) > 0


def test_js_and_python_agree_on_random_rule_sets_of_every_question_type(page, site_url):
    open_check(page, site_url, f"{TOPIC}/{CHECKS[1]}/")
    rng = random.Random(20261130)
    types = set()
    for number in range(150):
        rule_set = random_rule_set(rng, number)
        types |= {(ask.type, ask.asked_if is not None) for ask in rule_set.questions}
        assert js_table(page, rule_set.to_json()) == table(rule_set), rule_set.to_json()
    assert len(types) == 8  # every type, asked of everyone and as a follow-up


def test_numbers_fall_in_the_same_band_in_js_and_python(page, site_url):
    open_check(page, site_url, f"{TOPIC}/{CHECKS[1]}/")
    rng = random.Random(7)
    for number in range(50):
        rule_set = random_rule_set(rng, number)
        for ask in rule_set.questions:
            if ask.type != "number":
                continue
            values = [rng.uniform(-20, 140) for _ in range(20)] + [0, 10, 20, 100, 100.5]
            from_js = page.evaluate("([q, xs]) => xs.map((x) => window.selfCheck.bandOf(q, x))",
                                    [ask.to_json(), values])
            assert from_js == [ask.band_of(value) for value in values]


def test_the_page_evaluator_refuses_an_unknown_operator(page, site_url):
    """Python's checker refuses it with a located error (see the golden error cases); the
    page's evaluator throws rather than guess."""
    open_check(page, site_url, f"{TOPIC}/{CHECKS[0]}/")
    thrown = page.evaluate("""() => {
        const answers = new window.selfCheck.Answers({questions: []}, {});
        try { window.selfCheck.value({op: "xor", of: []}, answers); return null; }
        catch (error) { return String(error.message); }
    }""")
    assert thrown == "unknown operator xor"


def visible_outcomes(page) -> list[str]:
    return page.locator("[data-self-check-results] [data-outcome]:visible").evaluate_all(
        "(cards) => cards.map((card) => card.dataset.outcome)")


def visible_questions(page) -> list[str]:
    return page.locator("[data-self-check-form] [data-question]:visible").evaluate_all(
        "(fields) => fields.map((field) => field.dataset.question)")


def test_a_yes_to_a_warning_sign_shows_its_route_at_once(page, site_url):
    rules = open_check(page, site_url, f"{TOPIC}/{CHECKS[0]}/")
    first = rules["questions"][0]["id"]
    assert visible_questions(page) == [first]
    assert page.locator("[data-self-check-results]").is_hidden()
    page.locator(f"label[for='{first}--yes']").click()
    assert visible_outcomes(page) == ["talk-to-a-doctor-now"]
    card = page.locator("[data-outcome='talk-to-a-doctor-now']")
    route = card.locator(".care-route")
    assert route.is_visible()
    # The route comes first, the site's emergency line is inside the result, and the level is
    # named in words beside its icon.
    assert card.locator(".care-level").text_content().strip() == "Urgent:"
    assert card.locator(".care-level svg").count() == 1
    assert card.locator(".care-route__emergency").is_visible()
    assert card.locator("a[href='tel:111']").inner_text() == "call 111"
    assert card.locator(".care-route").evaluate(
        "(route) => route.compareDocumentPosition(route.parentElement.querySelector("
        "'.care-card__advice')) & Node.DOCUMENT_POSITION_FOLLOWING") != 0
    # The other questions no longer matter, so they are not asked.
    assert visible_questions(page) == [first]
    # Why: the one answer that led here.
    why = card.locator("[data-why-list] li")
    assert why.count() == 1 and why.inner_text().endswith("Yes")
    # Focus stays where the reader is; the change is announced.
    assert page.evaluate("document.activeElement.id") == f"{first}--yes"
    status = page.locator("[data-self-check-status]")
    assert status.get_attribute("role") == "status"
    page.wait_for_function("() => document.querySelector('[data-self-check-status]')"
                           ".textContent.includes('Talk to a doctor')")


def test_changing_an_answer_never_leaves_a_stale_result(page, site_url, library):
    rules = open_check(page, site_url, f"{TOPIC}/{CHECKS[0]}/")
    ids = [q["id"] for q in rules["questions"]]
    page.evaluate(FILL, dict.fromkeys(ids, "no"))
    assert visible_outcomes(page) == ["an-mri-will-not-help-now"]
    # More answers than a list should hold, all the same, are said in one line.
    why = page.locator("[data-outcome='an-mri-will-not-help-now'] [data-why-list] li")
    assert len(ids) > 7 and why.all_inner_texts() == [f"\u201cNo\u201d to all {len(ids)} questions"]
    page.locator(f"label[for='{ids[0]}--yes']").click()
    assert visible_outcomes(page) == ["talk-to-a-doctor-now"]
    page.locator(f"label[for='{ids[0]}--not-sure']").click()
    assert visible_outcomes(page) == ["check-with-a-doctor"]
    # A result that no longer holds is removed, and the page says why.
    page.evaluate(FILL, {ids[0]: "yes"})
    assert visible_outcomes(page) == ["talk-to-a-doctor-now"]
    page.locator(f"label[for='{ids[0]}--no']").click()
    assert visible_outcomes(page) == []
    assert page.locator("[data-self-check-results]").is_hidden()
    assert page.locator("[data-self-check-cleared]").is_visible()
    assert visible_questions(page) == ids[:2]
    page.wait_for_function("() => document.querySelector('[data-self-check-status]')"
                           ".textContent.includes('You changed an answer')")
    page.locator("[data-self-check-form] button[type=reset]").click()
    page.wait_for_function("() => !document.querySelector('[data-self-check-cleared]')"
                           ".checkVisibility()")
    assert visible_questions(page) == ids[:1]


def test_advice_that_adds_up_is_all_shown_most_urgent_first(page, site_url):
    open_check(page, site_url, f"{TOPIC}/{CHECKS[1]}/")
    page.evaluate(FILL, {"contrast-dye": "no", "pacemaker-or-implant": "yes",
                         "metal-in-body": "not-sure", "pregnancy": "yes"})
    assert visible_outcomes(page) == ["talk-to-your-doctor-first", "tell-them-about-an-implant",
                                      "tell-them-about-metal"]
    # The three share one level, so its route is shown once, on the first card; each card
    # names only the answer that led to it.
    routes = page.locator("[data-self-check-results] [data-outcome]:visible .care-route")
    assert [route.is_visible() for route in routes.all()] == [True, False, False]
    why = page.locator("[data-outcome='tell-them-about-metal'] [data-why-list] li")
    assert why.count() == 1 and why.inner_text().endswith("Not sure")
    # Several results are listed first, in the same order, each a link to its card.
    summary = page.locator("[data-self-check-summary]")
    assert summary.is_visible()
    links = summary.locator("a")
    assert [link.get_attribute("href") for link in links.all()] == [
        "#outcome-talk-to-your-doctor-first", "#outcome-tell-them-about-an-implant",
        "#outcome-tell-them-about-metal"]
    heading = page.locator("[data-outcome='talk-to-your-doctor-first'] h3").inner_text()
    assert links.first.inner_text() == "Talk to your doctor before the scan"
    assert heading.strip().endswith(links.first.inner_text())
    page.evaluate(FILL, dict.fromkeys(["contrast-dye", "pacemaker-or-implant", "metal-in-body",
                                       "pregnancy"], "no"))
    assert visible_outcomes(page) == ["no-known-risks"]
    assert summary.is_hidden()  # one result needs no list
    why = page.locator("[data-outcome='no-known-risks'] [data-why-list] li")
    assert why.count() == 4 and all(text.endswith("No") for text in why.all_inner_texts())


def test_on_a_phone_a_result_below_the_screen_is_brought_into_view(page, site_url):
    page.set_viewport_size({"width": 390, "height": 500})
    rules = open_check(page, site_url, f"{TOPIC}/{CHECKS[0]}/")
    first = rules["questions"][0]["id"]
    heading = page.locator("[data-self-check-results] h2")
    page.locator(f"label[for='{first}--yes']").click()
    page.wait_for_function("() => { const h = document.querySelector("
                           "'[data-self-check-results] h2').getBoundingClientRect();"
                           " return h.top >= 0 && h.top < innerHeight / 2; }")
    assert heading.is_visible()
    # Focus stays on the answer the reader gave.
    assert page.evaluate("document.activeElement.id") == f"{first}--yes"


@pytest.mark.parametrize("check", CHECKS)
def test_each_outcome_shows_for_the_answers_python_predicts(page, site_url, check):
    rules = open_check(page, site_url, f"{TOPIC}/{check}/")
    rule_set = RuleSet.from_json(rules)
    found = examples(rules)
    assert set(found) == {o["id"] for o in rules["outcomes"]}
    for outcome, (answers, form) in found.items():
        page.evaluate(FILL, form)
        assert outcome in visible_outcomes(page)
        assert visible_outcomes(page) == list(rule_set.result(answers))


def test_coming_back_to_the_page_shows_the_result_of_the_answers_still_chosen(page, site_url):
    rules = open_check(page, site_url, f"{TOPIC}/{CHECKS[0]}/")
    first = rules["questions"][0]["id"]
    page.locator(f"label[for='{first}--yes']").click()
    page.get_by_role("link", name="Read the full guide").click()
    page.go_back()
    page.wait_for_selector("[data-self-check-form]:not([hidden])")
    checked = page.locator(f"#{first}--yes").is_checked()
    # Either the browser keeps the answer and the page shows its result, or neither is kept.
    assert visible_outcomes(page) == (["talk-to-a-doctor-now"] if checked else [])
    assert visible_questions(page) == [first]


def test_answers_never_leave_the_page(page, site_url):
    rules = open_check(page, site_url, f"{TOPIC}/{CHECKS[0]}/")
    url = page.url
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    for question in rules["questions"]:
        page.locator(f"label[for='{question['id']}--not-sure']").click()
    assert visible_outcomes(page) == ["check-with-a-doctor"]
    assert requests == []
    assert page.url == url
    stored = page.evaluate("JSON.stringify([localStorage, sessionStorage, document.cookie])")
    for secret in ("not-sure", "check-with-a-doctor", rules["questions"][0]["id"]):
        assert secret not in stored


def test_without_javascript_every_question_and_outcome_with_its_route_is_on_the_page(
        browser, site_url, library):
    topic = library_topic(library)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        for check in topic.self_checks:
            page.goto(f"{site_url}{TOPIC}/{check.id}/")
            assert page.locator("[data-self-check-form]").is_hidden()
            visible = page.locator("article").inner_text()
            for question in library.wordings[topic.id][check.id].questions.values():
                assert question in visible
            for outcome in check.outcomes:
                card = page.locator(f"[data-outcome='{outcome.id}']")
                assert card.is_visible()
                text = card.inner_text()
                assert outcome.heading in text
                level = library.site.level(outcome.level)
                assert level.name in text and " ".join(level.what_to_do.split()) in text
                for statement in outcome.advice:
                    assert " ".join(statement.text.split()) in text
        page.goto(f"{site_url}{TOPIC}/")
        article = page.locator("article").inner_text()
        for sign in topic.warning_signs.signs:
            assert sign.text in article
        assert library.site.level("urgent").how_soon in article
    finally:
        context.close()


@pytest.mark.parametrize("typed", ["70", "0x41", "1e2"])
def test_a_number_counts_once_the_reader_leaves_the_box(page, checks_site_url, typed):
    rules = open_check(page, checks_site_url, "topics/ibuprofen/is-ibuprofen-safe-for-me/")
    [number] = [q for q in rules["questions"] if q["type"] == "number"]
    earlier = rules["questions"][:rules["questions"].index(number)]
    page.evaluate(FILL, {q["id"]: "no" for q in earlier})
    box = page.locator(f"#{number['id']}--number")
    box.press_sequentially(typed)
    # Nothing is read while the reader types: not "7" on the way to "70".
    assert page.locator(f"[data-question='{number['id']}'] [data-error]").is_hidden()
    after = visible_questions(page)
    assert after[-1] == number["id"]
    box.blur()
    if typed == "70":
        assert visible_questions(page)[-1] != number["id"]  # the next question is asked
    else:  # not a plain number: said so, and nothing is read from it
        assert page.locator(f"[data-question='{number['id']}'] [data-error]").is_visible()
        assert visible_questions(page) == after


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
