"""The `fast` sentiment calibration's fit (training code, outside the package): it learns the sign of rated texts.

`training/` is imported from the repository root, which `python -m pytest` (as in the Makefile) puts on sys.path.
"""
from training.sentiment_fit import fit

from ukraine_briefs.extract import sentiment

POSITIVE = [
    "He welcomed the constructive talks and praised the progress.",
    "The talks were a great success and both sides welcomed the breakthrough.",
    "Blinken said that the meeting was a success.",
    "The ceasefire is holding and residents are relieved and hopeful.",
]
NEGATIVE = [
    "“The threat on our Western frontier is really growing,” Putin said at the Kremlin earlier Wednesday.",
    "The shelling killed 12 civilians and destroyed a hospital.",
    "Russian troops killed dozens of civilians in a brutal attack.",
]


def test_fit_recovers_direction():
    texts = POSITIVE + NEGATIVE
    ratings = [2.0] * len(POSITIVE) + [-2.0] * len(NEGATIVE)
    w = fit(texts * 3, ratings * 3, min_count=1)
    assert w["features"] == list(sentiment.FEATURES) and w["rating_scale"] == sentiment.RATING_SCALE
    pred = sentiment.predict_ratings(texts, w, method="fast")
    assert (pred[: len(POSITIVE)] > 0).all() and (pred[len(POSITIVE):] < 0).all()
