"""Nothing is lost: failed, refused or killed builds leave the last good site byte-identical,
the tool never writes an editor's file, and the preview keeps serving the last good site."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from tests.conftest import _free_port
from tests.test_site import _build, _snapshot

TOPIC = "content/topics/mri-and-low-back-pain.yaml"
ENV = {key: value for key, value in os.environ.items()
       if key not in {"SITE_URL", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY"}}
ENV["NO_MKDOCS_2_WARNING"] = "1"


def _stamp(folder):
    """Every file's bytes and modification time: a rewrite with the same bytes still shows."""
    return {path: (path.read_bytes(), path.stat().st_mtime_ns)
            for path in sorted(folder.rglob("*")) if path.is_file()}


def test_a_failed_audit_leaves_the_last_good_site(content_copy):
    first = _build(content_copy)
    assert first.returncode == 0, first.stderr
    before = _snapshot(content_copy / "site")
    (content_copy / "site_src/about.md").write_text(
        '# About\n\n<button type="button" onclick="alert(1)">Hello</button>\n')
    failed = _build(content_copy)
    assert failed.returncode == 1
    assert "about/index.html:" in failed.stderr and "[inline-handler]" in failed.stderr
    assert "failed its audit and was not published" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert _snapshot(content_copy / "site") == before
    assert not [p.name for p in content_copy.iterdir() if p.name.startswith(".site-")]


def test_a_build_killed_part_way_leaves_the_last_good_site(content_copy):
    first = _build(content_copy)
    assert first.returncode == 0, first.stderr
    before = _snapshot(content_copy / "site")
    build = subprocess.Popen([sys.executable, "-m", "generator", "build"], cwd=content_copy,
                             env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    staged = []
    while not staged and build.poll() is None and time.monotonic() < deadline:
        staged = [path for folder in content_copy.glob(".site-new-*")
                  for path in folder.rglob("*") if path.is_file()]
        time.sleep(0.005)
    build.send_signal(signal.SIGKILL)
    build.wait()
    assert staged, "the build finished before MkDocs was seen writing: nothing was killed"
    assert build.returncode == -signal.SIGKILL
    assert _snapshot(content_copy / "site") == before
    # The next build tidies away the half-written folder and publishes normally.
    again = _build(content_copy)
    assert again.returncode == 0, again.stderr
    assert not [p.name for p in content_copy.iterdir() if p.name.startswith(".site-")]


def test_the_tool_never_writes_content_files(content_copy):
    """Also: a file that is not valid YAML leaves the last good site byte-identical."""
    before = _stamp(content_copy / "content")
    assert _build(content_copy).returncode == 0
    site = _snapshot(content_copy / "site")
    check = subprocess.run([sys.executable, "-m", "generator", "check"], cwd=content_copy,
                           env=ENV, capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    topic = content_copy / TOPIC
    topic.write_text(topic.read_text(encoding="utf-8") + "oops: [\n", encoding="utf-8")
    before[topic] = (topic.read_bytes(), topic.stat().st_mtime_ns)
    failed = _build(content_copy)
    assert failed.returncode == 1 and "[yaml-syntax]" in failed.stderr
    assert _stamp(content_copy / "content") == before
    assert _snapshot(content_copy / "site") == site


class _Output:
    """Collects a process's output lines on a thread, so the test can wait for a line."""

    def __init__(self, stream):
        self.lines: list[str] = []
        self.thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self.thread.start()

    def _read(self, stream):
        for line in stream:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, text: str, start: int = 0, timeout: float = 60) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for index, line in enumerate(self.lines[start:], start):
                if text in line:
                    return index
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never printed; got:\n" + "\n".join(self.lines))


def _fetch(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=20) as response:
        return response.status, response.read().decode("utf-8")


def _wait_for_text(url: str, text: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, body = _fetch(url)
        if status == 200 and text in body:
            return body
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never appeared at {url}")


def test_preview_keeps_serving_the_last_good_site_and_picks_up_fixes(content_copy):
    port = _free_port()
    page = f"http://127.0.0.1:{port}/health-guides/topics/mri-and-low-back-pain/"
    serve = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=content_copy, env=ENV, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)
    output = _Output(serve.stdout)
    try:
        mark = output.wait_for("Serving on")
        status, body = _fetch(page)
        assert status == 200 and "Read the warning signs on this page" in body
        assert "script-src 'self' 'unsafe-inline'" in body  # the preview policy: live reload runs
        before = _stamp(content_copy / "content")

        topic = content_copy / TOPIC
        good = topic.read_text(encoding="utf-8")
        topic.write_text(good.replace("shows: every-that-applies", "shows: every", 1),
                         encoding="utf-8")
        mark = output.wait_for("[not-allowed]", mark)
        assert output.lines[mark].startswith(f"{TOPIC}:")
        assert "error: 'shows' cannot be 'every'" in output.lines[mark]
        mark = output.wait_for("The preview keeps showing the last good version", mark)
        status, body = _fetch(page)  # answered at once, from the last good build
        assert status == 200 and "Read the warning signs on this page" in body

        topic.write_text(good.replace("Read the warning signs", "Look at the warning signs", 1),
                         encoding="utf-8")
        body = _wait_for_text(page, "Look at the warning signs on this page")
        assert "Read the warning signs on this page" not in body
        time.sleep(2)  # reading files is not a change: a build must not set off another
        assert sum("Detected file changes" in line for line in output.lines) == 2
        assert not any("Traceback" in line for line in output.lines)
        written = _stamp(content_copy / "content")
        assert set(written) == set(before)  # nothing added under content/
    finally:
        serve.terminate()
        try:
            serve.wait(timeout=20)
        except subprocess.TimeoutExpired:
            serve.kill()
            serve.wait()
    output.thread.join(timeout=10)
    folders = {Path(line.split("directory: ", 1)[1]).parent for line in output.lines
               if "Building documentation to directory: " in line}
    assert folders and not any(folder.exists() for folder in folders)  # the preview tidied up


def test_a_kill_between_the_two_renames_of_the_swap_is_undone(tmp_path):
    from generator.publish import recover

    (tmp_path / ".site-old-123").mkdir()
    (tmp_path / ".site-old-123" / "index.html").write_text("last good")
    (tmp_path / ".site-new-abc").mkdir()
    (tmp_path / ".site-new-abc" / "index.html").write_text("half written")
    recover(tmp_path / "site")
    assert (tmp_path / "site" / "index.html").read_text() == "last good"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_preview_save_publishes_only_good_audited_changes(content_copy, tmp_path, capsys):
    """Each save is built dirty into a work folder; only what passed the audit reaches the
    served folder, file by file, and pages gone from the build go from it too."""
    from benchmarks.synthetic import synthetic_topic
    from generator.engine.dirty import DirtyBuild
    from generator.pipeline import Project, preview_save
    from generator.publish import differences

    served = tmp_path / "site"
    served.mkdir()
    work = DirtyBuild(content_copy / "mkdocs.yml", tmp_path / "work",
                        "http://127.0.0.1:8000/health-guides/")
    scores: dict = {}

    def save() -> int:
        return preview_save(Project.at(content_copy / "mkdocs.yml"), work, served, scores)

    assert save() == 0
    good = _stamp(served)
    assert differences(work.site_dir, served) == ([], [])
    about = content_copy / "site_src/about.md"
    written = about.read_text(encoding="utf-8")
    about.write_text('# About\n\n<button type="button" onclick="alert(1)">Hello</button>\n')
    capsys.readouterr()
    assert save() == 1
    assert "about/index.html:" in capsys.readouterr().err
    topic = content_copy / TOPIC
    text = topic.read_text(encoding="utf-8")
    topic.write_text(text.replace("Read the warning signs", "Look at the warning signs", 1),
                     encoding="utf-8")
    assert save() == 1  # the bad page is still in the work folder: nothing is published
    assert _stamp(served) == good

    about.write_text(written, encoding="utf-8")
    number, extra = synthetic_topic(text, 7)
    (content_copy / "content/topics" / f"{number}.yaml").write_text(extra, encoding="utf-8")
    assert save() == 0
    article = (served / "topics/mri-and-low-back-pain/index.html").read_text(encoding="utf-8")
    assert "Look at the warning signs on this page" in article
    assert (served / f"topics/{number}/index.html").is_file()
    assert (served / "about/index.html").read_bytes() == good[served / "about/index.html"][0]
    assert "onclick" not in (served / "about/index.html").read_text(encoding="utf-8")

    (content_copy / "content/topics" / f"{number}.yaml").unlink()
    assert save() == 0
    assert not (served / f"topics/{number}").exists()
    assert differences(work.site_dir, served) == ([], [])

    about.write_text("# About\n\n[gone](missing.md)\n", encoding="utf-8")  # MkDocs stops
    published = _stamp(served)
    assert save() == 1
    assert not work.folder.exists()  # thrown away: the next build is a full one
    assert _stamp(served) == published
    about.write_text(written, encoding="utf-8")
    assert save() == 0
    assert differences(work.site_dir, served) == ([], [])
