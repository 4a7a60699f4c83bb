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

import pickle
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from datasketch import LeanMinHash

from ukraine_briefs.extract.stories.groups import Alignment, sketch
from ukraine_briefs.extract.stories.spin import Evidence, evidence
from ukraine_briefs.extract.stories.quotes import text_digest

#: bump when what is stored changes shape
FORMAT = 1


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



@dataclass
class Memo:
    """Results of provenance's pure functions, by content; see the module docstring."""

    fingerprint: str = ""
    docs: dict[str, DocFeatures] = field(default_factory=dict)  # content_hash ->
    pairs: dict[tuple[str, str], bool] = field(default_factory=dict)  # (content_hash, content_hash) -> same story
    aligned: dict[tuple[str, str], Alignment] = field(default_factory=dict)  # (copy, original) ->
    quotes: dict[bytes, tuple[str, LeanMinHash] | None] = field(default_factory=dict)  # `text_digest` ->
    used: set = field(default_factory=set, repr=False)  # content hashes asked for by this build
    used_quotes: set = field(default_factory=set, repr=False)  # quote digests asked for by this build

    def keep_used(self) -> None:
        """Drop every entry of a document or quote this build did not ask for (removed or changed since)."""
        live = self.used
        self.docs = {k: v for k, v in self.docs.items() if k in live}
        self.pairs = {k: v for k, v in self.pairs.items() if k[0] in live and k[1] in live}
        self.aligned = {k: v for k, v in self.aligned.items() if k[0] in live and k[1] in live}
        self.quotes = {k: v for k, v in self.quotes.items() if k in self.used_quotes}

    def save(self, path: Path) -> None:
        """Write (atomically) to ``path``."""
        tmp = path.with_name(f".{path.name}.tmp")
        with open(tmp, "wb") as fh:
            pickle.dump((FORMAT, self.fingerprint, self.docs, self.pairs, self.aligned, self.quotes), fh,
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
        return cls(fingerprint, docs, pairs, aligned, qs)
