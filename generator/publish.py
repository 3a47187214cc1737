"""Publishing: a build becomes the live site whole or not at all, and only where it may go.

A full build holds a lock beside the site folder, is written into a staging folder of its
own, and is swapped in once it has passed every check: on Linux with one atomic exchange of
the two folders, so a complete site is at the path at every moment; elsewhere with two
renames, and a build killed between them is put right by the next one. The site is made
readable by a web server running as another user. The preview copies each changed file in
on its own, atomically. `unsafe_site_dir` refuses an output folder that would replace the
project's sources.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path

from generator.errors import Problem

# Folders of a project that a build must never replace or write into (beside the content
# folder, the engine's config and whatever a project root holds).
SOURCE_FOLDERS = ("content", "site_src", "overrides", "generator", "tests", "docs",
                  "benchmarks", ".git", ".github")
# Files that mark a folder as a project rather than a site.
PROJECT_MARKERS = ("mkdocs.yml", "pyproject.toml", ".git")
# Files every build of this generator (and of MkDocs) writes at the top of the site.
BUILD_MARKERS = ("index.html", "sitemap.xml")


def unsafe_site_dir(site_dir: Path, root: Path, content_dir: Path,
                    shown: str) -> Problem | None:
    """Why `site_dir` may not receive a build, or None.

    A build replaces the whole folder, so it may not be the project, a source folder, a
    folder that holds one, or a folder inside one; and an existing folder must be empty or
    look like an earlier build (an index.html and a sitemap.xml at its top), so that a
    mistyped path never deletes someone's files.
    """
    target = site_dir.resolve()
    root = root.resolve()
    sources = {root: "the project folder", content_dir.resolve(): "the content folder"}
    sources.update((root / name, f"the project's {name} folder") for name in SOURCE_FOLDERS)

    def refuse(message: str, hint: str = "build into a folder of its own, like the default "
               "'site'") -> Problem:
        return Problem(shown, 0, 0, message, hint, "unsafe-site-dir")

    for source, name in sources.items():
        if target == source:
            return refuse(f"the site folder is {name}: a build would replace it")
        if source.is_relative_to(target):
            return refuse(f"the site folder holds {name}: a build would replace it")
        if target.is_relative_to(source) and source != root:
            return refuse(f"the site folder is inside {name}, where the build reads sources")
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        return refuse("the site folder is a file or a link, not a folder",
                      "remove it, or build into another folder")
    if not target.is_dir() or not any(target.iterdir()):
        return None
    if any((target / marker).exists() for marker in PROJECT_MARKERS):
        return refuse("the site folder holds a project (it has a mkdocs.yml, pyproject.toml "
                      "or .git): a build would replace it")
    if not all((target / marker).is_file() for marker in BUILD_MARKERS):
        return refuse("the site folder holds files that are not an earlier build of the site "
                      "(it has no index.html and sitemap.xml): a build would delete them",
                      "empty the folder or build into another one")
    return None


class BuildLock:
    """One build at a time per site folder: an exclusive lock on a file beside it.

    A second build waits for the first to finish (and says so), then builds. The operating
    system releases the lock when a build ends, however it ends, so a killed build never
    blocks the next.
    """

    def __init__(self, site_dir: Path) -> None:
        self.path = site_dir.with_name(f".{site_dir.name}.lock")
        self.descriptor: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self.descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"another build into {self.path.name[1:-5]}/ is "
                  "running: waiting for it to finish", file=sys.stderr, flush=True)
            fcntl.flock(self.descriptor, fcntl.LOCK_EX)

    def release(self) -> None:
        if self.descriptor is not None:
            os.close(self.descriptor)
            self.descriptor = None


def staging_folder(site_dir: Path) -> Path:
    """A fresh folder beside `site_dir` for a build to write into (call with the lock held:
    anything left beside the site from an earlier build is tidied away first)."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    recover(site_dir)
    return Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-new-", dir=site_dir.parent))


def recover(site_dir: Path) -> None:
    """Tidy up after a build that was killed before it could clean up.

    A half-written staging folder (or the last site, after an exchange) is deleted. If the
    kill came between the two renames of the fallback swap, the last good site is still
    whole beside the target: it is put back.
    """
    olds = sorted(site_dir.parent.glob(f".{site_dir.name}-old-*"),
                  key=lambda path: path.stat().st_mtime)
    if olds and not site_dir.exists():
        os.replace(olds.pop(), site_dir)
    for leftover in [*olds, *site_dir.parent.glob(f".{site_dir.name}-new-*")]:
        shutil.rmtree(leftover, ignore_errors=True)


def make_readable(folder: Path) -> None:
    """Folders 755, files 644: a web server or an upload step running as another user can
    read the site, whatever the staging folder's own mode (mkdtemp makes it 700)."""
    folder.chmod(0o755)
    for top, folders, files in os.walk(folder):
        for name in folders:
            os.chmod(os.path.join(top, name), 0o755, follow_symlinks=False)
        for name in files:
            os.chmod(os.path.join(top, name), 0o644, follow_symlinks=False)


def swap_in(staging: Path, site_dir: Path) -> None:
    """Replace `site_dir` with `staging` so that a reader never sees a half-written site,
    and the path never lacks a whole site."""
    fault_point("staged")
    if not site_dir.exists():
        os.replace(staging, site_dir)
        fault_point("swapped")
        return
    try:
        exchange(staging, site_dir)
        old = staging  # the exchange left the last site under the staging folder's name
    except OSError as error:
        if error.errno not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
            raise
        old = site_dir.with_name(f".{site_dir.name}-old-{os.getpid()}")
        os.replace(site_dir, old)
        fault_point("set aside")
        try:
            os.replace(staging, site_dir)
        except BaseException:
            os.replace(old, site_dir)
            raise
    fault_point("swapped")
    shutil.rmtree(old, ignore_errors=True)


def _renameat2():
    with contextlib.suppress(OSError, AttributeError):
        return ctypes.CDLL(None, use_errno=True).renameat2
    return None


_RENAMEAT2 = _renameat2()
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def exchange(first: Path, second: Path) -> None:
    """Swap two folders in one atomic step (Linux `renameat2` with RENAME_EXCHANGE); an
    OSError with EINVAL, ENOSYS or ENOTSUP where the system or the file system cannot."""
    if _RENAMEAT2 is None:
        raise OSError(errno.ENOSYS, "renameat2 is not available", str(second))
    if _RENAMEAT2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second),
                  _RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(second))


def fault_point(name: str) -> None:
    """Where the tests stop a real build with SIGKILL, to prove that a kill at each step of
    publishing leaves a whole site: set PATIENT_SITE_KILL_AT to the step's name. Unset (as
    always outside the tests), this does nothing."""
    if os.environ.get("PATIENT_SITE_KILL_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


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
