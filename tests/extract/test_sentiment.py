"""Sentence sentiment: signs for clear, negated and neutral news sentences under both methods; range;
calibration files; the fast TextBlob/VADER paths against the libraries; the GloVe block; the MiniLM encoder."""
import math
import os
import subprocess
import sys

import numpy as np
import pytest

from ukraine_briefs import config, lexicons
from ukraine_briefs.extract import sentiment
from ukraine_briefs.extract.sentiment import encoder, ports, scoring
from sentiment_sentences import NEGATED, NEGATIVE, POSITIVE


@pytest.mark.parametrize("method", sentiment.METHODS)
@pytest.mark.parametrize("text", POSITIVE)
def test_positive(text, method):
    assert sentiment.score(text, method=method) > sentiment.NEUTRAL_BAND
    assert sentiment.label(sentiment.score(text, method=method)) == "positive"


@pytest.mark.parametrize("method", sentiment.METHODS)
@pytest.mark.parametrize("text", NEGATIVE)
def test_negative(text, method):
    assert sentiment.score(text, method=method) < -sentiment.NEUTRAL_BAND
    assert sentiment.label(sentiment.score(text, method=method)) == "negative"


@pytest.mark.parametrize("method", sentiment.METHODS)
@pytest.mark.parametrize("plain,negated", NEGATED)
def test_negation_flips(plain, negated, method):
    a, b = sentiment.scores([plain, negated], method=method)
    assert a > 0 > b
    assert sentiment.label(b) == "negative"


def test_accurate_reads_the_conditional_warning_of_seed_000():
    # a known failure of the lexicon model: "willing", "best", "clarity" outweigh "serious consequences";
    # the fine-tuned model takes it as neutral diplomatic copy
    text = ("“The United States is willing to facilitate this, but—and, in a spirit of clarity and frankness, "
            "it’s best practice—if Russia Deciding to engage in confrontation has serious consequences.")
    fast, accurate = sentiment.score(text, method="fast"), sentiment.score(text, method="accurate")
    assert sentiment.label(fast) == "positive" and sentiment.label(accurate) == "neutral"


def test_default_method_and_its_setting(monkeypatch):
    monkeypatch.delenv("UKRAINE_BRIEFS_SENTIMENT", raising=False)
    assert sentiment.check_method(None) == sentiment.DEFAULT_METHOD == "accurate"
    monkeypatch.setenv("UKRAINE_BRIEFS_SENTIMENT", "fast")
    assert config.sentiment_method() == "fast" and sentiment.check_method(None) == "fast"
    assert sentiment.check_method("accurate") == "accurate"  # an explicit choice wins over the setting
    with pytest.raises(ValueError, match="unknown sentiment method 'vader': use one of accurate, fast"):
        sentiment.scores(["A sentence."], method="vader")


def test_accurate_is_half_minilm_half_fast():
    text = NEGATED[0][1]
    head = lexicons.load(sentiment.MINILM_HEAD_FILE)
    lex = (np.array(sentiment.features(text)) - head["lex_mean"]) / np.array(head["lex_sd"])
    tuned = float(encoder.encoder().encode([text])[0] @ np.array(head["w"]) + lex @ np.array(head["wl"]) + head["b"])
    fast = float(sentiment.predict_ratings([text], method="fast")[0])
    assert head["blend"] == 0.5
    assert sentiment.predict_ratings([text], method="accurate")[0] == pytest.approx(0.5 * tuned + 0.5 * fast)


def test_minilm_weights_and_tokenizer():
    enc = encoder.encoder()
    assert enc.w["embeddings.word_embeddings.weight"].shape == (30522, encoder.HIDDEN)
    assert enc.w["encoder.layer.5.intermediate.dense.weight"].shape == (encoder.HIDDEN, 1536)  # transposed for x @ W
    seqs, owner = enc.windows(["Blinken met Lavrov in Geneva."])
    pieces = enc.tok.encode("Blinken met Lavrov in Geneva.", add_special_tokens=False).tokens
    assert pieces[:3] == ["blink", "##en", "met"] and seqs[0][0] == 101 and seqs[0][-1] == 102
    assert len(seqs[0]) == len(pieces) + 2 and owner.tolist() == [0]


def test_minilm_long_text_is_the_mean_of_its_windows():
    enc = encoder.encoder()
    long = " ".join([NEGATIVE[0]] * 6)  # over 64 word pieces
    seqs, owner = enc.windows([long, POSITIVE[0]])
    assert owner.tolist().count(0) == -(-len(enc.tok.encode(long, add_special_tokens=False).ids) // 62) > 1
    assert max(len(s) for s in seqs) == encoder.MAX_TOKENS
    e = enc.encode([long, POSITIVE[0]])
    assert np.allclose(np.linalg.norm(e, axis=1), 1.0, atol=1e-5)
    parts = np.stack([enc.hidden(s).mean(0) for s in seqs[:-1]])
    assert np.allclose(e[0], parts.sum(0) / np.linalg.norm(parts.sum(0)), atol=1e-6)


def test_int8_graph_agrees_with_the_numpy_reference():
    """The shipped int8 graph against the fp32 numpy forward pass of the same weights: same labels,
    embeddings within the quantisation error (dev file: 99.0 % of labels equal, mean |d| 0.012 rating)."""
    enc = encoder.encoder()
    texts = POSITIVE + NEGATIVE + [t for _, t in NEGATED] + [
        "Blinken held a 90-minute bilateral assembly Friday in Geneva with Lavrov."]
    seqs, owner = enc.windows(texts)
    ref = encoder._pool(np.stack([enc.forward(np.array([s]))[0] for s in seqs]), owner, len(texts))
    got = enc.encode(texts)
    assert (got * ref).sum(1).min() > 0.97
    head = scoring._minilm_head()
    lex = (np.array([sentiment.features(t) for t in texts]) - head["lex_mean"]) / head["lex_sd"]
    fast = sentiment.predict_ratings(texts, method="fast")

    def rating(emb):
        return head["blend"] * (emb.astype(float) @ head["w"] + lex @ head["wl"] + head["b"]) + (1 - head["blend"]) * fast

    assert np.abs(rating(got) - rating(ref)).max() < 0.15
    assert [sentiment.label(v / 4) for v in rating(got)] == [sentiment.label(v / 4) for v in rating(ref)]


def test_neutral_report():
    # a factual sentence from seed 003 stays in the neutral band
    s = sentiment.score("Blinken held a 90-minute bilateral assembly Friday in Geneva with Lavrov.")
    assert sentiment.label(s) == "neutral"


def test_names_are_not_tone():
    # "United" (States) and "Defense" (Secretary) are names in news copy, not praise
    v = ports.vader()
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
    assert len(w["glove_coef"]) == sentiment.GLOVE_DIM
    assert w["params"]["glove_rank_k"] == sentiment.GLOVE_RANK_K
    assert w["neutral_band"] == sentiment.NEUTRAL_BAND and w["rating_scale"] == sentiment.RATING_SCALE


# TextBlob's and VADER's own results, which the faster code paths must reproduce exactly
SAME_AS_LIBRARIES = POSITIVE + NEGATIVE + [t for pair in NEGATED for t in pair] + [
    "Blinken held a 90-minute bilateral assembly Friday in Geneva with Lavrov.",
    "It's not really good, but it isn't terrible either... e.g. the U.S. vs. Russia (!) talks :)",
    "Truly awful :-( and never so happy; \u201cwonderful\u201d, he said \U0001F600",
    "The first paragraph is fine.\n\nThe second is a disaster!",
    "No. O'Brien said it was not a bad idea at all.",
]


@pytest.mark.parametrize("text", SAME_AS_LIBRARIES)
def test_pattern_sentiment_is_textblobs(text):
    from textblob import TextBlob

    s = TextBlob(text).sentiment
    assert sentiment.pattern_sentiment(text) == (s.polarity, s.subjectivity)


@pytest.mark.parametrize("text", SAME_AS_LIBRARIES)
def test_vader_is_vaders(text):
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    ours = ports.vader()
    plain = SentimentIntensityAnalyzer()
    plain.lexicon = dict(ours.lexicon)  # the same news-register lexicon
    assert ours.polarity_scores(text) == plain.polarity_scores(text)


def test_glove_vectors_and_means():
    vectors, row = scoring._glove()
    assert vectors.shape == (400_000, sentiment.GLOVE_DIM)
    assert [round(float(v), 5) for v in vectors[row["the"]][:3]] == [0.418, 0.24968, -0.41242]
    # the mean vector of a text skips unknown words and ignores the NOT_ marking
    feats, stems, rows = scoring._analyse("Not peace, qqqzzz war.")
    assert rows == [row["not"], row["peace"], row["war"]]
    assert stems == {"not", "NOT_peac", "war", "qqqzzz"}
    means = scoring._glove_means([rows, []])
    # frequent words weigh less: (rank + 1) / (rank + 1 + K), the row being the frequency rank
    weights = [(r + 1) / (r + 1 + sentiment.GLOVE_RANK_K) for r in rows]
    assert row["not"] == 36 and weights[0] == 37 / 3037 and weights[0] < weights[1] < 1
    expected = sum(w * vectors[r].astype(float) for w, r in zip(weights, rows)) / sum(weights)
    assert np.allclose(means[0], expected, atol=1e-7) and not means[1].any()


@pytest.mark.parametrize("method", sentiment.METHODS)
def test_batch_equals_one_by_one(method):
    texts = ["", POSITIVE[0], "   ", NEGATIVE[3], NEGATED[0][1]]
    one_by_one = [sentiment.score(t, method=method) for t in texts]
    assert one_by_one[0] == one_by_one[2] == 0.0
    # equal up to the last bits of the fast method's matrix product, which depend on the batch size
    # (the MiniLM runs unpadded batches of equal length: its part is batch-independent)
    assert sentiment.scores(texts, method=method) == pytest.approx(one_by_one, abs=1e-12)


def test_scores_do_not_depend_on_the_hash_seed():
    # the bag-of-words sum once ran in set order, so two builds of one corpus differed in the last bits
    code = ("from ukraine_briefs.extract import sentiment; "
            "print(repr(sentiment.scores(%r, method='fast')))" % (POSITIVE + NEGATIVE,))
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(runs) == 1 and runs.pop().startswith("[")


def _rows(text, spans):
    from ukraine_briefs.types import Sentence

    return [Sentence("d", i, 0, a, b, text[a:b], 0.0, False) for i, (a, b) in enumerate(spans)]


def _quote(text, inner, sent_id):
    from ukraine_briefs.types import Quote

    a = text.index(inner)
    return Quote(f"d:q{sent_id}", "d", sent_id, 0, a, a + len(inner), inner, "Blinken", None, None, "explicit", "say",
                 "full", 0.0)


REUSE_TEXT = ("“We will not allow Russia to redraw the borders of Europe by force,” Blinken said. "
              "He called the talks in Geneva “useful” but said no breakthrough was reached. "
              "“The alliance is united. We stand with Ukraine,” Stoltenberg told reporters.")


def test_quote_takes_its_sentences_score_when_it_fills_them():
    spans = [(0, 82), (83, 159), (160, 184), (185, 236)]
    sents = _rows(REUSE_TEXT, spans)
    assert sents[2].text == "“The alliance is united." and sents[3].text.endswith("told reporters.")
    full = _quote(REUSE_TEXT, "We will not allow Russia to redraw the borders of Europe by force,", 0)
    partial = _quote(REUSE_TEXT, "useful", 1)
    multi = _quote(REUSE_TEXT, "The alliance is united. We stand with Ukraine,", 2)
    # 54 of the sentence's 68 non-space characters are the quote's; 6 of 64; (20 + 19) of (21 + 45)
    assert sentiment.reuse.sentence_share(full, sents) == (54 / 68, [(0, 54)])
    assert sentiment.reuse.sentence_share(partial, sents) == (6 / 64, [(1, 6)])
    assert sentiment.reuse.sentence_share(multi, sents) == (39 / 66, [(2, 20), (3, 19)])
    for s, v in zip(sents, (-0.2, 0.1, 0.25, 0.05)):
        s.sentiment = v
    # a quote over two sentences takes the mean of their scores, weighted by its characters in each
    assert sentiment.reuse.from_sentences([full, partial, multi], sents) == [-0.2, None, (0.25 * 20 + 0.05 * 19) / 39]
    assert sentiment.reuse.from_sentences([full, partial, multi], sents, cover=0.6) == [-0.2, None, None]


def test_build_scores_a_filling_quote_once():
    from ukraine_briefs.build import batch

    sents = _rows(REUSE_TEXT, [(0, 82), (83, 159), (160, 184), (185, 236)])
    quotes = [_quote(REUSE_TEXT, "We will not allow Russia to redraw the borders of Europe by force,", 0),
              _quote(REUSE_TEXT, "useful", 1)]
    batch.score_sentiment([{"sentences": sents, "quotes": quotes}], "fast")
    assert quotes[0].sentiment == sents[0].sentiment == sentiment.score(sents[0].text, method="fast")
    assert quotes[0].sentiment < -sentiment.NEUTRAL_BAND  # "not allow Russia to redraw ... by force"
    assert quotes[1].sentiment == sentiment.score("useful", method="fast") > sentiment.NEUTRAL_BAND
