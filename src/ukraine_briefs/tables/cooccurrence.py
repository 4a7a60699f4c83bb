"""Entity co-occurrence per window (sentence, paragraph, document), with NPMI.

Two entities co-occur in a window when both have a mention in it. For each
unordered pair (``entity_a < entity_b``) and window kind the table holds
``count`` (windows holding both), ``n_docs`` (documents those windows come from)
and ``npmi``, the normalised pointwise mutual information
``log(p(a,b) / (p(a) p(b))) / -log p(a,b)`` in -1..1, where probabilities are
shares of the windows that hold at least one mention (1 when a pair always
appears together, 0 when independent).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import numpy as np
import pandas as pd

from ukraine_briefs.tables.filters import column_codes, rows_matching, unique_sorted
from ukraine_briefs.types import conform, to_frame

WINDOWS = {"sentence": "sent_id", "paragraph": "paragraph_id", "document": None}


def _pair_counts(mentions: pd.DataFrame, window: str) -> tuple[np.ndarray, dict[str, np.ndarray], int]:
    """(entity names, pair arrays, number of windows) for one window kind.

    The pair arrays are ``a``/``b`` (codes into the sorted names, a < b), ``count``,
    ``n_docs``, and ``single`` (windows per entity code).

    Vectorised over integer codes: the distinct (window, entity) rows are sorted, and
    every window's entity pairs are generated as index arrays (no self-join frame), so
    memory is a few integers per pair occurrence: a 1M-character text with 2,478
    entities in its document window (3.07M pairs) peaked at ~1.4 GB through a pandas
    self-join. Every figure is a sum over documents, so counts of disjoint sets of
    documents add up (see `cooccurrence_frame`).
    """
    col = WINDOWS[window]
    keys = ["doc_id"] if col is None else ["doc_id", col]
    ent = pd.Categorical(mentions["entity_id"].astype(str))
    names = np.asarray(ent.categories, dtype=object)
    n_ent = max(len(names), 1)
    win = mentions.groupby(keys, sort=False).ngroup().to_numpy(dtype=np.int64)
    doc = pd.factorize(mentions["doc_id"])[0].astype(np.int64)
    doc_of_win = np.zeros(int(win.max()) + 1 if len(win) else 0, dtype=np.int64)
    doc_of_win[win] = doc
    # distinct (window, entity), sorted by window, then entity code (= name order)
    we = np.unique(win * n_ent + ent.codes.astype(np.int64))
    w_u, e_u = we // n_ent, we % n_ent
    del we
    single = np.bincount(e_u, minlength=len(names)).astype(np.int64)
    starts = np.flatnonzero(np.r_[True, w_u[1:] != w_u[:-1]]) if len(w_u) else np.zeros(0, dtype=np.int64)
    sizes = np.diff(np.r_[starts, len(w_u)])
    # each row pairs with the rows after it in its window: a < b because codes are sorted
    after = np.repeat(starts + sizes, sizes) - np.arange(len(w_u)) - 1
    n_pairs = int(after.sum())
    first = np.repeat(np.arange(len(w_u)), after)
    second = first + 1 + (np.arange(n_pairs) - np.repeat(np.cumsum(after) - after, after))
    pair = e_u[first] * n_ent + e_u[second]
    pair_doc = doc_of_win[w_u[first]]
    del first, second, after
    order = np.lexsort((pair_doc, pair))
    pair, pair_doc = pair[order], pair_doc[order]
    del order
    new_pair = np.r_[True, pair[1:] != pair[:-1]] if n_pairs else np.zeros(0, dtype=bool)
    new_doc = new_pair | (np.r_[True, pair_doc[1:] != pair_doc[:-1]] if n_pairs else new_pair)
    idx = np.cumsum(new_pair) - 1
    uniq = pair[new_pair]
    return names, {
        "a": uniq // n_ent, "b": uniq % n_ent,
        "count": np.bincount(idx, minlength=len(uniq)).astype(np.int64),
        "n_docs": np.bincount(idx, weights=new_doc, minlength=len(uniq)).astype(np.int64),
        "single": single,
    }, len(starts)


def _npmi_frame(names: np.ndarray, a: np.ndarray, b: np.ndarray, count: np.ndarray, n_docs: np.ndarray,
                n: int, single: np.ndarray, window: str) -> pd.DataFrame:
    """NPMI of every pair from summed counts (probabilities are shares of the ``n`` windows)."""
    p_ab = count / n
    p_a = single[a] / n
    p_b = single[b] / n
    with np.errstate(divide="ignore", invalid="ignore"):
        npmi = np.clip(np.log(p_ab / (p_a * p_b)) / -np.log(p_ab), -1.0, 1.0)
    npmi = np.where(p_ab >= 1.0, 1.0, npmi)
    return pd.DataFrame({
        "entity_a": names[a],
        "entity_b": names[b],
        "window": window,
        "count": count.astype("int64"),
        "n_docs": n_docs.astype("int64"),
        "npmi": np.round(npmi, 6),
    })


class PairCounts:
    """Pair counts of one window kind, added a set of documents at a time.

    Every figure is a sum over documents (windows never span two), so counts of
    disjoint sets of documents add up exactly; only the summed counts are kept,
    as integer arrays over entity codes (names come back in `frame`), and memory
    follows the number of distinct pairs, not of pair occurrences (the self-join
    of a whole corpus holds 160 MB at 10,000 articles for the document window).
    """

    def __init__(self, window: str):
        if window not in WINDOWS:
            raise ValueError(f"unknown window {window!r}; expected one of {list(WINDOWS)}")
        self.window = window
        self.ids: dict[str, int] = {}
        self._parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # (pair key, count, n_docs)
        self._single = np.zeros(0, dtype=np.int64)
        self.n = 0

    def add(self, mentions: pd.DataFrame) -> None:
        """Add the mentions of documents not added before."""
        if not len(mentions):
            return
        names, c, k = _pair_counts(mentions, self.window)
        # strings are looked up once per distinct entity; pairs stay integer arrays
        code = np.fromiter((self.ids.setdefault(n, len(self.ids)) for n in names), dtype=np.int64, count=len(names))
        total = np.zeros(len(self.ids), dtype=np.int64)
        total[: len(self._single)] = self._single
        np.add.at(total, code, c["single"])
        self._single = total
        self._parts.append(((code[c["a"]] << 32) | code[c["b"]], c["count"], c["n_docs"]))
        self.n += k
        if len(self._parts) >= 8:  # fold the sums now and then: bounded whatever the number of adds
            self._fold()

    def _fold(self) -> None:
        if len(self._parts) > 1:
            keys = np.concatenate([p[0] for p in self._parts])
            uniq, inv = np.unique(keys, return_inverse=True)
            sums = [np.bincount(inv, weights=np.concatenate([p[i] for p in self._parts]), minlength=len(uniq)).astype(np.int64)
                    for i in (1, 2)]
            self._parts = [(uniq, *sums)]

    def frame(self) -> pd.DataFrame:
        """Pairs with count, n_docs and NPMI, in (entity_a, entity_b) order."""
        if self.n == 0 or not self._parts:
            return pd.DataFrame(columns=["entity_a", "entity_b", "window", "count", "n_docs", "npmi"])
        self._fold()
        keys, count, n_docs = self._parts[0]
        names = np.asarray(list(self.ids), dtype=object)
        a, b = keys >> 32, keys & 0xFFFFFFFF
        rank = np.empty(len(names), dtype=np.int64)
        rank[np.argsort(names, kind="stable")] = np.arange(len(names))
        order = np.lexsort((rank[b], rank[a]))  # (entity_a, entity_b) name order, via integer ranks
        a, b, count, n_docs = a[order], b[order], count[order], n_docs[order]
        return _npmi_frame(names, a, b, count, n_docs, self.n, self._single, self.window)


class Cooccurrence:
    """The `cooccurrence` table over several window kinds, added a set of documents at a time."""

    def __init__(self, windows: tuple[str, ...] = tuple(WINDOWS)):
        self.counters = [PairCounts(w) for w in windows]

    def add(self, mentions: pd.DataFrame) -> None:
        for c in self.counters:
            c.add(mentions)

    def frame(self) -> pd.DataFrame:
        frames = [f for f in (c.frame() for c in self.counters) if len(f)]
        if not frames:
            return to_frame("cooccurrence", [])
        df = conform(pd.concat(frames, ignore_index=True), "cooccurrence")
        order = {w: i for i, w in enumerate(WINDOWS)}
        df = df.sort_values(["window", "count", "entity_a", "entity_b"], ascending=[True, False, True, True], key=lambda s: s.map(order) if s.name == "window" else s)
        return df.reset_index(drop=True)


def _chunks(mentions: pd.DataFrame, chunk_docs: int) -> Iterator[pd.DataFrame]:
    """The mentions of ``chunk_docs`` documents at a time."""
    doc_codes = pd.factorize(mentions["doc_id"])[0]
    n_docs = int(doc_codes.max()) + 1 if len(doc_codes) else 0
    for lo in range(0, n_docs, chunk_docs):
        yield mentions[(doc_codes >= lo) & (doc_codes < lo + chunk_docs)]


def _pairs(mentions: pd.DataFrame, window: str, *, chunk_docs: int = 1000) -> pd.DataFrame:
    """Pairs with count, n_docs and NPMI for one window kind, joined ``chunk_docs`` documents at a time."""
    counter = PairCounts(window)
    for chunk in _chunks(mentions, chunk_docs):
        counter.add(chunk)
    return counter.frame()


def cooccurrence_frame(mentions: pd.DataFrame, *, windows: tuple[str, ...] = tuple(WINDOWS)) -> pd.DataFrame:
    """Entity pairs per sentence / paragraph / document window, with count, n_docs and NPMI.

    Examples:
        >>> m = pd.DataFrame({"doc_id": ["d", "d", "d"], "sent_id": [0, 0, 1],
        ...                   "paragraph_id": [0, 0, 0], "entity_id": ["a", "b", "c"]})
        >>> cooccurrence_frame(m, windows=("sentence",))[["entity_a", "entity_b", "count", "npmi"]].values.tolist()
        [['a', 'b', 1, 1.0]]
    """
    table = Cooccurrence(windows)
    if mentions is not None:
        for chunk in _chunks(mentions, 1000):
            table.add(chunk)
    return table.frame()


def _as_set(values) -> set | None:
    if values is None:
        return None
    if isinstance(values, str):
        return {values}
    return set(values)


def _as_date(value) -> pd.Timestamp | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return pd.Timestamp(value)
    return pd.Timestamp(value)


def _known(aff: pd.Series) -> pd.Series:
    return aff.where(aff.notna() & (aff.astype(str) != "None"), None)


def _per_value(ids: pd.Series, fn) -> pd.Series:
    """``fn(ids)`` for an elementwise ``fn``, evaluated once per distinct id (pairs repeat each entity often)."""
    codes, uniques = pd.factorize(ids, use_na_sentinel=False)
    return fn(pd.Series(uniques, dtype=ids.dtype)).take(codes).set_axis(ids.index)


def _selected_pairs(mentions: pd.DataFrame, rows: np.ndarray, window: str) -> pd.DataFrame | None:
    """``cooccurrence_frame(mentions.iloc[rows], windows=(window,))`` (row order aside) from cached integer codes.

    The dashboard recomputes pairs for every selection; the build's
    `cooccurrence_frame` hashes the id strings of every selected mention first.
    Here the codes of ``doc_id`` and ``entity_id`` are those cached per table
    (`filters.column_codes`), and the pairs of a window come from its sorted
    entities with numpy, no join. The counts go through the same `_npmi_frame`.
    None when an id or window number is missing (or not a non-negative integer):
    the caller then takes `cooccurrence_frame`.
    """
    col = WINDOWS[window]
    dc, du = column_codes(mentions, "doc_id")
    ec, eu = column_codes(mentions, "entity_id")
    d, e = dc[rows], ec[rows]
    if np.asarray(du.isna(), dtype=bool)[d].any() or np.asarray(eu.isna(), dtype=bool)[e].any():
        return None
    if not len(rows):
        return to_frame("cooccurrence", [])
    stride, sid = 1, 0
    if col is not None:
        sid = mentions[col].to_numpy()[rows]
        if sid.dtype.kind not in "iu" or sid.min() < 0:
            return None
        stride = int(sid.max()) + 1
    win = d.astype(np.int64) * stride + sid  # window number; its document is win // stride
    # entity codes in name order, as the sorted categories of `_pair_counts` number them
    by_name = np.argsort(np.asarray(eu.argsort()))  # rank of each distinct id among all of them
    e = by_name[e]
    n_ent = len(eu)
    # one row per (window, entity), sorted by window then entity
    we = unique_sorted(win * n_ent + e)
    w_of, e_of = we // n_ent, we % n_ent
    n_windows = int(np.count_nonzero(np.diff(w_of))) + 1  # w_of is sorted
    # every pair a < b inside each window: the element at i pairs with the later ones of its window
    starts = np.flatnonzero(np.r_[True, w_of[1:] != w_of[:-1]])
    ends = np.r_[starts[1:], len(we)]
    end_of = np.repeat(ends, ends - starts)
    later = end_of - np.arange(len(we)) - 1
    a = np.repeat(np.arange(len(we)), later)
    b = a + 1 + (np.arange(len(a)) - np.repeat(np.cumsum(later) - later, later))
    pair = e_of[a].astype(np.int64) * n_ent + e_of[b]
    keys, count = np.unique(pair, return_counts=True)
    if not len(keys):
        return to_frame("cooccurrence", [])
    pair_docs = unique_sorted(pair * len(du) + w_of[a] // stride) // len(du)  # distinct (pair, document)
    n_docs = np.bincount(np.searchsorted(keys, pair_docs), minlength=len(keys))
    names = np.asarray(eu, dtype=object)[np.argsort(by_name)]
    single = np.bincount(e_of, minlength=n_ent).astype(np.int64)
    return conform(_npmi_frame(names, keys // n_ent, keys % n_ent, count, n_docs, n_windows, single, window),
                   "cooccurrence")


def filter_cooccurrence(
    mentions,
    entities: pd.DataFrame | None = None,
    documents: pd.DataFrame | None = None,
    *,
    types=None,
    affiliations=None,
    start=None,
    end=None,
    min_count: int = 1,
    window: str = "sentence",
) -> pd.DataFrame:
    """Co-occurrence recomputed on a selection, ready for a network or heatmap chart.

    Mentions are first restricted to documents published in ``[start, end]``
    (inclusive; documents without a date are dropped when a bound is given), the
    pairs are recomputed for ``window`` on those mentions (so ``count``, ``n_docs``
    and ``npmi`` describe the period), and then pairs are kept when both ends have
    a type in ``types`` and an affiliation in ``affiliations`` (None = any) and
    ``count >= min_count``.

    ``mentions`` may also be a `Tables` (or any object with ``.mentions``,
    ``.entities`` and ``.documents`` tables): ``filter_cooccurrence(corpus, types=["PERSON"])``.

    Returns the `cooccurrence` columns plus ``name_a``, ``name_b``, ``type_a``,
    ``type_b``, ``affiliation_a``, ``affiliation_b``, sorted by count (descending).
    """
    if not isinstance(mentions, pd.DataFrame):
        tables = mentions
        mentions = tables.mentions
        entities = tables.entities if entities is None else entities
        documents = getattr(tables, "documents", None) if documents is None else documents
    if entities is None:
        entities = pd.DataFrame(columns=["entity_id", "canonical_name", "type", "affiliation"])
    if window not in WINDOWS:
        raise ValueError(f"unknown window {window!r}; expected one of {list(WINDOWS)}")
    rows = np.arange(len(mentions))
    if (start is not None or end is not None) and documents is not None and len(documents):
        pub = pd.to_datetime(documents["published"], errors="coerce")
        keep = pub.notna()
        lo, hi = _as_date(start), _as_date(end)
        if lo is not None:
            keep &= pub >= lo
        if hi is not None:
            keep &= pub <= hi
        rows = np.flatnonzero(rows_matching(mentions, "doc_id", documents, "doc_id", np.flatnonzero(keep.to_numpy())))
    pairs = _selected_pairs(mentions, rows, window)
    if pairs is None:  # ids missing somewhere: the general path
        pairs = cooccurrence_frame(mentions.iloc[rows], windows=(window,))
    info = entities.set_index("entity_id")[["canonical_name", "type", "affiliation"]] if len(entities) else None
    for side in ("a", "b"):
        ids = pairs[f"entity_{side}"]
        if info is not None:
            pairs[f"name_{side}"] = _per_value(ids, lambda u: u.map(info["canonical_name"]).fillna(u))
            pairs[f"type_{side}"] = _per_value(ids, lambda u: u.map(info["type"]))
            pairs[f"affiliation_{side}"] = _per_value(ids, lambda u: _known(u.map(info["affiliation"])))
        else:
            pairs[f"name_{side}"], pairs[f"type_{side}"], pairs[f"affiliation_{side}"] = ids, None, None
    keep = pairs["count"] >= min_count
    t, a = _as_set(types), _as_set(affiliations)
    if t is not None:
        keep &= pairs["type_a"].isin(t) & pairs["type_b"].isin(t)
    if a is not None:
        keep &= pairs["affiliation_a"].isin(a) & pairs["affiliation_b"].isin(a)
    out = pairs[keep].sort_values(["count", "npmi", "entity_a", "entity_b"], ascending=[False, False, True, True])
    return out.reset_index(drop=True)
