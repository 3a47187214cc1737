"""WCAG 2.2 AA in real headless Chromium: axe-core on every built page and every self-check
state, then what axe cannot see (focus, target size, reflow, text spacing, status messages)."""

import pytest

from tests.accessibility import (
    FOCUS_STOP,
    HEIGHT,
    SCHEMES,
    SUBMIT,
    TEXT_SPACING,
    WIDTHS,
    axe_violations,
    example_answers,
    focus_problems,
    layout_problems,
    new_context,
    page_paths,
    rules_on,
    self_check_paths,
    walk_with_tab,
)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_nothing_on_any_page_or_self_check_state(browser, real_site, real_site_url,
                                                           width, scheme):
    context = new_context(browser, width, scheme)
    page = context.new_page()
    checks = set(self_check_paths(real_site["dir"]))
    found, scanned = [], 0
    try:
        for path in page_paths(real_site["dir"]):
            page.goto(real_site_url + path)
            found += axe_violations(page, f"{path or '/'} {width}px {scheme}")
            scanned += 1
            if path not in checks:
                continue
            # The other states change only the self-check, so only it is scanned again.
            page.wait_for_selector("[data-self-check-form]:not([hidden])")
            page.evaluate(SUBMIT, {})
            assert page.locator("[data-self-check-errors]").is_visible()
            found += axe_violations(page, f"{path} incomplete", "[data-module=self-check]")
            scanned += 1
            for outcome, answers in example_answers(rules_on(page)).items():
                page.evaluate(SUBMIT, answers)
                assert page.locator(f"[data-outcome='{outcome}']").is_visible()
                found += axe_violations(page, f"{path} {outcome}", "[data-module=self-check]")
                scanned += 1
    finally:
        context.close()
    assert scanned > len(checks) * 4
    assert found == [], "\n".join(found)


@pytest.mark.parametrize(("width", "scheme"), [(320, "light"), (1280, "light"), (1280, "dark")])
def test_every_tab_stop_is_visible_unobscured_and_ringed(browser, real_site, real_site_url,
                                                        width, scheme):
    """2.4.7 and 2.4.11 on every page, and a ring of 3:1 (2.4.13's measure). 320 px has the closed
    drawer; 768 px lays out the same (drawer, no contents column), so it is not walked again.
    Dark changes only colours: it is walked at 1280 px, where the most stops are."""
    context = browser.new_context(viewport={"width": width, "height": HEIGHT},
                                  color_scheme=scheme)
    page = context.new_page()
    problems = []
    try:
        for path in page_paths(real_site["dir"]):
            page.goto(real_site_url + path)
            walked = walk_with_tab(page)
            assert walked, f"{path}: Tab reaches nothing"
            problems += focus_problems(walked, f"{path or '/'} {width}px {scheme}")
    finally:
        context.close()
    assert problems == [], "\n".join(problems)


def test_text_spacing_and_320px_lose_nothing(browser, real_site, real_site_url):
    """1.4.10 reflow and 1.4.12 text spacing on every page, and on a self-check result."""
    context = browser.new_context(viewport={"width": 320, "height": HEIGHT}, bypass_csp=True)
    page = context.new_page()
    problems = []
    try:
        for path in page_paths(real_site["dir"]):
            page.goto(real_site_url + path)
            problems += layout_problems(page, f"{path or '/'} 320px")
            if path in self_check_paths(real_site["dir"]):
                answers = next(iter(example_answers(rules_on(page)).values()))
                page.evaluate(SUBMIT, answers)
                problems += layout_problems(page, f"{path} result 320px")
            page.add_style_tag(content=TEXT_SPACING)
            problems += layout_problems(page, f"{path or '/'} 320px with text spacing")
    finally:
        context.close()
    assert problems == [], "\n".join(problems)


def test_self_check_controls_are_at_least_44_px(browser, real_site, real_site_url):
    context = browser.new_context(viewport={"width": 320, "height": HEIGHT})
    page = context.new_page()
    small = []
    try:
        for path in self_check_paths(real_site["dir"]):
            page.goto(real_site_url + path)
            page.wait_for_selector("[data-self-check-form]:not([hidden])")
            controls = page.locator("[data-self-check-form] :is(input, label, button)")
            assert controls.count() > 3
            for box, name in zip(controls.evaluate_all(
                    "(els) => els.map((e) => e.getBoundingClientRect().toJSON())"),
                    controls.evaluate_all("(els) => els.map((e) => e.outerHTML.slice(0, 60))"),
                    strict=True):
                if box["width"] < 44 or box["height"] < 44:
                    small.append(f"{path}: {box['width']}x{box['height']} {name}")
    finally:
        context.close()
    assert small == [], "\n".join(small)


def press_tab_until(page, selector: str, limit: int = 200) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def choose_with_keys(page, answer: str) -> None:
    """In a radio group whose first option has focus: Space picks it, each arrow the next one."""
    options = page.evaluate("""() => [...document.querySelectorAll(
        `input[name="${document.activeElement.name}"]`)].map((r) => r.value)""")
    steps = options.index(answer)
    if steps == 0:
        page.keyboard.press("Space")
    for _ in range(steps):
        page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.checked && document.activeElement.value") \
        == answer


@pytest.mark.parametrize("width", [320, 1280])
def test_self_check_works_with_the_keyboard_alone(browser, real_site, real_site_url, width):
    """Answer, get the error summary, follow its link, finish, hear the result: keys only.
    The result lands in the live region that was on the page, empty, before it was filled."""
    context = browser.new_context(viewport={"width": width, "height": HEIGHT})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        for path in self_check_paths(real_site["dir"]):
            page.goto(real_site_url + path)
            page.wait_for_selector("[data-self-check-form]:not([hidden])")
            rules = rules_on(page)
            questions = [q["id"] for q in rules["questions"]]
            before = page.evaluate("""() => {
                window.__region = document.querySelector("[data-self-check-result]");
                return [__region.getAttribute("role"), __region.getAttribute("aria-live"),
                        __region.textContent.trim()];
            }""")
            assert before == ["status", "polite", ""]
            outcome, answers = list(example_answers(rules).items())[-1]

            press_tab_until(page, f"input[name='{questions[0]}']")
            choose_with_keys(page, answers[questions[0]])
            press_tab_until(page, "[data-self-check-form] button[type=submit]")
            page.keyboard.press("Enter")
            summary = page.locator("[data-self-check-errors]")
            assert page.evaluate("document.activeElement.hasAttribute('data-self-check-errors')")
            assert summary.locator("a").count() == len(questions) - 1
            page.keyboard.press("Tab")
            page.keyboard.press("Enter")
            assert page.evaluate("document.activeElement.name") == questions[1]

            for question in questions[1:]:
                if page.evaluate("document.activeElement.name") != question:
                    press_tab_until(page, f"input[name='{question}']")
                choose_with_keys(page, answers[question])
            press_tab_until(page, "[data-self-check-form] button[type=submit]")
            page.keyboard.press("Enter")
            assert page.locator("[data-self-check-result] .care-card").get_attribute(
                "data-outcome") == outcome
            assert page.evaluate("document.activeElement.id") == "result-heading"
            assert page.evaluate("""() => window.__region ===
                document.querySelector("[data-self-check-result]")""")
            assert summary.is_hidden()
    finally:
        context.close()
    assert errors == []


def assert_full_guidance(page, rules: dict, path: str) -> None:
    """Every question and every outcome's advice is on show (found by id and structure, so
    wording and glossary notes may change)."""
    assert page.locator("[data-self-check-guide]").is_visible(), f"{path}: no guidance"
    assert page.locator("[data-self-check-form]").is_hidden()
    for question in rules["questions"]:
        item = page.locator(f"[data-self-check-guide] #question-{question['id']}")
        assert item.is_visible() and item.inner_text().strip(), f"{path}: {question['id']}"
    for outcome in rules["outcomes"]:
        heading = page.locator(f"[data-self-check-guide] #outcome-{outcome['id']}")
        assert heading.is_visible(), f"{path}: {outcome['id']}"
        advice = heading.locator("xpath=ancestor::*[contains(@class, 'care-card')][1]//li")
        assert advice.count() == len(outcome["advice"]), f"{path}: {outcome['id']}"
        assert all(item.is_visible() for item in advice.all()), f"{path}: {outcome['id']}"


def test_with_javascript_off_or_failing_every_page_still_guides(browser, real_site, real_site_url):
    off = browser.new_context(java_script_enabled=False)
    failing = browser.new_context()
    failing.route("**/*.js", lambda route: route.abort())
    try:
        for context in (off, failing):
            page = context.new_page()
            for path in page_paths(real_site["dir"]):
                page.goto(real_site_url + path)
                headings = page.locator("article :is(h1, h2):not([data-self-check-form] *)")
                assert headings.count() >= 1, path
                for heading in headings.all():
                    assert heading.is_visible(), f"{path}: {heading.inner_text()}"
                if path in self_check_paths(real_site["dir"]):
                    assert_full_guidance(page, rules_on(page), path)
    finally:
        off.close()
        failing.close()


def test_on_a_phone_the_menu_and_search_open_from_the_keyboard(browser, real_site_url):
    context = browser.new_context(viewport={"width": 320, "height": HEIGHT})
    page = context.new_page()
    try:
        page.goto(real_site_url)
        menu = "button[data-opens='__drawer']"
        assert page.locator(menu).get_attribute("aria-expanded") == "false"
        press_tab_until(page, menu)
        page.keyboard.press("Enter")
        assert page.locator(menu).get_attribute("aria-expanded") == "true"
        press_tab_until(page, ".md-sidebar--primary a.md-nav__link")
        assert focus_problems([page.evaluate(FOCUS_STOP)], "first link in the open menu") == []
        page.goto(real_site_url)
        press_tab_until(page, "button[data-opens='__search']")
        page.keyboard.press(" ")
        page.wait_for_function("document.activeElement.matches('input.md-search__input')")
        assert page.locator("input.md-search__input").is_visible()
    finally:
        context.close()
