"""The build pipeline: the named steps that every build and every preview save runs.

    check → plan → engine build → audit → reading scores → publish

Like MkDocs' `commands/build.py`, a build is one list of phases. Each step either moves the
run on or returns the problems that stop it; problems are printed by one path (`report`), and
a stopped run publishes nothing, so the last good site stays as it was. Where the build goes
and how it is published is the run's `Target`: a full build swapped into the site folder
(`FullBuild`), or a preview save copied into the folder the preview serves (`PreviewSave`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import shutil
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from generator import publish
from generator.audit import audit_site
from generator.content import Library, read_library
from generator.errors import (
    ContentError,
    Problem,
    github_annotations,
    os_problem,
    report,
    write_github_summary,
)
from generator.plan import SitePlan, plan_site
from generator.readability import Score, score_site, write_report
from generator.render import RenderedSite, render_site

if TYPE_CHECKING:
    from generator.engine.dirty import DirtyBuild

# Reports about a build are for the team, not readers, so they never go into the site.
REPORTS_DIR = "reports"


@dataclasses.dataclass(frozen=True)
class Project:
    """Where a project's parts are: its engine config and its content folder."""

    config_file: Path
    content_dir: Path

    @property
    def root(self) -> Path:
        return self.config_file.resolve().parent

    @classmethod
    def at(cls, config_file: Path, content_dir: Path | None = None) -> Project:
        return cls(config_file, content_dir or config_file.resolve().parent / "content")


class Target(Protocol):
    """Where a run builds, which pages it audits, how it scores and publishes them."""

    preview: bool
    kept: str  # what a reader of the terminal is told when a run stops

    def build(self, site: RenderedSite) -> tuple[Path, str]: ...
    def pages_to_audit(self) -> list[str] | None: ...
    def score(self, folder: Path) -> tuple[list[Score], list[Score]]: ...
    def publish(self) -> str: ...
    def abandon(self) -> None: ...


@dataclasses.dataclass
class Run:
    """One pass through the steps; each step fills in what the next one needs."""

    project: Project
    target: Target
    library: Library | None = None
    plan: SitePlan | None = None
    site: RenderedSite | None = None
    folder: Path | None = None
    scope: str = "/"
    started: float = dataclasses.field(default_factory=time.perf_counter)


def check(run: Run) -> list[Problem]:
    library, problems = read_content(run.project)
    run.library = library
    return problems


def plan(run: Run) -> list[Problem]:
    run.plan = plan_site(run.library)
    run.site = render_site(run.plan)
    return []


def engine_build(run: Run) -> list[Problem]:
    from generator.engine import EngineError

    try:
        run.folder, run.scope = run.target.build(run.site)
    except EngineError as error:
        return [Problem(run.project.config_file.name, 1, 1,
                        f"the site engine stopped the build: {error}",
                        "fix what the lines above name, then build again", "build-failed")]
    return []


def audit(run: Run) -> list[Problem]:
    return audit_site(run.folder, run.scope, preview=run.target.preview,
                      pages=run.target.pages_to_audit())


def reading_scores(run: Run) -> list[Problem]:
    """Scores never stop a build: a page that reads too hard is a warning, and the test
    suite holds the real content to the limits."""
    every, fresh = run.target.score(run.folder)
    for score in fresh:
        if not score.passes:
            print(f"warning: {score.failure()}", file=sys.stderr)
    try:
        write_report(every, run.project.root / REPORTS_DIR)
    except OSError as error:  # the report is for the team; the site itself is fine
        return [dataclasses.replace(os_problem(error, run.project.root, "write the report"),
                                    severity="warning")]
    return []


def publish_site(run: Run) -> list[Problem]:
    summary = run.target.publish()
    print(f"{summary} in {time.perf_counter() - run.started:.2f} s; readability of each page "
          f"in {REPORTS_DIR}/readability.md")
    return []


Step = Callable[[Run], list[Problem]]
STEPS: tuple[tuple[str, Step, str], ...] = (
    ("check", check, "The site was not built."),
    ("plan", plan, "The site was not built."),
    ("engine build", engine_build, "The site was not built."),
    ("audit", audit, "The built site failed its audit and was not published."),
    ("reading scores", reading_scores, ""),
    ("publish", publish_site, ""),
)


def run_steps(run: Run) -> int:
    """Run every step in order; 0 when the site was published, 1 when a step stopped it."""
    try:
        for name, step, stopped in STEPS:
            publish.fault_point(name)
            try:
                problems = step(run)
            except ContentError as error:
                problems = list(error.problems)
            except Exception as error:  # the disk, the theme's templates: never a traceback
                problems = [stopped_by(error, run.project)]
            if problems:
                print_problems(problems)
            if any(problem.severity == "error" for problem in problems):
                run.target.abandon()
                print(f"{stopped} {run.target.kept}".strip(), file=sys.stderr)
                return 1
    except BaseException:
        run.target.abandon()
        raise
    return 0


def stopped_by(error: Exception, project: Project) -> Problem:
    """The plain problem for an error a step did not expect: the machine's (a full or
    read-only disk, a permission), a mistake in a theme template, or the engine's."""
    if isinstance(error, OSError):
        return os_problem(error, project.root)
    message = str(getattr(error, "message", None) or error).strip().splitlines()
    what = message[0] if message else type(error).__name__
    template, line = getattr(error, "filename", None), getattr(error, "lineno", None)
    if template and line:  # a template the theme or overrides/ holds
        with contextlib.suppress(ValueError):
            template = Path(template).resolve().relative_to(project.root).as_posix()
        return Problem(str(template), line, 1, f"this theme template cannot be used: {what}",
                       "fix the template (compare it with the theme's own copy)", "theme-error")
    return Problem(project.config_file.name, 1, 1, f"the site engine stopped the build: {what}",
                   "fix what the message names, then build again", "build-failed")


def read_content(project: Project) -> tuple[Library | None, list[Problem]]:
    """All content and its warnings, or None and every problem."""
    root = project.content_dir.resolve().parent
    try:
        library = read_library(project.content_dir, root)
    except ContentError as error:
        return None, list(error.problems)
    return library, list(library.warnings)


def print_problems(problems: Iterable[Problem]) -> None:
    """The one way problems reach a person: sorted on stderr, and in GitHub Actions also as
    annotations and a job summary table."""
    problems = sorted(problems)
    print(report(problems), file=sys.stderr)
    annotations = github_annotations(problems)
    if annotations:
        print(annotations)
    write_github_summary(problems)


class FullBuild:
    """A whole build, written into a staging folder and swapped into `site_dir`."""

    preview = False

    def __init__(self, project: Project, site_dir: Path) -> None:
        self.project = project
        self.site_dir = site_dir.resolve()
        self.staging: Path | None = None
        self.lock = publish.BuildLock(self.site_dir)
        self.kept = f"The last good site in {site_dir.name}/ was left as it was."

    def build(self, site: RenderedSite) -> tuple[Path, str]:
        from generator.engine import build_site

        self.lock.acquire()
        self.staging = publish.staging_folder(self.site_dir)
        return self.staging, build_site(site, self.project.config_file, self.staging)

    def pages_to_audit(self) -> None:
        return None

    def score(self, folder: Path) -> tuple[list[Score], list[Score]]:
        scores = score_site(folder)
        return scores, scores

    def publish(self) -> str:
        pages = sum(1 for _ in self.staging.rglob("*.html"))
        publish.make_readable(self.staging)
        publish.swap_in(self.staging, self.site_dir)
        self.staging = None
        self.lock.release()
        return f"built {pages} HTML pages into {self.site_dir.name}/"

    def abandon(self) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None
        self.lock.release()


class PreviewSave:
    """One save under `serve`: a dirty build in the work folder, whose changed files are
    audited and then copied one by one into the folder the preview serves.

    `scores` keeps every served page's reading score between saves, so the report stays
    whole while only changed pages are scored again.
    """

    preview = True
    kept = "The preview keeps showing the last good version: save a fix to update it."

    def __init__(self, work: DirtyBuild, site_dir: Path, scores: dict[str, Score]) -> None:
        self.work = work
        self.site_dir = site_dir
        self.scores = scores
        self.changed: list[str] = []
        self.gone: list[str] = []

    def build(self, site: RenderedSite) -> tuple[Path, str]:
        scope = self.work.build(site)
        self.changed, self.gone = publish.differences(self.work.site_dir, self.site_dir)
        return self.work.site_dir, scope

    def _pages(self) -> list[str]:
        return [path for path in self.changed if path.endswith(".html")]

    def pages_to_audit(self) -> list[str] | None:
        # The first build is audited whole, which also tells whether every allowlisted theme
        # script is still in use.
        return self._pages() if any(self.site_dir.iterdir()) else None

    def score(self, folder: Path) -> tuple[list[Score], list[Score]]:
        for path in self.gone:
            self.scores.pop(path, None)
        fresh = score_site(folder, self._pages())
        self.scores.update((score.page, score) for score in fresh)
        return sorted(self.scores.values(), key=lambda score: score.page), fresh

    def publish(self) -> str:
        publish.copy_in(self.work.site_dir, self.site_dir, self.changed, self.gone)
        pages = len(self._pages())
        return (f"updated {pages} HTML page(s) and {len(self.changed) - pages} other file(s), "
                f"removed {len(self.gone)}")

    def abandon(self) -> None:
        pass


def build(project: Project, site_dir: Path) -> int:
    """Check and build the site into `site_dir`: 0 when published, 1 when a step stopped it,
    2 when `site_dir` may not receive a build (nothing is read or written then)."""
    refused = publish.unsafe_site_dir(site_dir, project.root, project.content_dir,
                                      site_dir.as_posix())
    if refused:
        print_problems([refused])
        return 2
    return run_steps(Run(project, FullBuild(project, site_dir)))


def preview_save(project: Project, work: DirtyBuild, site_dir: Path,
                 scores: dict[str, Score]) -> int:
    return run_steps(Run(project, PreviewSave(work, site_dir, scores)))
