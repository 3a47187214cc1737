"""Checked topics kept between runs: an edit re-reads one file, and a cached result is never
used once the file, the site settings, the glossary, the day or the code it depends on has
changed."""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess
import sys

import pytest

import generator.content as content
from generator.cache import Store, forget
from generator.content import check_content, read_library
from tests.editing import LIBRARY, ROOT, TOPIC

TODAY = datetime.date(2026, 11, 30)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A copy of the fixture library with a cache of its own; counts the topic files read."""
    monkeypatch.setenv("PATIENT_SITE_CACHE", str(tmp_path / "cache"))
    shutil.copytree(LIBRARY, tmp_path / "content")
    reads: list[str] = []
    real = content.read_topic

    def counted(path, display, context):
        reads.append(display)
        return real(path, display, context)

    monkeypatch.setattr(content, "read_topic", counted)
    return tmp_path, reads


def _check(folder, today=TODAY):
    forget()  # each check as a new process would run it: from the cache folder
    checked = check_content(folder / "content", folder, today=today)
    return checked, [str(problem) for problem in checked.problems]


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_unchanged_topic_is_read_once_and_an_edited_one_again(project, monkeypatch):
    folder, reads = project
    _edit(folder / TOPIC, "title: MRI and low back pain\n",
          "title: MRI and low back pain # a comment\n")  # a warning to keep
    first, problems = _check(folder)
    assert first.valid and reads == [TOPIC] and "[comment-in-text]" in problems[0]
    again, problems_again = _check(folder)
    assert again.valid and reads == [TOPIC] and problems_again == problems
    # The library made from the cache equals the one read from the files with no cache.
    cached = read_library(folder / "content", folder, today=TODAY)
    assert reads == [TOPIC]
    monkeypatch.setenv("PATIENT_SITE_CACHE", "off")
    fresh = read_library(folder / "content", folder, today=TODAY)
    assert cached == fresh and reads == [TOPIC, TOPIC]
    monkeypatch.setenv("PATIENT_SITE_CACHE", str(folder / "cache"))
    _edit(folder / TOPIC, " # a comment\n", "\n")
    edited, problems = _check(folder)
    assert edited.valid and not problems and reads == [TOPIC, TOPIC, TOPIC]


@pytest.mark.parametrize("change", ["glossary", "site", "day"])
def test_what_a_topic_is_checked_against_invalidates_it(project, change):
    folder, reads = project
    assert _check(folder)[0].valid
    if change == "glossary":
        _edit(folder / "content" / "glossary.yaml", "term: technologist", "term: radiographer")
        expected = "'technologist' is a hard word that the glossary does not explain"
    elif change == "site":
        _edit(folder / "content" / "site.yaml", "  - id: urgent", "  - id: today")
        expected = "'urgent'"
    else:
        expected = "next_check_due"
    checked, problems = _check(folder, TODAY + datetime.timedelta(days=400 if
                                                                  change == "day" else 0))
    assert not checked.valid and len(reads) == 2
    assert any(expected in problem for problem in problems), problems


def test_a_damaged_cache_entry_is_read_again(project):
    folder, reads = project
    _check(folder)
    for entry in (folder / "cache" / "topics").iterdir():
        entry.write_bytes(b"not a pickle")
    checked, _ = _check(folder)
    assert checked.valid and len(reads) == 2
    forget()
    library = read_library(folder / "content", folder, today=TODAY)
    assert library.topics[0].id == "mri-and-low-back-pain"


def test_a_missing_content_entry_is_worked_out_again(project):
    folder, reads = project
    _check(folder)
    for entry in (folder / "cache" / "topics").glob("*-content"):
        entry.unlink()
    forget()
    library = read_library(folder / "content", folder, today=TODAY)
    assert library.topics[0].id == "mri-and-low-back-pain" and len(reads) == 2


def test_the_store_keeps_what_this_run_used_when_it_prunes(tmp_path, monkeypatch):
    monkeypatch.setenv("PATIENT_SITE_CACHE", str(tmp_path))
    monkeypatch.setattr(Store, "MAX_ENTRIES", 4)
    old = Store("things")
    for number in range(6):
        old.put(f"old{number}", number)
    store = Store("things")
    assert store.get("old0") == 0  # the oldest, yet used by this run
    store.put("new", "value")
    store.prune()
    assert sorted(path.name for path in (tmp_path / "things").iterdir()) == [
        "new", "old0", "old5"]


READ_ON_EVERY_CORE = """
import datetime, json, os, sys
from pathlib import Path
import generator.content as content
from generator.cache import forget

folder, today = Path(sys.argv[1]), datetime.date.fromisoformat(sys.argv[2])
content.PARALLEL_FROM = 2
content.os.cpu_count = lambda: 2

def both(read, name):
    os.environ["PATIENT_SITE_CACHE"] = "off"
    serial = read()
    os.environ["PATIENT_SITE_CACHE"] = str(folder / name)
    forget()
    return serial, read()

check = lambda: content.check_content(folder / "content", folder, today=today)
serial, parallel = both(check, "cache-1")
found = {"same problems": [str(p) for p in parallel.problems] == [str(p) for p in serial.problems],
         "problems": [str(p) for p in serial.problems],
         "same ids": [r.id for r in parallel.topics] == [r.id for r in serial.topics],
         "sent without content": all(r._content is None for r in parallel.topics),
         "serial kept content": all(r._content is not None for r in serial.topics)}
if sys.argv[3] == "fixed":
    library = lambda: content.read_library(folder / "content", folder, today=today)
    serial, parallel = both(library, "cache-2")
    found = {"same library": parallel == serial, "topics": len(parallel.topics)}
print(json.dumps(found))
"""


def _read_on_every_core(folder, state: str) -> dict:
    """In a process of its own: other processes are forked only from a process with no
    other threads, and the test session has some (its servers)."""
    result = subprocess.run([sys.executable, "-c", READ_ON_EVERY_CORE, str(folder),
                             TODAY.isoformat(), state], cwd=ROOT, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_many_files_are_read_on_every_core_with_the_same_results(tmp_path):
    """Reading in other processes (here from 2 missing files, normally 48) gives the same
    problems and the same library as reading in this one with no cache."""
    shutil.copytree(LIBRARY, tmp_path / "content")
    for topic in (LIBRARY.parent / "new_topics").glob("*.yaml"):
        shutil.copy(topic, tmp_path / "content" / "topics" / topic.name)
    broken = tmp_path / "content" / "topics" / "blood-tests.yaml"
    good = broken.read_text(encoding="utf-8")
    broken.write_text(good.replace("\ntitle:", "\ntitel:", 1), encoding="utf-8")
    found = _read_on_every_core(tmp_path, "broken")
    assert found["same problems"] and found["same ids"]
    assert any("'titel'" in problem for problem in found["problems"])
    # Read elsewhere: sent back without the content, which waits in the cache for a build.
    assert found["sent without content"] and found["serial kept content"]
    broken.write_text(good, encoding="utf-8")
    assert _read_on_every_core(tmp_path, "fixed") == {"same library": True, "topics": 4}
