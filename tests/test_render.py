"""Rendered Markdown: golden files for every page, and editor text that stays inert."""

import html
import json
import re
from pathlib import Path
from typing import NamedTuple

import pytest

from generator.plan import letter_of, plan_site
from generator.render import escape_text, json_block, render_site
from tests.editing import fixture_topic

GOLDEN = Path(__file__).parent / "golden"


class Golden(NamedTuple):
    path: str
    markdown: str


def rendered_page(rendered) -> Golden:
    return Golden(rendered.page.source, rendered.markdown)


def test_pages_match_the_golden_files(library, request):
    """Rendered pages change only through `make golden`, reviewed in the diff."""
    pages = [rendered_page(page) for page in render_site(plan_site(library)).pages]
    expected = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*.md")}
    if request.config.getoption("--update-golden"):
        for stale in expected - {page.path for page in pages}:
            (GOLDEN / stale).unlink()
        for page in pages:
            target = GOLDEN / page.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page.markdown, encoding="utf-8")
        return
    assert {page.path for page in pages} == expected
    for page in pages:
        assert page.markdown == (GOLDEN / page.path).read_text(encoding="utf-8"), (
            f"{page.path} differs from tests/golden/{page.path}; if the change is intended, "
            "run `make golden` and review the diff")


@pytest.mark.parametrize("payload", [
    "<script>alert(1)</script>", "[click](javascript:alert(1))", "*bold* _it_ `code`",
    "{: onclick=alert(1) }", "<img src=x onerror=alert(1)>", "\" onmouseover=\"x",
    "# heading", "1. list", "{{ 7*7 }}", "&lt;b&gt;",
])
def test_escaped_text_has_no_markdown_or_html_syntax_left(payload):
    escaped = str(escape_text(payload))
    assert not re.search(r"[<>\"'`*_\[\]{}()#|]", escaped.replace("&#", "")), escaped
    # Entities decode back to exactly the editor's text.
    assert html.unescape(escaped) == payload


def test_json_block_cannot_close_its_script_and_round_trips():
    value = {"text": "</script><script>alert(1)</script>\u2028&"}
    block = str(json_block(value))
    assert "</" not in block and "\u2028" not in block and "&" not in block
    assert json.loads(block) == value


def test_a_to_z_letters():
    assert letter_of("slipped disk") == "S"
    assert letter_of("Érosion") == "E"
    assert letter_of("3D scan") == "#"


def test_the_self_check_page_embeds_the_canonical_rules(library):
    page = rendered_page(next(p for p in render_site(plan_site(library)).pages
                              if p.page.source.endswith("before-your-mri.md")))
    raw = re.search(r'<script type="application/json" data-self-check-rules>(.*?)</script>',
                    page.markdown).group(1)
    rules = json.loads(raw)
    topic = fixture_topic(library)
    assert [q["id"] for q in rules["questions"]] == [item.id for item in topic.risks.items]
    assert [o["id"] for o in rules["outcomes"]] == [
        o.id for o in topic.self_checks[1].outcomes]
    # In a check whose advice adds up, "otherwise" means "when no other outcome applies".
    others = [o["when"] for o in rules["outcomes"][:-1]]
    assert rules["outcomes"][-1]["when"] == {"op": "none", "of": others}
    # The JSON carries ids and conditions only: every word the page shows is in its HTML.
    words = {o.heading for o in topic.self_checks[1].outcomes} | {
        item.question for item in topic.risks.items}
    assert not any(word in raw for word in words)
