"""The command line: `check` the content, `build` the site, or `serve` it with live reload.

`schema` rewrites the editors' JSON Schemas from the model (run it after changing the model).

`build` never leaves a broken site behind: MkDocs writes into a fresh folder beside the
target, the audit reads every page it made, and only a build that finished and passed the
audit is swapped in (the old site is moved aside first and
removed after). A failed or interrupted build leaves the last good site as it was.

Exit codes: 0 success; 1 the content or the build has errors; 2 the command was misused.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from generator.audit import audit_site
from generator.content import Library, read_library
from generator.errors import ContentError, github_annotations, report, write_github_summary
from generator.readability import Score, score_page, score_site, write_report

if TYPE_CHECKING:
    from generator.adapter import PreviewBuild

# Reports about a build are for the team, not readers, so they never go into the site.
REPORTS_DIR = "reports"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="patient-site", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate the content only (fast)")
    check.add_argument("--content", default="content", help="content folder (default: content)")
    build = commands.add_parser("build", help="check, then build the site into a folder")
    build.add_argument("--config", default="mkdocs.yml", help="MkDocs config (default: mkdocs.yml)")
    build.add_argument("--site-dir", default="site", help="where the site goes (default: site)")
    serve = commands.add_parser("serve", help="preview the site; rebuilds when content changes")
    serve.add_argument("--config", default="mkdocs.yml")
    serve.add_argument("--dev-addr", default=None, help="address:port (default 127.0.0.1:8000)")
    schema = commands.add_parser("schema", help="write the editors' JSON Schemas from the model")
    schema.add_argument("--out", default="content/schema",
                        help="folder for the schema files (default: content/schema)")
    args = parser.parse_args(argv)
    if args.command == "schema":
        return run_schema(Path(args.out))
    if args.command == "check":
        return run_check(Path(args.content))
    if args.command == "build":
        return run_build(Path(args.config), Path(args.site_dir))
    from generator.adapter import serve_site

    config_file = Path(args.config)
    scores: dict[str, Score] = {}

    def rebuild(work: PreviewBuild, site_dir: Path) -> None:
        if run_preview(config_file, work, site_dir, scores) != 0:
            print("The preview keeps showing the last good version: save a fix to update it.",
                  file=sys.stderr)

    serve_site(config_file, rebuild, dev_addr=args.dev_addr)
    return 0


def run_check(content_dir: Path) -> int:
    """Validate all content; paths in messages are relative to the folder that holds it."""
    started = time.perf_counter()
    library = read_checked(content_dir)
    if library is None:
        return 1
    elapsed = time.perf_counter() - started
    checks = sum(len(topic.self_checks) for topic in library.topics)
    print(f"content is valid: {len(library.topics)} topic(s), {checks} self-check(s), "
          f"checked in {elapsed:.2f} s")
    return 0


def read_checked(content_dir: Path) -> Library | None:
    """All content, or None once its problems are printed; warnings are printed either way."""
    try:
        library = read_library(content_dir, content_dir.resolve().parent)
    except ContentError as error:
        _print_problems(error.problems)
        return None
    if library.warnings:
        _print_problems(library.warnings)
    return library


def run_schema(folder: Path) -> int:
    """Write the JSON Schemas that content files name on their first line."""
    from generator.schema import schema_texts

    folder.mkdir(parents=True, exist_ok=True)
    for name, text in schema_texts().items():
        (folder / name).write_text(text, encoding="utf-8")
        print(f"wrote {(folder / name).as_posix()}")
    return 0


def run_build(config_file: Path, site_dir: Path) -> int:
    from mkdocs.exceptions import MkDocsException

    from generator.adapter import build_site

    started = time.perf_counter()
    # Read and check everything before MkDocs writes anything; the plugin builds from this.
    library = read_checked(config_file.resolve().parent / "content")
    if library is None:
        print(f"The site was not built. The last good site in {site_dir.name}/ was left as it "
              "was.", file=sys.stderr)
        return 1
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    recover(site_dir)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-new-", dir=site_dir.parent))
    try:
        scope = build_site(config_file, staging, library)
    except MkDocsException as error:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"error: the site was not built: {error}", file=sys.stderr)
        print(f"The last good site in {site_dir.name}/ was left as it was.", file=sys.stderr)
        return 1
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    problems = audit_site(staging, scope)
    if problems:
        shutil.rmtree(staging, ignore_errors=True)
        _print_problems(problems)
        print(f"The built site failed its audit and was not published. The last good site in "
              f"{site_dir.name}/ was left as it was.", file=sys.stderr)
        return 1
    scores = score_site(staging)
    swap_in(staging, site_dir)
    report_file = _report_readability(scores, scores, config_file)
    pages = sum(1 for _ in site_dir.rglob("*.html"))
    elapsed = time.perf_counter() - started
    print(f"built {pages} HTML pages into {site_dir.name}/ in {elapsed:.2f} s; readability "
          f"of each page in {REPORTS_DIR}/{report_file.name}")
    return 0


def run_preview(config_file: Path, work: PreviewBuild, site_dir: Path,
                scores: dict[str, Score]) -> int:
    """One save under `serve`: build what changed, audit it, and only then copy it in.

    `work` is built dirty, so a save costs about as much as the pages it changed. The files
    that differ from the served folder `site_dir` (those of this build, and of earlier builds
    that failed their audit) are audited, then each is replaced on its own, atomically.
    `scores` keeps every served page's readability between saves, so the report stays whole.
    """
    from mkdocs.exceptions import MkDocsException

    started = time.perf_counter()
    library = read_checked(config_file.resolve().parent / "content")
    if library is None:
        return 1
    try:
        scope = work.build(library)
    except MkDocsException as error:
        print(f"error: the site was not built: {error}", file=sys.stderr)
        return 1
    changed, gone = differences(work.site_dir, site_dir)
    pages = [path for path in changed if path.endswith(".html")]
    # The first build is audited whole, which also tells whether every allowlisted theme
    # script is still in use.
    first = not any(site_dir.iterdir())
    problems = audit_site(work.site_dir, scope, preview=True, pages=None if first else pages)
    if problems:
        _print_problems(problems)
        print("The built site failed its audit and was not published.", file=sys.stderr)
        return 1
    copy_in(work.site_dir, site_dir, changed, gone)
    for path in gone:
        scores.pop(path, None)
    fresh = [score_page(path, (site_dir / path).read_text(encoding="utf-8")) for path in pages]
    scores.update((score.page, score) for score in fresh)
    report_file = _report_readability(
        sorted(scores.values(), key=lambda score: score.page), fresh, config_file)
    elapsed = time.perf_counter() - started
    print(f"updated {len(pages)} HTML page(s) and {len(changed) - len(pages)} other file(s), "
          f"removed {len(gone)}, in {elapsed:.2f} s; readability of each page in "
          f"{REPORTS_DIR}/{report_file.name}")
    return 0


def _report_readability(scores: list[Score], new: list[Score], config_file: Path) -> Path:
    """Write the report of every page's `scores`; warn about the `new` ones that fail."""
    for score in new:
        if not score.passes:
            print(f"warning: {score.failure()}", file=sys.stderr)
    return write_report(scores, config_file.resolve().parent / REPORTS_DIR)


def differences(source: Path, target: Path) -> tuple[list[str], list[str]]:
    """Files in `source` that `target` lacks or holds another version of, and files only in
    `target`. Copies keep their file's time, so size and time tell versions apart."""
    new, old = _versions(source), _versions(target)
    return ([path for path, version in sorted(new.items()) if old.get(path) != version],
            sorted(set(old) - set(new)))


def _versions(folder: Path) -> dict[str, tuple[int, int]]:
    return {path.relative_to(folder).as_posix(): (path.stat().st_size, path.stat().st_mtime_ns)
            for path in folder.rglob("*") if path.is_file()}


def copy_in(source: Path, target: Path, changed: list[str], gone: list[str]) -> None:
    """Copy `changed` files from `source` into `target` and delete `gone` ones from it.

    Each file is written beside its place and renamed over it, so a reader fetching a page
    mid-update gets the old or the new version, never half of one.
    """
    for path in changed:
        place = target / path
        place.parent.mkdir(parents=True, exist_ok=True)
        fresh = place.with_name(f".{place.name}.new-{os.getpid()}")
        shutil.copy2(source / path, fresh)
        os.replace(fresh, place)
    for path in gone:
        (target / path).unlink(missing_ok=True)
        folder = (target / path).parent
        while folder != target and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


def recover(site_dir: Path) -> None:
    """Tidy up after a build that was killed (power cut, SIGKILL) before it could clean up.

    A half-written staging folder is deleted. If the kill came between the two renames of
    `swap_in`, the last good site is still whole beside the target: it is put back.
    """
    olds = sorted(site_dir.parent.glob(f".{site_dir.name}-old-*"),
                  key=lambda path: path.stat().st_mtime)
    if olds and not site_dir.exists():
        os.replace(olds.pop(), site_dir)
    for leftover in [*olds, *site_dir.parent.glob(f".{site_dir.name}-new-*")]:
        shutil.rmtree(leftover, ignore_errors=True)


def swap_in(staging: Path, site_dir: Path) -> None:
    """Replace `site_dir` with `staging` so that a reader never sees a half-written site."""
    old = None
    if site_dir.exists():
        old = site_dir.with_name(f".{site_dir.name}-old-{os.getpid()}")
        os.replace(site_dir, old)
    os.replace(staging, site_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _print_problems(problems) -> None:
    print(report(problems), file=sys.stderr)
    annotations = github_annotations(problems)
    if annotations:
        print(annotations)
    write_github_summary(problems)


if __name__ == "__main__":
    sys.exit(main())
