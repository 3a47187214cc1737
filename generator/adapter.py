"""The thin MkDocs adapter: the only module that knows MkDocs exists.

Like mkdocs-gen-files, it hands MkDocs pages that a plain module made: at `on_config` it reads
and checks all content (stopping the build with located errors if anything is wrong) and sets
the site-wide settings and navigation from it; at `on_files` it adds the generated Markdown as
`File.generated` pages, so nothing generated is ever written into the source tree.
"""

from __future__ import annotations

import logging
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, InclusionLevel

from generator.content import read_library
from generator.errors import ContentError, github_annotations, write_github_summary
from generator.policy import content_security_policy, scope_of
from generator.render import Page, escape_html, render_pages

log = logging.getLogger("mkdocs.plugins.patient_site")

STATIC_PAGES = (("About this site", "about.md"), ("Privacy", "privacy.md"),
                ("Accessibility", "accessibility.md"))


class PatientSiteConfig(Config):
    content_dir = config_options.Type(str, default="content")


class PatientSitePlugin(BasePlugin[PatientSiteConfig]):
    """Adds the generated topic, self-check, home and A-Z pages to an MkDocs build."""

    def __init__(self) -> None:
        self.pages: list[Page] = []
        self.command = "build"

    def on_startup(self, *, command, dirty):
        self.command = command

    @event_priority(100)  # before the search plugin reads the language
    def on_config(self, config):
        root = Path(config.config_file_path).parent
        try:
            library = read_library(root / self.config.content_dir, root, strict=config.strict)
        except ContentError as error:
            annotations = github_annotations(error.problems)
            if annotations:
                print(annotations, file=sys.stderr)
            write_github_summary(error.problems)
            raise PluginError(f"the content has problems:\n{error}") from None
        for warning in library.warnings:
            # Info, not warning: a strict MkDocs build aborts on any warning, and a content
            # warning (such as a check coming due) must not stop the site. The message
            # itself says "warning"; `build` prints it before MkDocs runs, `serve` shows info.
            log.info(str(warning))
        self.pages = render_pages(library)
        site = library.site
        # The theme prints these into HTML as they are: hand it escaped text.
        config.site_name = escape_html(site.site_name)
        config.site_description = escape_html(site.description)
        config.theme["language"] = site.language
        config.extra["emergency"] = escape_html(site.emergency)
        config.copyright = escape_html(f"Published by {site.publisher}")
        # One fixed storage scope keeps the theme's inline script identical on every page,
        # so a single hash in the policy allows it.
        scope = scope_of(config.site_url)
        config.extra["scope"] = scope
        config.extra["content_security_policy"] = content_security_policy(
            scope, preview=self.command == "serve")
        config.nav = _navigation()
        return config

    def on_files(self, files, *, config):
        for page in self.pages:
            if files.get_file_from_path(page.path) is not None:
                raise PluginError(
                    f"{config.docs_dir}/{page.path} would replace a generated page: "
                    "rename or remove the hand-written file")
            inclusion = (InclusionLevel.NOT_IN_NAV if _is_topic_page(page.path)
                         else InclusionLevel.UNDEFINED)
            files.append(File.generated(config, page.path, content=page.markdown,
                                        inclusion=inclusion))
        return files


def _is_topic_page(path: str) -> bool:
    return path.startswith("topics/")


def _navigation() -> list:
    """Home, the A-Z, then the hand-written pages: the same few links on every page.

    Topic pages stay out of the navigation. If every page listed every topic, each page's HTML
    would grow with the library and the build with its square; readers reach a topic from the
    home page, the A-Z or search, and each topic page links to its own self-checks and back.
    """
    return [{"Home": "index.md"}, {"A to Z": "a-z.md"},
            *({title: path} for title, path in STATIC_PAGES)]


def build_site(config_file: Path, site_dir: Path, *, strict: bool = True,
               site_url: str | None = None, preview: bool = False) -> str:
    """Build with MkDocs into `site_dir` (the CLI decides where that is and swaps it in).

    Returns the path the site is served under, which the audit needs to check the policy.
    `site_url` and `preview` are for `serve`: the local address, and the preview policy that
    lets live reload's inline script run.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    _show_mkdocs_messages()
    overrides = {"site_url": site_url} if site_url else {}
    config = load_config(str(config_file), site_dir=str(site_dir), strict=strict, **overrides)
    config.plugins.on_startup(command="serve" if preview else "build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return scope_of(config.site_url)


def _show_mkdocs_messages(level: int = logging.WARNING) -> None:
    """MkDocs reports broken links and plugin errors through logging; print them plainly."""
    logger = logging.getLogger("mkdocs")
    if not any(getattr(handler, "_patient_site", False) for handler in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        handler.setLevel(level)
        handler._patient_site = True
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def serve_site(config_file: Path, rebuild: Callable[[Path, str], object], *,
               dev_addr: str | None = None) -> None:
    """Preview with MkDocs' live-reload server, over a folder that only ever holds a good build.

    `mkdocs serve` stops answering requests after a failed rebuild until the content is fixed.
    Here `rebuild(site_dir, url)` is the CLI's build (staging folder, audit, swap); on a bad
    save it prints the located errors and returns, and the server keeps serving the last good
    site. Saving content, hand-written pages, theme overrides or mkdocs.yml rebuilds.
    """
    from mkdocs.config import load_config
    from mkdocs.livereload import LiveReloadServer

    _show_mkdocs_messages(logging.INFO)
    overrides = {"dev_addr": dev_addr} if dev_addr else {}
    config = load_config(str(config_file), **overrides)
    host, port = config.dev_addr
    mount_path = urlsplit(config.site_url or "/").path
    url = f"http://{host}:{port}{mount_path}"
    preview = Path(tempfile.mkdtemp(prefix="patient-site-preview-"))
    site_dir = preview / "site"

    server = LiveReloadServer(builder=lambda: rebuild(site_dir, url), host=host, port=port,
                              root=str(site_dir), mount_path=mount_path)

    def error_page(code: int) -> bytes | None:
        page = site_dir / "404.html"
        return page.read_bytes() if code == 404 and page.is_file() else None

    server.error_handler = error_page
    signal.signal(signal.SIGTERM, _stop)  # a terminated preview tidies up like Ctrl-C
    try:
        rebuild(site_dir, url)
        content = Path(config.config_file_path).parent / "content"
        watched = {Path(path).resolve() for path in (
            config.docs_dir, config.config_file_path, config.theme.custom_dir, *config.watch,
            content) if path}
        for path in sorted(watched):
            if path.exists():
                server.watch(str(path))
        try:
            server.serve()
        except KeyboardInterrupt:
            log.info("Shutting down...")
        finally:
            server.shutdown()
    finally:
        shutil.rmtree(preview, ignore_errors=True)


def _stop(signum, frame) -> None:
    raise KeyboardInterrupt
