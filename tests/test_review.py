"""Honest review dates: who checked, when, and what happens as the next check comes due."""

import datetime
import html
import os
import shutil
import subprocess
import sys

import pytest

from generator.content import read_library
from generator.errors import ContentError
from generator.model import Reference
from tests.conftest import make_project
from tests.editing import LIBRARY, TOPIC, fixture_topic, line_of

DUE = datetime.date(2027, 11, 23)  # next_check_due in the fixture topic


@pytest.fixture
def content(tmp_path):
    shutil.copytree(LIBRARY, tmp_path / "content")
    return tmp_path


def messages(root, today, *, strict=True):
    try:
        library = read_library(root / "content", root, today=today, strict=strict)
    except ContentError as error:
        return [str(problem) for problem in error.problems]
    return [str(problem) for problem in library.warnings]


def test_the_fixture_topic_is_not_due_on_its_check_day(content):
    assert messages(content, datetime.date(2026, 11, 23)) == []


def test_a_check_due_within_60_days_warns_at_the_due_date(content):
    line = line_of((content / TOPIC).read_text(), "next_check_due:")
    found = messages(content, DUE - datetime.timedelta(days=30))
    assert found == [
        f"{TOPIC}:{line}:19: warning: the check of this topic is due in 30 day(s), on "
        "2027-11-23 — plan the check: compare the page with its sources, then update "
        "'last_checked' and 'next_check_due' [check-due-soon]"]
    assert messages(content, DUE - datetime.timedelta(days=61)) == []


def test_a_passed_due_date_fails_a_strict_build_and_warns_in_a_preview(content):
    late = DUE + datetime.timedelta(days=1)
    [strict] = messages(content, late)
    assert ": error: the check of this topic was due on 2027-11-23 — check the page against " \
        "its sources" in strict and strict.endswith("[check-overdue]")
    [preview] = messages(content, late, strict=False)
    assert ": warning: the check of this topic was due on 2027-11-23" in preview


def test_a_check_cannot_be_dated_in_the_future(content):
    found = messages(content, datetime.date(2026, 11, 22))
    assert len(found) == 1 and "'2026-11-23' is in the future" in found[0]
    assert found[0].endswith("[date-in-future]")


def test_who_checked_it_is_required(content):
    path = content / TOPIC
    path.write_text(path.read_text().replace(
        "  checked_by: Clear Health Guides editorial team\n", ""))
    [found] = messages(content, datetime.date(2026, 11, 23))
    assert "the field 'checked_by' is missing" in found and found.endswith("[missing-field]")


def test_references_link_to_doi_or_pubmed():
    assert Reference(id="a", citation="x", pmid="21282698").link == \
        "https://pubmed.ncbi.nlm.nih.gov/21282698/"
    assert Reference(id="a", citation="x", pmid="1", doi="10.7326/0003-4819").link == \
        "https://doi.org/10.7326/0003-4819"


def test_the_page_shows_who_checked_it_and_all_three_dates(built_site, library):
    topic = fixture_topic(library)
    page = html.unescape((built_site["dir"] / "topics/mri-and-low-back-pain/index.html")
                         .read_text(encoding="utf-8"))
    assert f"<dd>{topic.review.checked_by}</dd>" in page
    for label, when in (("Last checked", "2026-11-23"), ("own review date", "2015-07-13"),
                        ("Next check due", "2027-11-23")):
        assert f'{label}</dt><dd><time datetime="{when}">' in page


def _build_with_review(folder, last_checked, due):
    make_project(folder)  # the fixture library, so the test holds for any real content
    topic = folder / TOPIC
    topic.write_text(topic.read_text().replace('last_checked: "2026-11-23"',
                                               f'last_checked: "{last_checked}"')
                     .replace('next_check_due: "2027-11-23"', f'next_check_due: "{due}"'))
    return subprocess.run([sys.executable, "-m", "generator", "build"], cwd=folder,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
                          capture_output=True, text=True)


def test_the_real_build_warns_when_due_soon_and_stops_when_overdue(tmp_path):
    """Dates relative to the real today, so this test never goes stale."""
    today = datetime.date.today()
    soon = _build_with_review(tmp_path / "soon", today - datetime.timedelta(days=300),
                              today + datetime.timedelta(days=30))
    assert soon.returncode == 0, soon.stderr
    assert "warning: the check of this topic is due in 30 day(s)" in soon.stderr
    late = _build_with_review(tmp_path / "late", today - datetime.timedelta(days=400),
                              today - datetime.timedelta(days=1))
    assert late.returncode == 1
    assert "error: the check of this topic was due on" in late.stderr
    assert "[check-overdue]" in late.stderr and "Traceback" not in late.stderr
    assert not (tmp_path / "late" / "site").exists()


def test_a_source_with_no_review_date_says_so(content):
    """'not given' is honest: the page says the source gives none, and shows no other date as
    the source's own; anything else that is not a date is still an error."""
    from generator.plan import plan_site
    from generator.render import render_site

    topic = content / TOPIC
    text = topic.read_text(encoding="utf-8")
    topic.write_text(text.replace('source_reviewed: "2015-07-13"', "source_reviewed: not given"),
                     encoding="utf-8")
    library = read_library(content / "content", content, today=datetime.date(2026, 11, 23))
    assert library.topics[0].review.source_reviewed == "not given"
    article = next(page.markdown for page in render_site(plan_site(library)).pages
                   if page.page.kind == "article")
    assert ("<dt>The source\u2019s own review date</dt><dd>The source does not give one&#46;</dd>"
            in article)
    assert article.count("<time ") == 2  # last checked, next check due
    topic.write_text(text.replace('source_reviewed: "2015-07-13"', "source_reviewed: unknown"),
                     encoding="utf-8")
    assert messages(content, datetime.date(2026, 11, 23)) == [
        f"{TOPIC}:{line_of(text, 'source_reviewed:')}:20: error: 'unknown' is not a date "
        "written as year-month-day — write it like \"2025-07-13\", in quotes, or write 'not "
        "given' if the source shows no review date [bad-date]"]
