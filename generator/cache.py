"""Where this tool keeps what it has worked out before, so the next run need not redo it.

Everything here only saves time: each cache is checked when it is read, rebuilt when it is
missing or damaged, and a cache that cannot be written (a read-only home, a full disk) is
skipped in silence. Caches live in the user's own cache folder, never in the project and never
in a shared temporary folder, because some of them (compiled templates, pickled results) are
code that runs when read: another user must not be able to plant one. `PATIENT_SITE_CACHE`
names another folder, and `PATIENT_SITE_CACHE=off` turns caching off.
"""

from __future__ import annotations

import collections
import functools
import hashlib
import os
import pickle
import sys
from pathlib import Path


def folder(name: str) -> Path | None:
    """This tool's cache folder called `name`, made if missing, or None if there is none."""
    chosen = os.environ.get("PATIENT_SITE_CACHE", "")
    if chosen.lower() == "off":
        return None
    base = Path(chosen) if chosen else _user_cache() / "patient-site"
    path = base / name
    try:
        base.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.mkdir(mode=0o700, exist_ok=True)
    except OSError:
        return None
    return path


def _user_cache() -> Path:
    """The user's cache folder: XDG on Linux, the platform's own place elsewhere."""
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")


class Store:
    """Results kept between runs, one file per key, in the cache folder called `name`.

    Values are pickled, so a store is only read from the user's own cache folder. A key must
    name everything the value depends on; `code_version` covers this tool's own code. Old
    entries are removed, oldest first, once there are more than MAX_ENTRIES.
    """

    MAX_ENTRIES = 5000
    RECENT = 4096  # values kept in memory too, for a process that reads again (the preview)

    def __init__(self, name: str) -> None:
        self.folder = folder(name)
        self.written = 0
        self.used: set[str] = set()

    def get(self, key: str) -> object | None:
        if self.folder is None:
            return None
        self.used.add(key)
        place = (self.folder, key)
        if place in _recent:
            _recent.move_to_end(place)
            return _recent[place]
        try:
            value = pickle.loads((self.folder / key).read_bytes())
        except FileNotFoundError:
            return None
        except Exception:  # a damaged entry, or one from other code: work it out again
            return None
        self._remember(place, value)
        return value

    def _remember(self, place: tuple[Path, str], value: object) -> None:
        _recent[place] = value
        while len(_recent) > self.RECENT:
            _recent.popitem(last=False)

    def put(self, key: str, value: object) -> None:
        if self.folder is None:
            return
        target = self.folder / key
        partial = self.folder / f".{key}.{os.getpid()}"
        try:
            partial.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(partial, target)
        except OSError:
            partial.unlink(missing_ok=True)
            return
        self.written += 1
        self.used.add(key)
        self._remember((self.folder, key), value)

    def prune(self) -> None:
        """Remove the oldest entries once there are too many (only after writing some), but
        none that this run used."""
        if self.folder is None or not self.written:
            return
        try:
            entries = [entry for entry in os.scandir(self.folder) if entry.is_file()]
            if len(entries) <= self.MAX_ENTRIES:
                return
            entries.sort(key=lambda entry: entry.stat().st_mtime_ns)
            for entry in entries[: len(entries) - self.MAX_ENTRIES // 2]:
                if entry.name not in self.used and not entry.name.startswith(".") and \
                        entry.name.split("-")[0] not in self.used:
                    os.unlink(entry.path)
        except OSError:
            pass


_recent: collections.OrderedDict[tuple[Path, str], object] = collections.OrderedDict()


def forget() -> None:
    """Drop the values kept in memory, so the next read goes to the cache folder (as in a
    new process)."""
    _recent.clear()


@functools.cache
def code_version() -> str:
    """A fingerprint of this tool's code and the libraries whose objects a store keeps."""
    import pydantic

    digest = hashlib.sha256(f"{sys.version}|{pydantic.VERSION}".encode())
    package = Path(__file__).parent
    for path in sorted([*package.rglob("*.py"), *package.rglob("*.j2")]):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
