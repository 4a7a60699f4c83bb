"""Sentence and quote sentiment in -1..1: `scores(texts)`, `score(text)`, `label(value)`.

`scoring` holds the two methods (``fast``: lexicons + GloVe ridge; ``accurate``:
its mean with a fine-tuned MiniLM), `ports` the faster VADER and TextBlob
ports they read, `encoder` the MiniLM (ONNX Runtime; a numpy reference), `reuse` a quote's
score from the sentences it fills. Fitting the
weights is not run-time code: it lives in ``training/sentiment_fit.py``.
"""
from ukraine_briefs.extract.sentiment import reuse
from ukraine_briefs.extract.sentiment.ports import pattern_sentiment
from ukraine_briefs.extract.sentiment.scoring import (
    DEFAULT_METHOD,
    FEATURES,
    GLOVE_DIM,
    GLOVE_RANK_K,
    METHODS,
    MINILM_HEAD_FILE,
    NEUTRAL_BAND,
    RATING_SCALE,
    WEIGHTS_FILE,
    bow_tokens,
    check_method,
    features,
    label,
    predict_ratings,
    score,
    scores,
    tokens,
)

__all__ = [
    "DEFAULT_METHOD",
    "FEATURES",
    "GLOVE_DIM",
    "GLOVE_RANK_K",
    "METHODS",
    "MINILM_HEAD_FILE",
    "NEUTRAL_BAND",
    "RATING_SCALE",
    "WEIGHTS_FILE",
    "bow_tokens",
    "check_method",
    "features",
    "label",
    "pattern_sentiment",
    "reuse",
    "predict_ratings",
    "score",
    "scores",
    "tokens",
]
