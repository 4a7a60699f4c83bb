"""A quote's sentiment from the sentences it lies in, so the same words are not scored twice.

Most direct quotes are whole sentences, or several, framed by a short attribution
(“We are ready to respond,” he said.). Scoring such a quote again costs a second
encoder pass over the same words (about a fifth of the ``accurate`` method's word
pieces) for nearly the same number. A quote takes the score of the sentences it
overlaps when its own characters make up at least `QUOTE_COVER` of theirs (for a
quote over several sentences, their mean weighted by the characters the quote covers
in each); a shorter quote inside a longer sentence (a partial or scare quote,
“provocative”) is scored on its own words, since the sentence around it may say
something else. Characters are counted without spaces; the threshold is measured in
``docs/sentiment.md``.
"""
from __future__ import annotations

import bisect
from typing import Sequence

#: A quote takes its sentences' score when it makes up at least this share of their characters (half: on
#: the seeds and generated articles the quote's own score and its sentences' agree on 81-86 % of labels
#: whatever the threshold, 0.5-0.95, so the attribution around a quote is not what moves it).
QUOTE_COVER = 0.5


def _chars(text: str) -> int:
    return sum(1 for c in text if not c.isspace())


def sentence_share(quote, sentences: Sequence, ends: Sequence[int] | None = None) -> tuple[float, list[tuple[int, int]]]:
    """How much of the sentences ``quote`` overlaps is the quote (0..1), and per overlapped sentence
    (its index in ``sentences``, the quote's characters in it). ``sentences`` is one document's, in text
    order; rows need ``start_char``, ``end_char``, ``text`` (quotes and sentences share the document's offsets)."""
    parts, total = [], 0
    ends = [s.end_char for s in sentences] if ends is None else ends
    first = bisect.bisect_right(ends, quote.start_char)
    for i in range(first, len(sentences)):
        s = sentences[i]
        if s.start_char >= quote.end_char:
            break
        lo, hi = max(s.start_char, quote.start_char), min(s.end_char, quote.end_char)
        inside = _chars(s.text[lo - s.start_char:hi - s.start_char])
        parts.append((i, inside))
        total += _chars(s.text)
    if not parts or total == 0:
        return 0.0, []
    return sum(n for _, n in parts) / total, parts


def from_sentences(quotes: Sequence, sentences: Sequence, cover: float | None = None) -> list[float | None]:
    """Per quote, its score taken from its (already scored) sentences of the same document, or None when
    it must be scored on its own words: it makes up less than ``cover`` of them, or lies in no sentence."""
    cover = QUOTE_COVER if cover is None else cover
    ends = [s.end_char for s in sentences]
    out = []
    for q in quotes:
        share, parts = sentence_share(q, sentences, ends)
        weight = sum(n for _, n in parts)
        out.append(float(sum(sentences[i].sentiment * n for i, n in parts) / weight) if share >= cover and weight else None)
    return out
