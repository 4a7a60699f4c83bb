"""What a build keeps on disk: per-batch Parquet parts, the staged documents (the read cache), the index and manifest.

Each finished batch is written at once to its own part files and dropped from
memory; documents are staged on disk as they are read and parsed from there a
row group at a time, so memory stays flat as the corpus grows. The index and the
manifest let the next build in the same directory reuse the rows of unchanged
documents (keyed by content hash, `config.extractor_fingerprint`, model and
sentiment method).

Layout of a built directory::

    <dir>/<table>.parquet                 the eight contract tables: links to .current/<table>.parquet
    <dir>/.current                        link to the published generation .gen-<id>/ (switched in one rename)
    <dir>/.gen-<id>/                      a published set of tables (the current one and the one before)
    <dir>/_raw/<table>/<part>.parquet     per-batch rows before cross-document id merges
    <dir>/_raw/index.parquet              doc_id, content_hash, part: where each document's rows are
    <dir>/_raw/documents_read.parquet     documents as read and cleaned, with their read key (path, size,
                                          mtime, metadata row): the texts to parse, and the read cache
    <dir>/manifest.json                   pipeline version, model, corpus, build figures (written last)
    <dir>/.build.lock                     held by the build writing here (`lock.build_lock`)
    <dir>/.tables-<id>/                   the next tables while they are written (`publish` moves them in)

A build writes its eight tables into a fresh ``.tables-<id>/`` and publishes them
only once all are written (`publish`: one rename of the ``.current`` link), then
writes the manifest; so a build that fails or is killed before that leaves the
previous tables as they were, a reader never sees tables of two builds, and a
manifest stands only beside tables of one build.
"""
from __future__ import annotations

import bisect
import hashlib
import json
import os
import shutil
import time
import uuid
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ukraine_briefs import config
from ukraine_briefs.build.batch import DOC_TABLES, Item
from ukraine_briefs.build.engines import release_memory
from ukraine_briefs.types import Document, columns, conform, empty_frame, to_frame, validate

RAW_DIR = "_raw"
INDEX = "index.parquet"
MANIFEST = "manifest.json"
#: Rows buffered before a Parquet row group is written.
ROW_GROUP = 65_536
#: The documents of the last build as read, with their text and read key: the texts
#: the parse takes and the read cache of the next build (``_raw/documents_read.parquet``).
READ_CACHE = "documents_read.parquet"
#: The read cache of builds before the documents were staged (deleted when seen).
LEGACY_READ_CACHE = "read_cache.parquet"
#: Documents per row group of that file (what the build holds of the corpus text at a time).
STAGE_ROWS = 1000
#: Prefix of the folder the next tables are written into before `publish` moves them in.
STAGING_PREFIX = ".tables-"
#: Prefix of a published set of tables (a generation), and the link naming the current one:
#: ``<out>/<table>.parquet`` -> ``.current/<table>.parquet``, ``.current`` -> ``.gen-<id>``.
GENERATION_PREFIX = ".gen-"
CURRENT = ".current"
#: What the story step computed of each document and quote (`stories.memo.Memo`), for the next build.
PROVENANCE_MEMO = "provenance.memo"
#: Cache columns beside the documents table's: `corpus.read_key`, and the doc_id as read
#: (before a duplicate id is renamed).
CACHE_COLUMNS = ("read_key", "read_doc_id")


def read_manifest(out: Path) -> dict:
    try:
        return json.loads((out / MANIFEST).read_text())
    except (OSError, ValueError):
        return {}


def read_index(out: Path, manifest: dict, model: str, sentiment_method: str) -> pd.DataFrame | None:
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
            self._rows = _Rows(pq.ParquetFile(self.path), columns=["doc_id", "text", "published", "path", "format"])
        r = self._rows.row(i)
        return Item(r["doc_id"], r["text"], None if r["published"] is None else r["published"].date(), r["path"], r["format"])

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
        g = bisect.bisect_right(self._starts, i) - 1
        if self._group is None or self._group[0] != g:
            self._group = (g, self._file.read_row_group(g, columns=self._columns).to_pylist())
        return self._group[1][i - self._starts[g]]


class TableWriter:
    """Append DataFrame chunks to ``<table>.parquet`` (written to a temp file, renamed on close)."""

    def __init__(self, path: Path, table: str):
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


def write_frame(out: Path, table: str, df: pd.DataFrame) -> None:
    validate(df, table)
    tmp = out / f".{table}.parquet.tmp"
    df.to_parquet(tmp, index=False)
    os.replace(tmp, out / f"{table}.parquet")


def stage_documents(records: Iterable, path: Path, chunk: int = STAGE_ROWS) -> pd.DataFrame:
    """Write documents to ``path`` (Parquet, ``chunk`` per row group); return the table without its text.

    ``records`` yields `Document` records or (Document, cache entry) pairs from
    `corpus.read_corpus_keyed`. Only the columns without text stay in memory, so
    reading 10,000 articles holds 1,000 texts at a time.
    """
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


class ReadCache:
    """`corpus.read_corpus`'s cache (read key -> Document) over the previous build's staged
    documents: a rebuild reads and cleans only the files that changed.

    Only the keys are held; a hit decodes its row group of the file (documents are
    read in the same order each build, so each group once). It is read-only: the
    build stages every document it reads with its key, and that file is the next cache.
    """

    def __init__(self, path: Path):
        self._keys: dict[str, int] = {}
        try:
            f = pq.ParquetFile(path)
            names = set(f.schema_arrow.names)
            if not set(columns("documents")) | set(CACHE_COLUMNS) <= names:
                return
            keys = f.read(columns=["read_key"]).column(0).to_pylist()
        except (OSError, ValueError, pa.ArrowException):  # missing, truncated or foreign: no cache, every file is read
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


def write_index(out: Path, documents: pd.DataFrame, location: dict[str, str]) -> set[str]:
    """Write ``_raw/index.parquet`` (doc_id, content_hash, part); returns the parts it points to.

    Only documents whose rows are stored count as cached: failed ones are retried next build.
    """
    stored = documents[documents["doc_id"].isin(location)]
    index = pd.DataFrame(
        {"doc_id": stored["doc_id"], "content_hash": stored["content_hash"], "part": stored["doc_id"].map(location)}
    )
    tmp = out / RAW_DIR / f".{INDEX}.tmp"
    tmp.parent.mkdir(parents=True, exist_ok=True)
    index.to_parquet(tmp, index=False)
    os.replace(tmp, out / RAW_DIR / INDEX)
    return set(index["part"])


def write_manifest(out: Path, manifest: dict) -> None:
    """Write ``manifest.json`` (atomically): how the tables were made (`read_manifest` and `read_index` check it)."""
    tmp = out / f".{MANIFEST}.tmp"
    with open(tmp, "w") as fh:
        fh.write(json.dumps(manifest, indent=2))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, out / MANIFEST)


def corpus_digest(documents: pd.DataFrame) -> str:
    """Hash of the corpus as (doc_id, content_hash) pairs in corpus order: which documents, with which content."""
    h = hashlib.sha1()
    for d, c in zip(documents["doc_id"], documents["content_hash"]):
        h.update(f"{d}\t{c}\n".encode())
    return h.hexdigest()


def clear_leftovers(out: Path) -> None:
    """Remove what a failed or killed build left: unpublished tables and half-written temp files.

    Only ever called under the build lock, so no other build is writing them.
    """
    for d in out.glob(f"{STAGING_PREFIX}*"):
        shutil.rmtree(d, ignore_errors=True)
    for tmp in (*out.glob(".*.tmp"), *(out / RAW_DIR).glob(".*.tmp"), *(out / RAW_DIR).glob("*/.*.tmp")):
        tmp.unlink(missing_ok=True)


def staging_dir(out: Path) -> Path:
    """A fresh folder inside ``out`` for the next tables (same file system: moving them in is a rename)."""
    d = out / f"{STAGING_PREFIX}{uuid.uuid4().hex[:12]}"
    d.mkdir()
    return d


def publish(out: Path, staging: Path, tables: Sequence[str] = config.TABLES) -> None:
    """Make the tables of ``staging`` the tables of ``out`` in one rename.

    ``staging`` becomes a generation folder (``.gen-<id>``) and the ``.current``
    link is switched to it with one `os.replace`: a reader that resolves
    ``.current`` once (`tables.io.read_tables` does) reads all eight tables of one
    build, never a mix, and never a half-written file. ``<out>/<table>.parquet``
    are fixed links through ``.current``, made once. The previous generation is
    kept until the next publish, so a reader that resolved the old link before
    the switch still finds every file. The manifest is removed before the switch
    and written after it (`write_manifest`): a build killed in between leaves the
    new tables without a manifest, and the next build trusts nothing and starts
    afresh. Files and folders are flushed before the switch, so the link never
    points to unwritten data after a power loss.
    """
    missing = [t for t in tables if not (staging / f"{t}.parquet").exists()]
    if missing:
        raise RuntimeError(f"build wrote no {', '.join(missing)} table(s) in {staging}: nothing published")
    for t in tables:
        _fsync(staging / f"{t}.parquet")
    generation = out / f"{GENERATION_PREFIX}{staging.name[len(STAGING_PREFIX):]}"
    os.rename(staging, generation)
    _fsync_dir(generation)
    previous = current_generation(out)
    (out / MANIFEST).unlink(missing_ok=True)
    _link(out / CURRENT, generation.name)  # the switch
    for t in tables:
        link, target = out / f"{t}.parquet", f"{CURRENT}/{t}.parquet"
        if not (link.is_symlink() and os.readlink(link) == target):  # first publish here (or tables of old builds)
            _link(link, target)
    _fsync_dir(out)
    for d in out.glob(f"{GENERATION_PREFIX}*"):
        if d.name not in (generation.name, previous):
            shutil.rmtree(d, ignore_errors=True)


def current_generation(out: Path) -> str | None:
    """The folder name ``.current`` points to (None before the first publish)."""
    try:
        return os.readlink(out / CURRENT)
    except OSError:
        return None


def _link(path: Path, target: str) -> None:
    """Point ``path`` at ``target`` atomically: a new link under a temporary name, renamed over ``path``."""
    tmp = path.parent / f".{path.name}.{uuid.uuid4().hex[:8]}.tmp"
    os.symlink(target, tmp)
    os.replace(tmp, path)


def _fsync(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
