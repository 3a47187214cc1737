"""Every built page in real Chromium: no CSP violations, nothing from other hosts, nothing kept.

One crawl visits every page the build made, uses search, the colour switch, the navigation and
both self-checks, and records every request, every policy violation and what ends up stored.
"""

import html
import re
from urllib.parse import urlsplit

import pytest

from generator.audit import audit_page
from tests.accessibility import FILL, example_answers
from tests.test_browser import CHECKS, TOPIC, open_check

pytestmark = pytest.mark.browser

# Runs before any page script, so nothing the page does can escape the record.
RECORDER = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
});
window.__dialogs = 0;
"""

STORED = """async () => ({
  local: Object.keys(localStorage),
  session: Object.keys(sessionStorage),
  cookie: document.cookie,
  databases: (await indexedDB.databases()).map((db) => db.name),
  workers: (await navigator.serviceWorker.getRegistrations()).length,
  caches: await caches.keys(),
})"""


def page_urls(built_site, site_url) -> list[str]:
    """The address of every HTML page the build made (404.html is what a missing page gets)."""
    urls = []
    for path in sorted(built_site["dir"].rglob("*.html")):
        relative = path.relative_to(built_site["dir"]).as_posix()
        if relative == "404.html":
            urls.append(f"{site_url}no-such-page/")
        else:
            urls.append(site_url + relative.removesuffix("index.html"))
    return urls


class Recorder:
    """A browser context that writes down every request, console CSP message and JS error."""

    def __init__(self, browser):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.context.add_init_script(RECORDER)
        self.requests: list[str] = []
        self.console: list[str] = []
        self.errors: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.page = self.context.new_page()
        self.page.on("console", lambda message: self.console.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("dialog", lambda dialog: (self.errors.append(f"dialog: {dialog.message}"),
                                               dialog.dismiss()))

    def violations(self) -> list[str]:
        return self.page.evaluate("window.__violations")

    def stored(self) -> dict:
        return self.page.evaluate(STORED)


@pytest.fixture
def recorder(browser):
    recorder = Recorder(browser)
    yield recorder
    recorder.context.close()


def test_every_real_page_works_under_the_policy_and_talks_only_to_its_own_site(
        recorder, real_site, real_site_url):
    """The same promise for the real content, whatever pages it has."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(real_site_url))
    for url in page_urls(real_site, real_site_url):
        recorder.page.goto(url)
        recorder.page.wait_for_load_state("networkidle")
        assert recorder.violations() == [], url
    assert [url for url in recorder.requests if not url.startswith(origin + "/")] == []
    assert [m for m in recorder.console if "Content Security Policy" in m] == []
    assert recorder.errors == []


def documented_storage(built_site) -> set[str]:
    """The storage names the privacy page lists in its table of what the browser keeps."""
    page = (built_site["dir"] / "privacy/index.html").read_text(encoding="utf-8")
    section = page.split('id="what-your-browser-keeps"', 1)[1].split("<h2", 1)[0]
    return {html.unescape(name) for name in re.findall(r"<td><code>([^<]+)</code></td>", section)}


def test_every_page_works_under_the_policy_and_talks_only_to_its_own_site(
        recorder, built_site, site_url):
    page = recorder.page
    urls = page_urls(built_site, site_url)
    assert len(urls) == len(list(built_site["dir"].rglob("*.html")))
    for url in urls:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert page.locator('head > meta[http-equiv="Content-Security-Policy"]').count() == 1
        assert recorder.violations() == [], url
    before_any_choice = recorder.stored()

    # Search: the worker loads the index from the site and shows a result for another name.
    page.goto(site_url)
    search = page.locator("input.md-search__input")
    search.focus()
    search.press_sequentially("sciatica", delay=20)
    result = page.locator(".md-search-result__item a").first
    result.wait_for()
    assert f"{TOPIC}/" in result.get_attribute("href")
    page.keyboard.press("Escape")

    # The colour switch changes the scheme and the theme remembers it on the next page.
    scheme = page.evaluate("document.body.dataset.mdColorScheme")
    page.locator("form[data-md-component=palette] label:visible").first.click()
    chosen = page.evaluate("document.body.dataset.mdColorScheme")
    assert chosen != scheme

    # Navigation: the sidebar leads to another page, which keeps the chosen scheme.
    page.locator(".md-sidebar--primary").get_by_role("link", name="Privacy").click()
    page.wait_for_url(f"{site_url}privacy/")
    assert page.locator("h1").inner_text() == "Privacy"
    assert page.evaluate("document.body.dataset.mdColorScheme") == chosen

    # Both self-checks give a result, and answering sends, keeps and shows nothing elsewhere.
    for check in CHECKS:
        rules = open_check(page, site_url, f"{TOPIC}/{check}/")
        stored_before, url_before = recorder.stored(), page.url
        sent = len(recorder.requests)
        for answers in example_answers(rules).values():
            page.evaluate(FILL, answers)
            assert page.locator("[data-self-check-results] [data-outcome]:visible").count()
        assert recorder.requests[sent:] == []
        assert page.url == url_before
        assert recorder.stored() == stored_before
        assert recorder.violations() == []

    after = recorder.stored()
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(site_url))
    assert [url for url in recorder.requests if not url.startswith(origin + "/")] == []
    assert [m for m in recorder.console if "Content Security Policy" in m] == []
    assert recorder.errors == []
    assert recorder.context.cookies() == []
    # Measured, not assumed: the theme stores the colour scheme on the first page, before
    # any choice; after search, navigation and both self-checks, still only what the privacy
    # page lists, under the site's own path.
    prefix = urlsplit(site_url).path + "."
    for stored in (before_any_choice, after):
        assert stored["session"] == [] and stored["cookie"] == ""
        assert stored["databases"] == [] and stored["workers"] == 0 and stored["caches"] == []
        assert all(key.startswith(prefix) for key in stored["local"])
        assert {key.removeprefix(prefix) for key in stored["local"]} \
            == documented_storage(built_site)
    print(f"\npages crawled: {len(urls)}, requests: {len(recorder.requests)}, "
          f"to other hosts: 0, CSP violations: 0, stored: {after['local']}")


def test_a_planted_inline_script_and_handler_are_blocked_and_refused(
        recorder, built_site, site_url):
    """The negative control: the policy really blocks what the audit refuses."""
    about = (built_site["dir"] / "about/index.html").read_text(encoding="utf-8")
    planted = about.replace(
        '<article class="md-content__inner md-typeset">',
        '<article class="md-content__inner md-typeset">'
        "<script>window.__planted = true</script>"
        '<button id="planted" onclick="window.__clicked = true">Planted</button>'
        '<p id="styled" style="color: rgb(255, 0, 0)">Planted style</p>', 1)
    assert planted != about
    assert [p.code for p in audit_page("about/index.html", planted, urlsplit(site_url).path)] \
        == ["inline-script", "inline-handler", "inline-style"]
    page = recorder.page
    page.route(f"{site_url}planted/", lambda route: route.fulfill(
        status=200, content_type="text/html; charset=utf-8", body=planted))
    page.goto(f"{site_url}planted/")
    page.locator("#planted").click()
    assert page.evaluate("[window.__planted, window.__clicked]") == [None, None]
    assert page.evaluate("getComputedStyle(document.getElementById('styled')).color") \
        != "rgb(255, 0, 0)"
    # The browser reports a violation in a task of its own, after the click has returned.
    page.wait_for_function("""() => ["script-src-elem", "script-src-attr", "style-src-attr"]
        .every((kind) => window.__violations.some((entry) => entry.startsWith(kind + " ")))""",
                           timeout=10_000)
    violated = {entry.split(" ")[0] for entry in recorder.violations()}
    assert {"script-src-elem", "script-src-attr", "style-src-attr"} <= violated
    # The theme's own allowlisted scripts still ran: the colour switch is there and works.
    assert page.evaluate("typeof window.__md_get") == "function"


def test_the_privacy_page_says_what_is_kept_and_that_the_host_logs_addresses(built_site):
    page = html.unescape((built_site["dir"] / "privacy/index.html").read_text(encoding="utf-8"))
    assert "GitHub Pages" in page and "IP address" in page
    assert "cookies" in page

