"""The MkDocs plugin: it hands the rendered site plan to the engine, and nothing else.

Like mkdocs-gen-files, the pages come from a plain module. At `on_config` the plugin sets the
theme's settings and the menu from the plan; at `on_files` it adds the generated pages as
`File.generated`, so nothing generated is ever written into the source tree. The build
pipeline hands it a rendered site it has already checked; run by the engine's own command
line, the plugin reads the content itself (from its `content_dir` option).
"""

from __future__ import annotations

import logging
from pathlib import Path

from generator.engine.api import (
    BasePlugin,
    Config,
    File,
    InclusionLevel,
    PluginError,
    config_options,
    event_priority,
)
from generator.policy import content_security_policy, scope_of
from generator.render import RenderedSite, use_template_cache

log = logging.getLogger(__name__)


class PatientSiteConfig(Config):
    content_dir = config_options.Type(str, default="content")


class PatientSitePlugin(BasePlugin[PatientSiteConfig]):
    """Adds the planned pages to a build, with the menu and the settings the theme prints."""

    def __init__(self) -> None:
        self.site: RenderedSite | None = None  # set by the build pipeline
        self.command = "build"

    def on_startup(self, *, command, dirty):
        self.command = command

    @event_priority(100)  # before the search plugin reads the language
    def on_config(self, config):
        _check_sources(config, handed=self.site is not None)
        if self.site is None:
            content_dir = Path(config.config_file_path).parent / self.config.content_dir
            self.site = _read_site(content_dir, strict=config.strict)
            config.watch.append(str(content_dir))  # for the engine's own `serve`
        settings = self.site.settings
        config.site_name = settings["site_name"]
        config.site_description = settings["site_description"]
        config.copyright = settings["copyright"]
        config.theme["language"] = settings["language"]
        config.extra["emergency"] = settings["emergency"]
        # One fixed storage scope keeps the theme's inline script identical on every page,
        # so a single hash in the policy allows it.
        scope = scope_of(config.site_url)
        config.extra["scope"] = scope
        config.extra["content_security_policy"] = content_security_policy(
            scope, preview=self.command == "serve")
        config.nav = [{title: source} for title, source in self.site.menu]
        return config

    def on_env(self, env, *, config, files):
        use_template_cache(env)
        return env

    def on_files(self, files, *, config):
        for rendered in self.site.pages:
            page = rendered.page
            if files.get_file_from_path(page.source) is not None:
                raise PluginError(f"{config.docs_dir}/{page.source} would replace a generated "
                                  "page: rename or remove the hand-written file")
            inclusion = (InclusionLevel.UNDEFINED if page.menu_title
                         else InclusionLevel.NOT_IN_NAV)
            files.append(File.generated(config, page.source, content=rendered.markdown,
                                        inclusion=inclusion))
        for name, data in self.site.files:
            if files.get_file_from_path(name) is not None:
                raise PluginError(f"{config.docs_dir}/{name} would replace a picture a topic "
                                  "shows: rename or remove the hand-written file")
            files.append(File.generated(config, name, content=data))
        return files


def _check_sources(config, *, handed: bool) -> None:
    """The engine copies every file of the hand-written pages and the theme overrides into the
    site, following links and waiting on pipes: refuse both before it starts."""
    from generator.errors import ContentError, report
    from generator.tree import source_problems

    root = Path(config.config_file_path).resolve().parent

    def display(path: Path) -> str:
        try:
            return (path.parent.resolve() / path.name).relative_to(root).as_posix()
        except ValueError:
            return path.as_posix()

    problems = [problem for folder in (config.docs_dir, config.theme.custom_dir) if folder
                for problem in source_problems(Path(folder), display)]
    if problems:
        raise ContentError(problems) if handed else PluginError(report(problems))


def _read_site(content_dir: Path, *, strict: bool) -> RenderedSite:
    """The checked, planned and rendered content, for a build the pipeline did not start."""
    from generator.content import read_library
    from generator.errors import ContentError
    from generator.plan import plan_site
    from generator.render import render_site

    try:
        library = read_library(content_dir, content_dir.parent, strict=strict)
    except ContentError as error:
        raise PluginError(f"the content has problems:\n{error}") from None
    for warning in library.warnings:
        # Info, not warning: a strict build aborts on any warning, and a content warning
        # (such as a check coming due) must not stop the site.
        log.info(str(warning))
    return render_site(plan_site(library))
