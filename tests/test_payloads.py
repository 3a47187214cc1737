"""Editor text is inert everywhere: hostile text in every text field, built into real sites.

Every payload goes into every free-text field of a topic (one topic per payload) and, joined
with the others of its group, into every field of site.yaml (one build per group). Beside the
payload topics, each build has a control topic whose fields all say CONTROL: a payload page
must have exactly the control page's elements and attributes, and show its payload exactly as
often as the control page shows the control word. Id, URL, date and choice fields must refuse
every payload with an error located at the value.
"""

from __future__ import annotations

import collections
import functools
import html.parser
import http.server
import json
import os
import re
import shutil
import socket
import threading

import pytest

from generator.cli import main
from generator.content import read_library
from generator.errors import ContentError
from generator.model import Site, Topic
from tests.editing import LIBRARY, ROOT
from tests.payloads import (
    CONTROL,
    PAYLOADS,
    URL_PAYLOADS,
    groups,
    model_text_fields,
    replace_at,
    sample_site,
    sample_topic,
    shown,
    site_filled,
    text_leaves,
    topic_filled,
    write_yaml,
)

PAGES = ("index.html", "check-{key}-0/index.html", "check-{key}-1/index.html")


class _Page(html.parser.HTMLParser):
    """A page's visible text and the shape of its markup (tags and attribute names, in order)."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.shape: list[tuple[str, tuple[str, ...]]] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.data_blocks: list[str] = []
        self._skip = None
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.article_start = len(self.shape)
        self.shape.append((tag, tuple(sorted(name for name, _ in attrs))))
        self.attributes += [(tag, name, value or "") for name, value in attrs]
        if tag in ("script", "style"):
            self._skip = tag
            self.data_blocks.append("")

    def handle_endtag(self, tag):
        if tag == "article":
            self.article_end = len(self.shape)
        if tag == self._skip:
            self._skip = None

    def handle_data(self, data):
        if self._skip:
            self.data_blocks[-1] += data
        else:
            self.text.append(data)

    def article_shape(self) -> list[tuple[str, tuple[str, ...]]]:
        """The page's own content; the menu around it lists topics in title order."""
        return self.shape[self.article_start:self.article_end]

    def count(self, text: str) -> int:
        return "".join(self.text).count(shown(text))


@pytest.fixture(scope="session")
def payload_sites(tmp_path_factory):
    """One real build per payload group, served on loopback under sub-paths."""
    root = tmp_path_factory.mktemp("payload-sites")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    builds = []
    old = os.environ.get("SITE_URL")
    try:
        for number, group in enumerate(groups()):
            project = root / f"project-{number}"
            for name in ("site_src", "overrides"):
                shutil.copytree(ROOT / name, project / name)
            shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
            topics = project / "content/topics"
            topics.mkdir(parents=True)
            shutil.copytree(LIBRARY / "images", project / "content/images")
            write_yaml(project / "content/site.yaml", site_filled(group))
            keys = {"control": CONTROL}
            keys.update({f"{PAYLOADS.index(p):02d}": p for p in group})
            for key, text in keys.items():
                write_yaml(topics / f"topic-{key}.yaml", topic_filled(key, text))
            name = f"build-{number}"
            os.environ["SITE_URL"] = f"http://127.0.0.1:{port}/{name}/"
            assert main(["build", "--config", str(project / "mkdocs.yml"),
                         "--site-dir", str(root / "served" / name)]) == 0
            builds.append({"dir": root / "served" / name, "name": name, "keys": keys})
    finally:
        if old is None:
            os.environ.pop("SITE_URL", None)
        else:
            os.environ["SITE_URL"] = old
    handler = functools.partial(_QuietHandler, directory=str(root / "served"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield {"builds": builds, "url": f"http://127.0.0.1:{port}/"}
    server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def topic_pages(build, key):
    for page in PAGES:
        path = build["dir"] / f"topics/topic-{key}" / page.format(key=key)
        yield path.relative_to(build["dir"]).as_posix(), _Page(path.read_text(encoding="utf-8"))


def test_the_payloads_fill_every_text_field_the_model_declares():
    topic_fields = {f for _, f, kind in text_leaves(Topic, sample_topic()) if kind == "text"}
    site_fields = {f for _, f, kind in text_leaves(Site, sample_site()) if kind == "text"}
    assert topic_fields == model_text_fields(Topic)
    assert site_fields == model_text_fields(Site)
    filled = topic_filled("x", PAYLOADS[0])
    assert {value for path, _, kind in text_leaves(Topic, filled) if kind == "text"
            for value in [_value_at(filled, path)]} == {PAYLOADS[0]}
    print(f"\n{len(PAYLOADS)} payloads x {len(topic_fields) + len(site_fields)} free-text "
          f"field types, in {len(groups())} builds")


def _value_at(data, path):
    for part in path:
        data = data[part]
    return data


def test_every_payload_shows_as_literal_text_with_nothing_added(payload_sites):
    for build in payload_sites["builds"]:
        control = dict(topic_pages(build, "control"))
        for key, payload in build["keys"].items():
            if key == "control":
                continue
            for path, page in topic_pages(build, key):
                expected = control[path.replace(f"topic-{key}", "topic-control").replace(
                    f"check-{key}-", "check-control-")]
                assert page.count(payload) == expected.count(CONTROL) > 0, (payload, path)
                assert page.article_shape() == expected.article_shape(), (payload, path)
        for shared in ("index.html", "a-z/index.html", "about/index.html"):
            page = _Page((build["dir"] / shared).read_text(encoding="utf-8"))
            for payload in build["keys"].values():
                assert page.count(payload) >= 1, (payload, shared)


def test_no_page_has_an_element_attribute_or_address_the_real_site_lacks(
        payload_sites, built_site, checks_site):
    allowed = set()
    for site in (built_site, checks_site):  # between them, every kind of question
        for path in site["dir"].rglob("*.html"):
            allowed |= set(_Page(path.read_text(encoding="utf-8")).shape)
    pages = 0
    for build in payload_sites["builds"]:
        for path in build["dir"].rglob("*.html"):
            page = _Page(path.read_text(encoding="utf-8"))
            pages += 1
            assert set(page.shape) <= allowed, path
            for tag, name, value in page.attributes:
                if name in ("href", "src", "action"):
                    assert "evil.example" not in value, (path, tag, value)
                    assert not re.match(r"\s*(javascript|vbscript|data):", value, re.I)
    assert pages >= 9 * len(payload_sites["builds"])


def test_the_self_check_json_carries_no_editor_text(payload_sites):
    """Rules JSON holds ids, numbers and conditions only: the words are in the page's HTML,
    written once, so no editor text ever reaches the script."""
    checked = 0
    for build in payload_sites["builds"]:
        for key, payload in build["keys"].items():
            for path, page in topic_pages(build, key):
                if "check-" not in path:
                    continue
                [block] = [b for b in page.data_blocks if b.startswith('{"id"')]
                assert "</" not in block and "<!--" not in block and "\u2028" not in block
                rules = json.loads(block)
                strings = set(_strings(rules))
                assert payload not in strings and CONTROL not in block, path
                assert all(re.fullmatch(r"[a-z0-9-]+", text) for text in strings), path
                checked += 1
    assert checked


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@pytest.mark.browser
def test_no_payload_runs_script_or_opens_a_dialog_in_the_browser(payload_sites, browser):
    context = browser.new_context()
    context.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " (e) => window.__violations.push(e.violatedDirective + ' ' + e.sample));")
    events = []
    page = context.new_page()
    page.on("dialog", lambda dialog: (events.append(f"dialog {dialog.message}"), dialog.dismiss()))
    page.on("pageerror", lambda error: events.append(f"error {error}"))
    requests = []
    context.on("request", lambda request: requests.append(request.url))
    visited = 0
    try:
        for build in payload_sites["builds"]:
            base = f"{payload_sites['url']}{build['name']}/"
            for key, payload in build["keys"].items():
                if key == "control":
                    continue
                # The self-check page holds the payload in every field it shows; once
                # answered, the script shows the result card and the answers given.
                page.goto(f"{base}topics/topic-{key}/check-{key}-0/")
                visited += 1
                page.evaluate("""() => {
                  document.querySelectorAll('input[value="not-sure"]')
                    .forEach((input) => { input.checked = true; });
                  document.querySelector('[data-self-check-form]')
                    .dispatchEvent(new Event("change", {bubbles: true}));
                }""")
                card = page.locator("[data-self-check-results] [data-outcome]:visible")
                assert card.locator("h3").evaluate("h => h.lastChild.textContent").strip() \
                    == shown(payload)
                assert shown(payload) in shown(
                    card.locator("[data-why-list] li").first.text_content())
                assert page.evaluate("window.__violations") == []
            # Search shows the home page, whose text holds every payload of the build.
            page.goto(base)
            visited += 1
            search = page.locator("input.md-search__input")
            search.focus()
            search.press_sequentially(CONTROL, delay=10)
            page.locator(".md-search-result__item").first.wait_for()
            assert page.evaluate("window.__violations") == []
    finally:
        context.close()
    assert events == []
    assert [url for url in requests if not url.startswith(payload_sites["url"])] == []
    print(f"\npayload pages visited in Chromium: {visited}, dialogs, errors and CSP "
          "violations: 0")


@pytest.mark.parametrize("payload", PAYLOADS + URL_PAYLOADS)
def test_id_url_date_and_choice_fields_refuse_each_payload_where_it_was_written(
        tmp_path, payload):
    """Every constrained value at once, then every rule word: one error at each."""
    for kinds in (("pattern", "choice"), ("rule",)):
        content = tmp_path / "-".join(kinds) / "content"
        (content / "topics").mkdir(parents=True)
        topic, site = sample_topic(), sample_site()
        for data, cls in ((topic, Topic), (site, Site)):
            for path, _, kind in list(text_leaves(cls, data)):
                if kind in kinds:
                    replace_at(data, path, payload)
        texts = {"content/topics/mri-and-low-back-pain.yaml": write_yaml(
                     content / "topics/mri-and-low-back-pain.yaml", topic),
                 "content/site.yaml": write_yaml(content / "site.yaml", site)}
        with pytest.raises(ContentError) as raised:
            read_library(content, content.parent)
        located = collections.defaultdict(set)
        for problem in raised.value.problems:
            located[problem.file].add(problem.line)
        encoded = json.dumps(payload)
        for name, text in texts.items():
            lines = {n for n, line in enumerate(text.splitlines(), 1) if encoded in line}
            if name.endswith("site.yaml") and kinds == ("rule",):
                continue
            assert lines, (name, kinds)
            assert lines <= located[name], (name, kinds, sorted(lines - located[name]))
