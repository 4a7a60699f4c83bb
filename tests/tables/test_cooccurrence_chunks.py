"""Co-occurrence joined a few documents at a time equals the whole-corpus join (the build streams it)."""
import pandas as pd
import pytest

from ukraine_briefs.tables import cooccurrence


@pytest.mark.parametrize("window", list(cooccurrence.WINDOWS))
@pytest.mark.parametrize("chunk_docs", [1, 2])
def test_chunked_pairs_equal_one_join(seed_corpus, window, chunk_docs):
    mentions = seed_corpus.mentions
    whole = cooccurrence._pairs(mentions, window, chunk_docs=1000)
    chunked = cooccurrence._pairs(mentions, window, chunk_docs=chunk_docs)
    pd.testing.assert_frame_equal(whole, chunked)


def test_counts_sum_over_documents(seed_corpus):
    # Blinken and Lavrov share 10 sentences across 4 of the 5 seeds, whatever the chunking
    pairs = cooccurrence._pairs(seed_corpus.mentions, "sentence", chunk_docs=1)
    row = pairs[(pairs["entity_a"] == "person:antony_blinken") & (pairs["entity_b"] == "person:sergey_lavrov")]
    assert row[["count", "n_docs"]].values.tolist() == [[10, 4]]
    assert row["npmi"].round(3).tolist() == [0.366]
