"""The editors' JSON Schemas come from the model and agree with it, on chosen and random data."""

from __future__ import annotations

import functools
import json

import pytest
from hypothesis import given
from jsonschema import Draft202012Validator
from pydantic import ValidationError

from generator.load import load_bytes, load_file
from generator.model import Glossary, Site, Topic
from generator.schema import SCHEMAS, schema_for, schema_texts
from tests.editing import ROOT
from tests.test_error_cases import BASE_TOPIC, apply, edit
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
    ("level: caution", "level: medium", False),                      # value not allowed
    ("- id: fever", "- id: Fever", False),                           # bad id
    ('pmid: "12345"', "pmid: PMID 12345", False),                    # bad PubMed id
    ("url: https://example.org/page", "url: http://example.org/page", False),  # not https
    ('last_checked: "2026-11-23"', "last_checked: 23/11/2026", False),  # date format
    ("  references: [ref-pmid]\nwarning_signs:", "  references: []\nwarning_signs:", False),
    ("alternative_names: [Base]", "alternative_names: []", True),   # an empty list is fine
    ('pmid: "12345"', "pmid:", True),                               # optional, left empty
    ("title: Base topic", "title: no", True),                       # YAML 1.1 words are text
])
def test_schema_and_model_agree_on_chosen_examples(old, new, valid):
    data = load_bytes(apply(BASE_TOPIC, edit(old, new)).encode(), "t.yaml").data
    assert schema_says(Topic, data) is valid
    assert model_says(Topic, data) is valid


@PROFILE
@given(reshaped())
def test_schema_and_model_agree_on_random_topics(raw):
    data = json.loads(raw)
    assert schema_says(Topic, data) == model_says(Topic, data)


@PROFILE
@given(values)
def test_schema_and_model_agree_on_random_site_files(data):
    assert schema_says(Site, data) == model_says(Site, data)
