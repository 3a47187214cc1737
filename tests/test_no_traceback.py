"""No input file can make the tool print a traceback: Hypothesis throws random and mutated
YAML at the loader, the model and the rule checks, and every outcome must be either content
or located problems in the one message format.

The example counts are fixed (`EXAMPLES` per test) so the run stays a few seconds in CI; the
derandomized profile makes a failure in CI reproduce on any machine.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import Problem
from generator.load import LoadFailed, load_bytes
from generator.model import Site, Topic, parse
from generator.rules import ANSWERS, check_topic

EXAMPLES = 200
BASE = (Path(__file__).parent / "cases" / "topic.yaml").read_text(encoding="utf-8")
# The care levels topics name come from the site settings the cases start from.
SITE = parse(load_bytes((Path(__file__).parent / "cases" / "site.yaml").read_bytes(),
                        "site.yaml"), Site)[0]
ANSWER_WORDS = {answer: answer for answer in ANSWERS}
FORMAT = re.compile(r"^t\.yaml:\d+:\d+: (error|warning): .+ — .+ \[[a-z0-9-]+\]$")
PROFILE = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                   suppress_health_check=[HealthCheck.too_slow])

# Pieces that YAML treats specially, or that our checks look for.
TRICKY = ["yes", "no", "on", "~", "null", "1.10", "012", "0x1F", "1:20", ".nan", "-.inf",
          "2015-07-13", "&a", "*a", "<<", "!!str", "!!python/object:os.system", "---", "...",
          "[", "]", "{", "}", ": ", " #", "- ", "\t", '"', "'", "|", ">-", "%YAML 1.1",
          "\u200b", "\u202e", "\x00", "\x85", "\ufeff", "\r", "\n", "\\", "?", ","]


def outcome(raw: bytes, cls=Topic) -> list[Problem]:
    """Run one file through every stage that reads content; return the problems found."""
    try:
        document = load_bytes(raw, "t.yaml")
    except LoadFailed as failed:
        return failed.problems
    obj, problems = parse(document, cls)
    if isinstance(obj, Topic):
        problems += check_topic(document, obj, SITE, ANSWER_WORDS)[1]
    return list(document.warnings) + problems


def assert_located(problems: list[Problem]) -> None:
    for problem in problems:
        assert isinstance(problem, Problem)
        assert problem.line >= 1 and problem.column >= 1
        assert FORMAT.match(str(problem)), str(problem)  # one line, in the one format
        assert "Traceback" not in str(problem)


@PROFILE
@given(st.binary(max_size=600))
def test_random_bytes(raw):
    assert_located(outcome(raw))


@st.composite
def mutated(draw) -> bytes:
    """The valid base topic with a few lines deleted, repeated, or given tricky pieces."""
    lines = BASE.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "repeat", "insert", "indent", "dedent"]))
        line = lines[index]
        if action == "delete":
            del lines[index]
        elif action == "repeat":
            lines.insert(index, line)
        elif action == "insert":
            column = draw(st.integers(0, len(line)))
            piece = draw(st.sampled_from(TRICKY) | st.text(max_size=5))
            lines[index] = line[:column] + piece + line[column:]
        elif action == "indent":
            lines[index] = "  " + line
        else:
            lines[index] = line[2:]
        if not lines:
            break
    return "\n".join(lines).encode("utf-8")


@PROFILE
@given(mutated())
def test_mutated_topic_files(raw):
    assert_located(outcome(raw))


# JSON is YAML too: random shapes reach the model and the rule checks, not only the parser.
scalars = st.none() | st.text(max_size=8) | st.sampled_from(TRICKY + ["base", "ref-pmid"])
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.text(max_size=6) | st.sampled_from(
                          ["id", "text", "references", "when", "any", "answer", "questions",
                           "level", "outcomes", "signs"]), inner, max_size=3), max_leaves=12)


@st.composite
def reshaped(draw) -> bytes:
    """The base topic as data, with one field given a random value of any shape."""
    data = load_bytes(BASE.encode(), "t.yaml").data
    node = data
    while True:
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        if not keys:
            break
        key = draw(st.sampled_from(keys))
        if isinstance(node[key], (dict, list)) and node[key] and draw(st.booleans()):
            node = node[key]
            continue
        node[key] = draw(values)
        break
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


@PROFILE
@given(reshaped())
def test_reshaped_topics(raw):
    assert_located(outcome(raw))


@PROFILE
@given(values.map(lambda value: json.dumps(value).encode()))
def test_random_site_files(raw):
    assert_located(outcome(raw, Site))
