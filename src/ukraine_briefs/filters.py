"""The global filters (date range, outlet, entity type, actors) every chart and tab follows.

`filter_tables` takes a `Corpus` (or a `Tables`, a dict of DataFrames, or a
directory of built tables) and returns a `Tables` with the same eight tables
restricted to the selection. It is plain pandas (``isin`` on id sets), so it
stays fast on 10k-article tables. Semantics are documented in ``docs/charts.md``:
documents are selected first (date, outlet, actors), every other table follows
the kept documents, and entity types narrow only the entity-level tables.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ukraine_briefs import types
from ukraine_briefs.config import TABLES


@dataclasses.dataclass
class Tables:
    """The eight tables, with the same attribute names as `api.Corpus`."""

    documents: pd.DataFrame
    sentences: pd.DataFrame
    mentions: pd.DataFrame
    entities: pd.DataFrame
    quotes: pd.DataFrame
    dates: pd.DataFrame
    threats: pd.DataFrame
    cooccurrence: pd.DataFrame

    @classmethod
    def empty(cls) -> Tables:
        """All eight tables with zero rows."""
        return cls(**{name: types.empty_frame(name) for name in TABLES})

    def as_dict(self) -> dict[str, pd.DataFrame]:
        return {name: getattr(self, name) for name in TABLES}


def _read_dir(path: Path) -> Tables:
    try:
        from ukraine_briefs.api import open_tables  # the lead's reader, when present

        return as_tables(open_tables(path))
    except (ImportError, AttributeError):
        pass
    frames = {}
    for name in TABLES:
        f = path / f"{name}.parquet"
        frames[name] = pd.read_parquet(f) if f.exists() else types.empty_frame(name)
    return Tables(**frames)


def as_tables(source) -> Tables:
    """A `Corpus`, `Tables`, dict of DataFrames or tables directory -> `Tables`.

    Missing tables become empty frames with the table's schema, so charts never
    meet a missing attribute.
    """
    if isinstance(source, Tables):
        return source
    if isinstance(source, (str, Path)):
        return _read_dir(Path(source))
    frames = {}
    for name in TABLES:
        df = source.get(name) if isinstance(source, dict) else getattr(source, name, None)
        frames[name] = df if isinstance(df, pd.DataFrame) else types.empty_frame(name)
    return Tables(**frames)


def _as_list(values) -> list | None:
    if values is None:
        return None
    if isinstance(values, (str, bytes)):
        values = [values]
    out = [v for v in values if v is not None and str(v) != ""]
    return out or None


def _to_ts(value) -> pd.Timestamp | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return pd.Timestamp(value)
    if isinstance(value, dt.date):
        return pd.Timestamp(value.year, value.month, value.day)
    ts = pd.to_datetime(value, errors="coerce")
    return None if pd.isna(ts) else pd.Timestamp(ts)


def _by_docs(df: pd.DataFrame, doc_ids: pd.Index) -> pd.DataFrame:
    if "doc_id" not in df.columns:
        return df
    return df[df["doc_id"].isin(doc_ids)]


def actor_entity_ids(entities: pd.DataFrame, actors: Iterable[str]) -> set[str]:
    """Entity ids matching any actor given as entity id, canonical name or affiliation (case-insensitive)."""
    wanted = {str(a).strip().lower() for a in actors}
    if entities.empty:
        return set()
    hit = pd.Series(False, index=entities.index)
    for col in ("entity_id", "canonical_name", "affiliation"):
        if col in entities.columns:
            hit |= entities[col].astype("string").str.lower().isin(wanted).fillna(False)
    return set(entities.loc[hit, "entity_id"].astype(str))


def filter_tables(
    corpus_or_tables,
    *,
    start=None,
    end=None,
    outlets: Iterable[str] | None = None,
    entity_types: Iterable[str] | None = None,
    actors: Iterable[str] | None = None,
) -> Tables:
    """The tables restricted to a selection; ``None`` or ``[]`` means "no restriction".

    Args:
        corpus_or_tables: a `Corpus`, `Tables`, dict of DataFrames or tables directory.
        start, end: inclusive bounds on ``documents.published`` (date-like or ISO
            string). Undated documents are dropped when a bound is given.
        outlets: keep documents from these outlets.
        entity_types: keep mentions/entities/co-occurrence pairs of these types
            (documents are not dropped by type).
        actors: entity ids, canonical names or affiliations; keep documents that
            mention any of them or in which one is a threat actor or target.

    Examples:
        >>> t = filter_tables(Tables.empty(), start="2021-12-01", actors=["Russia"])
        >>> len(t.documents), list(t.threats.columns)[:2]
        (0, ['threat_id', 'doc_id'])
    """
    t = as_tables(corpus_or_tables)
    outlets, entity_types, actors = _as_list(outlets), _as_list(entity_types), _as_list(actors)
    start_ts, end_ts = _to_ts(start), _to_ts(end)
    if not any([outlets, entity_types, actors, start_ts is not None, end_ts is not None]):
        return dataclasses.replace(t)

    docs = t.documents
    keep = pd.Series(True, index=docs.index)
    if start_ts is not None or end_ts is not None:
        published = pd.to_datetime(docs["published"], errors="coerce")
        if start_ts is not None:
            keep &= published >= start_ts.normalize()
        if end_ts is not None:
            # inclusive of the whole end day
            keep &= published < end_ts.normalize() + pd.Timedelta(days=1)
        keep &= published.notna()
    if outlets:
        keep &= docs["outlet"].isin(outlets)
    if actors:
        ids = actor_entity_ids(t.entities, actors)
        lowered = {str(a).strip().lower() for a in actors}
        hit_docs = set(t.mentions.loc[t.mentions["entity_id"].isin(ids), "doc_id"]) if ids else set()
        th = t.threats
        if not th.empty:
            mask = th["actor_id"].isin(ids) | th["target_id"].isin(ids)
            for col in ("actor_affiliation", "target_affiliation", "actor_name", "target_name"):
                mask |= th[col].astype("string").str.lower().isin(lowered).fillna(False)
            hit_docs |= set(th.loc[mask, "doc_id"])
        q = t.quotes
        if not q.empty and ids:
            hit_docs |= set(q.loc[q["speaker_id"].isin(ids), "doc_id"])
        keep &= docs["doc_id"].isin(hit_docs)
    docs = docs[keep]
    doc_ids = pd.Index(docs["doc_id"].unique())

    mentions = _by_docs(t.mentions, doc_ids)
    entities = t.entities
    cooc = t.cooccurrence
    if entity_types:
        wanted = {str(x).upper() for x in entity_types}
        # decide per entity (few), then select mentions by id (many): no string ops on 200k rows
        typed = entities["type"].astype(str).str.upper().isin(wanted)
        known = pd.Index(entities["entity_id"].unique())
        keep_ids = pd.Index(entities.loc[typed, "entity_id"].unique())
        labels = {lab for lab in mentions["label"].dropna().unique() if str(lab).upper() in wanted}
        m_keep = mentions["entity_id"].isin(keep_ids) | (~mentions["entity_id"].isin(known) & mentions["label"].isin(labels))
        mentions = mentions[m_keep]
        entities = entities[typed]

    # Recount the entities over the kept mentions; drop those no longer mentioned.
    counts = mentions.groupby("entity_id").agg(n_mentions=("doc_id", "size"), n_docs=("doc_id", "nunique"))
    entities = entities[entities["entity_id"].isin(counts.index)].copy()
    if not entities.empty:
        entities["n_mentions"] = entities["entity_id"].map(counts["n_mentions"]).astype("int64")
        entities["n_docs"] = entities["entity_id"].map(counts["n_docs"]).astype("int64")
    kept_ids = pd.Index(entities["entity_id"].unique())
    cooc = cooc[cooc["entity_a"].isin(kept_ids) & cooc["entity_b"].isin(kept_ids)]

    return Tables(
        documents=docs.reset_index(drop=True),
        sentences=_by_docs(t.sentences, doc_ids).reset_index(drop=True),
        mentions=mentions.reset_index(drop=True),
        entities=entities.reset_index(drop=True),
        quotes=_by_docs(t.quotes, doc_ids).reset_index(drop=True),
        dates=_by_docs(t.dates, doc_ids).reset_index(drop=True),
        threats=_by_docs(t.threats, doc_ids).reset_index(drop=True),
        cooccurrence=cooc.reset_index(drop=True),
    )


def filter_options(tables) -> dict:
    """What the filter widgets offer: date bounds, outlets, entity types and actors (affiliations + top names)."""
    t = as_tables(tables)
    published = pd.to_datetime(t.documents["published"], errors="coerce").dropna()
    affiliations = sorted({str(a) for a in t.entities.get("affiliation", pd.Series(dtype=str)).dropna() if str(a) not in ("", "None", "nan")})
    top = t.entities.sort_values("n_mentions", ascending=False)["canonical_name"].astype(str).head(50).tolist()
    return {
        "start": published.min().date() if len(published) else None,
        "end": published.max().date() if len(published) else None,
        "outlets": sorted({str(o) for o in t.documents["outlet"].dropna() if str(o) not in ("", "None", "nan")}),
        "entity_types": sorted({str(x) for x in t.entities["type"].dropna() if str(x) not in ("", "None", "nan")}),
        "actors": affiliations + [n for n in top if n not in affiliations],
    }
