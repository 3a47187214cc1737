"""The engine adapter: the only package that imports the site engine (MkDocs or ProperDocs).

The rest of the generator hands it a rendered site plan and a folder, and gets back a built
site or an `EngineError`. `plugin` is the thin plugin the engine runs; `dirty` keeps the
preview's dirty builds right; `server` is the preview's live-reload server.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from generator.engine.api import ENGINE, EngineException, build, load_config
from generator.engine.plugin import PatientSitePlugin
from generator.policy import scope_of
from generator.render import RenderedSite


class EngineError(Exception):
    """The engine refused to build (a broken link, a missing page, a bad mkdocs.yml)."""


def build_site(site: RenderedSite, config_file: Path, site_dir: Path) -> str:
    """Build `site` strictly into `site_dir`; returns the path the site is served under."""
    show_engine_messages()
    try:
        config = load_config(str(config_file), site_dir=str(site_dir), strict=True)
        plugin_of(config).site = site
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except EngineException as error:
        raise EngineError(str(error)) from None
    return scope_of(config.site_url)


def plain_config(site: RenderedSite, config_file: Path) -> tuple[dict, Path, Path | None]:
    """The project's engine config as it stands once the site's plugin has applied the plan,
    for a build with no project plugin: the settings, the menu, the page policy, every
    option of the theme, Markdown and link checking. Also where the hand-written pages and
    the theme overrides are, which the plain build needs copies of."""
    show_engine_messages()
    try:
        config = load_config(str(config_file), strict=True)
        plugin_of(config).site = site
        config.plugins.on_startup(command="build", dirty=False)
        config = config.plugins.on_config(config)
    except EngineException as error:
        raise EngineError(str(error)) from None
    levels = {logging.DEBUG: "ignore", logging.INFO: "info", logging.WARNING: "warn"}
    theme = {key: config.theme[key] for key in config.theme
             if key not in {"locale", "direction"} and config.theme[key] is not None}
    plain = {
        "site_name": config.site_name,
        "site_url": config.site_url,
        "site_description": config.site_description,
        "copyright": config.copyright,
        "docs_dir": "docs",
        "use_directory_urls": config.use_directory_urls,
        "strict": True,
        "theme": {**theme, **({"custom_dir": "overrides"} if config.theme.custom_dir else {})},
        "plugins": ["search"],
        "markdown_extensions": [
            {name: config.mdx_configs[name]} if name in config.mdx_configs else name
            for name in config.markdown_extensions],
        "extra": dict(config.extra),
        "nav": config.nav,
        "validation": {group: {name: levels.get(level, "warn") for name, level in values.items()}
                       for group, values in dict(config.validation).items()},
    }
    return plain, Path(config.docs_dir), (Path(config.theme.custom_dir)
                                          if config.theme.custom_dir else None)


def plugin_of(config) -> PatientSitePlugin:
    found = [plugin for plugin in config.plugins.values()
             if isinstance(plugin, PatientSitePlugin)]
    if not found:
        raise EngineError(f"{config.config_file_path} does not list the 'patient-site' plugin: "
                          "add it under 'plugins:'")
    return found[0]


def show_engine_messages(level: int = logging.WARNING) -> None:
    """The engine reports broken links and plugin errors through logging; print them plainly."""
    for name in (ENGINE, "generator"):
        logger = logging.getLogger(name)
        if not any(getattr(handler, "_patient_site", False) for handler in logger.handlers):
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
            handler.setLevel(level)
            handler._patient_site = True
            logger.addHandler(handler)
            logger.setLevel(logging.INFO)


__all__ = ["ENGINE", "EngineError", "build_site", "plain_config", "show_engine_messages"]
