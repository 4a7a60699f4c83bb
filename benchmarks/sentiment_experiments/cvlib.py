"""Article-split CV of block ridge models on the NYT dev file (same protocol as benchmarks/sentiment_eval.py).

Blocks come from ``dump_blocks.py`` (lexicon X, GloVe G, bag of stems) plus any extra
sentence-embedding matrix (rows aligned with the TSV). The ridge reproduces
``training.sentiment_fit.fit``: one penalty ``lam`` with each other block column-scaled by
sqrt(lam / lam_block); vocabulary = stems seen in >= 3 training texts.
Decisions: ``label = classes(pred, 0.5)`` unless a monotone recalibration is fitted
inside the training folds (``decide``).
"""
from __future__ import annotations
import json, math
import numpy as np

D = "/tmp/sx"


def load(d=D):
    b = np.load(f"{d}/blocks.npz")
    bow = json.load(open(f"{d}/bow.json"))["bow"]
    return b["X"], b["G"], b["y"], b["art"], bow


def classes(v, band=0.5):
    return np.where(v > band, 1, np.where(v < -band, -1, 0))


def folds(art, k, seed):
    u = np.random.RandomState(seed).permutation(np.unique(art))
    fo = {a: i % k for i, a in enumerate(u)}
    return np.array([fo[a] for a in art])


def bow_matrix(bow, tr, min_count=3):
    counts = {}
    for i in tr:
        for t in bow[i]:
            counts[t] = counts.get(t, 0) + 1
    vocab = sorted(t for t, c in counts.items() if c >= min_count)
    col = {t: j for j, t in enumerate(vocab)}
    B = np.zeros((len(bow), len(vocab)))
    for i, ts in enumerate(bow):
        for t in ts:
            j = col.get(t)
            if j is not None:
                B[i, j] = 1.0
    return B


def ridge_fit_predict(blocks, lams, lam, y, tr, te, sw=None):
    """blocks: list of (n, p) arrays; lams: their penalties; first block is unscaled at ``lam``.
    sw: optional per-row sample weights (weighted least squares)."""
    Z = np.hstack([Bk * math.sqrt(lam / lk) for Bk, lk in zip(blocks, lams)])
    s = np.ones(len(tr)) if sw is None else sw[tr] * len(tr) / sw[tr].sum()
    zm, ym = (Z[tr] * s[:, None]).sum(0) / s.sum(), (y[tr] * s).sum() / s.sum()
    Zc = (Z[tr] - zm) * np.sqrt(s)[:, None]
    yc = (y[tr] - ym) * np.sqrt(s)
    n, p = Zc.shape
    if p > n:  # dual form
        a = np.linalg.solve(Zc @ Zc.T + lam * np.eye(n), yc)
        w = Zc.T @ a
    else:
        w = np.linalg.solve(Zc.T @ Zc + lam * np.eye(p), Zc.T @ yc)
    return (Z[te] - zm) @ w + ym


def make_model(X, G, bow, extra=(), *, lam=1.0, lam_bow=100.0, lam_glove=100.0, use_glove=True, use_bow=True,
               use_lex=True, polar_weight=0.0):
    """extra: list of (matrix, penalty). Returns predict(y, tr, te) -> ratings for te."""
    def predict(y, tr, te):
        blocks, lams = [], []
        if use_lex:
            blocks.append(X); lams.append(lam)
        if use_bow:
            blocks.append(bow_matrix(bow, tr)); lams.append(lam_bow)
        if use_glove:
            blocks.append(G); lams.append(lam_glove)
        for M, lk in extra:
            blocks.append(M); lams.append(lk)
        sw = 1.0 + polar_weight * (np.abs(y) > 0.5) if polar_weight else None
        return ridge_fit_predict(blocks, lams, lam, y, tr, te, sw)
    return predict


def oof(predict, y, art, idx, k=5, seed=0):
    """Out-of-fold predictions for the rows ``idx`` (inner article-split CV)."""
    fo = folds(art[idx], k, seed)
    p = np.zeros(len(idx))
    for f in range(k):
        p[fo == f] = predict(y, idx[fo != f], idx[fo == f])
    return p


def fit_band(p, y):
    """Thresholds (lo, hi) on predictions maximising 3-class accuracy; returns monotone map to rating scale."""
    cy = classes(y)
    grid = np.linspace(0.0, 1.0, 41)
    best = (-1, 0.5, 0.5)
    for lo in grid:
        for hi in grid:
            acc = (np.where(p > hi, 1, np.where(p < -lo, -1, 0)) == cy).mean()
            if acc > best[0] + 1e-12 or (abs(acc - best[0]) < 1e-12 and abs(lo - 0.5) + abs(hi - 0.5) < abs(best[1] - 0.5) + abs(best[2] - 0.5)):
                best = (acc, lo, hi)
    return best[1], best[2]


def band_map(p, lo, hi):
    """Piecewise-linear monotone map sending -lo -> -0.5, 0 -> 0, hi -> 0.5 (then scaled beyond)."""
    lo, hi = max(lo, 1e-3), max(hi, 1e-3)
    return np.where(p >= 0, p * 0.5 / hi, p * 0.5 / lo)


def fit_stretch(p, y):
    cy = classes(y); m = p.mean()
    best = (-1, 1.0)
    for s in np.arange(0.8, 1.81, 0.05):
        acc = (classes(m + s * (p - m)) == cy).mean()
        if acc > best[0] + 1e-12:
            best = (acc, s)
    return best[1]


def cross_val(predict, y, art, k, seed, decide=None, inner_k=5):
    """Outer article-split CV. decide in {None, 'band', 'stretch'} fitted on inner OOF preds of the training rows."""
    fo = folds(art, k, seed)
    pred = np.zeros(len(y))
    for f in range(k):
        tr, te = np.where(fo != f)[0], np.where(fo == f)[0]
        p = predict(y, tr, te)
        if decide:
            pin = oof(predict, y, art, tr, k=inner_k, seed=100 + seed)
            if decide == "band":
                lo, hi = fit_band(pin, y[tr]); p = band_map(p, lo, hi)
            elif decide == "stretch":
                s = fit_stretch(pin, y[tr]); m = pin.mean(); p = m + s * (p - m)
        pred[te] = np.clip(p, -4, 4)
    return pred


def metrics(p, y):
    return float(np.corrcoef(p, y)[0, 1]), float((classes(p) == classes(y)).mean())


def evaluate(predict, y, art, decide=None, seeds=(0, 1, 2)):
    out = {}
    for k in (5, 2):
        ms = [metrics(cross_val(predict, y, art, k, s, decide), y) for s in seeds]
        out[k] = (float(np.mean([m[0] for m in ms])), float(np.mean([m[1] for m in ms])))
    return out


def fmt(name, res):
    return f"{name:55s} 5f r={res[5][0]:.3f} acc={res[5][1]:.3f} | 2f r={res[2][0]:.3f} acc={res[2][1]:.3f}"


def nested(makers, criterion="mse", inner_k=5):
    """A predict() that picks one of ``makers`` (name -> predict) on each training set by an inner article-split
    CV (criterion 'mse' or 'acc'), then refits it on the whole training set. ``nested.chosen`` logs the picks."""
    chosen = []

    def predict(y, tr, te, art=None):
        best = None
        for name, m in makers.items():
            p = oof(m, y, predict.art, tr, k=inner_k, seed=7)
            score = -np.mean((p - y[tr]) ** 2) if criterion == "mse" else (classes(p) == classes(y[tr])).mean()
            if best is None or score > best[0]:
                best = (score, name)
        chosen.append(best[1])
        return makers[best[1]](y, tr, te)
    predict.chosen = chosen
    return predict
