"""The site plan: the one place that knows which pages exist, what they are and where they go."""

from __future__ import annotations

import re

from generator.plan import PAGE_KINDS, plan_site, url_of
from tests.editing import ROOT, fixture_topic

TEMPLATES = ROOT / "generator" / "templates"


def test_every_page_is_planned_once_with_its_kind_language_and_place(library):
    plan = plan_site(library)
    assert len({page.key for page in plan.pages}) == len(plan.pages)
    assert len({page.source for page in plan.pages}) == len(plan.pages)
    assert {page.language for page in plan.pages} == {library.site.language}
    assert {page.kind for page in plan.pages} == set(PAGE_KINDS)
    topic = fixture_topic(library)
    assert [page.key for page in plan.of_kind("self-check")] == [
        ("self-check", topic.id, check.id) for check in topic.self_checks]
    assert plan.page("article", topic.id).url == f"topics/{topic.id}/"
    assert plan.page("home").url == "" and plan.page("a-z").url == "a-z/"


def test_urls_follow_the_engines_directory_layout():
    assert url_of("index.md") == ""
    assert url_of("topics/x/index.md") == "topics/x/"
    assert url_of("topics/x/check.md") == "topics/x/check/"
    assert url_of("about.md") == "about/"


def test_links_between_pages_come_from_the_plan(library):
    plan = plan_site(library)
    topic = fixture_topic(library)
    check = plan.page("self-check", topic.id, topic.self_checks[0].id)
    assert plan.link(check, "home") == "../../index.md"
    assert plan.link(check, "article", topic.id) == "index.md"
    assert plan.link(plan.page("home"), "a-z") == "a-z.md"
    assert plan.link(plan.page("a-z"), "article", topic.id) == f"topics/{topic.id}/index.md"


def test_the_menu_lists_the_site_pages_only(library):
    menu = plan_site(library).menu
    assert [page.source for page in menu] == [
        "index.md", "a-z.md", "about.md", "privacy.md", "accessibility.md"]
    assert all(page.menu_title for page in menu)


def test_every_page_kind_has_its_template_and_no_template_writes_a_path():
    for kind in PAGE_KINDS.values():
        if kind.template:
            assert (TEMPLATES / kind.template).is_file(), kind.name
    for template in TEMPLATES.glob("*.j2"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"\]\([^){]*\.md\)|topics/", text), template.name
    main = (ROOT / "overrides" / "main.html").read_text(encoding="utf-8")
    assert "page_kind" not in main and "self-check.js" not in main


def test_every_hand_written_page_the_plan_lists_exists(library):
    for page in plan_site(library).of_kind("site-page"):
        assert (ROOT / "site_src" / page.source).is_file(), page.source
