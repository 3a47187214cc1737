"""Adding valid topics never breaks anything: three new topics of other kinds (a symptom, a
medicine, a test; in tests/new_topics/) join a copy of the real content, and every check that
holds for any valid library still holds."""

from __future__ import annotations

import html
import json
import re
import shutil

import pytest

from generator.audit import audit_site
from generator.content import read_library
from generator.model import AskedQuestion
from generator.plan import plan_site
from generator.readability import score_site
from generator.rules import ANSWERS, YES_NO, AnswerSpace, RuleSet
from tests.conftest import build_project, make_project
from tests.editing import ROOT

NEW_TOPICS = ROOT / "tests" / "new_topics"


@pytest.fixture(scope="module")
def grown(tmp_path_factory):
    """The fixture library with the new topics added, built strictly by the CLI."""
    project = make_project(tmp_path_factory.mktemp("grown"))
    for topic in sorted(NEW_TOPICS.glob("*.yaml")):
        shutil.copy(topic, project / "content" / "topics" / topic.name)
    # Valid ids that name the page's own headings must not clash with them.
    tests = project / "content" / "topics" / "blood-tests.yaml"
    text = tests.read_text(encoding="utf-8")
    tests.write_text(text.replace("id: after-the-test", "id: references").replace(
        "id: what-happens", "id: review"), encoding="utf-8")
    built = build_project(project, tmp_path_factory.mktemp("grown-pages"))
    built["library"] = read_library(project / "content", project)
    return built


def test_the_new_topics_are_checked_and_built(grown):
    library = grown["library"]
    new = {path.stem for path in NEW_TOPICS.glob("*.yaml")}
    assert len(new) == 3 and new <= {topic.id for topic in library.topics}
    assert [problem for problem in library.warnings if problem.severity == "error"] == []
    plan = plan_site(library)
    built = {path.relative_to(grown["dir"]).as_posix() for path in grown["dir"].rglob("*.html")}
    planned = {page.url + "index.html" for page in plan.pages}
    assert planned | {"404.html"} == built


def test_the_grown_site_passes_its_audit_and_reads_plainly(grown):
    assert audit_site(grown["dir"], "/health-guides/") == []
    failures = [score.failure() for score in score_site(grown["dir"]) if not score.passes]
    assert failures == []


def test_no_page_repeats_an_id_and_every_in_page_link_lands(grown):
    for path in grown["dir"].rglob("*.html"):
        page = path.read_text(encoding="utf-8")
        ids = re.findall(r'\sid="([^"]+)"', page)
        repeated = sorted({name for name in ids if ids.count(name) > 1})
        assert repeated == [], f"{path}: {repeated}"
        for target in re.findall(r'href="#([^"]+)"', page):
            assert html.unescape(target) in ids, f"{path.name}: #{target}"


def test_every_self_check_page_embeds_the_rules_of_its_topic(grown):
    """The sync proof for every topic: the page's questions are the topic's, in order, and
    every complete answer set gets exactly the outcome Python gives."""
    library = grown["library"]
    for page in plan_site(library).of_kind("self-check"):
        topic, check = page.view["topic"], page.view["check"]
        markup = (grown["dir"] / page.url / "index.html").read_text(encoding="utf-8")
        found = re.search(r"<script[^>]*data-self-check-rules[^>]*>(.*?)</script>", markup, re.S)
        rules = json.loads(found.group(1))
        rule_set = library.rule_sets[topic.id][check.id]
        assert rules == rule_set.to_json()
        written = list(check.questions) or [
            AskedQuestion(**{"sign" if check.asks == "warning_signs" else "risk": item.id})
            for item in topic.items(check.asks)]
        ids = [question.sign or question.risk or question.id for question in written]
        assert [q["id"] for q in rules["questions"]] == ids
        shown_ids = re.findall(r'<li id="question-([^"]+)"', markup)
        assert shown_ids == ids
        items = {item.id: item for section in ("warning_signs", "risks")
                 for item in topic.items(section)}
        wording = library.wordings[topic.id][check.id]
        assert [wording.questions[i] for i in ids] == [
            items[question.sign or question.risk].question if question.sign or question.risk
            else question.question for question in written]
        for question, embedded in zip(written, rules["questions"], strict=True):
            if embedded["type"] == "yes-no":
                expected = YES_NO if question.not_sure == "no" else ANSWERS
            elif embedded["type"] == "number":
                expected = tuple(band.id for band in question.bands)
            else:
                expected = tuple(option.id for option in question.options)
            assert embedded["values"] == list(expected)
        assert [o["id"] for o in rules["outcomes"]] == [o.id for o in check.outcomes]
        embedded_rules = RuleSet.from_json(rules)
        assert embedded_rules.shown(AnswerSpace(embedded_rules.questions)) == rule_set.shown(
            AnswerSpace(rule_set.questions))
