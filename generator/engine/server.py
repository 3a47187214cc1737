"""The preview's live-reload server, over a folder that only ever holds a good build.

The engine's own `serve` stops answering after a failed rebuild until the content is fixed.
Here the server serves a folder the preview fills itself: `rebuild(dirty_build, site_dir)`
builds into the dirty build's work folder, checks the result and copies it into `site_dir`
only if all is well; on a bad save it prints the located errors and returns, and the server
keeps serving the last good site.
"""

from __future__ import annotations

import logging
import shutil
import signal
import tempfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from generator.engine import show_engine_messages
from generator.engine.api import LiveReloadServer, load_config
from generator.engine.dirty import DirtyBuild

log = logging.getLogger(__name__)


def serve_site(config_file: Path, content_dir: Path,
               rebuild: Callable[[DirtyBuild, Path], object], *,
               dev_addr: str | None = None) -> None:
    """Serve the preview until Ctrl-C; saving content, hand-written pages, theme overrides or
    mkdocs.yml rebuilds."""
    show_engine_messages(logging.INFO)
    overrides = {"dev_addr": dev_addr} if dev_addr else {}
    config = load_config(str(config_file), **overrides)
    host, port = config.dev_addr
    mount_path = urlsplit(config.site_url or "/").path
    url = f"http://{host}:{port}{mount_path}"
    preview = Path(tempfile.mkdtemp(prefix="patient-site-preview-"))
    site_dir = preview / "site"
    site_dir.mkdir()
    work = DirtyBuild(config_file, preview / "work", url)

    server = LiveReloadServer(builder=lambda: rebuild(work, site_dir), host=host, port=port,
                              root=str(site_dir), mount_path=mount_path)
    server.observer = _observer()
    # After a change, the engine waits this long for the next before it builds: enough for an
    # editor's save (which writes, then closes the file), a third of the engine's default.
    server.build_delay = 0.03

    def error_page(code: int) -> bytes | None:
        page = site_dir / "404.html"
        return page.read_bytes() if code == 404 and page.is_file() else None

    server.error_handler = error_page
    signal.signal(signal.SIGTERM, _stop)  # a terminated preview tidies up like Ctrl-C
    try:
        rebuild(work, site_dir)
        watched = {Path(path).resolve() for path in (
            config.docs_dir, config.config_file_path, config.theme.custom_dir, *config.watch,
            content_dir) if path}
        for path in sorted(watched):
            if path.exists():
                server.watch(str(path))
        try:
            server.serve()
        except KeyboardInterrupt:
            log.info("Shutting down...")
        finally:
            server.shutdown()
    finally:
        shutil.rmtree(preview, ignore_errors=True)


def _observer():
    """The system's own file-change notices (inotify, FSEvents, ReadDirectoryChangesW).

    The engine looks for changes by listing every watched file twice a second, which costs
    a quarter of a second on average before a rebuild even starts. Notices also report files
    being opened and read, and every build reads the content: only changes may start a
    rebuild, or each build would start the next.
    """
    from watchdog import events
    from watchdog.observers import Observer

    changes = [events.FileCreatedEvent, events.FileDeletedEvent, events.FileModifiedEvent,
               events.FileMovedEvent, events.FileClosedEvent]

    class ChangesOnly(Observer):
        def schedule(self, event_handler, path, *, recursive=False, **options):
            return super().schedule(event_handler, path, recursive=recursive,
                                    event_filter=changes, **options)

    return ChangesOnly()


def _stop(signum, frame) -> None:
    raise KeyboardInterrupt
