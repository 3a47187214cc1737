"""WCAG 2.2 AA in real headless Chromium: axe-core on every built page and every self-check
state, then what axe cannot see (focus, target size, reflow, text spacing, status messages)."""

import pytest

from tests.accessibility import (
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
def test_axe_finds_nothing_on_any_page_or_self_check_state(browser, built_site, site_url,
                                                           width, scheme):
    context = new_context(browser, width, scheme)
    page = context.new_page()
    checks = set(self_check_paths(built_site["dir"]))
    found, scanned = [], 0
    try:
        for path in page_paths(built_site["dir"]):
            page.goto(site_url + path)
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
def test_every_tab_stop_is_visible_unobscured_and_ringed(browser, built_site, site_url,
                                                        width, scheme):
    """2.4.7 and 2.4.11 on every page, and a ring of 3:1 (2.4.13's measure). 320 px has the closed
    drawer; 768 px lays out the same (drawer, no contents column), so it is not walked again.
    Dark changes only colours: it is walked at 1280 px, where the most stops are."""
    context = browser.new_context(viewport={"width": width, "height": HEIGHT},
                                  color_scheme=scheme)
    page = context.new_page()
    problems, stops = [], 0
    try:
        for path in page_paths(built_site["dir"]):
            page.goto(site_url + path)
            walked = walk_with_tab(page)
            assert walked, f"{path}: Tab reaches nothing"
            stops += len(walked)
            problems += focus_problems(walked, f"{path or '/'} {width}px {scheme}")
    finally:
        context.close()
    assert problems == [], "\n".join(problems)


def test_text_spacing_and_320px_lose_nothing(browser, built_site, site_url):
    """1.4.10 reflow and 1.4.12 text spacing on every page, and on a self-check result."""
    context = browser.new_context(viewport={"width": 320, "height": HEIGHT}, bypass_csp=True)
    page = context.new_page()
    problems = []
    try:
        for path in page_paths(built_site["dir"]):
            page.goto(site_url + path)
            problems += layout_problems(page, f"{path or '/'} 320px")
            if path in self_check_paths(built_site["dir"]):
                answers = next(iter(example_answers(rules_on(page)).values()))
                page.evaluate(SUBMIT, answers)
                problems += layout_problems(page, f"{path} result 320px")
            page.add_style_tag(content=TEXT_SPACING)
            problems += layout_problems(page, f"{path or '/'} 320px with text spacing")
    finally:
        context.close()
    assert problems == [], "\n".join(problems)


def test_self_check_controls_are_at_least_44_px(browser, built_site, site_url):
    context = browser.new_context(viewport={"width": 320, "height": HEIGHT})
    page = context.new_page()
    small = []
    try:
        for path in self_check_paths(built_site["dir"]):
            page.goto(site_url + path)
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
