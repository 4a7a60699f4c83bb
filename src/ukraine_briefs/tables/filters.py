"""The global filters (date range, outlet, entity type, actors) every chart and tab follows.

`filter_tables` takes a `Tables` (or anything `io.as_tables` accepts: a dict of
DataFrames, a directory of built tables) and returns a `Tables` with the same eight tables
restricted to the selection. Semantics are documented in ``docs/charts.md``:
documents are selected first (date, outlet, actors), every other table follows
the kept documents, and entity types narrow only the entity-level tables.

Speed: the dashboard filters the same loaded tables again on every change of
the selection, so the string id columns are turned into integer codes once
(`column_codes`, cached per DataFrame) and every later filter works on those
codes with numpy (about 20 ms at 10,000 articles instead of ~150 ms of
string ``isin``). The filtered tables inherit their codes, so the regroupings
in `timeseries`, `threats` and `cooccurrence` need no string hashing either.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import weakref
from collections.abc import Iterable

import numpy as np
import pandas as pd

from ukraine_briefs.tables.io import Tables, as_tables
from ukraine_briefs.tables.stories import first_per_story


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


# --------------------------------------------------------------------------- integer codes, cached per table

# (id(df), column) -> (weakref to df, column token, codes, uniques); entries leave with their DataFrame
_CODES: dict[tuple[int, str], tuple] = {}
# (kind, id(a), id(b)) -> (a, b, value): lookups between code tables; few, so a small bounded dict
_DERIVED: dict[tuple, tuple] = {}
_DERIVED_MAX = 256


def _token(df: pd.DataFrame, col: str) -> tuple:
    """What identifies the column's current data: row count and the backing array (or its buffer)."""
    arr = df[col].array
    data = getattr(arr, "_ndarray", None)
    if data is not None:  # numpy-backed: the Series wrapper is new on every access, the buffer is not
        return (len(df), "np", data.__array_interface__["data"][0], data.strides)
    return (len(df), "ea", id(arr))


def _forget(key):
    return lambda _ref: _CODES.pop(key, None)


def column_codes(df: pd.DataFrame, col: str) -> tuple[np.ndarray, pd.Index]:
    """Integer codes and distinct values of ``df[col]``, computed once per DataFrame and column.

    ``uniques[codes]`` is the column; a missing value is a value of its own (no
    -1 code), so an elementwise test on ``uniques`` (``isin``, ``str.lower``)
    taken at ``codes`` equals the same test on the column. ``uniques`` may hold
    values absent from the column (tables made by `filter_tables` share the
    codes of the table they were cut from). Replacing the column or the rows
    of the DataFrame is noticed; editing values inside the same array is not.

    Examples:
        >>> codes, uniques = column_codes(pd.DataFrame({"x": ["b", "a", "b"]}), "x")
        >>> codes.tolist(), list(uniques)
        ([0, 1, 0], ['b', 'a'])
    """
    key = (id(df), col)
    token = _token(df, col)
    hit = _CODES.get(key)
    if hit is not None and hit[0]() is df and hit[1] == token:
        return hit[2], hit[3]
    codes, uniques = pd.factorize(df[col], use_na_sentinel=False)
    codes = np.asarray(codes, dtype=np.int32 if len(uniques) < 2**31 else np.int64)
    uniques = pd.Index(uniques)
    _remember(df, col, codes, uniques, token)
    return codes, uniques


def _remember(df: pd.DataFrame, col: str, codes: np.ndarray, uniques: pd.Index, token: tuple | None = None) -> None:
    key = (id(df), col)
    codes.setflags(write=False)
    _CODES[key] = (weakref.ref(df, _forget(key)), token or _token(df, col), codes, uniques)


def _derived(kind: str, a, b, make):
    key = (kind, id(a), id(b))
    hit = _DERIVED.get(key)
    if hit is not None and hit[0] is a and hit[1] is b:
        return hit[2]
    value = make()
    if len(_DERIVED) >= _DERIVED_MAX:
        _DERIVED.pop(next(iter(_DERIVED)))
    _DERIVED[key] = (a, b, value)
    return value


def code_map(src: pd.Index, dst: pd.Index) -> np.ndarray:
    """Position in ``dst`` of every value of ``src`` (-1 when absent; missing matches missing), cached.

    Tables cut by `filter_tables` share their code tables, so this is usually
    the identity and costs nothing.
    """
    if src is dst:
        return np.arange(len(src))
    return _derived("map", src, dst, lambda: dst.get_indexer(src))


def _lowered(uniques: pd.Index) -> list:
    """``astype("string").str.lower()`` of each distinct value, None for a missing one; cached."""
    def make():
        low = pd.Series(uniques, dtype=uniques.dtype).astype("string").str.lower()
        return [None if pd.isna(x) else x for x in low]
    return _derived("lower", uniques, None, make)


def _isin(df: pd.DataFrame, col: str, values) -> np.ndarray:
    """``df[col].isin(values)`` as a bool array, from the cached codes (a test per distinct value)."""
    codes, uniques = column_codes(df, col)
    return np.asarray(pd.Series(uniques, dtype=uniques.dtype).isin(values), dtype=bool)[codes]


def _lower_isin(df: pd.DataFrame, col: str, lowered: set[str]) -> np.ndarray:
    """``df[col].astype("string").str.lower().isin(lowered).fillna(False)``, from the cached codes."""
    codes, uniques = column_codes(df, col)
    low = _lowered(uniques)
    return np.fromiter((x is not None and x in lowered for x in low), dtype=bool, count=len(low))[codes]


def rows_matching(df: pd.DataFrame, col: str, ref: pd.DataFrame, ref_col: str, rows: np.ndarray) -> np.ndarray:
    """``df[col].isin(ref[ref_col] at rows)`` as a bool array, on integer codes.

    For id columns: the code tables of ``df[col]`` and ``ref[ref_col]`` are
    matched once (`code_map`), after which every test is a few numpy takes.
    """
    rc, ru = column_codes(ref, ref_col)
    chosen = np.zeros(len(ru) + 1, dtype=bool)  # the extra last slot answers -1 (not in ref)
    chosen[rc[rows]] = True
    codes, uniques = column_codes(df, col)
    return chosen[code_map(uniques, ru)][codes]


def doc_positions(df: pd.DataFrame, documents: pd.DataFrame) -> np.ndarray | None:
    """Row position in ``documents`` of each row's ``doc_id`` (-1 when absent), or None if doc ids repeat.

    What a many-to-one ``merge(documents, on="doc_id", how="left")`` looks up,
    without hashing strings when both tables come from the same
    `filter_tables` call (they share their code table).

    Examples:
        >>> docs = pd.DataFrame({"doc_id": ["a", "b"]})
        >>> doc_positions(pd.DataFrame({"doc_id": ["b", "x", "b", "a"]}), docs).tolist()
        [1, -1, 1, 0]
    """
    dc, du = column_codes(documents, "doc_id")
    if len(dc) and np.bincount(dc, minlength=len(du)).max() > 1:
        return None
    row_of = np.full(len(du) + 1, -1, dtype=np.intp)  # the extra last slot answers -1
    row_of[dc] = np.arange(len(dc))
    xc, xu = column_codes(df, "doc_id")
    return row_of[code_map(xu, du)][xc]


def unique_sorted(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` for integers, by one sort (numpy 2's hashing ``np.unique`` is ~50x slower here).

    Examples:
        >>> unique_sorted(np.array([3, 1, 3, 2])).tolist()
        [1, 2, 3]
    """
    s = np.sort(values)
    return s[np.r_[True, s[1:] != s[:-1]]] if len(s) else s

def _take(df: pd.DataFrame, rows: np.ndarray, shared: tuple[str, ...] = ()) -> pd.DataFrame:
    """``df`` at ``rows`` with a fresh RangeIndex; the codes of the ``shared`` columns carried over."""
    out = df.take(rows).reset_index(drop=True)
    for col in shared:
        if col in df.columns:
            codes, uniques = column_codes(df, col)
            _remember(out, col, codes[rows], uniques)
    return out


def _actor_rows(entities: pd.DataFrame, actors: Iterable[str]) -> np.ndarray:
    wanted = {str(a).strip().lower() for a in actors}
    hit = np.zeros(len(entities), dtype=bool)
    for col in ("entity_id", "canonical_name", "affiliation"):
        if col in entities.columns:
            hit |= _lower_isin(entities, col, wanted)
    return hit


def actor_entity_ids(entities: pd.DataFrame, actors: Iterable[str]) -> set[str]:
    """Entity ids matching any actor given as entity id, canonical name or affiliation (case-insensitive)."""
    if entities.empty:
        return set()
    return set(entities.loc[_actor_rows(entities, list(actors)), "entity_id"].astype(str))


# what `filter_tables` looks up: id columns (matched to the table owning the ids) and case-folded columns
_ID_COLUMNS = {
    "documents": {"doc_id": ("documents", "doc_id")},
    "sentences": {"doc_id": ("documents", "doc_id")},
    "mentions": {"doc_id": ("documents", "doc_id"), "entity_id": ("entities", "entity_id"), "label": None},
    "entities": {"entity_id": ("entities", "entity_id")},
    "quotes": {"doc_id": ("documents", "doc_id"), "speaker_id": ("entities", "entity_id")},
    "dates": {"doc_id": ("documents", "doc_id")},
    "threats": {"doc_id": ("documents", "doc_id"), "actor_id": ("entities", "entity_id"),
                "target_id": ("entities", "entity_id")},
    "cooccurrence": {"entity_a": ("entities", "entity_id"), "entity_b": ("entities", "entity_id")},
}
_FOLDED_COLUMNS = {
    "entities": ("entity_id", "canonical_name", "affiliation"),
    "threats": ("actor_affiliation", "target_affiliation", "actor_name", "target_name"),
}


def prepare(tables) -> Tables:
    """The tables with the integer codes `filter_tables` uses computed now (once), not at the first filter.

    For an app that loads tables once and filters them on every change of the
    selection (~0.2 s at 10,000 articles). Returns `as_tables(tables)`.
    """
    t = as_tables(tables)
    for name, cols in _ID_COLUMNS.items():
        df = getattr(t, name)
        for col, owner in cols.items():
            if col not in df.columns:
                continue
            _, uniques = column_codes(df, col)
            ref = getattr(t, owner[0]) if owner else None
            if ref is not None and owner[1] in ref.columns:
                code_map(uniques, column_codes(ref, owner[1])[1])
    for name, cols in _FOLDED_COLUMNS.items():
        df = getattr(t, name)
        for col in cols:
            if col in df.columns:
                _lowered(column_codes(df, col)[1])
    return t

def filter_tables(
    corpus_or_tables,
    *,
    start=None,
    end=None,
    outlets: Iterable[str] | None = None,
    entity_types: Iterable[str] | None = None,
    actors: Iterable[str] | None = None,
    one_per_story: bool = False,
) -> Tables:
    """The tables restricted to a selection; ``None`` or ``[]`` means "no restriction".

    Args:
        corpus_or_tables: a `Tables`, dict of DataFrames or tables directory.
        start, end: inclusive bounds on ``documents.published`` (date-like or ISO
            string). Undated documents are dropped when a bound is given.
        outlets: keep documents from these outlets.
        entity_types: keep mentions/entities/co-occurrence pairs of these types
            (documents are not dropped by type).
        actors: entity ids, canonical names or affiliations; keep documents that
            mention any of them or in which one is a threat actor or target.
        one_per_story: of the selected copies of one story (``documents.story_id``), keep the
            first seen only, so a syndicated or spun story counts once.

    Examples:
        >>> t = filter_tables(Tables.empty(), start="2021-12-01", actors=["Russia"])
        >>> len(t.documents), list(t.threats.columns)[:2]
        (0, ['threat_id', 'stance'])
    """
    t = as_tables(corpus_or_tables)
    outlets, entity_types, actors = _as_list(outlets), _as_list(entity_types), _as_list(actors)
    start_ts, end_ts = _to_ts(start), _to_ts(end)
    if not any([outlets, entity_types, actors, start_ts is not None, end_ts is not None, one_per_story]):
        return dataclasses.replace(t)

    docs, m, ents, th, q = t.documents, t.mentions, t.entities, t.threats, t.quotes
    keep = np.ones(len(docs), dtype=bool)
    if start_ts is not None or end_ts is not None:
        published = pd.to_datetime(docs["published"], errors="coerce")
        if start_ts is not None:
            keep &= (published >= start_ts.normalize()).to_numpy(dtype=bool)
        if end_ts is not None:
            # inclusive of the whole end day
            keep &= (published < end_ts.normalize() + pd.Timedelta(days=1)).to_numpy(dtype=bool)
        keep &= published.notna().to_numpy(dtype=bool)
    if outlets:
        keep &= _isin(docs, "outlet", outlets)
    if actors:
        lowered = {str(a).strip().lower() for a in actors}
        actor_rows = np.flatnonzero(_actor_rows(ents, actors)) if not ents.empty else np.zeros(0, dtype=np.intp)
        hit = np.zeros(len(docs), dtype=bool)
        if len(actor_rows):
            hit |= rows_matching(docs, "doc_id", m, "doc_id", np.flatnonzero(rows_matching(m, "entity_id", ents, "entity_id", actor_rows)))
        if not th.empty:
            mask = (rows_matching(th, "actor_id", ents, "entity_id", actor_rows)
                    | rows_matching(th, "target_id", ents, "entity_id", actor_rows))
            for col in ("actor_affiliation", "target_affiliation", "actor_name", "target_name"):
                mask |= _lower_isin(th, col, lowered)
            hit |= rows_matching(docs, "doc_id", th, "doc_id", np.flatnonzero(mask))
        if not q.empty and len(actor_rows):
            spoken = rows_matching(q, "speaker_id", ents, "entity_id", actor_rows)
            hit |= rows_matching(docs, "doc_id", q, "doc_id", np.flatnonzero(spoken))
        keep &= hit
    if one_per_story:
        keep = first_per_story(docs, keep)
    kept_docs = np.flatnonzero(keep)

    def by_docs(df: pd.DataFrame) -> pd.DataFrame:
        """Rows whose doc id is that of a kept document."""
        if "doc_id" not in df.columns:
            return df.reset_index(drop=True)
        return _take(df, np.flatnonzero(rows_matching(df, "doc_id", docs, "doc_id", kept_docs)), ("doc_id",))

    m_rows = np.flatnonzero(rows_matching(m, "doc_id", docs, "doc_id", kept_docs))
    e_rows = np.arange(len(ents))
    if entity_types:
        wanted = {str(x).upper() for x in entity_types}
        # decide per entity and per distinct label (few), then select mentions by code (many)
        e_rows = np.flatnonzero(ents["type"].astype(str).str.upper().isin(wanted).to_numpy(dtype=bool))
        lc, lu = column_codes(m, "label")
        label_ok = np.array([not pd.isna(lab) and str(lab).upper() in wanted for lab in lu], dtype=bool)
        typed = rows_matching(m, "entity_id", ents, "entity_id", e_rows)[m_rows]
        known = rows_matching(m, "entity_id", ents, "entity_id", np.arange(len(ents)))[m_rows]
        m_rows = m_rows[typed | (~known & label_ok[lc[m_rows]])]

    # Recount the entities over the kept mentions; drop those no longer mentioned.
    e_rows, n_mentions, n_docs = _recount(ents, e_rows, m, m_rows)
    entities = ents.take(e_rows)
    if len(entities):
        entities["n_mentions"] = n_mentions.astype("int64")
        entities["n_docs"] = n_docs.astype("int64")
    cooc = t.cooccurrence
    cooc_rows = np.flatnonzero(rows_matching(cooc, "entity_a", ents, "entity_id", e_rows)
                               & rows_matching(cooc, "entity_b", ents, "entity_id", e_rows))

    return Tables(
        documents=_take(docs, kept_docs, ("doc_id",)),
        sentences=by_docs(t.sentences),
        mentions=_take(m, m_rows, ("doc_id", "entity_id", "label")),
        entities=entities.reset_index(drop=True),
        quotes=by_docs(q),
        dates=by_docs(t.dates),
        threats=by_docs(th),
        cooccurrence=_take(cooc, cooc_rows, ("entity_a", "entity_b")),
        stories=by_docs(t.stories),
    )


def _recount(entities: pd.DataFrame, e_rows: np.ndarray, mentions: pd.DataFrame,
             m_rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ``e_rows`` of ``entities`` mentioned at ``m_rows``, with their mention and document counts there.

    The numbers of ``groupby("entity_id").agg(size, nunique doc_id)`` over
    those mentions (a missing id is no group), from integer codes.
    """
    if entities.empty or len(e_rows) == 0:
        return e_rows[:0], np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    ec, eu = column_codes(mentions, "entity_id")
    dc, du = column_codes(mentions, "doc_id")
    e, d = ec[m_rows], dc[m_rows]
    n_mentions = np.bincount(e, minlength=len(eu))
    n_mentions[np.asarray(eu.isna(), dtype=bool)] = 0  # no group for a missing id
    has_doc = ~np.asarray(du.isna(), dtype=bool)[d]  # nunique skips a missing doc id
    pairs = unique_sorted(e[has_doc].astype(np.int64) * len(du) + d[has_doc])
    n_docs = np.bincount(pairs // max(len(du), 1), minlength=len(eu))
    rc, ru = column_codes(entities, "entity_id")
    pos = code_map(ru, eu)[rc[e_rows]]
    present = (pos >= 0) & (n_mentions[pos] > 0)
    pos = pos[present]
    return e_rows[present], n_mentions[pos], n_docs[pos]


def filter_options(tables) -> dict:
    """What the filter widgets offer: date bounds and the distinct dates, outlets, entity types and actors.

    ``actors`` are the affiliations, then the 50 most mentioned canonical names.
    """
    t = as_tables(tables)
    published = pd.to_datetime(t.documents["published"], errors="coerce").dropna()
    affiliations = sorted({str(a) for a in t.entities.get("affiliation", pd.Series(dtype=str)).dropna() if str(a) not in ("", "None", "nan")})
    top = t.entities.sort_values("n_mentions", ascending=False)["canonical_name"].astype(str).head(50).tolist()
    return {
        "start": published.min().date() if len(published) else None,
        "end": published.max().date() if len(published) else None,
        "dates": sorted({ts.date() for ts in published}),
        "outlets": sorted({str(o) for o in t.documents["outlet"].dropna() if str(o) not in ("", "None", "nan")}),
        "entity_types": sorted({str(x) for x in t.entities["type"].dropna() if str(x) not in ("", "None", "nan")}),
        "actors": affiliations + [n for n in top if n not in affiliations],
    }
