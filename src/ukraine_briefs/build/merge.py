"""The corpus-wide step: merge entity ids across documents, then the entities and co-occurrence tables.

Per-document rows carry ids a document could resolve on its own; a misspelt
full name in one article and the right one in another merge only here, and
the merged id (and its canonical name) is written into every table. `build`
streams this from the part files (`write_tables`), reading the mentions twice
a part at a time, so only aggregates the size of the entity and pair counts
stay in memory; `finalize` does the same in memory, and both give equal tables.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from ukraine_briefs import config
from ukraine_briefs.build.engines import release_memory
from ukraine_briefs.build.store import CACHE_COLUMNS, PartStore, TableWriter, write_frame
from ukraine_briefs.extract import entities, stories
from ukraine_briefs.extract.stories.memo import Memo
from ukraine_briefs.tables import cooccurrence
from ukraine_briefs.types import conform, validate

#: Per-document tables streamed to disk run by run (mentions are needed whole).
STREAMED = ("sentences", "quotes", "dates", "threats")
#: Documents whose mentions are aggregated at once (entity statistics, co-occurrence counts).
COOC_DOCS = 1000
#: Id columns rewritten by the corpus-wide entity id merge, per table.
ID_COLUMNS = {"mentions": ("entity_id",), "quotes": ("speaker_id",), "threats": ("actor_id", "target_id", "speaker_id")}


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


def _entity_merge(stats) -> tuple[dict[str, str], dict[str, str], pd.DataFrame]:
    """Cross-document id map, canonical names of the kept ids, and the entities table, from `entities.MentionStats`."""
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
    # rows in corpus order, by sentence and offset, as `write_tables` streams them (a document's
    # reported speech comes after its direct quotes from `extract_doc`, but is written in text order)
    order = {d: i for i, d in enumerate(documents["doc_id"])}
    raw = {**raw, **{t: _ordered(raw[t], order) for t in STREAMED}}
    prov = stories.provenance(documents, [documents], [raw["quotes"]])  # story groups, copy flag, quote groups
    raw = {**raw, "quotes": prov.with_groups(raw["quotes"])}
    tables = {t: conform(_apply_ids(t, raw[t], id_map, names), t) for t in STREAMED}
    tables.update(mentions=mentions, entities=ents, cooccurrence=cooc, stories=prov.stories)
    tables["documents"] = _with_counts(prov.with_stories(documents), tables["sentences"].groupby("doc_id").size())
    for t in config.TABLES:
        validate(tables[t], t)
    return {t: tables[t] for t in config.TABLES}


def write_cooccurrence(out: Path, cooc: cooccurrence.Cooccurrence) -> int:
    """Write ``cooccurrence.parquet`` one window kind at a time, each counter dropped once written; returns rows.

    The same rows in the same order as ``cooc.frame()`` (sorted by window, then count
    descending and the pair, which is unique within a window), without holding every
    window's frame, their concatenation and its sorted copy at once: a 1M-character
    text has ~3M document-window pairs, and that frame was the build's peak (1.9 GB).
    """
    w = TableWriter(out / "cooccurrence.parquet", "cooccurrence")
    order = {k: i for i, k in enumerate(cooccurrence.WINDOWS)}
    counters = sorted(cooc.counters, key=lambda c: order[c.window])
    cooc.counters = []
    while counters:
        f = counters.pop(0).frame()
        if len(f):
            f = conform(f, "cooccurrence").sort_values(
                ["count", "entity_a", "entity_b"], ascending=[False, True, True]).reset_index(drop=True)
            w.add(f)
        del f
    w.close()
    return w.total


def write_tables(
    out: Path, documents: pd.DataFrame, location: dict[str, str], store: PartStore, staged: Path,
    memo: Memo | None = None, memo_path: Path | None = None,
) -> dict[str, int]:
    """Stream the final tables into ``out`` from the part files; returns row counts.

    ``staged`` is the `stage_documents` file the texts come from, row for row with
    ``documents`` (which is without its text column). ``memo``: the story step's
    remembered work (`stories.memo.Memo`; the same tables without it, sooner with it), saved to
    ``memo_path`` and emptied as soon as the story step is done, so it is not held beside the
    entity and co-occurrence aggregates.

    Documents are visited in corpus order, a run of consecutive documents of one
    part at a time, so the result equals `finalize` over all rows in memory.
    """
    doc_ids = list(documents["doc_id"])
    order = {d: i for i, d in enumerate(doc_ids)}
    runs = _runs(doc_ids, location)
    rows = {}
    # story groups, copy flag and quote groups: the texts and quotes read once more, a chunk at a time;
    # first, so its memo goes before the entity and co-occurrence aggregates are built
    prov = stories.provenance(
        documents,
        (b.to_pandas() for b in pq.ParquetFile(staged).iter_batches(columns=["doc_id", "text"])),
        (_read_run(store, "quotes", part, docs, order)[["quote_id", "text"]] for part, docs in runs),
        memo=memo,
    )
    write_frame(out, "stories", prov.stories)
    rows["stories"] = len(prov.stories)
    if memo is not None and memo_path is not None:
        memo.keep_used()
        memo.save(memo_path)
        memo.clear()
    release_memory()
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
    write_frame(out, "entities", ents)
    rows["entities"] = len(ents)
    del ents
    cooc = cooccurrence.Cooccurrence()
    w = TableWriter(out / "mentions.parquet", "mentions")
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
    rows["cooccurrence"] = write_cooccurrence(out, cooc)
    del cooc, buf
    release_memory()
    counts: pd.Series | None = None
    for t in STREAMED:
        w = TableWriter(out / f"{t}.parquet", t)
        sizes = []
        for part, docs in runs:
            chunk = _apply_ids(t, _read_run(store, t, part, docs, order), id_map, names)
            if t == "sentences":
                sizes.append(chunk.groupby("doc_id").size())
            w.add(prov.with_groups(chunk) if t == "quotes" else chunk)
        w.close()
        rows[t] = w.total
        if t == "sentences":
            counts = pd.concat(sizes) if sizes else pd.Series(dtype="int64")
    w = TableWriter(out / "documents.parquet", "documents")
    f = pq.ParquetFile(staged)
    lo = 0
    for g in range(f.num_row_groups):
        chunk = f.read_row_group(g).to_pandas().drop(columns=list(CACHE_COLUMNS))
        hi = lo + len(chunk)
        chunk["status"] = documents["status"].iloc[lo:hi].to_numpy()  # failed extractions are marked here
        w.add(_with_counts(prov.with_stories(chunk), counts))
        lo = hi
    w.close()
    rows["documents"] = w.total
    return rows
