"""The command line: `check` the content, `build` the site, `serve` it with live reload, or
`export` it as a plain Markdown folder that any engine builds.

`schema` rewrites the editors' JSON Schemas from the model (run it after changing the model).
`build` and `serve` run the same steps (`pipeline`); a failed or interrupted build leaves the
last good site as it was.

Exit codes: 0 success; 1 the content or the build has errors; 2 the command was misused
(including a --site-dir that a build may not replace); 130 stopped with Ctrl-C.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from generator import pipeline
from generator.errors import visible
from generator.pipeline import Project
from generator.readability import Score


def main(argv: list[str] | None = None) -> int:
    """Run one command. Ctrl-C stops it with a plain line (a stopped build publishes
    nothing), and an error nobody foresaw is printed as one plain line too: editors never
    see a traceback (set PATIENT_SITE_DEBUG=1 to see it)."""
    try:
        return _run(argv)
    except KeyboardInterrupt:
        print("Stopped. Nothing was published; the last good site was left as it was.",
              file=sys.stderr)
        return 130
    except Exception as error:
        if os.environ.get("PATIENT_SITE_DEBUG"):
            raise
        print(f"error: the command stopped unexpectedly: {visible(str(error))[:300]} — run it "
              "again with PATIENT_SITE_DEBUG=1 and send the output to the site's maintainers "
              "[unexpected-error]", file=sys.stderr)
        return 1


def _run(argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(prog="patient-site", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate the content only (fast)")
    check.add_argument("--content", default="content", help="content folder (default: content)")
    build = commands.add_parser("build", help="check, then build the site into a folder")
    build.add_argument("--site-dir", default="site", help="where the site goes (default: site)")
    serve = commands.add_parser("serve", help="preview the site; rebuilds when content changes")
    serve.add_argument("--dev-addr", default=None, help="address:port (default 127.0.0.1:8000)")
    export = commands.add_parser("export", help="write the site as plain Markdown and a "
                                 "mkdocs.yml that builds with no project plugin")
    export.add_argument("folder", help="an empty or missing folder to write into")
    for command in (build, serve, export):
        command.add_argument("--config", default="mkdocs.yml",
                             help="engine config (default: mkdocs.yml)")
        command.add_argument("--content", default=None,
                             help="content folder (default: content, beside the config)")
    schema = commands.add_parser("schema", help="write the editors' JSON Schemas from the model")
    schema.add_argument("--out", default="content/schema",
                        help="folder for the schema files (default: content/schema)")
    args = parser.parse_args(argv)
    if args.command == "schema":
        return run_schema(Path(args.out))
    if args.command == "check":
        return run_check(Path(args.content))
    project = Project.at(Path(args.config), Path(args.content) if args.content else None)
    if args.command == "build":
        return pipeline.build(project, Path(args.site_dir))
    if args.command == "export":
        from generator.export import export

        return export(project, Path(args.folder))
    return run_serve(project, args.dev_addr)


def run_check(content_dir: Path) -> int:
    """Validate all content; paths in messages are relative to the folder that holds it."""
    from generator.content import check_content

    started = time.perf_counter()
    checked = check_content(content_dir, content_dir.resolve().parent)
    if checked.problems:
        pipeline.print_problems(checked.problems)
    if not checked.valid:
        return 1
    elapsed = time.perf_counter() - started
    checks = sum(len(topic.check_ids) for topic in checked.topics)
    print(f"content is valid: {len(checked.topics)} topic(s), {checks} self-check(s), "
          f"checked in {elapsed:.2f} s")
    return 0


def run_serve(project: Project, dev_addr: str | None) -> int:
    from generator.engine.server import serve_site

    scores: dict[str, Score] = {}
    serve_site(project.config_file, project.content_dir,
               lambda work, site_dir: pipeline.preview_save(project, work, site_dir, scores),
               dev_addr=dev_addr)
    return 0


def run_schema(folder: Path) -> int:
    """Write the JSON Schemas that content files name on their first line."""
    from generator.schema import schema_texts

    folder.mkdir(parents=True, exist_ok=True)
    for name, text in schema_texts().items():
        (folder / name).write_text(text, encoding="utf-8")
        print(f"wrote {(folder / name).as_posix()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
