"""The editors' JSON Schemas come from the model and agree with it, on chosen and random data.

Conditions (`when`, `asked_if`) are the one place where the schema says more than the model:
the model takes any group of fields there and leaves conditions to the rules module, whose
messages say exactly what is wrong. So where the two differ, the difference must be a
condition, and `check` must reject it too.
"""

from __future__ import annotations

import functools
import json

import pytest
from hypothesis import given
from jsonschema import Draft202012Validator
from pydantic import ValidationError

from generator.load import load_bytes, load_file
from generator.model import Glossary, Site, Topic, parse
from generator.rules import ANSWERS, check_topic
from generator.schema import SCHEMAS, schema_for, schema_texts
from generator.words import catalog
from tests.editing import ROOT
from tests.test_error_cases import BASE_TOPIC, CASES, apply, edit
from tests.test_no_traceback import PROFILE, reshaped, values

SCHEMA_DIR = ROOT / "content" / "schema"


@functools.cache
def validator(cls) -> Draft202012Validator:
    return Draft202012Validator(schema_for(cls))


def schema_says(cls, data) -> bool:
    return validator(cls).is_valid(data)


def model_says(cls, data) -> bool:
    try:
        cls.model_validate(data)
    except ValidationError:
        return False
    return True


CONDITION_CODES = {"bad-condition", "bad-answer", "unknown-field", "unknown-question"}


def condition_problems(data) -> set[str]:
    """The codes `check` gives a topic's self-checks, with the error cases' site settings."""
    site_document = load_file(CASES / "site.yaml", "site.yaml")
    site, _ = parse(site_document, Site)
    document = load_bytes(json.dumps(data).encode(), "t.yaml")
    topic, found = parse(document, Topic)
    assert topic is not None, [str(problem) for problem in found]
    words = catalog(site.language)
    answer_words = {answer: words[f"answer.{answer}"] for answer in ANSWERS}
    return {problem.code for problem in check_topic(document, topic, site, answer_words)[1]}


def assert_schema_agrees(cls, data) -> None:
    """Schema and model agree; or the schema rejects only conditions, and so does `check`."""
    schema, model = schema_says(cls, data), model_says(cls, data)
    if schema == model:
        return
    assert model and not schema, "the schema rejects less than the model"
    paths = [list(error.absolute_path) for error in validator(cls).iter_errors(data)]
    assert paths and all({"when", "asked_if"} & {str(part) for part in path}
                         for path in paths), paths
    assert condition_problems(data) & CONDITION_CODES


def test_committed_schemas_are_generated_from_the_model():
    for name, text in schema_texts().items():
        committed = (SCHEMA_DIR / name).read_text(encoding="utf-8")
        assert committed == text, f"content/schema/{name} is out of date: run `make schema`"
        Draft202012Validator.check_schema(json.loads(committed))
    assert {path.name for path in SCHEMA_DIR.iterdir()} == set(SCHEMAS)


def test_every_content_file_names_its_schema_on_its_first_line():
    files = sorted((ROOT / "content").rglob("*.y*ml"))
    assert len(files) >= 3
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        prefix = "# yaml-language-server: $schema="
        assert first.startswith(prefix), f"{path.name} does not name its schema on line 1"
        target = (path.parent / first[len(prefix):]).resolve()
        expected = ("topic" if path.parent.name == "topics" else path.stem) + ".schema.json"
        assert target == (SCHEMA_DIR / expected).resolve()


def test_the_real_content_is_valid_for_both():
    site = load_file(ROOT / "content" / "site.yaml", "site.yaml").data
    assert schema_says(Site, site) and model_says(Site, site)
    glossary = load_file(ROOT / "content" / "glossary.yaml", "glossary.yaml").data
    assert schema_says(Glossary, glossary) and model_says(Glossary, glossary)
    for path in (ROOT / "content" / "topics").glob("*.yaml"):
        data = load_file(path, path.name).data
        assert schema_says(Topic, data) and model_says(Topic, data)


@pytest.mark.parametrize("old, new, valid", [
    ("title: Base topic", "titel: Base topic", False),               # unknown field
    ("summary: A topic used only to test error messages.\n", "", False),  # missing field
    ("title: Base topic", "title:\n  - Base topic", False),          # list where text belongs
    ("title: Base topic", 'title: "   "', False),                    # only spaces
    ("shows: every-that-applies", "shows: every", False),            # value not allowed
    ("level: caution", "level: medium", True),    # any id: `check` compares it with site.yaml
    ('below: "4"', "below: four", False),                            # not a number
    ('not_sure: "no"', "not_sure: maybe", False),                    # "yes" or "no"
    ("- id: fever", "- id: Fever", False),                           # bad id
    ('pmid: "12345"', "pmid: PMID 12345", False),                    # bad PubMed id
    ("url: https://example.org/page", "url: http://example.org/page", False),  # not https
    ('last_checked: "2026-11-23"', "last_checked: 23/11/2026", False),  # date format
    # Typed alike; `check` then asks where the text comes from (or to mark it site advice).
    ("  references: [ref-pmid]\nwarning_signs:", "  references: []\nwarning_signs:", True),
    ("alternative_names: [Base]", "alternative_names: []", True),   # an empty list is fine
    ('pmid: "12345"', "pmid:", True),                               # optional, left empty
    ("title: Base topic", "title: no", True),                       # YAML 1.1 words are text
])
def test_schema_and_model_agree_on_chosen_examples(old, new, valid):
    data = load_bytes(apply(BASE_TOPIC, edit(old, new)).encode(), "t.yaml").data
    assert schema_says(Topic, data) is valid
    assert model_says(Topic, data) is valid


CHECK_SOON = "any: {answer: not-sure}"
FOLLOW_UP = "any: {answer: severe, questions: [pain-score]}"


@pytest.mark.parametrize("old, new", [
    (CHECK_SOON, "most: {answer: not-sure}"),                        # not a condition
    (CHECK_SOON, 'any: {answer: not-sure}\n          all: {answer: "no"}'),  # two at once
    (CHECK_SOON, "any: {answer: not-sure, question: [fever]}"),      # misspelt field
    (CHECK_SOON, "any: {questions: [fever]}"),                       # no answer
    (CHECK_SOON, "any: []"),                                         # an empty list
    (CHECK_SOON, "any: not-sure"),                                   # neither list nor match
    (CHECK_SOON, "not: [{any: {answer: not-sure}}]"),                # 'not' takes one
    (CHECK_SOON, "any: {answer: not-sure, questions: fever}"),       # not a list of ids
    ("when: otherwise\n        heading: Wait", "when: always\n        heading: Wait"),
    (FOLLOW_UP, "any: {answer: severe, questions: []}"),             # in a follow-up too
    (FOLLOW_UP, "some: {answer: severe}"),
])
def test_the_schema_describes_conditions_as_check_reads_them(old, new):
    data = load_bytes(apply(BASE_TOPIC, edit(old, new)).encode(), "t.yaml").data
    assert model_says(Topic, data)  # the model takes any group of fields here,
    assert not schema_says(Topic, data)  # the schema knows the shape,
    assert condition_problems(data) & CONDITION_CODES  # and `check` rejects it too
    assert_schema_agrees(Topic, data)


def test_conditions_in_the_base_topic_fit_the_schema():
    data = load_bytes(BASE_TOPIC.encode(), "t.yaml").data
    assert condition_problems(data) == set()
    checks = data["self_checks"]
    assert any(isinstance(outcome["when"], dict) for check in checks
               for outcome in check["outcomes"])
    assert any("asked_if" in question for check in checks
               for question in check.get("questions", []))
    assert schema_says(Topic, data) and model_says(Topic, data)


@PROFILE
@given(reshaped())
def test_schema_and_model_agree_on_random_topics(raw):
    assert_schema_agrees(Topic, json.loads(raw))


@PROFILE
@given(values)
def test_schema_and_model_agree_on_random_site_files(data):
    assert schema_says(Site, data) == model_says(Site, data)
