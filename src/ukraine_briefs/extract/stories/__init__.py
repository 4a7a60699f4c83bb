"""Stories and provenance (corpus-wide): story groups of copies, the copy flag, quote groups.

`provenance` is called once by the build's corpus-wide step with the documents
(metadata), their cleaned texts and the quotes, each as chunks so a corpus of
thousands of articles streams through; it returns the ``stories`` table and the
``documents.story_id`` and ``quotes.quote_group`` values to write.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ukraine_briefs.extract.stories import groups, quotes, spin
from ukraine_briefs.extract.stories.memo import Memo, doc_features
from ukraine_briefs.extract.stories.memo import raw_digest as memo_raw
from ukraine_briefs.ingest import textio
from ukraine_briefs.types import Story, to_frame


@dataclass
class Provenance:
    """The ``stories`` table, and the story of each document and group of each quote."""

    stories: pd.DataFrame
    story_of: dict[str, str]
    group_of: dict[str, str]

    def with_stories(self, documents: pd.DataFrame) -> pd.DataFrame:
        """``documents`` with ``story_id`` filled (a copy; None for documents without text)."""
        out = documents.copy()
        out["story_id"] = out["doc_id"].map(self.story_of)
        return out

    def with_groups(self, quotes_df: pd.DataFrame) -> pd.DataFrame:
        """``quotes`` with ``quote_group`` filled (a copy)."""
        out = quotes_df.copy()
        out["quote_group"] = out["quote_id"].map(self.group_of)
        return out


def raw_text(path: str | None, fmt: str | None) -> str | None:
    """The text of a ``.txt`` document as read, before cleaning (None for other formats or if unreadable).

    Cleaning repairs glued words, quote slips and scraper residue: the copy flag looks for them here.
    """
    if fmt != "txt" or not path:
        return None
    try:
        data, _ = textio.read_head(Path(path))
    except OSError:
        return None
    return textio.decode(data)[0]


def provenance(
    documents: pd.DataFrame, texts: Iterable[pd.DataFrame], quote_chunks: Iterable[pd.DataFrame], memo: Memo | None = None
) -> Provenance:
    """Story groups, the copy flag and quote groups of a corpus.

    Args:
        documents: the documents table (``doc_id``, ``published``, ``path``, ``format``, ``status``, and
            ``content_hash`` for the memo) in corpus order; its ``text`` column is not needed.
        texts: chunks of (``doc_id``, ``text``) rows: the cleaned texts, read once.
        quote_chunks: chunks of quotes rows (``quote_id``, ``text``) in corpus order.
        memo: what an earlier build (or the workers) computed of the same content (`memo.Memo`): used
            where it holds the answer, filled where it does not; the result is the same without it.
    """
    position: dict[str, int] = {}
    info: dict[str, tuple] = {}
    hashes = documents["content_hash"] if memo is not None and "content_hash" in documents else [None] * len(documents)
    for i, row in enumerate(zip(documents["doc_id"], documents["status"], documents["published"],
                                documents["path"], documents["format"], hashes)):
        position.setdefault(row[0], i)
        info.setdefault(row[0], row[1:])
    far = pd.Timestamp.max
    sketches, flags = [], {}
    for chunk in texts:
        for doc_id, text in zip(chunk["doc_id"], chunk["text"]):
            status, published, path, fmt, key = info[doc_id]
            if status != "ok" or not isinstance(text, str) or not text or doc_id in flags:
                continue
            pub = pd.to_datetime(published, errors="coerce")
            f = _features(memo, key or None, text, raw_text(path, fmt))
            sketches.append(groups.Sketch(doc_id, (far if pd.isna(pub) else pub, position[doc_id]), f.sentences,
                                          f.minhash, key or None))
            flags[doc_id] = list(f.evidence)
    sketches.sort(key=lambda s: position[s.doc_id])
    members = groups.story_groups(sketches, *((memo.pairs, memo.aligned) if memo is not None else ()))
    size = pd.Series([m.story_id for m in members]).value_counts().to_dict() if members else {}
    rows = []
    for m in members:
        found = list(flags.get(m.doc_id, ()))
        if m.role == "copy" and m.reworded >= groups.MIN_ALIGNED and m.reworded >= 0.3 * m.aligned:
            found.append(spin.Evidence("reworded_copy", f"{m.reworded} of {m.aligned} sentences reworded from {m.original_id}"))
        score, reason = spin.score(found)
        rows.append(Story(m.story_id, m.doc_id, m.role, m.original_id, m.similarity, int(size[m.story_id]),
                          score >= spin.threshold(), score, reason or None))
    return Provenance(
        stories=to_frame("stories", rows),
        story_of={m.doc_id: m.story_id for m in members},
        group_of=quotes.quote_groups(quote_chunks, *((memo.quotes, memo.used_quotes) if memo is not None else ())),
    )


def _features(memo: Memo | None, key: str | None, text: str, raw: str | None):
    """A document's `memo.DocFeatures`, from the memo when it holds them for this content and raw text."""
    if memo is None or key is None:
        return doc_features(text, raw)
    memo.used.add(key)
    f = memo.docs.get(key)
    if f is None or f.raw != memo_raw(raw):
        f = memo.docs[key] = doc_features(text, raw)
    return f
