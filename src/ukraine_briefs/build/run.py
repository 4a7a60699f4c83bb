"""`build`: a corpus -> the eight contract tables in a directory, incrementally.

The stages, each in its own module: read and stage the documents (`store`),
parse and extract the changed ones in batches (`batch`, run by `engines` or
`dask_engine`), write each batch's rows as parts (`store.PartStore`), then the
corpus-wide id merge streams the final tables (`merge.write_tables`) into a
staging folder, from which they are moved into place together (`store.publish`);
the manifest is written last. Rows of unchanged documents are reused from the
previous build in the same directory. One build at a time writes to a directory
(`lock.build_lock`); a second is refused with `lock.BuildLockedError`.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import resource
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pandas as pd

from ukraine_briefs import config
from ukraine_briefs.build import dask_engine
from ukraine_briefs.build.engines import release_memory, run_local, start_pool
from ukraine_briefs.build.lock import build_lock
from ukraine_briefs.build.merge import write_tables
from ukraine_briefs.build.store import (
    LEGACY_READ_CACHE,
    PROVENANCE_MEMO,
    RAW_DIR,
    READ_CACHE,
    Items,
    PartStore,
    ReadCache,
    clear_leftovers,
    corpus_digest,
    publish,
    read_index,
    read_manifest,
    stage_documents,
    staging_dir,
    write_index,
    write_manifest,
)
from ukraine_briefs.extract.sentiment import check_method
from ukraine_briefs.extract.stories.memo import Memo
from ukraine_briefs.ingest.corpus import read_corpus_keyed
from ukraine_briefs.types import Document


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
    #: peak resident memory of this process (MB) at the end of each stage
    peak_rss_mb: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        return (
            f"{self.n_documents} documents ({self.n_ok} ok, {self.n_documents - self.n_ok} with errors); "
            f"parsed {self.n_parsed}, reused {self.n_reused} from cache; {self.seconds:.1f} s"
        )


def _mark_rss(report: BuildReport, stage: str) -> None:
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    report.peak_rss_mb[stage] = round(kb / (2**20 if sys.platform == "darwin" else 2**10), 1)


def _digest(documents: pd.DataFrame) -> str:
    """Hash of every documents row as read (text, metadata, status)."""
    # content_hash stands for the text (hashing the text column would copy every article into objects)
    h = pd.util.hash_pandas_object(documents.drop(columns=["n_sentences", "text"], errors="ignore"), index=False)
    return hashlib.sha1(h.to_numpy().tobytes()).hexdigest()


#: Worker processes by default: at most this many, ...
MAX_PROCESSES = 8
#: ... and one per this many documents to parse (a worker takes seconds to load spaCy and the MiniLM)
DOCS_PER_PROCESS = 48


def default_n_process(n_items: int) -> int:
    """Worker processes for ``n_items`` documents to parse: one per core this process may run on,
    at most `MAX_PROCESSES` and one per `DOCS_PER_PROCESS` documents (so a small rebuild stays in this process)."""
    return max(1, min(_cores(), MAX_PROCESSES, n_items // DOCS_PER_PROCESS))


def _cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # no affinity call (macOS)
        return os.cpu_count() or 1


def _problems(documents: pd.DataFrame) -> list[str]:
    return [f"{r.path}: {r.status}" for r in documents.itertuples() if r.status != "ok"] + [
        f"{r.path}: {r.notes}" for r in documents.itertuples() if isinstance(r.notes, str) and r.notes
    ]


def build(
    source: str | Path | Iterable[Document],
    out: str | Path,
    *,
    model: str | None = None,
    n_process: int | None = None,
    batch_docs: int = 64,
    progress: bool = True,
    engine: str = "local",
    scheduler: str | None = None,
    sentiment: str | None = None,
    locked: bool = False,
) -> BuildReport:
    """Build (or incrementally rebuild) every table for a corpus into ``out``.

    Args:
        source: a corpus directory or file (see `corpus.read_corpus`), or Document records.
        out: directory for ``<table>.parquet``; a previous build there is reused for
            documents whose content hash is unchanged.
        n_process: worker processes for parsing and extraction (local engine); None: `default_n_process`.
        batch_docs: documents per task (and per part file under ``_raw/``).
        engine: ``"local"`` or ``"dask"`` (``scheduler`` = a Dask scheduler address;
            None starts a local cluster; see `dask_engine.run`).
        sentiment: ``"accurate"`` (default; ``UKRAINE_BRIEFS_SENTIMENT`` overrides) or
            ``"fast"``, see `sentiment.METHODS`; part of the cache key.
        locked: the caller holds ``out``'s `lock.build_lock` already (the CLI takes it
            before importing this module, so a refused build does not wait for spaCy).

    Raises:
        lock.BuildLockedError: another build is writing to ``out`` (an `OSError`).
    """
    t0 = time.perf_counter()
    model = model or config.model_name()
    sentiment = check_method(sentiment)
    out = Path(out)
    with contextlib.nullcontext() if locked else build_lock(out):
        clear_leftovers(out)  # of a build that failed or was killed here
        return _build_locked(
            source, out, t0=t0, model=model, n_process=n_process, batch_docs=batch_docs, progress=progress,
            engine=engine, scheduler=scheduler, sentiment=sentiment,
        )


def _build_locked(source, out: Path, *, t0, model, n_process, batch_docs, progress, engine, scheduler, sentiment):
    """`build`, under ``out``'s lock."""
    staged = out / RAW_DIR / READ_CACHE
    corpus_path = str(source) if isinstance(source, (str, Path)) else None  # for the manifest
    if corpus_path is not None:
        source = read_corpus_keyed(source, cache=ReadCache(staged))
    manifest = read_manifest(out)
    index = read_index(out, manifest, model, sentiment)
    early = _EarlyWorkers(index, engine, n_process, batch_docs, model, sentiment)
    try:
        # the texts go to disk as they are read; what stays here is the documents table without them
        documents = stage_documents(early.watch(source), staged)
        return _build_read(documents, early, out, staged, corpus_path, manifest, index, t0=t0, model=model,
                           n_process=n_process, batch_docs=batch_docs, progress=progress, engine=engine,
                           scheduler=scheduler, sentiment=sentiment)
    finally:
        if early.pool is not None:
            early.pool.shutdown(wait=False, cancel_futures=True)


class _EarlyWorkers:
    """Starts the worker pool (`engines.start_pool`) while the corpus is still read, once enough documents
    not in the previous build's index have come to be sure the local engine will use that many
    workers: their model loading then overlaps the read. A rebuild with little to parse starts none.

    Only when a core is left for the reading process: on 2 cores, 2 workers loading their models
    beside the read made the read of 200 real articles 4 s slower and the parse no faster
    (cold build 76.7 s, without the early start 71.7 s, one process 120.4 s; load 1.0-1.9).
    """

    def __init__(self, index, engine, n_process, batch_docs, model, sentiment):
        self.known = set() if index is None else set(zip(index["doc_id"], index["content_hash"]))
        self.size = n_process if n_process is not None else default_n_process(10**9)
        # run_local parses in this process up to one batch; default_n_process wants DOCS_PER_PROCESS per worker
        self.needed = batch_docs + 1 if n_process is not None else DOCS_PER_PROCESS * self.size
        self.on = engine == "local" and 1 < self.size < _cores()
        self.args = (model, sentiment)
        self.pool = None

    def watch(self, source):
        new = 0
        for r in source:
            doc = r[0] if isinstance(r, tuple) else r
            if self.on and self.pool is None and doc.status == "ok" and (doc.doc_id, doc.content_hash) not in self.known:
                new += 1
                if new >= self.needed:
                    self.pool = start_pool(self.size, *self.args)
            yield r


def _build_read(documents, early, out, staged, corpus_path, manifest, index, *, t0, model, n_process, batch_docs,
                progress, engine, scheduler, sentiment):
    """`build` once the corpus is read and staged."""
    (out / RAW_DIR / LEGACY_READ_CACHE).unlink(missing_ok=True)
    report = BuildReport(n_documents=len(documents))
    report.timings["read"] = round(time.perf_counter() - t0, 3)
    _mark_rss(report, "read")
    ok = documents.loc[documents["status"] == "ok", ["doc_id", "content_hash", "n_words"]]
    report.n_ok = len(ok)

    location: dict[str, str] = {}
    if index is not None and len(index):
        merged = ok[["doc_id", "content_hash"]].merge(index, on=["doc_id", "content_hash"])
        location = dict(zip(merged["doc_id"], merged["part"]))
    todo = ok[~ok["doc_id"].isin(location)]
    items = Items(staged, documents.index.get_indexer(todo.index))
    report.n_parsed, report.n_reused = len(items), len(location)
    report.n_words_parsed = int(todo["n_words"].sum()) if len(todo) else 0
    hash_of = dict(zip(todo["doc_id"], documents.loc[todo.index, "content_hash"]))
    del todo

    if engine == "dask":
        results = dask_engine.run(
            items, model=model, scheduler=scheduler, batch_docs=batch_docs, sentiment_method=sentiment
        )
    elif engine == "local":
        if early.pool is not None:
            n_process = early.size
        elif n_process is None:
            n_process = default_n_process(len(items))
        results = run_local(
            items, model=model, n_process=n_process, batch_docs=batch_docs, progress=progress, sentiment_method=sentiment,
            pool=early.pool,
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

    # what the story step computed before, and what the workers compute of the documents parsed now
    memo = Memo.load(out / RAW_DIR / PROVENANCE_MEMO, config.extractor_fingerprint())
    # each batch goes to disk as soon as it is done: nothing accumulates here
    store = PartStore(out)
    failed: dict[str, str] = {}
    for n, res in enumerate(results, start=1):
        found = res.get("memo") or {}
        memo.docs.update((hash_of[d], f) for d, f in found.get("docs", {}).items() if d in hash_of)
        memo.quotes.update(found.get("quotes", {}))
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
    # all eight tables are written aside and moved in together: a build that fails or is
    # killed before then leaves the previous tables (and their manifest) as they were
    staging = staging_dir(out)
    try:
        rows = write_tables(staging, documents, location, store, staged, memo=memo,
                            memo_path=out / RAW_DIR / PROVENANCE_MEMO)
        publish(out, staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    report.timings["corpus"] = round(time.perf_counter() - t1, 3)
    _mark_rss(report, "corpus")
    store.collect_garbage(write_index(out, documents, location))

    report.problems = _problems(documents)
    report.n_ok = int((documents["status"] == "ok").sum())
    report.seconds = time.perf_counter() - t0
    write_manifest(out, {
        "pipeline_version": config.PIPELINE_VERSION,
        "extractors": config.extractor_fingerprint(),
        "model": model,
        "sentiment": sentiment,
        "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "source": corpus_path,
        # which documents, with which content, the tables were built from
        "corpus": {"path": corpus_path, "n_documents": report.n_documents, "digest": corpus_digest(documents)},
        "engine": engine,
        "n_documents": report.n_documents,
        "n_parsed": report.n_parsed,
        "n_reused": report.n_reused,
        "seconds": round(report.seconds, 3),
        "timings": report.timings,
        "rows": {t: int(rows[t]) for t in config.TABLES},
        # every document row as read (text, metadata, status): equal digest = nothing to do
        "documents_digest": digest if not failed else None,
    })
    return report
