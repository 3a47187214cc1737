"""Printing, as a reader's browser does it: Chromium prints each page to PDF and we read the PDF
back. No navigation, references with their addresses, and a self-check's answers and result."""

import io
import re

import pytest
from pypdf import PdfReader

from tests.accessibility import SUBMIT, example_answers, page_paths, rules_on, self_check_paths

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


def test_a_self_check_prints_the_answers_given_and_the_outcome(print_page, real_site,
                                                                real_site_url):
    page = print_page
    for path in self_check_paths(real_site["dir"]):
        page.goto(real_site_url + path)
        page.wait_for_selector("[data-self-check-form]:not([hidden])")
        rules = rules_on(page)
        # Before any answer, the paper gets the full guidance, not an empty form.
        blank = printed(page)
        for outcome in rules["outcomes"]:
            assert squeeze(outcome["heading"]) in blank, path
        examples = example_answers(rules)
        outcome_id, answers = list(examples.items())[-1]
        page.evaluate(SUBMIT, answers)
        text = printed(page)
        outcome = next(o for o in rules["outcomes"] if o["id"] == outcome_id)
        assert squeeze(outcome["heading"]) in text, path
        for advice in outcome["advice"]:
            assert squeeze(advice) in text, path
        # A heading the result's own advice repeats says nothing about what else printed.
        own = squeeze(" ".join([outcome["heading"], *outcome["advice"]]))
        others = [o["heading"] for o in rules["outcomes"]
                  if o["id"] != outcome_id and squeeze(o["heading"]) not in own]
        assert not any(squeeze(heading) in text for heading in others), \
            f"{path}: the other outcomes print beside the result"
        given = page.locator(".self-check__answers dl").evaluate(
            "(dl) => [...dl.children].map((e) => e.textContent)")
        words = rules["words"]["answers"]
        assert len(given) == 2 * len(rules["questions"])
        for question, shown in zip(rules["questions"], given[1::2], strict=True):
            assert shown == words[answers[question["id"]]]
        assert squeeze("".join(given)) in text, f"{path}: the answers given are not printed"
