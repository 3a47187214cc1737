"""Which words a reader may not know, for any topic, worked out from word data.

A hand list of hard words only ever covers the topics its authors thought of. So a word is
hard when it is long (3 or more syllables, from `syllables`) and not common in everyday
English, or when it is on a short list of medical words that look plain but are not (a
"disk" in the spine, "contrast" in a scan). Abbreviations written in capitals (MRI, NSAID,
GP) are hard too: most readers cannot say what the letters stand for.

"Common" comes from the `wordfreq` package: how often a word appears across subtitles, books,
news, web pages and more, on the Zipf scale (a word seen once in a million words is Zipf 3).
Everyday words score 4 to 7; the words readers already know from health leaflets, such as
"hospital" (5.1) or "medicine" (4.7), score above PLAIN_ZIPF, while "meningitis" (3.2) or
"anticoagulant" (below 3) do not. Inflected forms count as their base word ("medicines",
"swelling", "technologists").

Importing `wordfreq` costs a tenth of a second, so the common words are read once into this
tool's cache (`cache`) and loaded from there in a few milliseconds afterwards.
"""

from __future__ import annotations

import functools
import importlib.util
import marshal
import os
import re
from collections.abc import Iterator
from pathlib import Path

from generator import cache, syllables

PLAIN_ZIPF = 3.5  # at least about 3 uses in a million words of everyday English
EVERYDAY_ZIPF = 5.0  # so common that in capitals it is emphasis ("do NOT"), not an abbreviation
LONG = 3  # syllables
_FORMAT = 1  # bump when the cached table's layout changes

# Words that look plain (short, or common in other senses) but that readers may not know in
# their medical sense. Keep it short: every word here is hard in every topic.
MEDICAL_WORDS = frozenset({
    "acute", "benign", "biopsy", "chronic", "contrast", "disc", "disk", "implant", "lesion",
    "lumbar", "malignant", "prolapse", "prolapsed", "spinal", "spine", "stent", "sputum",
})
# Long words that are a little rarer than PLAIN_ZIPF in general English but that health
# leaflets use every day, and readers of them know.
PLAIN_WORDS = frozenset({"painkiller", "pharmacist"})

# A word as written: letters, with apostrophes inside ("don't", "Crohn's"); hyphens split.
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_POSSESSIVE = frozenset({"'s", "’s", "'S", "’S"})
_ABBREVIATION = re.compile(r"^[A-Z]{2,}s?$")
_VOWELS = re.compile(r"[aeiouy]+")


def hard_words_in(text: str) -> Iterator[str]:
    """Each hard word of `text` as written, in order."""
    for word in WORD.findall(text):
        if word[-2:] in _POSSESSIVE:
            word = word[:-2]
        if is_hard(word):
            yield word


@functools.lru_cache(maxsize=65536)  # a topic uses a few hundred words, many times each
def is_hard(word: str) -> bool:
    """Whether a reader of health leaflets may not know `word` (one word, as written)."""
    if _ABBREVIATION.match(word):
        lowered = word.lower()
        return not (len(word) > 2 and lowered in _common().everyday)
    lowered = word.casefold()
    bases = base_forms(lowered)
    if any(base in MEDICAL_WORDS for base in bases):
        return True
    if any(base in PLAIN_WORDS for base in bases):
        return False
    if len(lowered) < 5 or "'" in lowered or "’" in lowered:
        return False  # a three-syllable word has at least five letters
    if _syllables(lowered) < LONG:
        return False
    plain = _common().plain
    return not any(base in plain for base in bases)


def _syllables(word: str) -> int:
    """The dictionary's count; for a word it lacks, also its vowel groups, since hyphenation
    patterns leave many medical words whole ("equina" has no hyphen point, but 3 syllables)."""
    counted = syllables.count(word)
    if syllables.in_dictionary(word):
        return counted
    groups = len(_VOWELS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee")) and groups > 1:
        groups -= 1  # a silent e
    return max(counted, groups)


def base_forms(word: str) -> tuple[str, ...]:
    """`word` and the words it may be an inflection of: "allergies" may be "allergy",
    "swelling" "swell", "exercising" "exercise", "stopped" "stop", "shivery" "shiver"."""
    forms = [word]
    for ending, replacements in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            stem = word[: -len(ending)]
            forms.extend(stem + replacement for replacement in replacements)
            if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "aeiouls":
                forms.append(stem[:-1])  # "stopped", "stopping"
    return tuple(forms)


_ENDINGS = (("ies", ("y",)), ("es", ("", "e")), ("s", ("",)), ("ied", ("y",)),
            ("ed", ("", "e")), ("ing", ("", "e")), ("ily", ("y",)), ("ly", ("",)),
            ("y", ("", "e")))


class _Common:
    """The words common enough to be plain, and those so common they are never
    abbreviations."""

    def __init__(self, plain: list[str], everyday: list[str]):
        self.plain = frozenset(plain)
        self.everyday = frozenset(everyday)


@functools.cache
def _common() -> _Common:
    target = _cache_file()
    try:
        kind, zipf, plain, everyday = marshal.loads(target.read_bytes()) if target else (
            None, None, None, None)
    except (OSError, EOFError, ValueError, TypeError):
        kind = None
    if kind == _FORMAT and zipf == (PLAIN_ZIPF, EVERYDAY_ZIPF) and isinstance(
            plain, list) and isinstance(everyday, list):
        return _Common(plain, everyday)
    plain, everyday = _read_wordfreq()
    if target is not None:
        partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
        try:
            partial.write_bytes(marshal.dumps((_FORMAT, (PLAIN_ZIPF, EVERYDAY_ZIPF), plain,
                                               everyday)))
            os.replace(partial, target)  # another process may be writing the same file
        except OSError:
            partial.unlink(missing_ok=True)  # the check still works, only slower next time
    return _Common(plain, everyday)


def _read_wordfreq() -> tuple[list[str], list[str]]:
    """English words at or above each Zipf level, from wordfreq's list of common words.

    The list comes in buckets of one centibel: bucket `i` holds the words of Zipf 9 - i/100.
    """
    import wordfreq

    buckets = wordfreq.get_frequency_list("en", wordlist="small")
    plain = [word for bucket in buckets[: round((9 - PLAIN_ZIPF) * 100) + 1]
             for word in bucket if word.isalpha()]
    everyday = [word for bucket in buckets[: round((9 - EVERYDAY_ZIPF) * 100) + 1]
                for word in bucket if word.isalpha()]
    return plain, everyday


def data_version() -> str:
    """Names the word data this check uses, for cache keys: found without importing
    `wordfreq`."""
    found = _data_file()
    if found is None:
        return "none"
    stat = found.stat()
    return f"wordfreq-{stat.st_size}-{stat.st_mtime_ns}-{_FORMAT}-{PLAIN_ZIPF}-{EVERYDAY_ZIPF}"


def _data_file() -> Path | None:
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.origin:
        return None
    found = Path(spec.origin).parent / "data" / "small_en.msgpack.gz"
    return found if found.is_file() else None


def _cache_file() -> Path | None:
    folder = cache.folder("words")
    if folder is None:
        return None
    try:
        return folder / f"{data_version()}.marshal"
    except OSError:
        return None
