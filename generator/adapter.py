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
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, InclusionLevel

from generator.content import Library, read_library
from generator.errors import ContentError, github_annotations, write_github_summary
from generator.policy import content_security_policy, scope_of
from generator.render import Page, escape_html, render_pages

log = logging.getLogger("mkdocs.plugins.patient_site")

STATIC_PAGES = (("About this site", "about.md"), ("Privacy", "privacy.md"),
                ("Accessibility", "accessibility.md"))


class PatientSiteConfig(Config):
    content_dir = config_options.Type(str, default="content")


@dataclass
class PreviewState:
    """What the preview's dirty builds remember from one save to the next.

    `sources` holds each generated page's Markdown, rewritten only when it changed, so that
    MkDocs' dirty build (which compares file times) rebuilds just the pages an edit touched.
    """

    sources: Path
    settings: tuple = ()
    search_entries: dict[str, list] = field(default_factory=dict)
    outputs: set[str] = field(default_factory=set)
    built_now: set[str] = field(default_factory=set)
    page_urls: list[str] = field(default_factory=list)


class PatientSitePlugin(BasePlugin[PatientSiteConfig]):
    """Adds the generated topic, self-check, home and A-Z pages to an MkDocs build."""

    def __init__(self) -> None:
        self.pages: list[Page] = []
        self.command = "build"
        # Content the caller has already read and checked, so that a build does not read it
        # twice; when MkDocs runs the plugin on its own, it reads the content itself.
        self.library: Library | None = None
        self.preview: PreviewState | None = None  # set by PreviewBuild for its dirty builds

    def on_startup(self, *, command, dirty):
        self.command = command

    @event_priority(100)  # before the search plugin reads the language
    def on_config(self, config):
        root = Path(config.config_file_path).parent
        try:
            library = self.library or read_library(root / self.config.content_dir, root,
                                                   strict=config.strict)
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
            if self.preview is None:
                files.append(File.generated(config, page.path, content=page.markdown,
                                            inclusion=inclusion))
            else:
                files.append(File.generated(config, page.path, inclusion=inclusion,
                                            abs_src_path=self._preview_source(page)))
        if self.preview is not None:
            self.preview.page_urls = [file.url for file in files.documentation_pages()]
            self.preview.outputs = {file.dest_uri for file in files}
        return files

    def _preview_source(self, page: Page) -> str:
        source = self.preview.sources / page.path
        if not source.is_file() or source.read_text(encoding="utf-8") != page.markdown:
            source.parent.mkdir(parents=True, exist_ok=True)
            source.write_text(page.markdown, encoding="utf-8")
        return str(source)

    def on_pre_build(self, *, config):
        if self.preview is None:
            return
        self.preview.built_now = set()
        settings = _settings(config)
        if settings != self.preview.settings:
            # A dirty build would leave the old settings on every unchanged page: empty the
            # folder, so that every page counts as changed.
            shutil.rmtree(config.site_dir, ignore_errors=True)
            self.preview.settings = settings
            self.preview.search_entries = {}

    def on_page_markdown(self, markdown, *, page, config, files):
        if self.preview is not None:
            self.preview.built_now.add(page.file.url)
        return markdown

    @event_priority(100)  # before the search plugin writes its index
    def on_post_build(self, *, config):
        """In the preview, give the search index the entries of every page, not only of the
        pages this rebuild touched (the theme's own merge expects one changed page)."""
        search = config.plugins.get("material/search") or config.plugins.get("search")
        index = getattr(search, "search_index", None)
        if self.preview is None or index is None:
            return
        fresh: dict[str, list] = {}
        for entry in index.entries:
            # The theme writes the home page's location as "", MkDocs its file's URL as "./".
            fresh.setdefault(entry["location"].split("#")[0] or "./", []).append(entry)
        state = self.preview
        state.search_entries = {
            url: fresh.get(url, []) if url in state.built_now else state.search_entries.get(url, [])
            for url in state.page_urls}
        index.entries = [entry for entries in state.search_entries.values() for entry in entries]
        if hasattr(search, "search_index_prev"):
            search.search_index_prev = None


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


def build_site(config_file: Path, site_dir: Path, library: Library) -> str:
    """Build `library` (read and checked) strictly into `site_dir` (the CLI decides where
    that is and swaps it in).

    Returns the path the site is served under, which the audit needs to check the policy.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    _show_mkdocs_messages()
    config = load_config(str(config_file), site_dir=str(site_dir), strict=True)
    _plugin_of(config).library = library
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return scope_of(config.site_url)


class PreviewBuild:
    """The preview's MkDocs build: one work folder, built dirty on every save.

    Only pages whose Markdown (or hand-written source) changed are rebuilt; the plugin keeps
    the search index whole. Anything that reaches every page without passing through a page's
    Markdown (mkdocs.yml, the site settings, the theme overrides) makes the next build a full
    one, and so does a build that failed part-way: its work folder is thrown away.
    """

    def __init__(self, config_file: Path, folder: Path, site_url: str) -> None:
        self.config_file = config_file
        self.folder = folder
        self.site_dir = folder / "site"
        self.site_url = site_url
        self.state: PreviewState | None = None

    def build(self, library: Library) -> str:
        """Build `library` (read and checked) into `site_dir`; returns the path the site is
        served under (for the audit)."""
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        _show_mkdocs_messages()
        # The plugin keeps the dirty build right (see on_pre_build, on_post_build), so MkDocs'
        # warning about dirty builds does not apply (and would stop a strict build).
        logging.getLogger("mkdocs.commands.build").addFilter(_not_the_dirty_build_warning)
        config = load_config(str(self.config_file), site_dir=str(self.site_dir), strict=True,
                             site_url=self.site_url)
        plugin = _plugin_of(config)
        if self.state is None:
            self.discard()
            self.state = PreviewState(sources=self.folder / "sources")
        plugin.library = library
        before = set(self.state.outputs)
        config.plugins.on_startup(command="serve", dirty=False)
        plugin.preview = self.state
        try:
            build(config, dirty=True)
        except BaseException:
            self.discard()
            raise
        finally:
            plugin.preview = None
            config.plugins.on_shutdown()
        for gone in before - self.state.outputs:  # a dirty build never deletes a page
            (self.site_dir / gone).unlink(missing_ok=True)
        return scope_of(config.site_url)

    def discard(self) -> None:
        """Forget everything, so that the next build starts from an empty folder."""
        self.state = None
        shutil.rmtree(self.folder, ignore_errors=True)


def _plugin_of(config) -> PatientSitePlugin:
    return next(plugin for plugin in config.plugins.values()
                if isinstance(plugin, PatientSitePlugin))


def _settings(config) -> tuple:
    """What every page shows but no page's source holds, as the plugins have set it."""
    custom = config.theme.custom_dir
    theme_files = tuple(sorted(
        (path.as_posix(), path.stat().st_mtime_ns, path.stat().st_size)
        for path in (Path(custom).rglob("*") if custom else ()) if path.is_file()))
    return (Path(config.config_file_path).read_bytes(), config.site_name,
            config.site_description, config.copyright, config.site_url,
            repr(config.theme["language"]), repr(dict(config.extra)), theme_files)


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


def _not_the_dirty_build_warning(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith("A 'dirty' build is being performed")


def serve_site(config_file: Path, rebuild: Callable[[PreviewBuild, Path], object], *,
               dev_addr: str | None = None) -> None:
    """Preview with MkDocs' live-reload server, over a folder that only ever holds a good build.

    `mkdocs serve` stops answering requests after a failed rebuild until the content is fixed.
    Here `rebuild(preview_build, site_dir)` is the CLI's: it builds dirty into the preview's
    work folder, audits what changed and copies it into `site_dir` only if all is well; on a
    bad save it prints the located errors and returns, and the server keeps serving the last
    good site. Saving content, hand-written pages, theme overrides or mkdocs.yml rebuilds.
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
    site_dir.mkdir()
    work = PreviewBuild(config_file, preview / "work", url)

    server = LiveReloadServer(builder=lambda: rebuild(work, site_dir), host=host, port=port,
                              root=str(site_dir), mount_path=mount_path)

    def error_page(code: int) -> bytes | None:
        page = site_dir / "404.html"
        return page.read_bytes() if code == 404 and page.is_file() else None

    server.error_handler = error_page
    signal.signal(signal.SIGTERM, _stop)  # a terminated preview tidies up like Ctrl-C
    try:
        rebuild(work, site_dir)
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
