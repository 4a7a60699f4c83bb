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

from collections.abc import Iterable

import pandas as pd
from datasketch import MinHash, MinHashLSH
from rapidfuzz import fuzz

from ukraine_briefs.extract.stories.text import keys
from ukraine_briefs.extract.stories.groups import UnionFind

NUM_PERM = 64
CANDIDATE_JACCARD = 0.3
#: token-set ratio (0..100) of the key strings at which two quotes are one quotation
SAME_QUOTE = 85
#: fewer distinct content words than this: too short to tell apart ("serious consequences")
MIN_KEYS = 4


def quote_groups(quotes: Iterable[pd.DataFrame]) -> dict[str, str]:
    """quote_id -> ``qg-<first quote_id>`` for chunks of quotes rows (quote_id, text) in corpus order."""
    order: list[str] = []
    keyed: dict[str, str] = {}
    lsh = MinHashLSH(threshold=CANDIDATE_JACCARD, num_perm=NUM_PERM)
    hashes: dict[str, MinHash] = {}
    for chunk in quotes:
        for qid, text in zip(chunk["quote_id"].astype(str), chunk["text"]):
            order.append(qid)
            k = sorted(set(keys(str(text or ""))))
            if len(k) < MIN_KEYS:
                continue
            keyed[qid] = " ".join(k)
            mh = MinHash(num_perm=NUM_PERM, seed=1)
            mh.update_batch([x.encode("utf-8") for x in k])
            lsh.insert(qid, mh)
            hashes[qid] = mh
    union = UnionFind()
    for qid, mh in hashes.items():
        for other in lsh.query(mh):
            if other != qid and fuzz.token_set_ratio(keyed[qid], keyed[other]) >= SAME_QUOTE:
                union.join(qid, other)
    first: dict[str, str] = {}
    out = {}
    for qid in order:
        root = union.find(qid)
        out[qid] = "qg-" + first.setdefault(root, qid)
    return out
