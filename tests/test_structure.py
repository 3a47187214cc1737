"""Pages help people act: key message first, numbered actions, a summary, plain headings."""

import html
import re

import pytest

from generator.plain_language import MAX_HEADING_WORDS
from tests.editing import fixture_topic

TOPIC = "topics/mri-and-low-back-pain"
MAX_SUMMARY_WORDS = 40


def article_of(path) -> str:
    page = path.read_text(encoding="utf-8")
    start = page.index('<article class="md-content__inner')
    return page[start:page.index("</article>", start)]


def text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def content_pages(site_dir):
    """Every page but the error page (a 404 has nothing to summarise)."""
    return [p for p in sorted(site_dir.rglob("*.html")) if p.name != "404.html"]


def test_every_page_opens_with_a_short_summary(built_site):
    for path in content_pages(built_site["dir"]):
        article = article_of(path)
        after_title = article[article.index("</h1>") + 5:].lstrip()
        found = re.match(r'<p class="page-summary">(.*?)</p>', after_title, flags=re.S)
        assert found, f"{path}: no summary right after the title"
        assert 0 < len(text(found.group(1)).split()) <= MAX_SUMMARY_WORDS, path


def test_what_to_do_now_is_an_ordered_list_of_actions(built_site, library):
    topic = fixture_topic(library)
    article = article_of(built_site["dir"] / TOPIC / "index.html")
    found = re.search(r'<h2 id="what-to-do-now">What to do now</h2>\s*<ol class="actions">'
                      r"(.*?)</ol>", article, flags=re.S)
    assert found, "no 'What to do now' heading followed by an ordered list"
    items = re.findall(r"<li>(.*?)</li>", found.group(1), flags=re.S)
    assert len(items) == len(topic.what_to_do_now) >= 2
    for item, action in zip(items, topic.what_to_do_now, strict=True):
        assert text(re.sub(r'<span class="term__meaning">.*?</span>', "", item)).startswith(
            action.text.split()[0])
        assert 'class="citation"' in item  # each action shows its references
    # The urgent thing first: a topic that places nothing shows its warning signs before
    # the steps.
    assert article.index('class="key-message"') < article.index('id="warning-signs"') \
        < article.index('id="what-to-do-now"')


def test_headings_are_short_and_plain(built_site, library):
    """Short, and with no glossary word: pages explain those in text, never in a heading."""
    glossary = {form.casefold() for term in library.glossary.terms for form in term.forms}
    for path in built_site["dir"].rglob("*.html"):
        for heading in re.findall(r"<h([1-6])[^>]*>(.*?)</h\1>", article_of(path), flags=re.S):
            # A care level's name and icon lead a result's heading: a label, not its words.
            own = re.sub(r'<span class="care-level[^"]*">.*?<span class="visually-hidden">:'
                         r'</span></span>', "", heading[1], flags=re.S)
            words = text(re.sub(r'<span class="visually-hidden">.*?</span>', "", own)).split()
            assert 0 < len(words) <= MAX_HEADING_WORDS, f"{path}: {' '.join(words)}"
            lowered = {word.casefold().strip(".,?") for word in words}
            assert not lowered & glossary, f"{path}: {' '.join(words)}"


@pytest.mark.browser
def test_key_message_is_seen_without_scrolling_on_a_small_phone(browser, site_url):
    context = browser.new_context(viewport={"width": 360, "height": 640})
    page = context.new_page()
    try:
        page.goto(f"{site_url}{TOPIC}/")
        box = page.locator(".key-message").bounding_box()
        header = page.locator(".md-header").bounding_box()
        assert page.evaluate("window.scrollY") == 0
        assert box["y"] >= header["y"] + header["height"], "the header covers it"
        bottom = box["y"] + box["height"]
        print(f"key message: top {box['y']:.0f} px, bottom {bottom:.0f} px of 640")
        assert bottom <= 640, f"the key message ends at {bottom:.0f} px, below the fold"
    finally:
        context.close()
