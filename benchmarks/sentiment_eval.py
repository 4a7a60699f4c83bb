"""Measure sentence sentiment against human ratings of news sentences (NYT dev file).

Usage::

    python benchmarks/sentiment_eval.py ../shared/data/nyt_sentiment_dev.tsv [--write-weights]

Reports Pearson r and 3-class accuracy (neutral band |rating| <= 0.5 on the -4..4
scale; our -1..1 score is rating/4, so its band is |score| <= 0.125) for plain
VADER and for the package's calibrated method (lexicon features + bag of stems +
mean GloVe vector), and the calibration without its GloVe block. It is scored by
cross-validation split by *article* (id = article_sentence), so no sentence of a
test article is seen in training: 5-fold (three shuffles) and 2-fold (train on
half the articles, test on the other half, like the held-out half).
``--speed`` also times `sentiment.scores` on the file (sentences/s, median of 3).
``--write-weights`` refits on the whole file and writes
``src/ukraine_briefs/data/sentiment_weights.v1.json``. Not part of the test suite:
the data lives outside the repository.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # training/ sits beside benchmarks/, not installed
from training.sentiment_fit import fit  # noqa: E402

from ukraine_briefs import config  # noqa: E402
from ukraine_briefs.extract import sentiment  # noqa: E402
from ukraine_briefs.extract.sentiment import ports  # noqa: E402


def read_tsv(path: Path) -> tuple[list[str], np.ndarray, np.ndarray]:
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    texts = [r["text"] for r in rows]
    ratings = np.array([float(r["rating"]) for r in rows])
    articles = np.array([r["id"].split("_")[0] for r in rows])
    return texts, ratings, articles


def classes(values: np.ndarray, band: float) -> np.ndarray:
    return np.where(values > band, 1, np.where(values < -band, -1, 0))


def metrics(pred_rating: np.ndarray, ratings: np.ndarray, *, band: float = 0.5) -> dict:
    return {
        "r": round(float(np.corrcoef(pred_rating, ratings)[0, 1]), 3),
        "acc": round(float((classes(pred_rating, band) == classes(ratings, 0.5)).mean()), 3),
    }


def cross_val(texts, ratings, articles, *, k: int, seed: int, **fit_kw) -> np.ndarray:
    """Out-of-fold predicted ratings, folds drawn by article (``fit_kw`` go to `training.sentiment_fit.fit`)."""
    uniq = np.random.RandomState(seed).permutation(np.unique(articles))
    fold_of = {a: i % k for i, a in enumerate(uniq)}
    folds = np.array([fold_of[a] for a in articles])
    pred = np.zeros(len(texts))
    for f in range(k):
        train = np.where(folds != f)[0]
        test = np.where(folds == f)[0]
        w = fit([texts[i] for i in train], ratings[train], **fit_kw)
        pred[test] = np.clip(sentiment.predict_ratings([texts[i] for i in test], w), -4, 4)
    return pred


def mean_runs(runs: list[dict]) -> dict:
    return {
        "r": round(float(np.mean([m["r"] for m in runs])), 3),
        "acc": round(float(np.mean([m["acc"] for m in runs])), 3),
        "runs": runs,
    }


def speed(texts: list[str], repeats: int = 3) -> float:
    """Sentences per second of `sentiment.scores` on ``texts`` (median of ``repeats``, after a warm-up)."""
    import time

    sentiment.scores(texts[:50])  # loads the lexicons and GloVe
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        sentiment.scores(texts)
        times.append(time.perf_counter() - t0)
    return len(texts) / float(np.median(times))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("tsv", type=Path, help="nyt_sentiment_dev.tsv (id, rating, text)")
    ap.add_argument("--write-weights", action="store_true", help="refit on the whole file and write the weights")
    ap.add_argument("--speed", action="store_true", help="also time sentiment.scores on the file")
    args = ap.parse_args(argv)
    texts, ratings, articles = read_tsv(args.tsv)
    print(f"{len(texts)} sentences, {len(np.unique(articles))} articles")

    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    plain = SentimentIntensityAnalyzer()
    compound = np.array([plain.polarity_scores(t)["compound"] for t in texts])
    results = {
        "plain VADER (compound, band 0.05)": metrics(compound * 4, ratings, band=0.2),
        "plain VADER (compound*4, band 0.5)": metrics(compound * 4, ratings),
    }
    adjusted = np.array([ports.vader().polarity_scores(t)["compound"] for t in texts])
    results["VADER + news lexicon (compound*4)"] = metrics(adjusted * 4, ratings)
    # a huge GloVe penalty zeroes that block: the calibration as it was before GloVe
    for name, kw in (("calibrated without GloVe", {"lam_glove": 1e12}), ("calibrated", {})):
        for k in (5, 2):
            runs = [metrics(cross_val(texts, ratings, articles, k=k, seed=s, **kw), ratings) for s in range(3)]
            results[f"{name}, {k}-fold by article"] = mean_runs(runs)
    for name, m in results.items():
        print(f"{name:45s} r={m['r']:.3f} acc={m['acc']:.3f}")
    if args.write_weights:
        w = fit(texts, ratings)
        w["cv"] = {k: {"r": v["r"], "acc": v["acc"]} for k, v in results.items()}
        out = config.DATA_DIR / sentiment.WEIGHTS_FILE
        out.write_text(json.dumps(w, indent=1, sort_keys=False) + "\n", encoding="utf-8")
        print(f"wrote {out} ({len(w['vocab'])} words)")
    if args.speed:  # after --write-weights: the weights are read on first use
        print(f"sentiment.scores: {speed(texts):,.0f} sentences/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
