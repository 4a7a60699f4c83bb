"""Texts -> comparable units: sentences of content-word stems, spin synonyms mapped to one word.

Story grouping and quote grouping compare what survives spinning and machine
translation: content words (no stop words), Snowball stems (``warned``/``warns``),
and the synonym swaps of `data/spin_markers.v1.yaml` mapped to their canonical
word (``assembly`` -> ``meeting``). Word order inside a sentence and the order of
sentences are not used, so reordered clauses and paragraphs still match.
Everything here is plain Python on strings: no spaCy parse is needed.
"""
from __future__ import annotations

import functools
import re
import zlib

import numpy as np
import snowballstemmer

from ukraine_briefs import lexicons

MARKERS = "spin_markers.v1.yaml"

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
# a sentence ends at . ! ? (with closing quotes) before a space, or at a line break
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+|\n+")
# function words and reporting filler: never content, in any spin of a sentence
_STOP = frozenset("""
a about above after again against all also am an and any are aren't as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have having he
her here hers herself him himself his how i if in into is it it's its itself just let me more most my myself no
nor not now of off on once only or other our ours ourselves out over own same she should so some such than that
the their theirs them themselves then there these they this those through to too under until up very was we
were what when where which while who whom why will with would you your yours yourself yourselves mr mrs ms
one two would also even though yet still however whether may might must shall us upon
""".split())


@functools.lru_cache(maxsize=1)
def synonyms() -> dict[str, str]:
    """Variant word -> canonical word, from the ``synonyms`` of `MARKERS`."""
    out = {}
    for canonical, variants in (lexicons.load(MARKERS).get("synonyms") or {}).items():
        for v in variants or ():
            out[str(v).lower()] = str(canonical).lower()
    return out


# Snowball's English (Porter2) stemmer: imports in milliseconds (nltk's package takes a second)
_STEMMER = snowballstemmer.stemmer("english")


@functools.lru_cache(maxsize=200_000)
def word_key(word: str) -> str | None:
    """A lower-cased word -> its comparison key (synonym-mapped stem), None for a stop word.

    Examples:
        >>> word_key("assembly") == word_key("meetings"), word_key("the")
        (True, None)
    """
    w = word.replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) < 2 or w in _STOP:
        return None
    w = synonyms().get(w, w)
    return _STEMMER.stemWord(w)


def keys(text: str) -> list[str]:
    """The comparison keys of the content words of ``text``, in order."""
    out = []
    for m in _WORD.finditer(text.lower()):
        k = word_key(m.group(0))
        if k is not None:
            out.append(k)
    return out


def key_hash(key: str) -> int:
    """A stable 32-bit hash of a key (CRC-32: the same in every process, unlike ``hash``)."""
    return zlib.crc32(key.encode("utf-8"))


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` (line breaks and sentence-final punctuation), stripped, non-empty."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def _hashes(k: list[str]) -> np.ndarray:
    return np.unique(np.fromiter((key_hash(x) for x in k), dtype=np.uint32, count=len(k)))


def sentence_keys(text: str, *, min_words: int = 4) -> list[np.ndarray]:
    """Per sentence with at least ``min_words`` content words: its distinct key hashes (sorted uint32).

    The compact form a document is compared in: about four bytes a content
    word, so thousands of documents stay in memory for the alignment check.
    """
    return features(text, min_words=min_words)[0]


def shingles(text: str) -> set[bytes]:
    """The MinHash features of a text: content keys, and unordered pairs of neighbouring keys.

    Pairs are unordered so a swapped coordination ("Russia and Ukraine") still
    matches; single keys keep a spun sentence (every third word swapped) in reach.
    """
    return features(text)[1]


def features(text: str, *, min_words: int = 4) -> tuple[list[np.ndarray], set[bytes]]:
    """(`sentence_keys`, `shingles`) of a text, its sentences split and keyed once."""
    sents: list[np.ndarray] = []
    out: set[bytes] = set()
    for s in sentences(text):
        k = keys(s)
        if len(set(k)) >= min_words:
            sents.append(_hashes(k))
        out.update(x.encode("utf-8") for x in k)
        for a, b in zip(k, k[1:]):
            out.add(("|".join(sorted((a, b)))).encode("utf-8"))
    return sents, out
