"""Find a Chromium to drive: the system's (Debian's chromium, or Chrome), else Playwright's own."""

from __future__ import annotations

import os
import shutil

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Without these, Chromium tries to reach Google's services, which a closed network refuses.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def executable() -> str | None:
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def launch():
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    path = executable()
    try:
        browser = playwright.chromium.launch(executable_path=path, args=ARGS)
    except Exception as error:
        playwright.stop()
        raise RuntimeError(
            "No Chromium could be started for the browser tests. Install Debian's 'chromium' "
            "package, set CHROMIUM_PATH, or run 'python -m playwright install chromium'."
        ) from error
    return playwright, browser
