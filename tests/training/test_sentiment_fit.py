"""The `fast` sentiment calibration's fit (training code, outside the package): it learns the sign of rated texts.

`training/` is imported from the repository root (pytest's `pythonpath` setting in pyproject.toml).
"""
from sentiment_sentences import NEGATIVE, POSITIVE
from training.sentiment_fit import fit

from ukraine_briefs.extract import sentiment


def test_fit_recovers_direction():
    texts = POSITIVE + NEGATIVE
    ratings = [2.0] * len(POSITIVE) + [-2.0] * len(NEGATIVE)
    w = fit(texts * 3, ratings * 3, min_count=1)
    assert w["features"] == list(sentiment.FEATURES) and w["rating_scale"] == sentiment.RATING_SCALE
    pred = sentiment.predict_ratings(texts, w, method="fast")
    assert (pred[: len(POSITIVE)] > 0).all() and (pred[len(POSITIVE):] < 0).all()
