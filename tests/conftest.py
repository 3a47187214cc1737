"""Shared fixtures: the real content, a real strict build served under a sub-path, Chromium."""

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
from tests.editing import ROOT

SUB_PATH = "health-guides"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/ from the current output (review the diff!)")


@pytest.fixture(autouse=True)
def _not_in_github_actions(monkeypatch):
    """Tests make mistakes on purpose: keep them off the real run's annotations and summary
    (tests that check those set the variables themselves)."""
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def library():
    return read_library(ROOT / "content", ROOT)


@pytest.fixture
def content_copy(tmp_path):
    """A writable copy of the project (content, site_src, overrides, mkdocs.yml)."""
    for name in ("content", "site_src", "overrides"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return tmp_path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The real site, built strictly by the CLI into <tmp>/health-guides, as on GitHub Pages."""
    from generator.cli import main

    port = _free_port()
    serve_root = tmp_path_factory.mktemp("pages")
    site_dir = serve_root / SUB_PATH
    old = os.environ.get("SITE_URL")
    os.environ["SITE_URL"] = f"http://127.0.0.1:{port}/{SUB_PATH}/"
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        assert main(["build", "--site-dir", str(site_dir)]) == 0
    finally:
        os.chdir(cwd)
        if old is None:
            os.environ.pop("SITE_URL", None)
        else:
            os.environ["SITE_URL"] = old
    return {"dir": site_dir, "root": serve_root, "port": port}


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


@pytest.fixture(scope="session")
def site_url(built_site):
    """The built site served on loopback under its GitHub Pages-like sub-path."""
    handler = functools.partial(_PagesHandler, directory=str(built_site["root"]))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", built_site["port"]), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{built_site['port']}/{SUB_PATH}/"
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
