"""`export`: the planned site as a plain Markdown folder that builds with no project plugin.

The folder holds `docs/` (the hand-written pages and every generated page), `overrides/`
(the theme additions) and a generated `mkdocs.yml` with the site's settings, menu and page
policy written out. `mkdocs build` or `properdocs build` in that folder makes the same site
as `build`; an engine that runs no MkDocs plugins can build it too. This is the way off any
one engine: the generator's output is plain files.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from generator.pipeline import Project, print_problems, read_content
from generator.plan import plan_site
from generator.render import render_site

CONFIG_HEADER = ("# Written by `python -m generator export`; build with `mkdocs build` here.\n"
                 "# JSON is YAML too, so this file is written as JSON.\n")


def export(project: Project, folder: Path) -> int:
    """Write the export into `folder`, which must be empty or missing. 0 when written."""
    from generator.engine import EngineError, plain_config

    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        print(f"error: {folder} is not an empty folder — name a new folder to export into",
              file=sys.stderr)
        return 2
    library, problems = read_content(project)
    if problems:
        print_problems(problems)
    if library is None:
        print("Nothing was exported.", file=sys.stderr)
        return 1
    site = render_site(plan_site(library))
    try:
        config, docs_dir, custom_dir = plain_config(site, project.config_file)
    except EngineError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(docs_dir, folder / "docs")
    if custom_dir is not None:
        shutil.copytree(custom_dir, folder / "overrides")
    for rendered in site.pages:
        target = folder / "docs" / rendered.page.source
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(rendered.markdown, encoding="utf-8")
    for name, data in site.files:
        target = folder / "docs" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    (folder / "mkdocs.yml").write_text(
        CONFIG_HEADER + json.dumps(config, indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8")
    print(f"exported {len(site.pages)} generated page(s) and the site's own pages to "
          f"{folder}/; build it there with `mkdocs build`")
    return 0
