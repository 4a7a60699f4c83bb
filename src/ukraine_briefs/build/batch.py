"""One batch of documents -> rows of the per-document tables.

`extract_doc` and `process_batch` are pure functions of a document's text, id
and date, so a batch gives the same rows in this process, in a worker process
(`engines`) or on a Dask worker (`dask_engine`). Only `Item` records travel to a
worker; the spaCy model is loaded there once through the cached `load_nlp`.

A long text (over `PIECE_CHARS`) is parsed in pieces cut at line ends (`parse`)
and the pieces' Docs are joined into one (``Doc.from_docs``): one Doc of the
whole text, so every offset points into the cleaned text as before, while the
parser's working memory follows the piece, not the text (a 1M-character text
parsed whole peaked at 3.07 GB). A text over `EXTRACT_CHARS` (far longer than any
article: a book, a transcript dump) is also extracted in chunks of consecutive
pieces (`parse_chunks`, `join_chunks`), so extraction never holds a Doc of more
than about `EXTRACT_CHARS` characters; rows keep their offsets, sentence and
paragraph numbers and ids in the whole text.
"""
from __future__ import annotations

import bisect
import datetime as dt
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Iterable, Iterator

import pandas as pd
from spacy.tokens import Doc

from ukraine_briefs import config
from ukraine_briefs.extract import dates, entities, quotes, sentiment, threats
from ukraine_briefs.extract.nlp import PARAGRAPH_BREAK, doc_index, load_nlp
from ukraine_briefs.extract.quotes.indirect import doc_indirect, sentence_sentiment
from ukraine_briefs.extract.stories import raw_text
from ukraine_briefs.extract.stories.memo import doc_features
from ukraine_briefs.extract.stories.quotes import quote_features, text_digest
from ukraine_briefs.types import Sentence, to_frame

log = logging.getLogger(__name__)

#: Tables extracted document by document (the rest are corpus-wide).
DOC_TABLES = ("sentences", "mentions", "quotes", "dates", "threats")
#: A text longer than this (characters) is parsed in pieces of about this size, cut at line ends (about
#: an article: a batch of pieces then takes the parser no more memory than a batch of articles).
PIECE_CHARS = 5_000
#: A text longer than this (characters) is extracted in chunks of at most about this size (whole pieces):
#: a Doc of 1M characters (~200,000 tokens) took the extractors over 1 GB; no news article comes near.
EXTRACT_CHARS = 50_000


@dataclass(frozen=True)
class Item:
    """What per-document extraction needs: nothing else reaches a worker."""

    doc_id: str
    text: str
    published: dt.date | None
    #: the file and format it was read from: the story step's copy evidence reads the text as read
    path: str | None = None
    fmt: str | None = None


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


def parse_chunks(nlp, texts: Iterable[str], batch_size: int = 16, chunk_chars: int | None = None) -> Iterator[tuple]:
    """(text number, chunk's offset in the text, Doc of the chunk, last chunk of the text?) in order, through
    ``nlp.pipe``. A text over `PIECE_CHARS` is parsed as its `pieces` and their Docs joined
    (``Doc.from_docs``, no whitespace added: the text is unchanged); a text over ``chunk_chars``
    is joined into several Docs (chunks) of whole pieces, each at most ``chunk_chars`` long
    unless one piece is longer. ``chunk_chars=None``: one Doc per text."""

    def stream():
        for k, text in enumerate(texts):
            parts = pieces(text, PIECE_CHARS) if len(text) > PIECE_CHARS else [text]
            split = chunk_chars is not None and len(text) > chunk_chars
            start = size = 0
            for j, part in enumerate(parts):
                size += len(part)
                last = j == len(parts) - 1
                end = last or (split and size + len(parts[j + 1]) > chunk_chars)
                yield part, (k, start, end, last)
                if end:
                    start, size = start + size, 0

    done: list[Doc] = []
    for doc, (k, start, end, last) in nlp.pipe(stream(), as_tuples=True, batch_size=batch_size):
        done.append(doc)
        if end:
            joined = done[0] if len(done) == 1 else Doc.from_docs(done, ensure_whitespace=False)
            done = []  # the pieces' Docs go before the chunk is extracted
            yield k, start, joined, last


def parse(nlp, texts: Iterable[str], batch_size: int = 16) -> Iterator[Doc]:
    """One Doc per text, in order (see `parse_chunks`)."""
    for _, _, doc, _ in parse_chunks(nlp, texts, batch_size=batch_size):
        yield doc


#: a per-document row id's running number: ``<doc>:q3``, ``<doc>:r0``, ``<doc>-T007``
_ID_NUMBER = re.compile(r"(.*?)(\d+)")
_ID_FIELDS = {"quotes": "quote_id", "threats": "threat_id"}


def join_chunks(chunks: Sequence[tuple[int, dict[str, list]]], text: str) -> dict[str, list]:
    """The `extract_doc` outputs of a text's chunks (chunk offset, outputs) as one document's rows: offsets
    into the whole text, sentence numbers counted over the earlier chunks, paragraph numbers over the
    whole text, and quote and threat ids numbered on from the earlier chunks' (in place)."""
    para_starts = [0] + [m.end() for m in PARAGRAPH_BREAK.finditer(text)]
    out: dict[str, list] = {t: [] for t in DOC_TABLES}
    next_id: dict[str, int] = {}  # id prefix -> first number free after the earlier chunks
    n_sents = 0
    for offset, rows in chunks:
        # the chunk's paragraph 0 is the whole text's paragraph holding the chunk's first character
        para0 = bisect.bisect_right(para_starts, offset) - 1
        used: dict[str, int] = {}
        for t in DOC_TABLES:
            for r in rows[t]:
                r.start_char += offset
                r.end_char += offset
                r.sent_id += n_sents
                if hasattr(r, "paragraph_id"):
                    r.paragraph_id += para0
                field = _ID_FIELDS.get(t)
                if field:
                    prefix, num = _ID_NUMBER.fullmatch(getattr(r, field)).groups()
                    n = int(num) + next_id.get(prefix, 0)
                    used[prefix] = max(used.get(prefix, 0), n + 1)
                    setattr(r, field, f"{prefix}{n:0{len(num)}d}" if num.startswith("0") else f"{prefix}{n}")
                out[t].append(r)
        next_id.update(used)
        n_sents += len(rows["sentences"])
    out["quotes"].sort(key=lambda q: q.kind == "indirect")  # as `extract_doc`: direct quotes, then reported speech
    return out


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
    """Fill ``sentiment`` of every sentence and quote of `extract_doc` outputs: the batch's distinct sentence
    texts in one call of `sentiment.scores`; a quote that makes up most of its sentences takes their score
    (`sentiment.reuse`: the same words are not encoded twice), the other quotes' distinct texts in a second
    call; reported speech takes its sentence's score."""
    sents = [s for out in outputs for s in out["sentences"]]
    distinct = list(dict.fromkeys(s.text for s in sents))
    value = dict(zip(distinct, sentiment.scores(distinct, method=method)))
    for s in sents:
        s.sentiment = float(value[s.text])
    own = []
    for out in outputs:
        direct = [q for q in out["quotes"] if q.kind != "indirect"]
        for q, v in zip(direct, sentiment.reuse.from_sentences(direct, out["sentences"])):
            if v is None:
                own.append(q)
            else:
                q.sentiment = v
    distinct = list(dict.fromkeys(q.text for q in own if q.text not in value))
    value.update(zip(distinct, sentiment.scores(distinct, method=method)))
    for q in own:
        q.sentiment = float(value[q.text])
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
    chunks: list[tuple[int, dict[str, list]]] = []  # of the current document, when it is extracted in chunks
    failed = None
    texts = (i.text for i in items)
    for k, offset, doc, last in parse_chunks(nlp, texts, batch_size=batch_size, chunk_chars=EXTRACT_CHARS):
        item = items[k]
        try:
            if failed != k:
                chunks.append((offset, extract_doc(doc, doc_id=item.doc_id, published=item.published, score=False)))
                del doc  # a long text's chunk Docs never pile up
                if last:
                    outputs.append((item, chunks[0][1] if len(chunks) == 1 else join_chunks(chunks, item.text)))
        except Exception as exc:  # one bad document never loses the rest
            log.exception("%s: extraction failed", item.doc_id)
            errors.append({"doc_id": item.doc_id, "message": f"error: extraction failed ({type(exc).__name__}: {exc})"})
            failed = k
        if last:
            chunks = []
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
    frames["memo"] = story_features(items, records["quotes"])
    return frames


def story_features(items: Sequence[Item], quote_rows: Sequence) -> dict:
    """The story step's per-document work, done here beside the parse (in parallel, not in the serial
    corpus-wide step): ``{"docs": doc_id -> memo.DocFeatures, "quotes": text digest -> quote features}``
    for `memo.Memo`."""
    docs = {i.doc_id: doc_features(i.text, raw_text(i.path, i.fmt)) for i in items if i.text}
    texts = {q.text or "" for q in quote_rows}
    return {"docs": docs, "quotes": {text_digest(t): quote_features(t) for t in texts}}


def batches(items: Sequence[Item], size: int) -> Iterator[list[Item]]:
    """Consecutive batches of ``size`` items, materialised one at a time."""
    size = max(1, size)
    for i in range(0, len(items), size):
        yield list(items[i : i + size])
