"""`check` finds hard words in any topic, long headings and hard sentences, each at its line."""

import shutil

import pytest

from generator.content import check_content
from generator.vocabulary import base_forms, is_hard
from tests.editing import LIBRARY, TOPIC, edited_copy, line_of

SUMMARY = "  Most people with low back pain do not need an MRI scan right away.\n"
MENINGITIS = "  Most people with low back pain do not need an MRI scan. It is not meningitis.\n"


def check_edited(tmp_path, *edits: tuple[str, str], file: str = TOPIC) -> list[str]:
    """Every message (errors and warnings) after replacing each `old` once in a copy of the
    fixture library's `file`."""
    content, _ = edited_copy(tmp_path, *edits, file=file)
    checked = check_content(content, tmp_path)
    return [str(problem) for problem in checked.problems]


def summary_place(tmp_path) -> str:
    line = line_of((tmp_path / TOPIC).read_text(encoding="utf-8"), "summary:")
    return f"{TOPIC}:{line}:10"


@pytest.mark.parametrize("word", ["anaphylaxis", "meningitis", "subarachnoid", "anticoagulant",
                                  "NSAID", "NSAIDs", "GP", "MRI", "equina", "technologists",
                                  "radiculopathy", "contrast", "spine", "disks", "lumbar"])
def test_hard_words_of_any_topic_are_found(word):
    assert is_hard(word)


@pytest.mark.parametrize("word", ["hospital", "emergency", "medicine", "medicines", "swelling",
                                  "allergies", "exercising", "every", "NOT", "doctor's",
                                  "pharmacist", "painkillers", "A"])
def test_everyday_words_and_their_forms_are_plain(word):
    assert not is_hard(word.removesuffix("'s"))


def test_forms_of_a_word_lead_back_to_it():
    assert {"technologist", "allergy", "swell", "exercise", "stop"} <= {
        form for word in ("technologists", "allergies", "swelling", "exercising", "stopped")
        for form in base_forms(word)}


def test_a_hard_word_missing_from_the_glossary_is_a_located_error(tmp_path):
    found = check_edited(tmp_path, (SUMMARY, MENINGITIS))
    assert found == [
        f"{summary_place(tmp_path)}: error: 'meningitis' is a hard word that the glossary does "
        "not explain — add it to glossary.yaml with its meaning in plain words, add it to this "
        "topic's 'allowed_words', or use a plainer word [undefined-term]"]


def test_each_hard_word_is_reported_once_at_its_first_use(tmp_path):
    found = check_edited(tmp_path, (SUMMARY, MENINGITIS), (
        "    Low back pain often gets better on its own.",
        "    Low back pain often gets better on its own. Meningitis is rare."))
    assert len(found) == 1 and found[0].startswith(f"{summary_place(tmp_path)}: error: ")


def test_a_word_the_topic_allows_is_no_error(tmp_path):
    assert check_edited(tmp_path, (SUMMARY, MENINGITIS), (
        "allowed_words: [MRI]", "allowed_words: [MRI, meningitis]")) == []


def test_a_word_in_the_glossary_in_any_form_is_no_error(tmp_path):
    shutil.copytree(LIBRARY, tmp_path / "content")
    glossary = tmp_path / "content" / "glossary.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + (
        "  - term: brain infection\n    also: [meningitis]\n"
        "    meaning: an infection of the thin layers around the brain\n"), encoding="utf-8")
    topic = tmp_path / TOPIC
    topic.write_text(topic.read_text(encoding="utf-8").replace(SUMMARY, MENINGITIS),
                     encoding="utf-8")
    assert [str(p) for p in check_content(tmp_path / "content", tmp_path).problems] == []


def test_another_form_of_a_glossary_word_says_where_to_add_it(tmp_path):
    [found] = check_edited(tmp_path, (SUMMARY, SUMMARY.replace(
        "right away.", "right away. Technologists run it.")))
    assert "'Technologists' is a hard word" in found
    assert "add 'technologists' to the 'also' list of 'technologist' in glossary.yaml" in found


def test_hard_words_in_the_site_settings_are_found_too(tmp_path):
    """As a warning: the settings have no allowed words, and an emergency line must never
    stop a build."""
    found = check_edited(tmp_path, ("emergency: ", "emergency: In anaphylaxis, "),
                         file="content/site.yaml")
    line = line_of((tmp_path / "content" / "site.yaml").read_text(), "emergency:")
    assert found == [
        f"content/site.yaml:{line}:12: warning: 'anaphylaxis' is a hard word that the glossary "
        "does not explain — add it to glossary.yaml with its meaning in plain words, or use a "
        "plainer word [undefined-term]"]


def test_a_long_heading_is_a_located_error(tmp_path):
    heading = "About back pain and MRI scans — and what they can show"
    found = check_edited(tmp_path, ("heading: About back pain and MRI scans",
                                    f"heading: {heading}"))
    line = line_of((tmp_path / TOPIC).read_text(), f"heading: {heading}")
    assert found == [
        f"{TOPIC}:{line}:14: error: this heading has 11 words (at most 8): '{heading}' — "
        "rewrite it in 8 words or fewer; say the rest in the text below it [heading-too-long]"]


def test_a_hard_sentence_is_a_located_warning_that_names_it(tmp_path):
    hard = ("Radiologic assessment of degenerative intervertebral pathology necessitates "
            "comprehensive consideration of contraindications.")
    found = check_edited(tmp_path, (SUMMARY, f"  Most people do not need a scan. {hard}\n"),
                         ("allowed_words: [MRI]", "allowed_words: [MRI, radiologic, pathology, "
                          "necessitates, comprehensive, consideration, contraindications]"))
    assert len(found) == 1
    assert found[0].startswith(f"{summary_place(tmp_path)}: warning: this sentence reads at "
                               "grade ")
    assert f"(at most 12 for one sentence): '{hard[:119]}…' — split it" in found[0]
    assert found[0].endswith("[hard-sentence]")


def test_a_warning_does_not_stop_check(tmp_path):
    """Editors see it, and the site still builds."""
    shutil.copytree(LIBRARY, tmp_path / "content")
    topic = tmp_path / TOPIC
    topic.write_text(topic.read_text(encoding="utf-8").replace(SUMMARY, (
        "  Before your scan, tell your doctor and the technologist about your pacemaker, "
        "implant, allergies, infection or recent surgery.\n")), encoding="utf-8")
    checked = check_content(tmp_path / "content", tmp_path)
    assert checked.valid and [p.code for p in checked.problems] == ["hard-sentence"]


def test_short_sentences_are_not_graded_alone(tmp_path):
    """One long word makes a short sentence score high: 'Stop taking ibuprofen.' is 13."""
    assert check_edited(tmp_path, (SUMMARY, "  Stop before an MRI scan. Ask your doctor.\n")) == []


def test_glossary_meanings_are_held_to_the_same_words(tmp_path):
    found = check_edited(tmp_path, ("meaning: the person who runs the scanner",
                                    "meaning: the radiographer who runs the scanner"),
                         file="content/glossary.yaml")
    assert len(found) == 1 and found[0].startswith("content/glossary.yaml:")
    assert "'radiographer' is a hard word" in found[0] and "allowed_words" not in found[0]
