"""The build: documents -> spaCy Docs -> per-document tables -> corpus tables, cached as Parquet.

Per-document work (`extract_doc`, `process_batch`) is a pure function of the
document's text, id and date, so batches can run in this process, in worker
processes, or on a Dask cluster (`dask_engine`) with identical results.

The build streams: each finished batch is written at once to its own part
files under ``_raw/`` and dropped from memory, and the final per-document
tables are written run by run through a `pyarrow.parquet.ParquetWriter`, so
memory stays flat as the corpus grows. The documents are staged on disk as they
are read (``_raw/documents_read.parquet``, which is also the next build's read
cache) and the parse takes its texts from there a row group at a time; the
corpus-wide step reads the mentions part by part twice, for per-entity
aggregates (`entities.MentionStats`) and then to write them with merged ids and
count co-occurrences. What stays in memory is the documents table without its
text and aggregates the size of the entity and pair counts.

Rows of unchanged documents are reused from the previous build in the same
directory (keyed by content hash, the extractors' code and data files
(`config.extractor_fingerprint`) and model): an incremental rebuild parses only
what changed and re-streams the rest from the part files.

Layout of a built directory::

    <dir>/<table>.parquet                 the eight contract tables
    <dir>/_raw/<table>/<part>.parquet     per-batch rows before cross-document id merges
    <dir>/_raw/index.parquet              doc_id, content_hash, part: where each document's rows are
    <dir>/_raw/documents_read.parquet     documents as read and cleaned, with their read key (path, size,
                                          mtime, metadata row): the texts to parse, and the read cache
    <dir>/manifest.json                   pipeline version, model, build figures
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys
import time
import uuid
from collections import OrderedDict
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from collections.abc import Sequence
from typing import Iterable, Iterator

import numpy as np
import pandas as pd

from ukraine_briefs import config
from ukraine_briefs.types import Document, Sentence, columns, conform, empty_frame, to_frame, validate

log = logging.getLogger(__name__)

#: Tables extracted document by document (the rest are corpus-wide).
DOC_TABLES = ("sentences", "mentions", "quotes", "dates", "threats")
#: Per-document tables streamed to disk run by run (mentions are needed whole).
STREAMED = ("sentences", "quotes", "dates", "threats")
RAW_DIR = "_raw"
INDEX = "index.parquet"
MANIFEST = "manifest.json"
#: Rows buffered before a Parquet row group is written.
ROW_GROUP = 65_536
#: Documents whose mentions are aggregated at once (entity statistics, co-occurrence counts).
COOC_DOCS = 1000
#: Id columns rewritten by the corpus-wide entity id merge, per table.
ID_COLUMNS = {"mentions": ("entity_id",), "quotes": ("speaker_id",), "threats": ("actor_id", "target_id", "speaker_id")}


@dataclass(frozen=True)
class Item:
    """What per-document extraction needs: nothing else reaches a worker."""

    doc_id: str
    text: str
    published: dt.date | None


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
    from ukraine_briefs.extract import dates, entities, quotes, threats
    from ukraine_briefs.extract.nlp import doc_index

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
    out = {"sentences": sents, "mentions": mentions, "quotes": qs, "dates": ds, "threats": ts}
    if score:
        score_sentiment([out], sentiment_method)
    return out


def score_sentiment(outputs: Sequence[dict[str, list]], method: str | None = None) -> None:
    """Fill ``sentiment`` of every sentence and quote of `extract_doc` outputs, in one call of
    `sentiment.scores` over their distinct texts."""
    from ukraine_briefs.extract import sentiment

    records = [r for out in outputs for t in ("sentences", "quotes") for r in out[t]]
    distinct = list(dict.fromkeys(r.text for r in records))
    value = dict(zip(distinct, sentiment.scores(distinct, method=method)))
    for r in records:
        r.sentiment = float(value[r.text])


def process_batch(
    items: Sequence[Item], model: str | None = None, batch_size: int = 16, sentiment_method: str | None = None
) -> dict[str, pd.DataFrame]:
    """Parse and extract a batch of documents; returns one DataFrame per per-document table.

    The model is loaded once per process through the cached `load_nlp` and never
    travels with the task. A document whose extraction fails gets an entry in the
    ``errors`` frame (doc_id, message) instead of stopping the batch; ``batch``
    lists every doc_id of the batch (results may arrive in any order).
    """
    from ukraine_briefs.extract.nlp import load_nlp

    # one cache key per model: None and the default name must not load the model twice
    model = model or config.model_name()
    nlp = load_nlp(model)
    records: dict[str, list] = {t: [] for t in DOC_TABLES}
    errors = []
    outputs = []
    for item, doc in zip(items, nlp.pipe((i.text for i in items), batch_size=batch_size)):
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


class Items(Sequence):
    """The documents to parse as a lazy sequence of `Item`: ids, texts and dates are
    read from the staged documents file (`stage_documents`) one row group at a time,
    so the corpus text is never held in memory while parsing.

    ``positions`` are row numbers of that file, in the order to parse them.
    """

    def __init__(self, path: str | Path, positions: Sequence[int] = ()):
        self.path = Path(path)
        self._pos = [int(p) for p in positions]
        self._rows: _Rows | None = None

    def __len__(self) -> int:
        return len(self._pos)

    def _row(self, i: int) -> Item:
        if self._rows is None:
            import pyarrow.parquet as pq

            self._rows = _Rows(pq.ParquetFile(self.path), columns=["doc_id", "text", "published"])
        r = self._rows.row(i)
        return Item(r["doc_id"], r["text"], None if r["published"] is None else r["published"].date())

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self._row(p) for p in self._pos[i]]
        return self._row(self._pos[i])


class _Rows:
    """Rows of a Parquet file by number, decoding one row group at a time (rows are asked for in order)."""

    def __init__(self, file, columns: list[str] | None = None):
        meta = file.metadata
        self._file, self._columns = file, columns
        self._starts = list(np.cumsum([0] + [meta.row_group(g).num_rows for g in range(meta.num_row_groups)]))
        self._group: tuple[int, list[dict]] | None = None

    def row(self, i: int) -> dict:
        import bisect

        g = bisect.bisect_right(self._starts, i) - 1
        if self._group is None or self._group[0] != g:
            self._group = (g, self._file.read_row_group(g, columns=self._columns).to_pylist())
        return self._group[1][i - self._starts[g]]


def _batches(items: Sequence[Item], size: int) -> Iterator[list[Item]]:
    """Consecutive batches of ``size`` items, materialised one at a time."""
    size = max(1, size)
    for i in range(0, len(items), size):
        yield list(items[i : i + size])


def _run_local(
    items: list[Item], *, model, n_process: int, batch_docs: int, progress: bool, sentiment_method: str | None = None
) -> Iterator[dict]:
    """`process_batch` results, in this process or ``n_process`` spawned workers (completion order)."""
    if n_process > 1:  # at least four batches per worker, so no worker idles at the end
        batch_docs = max(1, min(batch_docs, -(-len(items) // (4 * n_process))))
    batches = _batches(items, batch_docs)
    single = n_process <= 1 or len(items) <= batch_docs
    bar = None
    if progress and items:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(items), unit="doc", desc="parsing", disable=None)
    try:
        if single:
            for b in batches:
                yield process_batch(b, model, sentiment_method=sentiment_method)
                if bar:
                    bar.update(len(b))
        else:
            ctx = get_context("spawn")  # a clean interpreter per worker: safe with any threads here
            with ProcessPoolExecutor(max_workers=n_process, mp_context=ctx) as pool:
                # a bounded number of batches in flight keeps results from piling up in memory
                todo = batches
                pending = {}
                with _one_blas_thread():  # the workers are spawned by these first submissions
                    for b in todo:
                        pending[pool.submit(process_batch, b, model, sentiment_method=sentiment_method)] = len(b)
                        if len(pending) >= 2 * n_process:
                            break
                while pending:
                    done, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for fut in done:
                        n = pending.pop(fut)
                        yield fut.result()
                        if bar:
                            bar.update(n)
                        nxt = next(todo, None)
                        if nxt is not None:
                            pending[pool.submit(process_batch, nxt, model, sentiment_method=sentiment_method)] = len(nxt)
    finally:
        if bar:
            bar.close()


@contextmanager
def _one_blas_thread():
    """Worker processes started inside get one BLAS/OpenMP thread each: the sentiment MiniLM's matrix
    products in n workers with a thread per core each would oversubscribe the cores (measured: two
    processes took 8.5 s instead of 5.2 s for the same sentences). Dask's nanny does the same for its workers."""
    names = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
    saved = {n: os.environ.get(n) for n in names}
    os.environ.update({n: "1" for n in names})
    try:
        yield
    finally:
        for n, v in saved.items():
            if v is None:
                os.environ.pop(n, None)
            else:
                os.environ[n] = v


def _read_manifest(out: Path) -> dict:
    try:
        return json.loads((out / MANIFEST).read_text())
    except (OSError, ValueError):
        return {}


def _read_index(out: Path, manifest: dict, model: str, sentiment_method: str) -> pd.DataFrame | None:
    """The previous build's document -> part index, when it was built by this pipeline version, model and
    sentiment method."""
    if (
        manifest.get("pipeline_version") != config.PIPELINE_VERSION
        or manifest.get("extractors") != config.extractor_fingerprint()
        or manifest.get("model") != model
        or manifest.get("sentiment") != sentiment_method
    ):
        return None
    try:
        index = pd.read_parquet(out / RAW_DIR / INDEX)
    except (OSError, ValueError):
        return None
    parts = {p.stem for p in (out / RAW_DIR / DOC_TABLES[0]).glob("*.parquet")}
    return index[index["part"].isin(parts)]


class PartStore:
    """Per-batch part files ``_raw/<table>/<part>.parquet``, with a small read cache."""

    def __init__(self, out: Path):
        self.root = Path(out) / RAW_DIR
        self._cache: OrderedDict[tuple[str, str], pd.DataFrame] = OrderedDict()
        self._tag = f"{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:6]}"
        self._n = 0

    def write(self, frames: dict[str, pd.DataFrame]) -> str:
        """Write one batch's tables; returns the part name."""
        part = f"{self._tag}-{self._n:05d}"
        self._n += 1
        for t in DOC_TABLES:
            d = self.root / t
            d.mkdir(parents=True, exist_ok=True)
            tmp = d / f".{part}.tmp"
            frames[t].to_parquet(tmp, index=False)
            os.replace(tmp, d / f"{part}.parquet")
        return part

    def read(self, part: str, table: str) -> pd.DataFrame:
        key = (part, table)
        if key not in self._cache:
            self._cache[key] = pd.read_parquet(self.root / table / f"{part}.parquet")
            while len(self._cache) > 4:
                self._cache.popitem(last=False)
        return self._cache[key]

    def collect_garbage(self, keep: set[str]) -> None:
        """Delete part files no document points to any more, and the pre-streaming layout."""
        for t in DOC_TABLES:
            for p in (self.root / t).glob("*.parquet"):
                if p.stem not in keep:
                    p.unlink(missing_ok=True)
            (self.root / f"{t}.parquet").unlink(missing_ok=True)
        (self.root / "documents.parquet").unlink(missing_ok=True)


def _runs(doc_ids: Sequence[str], location: dict[str, str]) -> list[tuple[str, list[str]]]:
    """Consecutive documents (in corpus order) stored in the same part: (part, doc_ids)."""
    runs: list[tuple[str, list[str]]] = []
    for d in doc_ids:
        part = location.get(d)
        if part is None:
            continue
        if runs and runs[-1][0] == part:
            runs[-1][1].append(d)
        else:
            runs.append((part, [d]))
    return runs


def _ordered(df: pd.DataFrame, order: dict[str, int]) -> pd.DataFrame:
    """Rows in corpus document order, then by sentence and offset (stable within ties)."""
    keys = ["sent_id", "start_char"] if "start_char" in df else ["sent_id"]
    if len(df) < 2:
        return df.reset_index(drop=True)
    # a document's rank through its few distinct ids, not a dict look-up per row
    codes, uniques = pd.factorize(df["doc_id"])
    rank = np.array([order[d] for d in uniques], dtype=np.int64)[codes]
    cols = [rank] + [df[k].to_numpy() for k in keys]
    # lexsort sorts by the last key first; it is stable, so ties keep their stored order
    idx = np.lexsort(cols[::-1])
    if (idx[1:] > idx[:-1]).all():  # already in order, as batches are written
        return df.reset_index(drop=True)
    return df.take(idx).reset_index(drop=True)


#: the name column that travels with each id column
NAME_OF = {"entity_id": "canonical_name", "speaker_id": "speaker_name", "actor_id": "actor_name", "target_id": "target_name"}


def _apply_ids(table: str, df: pd.DataFrame, id_map: dict[str, str], names: dict[str, str] | None = None) -> pd.DataFrame:
    """Replace merged entity ids (and the names beside them) with their canonical ones."""
    if not id_map or table not in ID_COLUMNS or not len(df):
        return df
    hits = {c: df[c].isin(id_map.keys()) for c in ID_COLUMNS[table]}
    if not any(m.any() for m in hits.values()):
        return df
    df = df.copy()
    for c, merged in hits.items():
        if not merged.any():
            continue
        df.loc[merged, c] = df.loc[merged, c].map(id_map)
        name_col = NAME_OF.get(c)
        if names and name_col in df.columns:
            df.loc[merged, name_col] = df.loc[merged, c].map(names).fillna(df.loc[merged, name_col])
    return df


def _read_run(store: PartStore, table: str, part: str, docs: list[str], order: dict[str, int]) -> pd.DataFrame:
    df = store.read(part, table)
    if len(df) and not df["doc_id"].isin(docs).all():
        df = df[df["doc_id"].isin(docs)]
    return _ordered(df, order)


@dataclass
class BuildReport:
    """What a build did, for the CLI and the manifest."""

    n_documents: int = 0
    n_ok: int = 0
    n_parsed: int = 0
    n_reused: int = 0
    n_words_parsed: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)
    #: wall seconds per stage: read (files -> documents), parse (parse + extract, parts written),
    #: corpus (corpus-wide tables and final Parquet writes)
    timings: dict[str, float] = field(default_factory=dict)
    #: peak resident memory of this process (MB) at the end of each stage (Linux/macOS; empty elsewhere)
    peak_rss_mb: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        return (
            f"{self.n_documents} documents ({self.n_ok} ok, {self.n_documents - self.n_ok} with errors); "
            f"parsed {self.n_parsed}, reused {self.n_reused} from cache; {self.seconds:.1f} s"
        )


def _entity_merge(stats) -> tuple[dict[str, str], dict[str, str], pd.DataFrame]:
    """Cross-document id map, canonical names of the kept ids, and the entities table, from `entities.MentionStats`."""
    from ukraine_briefs.extract import entities

    id_map = entities.corpus_id_map(stats)
    ents = conform(entities.entities_frame(stats.merged(id_map) if id_map else stats), "entities")
    # a merged id takes the entity's canonical name in every table (not the spelling of its old id)
    targets = set(id_map.values())
    names = {e: n for e, n in zip(ents["entity_id"], ents["canonical_name"]) if e in targets}
    return id_map, names, ents


def _merged_mentions(df: pd.DataFrame, id_map: dict[str, str], names: dict[str, str]) -> pd.DataFrame:
    """Mentions with merged ids, and the kept entities' canonical names on all their rows."""
    df = _apply_ids("mentions", df, id_map)
    if names and len(df):
        merged = df["entity_id"].isin(names.keys())
        if merged.any():
            df = df.copy()  # never write into a frame the part store's cache holds
            df.loc[merged, "canonical_name"] = df.loc[merged, "entity_id"].map(names)
    return df


def _corpus_wide(mentions: pd.DataFrame):
    """id map, names of merged ids, merged mentions, entities and co-occurrence from all per-document mentions."""
    from ukraine_briefs.extract import entities
    from ukraine_briefs.tables import cooccurrence

    id_map, names, ents = _entity_merge(entities.MentionStats.of(mentions))
    # parts hold conformed rows and _apply_ids keeps dtypes: validate, without the copy conform makes
    mentions = validate(_merged_mentions(mentions, id_map, names), "mentions")
    cooc = conform(cooccurrence.cooccurrence_frame(mentions), "cooccurrence")
    return id_map, names, mentions, ents, cooc


def _with_counts(documents: pd.DataFrame, counts: pd.Series) -> pd.DataFrame:
    docs = documents.copy()
    docs["n_sentences"] = docs["doc_id"].map(counts).fillna(0).astype("int64")
    return conform(docs, "documents")


def finalize(documents: pd.DataFrame, raw: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Corpus-wide step in memory: merge entity ids across documents, then build entities and co-occurrence.

    `build` does the same while streaming (`write_tables`); this in-memory form is
    kept for small corpora, tests and engines that hold all rows anyway.
    """
    id_map, names, mentions, ents, cooc = _corpus_wide(raw["mentions"])
    tables = {t: conform(_apply_ids(t, raw[t], id_map, names), t) for t in STREAMED}
    tables.update(mentions=mentions, entities=ents, cooccurrence=cooc)
    tables["documents"] = _with_counts(documents, tables["sentences"].groupby("doc_id").size())
    for t in config.TABLES:
        validate(tables[t], t)
    return {t: tables[t] for t in config.TABLES}


class _TableWriter:
    """Append DataFrame chunks to ``<table>.parquet`` (written to a temp file, renamed on close)."""

    def __init__(self, path: Path, table: str):
        import pyarrow as pa

        self.path, self.table = path, table
        self.tmp = path.with_name(f".{path.name}.tmp")
        self.schema = pa.Schema.from_pandas(conform(empty_frame(table), table), preserve_index=False)
        self.writer = None
        self.buf: list[pd.DataFrame] = []
        self.n = self.total = 0

    def add(self, df: pd.DataFrame) -> None:
        if len(df):
            self.buf.append(df)
            self.n += len(df)
            self.total += len(df)
        if self.n >= ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self.writer is None:
            self.writer = pq.ParquetWriter(self.tmp, self.schema)
        if self.buf:
            df = conform(pd.concat(self.buf, ignore_index=True), self.table)
            validate(df, self.table)
            self.writer.write_table(pa.Table.from_pandas(df, schema=self.schema, preserve_index=False))
        self.buf, self.n = [], 0

    def close(self) -> None:
        self._flush()
        self.writer.close()
        os.replace(self.tmp, self.path)


def write_tables(
    out: Path, documents: pd.DataFrame, location: dict[str, str], store: PartStore, staged: Path | None = None
) -> dict[str, int]:
    """Stream the eight final tables into ``out`` from the part files; returns row counts.

    ``staged`` is the `stage_documents` file the texts come from, row for row with
    ``documents`` (then without its text column); None when ``documents`` holds them.

    Documents are visited in corpus order, a run of consecutive documents of one
    part at a time, so the result equals `finalize` over all rows in memory.
    """
    from ukraine_briefs.extract import entities
    from ukraine_briefs.tables import cooccurrence

    doc_ids = list(documents["doc_id"])
    order = {d: i for i, d in enumerate(doc_ids)}
    runs = _runs(doc_ids, location)
    rows = {}
    # the mentions are read twice, a part at a time, and never held whole: first for the
    # per-entity aggregates the id merge and the entities table need, then to write them
    # with merged ids and to count co-occurrences
    stats = entities.MentionStats()
    buf: list[pd.DataFrame] = []
    n_docs = 0
    for i, (part, docs) in enumerate(runs):
        buf.append(_read_run(store, "mentions", part, docs, order))
        n_docs += len(docs)
        if n_docs >= COOC_DOCS or i == len(runs) - 1:
            stats.add(pd.concat(buf, ignore_index=True))
            buf, n_docs = [], 0
    id_map, names, ents = _entity_merge(stats)
    del stats
    _write_whole(out, "entities", ents)
    rows["entities"] = len(ents)
    del ents
    cooc = cooccurrence.Cooccurrence()
    w = _TableWriter(out / "mentions.parquet", "mentions")
    for i, (part, docs) in enumerate(runs):
        chunk = _merged_mentions(_read_run(store, "mentions", part, docs, order), id_map, names)
        w.add(chunk)
        buf.append(chunk)
        n_docs += len(docs)
        if n_docs >= COOC_DOCS or i == len(runs) - 1:
            cooc.add(pd.concat(buf, ignore_index=True))
            buf, n_docs = [], 0
    w.close()
    rows["mentions"] = w.total
    cooc = cooc.frame()
    _write_whole(out, "cooccurrence", cooc)
    rows["cooccurrence"] = len(cooc)
    del cooc, buf
    release_memory()
    counts: pd.Series | None = None
    for t in STREAMED:
        w = _TableWriter(out / f"{t}.parquet", t)
        sizes = []
        for part, docs in runs:
            chunk = _apply_ids(t, _read_run(store, t, part, docs, order), id_map, names)
            if t == "sentences":
                sizes.append(chunk.groupby("doc_id").size())
            w.add(chunk)
        w.close()
        rows[t] = w.total
        if t == "sentences":
            counts = pd.concat(sizes) if sizes else pd.Series(dtype="int64")
    if staged is None:
        docs = _with_counts(documents, counts)
        _write_whole(out, "documents", docs)
        rows["documents"] = len(docs)
        return rows
    import pyarrow.parquet as pq

    w = _TableWriter(out / "documents.parquet", "documents")
    f = pq.ParquetFile(staged)
    lo = 0
    for g in range(f.num_row_groups):
        chunk = f.read_row_group(g).to_pandas().drop(columns=list(CACHE_COLUMNS))
        hi = lo + len(chunk)
        chunk["status"] = documents["status"].iloc[lo:hi].to_numpy()  # failed extractions are marked here
        w.add(_with_counts(chunk, counts))
        lo = hi
    w.close()
    rows["documents"] = w.total
    return rows


def _write_whole(out: Path, table: str, df: pd.DataFrame) -> None:
    validate(df, table)
    tmp = out / f".{table}.parquet.tmp"
    df.to_parquet(tmp, index=False)
    os.replace(tmp, out / f"{table}.parquet")


def release_memory() -> None:
    """Hand memory freed so far back to the operating system.

    Reading and cleaning thousands of texts, and receiving batch results, leave
    freed blocks in the allocators (glibc ``malloc`` arenas, Arrow's mimalloc
    pool), which keep them and so let the process size follow the corpus size;
    a trim between stages keeps it at the working set (about 40 MB less at 3,000
    articles).
    """
    try:
        import pyarrow as pa

        pa.default_memory_pool().release_unused()
    except Exception:  # an Arrow build without the call: nothing to release
        pass
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL("libc.so.6").malloc_trim(0)
        except (OSError, AttributeError):  # not glibc (musl): no trim
            pass


#: The documents of the last build as read, with their text and read key: the texts
#: the parse takes and the read cache of the next build (``_raw/documents_read.parquet``).
READ_CACHE = "documents_read.parquet"
#: The read cache of builds before the documents were staged (deleted when seen).
LEGACY_READ_CACHE = "read_cache.parquet"
#: Documents per row group of that file (what the build holds of the corpus text at a time).
STAGE_ROWS = 1000
#: Cache columns beside the documents table's: `corpus.read_key`, and the doc_id as read
#: (before a duplicate id is renamed).
CACHE_COLUMNS = ("read_key", "read_doc_id")


def stage_documents(records: Iterable, path: Path, chunk: int = STAGE_ROWS) -> pd.DataFrame:
    """Write documents to ``path`` (Parquet, ``chunk`` per row group); return the table without its text.

    ``records`` yields `Document` records or (Document, cache entry) pairs from
    `corpus.read_corpus_keyed`. Only the columns without text stay in memory, so
    reading 10,000 articles holds 1,000 texts at a time.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    tmp = path.with_name(f".{path.name}.tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    writer, schema, metas, buf, entries = None, None, [], [], []

    def flush():
        nonlocal writer, schema
        df = conform(to_frame("documents", buf), "documents")
        for n, c in enumerate(CACHE_COLUMNS):
            df[c] = pd.Series([e[n] if e else None for e in entries], dtype="str")
        table = pa.Table.from_pandas(df, preserve_index=False)
        if writer is None:
            schema = table.schema
            writer = pq.ParquetWriter(tmp, schema)
        writer.write_table(table.cast(schema))
        metas.append(df.drop(columns=["text", *CACHE_COLUMNS]))
        buf.clear()
        entries.clear()

    try:
        for r in records:
            doc, entry = r if isinstance(r, tuple) else (r, None)
            buf.append(doc)
            entries.append(entry)
            if len(buf) >= chunk:
                flush()
                release_memory()
        if buf or writer is None:
            flush()
        writer.close()
    except BaseException:
        if writer is not None:
            writer.close()
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, path)
    meta = metas[0] if len(metas) == 1 else pd.concat(metas, ignore_index=True)
    metas.clear()  # the chunks (concat copied them)
    release_memory()
    return meta


class _ReadCache:
    """`corpus.read_corpus`'s cache (read key -> Document) over the previous build's staged
    documents: a rebuild reads and cleans only the files that changed.

    Only the keys are held; a hit decodes its row group of the file (documents are
    read in the same order each build, so each group once). It is read-only: the
    build stages every document it reads with its key, and that file is the next cache.
    """

    def __init__(self, path: Path):
        import pyarrow.parquet as pq

        self._keys: dict[str, int] = {}
        try:
            f = pq.ParquetFile(path)
            names = set(f.schema_arrow.names)
            if not set(columns("documents")) | set(CACHE_COLUMNS) <= names:
                return
            keys = f.read(columns=["read_key"]).column(0).to_pylist()
        except Exception:  # missing, truncated or foreign: no cache, every file is read
            return
        self._keys = {k: i for i, k in enumerate(keys) if k is not None}
        self._rows = _Rows(f)

    def get(self, key, default=None):
        i = self._keys.get(key)
        if i is None:
            return default
        rec = dict(self._rows.row(i))
        rec["doc_id"] = rec.pop("read_doc_id") or rec["doc_id"]
        pub = rec["published"]
        rec["published"] = None if pub is None else pub.date()
        return Document(**{c: rec[c] for c in columns("documents")})


def _mark_rss(report: BuildReport, stage: str) -> None:
    try:
        import resource
    except ImportError:  # Windows
        return
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    report.peak_rss_mb[stage] = round(kb / (2**20 if sys.platform == "darwin" else 2**10), 1)


def _digest(documents: pd.DataFrame) -> str:
    """Hash of every documents row as read (text, metadata, status)."""
    import hashlib

    # content_hash stands for the text (hashing the text column would copy every article into objects)
    h = pd.util.hash_pandas_object(documents.drop(columns=["n_sentences", "text"], errors="ignore"), index=False)
    return hashlib.sha1(h.to_numpy().tobytes()).hexdigest()


def _problems(documents: pd.DataFrame) -> list[str]:
    return [f"{r.path}: {r.status}" for r in documents.itertuples() if r.status != "ok"] + [
        f"{r.path}: {r.notes}" for r in documents.itertuples() if isinstance(r.notes, str) and r.notes
    ]


def build(
    source: str | Path | Iterable[Document],
    out: str | Path,
    *,
    model: str | None = None,
    n_process: int = 1,
    batch_docs: int = 64,
    progress: bool = True,
    engine: str = "local",
    scheduler: str | None = None,
    sentiment: str | None = None,
) -> BuildReport:
    """Build (or incrementally rebuild) every table for a corpus into ``out``.

    Args:
        source: a corpus directory or file (see `corpus.read_corpus`), or Document records.
        out: directory for ``<table>.parquet``; a previous build there is reused for
            documents whose content hash is unchanged.
        n_process: worker processes for parsing and extraction (local engine).
        batch_docs: documents per task (and per part file under ``_raw/``).
        engine: ``"local"`` or ``"dask"`` (``scheduler`` = a Dask scheduler address;
            None starts a local cluster; see `dask_engine.run`).
        sentiment: ``"accurate"`` (default; ``UKRAINE_BRIEFS_SENTIMENT`` overrides) or
            ``"fast"``, see `sentiment.METHODS`; part of the cache key.
    """
    from ukraine_briefs.extract.sentiment import check_method
    from ukraine_briefs.ingest.corpus import read_corpus_keyed

    t0 = time.perf_counter()
    model = model or config.model_name()
    sentiment = check_method(sentiment)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    staged = out / RAW_DIR / READ_CACHE
    if isinstance(source, (str, Path)):
        source = read_corpus_keyed(source, cache=_ReadCache(staged))
    # the texts go to disk as they are read; what stays here is the documents table without them
    documents = stage_documents(source, staged)
    (out / RAW_DIR / LEGACY_READ_CACHE).unlink(missing_ok=True)
    report = BuildReport(n_documents=len(documents))
    report.timings["read"] = round(time.perf_counter() - t0, 3)
    _mark_rss(report, "read")
    ok = documents.loc[documents["status"] == "ok", ["doc_id", "content_hash", "n_words"]]
    report.n_ok = len(ok)

    manifest = _read_manifest(out)
    index = _read_index(out, manifest, model, sentiment)
    location: dict[str, str] = {}
    if index is not None and len(index):
        merged = ok[["doc_id", "content_hash"]].merge(index, on=["doc_id", "content_hash"])
        location = dict(zip(merged["doc_id"], merged["part"]))
    todo = ok[~ok["doc_id"].isin(location)]
    items = Items(staged, documents.index.get_indexer(todo.index))
    report.n_parsed, report.n_reused = len(items), len(location)
    report.n_words_parsed = int(todo["n_words"].sum()) if len(todo) else 0
    del todo

    if engine == "dask":
        from ukraine_briefs.build import dask_engine

        results = dask_engine.run(
            items, model=model, scheduler=scheduler, batch_docs=batch_docs, sentiment_method=sentiment
        )
    elif engine == "local":
        results = _run_local(
            items, model=model, n_process=n_process, batch_docs=batch_docs, progress=progress, sentiment_method=sentiment
        )
    else:
        raise ValueError(f"unknown engine {engine!r} (local or dask)")

    digest = _digest(documents)
    if not items and manifest.get("documents_digest") == digest and all(
        (out / f"{t}.parquet").exists() for t in config.TABLES
    ):
        # nothing changed since the last build: its tables stand as they are
        report.seconds = time.perf_counter() - t0
        report.problems = _problems(documents)
        return report

    # each batch goes to disk as soon as it is done: nothing accumulates here
    store = PartStore(out)
    failed: dict[str, str] = {}
    for n, res in enumerate(results, start=1):
        part = store.write(res)
        errs = dict(zip(res["errors"]["doc_id"], res["errors"]["message"]))
        failed.update(errs)
        location.update((d, part) for d in res["batch"]["doc_id"] if d not in errs)
        del res
        if n % 8 == 0:
            release_memory()
    del items, results
    t1 = time.perf_counter()
    report.timings["parse"] = round(t1 - t0 - report.timings["read"], 3)
    _mark_rss(report, "parse")
    if failed:
        bad = documents["doc_id"].isin(failed)
        documents.loc[bad, "status"] = documents.loc[bad, "doc_id"].map(failed)

    release_memory()
    rows = write_tables(out, documents, location, store, staged)
    report.timings["corpus"] = round(time.perf_counter() - t1, 3)
    _mark_rss(report, "corpus")
    # only documents whose rows are stored count as cached: failed ones are retried next build
    stored = documents[documents["doc_id"].isin(location)]
    index = pd.DataFrame(
        {"doc_id": stored["doc_id"], "content_hash": stored["content_hash"], "part": stored["doc_id"].map(location)}
    )
    tmp = out / RAW_DIR / f".{INDEX}.tmp"
    tmp.parent.mkdir(parents=True, exist_ok=True)
    index.to_parquet(tmp, index=False)
    os.replace(tmp, out / RAW_DIR / INDEX)
    store.collect_garbage(set(index["part"]))

    report.problems = _problems(documents)
    report.n_ok = int((documents["status"] == "ok").sum())
    report.seconds = time.perf_counter() - t0
    (out / MANIFEST).write_text(
        json.dumps(
            {
                "pipeline_version": config.PIPELINE_VERSION,
                "extractors": config.extractor_fingerprint(),
                "model": model,
                "sentiment": sentiment,
                "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                "source": str(source) if isinstance(source, (str, Path)) else None,
                "engine": engine,
                "n_documents": report.n_documents,
                "n_parsed": report.n_parsed,
                "n_reused": report.n_reused,
                "seconds": round(report.seconds, 3),
                "timings": report.timings,
                "rows": {t: int(rows[t]) for t in config.TABLES},
                # every document row as read (text, metadata, status): equal digest = nothing to do
                "documents_digest": digest if not failed else None,
            },
            indent=2,
        )
    )
    return report
