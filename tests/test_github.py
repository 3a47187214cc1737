"""In GitHub Actions, problems also become annotations on the pull request and a job summary."""

from __future__ import annotations

import html
import re

import markdown

from generator.cli import main
from generator.errors import Problem, github_summary, visible
from tests.editing import LIBRARY, TOPIC

HOSTILE = Problem(
    "content/topics/a,b:c.yaml", 7, 3,
    "'level' cannot be 'x | y <script>alert(1)</script> **b** [l](javascript:x) `c` 100%\n::'",
    "use one of: 'urgent' \\ _or_ ~~'routine'~~ # ok", "not-allowed")


def test_annotations_escape_properties_and_data():
    assert HOSTILE.annotation() == (
        "::error file=content/topics/a%2Cb%3Ac.yaml,line=7,col=3,title=not-allowed::"
        "'level' cannot be 'x | y <script>alert(1)</script> **b** [l](javascript:x) `c` "
        "100%25\\n::' — use one of: 'urgent' \\ _or_ ~~'routine'~~ # ok")


def cells(markup: str) -> list[list[str]]:
    """The text of every cell of every row of the table's body, as a reader would see it."""
    body = re.search(r"<tbody>(.*)</tbody>", markup, re.S).group(1)
    return [[html.unescape(re.sub(r"<[^>]+>", "", cell)) for cell in
             re.findall(r"<td>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_summary_cells_show_exactly_the_text_and_never_markup():
    plain = Problem("content/site.yaml", 1, 1, "plain", "fix it", "bad-language",
                    severity="warning")
    summary = github_summary([HOSTILE, plain], "https://example.org/guide")
    markup = markdown.markdown(summary, extensions=["tables"])
    assert "<script" not in markup and "<strong>" not in markup and "<em>" not in markup
    assert "<code>" not in markup and "<del>" not in markup
    assert 'href="javascript' not in markup
    assert cells(markup) == [
        ["content/site.yaml:1:1", "warning: plain", "fix it", "bad-language"],
        ["content/topics/a,b:c.yaml:7:3", visible(HOSTILE.message), HOSTILE.hint,
         "not-allowed"],
    ]
    assert '<a href="https://example.org/guide#not-allowed">' in markup
    assert summary.startswith("### Content check: 1 error(s), 1 warning(s)\n")


def test_check_in_actions_prints_annotations_and_writes_the_summary(tmp_path, monkeypatch,
                                                                     capsys):
    import shutil

    shutil.copytree(LIBRARY, tmp_path / "content")
    topic = tmp_path / TOPIC
    topic.write_text(topic.read_text(encoding="utf-8").replace('shows: every-that-applies',
                                                               'shows: every', 1),
                     encoding="utf-8")
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.com")
    monkeypatch.setenv("GITHUB_REPOSITORY", "team/site")
    monkeypatch.setenv("GITHUB_SHA", "abc123")
    assert main(["check", "--content", str(tmp_path / "content")]) == 1
    printed = capsys.readouterr()
    [annotation] = printed.out.splitlines()
    assert annotation.startswith(f"::error file={TOPIC},line=")
    assert annotation.endswith("::'shows' cannot be 'every' — use one of: "
                               "'first-that-applies' or 'every-that-applies'")
    written = summary.read_text(encoding="utf-8")
    assert written.startswith("earlier step\n### Content check: 1 error(s), 0 warning(s)\n")
    assert ("(https://github.com/team/site/blob/abc123/content/README.md#not-allowed)"
            in written)
