"""Parts of the theme's page that must work for readers: the contents list links only to
headings a reader can see, every label names a control, and a heading reached from a link
is not hidden under the sticky header on a phone."""

from __future__ import annotations

import pytest

from tests.test_browser import open_check

pytestmark = pytest.mark.browser
TOPIC = "topics/mri-and-low-back-pain/"
CHECK = TOPIC + "do-i-need-an-mri-now/"


@pytest.mark.parametrize("width", [390, 1280])
def test_a_self_check_lists_no_heading_the_script_hides(browser, site_url, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        open_check(page, site_url, CHECK)
        hidden = page.evaluate("""() => [...document.querySelectorAll('.md-typeset h2[id]')]
            .filter((h) => !h.checkVisibility()).map((h) => h.id)""")
        assert hidden, "the script hides no heading: nothing to test"
        for heading in hidden:
            links = page.locator(f'a[href="#{heading}"]')
            for index in range(links.count()):
                assert not links.nth(index).is_visible(), f"a visible link to #{heading}"
    finally:
        context.close()


def test_every_label_names_a_control_on_every_page(page, site_url):
    for path in ["", "a-z/", "about/", TOPIC, CHECK, TOPIC + "before-your-mri/"]:
        page.goto(f"{site_url}{path}")
        orphans = page.evaluate("""() => [...document.querySelectorAll('label[for]')]
            .map((l) => l.htmlFor).filter((id) => !document.getElementById(id))""")
        assert orphans == [], f"{path}: labels for nothing: {orphans}"


def test_a_heading_reached_by_a_link_is_not_under_the_sticky_header(page, site_url):
    page.goto(f"{site_url}{TOPIC}")
    target = page.locator("h2#references")
    page.evaluate("location.hash = '#references'")
    page.wait_for_timeout(300)
    header = page.locator(".md-header").bounding_box()
    box = target.bounding_box()
    assert box["y"] >= header["y"] + header["height"] - 1, (box, header)
