"""Where this tool keeps what it has worked out before, so the next run need not redo it.

Everything here only saves time: each cache is checked when it is read, rebuilt when it is
missing or damaged, and a cache that cannot be written (a read-only home, a full disk) is
skipped in silence. Caches live in the user's own cache folder, never in the project and never
in a shared temporary folder, because some of them (compiled templates) are code that runs:
another user must not be able to plant one. `PATIENT_SITE_CACHE` names another folder, and
`PATIENT_SITE_CACHE=off` turns caching off.
"""

from __future__ import annotations

import os
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
