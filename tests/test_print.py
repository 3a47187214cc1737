"""Printing, as a reader's browser does it: Chromium prints each page to PDF and we read the PDF
back. No navigation, references with their addresses, and a self-check's answers and result."""

import io
import re

import pytest
from pypdf import PdfReader

from tests.accessibility import FILL, example_answers, page_paths, rules_on, self_check_paths

pytestmark = pytest.mark.browser

NAVIGATION = ".md-header, .md-tabs, .md-sidebar, .md-footer, .md-skip, .md-search"


def squeeze(text: str) -> str:
    """Text without whitespace: a PDF breaks lines (and long addresses) where it likes."""
    return re.sub(r"\s+", "", text)


def printed(page) -> str:
    reader = PdfReader(io.BytesIO(page.pdf(format="A4")))
    return squeeze("\n".join(sheet.extract_text() for sheet in reader.pages))


@pytest.fixture
def print_page(browser):
    context = browser.new_context()
    yield context.new_page()
    context.close()


def test_every_page_prints_without_navigation_and_with_reference_addresses(
        print_page, real_site, real_site_url):
    page = print_page
    printed_pages = 0
    for path in page_paths(real_site["dir"]):
        page.goto(real_site_url + path)
        page.emulate_media(media="print")
        for element in page.locator(NAVIGATION).all():
            assert element.is_hidden(), f"{path}: {element.evaluate('e => e.className')} prints"
        page.emulate_media(media="screen")
        addresses = page.locator(".references a[href^='http']").evaluate_all(
            "(links) => links.map((a) => a.href)")
        if not addresses:
            continue
        text = printed(page)
        printed_pages += 1
        assert squeeze(page.locator("article h1").first.inner_text()) in text, path
        assert squeeze("Skip to content") not in text, path
        for address in addresses:
            assert squeeze(address) in text, f"{path}: {address} is not printed"
    assert printed_pages >= 1


def test_a_self_check_prints_the_outcome_and_the_answers_that_led_to_it(print_page, real_site,
                                                                       real_site_url):
    page = print_page
    for path in self_check_paths(real_site["dir"]):
        page.goto(real_site_url + path)
        page.wait_for_selector("[data-self-check-form]:not([hidden])")
        rules = rules_on(page)
        # Each card's own heading, after its level's name and icon.
        headings = {o["id"]: squeeze(page.locator(f"[data-outcome='{o['id']}'] h3").evaluate(
            "(heading) => heading.lastChild.textContent")) for o in rules["outcomes"]}
        # Before any answer, the paper gets the full guidance, not an empty form.
        blank = printed(page)
        for heading in headings.values():
            assert heading in blank, path
        outcome_id, answers = list(example_answers(rules).items())[-1]
        page.evaluate(FILL, answers)
        text = printed(page)
        card = page.locator(f"[data-outcome='{outcome_id}']")
        assert headings[outcome_id] in text, path
        for advice in card.locator(".care-card__advice li").evaluate_all(
                "(items) => items.map((item) => item.firstChild.textContent)"):
            assert squeeze(advice) in text, path
        # A heading the result's own text repeats says nothing about what else printed.
        own = squeeze(card.text_content())
        others = [h for o, h in headings.items() if o != outcome_id and h not in own]
        assert not any(heading in text for heading in others), \
            f"{path}: the other outcomes print beside the result"
        why = card.locator("[data-why-list] li").all_text_contents()
        assert why, f"{path}: no answers shown with the result"
        for reason in why:
            assert squeeze(reason) in text, f"{path}: the answers given are not printed"
