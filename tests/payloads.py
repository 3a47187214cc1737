"""Hostile editor text, and the model walk that finds every field it can be put into.

Which fields exist is read from the model classes, not listed by hand: a field added to the
model is covered the day it is added, and a test fails if the sample content has no instance of
it to fill.
"""

from __future__ import annotations

import copy
import json
import types
import typing
from pathlib import Path

from pydantic import BaseModel

from generator.load import load_file
from generator.model import Site, Topic
from tests.editing import LIBRARY, TOPIC

# A plain word in the same places as each payload: the page structure and text every payload
# page must match.
CONTROL = "Zebra"

PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "<svg/onload=alert(3)>",
    '"><script>alert(4)</script>',
    "' onmouseover='alert(5)' x='",
    '" onfocus="alert(6)" autofocus="',
    "javascript:alert(7)",
    "[click me](javascript:alert(8))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCg5KTwvc2NyaXB0Pg==)",
    "[vb](vbscript:msgbox(10))",
    '[entity](&#106;&#97;vascript:alert(11)) <a href="&#x6A;avascript&#58;alert(12)">x</a>',
    "<https://evil.example/autolink> https://evil.example/bare",
    "**bold** __strong__ *em* _em_ `code` ~~del~~",
    "![pixel](https://evil.example/pixel.png)",
    "[ref]\n\n[ref]: https://evil.example/ref",
    'Text {: onclick="alert(13)" }',
    "{: #owned .evil onclick=alert(14) style=color:red }",
    '<iframe src="https://evil.example/frame"></iframe>',
    '<form action="https://evil.example/post"><button>Send</button></form>',
    '<base href="https://evil.example/base/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/refresh">',
    "{{ 7*7 }} {% if true %}x{% endif %} {# c #} {{ config.extra }}",
    "</script><script>alert(15)</script>",
    "line\u2028separator\u2029paragraph",
    "<!-- comment --> <![CDATA[x]]>",
    "# Heading\n- list item\n> quote\n```\ncode\n```",
    "&lt;b&gt;not bold&lt;/b&gt; &amp;amp; &#60;script&#62;",
    "<style>body{display:none}</style>",
    '<div markdown="1">*md in html*</div>',
    "${alert(16)} \\u003cscript\\u003e \\<b>escaped\\</b>",
)

# Values that only ids, URLs, PMIDs, dates and choices may take: these must be refused.
URL_PAYLOADS = (
    "JaVaScRiPt:alert(1)",
    "&#106;avascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/x",
    "http://evil.example/x",
    'https://evil.example/"><script>alert(1)</script>',
    "https://evil.example/ onmouseover=alert(1)",
    "https://evil.example/x\njavascript:alert(1)",
    " javascript:alert(1)",
)

Path_ = tuple[str | int, ...]


def shown(text: str) -> str:
    """How a page shows editor text: runs of whitespace (newlines too) are one space."""
    return " ".join(text.split())


def sample_topic() -> dict:
    """The fixture topic's data, plus the optional fields it does not use, so each is filled.

    Only the first two warning signs and risks are kept (and any a rule names), so that
    proving the self-checks, which tries every combination of answers, stays quick.
    """
    data = copy.deepcopy(load_file(LIBRARY / "topics" / Path(TOPIC).name, TOPIC).data)
    data["references"][0]["url"] = "https://example.org/source"
    named = set(_named_questions(data["self_checks"]))
    for section, items in (("warning_signs", "signs"), ("risks", "items")):
        data[section][items] = [item for index, item in enumerate(data[section][items])
                                if index < 2 or item["id"] in named]
    data["self_checks"].append(_own_questions_check(data["references"][0]["id"]))
    reference = data["references"][0]["id"]
    data.setdefault("allowed_words", ["Zebra"])  # filled with each payload, so its words pass
    data["key_message"].setdefault("advice", "Zebra advice.")
    data["self_checks"][0].setdefault("key_message", {
        "text": "Zebra message.", "references": [reference], "advice": "Zebra advice."})
    data["self_checks"][0].setdefault("image", {
        "file": "images/back-pain-gets-better.png", "alt": "Zebra picture",
        "caption": {"text": "Zebra caption.", "site_advice": "yes"}})
    data["warning_signs"].setdefault("groups", [{"id": "zebra-group", "lead_in": "Zebra:"}])
    data["warning_signs"]["signs"][0]["group"] = data["warning_signs"]["groups"][0]["id"]
    data["sections"] += [
        {"id": "zebra-table", "heading": "Zebra table", "intro": {
            "text": "Zebra intro.", "references": [reference]}, "table": {
                "caption": "Zebra caption", "header": ["Zebra", "Zebra"],
                "rows": [{"cells": ["Zebra", "Zebra"], "references": [reference]}]}},
        {"id": "zebra-picture", "heading": "Zebra picture", "image": {
            "file": "images/back-pain-gets-better.png", "alt": "Zebra picture",
            "caption": {"text": "Zebra caption.", "references": [reference]}}},
        {"id": "zebra-list", "heading": "Zebra list", "card": "do-not", "points": [
            {"text": "Zebra point:", "references": [reference],
             "points": [{"text": "Zebra sub-point."}]}]},
        {"id": "zebra-steps", "heading": "Zebra steps", "steps": [
            {"text": "Zebra step.", "site_advice": "yes"}]},
        {"id": "zebra-text", "heading": "Zebra text", "paragraphs": [
            {"text": "Zebra paragraph.", "references": [reference]}]},
    ]
    return data


def _own_questions_check(reference: str) -> dict:
    """A self-check with a question of each type the topic's own checks do not use, so that
    every field of a question gets its payload too."""
    advice = [{"text": "Zebra advice.", "references": [reference]}]
    return {
        "id": "zebra-check", "title": "Zebra check", "intro": "Zebra intro.",
        "questions": [
            {"id": "zebra-age", "type": "number", "question": "Zebra age?", "unit": "years",
             "lowest": "0", "highest": "120",
             "bands": [{"id": "young", "text": "Young", "below": "16"},
                       {"id": "old", "text": "Old"}]},
            {"id": "zebra-kind", "type": "one-choice", "question": "Zebra kind?",
             "options": [{"id": "a", "text": "Zebra A"}, {"id": "b", "text": "Zebra B"}]},
            {"id": "zebra-more", "type": "several-choices", "question": "Zebra more?",
             "options": [{"id": "c", "text": "Zebra C"}],
             "asked_if": {"any": {"answer": "a", "questions": ["zebra-kind"]}}},
        ],
        "outcomes": [
            {"id": "zebra-first", "level": "soon", "heading": "Zebra first", "advice": advice,
             "when": {"any": {"answer": "c", "questions": ["zebra-more"]}}},
            {"id": "zebra-last", "level": "self-care", "heading": "Zebra last",
             "advice": advice, "when": "otherwise"},
        ],
    }


def _named_questions(value):
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "questions":
                yield from item
            else:
                yield from _named_questions(item)
    elif isinstance(value, list):
        for item in value:
            yield from _named_questions(item)


def sample_site() -> dict:
    return copy.deepcopy(load_file(LIBRARY / "site.yaml", "content/site.yaml").data)


def text_leaves(cls: type[BaseModel], data: dict, path: Path_ = ()):
    """(path, field, kind) for every text value in `data`, typed by the model class `cls`.

    kind is "text" (free text an editor writes), "pattern" (ids, URLs, PMIDs, dates, codes),
    "choice" (one of a few words) or "rule" (a word inside a self-check rule).
    """
    hints = typing.get_type_hints(cls, include_extras=True)
    for name, value in data.items():
        yield from _leaves(hints[name], value, path + (name,), f"{cls.__name__}.{name}")


def _leaves(hint, value, path: Path_, field: str):
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if value is None:
        return
    if origin is typing.Annotated and _is_rule(args[0]):
        yield from _rule_leaves(value, path, field)
    elif origin is typing.Annotated:
        pattern = any(getattr(meta, "pattern", None) for meta in args[1:])
        yield path, field, "pattern" if pattern else "text"
    elif origin is typing.Literal:
        yield path, field, "choice"
    elif origin is list:
        for index, item in enumerate(value):
            yield from _leaves(args[0], item, path + (index,), field)
    elif origin in (typing.Union, types.UnionType):
        if dict in args:  # a self-check rule: every word in it is a rule word
            yield from _rule_leaves(value, path, field)
            return
        [chosen] = [arg for arg in args if arg is not type(None)]
        yield from _leaves(chosen, value, path, field)
    elif isinstance(hint, type) and issubclass(hint, BaseModel):
        yield from text_leaves(hint, value, path)
    else:  # pragma: no cover - a new kind of field: teach this walk about it
        raise AssertionError(f"{field} has a type the payload walk does not know: {hint}")


def _rule_leaves(value, path: Path_, field: str):
    if isinstance(value, str):
        yield path, field, "rule"
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _rule_leaves(item, path + (key,), field)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _rule_leaves(item, path + (index,), field)


def model_text_fields(cls: type[BaseModel]) -> set[str]:
    """Every free-text field the model class (and the classes inside it) declares."""
    found: set[str] = set()
    hints = typing.get_type_hints(cls, include_extras=True)
    for name, hint in hints.items():
        found |= _fields_in(hint, f"{cls.__name__}.{name}")
    return found


def _is_rule(hint) -> bool:
    """A self-check condition (`when`, `asked_if`): a group of fields, checked by the rules."""
    return hint is dict or dict in typing.get_args(hint)


def _fields_in(hint, field: str) -> set[str]:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Annotated and _is_rule(args[0]):
        return set()
    if origin is typing.Annotated:
        pattern = any(getattr(meta, "pattern", None) for meta in args[1:])
        return set() if pattern else {field}
    if origin in (list, typing.Union, types.UnionType):
        return set().union(*(_fields_in(arg, field) for arg in args))
    if isinstance(hint, type) and issubclass(hint, BaseModel):
        return model_text_fields(hint)
    return set()


def replace_at(data, path: Path_, value) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def write_yaml(path: Path, data) -> str:
    """Write data as YAML (JSON is YAML), so any string, however hostile, survives exactly."""
    text = json.dumps(data, indent=1, ensure_ascii=True) + "\n"
    path.write_text(text, encoding="utf-8")
    return text


def groups(payloads=PAYLOADS, limit: int = 200) -> list[tuple[str, ...]]:
    """Payloads in groups whose joined text fits a short field, none inside another."""
    result: list[list[str]] = []
    for payload in payloads:
        for group in result:
            joined = " ".join([CONTROL, *group, payload])
            if len(joined) <= limit and not any(
                    shown(a) in shown(b) for a in group + [payload] for b in group + [payload]
                    if a != b):
                group.append(payload)
                break
        else:
            result.append([payload])
    return [tuple(group) for group in result]


def topic_filled(key: str, text: str) -> dict:
    """The sample topic with `text` in every free-text field, under ids of its own."""
    data = sample_topic()
    data["id"] = f"topic-{key}"
    for index, check in enumerate(data["self_checks"]):
        check["id"] = f"check-{key}-{index}"
    for path, _field, kind in list(text_leaves(Topic, data)):
        if kind == "text":
            replace_at(data, path, text)
    return data


def site_filled(group: tuple[str, ...]) -> dict:
    data = sample_site()
    for path, _field, kind in list(text_leaves(Site, data)):
        if kind == "text":
            replace_at(data, path, " ".join([CONTROL, *group]))
    return data
