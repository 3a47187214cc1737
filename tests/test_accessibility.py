"""WCAG 2.2 AA in real headless Chromium: axe-core on every built page and every self-check
state, then what axe cannot see (focus, target size, reflow, text spacing, status messages)."""

import pytest

from tests.accessibility import (
    FILL,
    FOCUS_STOP,
    HEIGHT,
    SCHEMES,
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


def self_check_states(page, path: str):
    """Every state a self-check page can be in, one after another: nothing answered, each
    outcome (every question type answered), a result removed by a change, and a number the
    question cannot take. Yields the name of each state once the page is in it."""
    page.wait_for_selector("[data-self-check-form]:not([hidden])")
    yield f"{path} nothing answered"
    found = example_answers(rules_on(page))
    for outcome, answers in found.items():
        page.evaluate(FILL, answers)
        assert page.locator(f"[data-outcome='{outcome}']").is_visible()
        yield f"{path} {outcome}"
    page.evaluate(FILL, {})
    assert page.locator("[data-self-check-cleared]").is_visible()
    yield f"{path} result removed"
    number = page.locator("[data-self-check-form] input[inputmode=decimal]:visible")
    if number.count():
        number.first.fill("a lot")
        number.first.dispatch_event("change")
        assert page.locator("[data-self-check-form] [data-error]:visible").count() == 1
        yield f"{path} number it cannot take"


def scan(browser, site, url, width, scheme, *, only_self_checks=False) -> tuple[list, int]:
    context = new_context(browser, width, scheme)
    page = context.new_page()
    checks = set(self_check_paths(site["dir"]))
    found, scanned = [], 0
    try:
        for path in page_paths(site["dir"]):
            if only_self_checks and path not in checks:
                continue
            page.goto(url + path)
            found += axe_violations(page, f"{path or '/'} {width}px {scheme}")
            scanned += 1
            if path not in checks:
                continue
            # The other states change only the self-check, so only it is scanned again.
            for state in self_check_states(page, path):
                found += axe_violations(page, f"{state} {width}px {scheme}",
                                        "[data-module=self-check]")
                scanned += 1
    finally:
        context.close()
    return found, scanned


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_nothing_on_any_page_or_self_check_state(browser, real_site, real_site_url,
                                                           width, scheme):
    found, scanned = scan(browser, real_site, real_site_url, width, scheme)
    assert scanned > len(self_check_paths(real_site["dir"])) * 4
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_nothing_in_any_state_of_any_question_type(browser, checks_site,
                                                             checks_site_url, width, scheme):
    found, scanned = scan(browser, checks_site, checks_site_url, width, scheme,
                          only_self_checks=True)
    assert scanned > len(self_check_paths(checks_site["dir"])) * 4
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
                for answers in example_answers(rules_on(page)).values():
                    page.evaluate(FILL, answers)
                    problems += layout_problems(page, f"{path} result 320px")
            page.add_style_tag(content=TEXT_SPACING)
            problems += layout_problems(page, f"{path or '/'} 320px with text spacing")
    finally:
        context.close()
    assert problems == [], "\n".join(problems)


def test_self_check_controls_are_at_least_44_px(browser, real_site, real_site_url):
    controls_are_at_least_44_px(browser, real_site, real_site_url)


def test_controls_of_every_question_type_are_at_least_44_px(browser, checks_site,
                                                             checks_site_url):
    controls_are_at_least_44_px(browser, checks_site, checks_site_url)


def controls_are_at_least_44_px(browser, site, url) -> None:
    context = browser.new_context(viewport={"width": 320, "height": HEIGHT})
    page = context.new_page()
    small, measured = [], 0
    try:
        for path in self_check_paths(site["dir"]):
            page.goto(url + path)
            page.wait_for_selector("[data-self-check-form]:not([hidden])")
            for answers in example_answers(rules_on(page)).values():
                page.evaluate(FILL, answers)
                controls = page.locator("[data-self-check-form] :is(input, .question__label, "
                                        "button):visible"
                                        ", [data-self-check-results] .care-route a:visible")
                measured += controls.count()
                for box, name in zip(controls.evaluate_all(
                        "(els) => els.map((e) => e.getBoundingClientRect().toJSON())"),
                        controls.evaluate_all("(els) => els.map((e) => e.outerHTML.slice(0, 60))"),
                        strict=True):
                    # Links to call or visit need 24 px (2.5.8); form controls get 44. Citation
                    # links are inline in sentences, which 2.5.8 exempts.
                    least = 24 if name.startswith("<a") else 44
                    if box["height"] < least or (not name.startswith("<a")
                                                 and box["width"] < least):
                        small.append(f"{path}: {box['width']}x{box['height']} {name}")
    finally:
        context.close()
    assert measured > 3
    assert small == [], "\n".join(sorted(set(small)))


def press_tab_until(page, selector: str, limit: int = 200) -> None:
    """Press Tab until focus is on an element matching `selector` (at once if it is)."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def choose_with_keys(page, answer: object) -> None:
    """Answer the question whose first control has focus, with keys only: Space and arrows in
    a radio group; Tab and Space through check boxes; typing into a number box."""
    kind = page.evaluate("document.activeElement.type")
    if kind == "text":
        page.keyboard.type(str(answer))
        page.keyboard.press("Tab")  # leaving the box is when a number is read for good
        return
    options = page.evaluate("""() => [...document.querySelectorAll(
        `input[name="${document.activeElement.name}"]`)].map((r) => r.value)""")
    if kind == "radio":
        steps = options.index(answer)
        if steps == 0:
            page.keyboard.press("Space")
        for _ in range(steps):
            page.keyboard.press("ArrowRight")
        assert page.evaluate("document.activeElement.checked && document.activeElement.value") \
            == answer
        return
    wanted = set(answer) or {""}  # the "none of these" box has the empty value
    for index, value in enumerate(options):
        if index:
            page.keyboard.press("Tab")
        if value in wanted:
            page.keyboard.press("Space")
    checked = page.evaluate("""() => [...document.querySelectorAll(
        `input[name="${document.activeElement.name}"]:checked`)].map((r) => r.value)""")
    assert set(checked) == wanted


@pytest.mark.parametrize("width", [320, 1280])
def test_self_check_works_with_the_keyboard_alone(browser, real_site, real_site_url, width):
    kinds = works_with_the_keyboard_alone(browser, real_site, real_site_url, width)
    assert "radio" in kinds


def test_every_question_type_works_with_the_keyboard_alone(browser, checks_site,
                                                           checks_site_url):
    kinds = works_with_the_keyboard_alone(browser, checks_site, checks_site_url, 320)
    assert kinds >= {"radio", "checkbox", "text"}


def works_with_the_keyboard_alone(browser, site, url, width) -> set[str]:
    """Answer every question type with keys alone, one question at a time, and hear the result
    in the live region that was on the page, empty, before it was filled. Focus stays with
    the reader: it is never moved to the result. Returns the kinds of control answered."""
    context = browser.new_context(viewport={"width": width, "height": HEIGHT})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    kinds = set()
    try:
        for path in self_check_paths(site["dir"]):
            for outcome, answers in example_answers(rules_on_path(page, url + path)).items():
                page.goto(url + path)
                page.wait_for_selector("[data-self-check-form]:not([hidden])")
                status = page.evaluate("""() => {
                    window.__status = document.querySelector("[data-self-check-status]");
                    return [__status.getAttribute("role"), __status.getAttribute("aria-live"),
                            __status.textContent.trim()];
                }""")
                assert status == ["status", "polite", ""]
                for question, answer in answers.items():
                    if page.locator(f"[data-question='{question}']").is_hidden():
                        break  # the answers so far settle the result; the rest are not asked
                    press_tab_until(page, f"[data-question='{question}'] input")
                    kinds.add(page.evaluate("document.activeElement.type"))
                    choose_with_keys(page, answer)
                card = page.locator(f"[data-self-check-results] [data-outcome='{outcome}']")
                assert card.is_visible(), f"{path}: {outcome} after {answers}"
                page.wait_for_function("""(heading) => window.__status === document.querySelector(
                    "[data-self-check-status]") && __status.textContent.includes(heading)""",
                                       arg=" ".join(card.locator("h3").text_content().split()))
    finally:
        context.close()
    assert errors == []
    return kinds


def rules_on_path(page, url: str) -> dict:
    page.goto(url)
    return rules_on(page)


def assert_full_guidance(page, rules: dict, path: str) -> None:
    """Every question and every outcome with its route and advice is on show (found by id
    and structure, so wording and glossary notes may change)."""
    assert page.locator("[data-self-check-guide]").is_visible(), f"{path}: no guidance"
    assert page.locator("[data-self-check-form]").is_hidden()
    for question in rules["questions"]:
        item = page.locator(f"[data-self-check-guide] #question-{question['id']}")
        assert item.is_visible() and item.inner_text().strip(), f"{path}: {question['id']}"
    routed = 0
    for outcome in rules["outcomes"]:
        card = page.locator(f"[data-outcome='{outcome['id']}']")
        assert card.is_visible(), f"{path}: {outcome['id']}"
        # A result at the site's last level may leave its route out (`show_route: "no"`);
        # `check` refuses that anywhere else, so a card either has the whole route or none.
        has_route = card.locator(".care-route").count() > 0
        routed += has_route
        parts = [".care-level", "[data-when]", ".care-card__advice li"]
        for part in parts + ([".care-route__do", ".care-route__soon"] if has_route else []):
            assert card.locator(part).first.is_visible(), f"{path}: {outcome['id']} {part}"
    assert routed, f"{path}: no result says where to get care"


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
