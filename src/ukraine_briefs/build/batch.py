"""One batch of documents -> rows of the per-document tables.

`extract_doc` and `process_batch` are pure functions of a document's text, id
and date, so a batch gives the same rows in this process, in a worker process
(`engines`) or on a Dask worker (`dask_engine`). Only `Item` records travel to a
worker; the spaCy model is loaded there once through the cached `load_nlp`.

A long text (over `PIECE_CHARS`) is parsed in pieces cut at line ends (`parse`)
and the pieces' Docs are joined into one (``Doc.from_docs``): one Doc of the
whole text, so every offset points into the cleaned text as before, while the
parser's working memory follows the piece, not the text (a 1M-character text
parsed whole peaked at 3.07 GB).
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Iterable, Iterator

import pandas as pd
from spacy.tokens import Doc

from ukraine_briefs import config
from ukraine_briefs.extract import dates, entities, quotes, sentiment, threats
from ukraine_briefs.extract.nlp import doc_index, load_nlp
from ukraine_briefs.extract.quotes.indirect import doc_indirect, sentence_sentiment
from ukraine_briefs.types import Sentence, to_frame

log = logging.getLogger(__name__)

#: Tables extracted document by document (the rest are corpus-wide).
DOC_TABLES = ("sentences", "mentions", "quotes", "dates", "threats")
#: A text longer than this (characters) is parsed in pieces of about this size, cut at line ends (about
#: an article: a batch of pieces then takes the parser no more memory than a batch of articles).
PIECE_CHARS = 5_000


@dataclass(frozen=True)
class Item:
    """What per-document extraction needs: nothing else reaches a worker."""

    doc_id: str
    text: str
    published: dt.date | None


def pieces(text: str, size: int = PIECE_CHARS) -> list[str]:
    """Consecutive slices of ``text`` of at most ``size`` characters that join back into ``text``.

    Each cut falls after a line end (a paragraph: a sentence never spans one, see
    `nlp.paragraph_breaks`) in the second half of the window, else after a sentence's
    full stop and space, else after a space, else at ``size``.
    """
    out, i, n = [], 0, len(text)
    while n - i > size:
        lo, hi = i + size // 2, i + size
        cut = text.rfind("\n", lo, hi)
        if cut < 0:
            cut = text.rfind(". ", lo, hi - 1)
            cut = cut + 1 if cut >= 0 else text.rfind(" ", lo, hi)
        cut = cut + 1 if cut >= 0 else hi
        out.append(text[i:cut])
        i = cut
    out.append(text[i:])
    return out


def parse(nlp, texts: Iterable[str], batch_size: int = 16) -> Iterator[Doc]:
    """One Doc per text, in order, through ``nlp.pipe``; a text over `PIECE_CHARS` is parsed as its
    `pieces` and their Docs joined (``Doc.from_docs``, no whitespace added: the text is unchanged)."""

    def stream():
        for k, text in enumerate(texts):
            parts = pieces(text) if len(text) > PIECE_CHARS else [text]
            for j, part in enumerate(parts):
                yield part, j == len(parts) - 1

    done: list[Doc] = []
    for doc, last in nlp.pipe(stream(), as_tuples=True, batch_size=batch_size):
        done.append(doc)
        if last:
            yield done[0] if len(done) == 1 else Doc.from_docs(done, ensure_whitespace=False)
            done = []


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def extract_doc(
    doc, *, doc_id: str, published: dt.date | None, sentiment_method: str | None = None, score: bool = True
) -> dict[str, list]:
    """All per-document records of one parsed Doc, by table name (``sentiment_method``: see `sentiment.METHODS`).

    ``score=False`` leaves sentence and quote sentiment at 0.0 for the caller to fill
    with `score_sentiment` over many documents at once (`process_batch` does: the
    MiniLM runs best on large batches of sentences grouped by length).
    """
    idx = doc_index(doc)
    mentions = list(entities.doc_mentions(doc, doc_id=doc_id))
    qs = list(quotes.doc_quotes(doc, doc_id=doc_id, mentions=mentions))
    ds = list(dates.doc_dates(doc, doc_id=doc_id, published=published))
    ts = list(threats.doc_threats(doc, doc_id=doc_id, mentions=mentions, quotes=qs))
    sents = []
    # slices of the text kept by the index: Span.text re-joins the tokens on every access
    for i, span in enumerate(idx.sents):
        r = idx.text[span.start_char:span.end_char]
        text = r.strip()
        start = span.start_char + (len(r) - len(r.lstrip()))
        end = start + len(text)
        quoted = sum(_overlap(start, end, q.start_char, q.end_char) for q in qs)
        sents.append(
            Sentence(
                doc_id=doc_id,
                sent_id=i,
                paragraph_id=idx.paragraph_id(start),
                start_char=start,
                end_char=end,
                text=text,
                sentiment=0.0,
                in_quote=quoted * 2 >= max(1, end - start),
            )
        )
    # reported speech after the direct quotes: it never sets in_quote nor a threat's speaker
    qs = qs + list(doc_indirect(doc, doc_id=doc_id, mentions=mentions, direct=qs))
    out = {"sentences": sents, "mentions": mentions, "quotes": qs, "dates": ds, "threats": ts}
    if score:
        score_sentiment([out], sentiment_method)
    return out


def score_sentiment(outputs: Sequence[dict[str, list]], method: str | None = None) -> None:
    """Fill ``sentiment`` of every sentence and quote of `extract_doc` outputs, in one call of
    `sentiment.scores` over their distinct texts."""
    records = [r for out in outputs for t in ("sentences", "quotes") for r in out[t] if getattr(r, "kind", "") != "indirect"]
    distinct = list(dict.fromkeys(r.text for r in records))
    value = dict(zip(distinct, sentiment.scores(distinct, method=method)))
    for r in records:
        r.sentiment = float(value[r.text])
    for out in outputs:  # reported speech takes its sentence's score
        sentence_sentiment(out["sentences"], out["quotes"])


def process_batch(
    items: Sequence[Item], model: str | None = None, batch_size: int = 16, sentiment_method: str | None = None
) -> dict[str, pd.DataFrame]:
    """Parse and extract a batch of documents; returns one DataFrame per per-document table.

    The model is loaded once per process through the cached `load_nlp` and never
    travels with the task. A document whose extraction fails gets an entry in the
    ``errors`` frame (doc_id, message) instead of stopping the batch; ``batch``
    lists every doc_id of the batch (results may arrive in any order).
    """
    # one cache key per model: None and the default name must not load the model twice
    model = model or config.model_name()
    nlp = load_nlp(model)
    records: dict[str, list] = {t: [] for t in DOC_TABLES}
    errors = []
    outputs = []
    for item, doc in zip(items, parse(nlp, (i.text for i in items), batch_size=batch_size)):
        try:
            outputs.append((item, extract_doc(doc, doc_id=item.doc_id, published=item.published, score=False)))
        except Exception as exc:  # one bad document never loses the rest
            log.exception("%s: extraction failed", item.doc_id)
            errors.append({"doc_id": item.doc_id, "message": f"error: extraction failed ({type(exc).__name__}: {exc})"})
    try:  # the whole batch's sentences and quotes at once
        score_sentiment([out for _, out in outputs], sentiment_method)
    except Exception:  # then document by document, so one bad text fails only its document
        log.exception("sentiment of a batch failed; scoring its documents one by one")
        scored = []
        for item, out in outputs:
            try:
                score_sentiment([out], sentiment_method)
                scored.append((item, out))
            except Exception as exc:
                log.exception("%s: sentiment failed", item.doc_id)
                errors.append({"doc_id": item.doc_id, "message": f"error: sentiment failed ({type(exc).__name__}: {exc})"})
        outputs = scored
    for _, out in outputs:
        for t in DOC_TABLES:
            records[t].extend(out[t])
    frames = {t: to_frame(t, records[t]) for t in DOC_TABLES}
    frames["errors"] = pd.DataFrame(errors, columns=["doc_id", "message"])
    frames["batch"] = pd.DataFrame({"doc_id": [i.doc_id for i in items]}, dtype=object)
    return frames


def batches(items: Sequence[Item], size: int) -> Iterator[list[Item]]:
    """Consecutive batches of ``size`` items, materialised one at a time."""
    size = max(1, size)
    for i in range(0, len(items), size):
        yield list(items[i : i + size])
