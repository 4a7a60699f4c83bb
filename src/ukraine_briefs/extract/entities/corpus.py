"""Corpus-wide entity merges and the `entities` table, from per-entity aggregates of the mentions.

`MentionStats` holds what the merge and the table need without the mention rows,
so the build adds documents part by part; `corpus_id_map` merges ids of one
person or place spelt differently across documents (never two ids of one
document); `entities_frame` writes one row per canonical entity.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from ukraine_briefs.extract import gazetteer as gz
from ukraine_briefs.extract.entities.names import _Person, _best, _first, _surname, skeleton
from ukraine_briefs.types import Entity, to_frame


# ---------------------------------------------------------------- corpus-wide
def _id_name(eid: str) -> str:
    return eid.split(":", 1)[1] if ":" in eid else eid


def _tally(table: dict, key, size: int, first: int) -> None:
    """Add ``size`` rows of ``key`` whose first row is ``first`` (count summed, first row kept lowest)."""
    cur = table.get(key)
    if cur is None:
        table[key] = [size, first]
    else:
        cur[0] += size
        cur[1] = min(cur[1], first)


class MentionStats:
    """Per-entity aggregates of mention rows, added a set of documents at a time.

    What the corpus-wide id merge (`corpus_id_map`) and the `entities` table need
    from the mentions, without holding the mentions: per entity its mention count,
    the documents it occurs in (integer pairs), and for each value of
    ``canonical_name``, ``label`` and ``surface`` its count and first row, so the
    most frequent value (ties: the first seen) is the one all rows at once give.
    The build adds the mentions part by part and so never holds them all (at
    10,000 articles: 290,000 rows, 39 MB as a DataFrame, against about 2 MB here).
    """

    VALUES = ("canonical_name", "label", "surface")

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}  # entity_id -> code, in order of first appearance
        self._docs: dict[str, int] = {}
        self._n = np.zeros(0, dtype=np.int64)
        self._pairs: list[np.ndarray] = []  # entity code << 32 | document code, distinct
        self._values: dict[str, dict[tuple[int, object], list[int]]] = {c: {} for c in self.VALUES}
        self._rows = 0

    @classmethod
    def of(cls, mentions: pd.DataFrame) -> "MentionStats":
        stats = cls()
        stats.add(mentions)
        return stats

    def add(self, mentions: pd.DataFrame) -> None:
        """Add the mentions of documents not added before, in corpus order."""
        if mentions is None or not len(mentions):
            return
        codes, uniq = pd.factorize(mentions["entity_id"], use_na_sentinel=False)
        e = np.array([self.ids.setdefault(u, len(self.ids)) for u in uniq], dtype=np.int64)[codes]
        dcodes, duniq = pd.factorize(mentions["doc_id"], use_na_sentinel=False)
        d = np.array([self._docs.setdefault(u, len(self._docs)) for u in duniq], dtype=np.int64)[dcodes]
        n = np.bincount(e, minlength=len(self.ids))
        n[: len(self._n)] += self._n
        self._n = n
        self._pairs.append(np.unique((e << 32) | d))
        rows = np.arange(self._rows, self._rows + len(e))
        for col in self.VALUES:
            v = mentions[col].astype(object)
            v = v.where(v.notna(), None).to_numpy()
            agg = pd.DataFrame({"e": e, "v": v, "p": rows}).groupby(["e", "v"], sort=False, dropna=False)["p"].agg(["size", "min"])
            for key, size, lo in zip(agg.index, agg["size"].tolist(), agg["min"].tolist()):
                _tally(self._values[col], key, size, lo)
        self._rows += len(e)

    def merged(self, id_map: dict[str, str]) -> "MentionStats":
        """The same aggregates after replacing ids by `id_map` (counts summed, documents united)."""
        out = MentionStats()
        out._docs, out._rows = self._docs, self._rows
        for eid in self.ids:
            out.ids.setdefault(id_map.get(eid, eid), len(out.ids))
        to = np.array([out.ids[id_map.get(eid, eid)] for eid in self.ids], dtype=np.int64)
        out._n = np.bincount(to, weights=self._n, minlength=len(out.ids)).astype(np.int64) if len(to) else out._n
        pairs = self._doc_pairs()
        out._pairs = [np.unique((to[pairs >> 32] << 32) | (pairs & 0xFFFFFFFF))] if len(pairs) else []
        for col in self.VALUES:
            for (code, v), (size, lo) in self._values[col].items():
                _tally(out._values[col], (int(to[code]), v), size, lo)
        return out

    def _doc_pairs(self) -> np.ndarray:
        if len(self._pairs) > 1:
            self._pairs = [np.concatenate(self._pairs)]  # documents never repeat across adds: still distinct
        return self._pairs[0] if self._pairs else np.zeros(0, dtype=np.int64)

    def counts(self) -> dict[str, int]:
        """entity_id -> mentions."""
        return dict(zip(self.ids, self._n.tolist()))

    def n_docs(self) -> dict[str, int]:
        """entity_id -> documents it is mentioned in."""
        per = np.bincount(self._doc_pairs() >> 32, minlength=len(self.ids))
        return dict(zip(self.ids, per.tolist()))

    def docs_of(self, ids: Iterable[str]) -> dict[str, set[int]]:
        """entity_id -> codes of the documents it occurs in, for ``ids``."""
        want = {self.ids[e]: e for e in ids if e in self.ids}
        out: dict[str, set[int]] = {e: set() for e in want.values()}
        pairs = self._doc_pairs()
        codes = pairs >> 32
        keep = np.isin(codes, np.fromiter(want, dtype=np.int64, count=len(want)))
        for c, d in zip(codes[keep].tolist(), (pairs[keep] & 0xFFFFFFFF).tolist()):
            out[want[c]].add(d)
        return out

    def modes(self, col: str) -> dict[str, object]:
        """entity_id -> its most frequent ``col`` value (ties: the value seen first)."""
        best: dict[int, tuple[int, int, object]] = {}
        for (code, v), (size, lo) in self._values[col].items():
            cur = best.get(code)
            if cur is None or (size, -lo) > (cur[0], -cur[1]):
                best[code] = (size, lo, v)
        names = list(self.ids)
        return {names[c]: v for c, (_s, _l, v) in best.items()}

    def values(self, col: str) -> dict[str, list]:
        """entity_id -> its distinct ``col`` values."""
        names = list(self.ids)
        out: dict[str, list] = defaultdict(list)
        for code, v in self._values[col]:
            out[names[code]].append(v)
        return out


def corpus_id_map(mentions: "pd.DataFrame | MentionStats") -> dict[str, str]:
    """Cross-document merges of non-gazetteer ids (old id -> kept id).

    Two guarded rules, never touching gazetteer ids and never merging two ids
    that both occur in one document (the per-document resolution kept them apart):

    - the same name under different labels (``gpe:michael_conte`` vs
      ``person:michael_conte``) -> the most frequent label's id;
    - a PERSON name that spells exactly one other, more frequent PERSON name of the
      corpus (compatible first names, same surname skeleton): ``person:michael_mccal``
      -> ``person:michael_mccall``; a bare surname -> the one full name with that surname.
    """
    stats = mentions if isinstance(mentions, MentionStats) else MentionStats.of(mentions)
    # one gazetteer look-up per distinct id, not per row (rows are hundreds of thousands at scale)
    everything = stats.counts()
    counts = {e: n for e, n in sorted(everything.items(), key=lambda kv: -kv[1]) if gz.get(e) is None}
    if not counts:
        return {}
    docs_of = stats.docs_of(counts)
    names = stats.modes("canonical_name")
    id_map: dict[str, str] = {}

    # 1. same slug, different label prefix
    gaz_by_slug: dict[str, list[str]] = defaultdict(list)
    for a in gz.load_actors().values():
        gaz_by_slug[_id_name(a.entity_id)].append(a.entity_id)
    by_slug: dict[str, list[str]] = {}
    for eid in counts:
        by_slug.setdefault(_id_name(eid), []).append(eid)
    for slug, ids in by_slug.items():
        if len(ids) < 2:
            continue
        gaz = gaz_by_slug.get(slug, [])
        target = gaz[0] if len(gaz) == 1 else max(ids, key=lambda e: (e.startswith("person:"), counts[e], e))
        for eid in ids:
            if eid != target and not (docs_of[eid] & docs_of.get(target, set())):
                id_map[eid] = target

    # 2. spellings of one person across documents (blocked by surname, so it scales)
    persons = [e for e in counts if e.startswith("person:") and e not in id_map]
    # the full names every other name is compared with, split once
    full = {
        e: _Person(e, names[e], _first(names[e]), _surname(names[e])) for e in persons if len(names[e].split()) >= 2
    }
    by_surname: dict[str, list[str]] = defaultdict(list)
    by_skeleton: dict[str, list[str]] = defaultdict(list)
    for o, p in full.items():
        by_surname[gz.key(p.surname)].append(o)
        by_skeleton[skeleton(p.surname)].append(o)
    surname_keys = list(by_surname)
    for eid in persons:
        name = names[eid]
        first, sur = _first(name), _surname(name)
        if first is None:
            same = by_surname.get(gz.key(sur), [])
            ok = [o for o in same if o != eid and (counts[o], eid) > (counts[eid], o) and not (docs_of[o] & docs_of[eid])]
            if len(same) == 1 and len(ok) == 1:
                id_map[eid] = ok[0]
            continue
        near = set(by_skeleton.get(skeleton(sur), ()))
        for k, _score, _i in process.extract(gz.key(sur), surname_keys, scorer=fuzz.ratio, score_cutoff=90, limit=None):
            near.update(by_surname[k])
        pool = [
            full[o]
            for o in near
            if o != eid and (counts[o], eid) > (counts[eid], o) and not (docs_of[o] & docs_of[eid])
        ]
        hit = _best(first, sur, pool)
        if hit is not None and gz.key(hit.canonical) != gz.key(name):
            id_map[eid] = hit.entity_id
    # follow chains (a -> b -> c)
    for k in list(id_map):
        seen = {k}
        while id_map[k] in id_map and id_map[k] not in seen:
            seen.add(id_map[k])
            id_map[k] = id_map[id_map[k]]
    return {k: v for k, v in id_map.items() if k != v}


def entities_frame(mentions: "pd.DataFrame | MentionStats") -> pd.DataFrame:
    """One row per canonical entity, with counts, affiliation, aliases and Wikidata id.

    Type and canonical name come from the gazetteer when the id is in it; otherwise
    the most frequent label and surface of the entity's mentions.
    """
    stats = mentions if isinstance(mentions, MentionStats) else MentionStats.of(mentions)
    if not stats.ids:
        return to_frame("entities", [])
    n_mentions, n_docs = stats.counts(), stats.n_docs()
    surfaces_of = stats.values("surface")
    canonical_of = stats.modes("canonical_name")
    label_of = stats.modes("label")
    rows = []
    for eid in sorted(stats.ids):
        n, nd = n_mentions[eid], n_docs[eid]
        a = gz.get(eid)
        # (lower, exact) so the order never depends on set iteration (hash seeds differ per process)
        surfaces = sorted({str(x) for x in surfaces_of[eid]}, key=lambda x: (x.lower(), x))
        if a is not None:
            aliases = sorted((set(surfaces) | set(a.aliases)) - {a.canonical_name}, key=lambda x: (x.lower(), x))
            rows.append(Entity(eid, a.canonical_name, a.type, a.affiliation, "; ".join(aliases), a.wikidata_id, int(n), int(nd)))
        else:
            canonical = canonical_of[eid]
            label = eid.split(":", 1)[0].upper() if ":" in eid else label_of[eid]
            aliases = [x for x in surfaces if x != canonical]
            rows.append(Entity(eid, canonical, label, None, "; ".join(aliases), None, int(n), int(nd)))
    return to_frame("entities", rows)
