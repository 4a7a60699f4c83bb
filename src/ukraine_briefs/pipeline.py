"""The build: documents -> spaCy Docs -> per-document tables -> corpus tables, cached as Parquet.

Per-document work (`extract_doc`, `process_batch`) is a pure function of the
document's text, id and date, so batches can run in this process, in worker
processes, or on a Dask cluster with identical results. Rows of unchanged
documents are reused from the previous build in the same directory (keyed by
content hash and ``PIPELINE_VERSION``); corpus-wide tables (entities,
co-occurrence, cross-document id merges) are recomputed from the mentions,
which is cheap.

Layout of a built directory::

    <dir>/<table>.parquet      the eight contract tables
    <dir>/_raw/<table>.parquet per-document rows before cross-document id merges
    <dir>/manifest.json        pipeline version, model, build figures
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Iterable, Sequence

import pandas as pd

from ukraine_briefs import config
from ukraine_briefs.types import Document, Sentence, conform, empty_frame, to_frame, validate

log = logging.getLogger(__name__)

#: Tables extracted document by document (the rest are corpus-wide).
DOC_TABLES = ("sentences", "mentions", "quotes", "dates", "threats")
RAW_DIR = "_raw"
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Item:
    """What per-document extraction needs: nothing else reaches a worker."""

    doc_id: str
    text: str
    published: dt.date | None


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def extract_doc(doc, *, doc_id: str, published: dt.date | None) -> dict[str, list]:
    """All per-document records of one parsed Doc, by table name."""
    from ukraine_briefs import dates, entities, quotes, sentiment, threats
    from ukraine_briefs.nlp import doc_index

    idx = doc_index(doc)
    mentions = list(entities.doc_mentions(doc, doc_id=doc_id))
    qs = list(quotes.doc_quotes(doc, doc_id=doc_id, mentions=mentions))
    for q, s in zip(qs, sentiment.scores([q.text for q in qs])):
        q.sentiment = float(s)
    ds = list(dates.doc_dates(doc, doc_id=doc_id, published=published))
    ts = list(threats.doc_threats(doc, doc_id=doc_id, mentions=mentions, quotes=qs))
    sents = []
    texts = [s.text.strip() for s in idx.sents]
    for i, (span, text, score) in enumerate(zip(idx.sents, texts, sentiment.scores(texts))):
        start = span.start_char + (len(span.text) - len(span.text.lstrip()))
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
                sentiment=float(score),
                in_quote=quoted * 2 >= max(1, end - start),
            )
        )
    return {"sentences": sents, "mentions": mentions, "quotes": qs, "dates": ds, "threats": ts}


def process_batch(items: Sequence[Item], model: str | None = None, batch_size: int = 16) -> dict[str, pd.DataFrame]:
    """Parse and extract a batch of documents; returns one DataFrame per per-document table.

    The model is loaded once per process through the cached `load_nlp` and never
    travels with the task. A document whose extraction fails gets an entry in the
    ``errors`` frame (doc_id, message) instead of stopping the batch.
    """
    from ukraine_briefs.nlp import load_nlp

    nlp = load_nlp(model)
    records: dict[str, list] = {t: [] for t in DOC_TABLES}
    errors = []
    for item, doc in zip(items, nlp.pipe((i.text for i in items), batch_size=batch_size)):
        try:
            out = extract_doc(doc, doc_id=item.doc_id, published=item.published)
        except Exception as exc:  # one bad document never loses the rest
            log.exception("%s: extraction failed", item.doc_id)
            errors.append({"doc_id": item.doc_id, "message": f"error: extraction failed ({type(exc).__name__}: {exc})"})
            continue
        for t in DOC_TABLES:
            records[t].extend(out[t])
    frames = {t: to_frame(t, records[t]) for t in DOC_TABLES}
    frames["errors"] = pd.DataFrame(errors, columns=["doc_id", "message"])
    return frames


def _batches(items: list[Item], size: int) -> list[list[Item]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _run_local(items: list[Item], *, model, n_process: int, batch_docs: int, progress: bool) -> Iterable[dict]:
    batches = _batches(items, batch_docs)
    bar = None
    if progress and items:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(items), unit="doc", desc="parsing", disable=None)
    try:
        if n_process <= 1 or len(batches) <= 1:
            for b in batches:
                yield process_batch(b, model)
                if bar:
                    bar.update(len(b))
        else:
            ctx = get_context("spawn")  # a clean interpreter per worker: safe with any threads here
            with ProcessPoolExecutor(max_workers=n_process, mp_context=ctx) as pool:
                futures = [pool.submit(process_batch, b, model) for b in batches]
                for b, fut in zip(batches, futures):
                    yield fut.result()
                    if bar:
                        bar.update(len(b))
    finally:
        if bar:
            bar.close()


def _read_manifest(out: Path) -> dict:
    try:
        return json.loads((out / MANIFEST).read_text())
    except (OSError, ValueError):
        return {}


def _read_raw(out: Path, manifest: dict, model: str) -> dict[str, pd.DataFrame] | None:
    if manifest.get("pipeline_version") != config.PIPELINE_VERSION or manifest.get("model") != model:
        return None
    try:
        return {t: pd.read_parquet(out / RAW_DIR / f"{t}.parquet") for t in DOC_TABLES + ("documents",)}
    except (OSError, ValueError):
        return None


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

    def summary(self) -> str:
        return (
            f"{self.n_documents} documents ({self.n_ok} ok, {self.n_documents - self.n_ok} with errors); "
            f"parsed {self.n_parsed}, reused {self.n_reused} from cache; {self.seconds:.1f} s"
        )


def finalize(documents: pd.DataFrame, raw: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Corpus-wide step: merge entity ids across documents, then build entities and co-occurrence."""
    from ukraine_briefs import cooccurrence, entities

    tables = {t: raw[t].copy() for t in DOC_TABLES}
    id_map = entities.corpus_id_map(tables["mentions"]) if len(tables["mentions"]) else {}
    if id_map:
        m = tables["mentions"]
        m["entity_id"] = m["entity_id"].map(lambda v: id_map.get(v, v))
        for table, cols in (("quotes", ["speaker_id"]), ("threats", ["actor_id", "target_id", "speaker_id"])):
            for c in cols:
                tables[table][c] = tables[table][c].map(lambda v: id_map.get(v, v) if isinstance(v, str) else v)
    tables["entities"] = conform(entities.entities_frame(tables["mentions"]), "entities")
    tables["cooccurrence"] = conform(cooccurrence.cooccurrence_frame(tables["mentions"]), "cooccurrence")
    counts = tables["sentences"].groupby("doc_id").size()
    docs = documents.copy()
    docs["n_sentences"] = docs["doc_id"].map(counts).fillna(0).astype("int64")
    tables["documents"] = conform(docs, "documents")
    for t in config.TABLES:
        tables[t] = conform(tables[t], t)
        validate(tables[t], t)
    return {t: tables[t] for t in config.TABLES}


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
) -> BuildReport:
    """Build (or incrementally rebuild) every table for a corpus into ``out``.

    Args:
        source: a corpus directory or file (see `corpus.read_corpus`), or Document records.
        out: directory for ``<table>.parquet``; a previous build there is reused for
            documents whose content hash is unchanged.
        n_process: worker processes for parsing and extraction (local engine).
        engine: ``"local"`` or ``"dask"`` (``scheduler`` = a Dask scheduler address;
            None starts a local cluster).
    """
    from ukraine_briefs.corpus import read_corpus

    t0 = time.perf_counter()
    model = model or config.model_name()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    docs_list = list(read_corpus(source) if isinstance(source, (str, Path)) else source)
    documents = to_frame("documents", docs_list)
    report = BuildReport(n_documents=len(documents))
    ok = documents[documents["status"] == "ok"]
    report.n_ok = len(ok)

    manifest = _read_manifest(out)
    previous = _read_raw(out, manifest, model)
    reuse_ids: set[str] = set()
    if previous is not None:
        old = previous["documents"][["doc_id", "content_hash"]]
        merged = ok[["doc_id", "content_hash"]].merge(old, on=["doc_id", "content_hash"])
        reuse_ids = set(merged["doc_id"])
    todo = ok[~ok["doc_id"].isin(reuse_ids)]
    items = [
        Item(r.doc_id, r.text, None if pd.isna(r.published) else r.published.date())
        for r in todo.itertuples(index=False)
    ]
    report.n_parsed, report.n_reused = len(items), len(reuse_ids)
    report.n_words_parsed = int(todo["n_words"].sum()) if len(todo) else 0

    if engine == "dask":
        from ukraine_briefs import dask_engine

        results = dask_engine.run(items, model=model, scheduler=scheduler, batch_docs=batch_docs)
    elif engine == "local":
        results = _run_local(items, model=model, n_process=n_process, batch_docs=batch_docs, progress=progress)
    else:
        raise ValueError(f"unknown engine {engine!r} (local or dask)")

    parts: dict[str, list[pd.DataFrame]] = {t: [] for t in DOC_TABLES}
    failed: dict[str, str] = {}
    if previous is not None and reuse_ids:
        for t in DOC_TABLES:
            parts[t].append(previous[t][previous[t]["doc_id"].isin(reuse_ids)])
    for res in results:
        for t in DOC_TABLES:
            parts[t].append(res[t])
        failed.update(zip(res["errors"]["doc_id"], res["errors"]["message"]))
    raw = {
        t: conform(pd.concat([p for p in parts[t] if len(p)], ignore_index=True), t)
        if any(len(p) for p in parts[t])
        else empty_frame(t)
        for t in DOC_TABLES
    }
    if failed:
        bad = documents["doc_id"].isin(failed)
        documents.loc[bad, "status"] = documents.loc[bad, "doc_id"].map(failed)
        for t in DOC_TABLES:
            raw[t] = raw[t][~raw[t]["doc_id"].isin(failed)].reset_index(drop=True)
    order = {d: i for i, d in enumerate(documents["doc_id"])}
    for t in DOC_TABLES:
        keys = ["doc_id", "sent_id", "start_char"] if "start_char" in raw[t] else ["doc_id", "sent_id"]
        raw[t] = (
            raw[t].assign(_o=raw[t]["doc_id"].map(order)).sort_values(["_o"] + keys[1:], kind="stable")
            .drop(columns="_o").reset_index(drop=True)
        )

    tables = finalize(documents, raw)
    (out / RAW_DIR).mkdir(exist_ok=True)
    for t in DOC_TABLES:
        raw[t].to_parquet(out / RAW_DIR / f"{t}.parquet", index=False)
    # only documents whose rows are stored count as cached: failed ones are retried next build
    extracted = documents[documents["status"] == "ok"][["doc_id", "content_hash"]]
    extracted.to_parquet(out / RAW_DIR / "documents.parquet", index=False)
    for t, df in tables.items():
        tmp = out / f".{t}.parquet.tmp"
        df.to_parquet(tmp, index=False)
        os.replace(tmp, out / f"{t}.parquet")

    report.problems = [
        f"{r.path}: {r.status}" for r in tables["documents"].itertuples() if r.status != "ok"
    ] + [f"{r.path}: {r.notes}" for r in tables["documents"].itertuples() if isinstance(r.notes, str) and r.notes]
    report.n_ok = int((tables["documents"]["status"] == "ok").sum())
    report.seconds = time.perf_counter() - t0
    (out / MANIFEST).write_text(
        json.dumps(
            {
                "pipeline_version": config.PIPELINE_VERSION,
                "model": model,
                "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                "source": str(source) if isinstance(source, (str, Path)) else None,
                "n_documents": report.n_documents,
                "n_parsed": report.n_parsed,
                "n_reused": report.n_reused,
                "seconds": round(report.seconds, 3),
                "rows": {t: int(len(df)) for t, df in tables.items()},
            },
            indent=2,
        )
    )
    return report


def read_tables(directory: str | Path, tables: Sequence[str] = config.TABLES) -> dict[str, pd.DataFrame]:
    """Read built tables from ``directory`` (no spaCy needed); a missing table raises naming it."""
    directory = Path(directory)
    out = {}
    for t in tables:
        p = directory / f"{t}.parquet"
        if not p.exists():
            raise FileNotFoundError(f"{p} not found: run `ukraine-briefs build CORPUS --out {directory}` first")
        out[t] = pd.read_parquet(p)
    return out
