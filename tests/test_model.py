"""The model types every field and checks ids and references, with located messages."""

from generator.model import Topic
from tests.editing import TOPIC, fixture_topic, line_of, problems_after


def test_the_real_topic_is_valid(library):
    topic = fixture_topic(library)
    assert isinstance(topic, Topic)
    assert len(topic.warning_signs.signs) == 10
    assert len(topic.other_names) == 12 and len(topic.alternative_names) == 6
    assert topic.review.source_reviewed == "2015-07-13"
    assert [ref.id for ref in topic.references] == ["medlineplus-2015", "chou-2011", "maus-2014"]


def test_an_unknown_reference_is_located_and_suggested(tmp_path):
    text, problems = problems_after(tmp_path, "references: [medlineplus-2015, maus-2014]",
                                    "references: [medlineplus-2015, maus-2041]")
    line = line_of(text, "maus-2041")
    assert any(p.startswith(f"{TOPIC}:{line}:") and "the reference 'maus-2041' is not in this "
               "topic's references — did you mean 'maus-2014'? [unknown-reference]" in p
               for p in problems)


def test_a_statement_without_references_is_rejected(tmp_path):
    text, problems = problems_after(tmp_path, "  references: [medlineplus-2015, chou-2011]\n\n"
                                    "warning_signs:", "\nwarning_signs:")
    line = line_of(text, "key_message:")
    assert any(p.startswith(f"{TOPIC}:{line + 1}:") and "'site_advice: yes'" in p
               and "this text does not say where it comes from" in p
               and p.endswith("[uncited-text]") for p in problems), problems


GO_BACK = ("      Go back to your doctor if your pain does not get better, or if it gets worse.\n"
           "    references: [medlineplus-2015]")


def test_site_advice_is_never_cited(tmp_path):
    text, problems = problems_after(tmp_path / "cited", GO_BACK,
                                    GO_BACK + "\n    site_advice: yes")
    line = line_of(text, "site_advice: yes")
    assert [p for p in problems if "[cited-site-advice]" in p] == [
        f"{TOPIC}:{line}:18: error: the site's own advice cannot cite a reference — remove "
        "'references' if this is the site's advice on where and when to get care; if a source "
        "says it, remove 'site_advice' instead [cited-site-advice]"]
    _, problems = problems_after(tmp_path / "not-cited", GO_BACK, GO_BACK.replace(
        "references: [medlineplus-2015]", "site_advice: yes"))
    assert not [p for p in problems if "error" in p], problems


def test_duplicate_question_ids(tmp_path):
    text, problems = problems_after(tmp_path, "- id: had-cancer", "- id: fever")
    line = [n for n, row in enumerate(text.splitlines(), 1) if row.strip() == "- id: fever"][1]
    assert any(p.startswith(f"{TOPIC}:{line}:") and "the question id 'fever' is used twice" in p
               and p.endswith("[duplicate-id]") for p in problems)


def test_bad_id_and_bad_date(tmp_path):
    _, problems = problems_after(tmp_path, 'source_reviewed: "2015-07-13"',
                                 'source_reviewed: "7/13/2015"')
    assert any("'7/13/2015' is not a date written as year-month-day" in p for p in problems)
    _, problems = problems_after(tmp_path / "b", "- id: fever", "- id: Fever_1")
    assert any("'id' 'Fever_1' is not a valid id" in p and "[bad-id]" in p for p in problems)


def test_an_uncited_reference_is_an_error(tmp_path):
    _, problems = problems_after(tmp_path, "references: [medlineplus-2015, maus-2014]",
                                 "references: [medlineplus-2015]")
    assert any("the reference 'maus-2014' is never cited" in p for p in problems)


def test_a_self_check_cannot_take_the_topic_pages_name(tmp_path):
    text, problems = problems_after(tmp_path, "- id: before-your-mri", "- id: index")
    line = line_of(text, "- id: index")
    assert f"{TOPIC}:{line}:9: error: a self-check cannot have the id 'index' — choose an id " \
           "that says what the check is about [bad-id]" in problems
