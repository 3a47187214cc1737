"""The real site, built strictly by MkDocs, says exactly what the content says."""

import html
import json
import os
import re
import subprocess
import sys

import pytest

from tests.editing import ROOT, fixture_topic

TOPIC = "topics/mri-and-low-back-pain"


def texts(page_html: str, pattern: str) -> list[str]:
    """The visible text of every element matched by `pattern` (a regex with one group)."""
    return [html.unescape(re.sub(r"<[^>]+>", "", m)).strip()
            for m in re.findall(pattern, page_html, flags=re.S)]


def rules_of(page_html: str) -> dict:
    """The canonical rules JSON a built self-check page embeds."""
    found = re.search(r"<script[^>]*data-self-check-rules[^>]*>(.*?)</script>", page_html, re.S)
    return json.loads(found.group(1))


def read(site, path):
    return (site["dir"] / path).read_text(encoding="utf-8")


def test_every_page_is_built(built_site):
    pages = sorted(p.relative_to(built_site["dir"]).as_posix()
                   for p in built_site["dir"].rglob("*.html"))
    assert pages == sorted([
        "404.html", "index.html", "a-z/index.html", "about/index.html", "privacy/index.html",
        "accessibility/index.html", f"{TOPIC}/index.html",
        f"{TOPIC}/do-i-need-an-mri-now/index.html", f"{TOPIC}/before-your-mri/index.html",
    ])


def test_article_lists_exactly_the_warning_signs_in_order(built_site, library):
    """In the order of the site's care levels, then of the topic's sign groups."""
    topic = fixture_topic(library)
    article = read(built_site, f"{TOPIC}/index.html")
    groups = [None] + [group.id for group in topic.warning_signs.groups]
    ranks = {level.id: rank for rank, level in enumerate(library.site.care_levels)}
    assert texts(article, r'<li id="sign-[^"]+">(.*?)</li>') == [
        sign.text for sign in sorted(topic.warning_signs.signs, key=lambda sign: (
            ranks[sign.level], groups.index(sign.group)))]


def test_self_check_lists_exactly_the_warning_signs_in_order(built_site, library):
    topic = fixture_topic(library)
    page = read(built_site, f"{TOPIC}/do-i-need-an-mri-now/index.html")
    questions = [sign.question for sign in topic.warning_signs.signs]
    assert texts(page, r'<li id="question-[^"]+">(.*?)</li>') == questions
    legends = texts(page, r'<legend class="question__legend">(.*?)</legend>')
    assert legends == questions
    rules = rules_of(page)
    assert [q["id"] for q in rules["questions"]] == [s.id for s in topic.warning_signs.signs]


def test_each_outcome_is_written_once_and_its_route_comes_from_the_site(built_site, library):
    """One renderer: each card is on the page once, from its one field, with its level's
    route; the rules JSON names outcomes by id and carries none of their words."""
    topic = fixture_topic(library)
    for check in topic.self_checks:
        page = html.unescape(read(built_site, f"{TOPIC}/{check.id}/index.html"))
        rules = rules_of(read(built_site, f"{TOPIC}/{check.id}/index.html"))
        assert [o["id"] for o in rules["outcomes"]] == [o.id for o in check.outcomes]
        for outcome in check.outcomes:
            assert page.count(f'data-outcome="{outcome.id}"') == 1
            level = library.site.level(outcome.level)
            card = page[page.index(f'data-outcome="{outcome.id}"'):]
            card = card[:card.index('care-card__why')]
            assert outcome.heading in card and level.how_soon in card
            for statement in outcome.advice:
                assert page.count(statement.text) == 1
                assert statement.text in card
            assert outcome.heading not in json.dumps(rules)


def test_key_message_comes_first(built_site, library):
    article = html.unescape(read(built_site, f"{TOPIC}/index.html"))
    topic = fixture_topic(library)
    body = article[article.index("<h1"):]
    assert body.index(topic.key_message.text) < body.index("Warning signs")


def test_search_finds_the_topic_by_any_alternative_name(built_site, library):
    index = json.loads(read(built_site, "search/search_index.json"))
    topic = fixture_topic(library)
    for name in topic.other_names:
        hits = [doc["location"] for doc in index["docs"]
                if name.lower() in html.unescape(doc["text"]).lower()]
        assert any(hit.startswith(f"{TOPIC}/") and "before" not in hit and "do-i" not in hit
                   for hit in hits), name
    for word in ("slipped disk", "sciatica"):
        assert any(word in html.unescape(doc["text"]).lower() and doc["location"].startswith(TOPIC)
                   for doc in index["docs"]), word


def test_a_to_z_links_every_alternative_name(built_site, library):
    page = read(built_site, "a-z/index.html")
    topic = fixture_topic(library)
    links = texts(page, r'<a href="\.\./topics/mri-and-low-back-pain/">(.*?)</a>')
    assert sorted(links) == sorted([topic.title, *topic.other_names])


def test_references_link_to_pubmed_and_review_date_is_shown(built_site):
    article = html.unescape(read(built_site, f"{TOPIC}/index.html"))
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/21282698/"' in article
    assert '<time datetime="2015-07-13">13 July 2015</time>' in article


def test_every_in_page_link_has_a_target(built_site):
    for path in built_site["dir"].rglob("*.html"):
        page = path.read_text(encoding="utf-8")
        ids = set(re.findall(r'\sid="([^"]+)"', page))
        for target in re.findall(r'href="#([^"]+)"', page):
            assert html.unescape(target) in ids, f"{path.name}: #{target}"


def test_pages_work_under_the_project_sub_path(built_site):
    not_found = read(built_site, "404.html")
    assert "/health-guides/assets/" in not_found
    home = read(built_site, "index.html")
    assert 'href="topics/mri-and-low-back-pain/"' in home


def test_pages_load_nothing_from_other_hosts(built_site):
    """Every script, style, image and frame a page loads is the site's own (links may leave)."""
    origin = f"http://127.0.0.1:{built_site['port']}/"
    for path in built_site["dir"].rglob("*.html"):
        page = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|img|iframe|source|link)\b[^>]*>", page):
            for url in re.findall(r'(?:src|href)="([^"]+)"', tag):
                if re.match(r"(?:[a-z]+:)?//", url):
                    assert url.startswith(origin), f"{path.name} loads {url}"


def test_emergency_line_on_every_page(built_site, library):
    for path in built_site["dir"].rglob("*.html"):
        assert library.site.emergency in html.unescape(path.read_text(encoding="utf-8")), path


def test_every_page_title_names_the_page_then_the_site_once(built_site, library):
    name = library.site.site_name
    for path in built_site["dir"].rglob("*.html"):
        title = html.unescape(re.search(r"<title>(.*?)</title>", path.read_text(
            encoding="utf-8"), re.S).group(1))
        assert title.count(name) == 1 and title.endswith(name), (path, title)


def _build(folder):
    return subprocess.run([sys.executable, "-m", "generator", "build"], cwd=folder,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
                          capture_output=True, text=True)


def _snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _break_content(copy):
    topic = copy / "content/topics/mri-and-low-back-pain.yaml"
    topic.write_text(topic.read_text().replace("shows: every-that-applies", "shows: every"))
    return "error: 'shows' cannot be 'every'"


def _break_link(copy):
    (copy / "site_src/about.md").write_text("# About\n\n[gone](missing.md)\n")
    return "contains a link 'missing.md', but the target is not found"


@pytest.mark.parametrize("breakage", [_break_content, _break_link])
def test_a_failed_build_leaves_the_last_good_site(content_copy, breakage):
    """Bad content fails before MkDocs runs; a broken link fails inside MkDocs' strict build."""
    first = _build(content_copy)
    assert first.returncode == 0, first.stderr
    before = _snapshot(content_copy / "site")
    expected = breakage(content_copy)
    failed = _build(content_copy)
    assert failed.returncode == 1
    assert expected in failed.stderr
    assert "Traceback" not in failed.stderr
    assert _snapshot(content_copy / "site") == before
    assert not [p.name for p in content_copy.iterdir() if p.name.startswith(".site-")]


def test_check_command_reports_valid_content():
    """The real content, whatever it holds, checks clean; the counts are the fixture's."""
    result = subprocess.run([sys.executable, "-m", "generator", "check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert re.match(r"content is valid: \d+ topic\(s\), \d+ self-check\(s\)", result.stdout)
    result = subprocess.run([sys.executable, "-m", "generator", "check", "--content",
                             "tests/library"], cwd=ROOT, capture_output=True, text=True)
    assert result.stdout.startswith("content is valid: 1 topic(s), 2 self-check(s)")
