"""Medical words are in the glossary and explained, in visible text, where pages first use them."""

import html
import re
import shutil

import pytest

from generator.content import read_library
from generator.errors import ContentError, Problem
from generator.glossary import Matcher, prose
from generator.load import load_file
from generator.model import Glossary, Term
from generator.render import Explainer
from generator.vocabulary import hard_words_in, is_hard
from tests.editing import LIBRARY, TOPIC, fixture_topic, line_of

REQUIRED = {"radiculopathy", "herniated", "contrast", "technologist"}


def visible_prose(page_html: str) -> str:
    """The article's text as read, without headings, scripts, the form or the citations."""
    article = page_html[page_html.index('<article class="md-content__inner'):]
    article = article[:article.index("</article>")]
    article = re.sub(r"<(h[1-6]|script|form)\b.*?</\1>", " ", article, flags=re.S)
    article = re.sub(r'<ol class="references">.*?</ol>', " ", article, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", article)).split())


def test_the_hard_words_of_the_fixture_are_found_and_all_explained_or_allowed(library):
    """The words plain-language guides flag in the fixture topic are found from word data,
    and each one the topic uses is in the glossary or in its allowed words."""
    assert all(is_hard(word) for word in REQUIRED)
    forms = {form.casefold() for term in library.glossary.terms for form in term.forms}
    words = {w for form in forms for w in re.findall(r"[\w-]+", form)}
    topic = fixture_topic(library)
    allowed = {word.casefold() for word in topic.allowed_words}
    document = load_file(LIBRARY / "topics" / f"{topic.id}.yaml", TOPIC)
    used = {word.casefold() for _, text in prose(document.data) for word in hard_words_in(text)}
    assert used >= {"contrast", "technologist", "sciatica", "mri"}
    assert sorted(used - forms - words - allowed) == []


def test_every_word_is_explained_where_each_page_first_uses_it(built_site, library):
    matcher = Matcher(library.glossary)
    explained = 0
    for path in sorted(built_site["dir"].rglob("*.html")):
        text = visible_prose(path.read_text(encoding="utf-8"))
        first: dict[str, re.Match] = {}
        for match, term in matcher.find(text):
            first.setdefault(term.term, match)
        for name, match in first.items():
            meaning = next(t.meaning for t in library.glossary.terms if t.term == name)
            after = text[match.end():match.end() + 160]
            assert meaning in after, f"{path}: '{match.group(0)}' is not explained: {after}"
            explained += 1
    assert explained >= 20


def problems_after_glossary_edit(tmp_path, old: str, new: str) -> list[Problem]:
    shutil.copytree(LIBRARY, tmp_path / "content")
    glossary = tmp_path / "content" / "glossary.yaml"
    text = glossary.read_text(encoding="utf-8")
    assert old in text
    glossary.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        read_library(tmp_path / "content", tmp_path)
    return caught.value.problems


def test_a_hard_word_missing_from_the_glossary_is_a_located_error(tmp_path):
    problems = problems_after_glossary_edit(tmp_path, "  - term: technologist\n",
                                            "  - term: x\n")
    lines = (LIBRARY / "topics" / "mri-and-low-back-pain.yaml").read_text().splitlines()
    line = line_of("\n".join(lines), "technologist") - 1  # the first use, in a '>-' text
    column = lines[line - 1].index(">-") + 1
    assert [str(p) for p in problems] == [
        f"{TOPIC}:{line}:{column}: error: 'technologist' is a hard word that the glossary "
        "does not explain — add it to glossary.yaml with its meaning in plain words, add it to "
        "this topic's 'allowed_words', or use a plainer word [undefined-term]"]


def test_a_word_written_twice_in_the_glossary_is_a_located_error(tmp_path):
    problems = problems_after_glossary_edit(tmp_path, "  - term: prolapsed\n",
                                            "  - term: Lumbar\n")
    line = line_of((LIBRARY / "glossary.yaml").read_text(), "term: prolapsed")
    assert [str(p) for p in problems] == [
        f"content/glossary.yaml:{line + 2}:11: error: 'lumbar' is already in the glossary (line "
        f"{line}) — keep one entry for each word; put other spellings under 'also' "
        "[duplicate-term]"]


def test_explanations_come_once_per_scope_and_stay_inert():
    glossary = Glossary(terms=[Term(term="spine", also=["spinal"], meaning="<b>bones</b> & *x*")])
    explainer = Explainer(Matcher(glossary))
    first = str(explainer.inline("The spine, the Spinal cord. [a](javascript:x)"))
    assert first.count("<dfn") == 1 and "<b>" not in first and "](" not in first
    assert html.unescape(re.sub(r"<[^>]+>", "", first)) == \
        "The spine (<b>bones</b> & *x*), the Spinal cord. [a](javascript:x)"
    assert "<dfn" not in str(explainer.inline("spine again"))
    assert "<dfn" in str(explainer.inline("spine in the form", "form"))


@pytest.mark.browser
def test_screen_readers_get_the_meaning_with_the_word(site_url, page):
    page.goto(f"{site_url}topics/mri-and-low-back-pain/")
    item = page.locator("li", has=page.locator("dfn", has_text="sciatica"))
    snapshot = " ".join(item.aria_snapshot().split())
    # The word is exposed as a term, its meaning as text right after it, in reading order.
    assert "- term: sciatica - text: (pain that runs from the lower back down a leg)" in snapshot
    assert page.locator(".term__meaning").first.is_visible()


def test_the_self_check_form_explains_words_again(built_site):
    """With scripts on, the form replaces the question list, so it explains words itself."""
    page = (built_site["dir"] / "topics/mri-and-low-back-pain/before-your-mri/index.html"
            ).read_text(encoding="utf-8")
    legends = re.findall(r'<legend class="question__legend">(.*?)</legend>', page, flags=re.S)
    assert '<dfn class="term">contrast</dfn> (<span class="term__meaning">' in legends[0]
