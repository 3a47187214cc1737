"""The preview's dirty builds: one work folder, rebuilt on every save, only where it changed.

The engine's dirty build rebuilds the pages whose source file is newer than their output, so
each generated page is written to a file of its own (rewritten only when its Markdown changed)
and the work folder is kept between saves. Two things a dirty build gets wrong are put right
here: anything that reaches every page without passing through a page's source (mkdocs.yml,
the site settings, the theme overrides) makes the next build a full one, and the search index
gets the entries of every page, not only of those rebuilt.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from generator.engine import EngineError, plugin_of, show_engine_messages
from generator.engine.api import (
    ENGINE,
    BasePlugin,
    EngineException,
    File,
    build,
    event_priority,
    load_config,
)
from generator.policy import scope_of
from generator.render import RenderedSite


@dataclass
class DirtyState:
    """What one dirty build leaves for the next."""

    sources: Path
    settings: tuple = ()
    search_entries: dict[str, list] = field(default_factory=dict)
    outputs: set[str] = field(default_factory=set)
    built_now: set[str] = field(default_factory=set)
    page_urls: list[str] = field(default_factory=list)


class DirtyBuildPlugin(BasePlugin):
    """Runs beside the site's plugin in preview builds only."""

    def __init__(self, state: DirtyState) -> None:
        self.state = state

    @event_priority(-100)  # after the site's plugin has added the generated pages
    def on_files(self, files, *, config):
        for file in [file for file in files if file.generated_by]:
            if file.abs_src_path is None and file.src_uri.endswith(".md"):
                files.remove(file)
                files.append(File.generated(config, file.src_uri, inclusion=file.inclusion,
                                            abs_src_path=self._write(file)))
        self.state.page_urls = [file.url for file in files.documentation_pages()]
        self.state.outputs = {file.dest_uri for file in files}
        return files

    def _write(self, file) -> str:
        source = self.state.sources / file.src_uri
        text = file.content_string
        if not source.is_file() or source.read_text(encoding="utf-8") != text:
            source.parent.mkdir(parents=True, exist_ok=True)
            source.write_text(text, encoding="utf-8")
        return str(source)

    def on_pre_build(self, *, config):
        self.state.built_now = set()
        settings = _settings(config)
        if settings != self.state.settings:
            # A dirty build would leave the old settings on every unchanged page: empty the
            # folder, so that every page counts as changed.
            shutil.rmtree(config.site_dir, ignore_errors=True)
            self.state.settings = settings
            self.state.search_entries = {}

    def on_page_markdown(self, markdown, *, page, config, files):
        self.state.built_now.add(page.file.url)
        return markdown

    @event_priority(100)  # before the search plugin writes its index
    def on_post_build(self, *, config):
        """Give the search index the entries of every page, not only of the pages this
        rebuild touched (the theme's own merge expects one changed page)."""
        search = config.plugins.get("material/search") or config.plugins.get("search")
        index = getattr(search, "search_index", None)
        if index is None:
            return
        fresh: dict[str, list] = {}
        for entry in index.entries:
            # The theme writes the home page's location as "", the engine its file's URL "./".
            fresh.setdefault(entry["location"].split("#")[0] or "./", []).append(entry)
        state = self.state
        state.search_entries = {
            url: fresh.get(url, []) if url in state.built_now else state.search_entries.get(url, [])
            for url in state.page_urls}
        index.entries = [entry for entries in state.search_entries.values() for entry in entries]
        if hasattr(search, "search_index_prev"):
            search.search_index_prev = None


class DirtyBuild:
    """The preview's work folder and what its builds remember. A build that fails part-way
    throws the folder away, so the next build starts whole."""

    def __init__(self, config_file: Path, folder: Path, site_url: str) -> None:
        self.config_file = config_file
        self.folder = folder
        self.site_dir = folder / "site"
        self.site_url = site_url
        self.state: DirtyState | None = None
        self.theme_files: tuple[list[str], set[str]] | None = None

    def build(self, site: RenderedSite) -> str:
        """Build `site` dirty into `site_dir`; returns the path the site is served under."""
        show_engine_messages()
        # The plugin above keeps the dirty build right, so the engine's warning about dirty
        # builds does not apply (and would stop a strict build).
        logging.getLogger(f"{ENGINE}.commands.build").addFilter(_not_the_dirty_build_warning)
        if self.state is None:
            self.discard()
            self.state = DirtyState(sources=self.folder / "sources")
        before = set(self.state.outputs)
        try:
            config = load_config(str(self.config_file), site_dir=str(self.site_dir),
                                 strict=True, site_url=self.site_url)
            self._list_the_theme_once(config)
            plugin_of(config).site = site
            config.plugins["patient-site-dirty-build"] = DirtyBuildPlugin(self.state)
            config.plugins.on_startup(command="serve", dirty=True)
            try:
                build(config, dirty=True)
            finally:
                config.plugins.on_shutdown()
        except EngineException as error:
            self.discard()
            raise EngineError(str(error)) from None
        except BaseException:
            self.discard()
            raise
        for gone in before - self.state.outputs:  # a dirty build never deletes a page
            (self.site_dir / gone).unlink(missing_ok=True)
        return scope_of(config.site_url)

    def _list_the_theme_once(self, config) -> None:
        """The engine lists every file of the theme on every build (about 14,500, mostly
        icons: 50 ms). The installed theme does not change while the preview runs, so its
        list is made once; the project's own theme folder (overrides/) is listed each time."""
        theme = config.theme
        custom = theme.custom_dir
        installed = [folder for folder in theme.dirs if folder != custom]
        make_env = theme.get_env

        def get_env():
            env = make_env()
            loader = env.loader  # a loader over theme.dirs, the project's folder first
            if self.theme_files is None or self.theme_files[0] != installed:
                self.theme_files = (installed, set(type(loader)(installed).list_templates()))
            listed = self.theme_files[1]
            loader.list_templates = lambda: sorted(listed.union(
                type(loader)(custom).list_templates() if custom else ()))
            return env

        theme.get_env = get_env

    def discard(self) -> None:
        """Forget everything, so that the next build starts from an empty folder."""
        self.state = None
        shutil.rmtree(self.folder, ignore_errors=True)


def _settings(config) -> tuple:
    """What every page shows but no page's source holds, as the plugins have set it."""
    custom = config.theme.custom_dir
    theme_files = tuple(sorted(
        (path.as_posix(), path.stat().st_mtime_ns, path.stat().st_size)
        for path in (Path(custom).rglob("*") if custom else ()) if path.is_file()))
    return (Path(config.config_file_path).read_bytes(), config.site_name,
            config.site_description, config.copyright, config.site_url,
            repr(config.theme["language"]), repr(dict(config.extra)), theme_files)


def _not_the_dirty_build_warning(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith("A 'dirty' build is being performed")
