"""Nothing the machine does loses work: full or read-only disks, refused permissions, a file
where a folder goes, a broken theme template, two builds at once, Ctrl-C and a kill at every
step. Each runs the real command in a real process on a real project; the last good site
stays whole and the message is one plain line with a code.

Tests run as root here and in CI, and root ignores file permissions: the permission test
runs the build as the user `nobody` when it is root (and relies on a read-only folder
otherwise). A size-limited disk needs a mount, which a test cannot make, so "no space" is the
real ENOSPC that /dev/full gives every write, and a full disk in the middle of the engine's
writes is the real write error a file size limit (RLIMIT_FSIZE) gives.
"""

from __future__ import annotations

import fcntl
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import time

import pytest

from benchmarks.synthetic import synthetic_topic
from tests.test_site import _build, _snapshot

ENV = {key: value for key, value in os.environ.items()
       if key not in {"SITE_URL", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY"}}
ENV["NO_MKDOCS_2_WARNING"] = "1"


def run(folder, *args, env=None, **options) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "build", *args], cwd=folder,
                          env={**ENV, **(env or {})}, capture_output=True, text=True,
                          timeout=300, **options)


def leftovers(folder) -> list[str]:
    return sorted(path.name for path in folder.iterdir()
                  if path.name.startswith(".site") and path.name != ".site.lock")


def assert_plain(result, code: str) -> None:
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    assert f"[{code}]" in result.stderr, result.stderr


@pytest.fixture
def built(content_copy):
    first = _build(content_copy)
    assert first.returncode == 0, first.stderr
    return content_copy, _snapshot(content_copy / "site")


@pytest.mark.parametrize("folder", ["content", "site_src", "overrides", ".", "..", "tests"])
def test_a_source_folder_or_its_parent_is_never_the_site_folder(content_copy, folder):
    (content_copy / "tests").mkdir()
    before = _snapshot(content_copy)
    result = run(content_copy, "--site-dir", folder)
    assert result.returncode == 2
    assert_plain(result, "unsafe-site-dir")
    assert result.stderr.startswith(f"{folder}: error: the site folder ")
    assert _snapshot(content_copy) == before


def test_a_folder_of_other_files_is_refused_and_an_earlier_build_is_replaced(built, tmp_path):
    project, _ = built
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep me")
    result = run(project, "--site-dir", str(other))
    assert result.returncode == 2 and (other / "notes.txt").read_text() == "keep me"
    assert_plain(result, "unsafe-site-dir")
    shutil.copytree(project / "site", tmp_path / "earlier")
    assert run(project, "--site-dir", str(tmp_path / "earlier")).returncode == 0


def test_a_language_the_theme_lacks_is_a_located_error_and_the_site_stays(built):
    project, before = built
    settings = project / "content" / "site.yaml"
    settings.write_text(settings.read_text().replace("language: en\n", "language: en-GB\n"))
    result = run(project)
    assert result.returncode == 1
    assert_plain(result, "bad-language")
    assert "content/site.yaml:" in result.stderr and "use 'en'" in result.stderr
    assert _snapshot(project / "site") == before


def test_a_mistake_in_a_theme_template_is_located_and_the_site_stays(built):
    project, before = built
    main = project / "overrides" / "main.html"
    lines = main.read_text().splitlines()
    lines.insert(5, "{% if %}")
    main.write_text("\n".join(lines) + "\n")
    result = run(project)
    assert result.returncode == 1
    assert_plain(result, "theme-error")
    assert "overrides/main.html:6:1: error: this theme template cannot be used" in result.stderr
    assert _snapshot(project / "site") == before and leftovers(project) == []


def test_a_file_where_the_reports_folder_goes_is_a_warning_and_the_site_is_published(built):
    project, _ = built
    shutil.rmtree(project / "reports")
    (project / "reports").write_text("not a folder")
    result = run(project)
    assert result.returncode == 0
    assert_plain(result, "cannot-write")
    assert "reports: warning: cannot write the report here: a file is where a folder should " \
           "be" in result.stderr


def test_no_space_for_the_report_is_a_plain_warning(built):
    """/dev/full answers every write with ENOSPC, as a full disk does."""
    project, _ = built
    report = project / "reports" / "readability.md"
    report.unlink()
    report.symlink_to("/dev/full")
    result = run(project)
    assert result.returncode == 0
    assert_plain(result, "cannot-write")
    assert "the disk is full" in result.stderr


def _small_files():
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


def test_a_write_failing_half_way_through_the_engine_leaves_the_last_good_site(built):
    project, before = built
    result = run(project, preexec_fn=_small_files)
    assert result.returncode == 1
    assert_plain(result, "cannot-write")
    assert "The site was not built." in result.stderr
    assert _snapshot(project / "site") == before and leftovers(project) == []


def test_a_file_where_the_site_s_folder_goes_is_a_plain_error(built):
    project, _ = built
    (project / "out").write_text("a file")
    result = run(project, "--site-dir", "out/site")
    assert result.returncode == 1
    assert_plain(result, "cannot-write")
    assert (project / "out").read_text() == "a file"


def test_no_permission_to_write_is_a_plain_error_and_changes_nothing(built):
    """As root (who ignores modes) the project folder is made immutable (`chattr +i`): no
    one may add a file to it. As another user it is made read-only (mode 555)."""
    project, before = built
    root = os.geteuid() == 0
    lock = subprocess.run(["chattr", "+i", str(project)] if root else
                          ["chmod", "555", str(project)], capture_output=True, text=True)
    assert lock.returncode == 0, lock.stderr
    try:
        with pytest.raises(PermissionError):
            (project / "probe").write_text("x")  # the folder really refuses a new file
        result = run(project)
    finally:
        subprocess.run(["chattr", "-i", str(project)] if root else
                       ["chmod", "755", str(project)], check=True)
    assert result.returncode == 1, result.stderr
    assert_plain(result, "cannot-write")
    assert "permission was refused" in result.stderr
    assert _snapshot(project / "site") == before


def test_the_site_is_readable_by_a_web_server_whatever_the_umask(content_copy):
    result = run(content_copy, preexec_fn=lambda: os.umask(0o077))
    assert result.returncode == 0, result.stderr
    site = content_copy / "site"
    modes = {stat.S_IMODE(path.stat().st_mode) for path in [site, *site.rglob("*")]
             if path.is_dir()}
    assert modes == {0o755}
    assert {stat.S_IMODE(path.stat().st_mode) for path in site.rglob("*")
            if path.is_file()} == {0o644}


def _wait_for_staging(project, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if any(path.is_file() for folder in project.glob(".site-new-*")
               for path in folder.rglob("*")):
            return True
        time.sleep(0.005)
    return False


def test_a_build_waits_while_another_holds_the_site(built):
    """The lock is held here, as a running build holds it: a build says it waits, publishes
    nothing while it waits, and builds once the lock is free."""
    project, _ = built
    before = (project / "site" / "index.html").stat().st_mtime_ns
    lock = os.open(project / ".site.lock", os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(lock, fcntl.LOCK_EX)
    waiting = subprocess.Popen([sys.executable, "-m", "generator", "build"], cwd=project,
                               env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    try:
        line = waiting.stderr.readline()
        assert line.strip() == "another build into site/ is running: waiting for it to finish"
        time.sleep(0.5)
        assert waiting.poll() is None
        assert (project / "site" / "index.html").stat().st_mtime_ns == before
    finally:
        os.close(lock)
    out, err = waiting.communicate(timeout=300)
    assert waiting.returncode == 0, err
    assert (project / "site" / "index.html").stat().st_mtime_ns != before
    assert leftovers(project) == []


def test_two_builds_at_once_take_turns_and_both_publish(built):
    project, _ = built
    builds = [subprocess.Popen([sys.executable, "-m", "generator", "build"], cwd=project,
                               env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True) for _ in range(2)]
    for build in builds:
        out, err = build.communicate(timeout=300)
        assert build.returncode == 0, err
        assert "Traceback" not in err
    assert (project / "site" / "index.html").is_file() and leftovers(project) == []


def test_ctrl_c_during_a_build_is_a_plain_stop(built):
    """Stopped while the engine writes the staging folder: 40 more topics keep it writing
    long enough for the signal to land there, however fast the machine."""
    project, _ = built
    template = (project / "content" / "topics" / "mri-and-low-back-pain.yaml").read_text(
        encoding="utf-8")
    for number in range(40):
        topic_id, text = synthetic_topic(template, number)
        (project / "content" / "topics" / f"{topic_id}.yaml").write_text(text, encoding="utf-8")
    assert run(project).returncode == 0
    before = _snapshot(project / "site")
    build = subprocess.Popen([sys.executable, "-m", "generator", "build"], cwd=project,
                             env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert _wait_for_staging(project, build)
    build.send_signal(signal.SIGINT)
    _out, err = build.communicate(timeout=120)
    assert build.returncode == 130, err
    assert "Traceback" not in err and "Stopped. Nothing was published" in err
    assert _snapshot(project / "site") == before and leftovers(project) == []


STEPS = ["check", "plan", "engine build", "audit", "reading scores", "publish", "staged",
         "swapped"]


@pytest.mark.parametrize("step", STEPS)
def test_a_kill_at_any_step_leaves_a_whole_site_at_the_path(built, step):
    project, before = built
    topic = project / "content" / "topics" / "mri-and-low-back-pain.yaml"
    topic.write_text(topic.read_text().replace("Read the warning signs", "Look at the warning "
                                               "signs", 1))
    killed = run(project, env={"PATIENT_SITE_KILL_AT": step})
    assert killed.returncode == -signal.SIGKILL
    site = _snapshot(project / "site")
    assert site.keys() == before.keys()  # a whole site, the last one or the new one
    page = site[next(path for path in site if path.as_posix() ==
                     "topics/mri-and-low-back-pain/index.html")].decode()
    assert ("Look at the warning signs" in page) == (step == "swapped")
    again = run(project)
    assert again.returncode == 0, again.stderr
    assert leftovers(project) == []


def test_where_folders_cannot_be_exchanged_a_kill_between_the_renames_is_undone(built):
    """Without an atomic exchange (not Linux, or a file system that lacks it) the swap is
    two renames; a kill between them leaves the last site beside the path, and the next
    build puts it back before anything else."""
    project, before = built
    script = ("import sys; from generator import publish; publish._RENAMEAT2 = None; "
              "from generator.cli import main; sys.exit(main(['build']))")
    killed = subprocess.run([sys.executable, "-c", script], cwd=project, capture_output=True,
                            env={**ENV, "PATIENT_SITE_KILL_AT": "set aside"}, timeout=300)
    assert killed.returncode == -signal.SIGKILL
    assert not (project / "site").exists()
    [aside] = [path for path in project.iterdir() if path.name.startswith(".site-old-")]
    assert _snapshot(aside) == before
    again = run(project)
    assert again.returncode == 0, again.stderr
    assert leftovers(project) == [] and (project / "site" / "index.html").is_file()


def test_the_preview_keeps_answering_through_a_bad_language_and_a_broken_template(content_copy):
    """The preview prints the plain message, keeps serving the last good build, and picks up
    the fix."""
    from tests.conftest import _free_port
    from tests.test_nothing_lost import _fetch, _Output, _wait_for_text

    port = _free_port()
    page = f"http://127.0.0.1:{port}/health-guides/"
    serve = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=content_copy, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = _Output(serve.stdout)
    try:
        mark = output.wait_for("Serving on")
        status, body = _fetch(page)
        assert status == 200 and 'lang="en"' in body
        settings = content_copy / "content" / "site.yaml"
        good = settings.read_text()
        settings.write_text(good.replace("language: en\n", "language: en-GB\n"))
        mark = output.wait_for("[bad-language]", mark)
        assert output.lines[mark].startswith("content/site.yaml:")
        mark = output.wait_for("The preview keeps showing the last good version", mark)
        status, body = _fetch(page)  # answered at once, from the last good build
        assert status == 200 and 'lang="en"' in body
        main = content_copy / "overrides" / "main.html"
        template = main.read_text()
        settings.write_text(good)
        main.write_text(template + "{% endblock %}\n")
        mark = output.wait_for("[theme-error]", mark)
        assert output.lines[mark].startswith("overrides/main.html:")
        assert _fetch(page)[0] == 200
        main.write_text(template.replace("<strong>Emergency?</strong>",
                                         "<strong>Emergency now?</strong>"))
        _wait_for_text(page, "Emergency now?")
        assert not any("Traceback" in line for line in output.lines)
    finally:
        serve.terminate()
        serve.wait(timeout=30)
