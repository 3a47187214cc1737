"""The loader keeps what editors wrote, with positions, and rejects what content never needs."""

import pytest

from generator.load import MAX_DEPTH, MAX_PROBLEMS, LoadFailed, load_bytes


def problems_of(source: bytes) -> list[str]:
    with pytest.raises(LoadFailed) as caught:
        load_bytes(source, "t.yaml")
    return [str(problem) for problem in caught.value.problems]


def test_scalars_stay_the_text_the_editor_wrote():
    document = load_bytes(b"a: no\nb: 1.10\nc: 012\nd: 2015-07-13\ne: yes\nf: ~\n", "t.yaml")
    assert document.data == {"a": "no", "b": "1.10", "c": "012", "d": "2015-07-13",
                             "e": "yes", "f": None}


def test_positions_are_one_based_line_and_column():
    document = load_bytes(b"top:\n  items:\n    - id: first\n      text: hello\n", "t.yaml")
    assert document.positions[("top", "items", 0, "text")] == (4, 13)
    assert document.key_positions[("top", "items")] == (2, 3)


def test_a_byte_order_mark_is_accepted():
    assert load_bytes(b"\xef\xbb\xbfa: b\n", "t.yaml").data == {"a": "b"}


@pytest.mark.parametrize("source, expected", [
    (b"a: 1\nb: 2\na: 3\n",
     "t.yaml:3:1: error: the field 'a' is written twice (first on line 1) — keep one of them and "
     "delete the other [duplicate-key]"),
    (b"a:\n  b: 1\n  b: 2\n",
     "t.yaml:3:3: error: the field 'b' is written twice (first on line 2) — keep one of them and "
     "delete the other [duplicate-key]"),
    (b"a: &x hi\nb: *x\n",
     "t.yaml:1:4: error: '&x' marks text to repeat elsewhere — remove the '&' mark and write "
     "repeated text out in full [anchor]"),
    (b"a: !!python/object:os.system x\n",
     "t.yaml:1:4: error: the tag 'tag:yaml.org,2002:python/object:os.system' is not allowed — "
     "remove the tag; write plain text [tag]"),
    (b"a: 1\n---\nb: 2\n",
     "t.yaml:2:1: error: this file holds more than one YAML document — keep one topic per file "
     "and remove the '---' line [several-documents]"),
    (b"a: [1, 2\n",
     "t.yaml:2:1: error: this is not valid YAML: did not find expected ',' or ']' — check the "
     "indentation, colons and quotes on this line and the one before [yaml-syntax]"),
    (b"a: caf\xe9\n",
     "t.yaml:1:7: error: this file is not valid UTF-8 (byte 0xe9) — save the file as UTF-8 "
     "[not-utf8]"),
    (b"\xff\xfea\x00",
     "t.yaml:1:1: error: this file is saved as UTF-16 — save it as UTF-8 [not-utf8]"),
    (b"  \n",
     "t.yaml:1:1: error: this file is empty — add the topic's fields, or delete the file "
     "[empty-file]"),
])
def test_located_errors(source, expected):
    assert expected in problems_of(source)


def test_deep_nesting_is_rejected_without_recursion():
    source = b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n"
    [message] = problems_of(source)
    assert f"nested more than {MAX_DEPTH} levels" in message and "[too-deep]" in message


def test_oversized_file_is_rejected_before_parsing():
    [message] = problems_of(b"a: " + b"x" * (600 * 1024))
    assert "[file-too-large]" in message


def test_a_file_with_very_many_problems_stops_early():
    problems = problems_of(b"k: v\n" * 5000)
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[-1].endswith("checking stopped — fix these first, then check again "
                                 "[too-many-problems]")


def test_deep_nesting_is_rejected_at_the_first_level_too_deep():
    """libyaml slows down with every open level, so the walk must stop reading early."""
    [message] = problems_of(b"a: " + b"[" * (500 * 1024))
    assert message.startswith(f"t.yaml:1:{MAX_DEPTH + 2}: error: ")
