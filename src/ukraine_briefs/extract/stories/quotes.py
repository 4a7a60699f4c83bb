"""The same quotation across documents -> one ``quote_group``, allowing spun wording.

Quotes are compared as their content keys (`text.keys`: stems, spin synonyms
mapped, stop words gone). Candidates come from a MinHash LSH index over the key
sets; a candidate pair is the same quotation when rapidfuzz's token-set ratio
of the two key strings reaches `SAME_QUOTE` (a partial quote inside a longer
quotation of the same words scores 100). Groups are joined transitively and
named after their earliest quote (corpus order); every quote has a group, a
quotation reported once is a group of one.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable

import pandas as pd
from datasketch import LeanMinHash, MinHash, MinHashLSH
from rapidfuzz import fuzz

from ukraine_briefs.extract.stories.text import keys
from ukraine_briefs.extract.stories.groups import UnionFind

NUM_PERM = 64
CANDIDATE_JACCARD = 0.3
#: token-set ratio (0..100) of the key strings at which two quotes are one quotation
SAME_QUOTE = 85
#: fewer distinct content words than this: too short to tell apart ("serious consequences")
MIN_KEYS = 4


def text_digest(text: str) -> bytes:
    """A 16-byte digest of a quote's text: its key in a memo of `quote_features`."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def quote_features(text: str) -> tuple[str, LeanMinHash] | None:
    """A quote's sorted distinct keys (space-joined) and their MinHash; None with fewer than `MIN_KEYS`."""
    k = sorted(set(keys(text)))
    if len(k) < MIN_KEYS:
        return None
    mh = MinHash(num_perm=NUM_PERM, seed=1)
    mh.update_batch([x.encode("utf-8") for x in k])
    return " ".join(k), LeanMinHash(mh)


def quote_groups(quotes: Iterable[pd.DataFrame], memo: dict | None = None, used: set | None = None) -> dict[str, str]:
    """quote_id -> ``qg-<first quote_id>`` for chunks of quotes rows (quote_id, text) in corpus order.

    ``memo`` (`text_digest` -> `quote_features`) answers for texts seen before and is filled
    with the rest; ``used`` collects the digests asked for (what the next build may keep).

    Quotes with the same key string are one quotation (their ratio is 100), so the LSH index
    and the pair checks work on the distinct key strings: a quotation repeated by hundreds of
    reports is one entry, not hundreds of candidate pairs. Groups are the connected components
    of the pairs that pass, so a pair already joined through others is not checked again.
    """
    order: list[tuple[str, str | None]] = []  # (quote_id, its key string; None: too short, alone)
    lsh = MinHashLSH(threshold=CANDIDATE_JACCARD, num_perm=NUM_PERM)
    hashes: dict[str, LeanMinHash] = {}
    for chunk in quotes:
        for qid, text in zip(chunk["quote_id"].astype(str), chunk["text"]):
            text = str(text or "")
            if memo is None:
                feat = quote_features(text)
            else:
                d = text_digest(text)
                if used is not None:
                    used.add(d)
                if d not in memo:
                    memo[d] = quote_features(text)
                feat = memo[d]
            order.append((qid, None if feat is None else feat[0]))
            if feat is not None and feat[0] not in hashes:
                hashes[feat[0]] = feat[1]
                lsh.insert(feat[0], feat[1])
    union = UnionFind()
    for k, mh in hashes.items():
        for other in lsh.query(mh):
            if other != k and union.find(other) != union.find(k) and fuzz.token_set_ratio(k, other) >= SAME_QUOTE:
                union.join(k, other)
    first: dict[str, str] = {}
    out = {}
    for qid, k in order:
        out[qid] = "qg-" + (qid if k is None else first.setdefault(union.find(k), qid))
    return out
