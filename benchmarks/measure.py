"""Measuring tools shared by the benchmark and the Lighthouse script.

Timing and memory come from the operating system (`wait4` gives a finished child's peak
resident memory and CPU time); page weight comes from what a real Chromium fetches on a first
visit, each text response gzipped as a static host such as GitHub Pages sends it.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

SUB_PATH = "health-guides"
_COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml",
                     "application/xml")
OUR_ASSETS = ("site.css", "self-check.js", "search-on-demand.js")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Runs the measured command as its own child and reports that child's CPU time and peak
# memory. A child takes over its parent's peak memory when it starts another program (Linux
# keeps the larger of the two), so the command must not be a child of the benchmark itself,
# which grows to hundreds of MB; this launcher, started without site packages, is small.
_LAUNCHER = """
import os, sys
report, command = sys.argv[1], sys.argv[2:]
pid = os.fork()
if pid == 0:
    os.execvp(command[0], command)
_, status, usage = os.wait4(pid, 0)
with open(report, "w") as out:
    out.write(f"{usage.ru_utime + usage.ru_stime} {usage.ru_maxrss}")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_timed(command: list[str], cwd: Path, env: dict[str, str], log: Path) -> dict:
    """Run a command to completion: wall seconds, CPU seconds and peak memory (MiB)."""
    report = log.with_name(f"{log.name}.usage")
    with log.open("wb") as output:
        started = time.perf_counter()
        process = subprocess.run([sys.executable, "-S", "-c", _LAUNCHER, str(report), *command],
                                 cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT)
        elapsed = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed; see {log}")
    cpu, peak = report.read_text(encoding="utf-8").split()
    return {"seconds": elapsed, "cpu": float(cpu), "peak_mib": int(peak) / 1024}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files as GitHub Pages does: text gzipped for a browser that accepts it.

    Without compression a page's first visit would carry about four times the bytes, and
    Lighthouse's slow-4G figures would measure a host the site is never served from.
    """

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?", 1)[0].endswith("/"):
            path = path / "index.html"
        content_type = self.guess_type(str(path))
        if not (path.is_file() and "gzip" in self.headers.get("Accept-Encoding", "")
                and content_type.startswith(_COMPRESSED_TYPES)):
            return super().do_GET()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        self.wfile.write(body)
        return None


@contextlib.contextmanager
def serving(root: Path) -> Iterator[str]:
    """Serve `root` on loopback; yields the base URL of the site under its sub-path."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{SUB_PATH}/"
    finally:
        server.shutdown()
        server.server_close()


def gzip_size(body: bytes, content_type: str) -> int:
    """Bytes on the wire: text is gzipped by the host, fonts and images are sent as they are."""
    if content_type.startswith(_COMPRESSED_TYPES):
        return len(gzip.compress(body, compresslevel=6))
    return len(body)


def kind_of(url: str) -> str:
    if url.endswith(OUR_ASSETS):
        return "ours"
    if "search_index" in url:
        return "search index"
    if "/assets/" in url:
        return "theme"
    return "page"


def first_visit(browser, url: str) -> dict:
    """What a first visit to `url` fetches (empty cache, phone-sized window), in gzip bytes."""
    context = browser.new_context(viewport={"width": 390, "height": 844},
                                  service_workers="block")
    page = context.new_page()
    finished: list = []
    failed: list[str] = []
    context.on("requestfinished", lambda request: finished.append(request))
    context.on("requestfailed", lambda request: failed.append(request.url))
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(300)  # anything started late by the theme's script
    totals = {"page": 0, "theme": 0, "ours": 0, "search index": 0}
    files = []
    for request in finished:
        response = request.response()
        if response is None or not request.url.startswith("http://127.0.0.1"):
            continue
        body = response.body()
        size = gzip_size(body, response.headers.get("content-type", ""))
        totals[kind_of(request.url)] += size
        files.append((request.url.split(f"/{SUB_PATH}/", 1)[-1] or "/", size))
    context.close()
    return {"total": sum(totals.values()), **totals, "requests": len(files), "files": files,
            "failed": failed}


def file_gzip(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6))
