"""Ports of VADER and of TextBlob's pattern sentiment: the same results as the libraries, faster.

`vader` is VADER 3.3.2 with the news-register adjustments of
``data/sentiment_lexicon.v1.yaml`` and the per-word valences kept;
`pattern_sentiment` computes TextBlob's (polarity, subjectivity) from its lexicon
directly. Both feed the lexicon features of `scoring`; the tests compare each
with the library it ports (docs/sentiment.md has the measurements).
"""
from __future__ import annotations

import functools
import re

from ukraine_briefs import lexicons

#: VADER lexicon adjustments for the news register (word -> valence; null removes the word).
LEXICON_FILE = "sentiment_lexicon.v1.yaml"


@functools.lru_cache(maxsize=1)
def vader():
    """VADER's analyzer with the news-register lexicon (`LEXICON_FILE`), built once per process."""
    from vaderSentiment import vaderSentiment as vs  # third-party lexicon, loaded on first use like every other here

    class _Analyzer(vs.SentimentIntensityAnalyzer):
        """VADER 3.3.2 that keeps the per-word valences and does less repeated work; same results.

        The character loop that replaces emoji by their descriptions runs only
        when the text holds one of the (single-character) emoji keys (it leaves
        every other text unchanged but for ``strip()``), words outside the lexicon
        get their 0 without a call, and the negation and idiom checks share one
        lower-cased word list per text.
        """

        def polarity_scores(self, text):
            if not self._emoji_chars.isdisjoint(text):
                return super().polarity_scores(text)
            text = text.strip()
            sentitext = vs.SentiText(text)
            sentiments = []
            words = sentitext.words_and_emoticons
            lexicon = self.lexicon
            for i, item in enumerate(words):
                lower = item.lower()
                if lower not in lexicon or lower in vs.BOOSTER_DICT or (
                    lower == "kind" and i < len(words) - 1 and words[i + 1].lower() == "of"
                ):
                    sentiments.append(0)  # what sentiment_valence gives a word outside the lexicon
                    continue
                sentiments = self.sentiment_valence(0, sentitext, item, i, sentiments)
            sentiments = self._but_check(words, sentiments)
            return self.score_valence(sentiments, text)

        def _lower(self, words):
            # VADER lower-cases the whole word list again for each lexicon word it checks; once per text
            # is enough (holding `words` keeps its id from being reused by another list)
            if words is not self._lower_of:
                self._lower_of, self._lowered = words, [str(w).lower() for w in words]
            return self._lowered

        def _negation_check(self, valence, words_and_emoticons, start_i, i):
            # VADER 3.3.2's, on the cached lower-cased words
            low = self._lower(words_and_emoticons)
            if start_i == 0:
                if vs.negated([low[i - (start_i + 1)]]):
                    valence = valence * vs.N_SCALAR
            if start_i == 1:
                if low[i - 2] == "never" and (low[i - 1] == "so" or low[i - 1] == "this"):
                    valence = valence * 1.25
                elif low[i - 2] == "without" and low[i - 1] == "doubt":
                    valence = valence
                elif vs.negated([low[i - (start_i + 1)]]):
                    valence = valence * vs.N_SCALAR
            if start_i == 2:
                if low[i - 3] == "never" and (low[i - 2] == "so" or low[i - 2] == "this") or (
                    low[i - 1] == "so" or low[i - 1] == "this"
                ):
                    valence = valence * 1.25
                elif low[i - 3] == "without" and (low[i - 2] == "doubt" or low[i - 1] == "doubt"):
                    valence = valence
                elif vs.negated([low[i - (start_i + 1)]]):
                    valence = valence * vs.N_SCALAR
            return valence

        def _special_idioms_check(self, valence, words_and_emoticons, i):
            # VADER 3.3.2's, on the cached lower-cased words
            low = self._lower(words_and_emoticons)
            onezero = f"{low[i - 1]} {low[i]}"
            twoonezero = f"{low[i - 2]} {low[i - 1]} {low[i]}"
            twoone = f"{low[i - 2]} {low[i - 1]}"
            threetwoone = f"{low[i - 3]} {low[i - 2]} {low[i - 1]}"
            threetwo = f"{low[i - 3]} {low[i - 2]}"
            for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
                if seq in vs.SPECIAL_CASES:
                    valence = vs.SPECIAL_CASES[seq]
                    break
            if len(low) - 1 > i:
                zeroone = f"{low[i]} {low[i + 1]}"
                if zeroone in vs.SPECIAL_CASES:
                    valence = vs.SPECIAL_CASES[zeroone]
            if len(low) - 1 > i + 1:
                zeroonetwo = f"{low[i]} {low[i + 1]} {low[i + 2]}"
                if zeroonetwo in vs.SPECIAL_CASES:
                    valence = vs.SPECIAL_CASES[zeroonetwo]
            for n_gram in (threetwoone, threetwo, twoone):
                if n_gram in vs.BOOSTER_DICT:
                    valence = valence + vs.BOOSTER_DICT[n_gram]
            return valence

        # keep the per-word valences (after negation and boosters) VADER computed
        def score_valence(self, sentiments, text):
            self.last_valences = list(sentiments)
            return super().score_valence(sentiments, text)

    analyzer = _Analyzer()
    analyzer._emoji_chars = frozenset(k for k in analyzer.emojis if len(k) == 1)
    analyzer._lower_of, analyzer._lowered = None, []
    for word, valence in (lexicons.load(LEXICON_FILE).get("set") or {}).items():
        word = str(word).lower()
        if valence is None:
            analyzer.lexicon.pop(word, None)
        else:
            analyzer.lexicon[word] = float(valence)
    return analyzer


# --- TextBlob's pattern polarity, without TextBlob ---------------------------------------------

#: pattern's contractions ("'s", "n't"...) split off as in ``_text.replacements``
_CONTRACTION = re.compile(r"'d|'m|'s|'ll|'re|'ve|n't")


@functools.lru_cache(maxsize=1)
def _pattern():
    """TextBlob's English sentiment lexicon as plain dicts: word -> (polarity, subjectivity, intensity).

    Returns (lexicon, adverbs, emoticons, tokenizer module). ``adverbs`` are the
    lexicon words tagged ``RB`` (pattern's modifiers).
    """
    # textblob imports nltk (about 1 s): only when a text is first scored
    from textblob import _text
    from textblob.en import sentiment as lexicon

    len(lexicon)  # the lazy dict loads on first use
    words = {w: pos[None] for w, pos in dict.items(lexicon) if None in pos}
    adverbs = frozenset(w for w, pos in dict.items(lexicon) if "RB" in pos)
    emoticons = [(p, frozenset(e.lower() for e in faces)) for (_, p), faces in _text.EMOTICONS.items()]
    return words, adverbs, emoticons, _text


def _pattern_tokens(text: str) -> list[str]:
    """The lower-cased words TextBlob's pattern tokenizer (``_text.find_tokens``) gives, faster.

    A port of ``find_tokens`` (textblob 0.18) with the same output: one compiled
    regex for the contractions, a fast path for tokens without leading or
    trailing punctuation, and the sentence split (which only scopes the
    emoticon/sarcasm merges) done only when a spaced emoticon or "(" occurs.
    Texts with line breaks (pattern's paragraph marks) use the original.
    """
    _, _, _, T = _pattern()
    if "\n" in text or T.EOS in text:
        return " ".join(T.find_tokens(text)).lower().split()
    punct, tail_punct, replace = _PATTERN_PUNCT, _PATTERN_PUNCT_DOT, T.replacements
    s = _CONTRACTION.sub(_space_before, text)
    s = (s.replace("\u201c", " \u201c ").replace("\u201d", " \u201d ").replace("\u2018", " \u2018 ")
         .replace("\u2019", " \u2019 ").replace("'", " ' ").replace('"', ' " '))
    toks: list[str] = []
    for t in s.split():
        if t[0] not in punct and t[-1] not in tail_punct:
            toks.append(t)
            continue
        tail = []
        while t.startswith(_PATTERN_PUNCT_T) and t not in replace:
            toks.append(t[0])
            t = t[1:]
        while t.endswith(_PATTERN_PUNCT_DOT_T) and t not in replace:
            if t.endswith(_PATTERN_PUNCT_T):
                tail.append(t[-1])
                t = t[:-1]
            if t.endswith("..."):
                tail.append("...")
                t = t[:-3].rstrip(".")
            if t.endswith("."):
                if (t in T.ABBREVIATIONS or T.RE_ABBR1.match(t) is not None
                        or T.RE_ABBR2.match(t) is not None or T.RE_ABBR3.match(t) is not None):
                    break
                tail.append(t[-1])
                t = t[:-1]
        if t != "":
            toks.append(t)
        toks.extend(reversed(tail))
    joined = " ".join(toks)
    # A merge changes the text only where "(" or an emoticon split by a space occurs; if the whole
    # text has none, no sentence has one and the per-sentence pass below is the identity.
    if "(" not in joined and _spaced_emoticon().search(joined) is None:
        return joined.lower().split()
    out: list[str] = []
    sentences, i, j = [[]], 0, 0
    while j < len(toks):
        if toks[j] in ("...", ".", "!", "?"):
            while j < len(toks) and toks[j] in ("'", '"', "\u201d", "\u2019", "...", ".", "!", "?", ")"):
                if toks[j] in ("'", '"') and sentences[-1].count(toks[j]) % 2 == 0:
                    break  # Balanced quotes.
                j += 1
            sentences[-1].extend(toks[i:j])
            sentences.append([])
            i = j
        j += 1
    sentences[-1].extend(toks[i:j])
    for sent in sentences:
        if sent:
            merged = T.RE_EMOTICONS.sub(_join_emoticon, T.RE_SARCASM.sub("(!)", " ".join(sent)))
            out.extend(merged.lower().split())
    return out


def _space_before(m: re.Match) -> str:
    return " " + m.group(0)


def _join_emoticon(m: re.Match) -> str:
    return m.group(1).replace(" ", "") + m.group(2)


@functools.lru_cache(maxsize=1)
def _spaced_emoticon() -> re.Pattern:
    """Pattern's emoticon regex restricted to matches with a space inside (the only ones its merge changes)."""
    _, _, _, T = _pattern()
    alts = []
    for faces in T.EMOTICONS.values():
        for e in faces:
            chars = [re.escape(c) for c in e]
            for gap in range(1, len(chars)):
                alts.append("".join(c if k == 0 else (" " if k == gap else " ?") + c for k, c in enumerate(chars)))
    return re.compile(r"(?:%s)(?:$|\s)" % "|".join(alts))


_PATTERN_PUNCT_T = tuple(".,;:!?()[]{}`''\"@#$^&*+-|=~_".replace(".", ""))
_PATTERN_PUNCT_DOT_T = _PATTERN_PUNCT_T + (".",)
_PATTERN_PUNCT = frozenset(_PATTERN_PUNCT_T)
_PATTERN_PUNCT_DOT = frozenset(_PATTERN_PUNCT_DOT_T)


def pattern_sentiment(text: str) -> tuple[float, float]:
    """TextBlob's ``TextBlob(text).sentiment`` (polarity, subjectivity), computed from its lexicon directly.

    The same tokens and the same ``Sentiment.assessments`` rules (modifiers,
    negation, "!", sarcasm, emoticons) over plain dicts, without building a blob,
    a lazy-dict lookup per word or a namedtuple class per call: about 6x faster,
    identical results (checked on 14,944 distinct news sentences and quotes, see
    docs/sentiment.md; `tests/extract/test_sentiment.py` compares it with TextBlob).
    """
    lex, adverbs, emoticons, T = _pattern()
    a: list[list] = []  # [polarity, subjectivity, intensity, negated]
    m = None  # preceding modifier (an adverb)
    n = None  # preceding negation
    for w in _pattern_tokens(text):
        psi = lex.get(w)
        if psi is not None:
            p, s, i = psi
            if m is None:
                a.append([p, s, i, 1])
            else:
                a[-1][0] = max(-1.0, min(p * a[-1][2], +1.0))
                a[-1][1] = max(-1.0, min(s * a[-1][2], +1.0))
                a[-1][2] = i
            if n is not None:
                a[-1][2] = 1.0 / a[-1][2]
                a[-1][3] = -1
            m = w if w in adverbs else None
            n = w if w in _PATTERN_NEGATIONS else None
        else:
            if w in _PATTERN_NEGATIONS:
                n = w
            elif n and len(w.strip("'")) > 1:
                n = None
            if n is not None and m is not None and m.endswith("ly"):
                a[-1][3] = -1
                n = None
            elif m and len(w) > 2:
                m = None
            if w == "!" and a:
                a[-1][0] = max(-1.0, min(a[-1][0] * 1.25, +1.0))
            if w == "(!)":
                a.append([0.0, 1.0, 1.0, 1])
            if w.isalpha() is False and len(w) <= 5 and w not in T.PUNCTUATION:
                for p, faces in emoticons:
                    if w in faces:
                        a.append([p, 1.0, 1.0, 1])
                        break
    if not a:
        return 0.0, 0.0
    pol = sum(x[0] * -0.5 if x[3] < 0 else x[0] for x in a) / float(len(a))
    subj = sum(x[1] for x in a) / float(len(a))
    return pol, subj


_PATTERN_NEGATIONS = ("no", "not", "n't", "never")
