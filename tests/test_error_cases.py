"""Every class of editor mistake gives exact, located messages: one golden file per case.

Each case starts from the small valid content in `tests/cases/` (not the real topic, whose
prose changes) and makes one mistake in it, then runs `check` as an editor would. The golden
file holds the exit code and everything printed. Golden files change only through
`make golden`; review `git diff tests/golden/errors` before committing.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.cli import main

CASES = Path(__file__).parent / "cases"
GOLDEN = Path(__file__).parent / "golden" / "errors"
BASE_TOPIC = (CASES / "topic.yaml").read_text(encoding="utf-8")


@dataclasses.dataclass(frozen=True)
class Case:
    """One mistake: edits to the base topic (each `old` must occur exactly once), or raw bytes."""

    name: str
    edits: tuple[tuple[str, str], ...] = ()
    raw: Callable[[str], bytes] | None = None
    site_edits: tuple[tuple[str, str], ...] = ()
    more_topics: tuple[tuple[str, tuple[tuple[str, str], ...] | None], ...] = ()
    files: tuple[str, ...] = ("site.yaml", "topics/base.yaml")  # which base files exist
    layout: Callable[[Path], None] | None = None  # then changes the content folder itself

    def topic_bytes(self) -> bytes:
        text = apply(BASE_TOPIC, self.edits)
        return self.raw(text) if self.raw else text.encode("utf-8")


def apply(text: str, edits: tuple[tuple[str, str], ...]) -> str:
    for old, new in edits:
        assert text.count(old) == 1, f"{old!r} must occur exactly once in the base file"
        text = text.replace(old, new)
    return text


def edit(*pairs: str) -> tuple[tuple[str, str], ...]:
    return tuple(zip(pairs[::2], pairs[1::2], strict=True))


SUMMARY = "summary: A topic used only to test error messages."
WAIT_AND_SEE_LEVEL = "level: routine\n        when: otherwise\n        heading: Wait and see"
FEVER_LEVEL = "text: You have a fever.\n      level: urgent"
CHECK_SOON = """\
      - id: check-soon
        level: caution
        when:
          any: {answer: not-sure}
        heading: Check soon
        advice:
          - text: Check with a doctor soon.
            references: [ref-url]
"""

CASES_LIST = [
    # Duplicate keys, at the top and deep inside a list item; both lines are named.
    Case("duplicate-key-top", edit("title: Base topic\n", "title: Base topic\ntitle: Again\n")),
    Case("duplicate-key-deep", edit("      text: One leg is numb.\n",
                                    "      text: One leg is numb.\n      text: Numb leg.\n")),
    # YAML 1.1 surprises: the text stays exactly what the editor wrote, never a bool or number.
    Case("yaml11-yes-as-level", edit("level: caution", "level: yes")),
    Case("yaml11-off-as-asks", edit("asks: warning_signs", "asks: off")),
    Case("yaml11-version-number", edit(WAIT_AND_SEE_LEVEL, WAIT_AND_SEE_LEVEL.replace(
        "routine", "1.10"))),
    Case("yaml11-hex-pmid", edit('pmid: "12345"', "pmid: 0x1F")),
    Case("yaml11-octal-language", site_edits=edit("language: en", "language: 012")),
    Case("yaml11-sexagesimal-date", edit('last_checked: "2026-11-23"', "last_checked: 1:20")),
    Case("yaml11-nan-url", edit("url: https://example.org/page", "url: .nan")),
    Case("yaml11-inf-pmid", edit('pmid: "12345"', "pmid: .inf")),
    Case("yaml11-unquoted-answer", edit('any: {answer: "yes", questions: [fever, numb-leg]}',
                                        "any: {answer: yes, questions: [fever, numb-leg]}",
                                        "any: {answer: not-sure}", "any: {answer: maybe}")),
    Case("unquoted-date-that-does-not-exist",
         edit('next_check_due: "2099-11-23"', "next_check_due: 2099-02-30")),
    # Text and characters.
    Case("comment-cuts-text", edit("text: You have a fever.", "text: You have a fever #1 sign")),
    Case("tab-indentation", edit("  intro: Look out", "\tintro: Look out")),
    Case("byte-order-mark-accepted", edit("\ntitle:", "\ntitel:"),
         raw=lambda text: b"\xef\xbb\xbf" + text.encode("utf-8")),
    Case("not-utf8", edit("One leg is numb.", "Une jambe engourdie, fi\u00e8vre."),
         raw=lambda text: text.encode("latin-1")),
    Case("utf16", raw=lambda text: text.encode("utf-16")),
    Case("control-character", edit("Rest helps.", "Rest\x07 helps.")),
    Case("zero-width-space", edit("Base topic", "Base\u200btopic")),
    Case("bidi-override", edit("Wait and see.\n", "Wait \u202eand see.\n")),
    Case("escaped-bidi-in-quotes", edit("text: Wait and see.\n", 'text: "Wait \\u202eand see."\n')),
    Case("line-break-in-quoted-value", edit("level: caution", 'level: "caution\\nurgent"')),
    # YAML features content never needs, and hostile files.
    Case("several-documents", raw=lambda text: (text + "---\nid: other\n").encode()),
    Case("empty-file", raw=lambda text: b"\n  \n"),
    Case("anchor-and-alias", edit(SUMMARY, "summary: &s A topic used only to test error "
                                  "messages.", "intro: Look out for these signs.",
                                  "intro: *s")),
    Case("merge-key", edit("    - id: numb-leg\n", "    - <<: {question: Numb?}\n"
                           "      id: numb-leg\n")),
    Case("python-tag", edit("title: Base topic", "title: !!python/object/apply:os.system [ls]")),
    Case("too-deep", raw=lambda text: b"id: " + b"[" * 200 + b"]" * 200 + b"\n"),
    Case("too-large", raw=lambda text: b"summary: " + b"x" * (600 * 1024) + b"\n"),
    Case("yaml-syntax-colon-in-text", edit("text: Rest helps.", "text: Rest helps: a lot.")),
    Case("yaml-syntax-unclosed-quote", edit("title: Base topic", 'title: "Base topic')),
    # The model: fields, shapes, allowed values.
    Case("unknown-field-did-you-mean", edit("\nsummary:", "\nsumary:")),
    Case("unknown-field-nested", edit("question: Is one leg numb?", "questoin: Is one leg numb?")),
    Case("missing-field", edit(SUMMARY + "\n", "")),
    Case("list-where-text-belongs", edit("title: Base topic", "title:\n  - Base topic")),
    Case("text-where-list-belongs", edit("  references: [ref-pmid]\nwarning_signs:",
                                         "  references: ref-pmid\nwarning_signs:")),
    Case("nothing-after-colon", edit("title: Base topic", "title:")),
    Case("empty-text", edit("text: Rest helps.", 'text: ""')),
    Case("too-long", edit("title: Base topic", "title: " + "Long " * 50)),
    Case("value-not-allowed", edit("shows: every-that-applies", "shows: every")),
    Case("bad-id", edit("- id: fever", "- id: Fever_Sign", "[fever, numb-leg]",
                        "[Fever_Sign, numb-leg]")),
    Case("id-not-file-name", edit("id: base\n", "id: another\n")),
    # Ids and references.
    Case("dangling-reference", edit("  references: [ref-pmid]\nwarning_signs:",
                                    "  references: [ref-pmdi]\nwarning_signs:")),
    Case("uncited-reference", edit("references: [ref-url]\n      - id: check-soon",
                                   "references: [ref-pmid]\n      - id: check-soon",
                                   "references: [ref-url]\n      - id: wait-and-see",
                                   "references: [ref-pmid]\n      - id: wait-and-see")),
    Case("unknown-question", edit("questions: [fever, numb-leg]", "questions: [fever, numbleg]")),
    Case("duplicate-reference-id", edit("  - id: ref-url\n", "  - id: ref-pmid\n"
                                        "    citation: The same id again.\n  - id: ref-url\n")),
    Case("duplicate-sign-id", edit("- id: numb-leg", "- id: fever",
                                   "[fever, numb-leg]", "[fever]")),
    Case("duplicate-topic-id-across-files",
         more_topics=(("base-copy", ()),)),
    Case("duplicate-self-check-id-across-files",
         more_topics=(("other", edit("id: base\n", "id: other\n")),)),
    # URLs, PubMed ids and dates.
    Case("url-not-https", edit("url: https://example.org/page", "url: http://example.org/page")),
    Case("url-malformed", edit("url: https://example.org/page", "url: www.example.org/page")),
    Case("pmid-with-words", edit('pmid: "12345"', "pmid: PMID 12345")),
    Case("date-wrong-order", edit('source_reviewed: "2015-07-13"',
                                  'source_reviewed: "13/07/2015"')),
    # Rules.
    Case("unreachable-outcome", edit("any: {answer: not-sure}",
                                     'any: {answer: "yes", questions: [fever]}')),
    Case("otherwise-not-last", edit("        when:\n          any: {answer: not-sure}\n",
                                    "        when: otherwise\n")),
    Case("rule-not-understood", edit("any: {answer: not-sure}", "most: {answer: not-sure}")),
    Case("rule-questions-not-ids", edit("questions: [fever, numb-leg]",
                                        "questions: [[fever], numb-leg]")),
    Case("self-check-empty", edit("    asks: warning_signs", "    asks: risks")),
    Case("asks-and-questions", edit("    asks: warning_signs\n", "    asks: warning_signs\n"
                                    "    questions:\n      - sign: fever\n")),
    Case("bad-answer", edit("any: {answer: not-at-all, questions: [pain-pills]}",
                            "any: {answer: not-at-all, questions: [pain-score]}")),
    Case("follow-up-asked-if-names-a-later-question",
         edit("any: {answer: severe, questions: [pain-score]}",
              'any: {answer: "yes", questions: [worse-at-night]}')),
    Case("no-outcome", edit("when: otherwise\n        heading: Keep moving",
                            "when:\n          any: {answer: mild, questions: [pain-score]}\n"
                            "        heading: Keep moving")),
    # Care levels: each sign's lowest level, and the "not sure" level, hold for every answer.
    Case("unknown-level", edit("level: caution", "level: cautoin")),
    Case("sign-level-too-low", edit(FEVER_LEVEL, FEVER_LEVEL.replace("urgent", "emergency"))),
    Case("option-stands-for-a-sign", edit("            text: In one leg\n",
                                          "            text: In one leg\n"
                                          "            sign: numb-leg\n")),
    Case("not-sure-level-too-low", edit(CHECK_SOON, "")),
    Case("sign-not-asked", edit("    asks: warning_signs\n",
                                "    questions:\n      - sign: fever\n",
                                "[fever, numb-leg]", "[fever]")),
    # Typed questions.
    Case("question-shape", edit("        question: Is the pain worse at night?\n",
                                "        question: Is the pain worse at night?\n"
                                "        unit: hours\n")),
    Case("sign-has-no-question", edit("      question: Is one leg numb?\n", "")),
    Case("bad-options", edit("          - id: a-lot\n            text: A lot\n"
                             "          - id: a-little\n            text: A little\n", "")),
    Case("bad-bands", edit('below: "7"', 'below: "3"')),
    Case("number-not-a-number", edit('below: "4"', "below: four")),
    # Missing files.
    Case("site-file-missing", files=("topics/base.yaml",)),
    Case("folder-named-like-a-topic", more_topics=(("folder", None),)),
    Case("no-topics", files=("site.yaml",)),
    # Site settings, and every file's problems in one run, sorted by file then line.
    Case("site-missing-field", site_edits=edit("publisher: Test team\n", "")),
    Case("site-phone-with-words", site_edits=edit('phone: "999"', "phone: call 999")),
    Case("site-unknown-level", site_edits=edit("[emergency, urgent]", "[emergency, urgnet]")),
    Case("site-not-sure-level-too-low",
         site_edits=edit("not_sure_level: caution", "not_sure_level: routine")),
    # The theme must have words for the site's language.
    Case("language-the-theme-lacks", site_edits=edit("language: en", "language: en-GB")),
    Case("language-norwegian", site_edits=edit("language: en", "language: no")),
    Case("language-unknown", site_edits=edit("language: en", "language: xx")),
    # The content tree: plain files only, every other entry named, nothing opened or followed.
    Case("topic-link-to-a-system-file", layout=lambda content: (
        content / "topics" / "passwd.yaml").symlink_to("/etc/passwd")),
    Case("topic-link-to-another-topic", layout=lambda content: (
        content / "topics" / "copy.yaml").symlink_to(content / "topics" / "base.yaml")),
    Case("topic-named-pipe", layout=lambda content: os.mkfifo(content / "topics" / "x.yaml")),
    Case("topic-extension-in-capitals", layout=lambda content: shutil.copy(
        content / "topics" / "base.yaml", content / "topics" / "Other.YAML")),
    Case("topic-with-two-endings", layout=lambda content: (
        content / "topics" / "other.yaml.txt").write_text("id: other\n")),
    Case("not-a-topic-file", layout=lambda content: (
        content / "topics" / "notes.md").write_text("# Notes\n")),
    Case("folder-in-topics", layout=lambda content: (content / "topics" / "drafts").mkdir()),
    Case("glossary-is-a-folder", edit("Rest helps.", "Rest helps the spine."),
         layout=lambda content: (content / "glossary.yaml").mkdir()),
    Case("site-file-wrong-name", files=("topics/base.yaml",), layout=lambda content: (
        content / "Site.yml").write_text("site_name: x\n")),
    Case("windows-line-endings", edit("shows: every-that-applies", "shows: every"),
         raw=lambda text: text.replace("\n", "\r\n").encode("utf-8")),
    Case("files-differing-only-in-case", more_topics=(("Base", ()),)),
    Case("self-check-id-is-a-topic-id", edit("  - id: base-check\n", "  - id: base\n")),
    Case("long-value-quoted-short", edit("shows: every-that-applies",
                                         "shows: " + "every-that-applies-" * 30)),
    Case("problems-in-several-files", edit("shows: every-that-applies", "shows: every"),
         site_edits=edit("language: en", "language: English"),
         more_topics=(("second", edit("id: base\n", "id: second\n", "base-check",
                                      "second-check", "\nsummary:", "\nsumary:")),)),
]


def run_case(case: Case, tmp_path: Path, capsys) -> str:
    """Lay out a content folder with the mistake, run `check`, return what the editor sees."""
    content = tmp_path / "content"
    (content / "topics").mkdir(parents=True)
    site = (CASES / "site.yaml").read_text(encoding="utf-8")
    if "site.yaml" in case.files:
        (content / "site.yaml").write_text(apply(site, case.site_edits), encoding="utf-8")
    if "topics/base.yaml" in case.files:
        (content / "topics" / "base.yaml").write_bytes(case.topic_bytes())
    for name, edits in case.more_topics:
        if edits is None:  # not a file at all
            (content / "topics" / f"{name}.yaml").mkdir()
            continue
        (content / "topics" / f"{name}.yaml").write_text(apply(BASE_TOPIC, edits),
                                                         encoding="utf-8")
    if case.layout:
        case.layout(content)
    capsys.readouterr()
    code = main(["check", "--content", str(content)])
    printed = capsys.readouterr().err
    return f"exit code: {code}\n{printed}"


def test_the_base_content_is_valid(tmp_path):
    shutil.copy(CASES / "site.yaml", tmp_path / "site.yaml")
    (tmp_path / "topics").mkdir()
    shutil.copy(CASES / "topic.yaml", tmp_path / "topics" / "base.yaml")
    assert main(["check", "--content", str(tmp_path)]) == 0


@pytest.mark.parametrize("case", CASES_LIST, ids=lambda case: case.name)
def test_error_case_matches_its_golden_file(case, tmp_path, capsys, request):
    output = run_case(case, tmp_path, capsys)
    golden = GOLDEN / f"{case.name}.txt"
    if request.config.getoption("--update-golden"):
        GOLDEN.mkdir(parents=True, exist_ok=True)
        golden.write_text(output, encoding="utf-8")
        return
    assert "Traceback" not in output
    assert golden.is_file(), f"no golden file for {case.name}: run `make golden`"
    assert output == golden.read_text(encoding="utf-8"), (
        f"{case.name} differs from tests/golden/errors/{case.name}.txt; if the change is "
        "intended, run `make golden` and review the diff")


def test_every_golden_file_has_a_case(request):
    names = {case.name for case in CASES_LIST}
    assert len(names) == len(CASES_LIST)
    if request.config.getoption("--update-golden"):
        for stale in GOLDEN.glob("*.txt"):
            if stale.stem not in names:
                stale.unlink()
    assert {path.stem for path in GOLDEN.glob("*.txt")} == names


def test_yaml_1_1_values_stay_the_text_the_editor_wrote(tmp_path):
    """Unquoted yes/no, version numbers, octal and hex, times, dates and .nan are never
    turned into booleans, numbers or dates: the page shows exactly what was typed."""
    from generator.content import read_library

    tricky = ["no", "on", "1.10", "012", "0x1F", "1:20", ".nan", "-.inf", "2015-07-13"]
    text = apply(BASE_TOPIC, edit(
        "title: Base topic", "title: no",
        "alternative_names: [Base]", f"alternative_names: [{', '.join(tricky)}]",
        '"2015-07-13"', "2015-07-13",
        'any: {answer: "yes", questions: [fever, numb-leg]}',
        "any: {answer: yes, questions: [fever, numb-leg]}"))
    (tmp_path / "topics").mkdir()
    shutil.copy(CASES / "site.yaml", tmp_path / "site.yaml")
    (tmp_path / "topics" / "base.yaml").write_text(text, encoding="utf-8")
    library = read_library(tmp_path)
    topic = next(topic for topic in library.topics if topic.id == "base")
    assert topic.title == "no"
    assert list(topic.alternative_names) == tricky
    assert topic.review.source_reviewed == "2015-07-13"
    rule_set = library.rule_sets["base"]["base-check"]
    assert rule_set.result({"fever": "yes", "numb-leg": "no"}) == ("see-a-doctor-now",)
