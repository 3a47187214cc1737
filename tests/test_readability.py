"""Every built page reads at Flesch-Kincaid grade 6 and SMOG 8 or below, measured offline."""

import subprocess
import sys

import pytest

from generator.readability import (
    MAX_GRADE,
    MAX_SMOG,
    grade,
    score_page,
    score_site,
    sentence_count,
    sentences_of,
    smog,
    words_of,
)
from tests.editing import ROOT


def test_every_page_of_the_real_site_is_plain_enough(real_site):
    scores = score_site(real_site["dir"])
    assert len(scores) == len(list(real_site["dir"].rglob("*.html")))
    failures = [score.failure() for score in scores if not score.passes]
    assert not failures, "\n".join(failures)


def test_a_topic_page_is_scored_on_its_prose(built_site):
    scores = score_site(built_site["dir"])
    topic = next(s for s in scores if s.page == "topics/mri-and-low-back-pain/index.html")
    assert topic.words > 300 and topic.grade <= MAX_GRADE and topic.smog <= MAX_SMOG


def test_the_build_writes_a_report_outside_the_site(built_site):
    report = (built_site["project"] / "reports" / "readability.md").read_text(encoding="utf-8")
    for path in built_site["dir"].rglob("*.html"):
        assert f"| {path.relative_to(built_site['dir']).as_posix()} |" in report
    assert not list(built_site["dir"].rglob("readability*"))


PAGE = """<html><body><nav><p>Skip this menu text.</p></nav>
<article class="md-content__inner md-typeset">
<h1>A heading is not prose.</h1>
<p>This is a short sentence. Here is another one.</p>
<ul><li>Slipped disk - MRI</li><li>You have a fever.</li></ul>
<p>Answer these questions<span class="visually-hidden"> hidden words.</span>:</p>
<form><p>The form repeats the questions.</p></form>
<ol class="references"><li>Chou R, et al. Diagnostic imaging. 2011.</li></ol>
</article><footer><p>Footer text.</p></footer></body></html>"""


def test_prose_leaves_out_headings_names_references_forms_and_chrome():
    assert sentences_of(PAGE) == ["This is a short sentence.", "Here is another one.",
                                  "You have a fever.", "Answer these questions."]


def test_a_hard_page_fails_and_names_its_hardest_sentences():
    hard = ("Radiologic assessment of degenerative intervertebral pathology necessitates "
            "comprehensive consideration of contraindications.")
    markup = PAGE.replace("This is a short sentence.", hard)
    score = score_page("topics/x/index.html", markup)
    assert not score.passes
    message = score.failure()
    assert message.startswith("topics/x/index.html: reads at Flesch-Kincaid grade")
    assert hard in message.splitlines()[1]


def test_grades_follow_the_published_formulas():
    # Six one-syllable words in one sentence: 0.39 × 6 + 11.8 × 1 − 15.59.
    assert grade("The cat sat on the mat.") == pytest.approx(-1.45)
    # 'every' (3 syllables in the CMU dictionary) and 'technologist' (4) are long words.
    text = "Tell every technologist about it. " * 3
    assert smog(text) == pytest.approx(1.043 * (30 * 6 / 3) ** 0.5 + 3.1291)
    assert grade("Tell every technologist about it.") == pytest.approx(
        0.39 * 5 + 11.8 * (1 + 3 + 4 + 2 + 1) / 5 - 15.59)


def test_words_and_sentences_are_counted_the_usual_way():
    assert words_of("Don't take 'plain' pills - ask first.") == [
        "Don't", "take", "plain", "pills", "ask", "first"]
    # Runs of one or two words ("Yes." "No.") do not count as sentences, but there is always one.
    assert sentence_count("Yes. No. The cat sat on the mat.") == 1
    assert sentence_count("The cat sat down. Then it sat on the mat!") == 2
    assert sentence_count("Hi.") == 1


SCORE_OFFLINE = """
import socket, sys

def refuse(*args, **kwargs):
    raise AssertionError("tried to reach the network")

socket.socket.connect = refuse
socket.create_connection = refuse
from generator import syllables
from generator.readability import score_page
score = score_page("x", '<article class="md-content__inner"><p>' +
                   "Tell every zorbified technologist about it. " * 3 + "</p></article>")
assert score.words == 18 and score.smog > 3.2, score
# The CMU dictionary says 'every' has 3 syllables and 'fire' 2; hyphenation says 2 and 1.
assert (syllables.count("every"), syllables.count("fire")) == (3, 2)
syllables.save()
print("zorbified" in syllables._table().learned, "pyphen" in sys.modules)
"""


def _score_offline(tmp_path, cache):
    result = subprocess.run(
        [sys.executable, "-c", SCORE_OFFLINE], cwd=ROOT, capture_output=True, text=True,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PATIENT_SITE_CACHE": cache})
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_syllables_are_counted_offline_and_kept_in_the_cache(tmp_path):
    cache = tmp_path / "cache"
    # First run: the table is made from the dictionary; a word it lacks needs hyphenation.
    assert _score_offline(tmp_path, str(cache)) == ["True", "True"]
    table = cache / "syllables"
    assert [path.suffix for path in table.iterdir()] == [".marshal"]
    # Second run: the table, with the word it learned, comes from the cache.
    assert _score_offline(tmp_path, str(cache)) == ["True", "False"]


def test_a_damaged_or_unwritable_cache_only_costs_time(tmp_path):
    cache = tmp_path / "cache"
    _score_offline(tmp_path, str(cache))
    saved = next((cache / "syllables").iterdir())
    saved.write_bytes(b"\x00not a table")
    assert _score_offline(tmp_path, str(cache)) == ["True", "True"]
    assert saved.stat().st_size > 1_000_000  # written again, whole
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would go")
    assert _score_offline(tmp_path, str(blocked)) == ["True", "True"]
    assert _score_offline(tmp_path, "off") == ["True", "True"]
    assert not list(tmp_path.glob(".cache"))
