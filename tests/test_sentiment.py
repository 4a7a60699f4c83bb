"""Sentence sentiment: signs for clear, negated and neutral news sentences; range; calibration file."""
import math

import pytest

from ukraine_briefs import lexicons, sentiment

POSITIVE = [
    "He welcomed the constructive talks and praised the progress.",
    "The talks were a great success and both sides welcomed the breakthrough.",
    "Blinken said that the meeting was a success.",
    "The ceasefire is holding and residents are relieved and hopeful.",
]
NEGATIVE = [
    # seeds
    "“The threat on our Western frontier is really growing,” Putin said at the Kremlin earlier Wednesday.",
    "“Especially after the disastrous withdrawal of troops from Afghanistan and the surrender of North Stream 2, "
    "the credibility of the United States…cannot withstand another blow of this nature,” said the Texas Republican.",
    "Russia Since occupying Crimea seven years ago, Russia has supported pro-Moscow separatists in eastern Ukraine, "
    "and this slow-burning conflict has killed more than 14,000 people.",
    # plain news copy
    "The shelling killed 12 civilians and destroyed a hospital.",
    "Russian troops killed dozens of civilians in a brutal attack.",
]
NEGATED = [
    # (affirmative, negated): negation lowers the score and flips a clear sign
    ("Blinken said that the meeting was a success.", "Blinken said that the meeting was not a success."),
    ("The talks were successful.", "The talks were not successful."),
    ("It is good for everyone.", "It is not good for anyone."),
]


@pytest.mark.parametrize("text", POSITIVE)
def test_positive(text):
    assert sentiment.score(text) > sentiment.NEUTRAL_BAND
    assert sentiment.label(sentiment.score(text)) == "positive"


@pytest.mark.parametrize("text", NEGATIVE)
def test_negative(text):
    assert sentiment.score(text) < -sentiment.NEUTRAL_BAND
    assert sentiment.label(sentiment.score(text)) == "negative"


@pytest.mark.parametrize("plain,negated", NEGATED)
def test_negation_flips(plain, negated):
    a, b = sentiment.scores([plain, negated])
    assert a > 0 > b
    assert sentiment.label(b) == "negative"


def test_neutral_report():
    # a factual sentence from seed 003 stays in the neutral band
    s = sentiment.score("Blinken held a 90-minute bilateral assembly Friday in Geneva with Lavrov.")
    assert sentiment.label(s) == "neutral"


def test_names_are_not_tone():
    # "United" (States) and "Defense" (Secretary) are names in news copy, not praise
    v = sentiment._vader()
    assert "united" not in v.lexicon and "defense" not in v.lexicon
    assert v.lexicon["invasion"] < 0


def test_range_and_edges():
    texts = ["", "   ", "War! War! Killing, massacre, atrocities, horror, terror, disaster!!!",
             "Wonderful, brilliant, amazing, excellent, perfect triumph!!!"]
    out = sentiment.scores(texts)
    assert out[:2] == [0.0, 0.0]
    assert all(-1.0 <= s <= 1.0 and not math.isnan(s) for s in out)
    assert out[2] < -0.3 and out[3] > 0.3
    assert sentiment.scores([]) == []
    assert isinstance(sentiment.scores(("a tuple works",))[0], float)


def test_tokens_mark_negation():
    assert sentiment.tokens("Ukraine isn’t afraid, he said.") == ["ukraine", "isn't", "NOT_afraid", "he", "said"]


def test_weights_file_matches_features():
    w = lexicons.load(sentiment.WEIGHTS_FILE)
    assert w["features"] == list(sentiment.FEATURES)
    assert len(w["coef"]) == len(sentiment.FEATURES)
    assert w["neutral_band"] == sentiment.NEUTRAL_BAND and w["rating_scale"] == sentiment.RATING_SCALE


def test_fit_recovers_direction():
    texts = POSITIVE + [t for t in NEGATIVE]
    ratings = [2.0] * len(POSITIVE) + [-2.0] * len(NEGATIVE)
    w = sentiment.fit(texts * 3, ratings * 3, min_count=1)
    pred = sentiment.predict_ratings(texts, w)
    assert (pred[: len(POSITIVE)] > 0).all() and (pred[len(POSITIVE):] < 0).all()
