"""WCAG 2.2 AA in real headless Chromium: axe-core on every built page and every self-check
state, then what axe cannot see (focus, target size, reflow, text spacing, status messages)."""

import pytest

from tests.accessibility import (
    SCHEMES,
    SUBMIT,
    WIDTHS,
    axe_violations,
    example_answers,
    new_context,
    page_paths,
    rules_on,
    self_check_paths,
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
