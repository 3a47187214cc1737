"""What keeps every page small as the library grows (a short navigation, search on demand) and
every build quick (a dirty preview, compiled templates kept between builds)."""

import json
import os
import re
import subprocess
import sys

import jinja2
import pytest

from generator.plan import plan_site
from generator.render import use_template_cache

ARTICLE = "topics/mri-and-low-back-pain/"
SELF_CHECK = ARTICLE + "do-i-need-an-mri-now/"


def _nav_links(html: str) -> list[str]:
    return re.findall(r'<a href="([^"#]*)" class="md-nav__link', html)


@pytest.mark.parametrize("page_path", ["", "a-z/", ARTICLE, SELF_CHECK])
def test_navigation_lists_the_site_pages_only(built_site, library, page_path):
    html = (built_site["dir"] / page_path / "index.html").read_text(encoding="utf-8")
    links = _nav_links(html)
    menu = plan_site(library).menu
    assert [page.kind for page in menu] == ["home", "a-z", "site-page", "site-page", "site-page"]
    assert len(links) == len(menu)
    assert not any("topics/" in link for link in links)


def test_topic_pages_link_back_to_where_readers_find_them(built_site):
    article = (built_site["dir"] / ARTICLE / "index.html").read_text(encoding="utf-8")
    check = (built_site["dir"] / SELF_CHECK / "index.html").read_text(encoding="utf-8")
    crumbs = re.compile(r'<nav aria-label="Breadcrumb" class="breadcrumbs">(.*?)</nav>', re.S)
    assert re.findall(r'href="([^"]+)"', crumbs.search(article).group(1)) == [
        "../../", "../../a-z/"]
    assert re.findall(r'href="([^"]+)"', crumbs.search(check).group(1)) == ["../../../", "../"]


@pytest.mark.browser
def test_search_index_loads_only_when_the_reader_searches(page, site_url, library):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site_url + ARTICLE)
    page.wait_for_load_state("networkidle")
    assert not any("search_index" in url or "workers/search" in url for url in requested)
    assert any("search-on-demand.js" in url for url in requested)

    name = library.topics[0].other_names[0]
    page.set_viewport_size({"width": 1280, "height": 900})
    search = page.locator("[data-md-component=search-query]")
    search.click()
    search.press_sequentially(name)  # the theme searches on key presses, as a reader types
    result = page.locator(".md-search-result__item a").first
    result.wait_for(timeout=10_000)
    assert any(url.endswith("search/search_index.json") for url in requested)
    assert any("workers/search" in url for url in requested)
    assert ARTICLE in result.get_attribute("href")


@pytest.mark.browser
def test_a_search_link_still_searches(page, site_url, library):
    name = library.topics[0].other_names[0]
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{site_url}?q={name}")
    page.locator(".md-search-result__item a").first.wait_for(timeout=10_000)


def _retitle(content_copy, title: str) -> None:
    topic = content_copy / "content" / "topics" / "mri-and-low-back-pain.yaml"
    topic.write_text(topic.read_text(encoding="utf-8").replace(
        "\ntitle: MRI and low back pain\n", f"\ntitle: {title}\n"), encoding="utf-8")


def test_preview_rebuilds_only_the_pages_an_edit_touches(content_copy, tmp_path):
    """`serve` builds dirty: after one topic file is saved, only the pages whose Markdown
    changed are rebuilt, while the search index still covers every page, once."""
    from generator.content import read_library
    from generator.engine.dirty import DirtyBuild
    from generator.plan import plan_site
    from generator.render import render_site

    def build():
        return work.build(render_site(plan_site(
            read_library(content_copy / "content", content_copy))))

    work = DirtyBuild(content_copy / "mkdocs.yml", tmp_path / "work",
                        "http://127.0.0.1:8000/health-guides/")
    build()
    site = work.site_dir
    pages = sorted(site.rglob("*.html"))
    before = {page: page.stat().st_mtime_ns for page in pages}
    _retitle(content_copy, "MRI and low back pain, edited")
    build()
    rebuilt = {page.relative_to(site).as_posix() for page in pages
               if page.stat().st_mtime_ns != before[page]}
    assert rebuilt == {"index.html", "a-z/index.html", "404.html", f"{ARTICLE}index.html",
                       f"{SELF_CHECK}index.html", f"{ARTICLE}before-your-mri/index.html"}
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    built = {page.relative_to(site).parent.as_posix() + "/" for page in pages
             if page.name == "index.html"}
    assert {doc["location"].split("#")[0] or "./" for doc in docs} == built
    titles = [doc["title"] for doc in docs if doc["location"] == ARTICLE]
    assert titles == ["MRI and low back pain, edited"]

    # What every page shows but no page's Markdown holds rebuilds every page.
    site_file = content_copy / "content" / "site.yaml"
    text = site_file.read_text(encoding="utf-8")
    name = re.search(r"^site_name:\s*(.+)$", text, re.M).group(1)
    site_file.write_text(text.replace(name, name + " preview", 1), encoding="utf-8")
    build()
    assert all(name + " preview" in page.read_text(encoding="utf-8") for page in pages)


def _build_in(project, site_dir, cache) -> None:
    env = {**os.environ, "PATIENT_SITE_CACHE": str(cache)}
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--config",
                             str(project / "mkdocs.yml"), "--site-dir", str(site_dir)],
                            cwd=project, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _files(site_dir) -> dict[str, bytes]:
    return {path.relative_to(site_dir).as_posix(): path.read_bytes()
            for path in sorted(site_dir.rglob("*")) if path.is_file()}


def test_compiled_templates_are_kept_between_builds_and_never_go_stale(content_copy, tmp_path):
    cache = tmp_path / "cache"
    _build_in(content_copy, tmp_path / "cold", cache)
    assert len(list((cache / "templates").iterdir())) > 30  # the theme's and ours
    _build_in(content_copy, tmp_path / "warm", cache)
    _build_in(content_copy, tmp_path / "none", "off")
    assert _files(tmp_path / "warm") == _files(tmp_path / "cold") == _files(tmp_path / "none")

    # A changed theme template is compiled again, not taken from the cache.
    main = content_copy / "overrides" / "main.html"
    main.write_text(main.read_text(encoding="utf-8").replace(
        "{% block announce %}", "{% block announce %}<p>cache-check</p>", 1), encoding="utf-8")
    _build_in(content_copy, tmp_path / "changed", cache)
    assert "<p>cache-check</p>" in (tmp_path / "changed" / ARTICLE / "index.html").read_text(
        encoding="utf-8")


def test_one_template_under_other_settings_is_compiled_apart(tmp_path, monkeypatch):
    monkeypatch.setenv("PATIENT_SITE_CACHE", str(tmp_path))
    source = {"t.txt": "{% if on %}\n  yes\n{% endif %}\nend"}

    def rendered(**settings) -> str:
        env = jinja2.Environment(loader=jinja2.DictLoader(source), **settings)
        use_template_cache(env)
        return env.get_template("t.txt").render(on=True)

    assert rendered(trim_blocks=True) == "  yes\nend"
    assert rendered() == "\n  yes\n\nend"
    assert rendered(trim_blocks=True, lstrip_blocks=True) == "  yes\nend"
    assert len(list((tmp_path / "templates").iterdir())) == 3


def _render(content_copy, *, reuse: bool):
    from generator import render
    from generator.content import read_library

    if not reuse:
        render._last_render.clear()
    plan = plan_site(read_library(content_copy / "content", content_copy))
    pages = render.render_site(plan).pages
    return plan, {rendered.page.key: rendered.markdown for rendered in pages}


def test_a_preview_renders_again_only_pages_whose_inputs_changed(content_copy):
    plan, first = _render(content_copy, reuse=False)
    assert {page.kind for page in plan.pages if page.inputs} == {"article", "self-check"}
    assert _render(content_copy, reuse=True)[1] == first
    # Each kind of change reaches the pages that show it, as a render from nothing does.
    glossary = content_copy / "content" / "glossary.yaml"
    for path, old, new in (
            (content_copy / "content" / "topics" / "mri-and-low-back-pain.yaml",
             "You have a fever", "You have a high fever"),
            (glossary, "meaning: the person who runs the scanner",
             "meaning: the person who runs the MRI scanner"),
            (content_copy / "content" / "site.yaml", "Now, today. Do not wait",
             "Now, today. Do not delay")):
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        _, reused = _render(content_copy, reuse=True)
        _, fresh = _render(content_copy, reuse=False)
        assert reused == fresh, new
        assert reused != first, new
        assert any(new.split(": ")[-1].split(". ")[-1] in markdown for markdown in reused.values())
        first = fresh
