"""The names the adapter uses from the site engine, imported in this one place.

MkDocs 1.6 and ProperDocs (its maintained fork) offer the same plugin API under different
package names. MkDocs builds the site unless the environment variable SITE_ENGINE says
`properdocs`; the choice is made once, here, because the plugin's base class comes from it.

Under ProperDocs, the theme still imports `mkdocs.*` and logs to `mkdocs.*` loggers.
ProperDocs' own command line routes both to itself; a build started from Python must do the
same, or the theme would load the wrong classes and a strict build would not count the
theme's warnings.
"""

from __future__ import annotations

import importlib
import logging
import os

ENGINE = os.environ.get("SITE_ENGINE", "mkdocs")

if ENGINE == "properdocs":
    import properdocs.replacement  # noqa: F401  (sends `import mkdocs.x` to properdocs.x)
    from properdocs import exceptions
    from properdocs.commands.build import build
    from properdocs.config import config_options, load_config
    from properdocs.config.base import Config
    from properdocs.plugins import BasePlugin, event_priority
    from properdocs.structure.files import File, InclusionLevel

    logging.getLogger("mkdocs").parent = logging.getLogger("properdocs")
else:
    from mkdocs import exceptions
    from mkdocs.commands.build import build
    from mkdocs.config import config_options, load_config
    from mkdocs.config.base import Config
    from mkdocs.plugins import BasePlugin, event_priority
    from mkdocs.structure.files import File, InclusionLevel

def __getattr__(name: str):
    """`LiveReloadServer`, loaded when first asked for: only the preview needs it, and it
    brings the file watcher with it (30 ms that a build would spend for nothing)."""
    if name == "LiveReloadServer":
        return importlib.import_module(f"{ENGINE}.livereload").LiveReloadServer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


PluginError = exceptions.PluginError
EngineException = exceptions.MkDocsException if ENGINE != "properdocs" else getattr(
    exceptions, "ProperDocsException", getattr(exceptions, "MkDocsException", Exception))

__all__ = ["ENGINE", "BasePlugin", "Config", "EngineException", "File", "InclusionLevel",
           "PluginError", "build", "config_options", "event_priority",
           "load_config"]
