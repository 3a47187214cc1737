"""The benchmark's synthetic library stays valid as the real content changes (no timing here)."""

from benchmarks.benchmark import plain_project
from benchmarks.synthetic import make_project
from generator.content import read_library


def test_synthetic_topics_are_valid_and_distinct(tmp_path):
    project = make_project(tmp_path / "ours", 3)
    library = read_library(project / "content", project)
    assert len({topic.id for topic in library.topics}) == 3
    assert len({topic.title for topic in library.topics}) == 3
    plain = plain_project(project, tmp_path / "plain")
    pages = {path.relative_to(plain / "docs").as_posix() for path in plain.rglob("*.md")}
    assert {f"topics/{topic.id}/index.md" for topic in library.topics} <= pages
