"""Shared fixtures: the fixture library and the real content, each built strictly and served
under a sub-path, and Chromium."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socket
import threading
from pathlib import Path

import pytest

from generator.content import read_library
from tests.editing import LIBRARY, ROOT

SUB_PATH = "health-guides"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/ from the current output (review the diff!)")


@pytest.fixture(scope="session", autouse=True)
def _own_cache(tmp_path_factory):
    """The run keeps its caches (syllables, compiled templates) in a folder of its own, so a
    developer's cache neither helps nor harms it; builds in subprocesses inherit it."""
    old = os.environ.get("PATIENT_SITE_CACHE")
    os.environ["PATIENT_SITE_CACHE"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if old is None:
        os.environ.pop("PATIENT_SITE_CACHE", None)
    else:
        os.environ["PATIENT_SITE_CACHE"] = old


@pytest.fixture(autouse=True)
def _not_in_github_actions(monkeypatch):
    """Tests make mistakes on purpose: keep them off the real run's annotations and summary
    (tests that check those set the variables themselves)."""
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def library():
    """The fixture library (tests/library): what unit and golden tests describe."""
    return read_library(LIBRARY, LIBRARY.parent)


def make_project(folder: Path, content: Path = LIBRARY) -> Path:
    """A project in `folder`: the real engine config, theme additions and hand-written pages,
    with `content` as its content folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("site_src", "overrides"):
        shutil.copytree(ROOT / name, folder / name)
    shutil.copytree(content, folder / "content")
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    return folder


@pytest.fixture
def content_copy(tmp_path):
    """A writable project (content from the fixture library, site_src, overrides, mkdocs.yml)."""
    return make_project(tmp_path)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build_project(project: Path, serve_root: Path) -> dict:
    """Build a project strictly with the CLI into <serve_root>/health-guides, as on Pages."""
    from generator.cli import main

    port = _free_port()
    site_dir = serve_root / SUB_PATH
    old = os.environ.get("SITE_URL")
    os.environ["SITE_URL"] = f"http://127.0.0.1:{port}/{SUB_PATH}/"
    try:
        assert main(["build", "--config", str(project / "mkdocs.yml"),
                     "--site-dir", str(site_dir)]) == 0
    finally:
        if old is None:
            os.environ.pop("SITE_URL", None)
        else:
            os.environ["SITE_URL"] = old
    return {"dir": site_dir, "root": serve_root, "port": port, "project": project}


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The fixture library's site, built strictly by the CLI."""
    project = make_project(tmp_path_factory.mktemp("fixture-project"))
    return build_project(project, tmp_path_factory.mktemp("pages"))


@pytest.fixture(scope="session", params=["content", "examples"])
def real_site(request, tmp_path_factory):
    """A library an editor could publish, built: the real content, then the examples library
    (`examples/`, as if copied into content/). Tested only for what holds for any valid
    library, so every such test runs on both."""
    if request.param == "content":
        return build_project(ROOT, tmp_path_factory.mktemp("real-pages"))
    project = make_project(tmp_path_factory.mktemp("examples-project"), ROOT / "examples")
    return build_project(project, tmp_path_factory.mktemp("examples-pages"))


@pytest.fixture(scope="session")
def checks_site(tmp_path_factory):
    """The fixture library with the topics of tests/new_topics added: between them, their
    self-checks use every question type, follow-ups and several checks per topic."""
    content = tmp_path_factory.mktemp("checks-content") / "content"
    shutil.copytree(LIBRARY, content)
    for topic in sorted((ROOT / "tests" / "new_topics").glob("*.yaml")):
        shutil.copy(topic, content / "topics" / topic.name)
    project = make_project(tmp_path_factory.mktemp("checks-project"), content)
    built = build_project(project, tmp_path_factory.mktemp("checks-pages"))
    built["library"] = read_library(project / "content", project)
    return built


@pytest.fixture(scope="session")
def checks_site_url(checks_site):
    server, url = _serve(checks_site)
    yield url
    server.shutdown()


class _PagesHandler(http.server.SimpleHTTPRequestHandler):
    """Serves like GitHub Pages: a missing path gets the site's own 404.html, status 404."""

    def log_message(self, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / SUB_PATH / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def _serve(built: dict):
    handler = functools.partial(_PagesHandler, directory=str(built["root"]))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", built["port"]), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{built['port']}/{SUB_PATH}/"


@pytest.fixture(scope="session")
def site_url(built_site):
    """The fixture site served on loopback under its GitHub Pages-like sub-path."""
    server, url = _serve(built_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def real_site_url(real_site):
    """That site served on loopback under its GitHub Pages-like sub-path."""
    server, url = _serve(real_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from tests.browser import launch

    playwright, chromium = launch()
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"
