"""Reported speech without quotation marks: ``quotes`` rows of kind ``indirect``.

"Blinken said (that) Russia would face consequences", "Russia would face
consequences, Blinken warned", "According to the Pentagon, 70,000 troops ...":
the cue verbs are the direct-quote lexicon (``quote_cues.v1.yaml``), the content
is the verb's clausal complement in the parse (``ccomp``; for "according to" the
rest of the sentence), and the speaker goes through the same steps as a direct
quote's (`cues._speaker_tokens`, `speakers._speaker_from_tokens`,
`sources.source_of`). Content mostly inside a direct quote is left to that quote,
so no words are counted twice and direct rows never change. A cue whose speaker
cannot be found ("it has been said that") gives no row: reported speech with no
one reporting it is not a quotation. Rules particular to reported speech are in
``data/reported_speech.v1.yaml``.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Iterator, Sequence

from spacy.tokens import Doc, Token

from ukraine_briefs import lexicons
from ukraine_briefs.extract.nlp import doc_index
from ukraine_briefs.extract.quotes.context import _Ctx, _Speaker
from ukraine_briefs.extract.quotes.coref import description_antecedent
from ukraine_briefs.extract.quotes.cues import _cue_tokens, _speaker_tokens, _tokens_in
from ukraine_briefs.extract.quotes.sources import source_of, text_affiliation
from ukraine_briefs.extract.quotes.speakers import _speaker_from_tokens
from ukraine_briefs.types import Mention, Quote

__all__ = ["doc_indirect", "sentence_sentiment"]

RULES_FILE = "reported_speech.v1.yaml"


@dataclass(frozen=True)
class _Rules:
    according: tuple  # word tuples: ("according", "to")
    not_speech: frozenset
    min_words: int
    max_quoted: float
    extra: dict  # surface form -> lemma: reporting verbs outside the quote cue lexicon
    finding: dict  # surface form -> lemma: a document's findings
    finding_subjects: frozenset


@functools.lru_cache(maxsize=1)
def _rules() -> _Rules:
    cfg = lexicons.load(RULES_FILE)
    return _Rules(
        according=tuple(tuple(str(p).lower().split()) for p in cfg["according_phrases"]),
        not_speech=frozenset(str(w).lower() for w in cfg["not_speech"]),
        min_words=int(cfg["min_content_words"]),
        max_quoted=float(cfg["max_quoted_share"]),
        extra=_forms(cfg.get("extra_cues") or {}),
        finding=_forms(cfg.get("finding_verbs") or {}),
        finding_subjects=frozenset(str(w).lower() for w in cfg.get("finding_subjects", [])),
    )


def _forms(by_lemma: dict) -> dict:
    return {str(f).lower(): str(lemma) for lemma, forms in by_lemma.items() for f in forms}


def _cues(ctx: _Ctx, toks: list[Token], rules: _Rules) -> list[tuple[Token, str, int]]:
    """The quote cue lexicon's cues plus this module's: reporting verbs and a document's findings."""
    out = _cue_tokens(ctx, toks)
    taken = {t.i for t, _, _ in out}
    for t in toks:
        low = t.lower_
        if t.i in taken or t.pos_ not in ("VERB", "AUX") or not any(c.dep_ == "ccomp" for c in t.children):
            continue
        if low in rules.extra:
            out.append((t, rules.extra[low], 1))
        elif low in rules.finding and any(
                c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in rules.finding_subjects for c in t.children):
            out.append((t, rules.finding[low], 1))
    return sorted(out, key=lambda x: x[0].i)


def _context(doc: Doc, mentions: list[Mention], direct: Sequence[Quote]) -> _Ctx:
    """The quote steps' context with every direct quote (scare terms aside) masked out of cue search."""
    idx = doc_index(doc)
    text = idx.text
    starts = idx.para_starts
    paras = []
    for i, a in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        paras.append((a, a + len(text[a:end].rstrip())))
    masked = list(text)
    for q in direct:
        if q.kind == "scare":
            continue
        for k in range(max(0, q.start_char - 1), min(len(text), q.end_char + 1)):
            if masked[k] != "\n":
                masked[k] = "\x00"
    return _Ctx(doc=doc, idx=idx, text=text, mentions=mentions, paras=paras, masked="".join(masked),
                mention_starts=[m.start_char for m in mentions])


def _trim(ctx: _Ctx, lo: int, hi: int) -> tuple[int, int]:
    """``[lo, hi)`` without surrounding spaces, commas, a closing full stop or a leading "that"."""
    t = ctx.text
    while lo < hi and t[lo] in " ,;:—–-\n":
        lo += 1
    if t[lo:lo + 5].lower() == "that " and lo + 5 < hi:
        lo += 5
    while hi > lo and t[hi - 1] in " ,;:.—–-\n":
        hi -= 1
    return lo, hi


def _clause_content(cue: Token, lo: int, hi: int) -> tuple[int, int] | None:
    """The span of the cue verb's clausal complement ("said [that] <Russia would ...>"), inside the sentence."""
    comp = [c for c in cue.children if c.dep_ == "ccomp" and lo <= c.idx < hi]
    if not comp:
        return None
    toks = [t for c in comp for t in c.subtree if lo <= t.idx < hi and not (t.i > cue.i > c.i)]
    toks = [t for t in toks if t.i != cue.i]
    if not toks:
        return None
    # "said [that]", "said [Wednesday] direct talks ...": the complementiser and a time adverb are not content
    while toks and (toks[0].dep_ == "mark" or toks[0].is_punct or (
            toks[0].ent_type_ in ("DATE", "TIME") and (toks[0].i == cue.i + 1 or toks[0].dep_ in ("npadvmod", "advmod")))):
        toks = toks[1:]
    if not toks:
        return None
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _according(ctx: _Ctx, cue: Token, phrase: list[Token], lo: int, hi: int) -> tuple[int, int] | None:
    """The content of "According to X, <content>" or "<content>, according to X": the larger side."""
    a = cue.idx
    b = phrase[-1].idx + len(phrase[-1].text) if phrase else cue.idx + len(cue.text)
    before, after = _trim(ctx, lo, a), _trim(ctx, b, hi)
    span = max(before, after, key=lambda s: s[1] - s[0])
    return span if span[1] > span[0] else None


OPENING, CLOSING = "“‘«\"", "”’»\""


def _close_quote(text: str, a: int, b: int) -> int:
    """Extend ``b`` over a closing mark when the content opened a quotation it does not close."""
    inside = text[a:b]
    opened = sum(inside.count(c) for c in "“«") + inside.count('"') % 2
    closed = sum(inside.count(c) for c in "”»")
    if opened > closed and text[b:b + 1] in CLOSING:
        return b + 1
    if opened > closed and text[b:b + 1] in ",." and text[b + 1:b + 2] in CLOSING:
        return b + 2  # 'of “facts and history,”'
    return b


def _quoted_share(ctx: _Ctx, a: int, b: int) -> float:
    return ctx.masked.count("\x00", a, b) / max(1, b - a)


def _negated(cue: Token) -> bool:
    return any(c.dep_ == "neg" for c in cue.children)


def doc_indirect(doc: Doc, *, doc_id: str, mentions: Sequence[Mention] = (),
                 direct: Sequence[Quote] = ()) -> Iterator[Quote]:
    """Yield the reported speech of ``doc`` as `Quote` rows of kind ``indirect``.

    Args:
        doc: the parsed cleaned text.
        doc_id: the document id; ids are ``f"{doc_id}:r{n}"`` (direct quotes keep ``:q{n}``).
        mentions: the document's `Mention` records, as for `doc_quotes`.
        direct: the document's direct quotes (`doc_quotes`): their words are masked so a cue
            inside a quotation is not read, and content mostly quoted is left to them.

    ``sentiment`` stays 0.0: `sentence_sentiment` copies the score of the sentence.
    """
    rules = _rules()
    ms = sorted(mentions, key=lambda m: (m.start_char, m.end_char))
    ctx = _context(doc, ms, direct)
    idx = ctx.idx
    n = 0
    seen: set[tuple[int, int]] = set()
    for sent in idx.sents:
        lo, hi = sent.start_char, sent.end_char
        toks = _tokens_in(ctx, lo, hi)
        if not toks:
            continue
        for cue, lemma, width in _cues(ctx, toks, rules):
            words = tuple(t.lower_ for t in doc[cue.i:cue.i + width])
            if lemma == "according to":
                if words not in rules.according:
                    continue
                sp_toks = _speaker_tokens(ctx, cue, width, lemma, toks, lo, hi)
                span = _according(ctx, cue, sp_toks, lo, hi) if sp_toks else None
            else:
                if lemma in rules.not_speech or _negated(cue):
                    continue
                span = _clause_content(cue, lo, hi)
                if span is None:
                    continue
                span = _trim(ctx, *span)
                sp_toks = _speaker_tokens(ctx, cue, width, lemma, toks, lo, hi)
            if span is None or span in seen:
                continue
            a, b = span[0], _close_quote(ctx.text, *span)
            if len(ctx.text[a:b].split()) < rules.min_words or _quoted_share(ctx, a, b) > rules.max_quoted:
                continue
            if any(sp_toks and a <= t.idx < b for t in sp_toks):
                continue  # the "speaker" is a word of the content: the parse went wrong
            sp, how = _speaker_from_tokens(ctx, sp_toks, cue.idx, [], list(mentions))
            if sp is None or sp.surface is None:
                continue
            seen.add(span)
            yield _row(ctx, doc_id, n, a, b, sp, how, lemma, cue.idx)
            n += 1


def _row(ctx: _Ctx, doc_id: str, n: int, a: int, b: int, sp: _Speaker, how: str, lemma: str, at: int) -> Quote:
    source_type, affiliation = source_of(sp.surface, sp.entity_id, sp.name, sp.label, how)
    if affiliation is None and sp.name is None and source_type in ("anonymous", "organisation", "document"):
        affiliation = text_affiliation(description_antecedent(ctx, sp.surface, at))
    return Quote(
        quote_id=f"{doc_id}:r{n}",
        doc_id=doc_id,
        sent_id=ctx.idx.sent_id(a),
        paragraph_id=ctx.idx.paragraph_id(a),
        start_char=a,
        end_char=b,
        text=ctx.text[a:b],
        speaker_surface=sp.surface,
        speaker_id=sp.entity_id,
        speaker_name=sp.name,
        attribution=how,
        cue=lemma,
        kind="indirect",
        sentiment=0.0,
        source_type=source_type,
        speaker_affiliation=affiliation,
    )


def sentence_sentiment(sentences: Sequence, quotes: Sequence[Quote]) -> None:
    """Give each indirect row the sentiment of its sentence, already scored: no extra encoder work."""
    by_sent = {s.sent_id: s.sentiment for s in sentences}
    for q in quotes:
        if q.kind == "indirect":
            q.sentiment = float(by_sent.get(q.sent_id, 0.0))
