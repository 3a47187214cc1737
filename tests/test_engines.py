"""Engine-neutral output: `export` builds with plain MkDocs and no project plugin, and
ProperDocs (the maintained fork of MkDocs 1.x) builds the project exactly as MkDocs does."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from generator.audit import audit_site
from tests.conftest import make_project

SITE_URL = "http://127.0.0.1:8000/health-guides/"
ENV = {key: value for key, value in os.environ.items()
       if key not in {"SITE_URL", "SITE_ENGINE", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY"}}
ENV.update(SITE_URL=SITE_URL, NO_MKDOCS_2_WARNING="1")
GENERATOR_TAG = re.compile(r'<meta name="generator" content="[^"]*">')


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, *args], cwd=cwd, env={**ENV, **env},
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done


def files(site: Path) -> dict[str, bytes]:
    """Every file of a built site; in pages, the engine's generator tag is left out."""
    found = {}
    for path in sorted(site.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".html":
                data = GENERATOR_TAG.sub("", data.decode("utf-8")).encode("utf-8")
            found[path.relative_to(site).as_posix()] = data
    return found


def search_docs(site: Path) -> list[dict]:
    docs = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
    return sorted(docs, key=lambda doc: (doc["location"], doc["title"]))


def test_the_export_builds_with_plain_mkdocs_into_the_same_site(tmp_path):
    project = make_project(tmp_path / "project")
    run(["-m", "generator", "build", "--site-dir", str(tmp_path / "with-plugin")], project)
    run(["-m", "generator", "export", str(tmp_path / "export")], project)
    config = json.loads((tmp_path / "export/mkdocs.yml").read_text(encoding="utf-8")
                        .split("\n", 2)[2])
    assert config["plugins"] == ["search"]
    run(["-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "plain")],
        tmp_path / "export")

    with_plugin, plain = files(tmp_path / "with-plugin"), files(tmp_path / "plain")
    assert sorted(plain) == sorted(with_plugin)
    pages = [path for path in with_plugin if path.endswith(".html")]
    assert len(pages) == 9
    assert [path for path in pages if plain[path] != with_plugin[path]] == []
    # The engine lists pages in the order it found their files, so only the order differs.
    assert search_docs(tmp_path / "plain") == search_docs(tmp_path / "with-plugin")
    assert audit_site(tmp_path / "plain", "/health-guides/") == []


def test_a_second_export_into_a_full_folder_is_refused(tmp_path):
    project = make_project(tmp_path / "project")
    (tmp_path / "export").mkdir()
    (tmp_path / "export" / "notes.txt").write_text("keep me")
    done = subprocess.run([sys.executable, "-m", "generator", "export", str(tmp_path / "export")],
                          cwd=project, env=ENV, capture_output=True, text=True)
    assert done.returncode == 2 and "is not an empty folder" in done.stderr
    assert (tmp_path / "export" / "notes.txt").read_text() == "keep me"


def test_properdocs_builds_the_project_and_the_export_as_mkdocs_does(tmp_path):
    project = make_project(tmp_path / "project")
    run(["-m", "generator", "build", "--site-dir", str(tmp_path / "mkdocs")], project)
    done = run(["-m", "generator", "build", "--site-dir", str(tmp_path / "properdocs")], project,
               SITE_ENGINE="properdocs")
    assert "built 9 HTML pages" in done.stdout
    page = (tmp_path / "properdocs/index.html").read_text(encoding="utf-8")
    assert "ProperDocs" in GENERATOR_TAG.search(page).group(0)
    assert files(tmp_path / "properdocs") == files(tmp_path / "mkdocs")

    run(["-m", "generator", "export", str(tmp_path / "export")], project)
    run(["-m", "properdocs", "build", "--strict", "-q", "-f", "mkdocs.yml",
         "-d", str(tmp_path / "plain-properdocs")], tmp_path / "export")
    plain = files(tmp_path / "plain-properdocs")
    built = files(tmp_path / "mkdocs")
    assert [path for path in built if path.endswith(".html") and plain[path] != built[path]] == []


def test_properdocs_stops_a_strict_build_on_a_broken_link(tmp_path):
    """ProperDocs counts warnings on its own loggers: the adapter routes MkDocs' to them."""
    project = make_project(tmp_path / "project")
    (project / "site_src/about.md").write_text("# About\n\n[gone](missing.md)\n")
    done = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=project,
                          env={**ENV, "SITE_ENGINE": "properdocs"}, capture_output=True,
                          text=True)
    assert done.returncode == 1, done.stderr
    assert "missing.md" in done.stderr and "[build-failed]" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_content_folder_can_live_elsewhere(tmp_path):
    """`--content` for the command line, the plugin's `content_dir` for the engine's own."""
    project = make_project(tmp_path / "project")
    (project / "content").rename(project / "library")
    done = run(["-m", "generator", "build", "--content", "library"], project)
    assert "built 9 HTML pages" in done.stdout
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - patient-site\n", "  - patient-site:\n      content_dir: library\n"), encoding="utf-8")
    run(["-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "plain")], project)
    assert (tmp_path / "plain/topics/mri-and-low-back-pain/index.html").is_file()


def test_the_examples_check_and_build_from_their_own_folder(tmp_path):
    """`examples/` sits beside `content/` and is never published with it: the two commands
    an editor runs on it, from the project as it is."""
    root = Path(__file__).resolve().parent.parent
    done = run(["-m", "generator", "check", "--content", "examples"], root)
    assert done.stdout.startswith("content is valid: 3 topic(s)")
    site = tmp_path / "examples-site"
    run(["-m", "generator", "build", "--content", "examples", "--site-dir", str(site)], root)
    assert {path.parent.name for path in (site / "topics").glob("*/index.html")} == {
        "headaches", "ibuprofen", "blood-tests"}
    assert not (root / "site" / "topics" / "headaches").exists()
