"""Topic pages built from blocks: the order editors give, the checks on each block, links
between topics and parts of a page, pictures, and the site's own advice.

Each test edits a copy of the fixture topic and either checks it (every problem, warnings
too, with its place) or renders it to Markdown without MkDocs; one test builds the fixture
library with the real MkDocs pipeline (the session's `built_site`).
"""

from __future__ import annotations

import html
import os
import posixpath
import re
import shutil
import struct
import zlib
from pathlib import Path

import pytest

from generator.content import check_content, read_library
from generator.images import read_picture
from generator.plan import plan_site
from generator.render import render_site
from tests.editing import LIBRARY, ROOT, TOPIC, edited_copy, line_of, problems_after

TOPIC_ID = "mri-and-low-back-pain"
ARTICLE = ("article", TOPIC_ID)
SIGNS_CHECK = ("self-check", TOPIC_ID, "do-i-need-an-mri-now")
PICTURE = "images/back-pain-gets-better.png"
HEADACHES = ROOT / "tests" / "new_topics" / "headaches.yaml"  # a second topic, id 'headaches'


# --- helpers -------------------------------------------------------------------------------

def _problems(tmp_path: Path, *edits: tuple[str, str]) -> tuple[str, list[str]]:
    """The edited topic's text and every problem found in the copy, warnings included."""
    content, text = edited_copy(tmp_path, *edits)
    return text, [str(problem) for problem in check_content(content, tmp_path).problems]


def _pages(content: Path) -> dict[tuple, str]:
    """Each generated page's Markdown, by page key."""
    library = read_library(content, content.parent)
    return {rendered.page.key: rendered.markdown
            for rendered in render_site(plan_site(library)).pages}


def _at(text: str, needle: str, column_at: str | None = None) -> str:
    """`file:line:col` of the line holding `needle`, the column where `column_at` starts."""
    line = line_of(text, needle)
    column = text.splitlines()[line - 1].index(column_at or needle) + 1
    return f"{TOPIC}:{line}:{column}"


_HEADING = re.compile(r"^## (.+) \{#([a-z0-9-]+)\}$", re.MULTILINE)


def _headings(markdown: str) -> list[tuple[str, str]]:
    return _HEADING.findall(markdown)


def _png(width: int, height: int) -> bytes:
    """A real (tiny, white) PNG picture of this size."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))
    rows = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def _jpeg_header(width: int, height: int) -> bytes:
    """The start of a JPEG: SOI, an APP0 (JFIF) segment, then a baseline frame header."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 17, 8, height, width, 3) + b"\x01\x11\x00" * 3
    return b"\xff\xd8" + app0 + sof0 + b"\xff\xd9"


DEFAULT_ORDER = [
    ("Warning signs", "warning-signs"),
    ("What to do now", "what-to-do-now"),
    ("Check yourself", "self-checks"),
    ("About back pain and MRI scans", "section-about-back-pain-and-mri"),
    ("When a scan can do harm", "section-when-a-scan-can-cause-harm"),
    ("What to tell them before a scan", "section-what-to-tell-them"),
    ("Back pain often gets better", "section-getting-better"),
    ("Risks", "risks"),
    ("Other names for this topic", "other-names"),
    ("References", "references"),
    ("When we checked this page", "review"),
]
SECOND_SECTION = "  - id: when-a-scan-can-cause-harm\n"
FIRST_SECTION = "sections:\n  - id: about-back-pain-and-mri\n"


# --- 1. order ------------------------------------------------------------------------------

def test_the_fixture_page_has_the_default_order(library):
    [page] = [rendered for rendered in render_site(plan_site(library)).pages
              if rendered.page.key == ARTICLE]
    assert _headings(page.markdown) == DEFAULT_ORDER


def test_warning_signs_go_where_a_section_shows_them_under_its_heading(tmp_path):
    content, _ = edited_copy(tmp_path, (SECOND_SECTION, "  - id: signs-to-act-on\n"
                                  "    heading: Signs to act on now\n"
                                  "    shows: warning-signs\n" + SECOND_SECTION))
    article = _pages(content)[ARTICLE]
    expected = [entry for entry in DEFAULT_ORDER if entry[1] != "warning-signs"]
    expected.insert(expected.index(("About back pain and MRI scans",
                                    "section-about-back-pain-and-mri")) + 1,
                    ("Signs to act on now", "warning-signs"))
    assert _headings(article) == expected
    # The signs themselves moved with their heading: after the first section, before the next.
    signs = article.index('<ul class="warning-signs">')
    assert article.index("{#section-about-back-pain-and-mri}") < signs < article.index(
        "{#section-when-a-scan-can-cause-harm}")
    assert article.count('<ul class="warning-signs">') == 2  # both groups, nowhere else
    assert "## Warning signs" not in article


def test_risks_placed_first_keep_the_urgent_parts_before_them(tmp_path):
    content, _ = edited_copy(tmp_path, (FIRST_SECTION, "sections:\n  - id: before-the-scan\n"
                                  "    heading: What could go wrong\n"
                                  "    shows: risks\n"
                                  "  - id: about-back-pain-and-mri\n"))
    pages = _pages(content)
    expected = [entry for entry in DEFAULT_ORDER if entry[1] != "risks"]
    expected.insert(3, ("What could go wrong", "risks"))
    assert _headings(pages[ARTICLE]) == expected
    for markdown in pages.values():
        assert "Risks of the test" not in markdown
        assert "## Risks " not in markdown


# --- 2. errors in blocks -------------------------------------------------------------------

def test_two_bodies_in_one_section(tmp_path):
    text, problems = _problems(tmp_path, (SECOND_SECTION, (
        "  - id: two-bodies\n    heading: Two bodies\n"
        "    paragraphs:\n      - text: Back pain is common.\n"
        "        references: [medlineplus-2015]\n"
        "    steps:\n      - text: Keep moving.\n        references: [medlineplus-2015]\n"
        + SECOND_SECTION)))
    assert problems == [
        f"{_at(text, '- text: Keep moving.', '-')}: error: this section has both 'paragraphs' "
        "and 'steps' — give each section one of: points, paragraphs, steps, table, image, "
        "shows; make another section for the rest [two-bodies]"]


def test_an_empty_section(tmp_path):
    text, problems = _problems(tmp_path, (SECOND_SECTION, "  - id: nothing-here\n"
                                          "    heading: Nothing here yet\n" + SECOND_SECTION))
    assert problems == [
        f"{_at(text, 'heading: Nothing here yet', 'heading')}: error: this section has nothing "
        "under its heading — add one of: points, paragraphs, steps, table, image, shows "
        "[empty-section]"]


def test_the_same_part_shown_twice(tmp_path):
    text, problems = _problems(tmp_path, (SECOND_SECTION, (
        "  - id: signs-first\n    heading: Signs first\n    shows: warning-signs\n"
        "  - id: signs-again\n    heading: Signs again\n    shows: warning-signs\n"
        + SECOND_SECTION)))
    first = line_of(text, "heading: Signs first") + 1
    second = line_of(text, "heading: Signs again") + 1
    assert problems == [
        f"{TOPIC}:{second}:12: error: 'warning-signs' is already shown on line {first} — show "
        "each part of the topic once [shown-twice]"]


def _without_risks(text: str) -> str:
    """The topic with no risks (and without the self-check that asks about them)."""
    for start, end in (("risks:\n  intro", "self_checks:"),
                       ("  - id: before-your-mri", "condition:")):
        begin = text.index(start)
        text = text[:begin] + text[text.index(end, begin):]
    return text


def test_showing_risks_on_a_topic_without_risks(tmp_path):
    content, _ = edited_copy(tmp_path, (FIRST_SECTION, "sections:\n  - id: what-could-go-wrong\n"
                                  "    heading: What could go wrong\n    shows: risks\n"
                                  "  - id: about-back-pain-and-mri\n"))
    path = tmp_path / TOPIC
    text = _without_risks(path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")
    problems = [str(problem) for problem in check_content(content, tmp_path).problems]
    assert problems == [
        f"{_at(text, 'shows: risks', 'risks')}: error: this topic has no 'risks' to show — "
        "add 'risks' to the topic, or remove this section [nothing-to-show]"]


def test_a_table_row_with_the_wrong_number_of_cells(tmp_path):
    row = "        - cells: [Metal in your body, Before the scan]"
    text, problems = _problems(tmp_path, (row, row.replace("]", ", Always]")))
    assert problems == [
        f"{_at(text, 'Before the scan, Always', '[')}: error: this row has 3 cells but the "
        "header has 2 — give every row one cell for each header; write '-' in an empty one "
        "[uneven-table]"]


def test_a_sign_in_an_unknown_group(tmp_path):
    fever = "      group: serious-cause\n      question: Do you have a fever?"
    text, problems = _problems(tmp_path, (fever, fever.replace("serious-cause", "serous-cause")))
    assert problems == [
        f"{_at(text, 'group: serous-cause', 'serous')}: error: 'serous-cause' is not one of "
        "the groups under 'groups' — did you mean 'serious-cause'? [unknown-group]"]


NEW_SIGNS = """    - id: numb-between-the-legs
      text: You feel numb between your legs.
      level: urgent
      group: {group}
      question: Do you feel numb between your legs?
    - id: weight-loss
      text: You lost weight without trying.
      level: urgent
      group: {group}
      question: Have you lost weight without trying?
    - id: one-leg-numb-or-weak-and-worse"""
LAST_SIGN = "    - id: one-leg-numb-or-weak-and-worse"


def test_eight_signs_in_one_level_and_group_is_a_warning(tmp_path):
    text, problems = _problems(tmp_path, (LAST_SIGN, NEW_SIGNS.format(group="serious-cause")))
    assert problems == [
        f"{_at(text, '- id: weight-loss', 'id')}: warning: this list has 8 entries; lists of "
        "more than 7 are hard to take in — split it into groups of at most 7 under their own "
        "lead-ins (under 'groups', then each sign's 'group') [long-list]"]
    # Split between the two groups (6 + 6), the same 12 signs are fine.
    _, problems = _problems(tmp_path / "split", (LAST_SIGN, NEW_SIGNS.format(group="body")))
    assert problems == []


GROUP = '  - lead_in: "Names for a problem with a disk:"\n'
LOOSE_NAMES = "  - Back strain - MRI\n"


def test_other_names_in_groups_are_lists_under_their_lead_ins(library):
    page = _pages(LIBRARY)[ARTICLE]
    names = page[page.index('<details class="other-names">'):page.index("</details>")]
    assert "Show the 12 other names" in names
    disk = names[names.index("<li>Names for a problem with a"):]
    assert re.match(r"<li>Names for a problem with a [^\n]*\n<ul>\n<li>Herniated", disk), disk
    items = [item.strip() for item in re.findall(r"<li>([^<\n]+)", html.unescape(names))]
    assert items[:5] == ["Backache - MRI", "Low back pain - MRI", "Lumbar pain - MRI",
                         "Back strain - MRI", "Names for a problem with a"]


def test_eight_loose_other_names_are_a_warning(tmp_path):
    extra = "".join(f"  - Back problem {n} - MRI\n" for n in range(4))
    text, problems = _problems(tmp_path, (LOOSE_NAMES, LOOSE_NAMES + extra))
    assert problems == [
        f"{_at(text, '- Back problem 3', 'Back')}: warning: this list has 8 entries; lists of "
        "more than 7 are hard to take in — put the names in groups of at most 7, each written "
        "as a 'lead_in' and its 'names' [long-list]"]
    # The same names are fine when a group of their own holds the new ones.
    grouped = '  - lead_in: "More names:"\n    names:\n' + extra.replace("  - ", "      - ")
    _, problems = _problems(tmp_path / "grouped", (LOOSE_NAMES, LOOSE_NAMES + grouped))
    assert problems == []


def test_eight_names_in_one_group_are_a_warning(tmp_path):
    extra = "      - Disk problem - MRI\n      - Disk trouble - MRI\n      - Disk pain - MRI\n"
    last = "      - Herniated nucleus pulposus - MRI\n"
    text, problems = _problems(tmp_path, (last, last + extra))
    assert [problem.split(": warning: ")[0] for problem in problems] == [
        _at(text, "- Disk pain - MRI", "Disk")]
    assert problems[0].endswith("[long-list]")


@pytest.mark.parametrize("written, expected", [
    ("    name:", [("- lead_in: \"Names", "the field 'names' is missing — add 'names:' here "
                                "[missing-field]"),
                  ("    name:", "'name' is not a field here — did you mean 'names'? "
                                "[unknown-field]")]),
    ("    names: Slipped disk - MRI\n    was:", [
        ("names: Slipped", "'names' must be a list (lines starting with '- '), not 'Slipped "
                           "disk - MRI' — put each entry on its own line starting with '- ' "
                           "[wrong-type]"),
        ("was:", "'was' is not a field here — remove it, or use one of: lead_in, names "
                 "[unknown-field]")]),
    ("    names: []\n    old_names:", [
        ("names: []", "'names' needs at least one entry — add an entry, or remove the field "
                      "[empty-value]"),
        ("old_names:", "'old_names' is not a field here — did you mean 'names'? "
                       "[unknown-field]")]),
])
def test_each_mistake_in_a_name_group_is_located_in_plain_words(tmp_path, written, expected):
    """The group's own fields are named; pydantic's names for the two shapes a name may take
    ("name", "name-group") never reach the editor."""
    text, problems = _problems(tmp_path, (GROUP + "    names:", GROUP + written))
    assert [(int(problem.split(":")[1]), problem.split(": error: ")[1])
            for problem in problems] == [(line_of(text, needle), message)
                                         for needle, message in expected]


def test_a_hard_word_in_a_name_group_lead_in_is_found(tmp_path):
    text, problems = _problems(tmp_path, ("problem with a disk:", "spondylolisthesis problem:"))
    place = _at(text, "spondylolisthesis", '"Names')
    assert [problem.split(" is a hard word")[0] for problem in problems] == [
        f"{place}: error: 'spondylolisthesis'"]


UNCITED = ("this text does not say where it comes from — add 'references: [id]' naming the "
           "source that says it; if it is the site's own advice on where and when to get care, "
           "write 'site_advice: yes' [uncited-text]")


def test_a_statement_with_neither_references_nor_site_advice(tmp_path):
    text, problems = _problems(tmp_path, (SECOND_SECTION, (
        "  - id: more-about-pain\n    heading: More about pain\n"
        "    paragraphs:\n      - text: Back pain can last a few weeks.\n" + SECOND_SECTION)))
    assert problems == [f"{_at(text, 'text: Back pain can last', 'text')}: error: {UNCITED}"]


def test_site_advice_with_references_in_a_table_row(tmp_path):
    row = "          references: [medlineplus-2015]\n  - id: getting-better"
    text, problems = _problems(tmp_path, (row, row.replace(
        "\n  - id", "\n          site_advice: yes\n  - id")))
    assert problems == [
        f"{_at(text, 'site_advice: yes', 'yes')}: error: the site's own advice cannot cite a "
        "reference — remove 'references' if this is the site's advice on where and when to "
        "get care; if a source says it, remove 'site_advice' instead [cited-site-advice]"]


BLOCK_REFERENCES = "    warning signs:\n  references: [medlineplus-2015, chou-2011]\n"


def test_signs_must_cite_when_their_block_does_not(tmp_path):
    fever = "      question: Do you have a fever?\n"
    text, problems = _problems(tmp_path, (BLOCK_REFERENCES, "    warning signs:\n"),
                               (fever, fever + "      references: [chou-2011]\n"))
    listed = text.split("\n  signs:\n")[1].split("\nwhat_to_do_now:")[0]
    signs = re.findall(r"^    - id: ([a-z-]+)$", listed, re.MULTILINE)
    assert len(signs) == 10
    assert problems == [f"{_at(text, f'- id: {sign}', 'id')}: error: {UNCITED}"
                        for sign in signs if sign != "fever"]


def test_signs_that_each_cite_their_own_need_no_block_references(tmp_path):
    content, text = edited_copy(tmp_path, (BLOCK_REFERENCES, "    warning signs:\n"))
    text = re.sub(r"(\n      question: [^\n]*)(?=\n    - id: |\n\nwhat_to_do_now)",
                  r"\1\n      references: [medlineplus-2015]", text, count=10)
    (tmp_path / TOPIC).write_text(text, encoding="utf-8")
    assert text.count("      references: [medlineplus-2015]\n") >= 10
    assert [str(problem) for problem in check_content(content, tmp_path).problems] == []
    article = _pages(content)[ARTICLE]
    assert ('<li id="sign-fever">You have a fever&#46; <a class="citation" '
            'href="#ref-medlineplus-2015">') in article


# --- 3. links ------------------------------------------------------------------------------

GO_BACK = ("      Go back to your doctor if your pain does not get better, or if it gets worse.\n"
           "    references: [medlineplus-2015]")
OUTCOME = ("              Go back to your doctor if your pain does not get better, or if it "
           "gets worse.\n              They will likely order an MRI then.\n")


def _link_in_action(link: str) -> tuple[str, str]:
    return GO_BACK, GO_BACK.replace("gets worse.", f"gets worse. {link}")


def _action(markdown: str) -> str:
    [item] = [line for line in markdown.splitlines()
              if line.startswith("<li>Go back to your doctor")]
    return item


def _text_field(text: str, needle: str) -> str:
    """`file:line:col` of the `- text: >-` field whose text (on the next line) has `needle`."""
    line = line_of(text, needle) - 1
    return f"{TOPIC}:{line}:{text.splitlines()[line - 1].index('>-') + 1}"


def test_a_link_to_a_topic_that_does_not_exist(tmp_path):
    text, problems = _problems(tmp_path / "far", _link_in_action("[Headaches](topic:headaches)"))
    where = _text_field(text, "gets worse. [Headaches]")
    assert problems == [f"{where}: error: there is no topic 'headaches' to link to — use the "
                        "id of a topic in topics/ [bad-link]"]
    _, problems = _problems(tmp_path / "close",
                            _link_in_action("[This page](topic:mri-and-low-back-pian)"))
    assert problems == [f"{where}: error: there is no topic 'mri-and-low-back-pian' to link to "
                        "— did you mean 'topic:mri-and-low-back-pain'? [bad-link]"]
    content, _ = edited_copy(tmp_path / "other", _link_in_action("[Headaches](topic:headache)"))
    shutil.copy(HEADACHES, content / "topics" / "headaches.yaml")
    problems = [str(problem) for problem in check_content(content, tmp_path / "other").problems]
    assert problems == [f"{where}: error: there is no topic 'headache' to link to — did you "
                        "mean 'topic:headaches'? [bad-link]"]


def test_links_to_another_topic_render_relative_from_each_page(tmp_path):
    content, _ = edited_copy(
        tmp_path, _link_in_action("[Headaches](topic:headaches), [its check]"
                                  "(topic:headaches/do-i-need-help-for-my-headache)"),
        (OUTCOME, OUTCOME.rstrip("\n") + " See [Headaches](topic:headaches).\n"))
    shutil.copy(HEADACHES, content / "topics" / "headaches.yaml")
    assert [str(problem) for problem in check_content(content, tmp_path).problems] == []
    pages = _pages(content)
    action = _action(pages[ARTICLE])
    assert '<a href="../headaches/">Headaches</a>' in action
    assert '<a href="../headaches/do-i-need-help-for-my-headache/">its check</a>' in action
    assert "topic:" not in action
    assert ('They will likely order an MRI then&#46; See <a href="../../headaches/">Headaches'
            '</a>&#46;') in pages[SIGNS_CHECK]
    # The addresses resolve to the linked pages from where each page is served.
    assert posixpath.normpath(posixpath.join(
        f"topics/{TOPIC_ID}", "../headaches/")) == "topics/headaches"
    assert posixpath.normpath(posixpath.join(
        f"topics/{TOPIC_ID}/do-i-need-an-mri-now", "../../headaches/")) == "topics/headaches"


def test_a_link_to_an_unknown_self_check(tmp_path):
    text, problems = _problems(tmp_path / "own",
                               _link_in_action(f"[check](topic:{TOPIC_ID}/no-such-check)"))
    where = _text_field(text, "gets worse. [check]")
    assert problems == [f"{where}: error: the topic '{TOPIC_ID}' has no self-check "
                        "'no-such-check' — use the id of one of its self-checks, or link to the "
                        "topic alone [bad-link]"]
    content, text = edited_copy(tmp_path / "other", _link_in_action(
        "[check](topic:headaches/no-such-check)"))
    shutil.copy(HEADACHES, content / "topics" / "headaches.yaml")
    problems = [str(problem) for problem in check_content(content, tmp_path / "other").problems]
    assert problems == [f"{where}: error: the topic 'headaches' has no self-check "
                        "'no-such-check' — use the id of one of its self-checks, or link to the "
                        "topic alone [bad-link]"]


def test_links_to_parts_of_the_page(tmp_path):
    content, _ = edited_copy(
        tmp_path, _link_in_action("[the signs](#warning-signs), [the picture](#getting-better)"),
        (OUTCOME, OUTCOME.rstrip("\n") + " Read [the signs](#warning-signs).\n"))
    pages = _pages(content)
    action = _action(pages[ARTICLE])
    assert '<a href="#warning-signs">the signs</a>' in action
    assert '<a href="#section-getting-better">the picture</a>' in action
    assert 'Read <a href="../#warning-signs">the signs</a>&#46;' in pages[SIGNS_CHECK]


def test_a_link_to_a_part_the_page_does_not_have(tmp_path):
    text, problems = _problems(tmp_path, _link_in_action("[x](#no-such-part)"))
    where = _text_field(text, "gets worse. [x]")
    assert problems == [
        f"{where}: error: '#no-such-part' is not a part of this page — use a section id of "
        "this topic or one of: warning-signs, what-to-do-now, self-checks, risks, other-names, "
        "references [bad-link]"]


def test_a_web_address_is_a_warning_and_shows_as_typed(tmp_path):
    typed = "[our partner](https://example.org/a?b=1&c=<2>)"
    text, problems = _problems(tmp_path, _link_in_action(typed))
    where = _text_field(text, "gets worse. [our partner]")
    assert problems == [
        f"{where}: warning: '(https://example.org/a?b=1&c=<2>)' after [our partner] is not a "
        "link this site can follow — link to a topic as [words](topic:topic-id), to its "
        "self-check as [words](topic:topic-id/check-id), or to a part of this page as "
        "[words](#warning-signs); anything else shows as typed [bad-link]"]
    action = _action(_pages(tmp_path / "content")[ARTICLE])
    assert "<a" not in action.split('<a class="citation"')[0]
    assert "<2>" not in action and "&#60;2&#62;" in action
    assert f"gets worse. {typed} " in html.unescape(action)


# Fields the page prints as plain words: a link written there is accepted by the checks, so
# it must not reach the reader as typed `[words](topic:id)`.
PLAIN_FIELDS = [
    ("lead-in", 'lead_in: "If you have any of these other warning signs:"',
     'lead_in: "If you have any of these other [warning signs](topic:headaches):"', ARTICLE),
    ("table-header", "header: [If you have, Tell them]",
     'header: ["If you have [a headache](topic:headaches)", Tell them]', ARTICLE),
    ("heading", "heading: Back pain often gets better",
     "heading: Back pain often gets [better](topic:headaches)", ARTICLE),
    ("alt", "alt: A chart of", "alt: A [chart](topic:headaches) of", ARTICLE),
    ("other-name", "  - Backache - MRI", "  - Back[ache](topic:headaches) - MRI", ("a-z",)),
    ("grouped-name", "      - Slipped disk - MRI", "      - Slipped [disk](topic:headaches) - MRI",
     ("a-z",)),
    ("name-group-lead-in", 'lead_in: "Names for a problem with a disk:"',
     'lead_in: "Names for a problem with a [disk](topic:headaches):"', ARTICLE),
    ("summary", "Most people with low back pain do not need",
     "Most people with [low back pain](topic:headaches) do not need", ARTICLE),
]


@pytest.mark.parametrize("old, new, key", [case[1:] for case in PLAIN_FIELDS],
                         ids=[case[0] for case in PLAIN_FIELDS])
def test_a_link_is_never_shown_as_typed_where_it_passed_the_checks(tmp_path, old, new, key):
    content, text = edited_copy(tmp_path, (old, new))
    shutil.copy(HEADACHES, content / "topics" / "headaches.yaml")
    problems = [problem for problem in check_content(content, tmp_path).problems
                if problem.code == "bad-link"]
    if problems:  # refusing the link where it cannot work is as good as making it work
        line = line_of(text, new.strip().split("\n")[0].strip())
        # A folded text ('>-') is located at its field, on the line above its words.
        assert problems[0].line in {line, line - 1}, problems
        assert [problem.severity for problem in problems] == ["error"], problems
        return
    page = html.unescape(_pages(content)[key])
    typed = [line for line in page.splitlines() if "](topic:headaches)" in line]
    assert typed == [], "a checked link reaches the reader as typed text"


# --- 4. pictures ---------------------------------------------------------------------------

FILE = f"file: {PICTURE}"


def test_the_fixture_picture_is_sized_described_and_published(library):
    site = render_site(plan_site(library))
    [article] = [rendered for rendered in site.pages if rendered.page.key == ARTICLE]
    [img] = re.findall(r"<img [^>]*>", article.markdown)
    attributes = dict(re.findall(r'(\w+)="([^"]*)"', img))
    assert attributes["width"] == "120" and attributes["height"] == "80"
    assert html.unescape(attributes["alt"]) == "A chart of back pain getting less over a few weeks."
    assert posixpath.normpath(posixpath.join(article.page.url, attributes["src"])) == PICTURE
    assert site.files == ((PICTURE, (LIBRARY / PICTURE).read_bytes()),)


def _picture_problems(tmp_path: Path, name: str, data: bytes | None) -> tuple[str, list[str]]:
    content, text = edited_copy(tmp_path, (FILE, f"file: {name}"))
    if data is not None:
        (content / name).write_bytes(data)
    return text, [str(problem) for problem in check_content(content, tmp_path).problems]


def test_a_picture_over_200_kb(tmp_path):
    big = _png(120, 80)
    text, problems = _picture_problems(tmp_path / "over", "images/big.png",
                                       big + b"\0" * (200 * 1024 + 1 - len(big)))
    assert problems == [
        f"{_at(text, 'file: images/big.png', 'images')}: error: the picture images/big.png is "
        "larger than 200 KB — make it smaller (fewer pixels, or more compression): pictures "
        "must load quickly on a phone [image-too-large]"]
    _, problems = _picture_problems(tmp_path / "at", "images/big.png",
                                    big + b"\0" * (200 * 1024 - len(big)))
    assert problems == []


@pytest.mark.parametrize("data", [_jpeg_header(120, 80), b"Just some words, not a picture.\n",
                                  b'<svg xmlns="http://www.w3.org/2000/svg"></svg>'],
                         ids=["jpeg-bytes", "text", "svg"])
def test_a_png_that_is_not_a_png(tmp_path, data):
    text, problems = _picture_problems(tmp_path, "images/chart.png", data)
    assert problems == [
        f"{_at(text, 'file: images/chart.png', 'images')}: error: images/chart.png is not a "
        "PNG picture this site can show — save it as a PNG, JPEG or WebP picture with the "
        "matching ending [bad-image]"]


@pytest.mark.parametrize("name", ["images/chart.svg", "images/Chart.png", "chart.png",
                                  "images/../chart.png"])
def test_a_picture_name_the_site_cannot_serve(tmp_path, name):
    text, problems = _picture_problems(tmp_path, name, None)
    assert problems == [
        f"{_at(text, f'file: {name}', name.split('/')[0])}: error: '{name}' is not a picture "
        "this site can show — name a PNG, JPEG or WebP file in the images folder, in "
        "lower-case letters, digits and hyphens, like 'images/back-pain.png' [bad-image]"]


def test_a_missing_picture(tmp_path):
    text, problems = _picture_problems(tmp_path, "images/not-there.png", None)
    assert problems == [
        f"{_at(text, 'file: images/not-there.png', 'images')}: error: there is no picture "
        "images/not-there.png — put the file in the content folder's images/ folder, or check "
        "the name [missing-file]"]


def test_a_picture_that_is_a_symlink(tmp_path):
    content, text = edited_copy(tmp_path, (FILE, "file: images/linked.png"))
    os.symlink("back-pain-gets-better.png", content / "images" / "linked.png")
    problems = [str(problem) for problem in check_content(content, tmp_path).problems]
    assert problems == [
        f"{_at(text, 'file: images/linked.png', 'images')}: error: this picture is a link to "
        "another file, so it is not read — put the file itself here instead of a link "
        "[symlink]"]


def test_an_alt_of_only_spaces(tmp_path):
    alt = "alt: A chart of back pain getting less over a few weeks."
    text, problems = _problems(tmp_path, (alt, 'alt: "    "'))
    where = _at(text, 'alt: "', '"')
    assert problems == [f"{where}: error: 'alt' is empty — write the text, or remove the field "
                        "[empty-value]"]


def test_jpeg_and_webp_sizes_come_from_their_headers(tmp_path):
    images = tmp_path / "images"
    images.mkdir()
    vp8x = (b"RIFF" + struct.pack("<I", 22) + b"WEBPVP8X" + struct.pack("<I", 10)
            + b"\0\0\0\0" + (639).to_bytes(3, "little") + (479).to_bytes(3, "little"))
    for name, data in (("photo.jpg", _jpeg_header(640, 480)), ("photo.webp", vp8x)):
        (images / name).write_bytes(data)
        picture = read_picture(tmp_path, f"images/{name}", name)
        assert (picture.width, picture.height) == (640, 480), name


def test_a_replaced_picture_shows_its_new_size(tmp_path):
    """A preview rebuilds after an editor swaps a picture for one of another size: the page
    must reserve the new picture's size, not the old one's."""
    content, _ = edited_copy(tmp_path)
    assert 'width="120" height="80"' in _pages(content)[ARTICLE]
    (content / PICTURE).write_bytes(_png(300, 200))
    library = read_library(content, tmp_path)
    assert (library.pictures[PICTURE].width, library.pictures[PICTURE].height) == (300, 200)
    site = render_site(plan_site(library))
    [article] = [rendered for rendered in site.pages if rendered.page.key == ARTICLE]
    assert dict(site.files)[PICTURE] == _png(300, 200)
    assert 'width="300" height="200"' in article.markdown, (
        "the page was taken from the last render, with the old picture's size")


def test_the_built_site_serves_the_picture_the_page_shows(built_site):
    folder: Path = built_site["dir"]
    assert (folder / PICTURE).read_bytes() == (LIBRARY / PICTURE).read_bytes()
    page = (folder / "topics" / TOPIC_ID / "index.html").read_text(encoding="utf-8")
    [img] = re.findall(r"<img [^>]*>", page)
    attributes = dict(re.findall(r'(\w+)="([^"]*)"', img))
    assert (attributes["width"], attributes["height"]) == ("120", "80")
    assert attributes["alt"]
    assert posixpath.normpath(posixpath.join(
        f"topics/{TOPIC_ID}", attributes["src"])) == PICTURE


# --- 5. site advice ------------------------------------------------------------------------

NOTE = ("<p class=\"site-advice__note\" id=\"our-advice\">The advice on where to get care, and "
        "how soon, comes from Clear Health Guides, not from the references. So does text marked "
        "\u201cOur advice\u201d.</p>")
MARK = ' <a class="site-advice" href="#our-advice">Our advice</a>'


def test_site_advice_is_marked_and_the_note_appears_once_under_references(tmp_path):
    content, _ = edited_copy(
        tmp_path, (GO_BACK, GO_BACK.replace("references: [medlineplus-2015]", "site_advice: yes")))
    pages = _pages(content)
    article = pages[ARTICLE]
    action = _action(article)
    assert action.endswith(f"gets worse&#46;{MARK}</li>")
    assert 'class="citation"' not in action
    assert article.count('id="our-advice"') == 1
    note = article.index('id="our-advice"')
    assert article.index("## References {#references}") < note < article.index("{#review}")
    assert html.unescape(NOTE) in html.unescape(article)


def test_site_advice_in_a_self_check_result_is_marked_there(tmp_path):
    references = "              They will likely order an MRI then.\n"
    content, _ = edited_copy(tmp_path, (references + "            references: [medlineplus-2015]\n",
                                  references + "            site_advice: yes\n"))
    page = _pages(content)[SIGNS_CHECK]
    assert f"They will likely order an MRI then&#46;{MARK}</li>" in page
    assert page.count('id="our-advice"') == 1
    assert page.index("## References {#references}") < page.index('id="our-advice"')


def test_the_note_is_where_routes_or_site_advice_are(library, tmp_path):
    """Routes (on warning signs and every self-check result) and marked advice are the
    site's; a topic page with neither has nothing to explain."""
    for rendered in render_site(plan_site(library)).pages:
        assert "Our advice</a>" not in rendered.markdown, rendered.page.source
        shows_routes = rendered.page.kind == "self-check" or (
            rendered.page.kind == "article" and rendered.page.view["topic"].warning_signs)
        assert ('id="our-advice"' in rendered.markdown) == bool(shows_routes), \
            rendered.page.source
    content, _ = edited_copy(tmp_path)
    shutil.copy(HEADACHES.parent / "blood-tests.yaml", content / "topics" / "blood-tests.yaml")
    article = _pages(content)[("article", "blood-tests")]
    assert "our-advice" not in article


# --- 6. the key message's advice, and results that need no route -----------------------------

def test_the_key_message_can_carry_the_sites_advice(tmp_path):
    content, _ = edited_copy(tmp_path, (
        "  references: [medlineplus-2015, chou-2011]\n\nwarning_signs:",
        "  references: [medlineplus-2015, chou-2011]\n  advice: Talk to a doctor now if you "
        "have a warning sign.\n\nwarning_signs:"))
    article = _pages(content)[ARTICLE]
    box = article.split('<div class="key-message" markdown>')[1].split("</div>")[0]
    assert f"Talk to a doctor now if you have a warning sign&#46;{MARK}" in box
    assert box.index('class="citation"') < box.index("Talk to a doctor now")


def test_only_a_result_at_the_last_level_can_leave_out_its_route(tmp_path):
    none = ("        heading: None of these risks apply to you\n")
    content, _ = edited_copy(tmp_path, (none, none + '        show_route: "no"\n'))
    page = _pages(content)[("self-check", TOPIC_ID, "before-your-mri")]
    card = page.split('data-outcome="no-known-risks"')[1].split('data-outcome=')[0]
    assert 'class="care-route"' not in card
    assert page.count('class="care-route"') == 4  # the other four results keep theirs
    urgent = "        heading: Talk to a doctor right away\n"
    text, problems = problems_after(tmp_path / "urgent", urgent,
                                    urgent + '        show_route: "no"\n')
    where = _at(text, "show_route", '"no"')
    assert problems == [
        f"{where}: error: only a result at the last care level, "
        "'self-care', can leave out where to get care — remove 'show_route: no': a reader sent "
        "for care must see how to get it [route-needed]"]
