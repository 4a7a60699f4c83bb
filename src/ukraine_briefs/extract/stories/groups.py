"""Near-duplicate documents -> story groups: MinHash LSH candidates, then a sentence-alignment check.

A spun or machine-translated copy keeps the facts and most content words of
its source but swaps synonyms and reorders clauses and paragraphs. So each
document is reduced to (1) a MinHash of its content keys and unordered key
pairs (`text.shingles`), which datasketch's LSH index turns into candidate
pairs without comparing all pairs, and (2) its sentences as sets of key hashes
(`text.sentence_keys`), on which each candidate pair is checked: the share of
the shorter document's sentences that find a counterpart (Jaccard of keys >=
`ALIGNED`) in the other. Pairs above `SAME_STORY` are joined (union-find); the
earliest member of a group (publication date, then corpus order) is its
original, and every member's similarity is its alignment share with it.

Memory per document: one 128-value signature and ~4 bytes per content word.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from ukraine_briefs.extract.stories.text import features

NUM_PERM = 128
#: LSH threshold for candidates (estimated Jaccard of shingle sets); kept low because a
#: heavily spun copy keeps only about a third of its source's neighbouring-word pairs
CANDIDATE_JACCARD = 0.15
#: two sentences are counterparts when this share of their keys (Jaccard) is common
ALIGNED = 0.45
#: a counterpart with less overlap than this had words changed (spun, translated again)
VERBATIM = 0.9
#: share of the shorter document's sentences with a counterpart, to be the same story
SAME_STORY = 0.6
#: ... and at least this many aligned sentences (a three-line brief is not a copy of an article)
MIN_ALIGNED = 3
_SEED = 1


@dataclass
class Sketch:
    """What grouping keeps of one document."""

    doc_id: str
    rank: tuple  # (publication date or max, corpus position): the earliest member is the original
    sentences: list[np.ndarray]
    minhash: MinHash | LeanMinHash | None = field(default=None, repr=False)
    #: the document's content hash: the key of its remembered pair checks (`story_groups`); None: none kept
    key: str | None = None


def sketch(doc_id: str, text: str, rank: tuple) -> Sketch:
    """The MinHash and sentence keys of one cleaned text."""
    sents, sh = features(text)
    mh = None
    if sh:
        mh = MinHash(num_perm=NUM_PERM, seed=_SEED)
        mh.update_batch(list(sh))
        mh = LeanMinHash(mh)  # the values without the permutations: what is kept and compared
    return Sketch(doc_id, rank, sents, mh)


@dataclass(frozen=True)
class Alignment:
    """How the sentences of two documents line up."""

    share: float  # aligned sentences / sentences of the shorter document
    aligned: int
    reworded: int  # aligned sentences whose words differ (Jaccard < VERBATIM)


def align(a: list[np.ndarray], b: list[np.ndarray]) -> Alignment:
    """Each sentence of the shorter document -> its best counterpart in the other (by key Jaccard).

    Examples:
        >>> s = [np.array([1, 2, 3, 4], dtype=np.uint32), np.array([5, 6, 7, 8], dtype=np.uint32)]
        >>> align(s, [s[1], np.array([1, 2, 3, 9], dtype=np.uint32)])
        Alignment(share=1.0, aligned=2, reworded=1)
    """
    if len(a) > len(b):
        a, b = b, a
    if not a:
        return Alignment(0.0, 0, 0)
    index: dict[int, list[int]] = defaultdict(list)
    for j, s in enumerate(b):
        for h in s.tolist():
            index[h].append(j)
    aligned = reworded = 0
    for s in a:
        common = Counter(j for h in s.tolist() for j in index.get(h, ()))
        best = max((n / (len(s) + len(b[j]) - n) for j, n in common.items()), default=0.0)
        if best >= ALIGNED:
            aligned += 1
            reworded += best < VERBATIM
    return Alignment(aligned / len(a), aligned, reworded)


def _same_story(al: Alignment) -> bool:
    return al.share >= SAME_STORY and al.aligned >= MIN_ALIGNED


class BandIndex:
    """The candidates datasketch's ``MinHashLSH`` gives (the MinHashes that agree with the one asked about
    on every value of at least one band), from arrays: a bucket number per band and document, and per
    band the documents in bucket order. The same band layout as ``MinHashLSH(threshold, num_perm)``;
    about 0.8 KB a document, where the LSH's dicts of byte strings took 6.4 KB (64 MB at 10,000)."""

    def __init__(self, minhashes: list, threshold: float, num_perm: int):
        ranges = MinHashLSH(threshold=threshold, num_perm=num_perm).hashranges  # its band layout only
        n = len(minhashes)
        values = np.stack([m.hashvalues for m in minhashes]) if n else np.zeros((0, num_perm), np.uint64)
        self.buckets = np.zeros((n, len(ranges)), dtype=np.int32)
        self.bands: list[tuple[np.ndarray, np.ndarray]] = []
        for j, (a, b) in enumerate(ranges):
            band = np.ascontiguousarray(values[:, a:b])
            keys = band.view(np.dtype((np.void, band.itemsize * (b - a)))).ravel()
            _, bucket = np.unique(keys, return_inverse=True)
            bucket = bucket.ravel().astype(np.int32)
            order = np.argsort(bucket, kind="stable").astype(np.int32)
            starts = np.searchsorted(bucket[order], np.arange(bucket.max(initial=-1) + 2)).astype(np.int32)
            self.buckets[:, j] = bucket
            self.bands.append((order, starts))

    def query(self, i: int) -> np.ndarray:
        """Positions of the candidates of MinHash ``i`` (itself included), sorted."""
        parts = [order[starts[k]:starts[k + 1]] for (order, starts), k in zip(self.bands, self.buckets[i].tolist())]
        return np.unique(np.concatenate(parts)) if parts else np.zeros(0, np.int32)


class Components:
    """Disjoint sets of positions 0..n-1 as a label array (joined by relabelling the smaller set), so a
    whole candidate array is filtered by set at once."""

    def __init__(self, n: int):
        self.label = np.arange(n, dtype=np.int64)
        self.members: dict[int, list[int]] = {}

    def join(self, a: int, b: int) -> None:
        la, lb = int(self.label[a]), int(self.label[b])
        if la == lb:
            return
        ma, mb = self.members.get(la, [la]), self.members.get(lb, [lb])
        if len(ma) < len(mb):
            la, lb, ma, mb = lb, la, mb, ma
        self.label[mb] = la
        ma.extend(mb)
        self.members[la] = ma
        self.members.pop(lb, None)


class UnionFind:
    """Disjoint sets of ids (path halving): the groups joined pair by pair."""

    def __init__(self):
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        p = self.parent.setdefault(x, x)
        while p != self.parent.setdefault(p, p):
            self.parent[x] = p = self.parent[p]
        return p

    def join(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)


@dataclass(frozen=True)
class Member:
    """One document's place in its story."""

    story_id: str
    doc_id: str
    role: str  # original / copy
    original_id: str
    similarity: float  # alignment share with the original (1.0 for the original)
    reworded: int  # sentences aligned with the original with words changed
    aligned: int


def _remembered(memo: dict | None, key: tuple, compute):
    """``compute()``, or its answer for ``key`` in ``memo`` (filled when missing; None or a key part None: no memo)."""
    if memo is None or None in key:
        return compute()
    answer = memo.get(key)
    if answer is None:
        memo[key] = answer = compute()
    return answer


def story_groups(sketches: list[Sketch], pairs: dict | None = None, aligned: dict | None = None) -> list[Member]:
    """Every sketched document's story (a document alone is the original of a story of one).

    ``story_id`` is ``story-<doc_id of the original>``, stable while the original stays earliest.
    ``pairs`` and ``aligned`` remember (by the sketches' ``key``) each candidate pair's check and each
    copy's alignment with its original, for the next build (`memo.Memo`): both are functions of the two
    documents' content only, so remembered answers give the same groups. The groups are the connected
    components of the same-story pairs among LSH candidates, whatever order the pairs are checked in.
    """
    n = len(sketches)
    hashed = [i for i, s in enumerate(sketches) if s.minhash is not None]
    index = BandIndex([sketches[i].minhash for i in hashed], CANDIDATE_JACCARD, NUM_PERM)
    at = np.array(hashed, dtype=np.int64)
    # each pair is checked once, from the document whose id sorts first (as comparing the ids would)
    rank = np.empty(n, dtype=np.int64)
    rank[sorted(range(n), key=lambda i: sketches[i].doc_id)] = np.arange(n)
    comp = Components(n)
    for j, i in enumerate(hashed):
        s = sketches[i]
        cand = at[index.query(j)]
        cand = cand[(rank[cand] > rank[i]) & (comp.label[cand] != comp.label[i])]
        for c in cand.tolist():
            if comp.label[c] == comp.label[i]:  # joined meanwhile
                continue
            o = sketches[c]
            # LSH answers near its threshold too: the estimated Jaccard is checked before aligning
            if _remembered(pairs, (s.key, o.key), lambda: s.minhash.jaccard(o.minhash) >= CANDIDATE_JACCARD
                           and _same_story(align(s.sentences, o.sentences))):
                comp.join(i, c)
    groups: dict[int, list[Sketch]] = defaultdict(list)
    for i, s in enumerate(sketches):
        groups[int(comp.label[i])].append(s)
    out = []
    for members in groups.values():
        members.sort(key=lambda m: m.rank)
        first = members[0]
        sid = f"story-{first.doc_id}"
        out.append(Member(sid, first.doc_id, "original", first.doc_id, 1.0, 0, len(first.sentences)))
        for m in members[1:]:
            al = _remembered(aligned, (m.key, first.key), lambda: align(m.sentences, first.sentences))
            out.append(Member(sid, m.doc_id, "copy", first.doc_id, round(al.share, 4), al.reworded, al.aligned))
    order = {s.doc_id: i for i, s in enumerate(sketches)}
    out.sort(key=lambda m: order[m.doc_id])
    return out
