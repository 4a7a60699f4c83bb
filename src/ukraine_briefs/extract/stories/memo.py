"""What provenance computed, kept for the next build of the same corpus: a rebuild redoes only what changed.

Everything `provenance` spends its time on is a pure function of document
content: a document's sketch (MinHash and sentence keys) and copy evidence, a
candidate pair's same-story check, a copy's alignment with its original, a
quote's keys and MinHash. `Memo` keeps those results keyed by content (the
documents' ``content_hash``, which covers doc_id, text and date; a digest of the
text as read for the evidence; a quote's text), so a rebuild after one article
changed recomputes that article's entries only, and the corpus-wide grouping
(LSH look-ups and union-find over every document) runs on remembered answers.
The tables are the same as without it: the memo only ever answers a question
with the answer the same inputs gave before.

Worker processes fill it too (`doc_features`, `quotes.quote_features`): the per-document
work is done beside the parse, in parallel, instead of in the serial corpus-wide step.
"""
from __future__ import annotations

import hashlib
import pickle
from array import array
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from datasketch import LeanMinHash

from ukraine_briefs.extract.stories.groups import Alignment, sketch
from ukraine_briefs.extract.stories.spin import Evidence, evidence
from ukraine_briefs.extract.stories.quotes import text_digest

#: bump when what is stored changes shape
FORMAT = 2


def raw_digest(raw: str | None) -> bytes | None:
    """`quotes.text_digest` of a text as read (None without one)."""
    return None if raw is None else text_digest(raw)


@dataclass
class DocFeatures:
    """One document's sketch parts and copy evidence, and the digest of the raw text the evidence saw."""

    minhash: LeanMinHash | None  # of the shingles (None: no content words)
    sentences: list[np.ndarray]
    evidence: tuple[Evidence, ...]
    raw: bytes | None  # `raw_digest` of the text as read


def doc_features(text: str, raw: str | None) -> DocFeatures:
    """`DocFeatures` of a cleaned text and its text as read (None: the cleaned text stands for it)."""
    s = sketch("", text, ())
    return DocFeatures(s.minhash, s.sentences, tuple(evidence(text, raw)), raw_digest(raw))



class PairMemo:
    """Same-story answers of document pairs in 9 bytes each: a sorted array of 64-bit pair keys and their
    answers from the last build, and the answers found in this build appended to two compact arrays.

    A corpus of near copies (the generated benchmark corpus: 62 checked pairs per document at
    1,000 documents, 78 at 10,000) holds hundreds of thousands of pairs; as a dict of tuples they
    took 150 MB at 10,000 documents. Keys are ``(content_hash, content_hash)`` tuples outside.
    One build asks about each pair once (`groups.story_groups` checks a pair only when its
    documents are not joined yet), so this build's answers need no look-up until the next build.
    """

    def __init__(self, keys: np.ndarray | None = None, answers: np.ndarray | None = None):
        self.keys = np.zeros(0, np.uint64) if keys is None else keys
        self.answers = np.zeros(0, bool) if answers is None else answers
        self.asked = np.zeros(len(self.keys), bool)  # entries of the last build this one asked for
        self.new_keys, self.new_answers = array("Q"), bytearray()

    @staticmethod
    def _key(pair: tuple[str, str]) -> int:
        return int.from_bytes(hashlib.blake2b(f"{pair[0]}|{pair[1]}".encode(), digest_size=8).digest(), "little")

    def _find(self, pair) -> int:
        k = np.uint64(self._key(pair))  # a Python int above 2**63 would make searchsorted compare as objects
        i = int(np.searchsorted(self.keys, k))
        return i if i < len(self.keys) and self.keys[i] == k else -1

    def get(self, pair, default=None):
        """The last build's answer for ``pair`` (marked as asked for), else ``default``."""
        i = self._find(pair)
        if i < 0:
            return default
        self.asked[i] = True
        return bool(self.answers[i])

    def __setitem__(self, pair, answer: bool) -> None:
        self.new_keys.append(self._key(pair))
        self.new_answers.append(bool(answer))

    def __len__(self) -> int:
        return len(self.keys) + len(self.new_keys)

    def kept(self) -> "PairMemo":
        """The entries this build asked for, and its new ones, as one sorted array."""
        keys = np.concatenate([self.keys[self.asked], np.frombuffer(self.new_keys, np.uint64)])
        answers = np.concatenate([self.answers[self.asked], np.frombuffer(self.new_answers, bool)])
        order = np.argsort(keys, kind="stable")
        return PairMemo(keys[order], answers[order])


@dataclass
class Memo:
    """Results of provenance's pure functions, by content; see the module docstring."""

    fingerprint: str = ""
    docs: dict[str, DocFeatures] = field(default_factory=dict)  # content_hash ->
    pairs: PairMemo = field(default_factory=PairMemo)  # (content_hash, content_hash) -> same story
    aligned: dict[tuple[str, str], Alignment] = field(default_factory=dict)  # (copy, original) ->
    quotes: dict[bytes, tuple[str, LeanMinHash] | None] = field(default_factory=dict)  # `text_digest` ->
    used: set = field(default_factory=set, repr=False)  # content hashes asked for by this build
    used_quotes: set = field(default_factory=set, repr=False)  # quote digests asked for by this build

    def keep_used(self) -> None:
        """Drop every entry of a document or quote this build did not ask for (removed or changed since)."""
        live = self.used
        self.docs = {k: v for k, v in self.docs.items() if k in live}
        self.pairs = self.pairs.kept()  # the pairs this build asked about: of documents it has
        self.aligned = {k: v for k, v in self.aligned.items() if k[0] in live and k[1] in live}
        self.quotes = {k: v for k, v in self.quotes.items() if k in self.used_quotes}

    def clear(self) -> None:
        """Drop every entry (once saved: the rest of the build does not need them)."""
        self.docs, self.pairs, self.aligned, self.quotes = {}, PairMemo(), {}, {}

    def save(self, path: Path) -> None:
        """Write (atomically) to ``path``."""
        tmp = path.with_name(f".{path.name}.tmp")
        with open(tmp, "wb") as fh:
            pickle.dump((FORMAT, self.fingerprint, self.docs, (self.pairs.keys, self.pairs.answers), self.aligned,
                         self.quotes), fh,
                        protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path, fingerprint: str) -> "Memo":
        """The memo written at ``path`` by code with this ``fingerprint``; an empty one otherwise."""
        try:
            with open(path, "rb") as fh:
                fmt, fp, docs, pairs, aligned, qs = pickle.load(fh)
        except (OSError, ValueError, EOFError, pickle.UnpicklingError, TypeError, AttributeError, ImportError):
            return cls(fingerprint)
        if fmt != FORMAT or fp != fingerprint:
            return cls(fingerprint)
        return cls(fingerprint, docs, PairMemo(*pairs), aligned, qs)
