"""The thin MkDocs adapter: the only module that knows MkDocs exists.

Like mkdocs-gen-files, it hands MkDocs pages that a plain module made: at `on_config` it reads
and checks all content (stopping the build with located errors if anything is wrong) and sets
the site-wide settings and navigation from it; at `on_files` it adds the generated Markdown as
`File.generated` pages, so nothing generated is ever written into the source tree.
"""

from __future__ import annotations

import logging
import shutil
import sys
import tempfile
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, InclusionLevel

from generator.content import read_library
from generator.errors import ContentError, github_annotations
from generator.render import Page, render_pages

log = logging.getLogger("mkdocs.plugins.patient_site")

STATIC_PAGES = (("About this site", "about.md"), ("Privacy", "privacy.md"),
                ("Accessibility", "accessibility.md"))


class PatientSiteConfig(Config):
    content_dir = config_options.Type(str, default="content")


class PatientSitePlugin(BasePlugin[PatientSiteConfig]):
    """Adds the generated topic, self-check, home and A-Z pages to an MkDocs build."""

    def __init__(self) -> None:
        self.pages: list[Page] = []
        # The live preview rebuilds only the pages whose Markdown changed (see on_files).
        self.preview_sources: Path | None = None
        self.search_entries: dict[str, list] = {}
        self.built_now: set[str] = set()
        self.page_urls: list[str] = []

    def on_startup(self, *, command, dirty):
        if command == "serve" and dirty:
            self.preview_sources = Path(tempfile.mkdtemp(prefix="patient-site-preview-"))

    def on_shutdown(self):
        if self.preview_sources is not None:
            shutil.rmtree(self.preview_sources, ignore_errors=True)

    @event_priority(100)  # before the search plugin reads the language
    def on_config(self, config):
        root = Path(config.config_file_path).parent
        try:
            library = read_library(root / self.config.content_dir, root)
        except ContentError as error:
            annotations = github_annotations(error.problems)
            if annotations:
                print(annotations, file=sys.stderr)
            raise PluginError(f"the content has problems:\n{error}") from None
        for warning in library.warnings:
            log.warning(str(warning))
        self.pages = render_pages(library)
        site = library.site
        config.site_name = site.site_name
        config.site_description = site.description
        config.theme["language"] = site.language
        config.extra["emergency"] = site.emergency
        config.copyright = f"Published by {site.publisher}"
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
            if self.preview_sources is None:
                files.append(File.generated(config, page.path, content=page.markdown,
                                            inclusion=inclusion))
            else:
                files.append(File.generated(config, page.path, inclusion=inclusion,
                                            abs_src_path=self._preview_source(page)))
        self.page_urls = [file.url for file in files.documentation_pages()]
        return files

    def _preview_source(self, page: Page) -> str:
        """Write a page's Markdown for the preview only when it changed, so that MkDocs'
        dirty build (which compares file times) rebuilds just the pages an edit touched."""
        source = self.preview_sources / page.path
        if not source.is_file() or source.read_text(encoding="utf-8") != page.markdown:
            source.parent.mkdir(parents=True, exist_ok=True)
            source.write_text(page.markdown, encoding="utf-8")
        return str(source)

    def on_pre_build(self, *, config):
        self.built_now = set()

    def on_page_markdown(self, markdown, *, page, config, files):
        self.built_now.add(page.file.url)
        return markdown

    @event_priority(100)  # before the search plugin writes its index
    def on_post_build(self, *, config):
        """In the preview, give the search index the entries of every page, not only of the
        pages this rebuild touched (the theme's own merge expects one changed page)."""
        search = config.plugins.get("material/search") or config.plugins.get("search")
        if self.preview_sources is None or search is None:
            return
        index = getattr(search, "search_index", None)
        if index is None or not hasattr(search, "search_index_prev"):
            return
        fresh: dict[str, list] = {}
        for entry in index.entries:
            # The theme writes the home page's location as "", MkDocs its file's URL as "./".
            fresh.setdefault(entry["location"].split("#")[0] or "./", []).append(entry)
        self.search_entries = {
            url: fresh.get(url, []) if url in self.built_now else self.search_entries.get(url, [])
            for url in self.page_urls}
        index.entries = [entry for entries in self.search_entries.values() for entry in entries]
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


def build_site(config_file: Path, site_dir: Path, *, strict: bool = True) -> None:
    """Build with MkDocs into `site_dir` (the CLI decides where that is and swaps it in)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    _show_mkdocs_messages()
    config = load_config(str(config_file), site_dir=str(site_dir), strict=strict)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()


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


def serve_site(config_file: Path, *, dev_addr: str | None = None) -> None:
    """MkDocs' live-reloading server; `watch: [content]` in mkdocs.yml rebuilds on YAML saves."""
    from mkdocs.commands.serve import serve

    _show_mkdocs_messages(logging.INFO)
    # "dirty": MkDocs rebuilds only pages whose source changed; the plugin keeps the generated
    # pages' sources and the search index right for that (see PatientSitePlugin.on_files), and
    # the navigation lists no generated page, so MkDocs' warning about it does not apply (and
    # would stop a strict build).
    logging.getLogger("mkdocs.commands.build").addFilter(_not_the_dirty_build_warning)
    serve(str(config_file), dev_addr=dev_addr, build_type="dirty")


def _not_the_dirty_build_warning(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith("A 'dirty' build is being performed")
