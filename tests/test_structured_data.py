"""Each topic page carries schema.org MedicalWebPage data that matches the page and is inert."""

import json
import re

from generator.plan import structured_data
from generator.render import json_block
from tests.editing import fixture_topic

TOPIC = "topics/mri-and-low-back-pain"
LD_JSON = r'<script type="application/ld\+json">(.*?)</script>'


def test_the_topic_page_carries_a_medical_web_page(built_site, library):
    page = (built_site["dir"] / TOPIC / "index.html").read_text(encoding="utf-8")
    [raw] = re.findall(LD_JSON, page, flags=re.S)
    data = json.loads(raw)
    topic = fixture_topic(library)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "MedicalWebPage"
    assert data["name"] == topic.title
    assert data["lastReviewed"] == topic.review.last_checked
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", data["lastReviewed"])
    assert data["inLanguage"] == library.site.language
    about = data["about"]
    assert about["@type"] == "MedicalCondition"
    assert about["name"] == "Low back pain"
    assert about["alternateName"] == list(topic.other_names)
    assert [c.get("url") for c in data["citation"]] == [ref.link for ref in topic.references]
    assert "reviewedBy" not in data  # our checks are editorial, never a clinical sign-off


def test_only_topic_pages_carry_it(built_site):
    for path in built_site["dir"].rglob("*.html"):
        count = len(re.findall(LD_JSON, path.read_text(encoding="utf-8"), flags=re.S))
        is_topic = path.relative_to(built_site["dir"]).as_posix() == f"{TOPIC}/index.html"
        assert count == (1 if is_topic else 0), path


def test_editor_text_cannot_break_out_of_the_data_block(library):
    topic = fixture_topic(library)
    hostile = "</script><script>alert(1)</script><!-- \u2028\u2029 & done"
    changed = topic.model_copy(update={"alternative_names": [hostile], "title": hostile})
    block = str(json_block(structured_data(changed, library)))
    assert not re.search(r"[<>&\u2028\u2029]", block)
    data = json.loads(block)
    assert data["about"]["alternateName"] == [hostile] and data["name"] == hostile
