"""Publishing: a build becomes the live site whole or not at all.

A full build is written into a staging folder beside the site folder and swapped in with two
renames once it has passed every check; the preview copies each changed file in on its own,
atomically. A build killed part-way (power cut, SIGKILL) is tidied up by the next one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def staging_folder(site_dir: Path) -> Path:
    """A fresh folder beside `site_dir` for a build to write into."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    recover(site_dir)
    return Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-new-", dir=site_dir.parent))


def recover(site_dir: Path) -> None:
    """Tidy up after a build that was killed before it could clean up.

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
