"""Descriptions that refer back: "the official" is the "senior Ukrainian official" introduced before.

News introduces an unnamed source once in full ("A senior Ukrainian official
told CNN ...") and then shortens it ("the official said"). A definite
description whose head names nobody (official, diplomat, ministry, spokesman)
refers to the latest earlier noun phrase with the same head word in the last
few paragraphs; that fuller phrase gives the speaker's affiliation ("Ukrainian"
-> Ukraine). Named people are `pronouns`' and `speakers`' job: this step never
turns a description into a person. "It said" and "they said" go to the body
(or unnamed group) last speaking or acting as a subject, or last cited with "according to"
(`organisation_antecedent`).
"""
from __future__ import annotations

import re

from ukraine_briefs.extract.quotes.context import _back, _Ctx, _mentions_between, _Speaker, _speaker_from_mention
from ukraine_briefs.extract.quotes.sources import description_head, source_words, text_affiliation

_DEFINITE = re.compile(r"^(?:the|this|that|these|those)\s", re.I)
_MAX_PARAGRAPHS = 6


def _phrase_at(ctx: _Ctx, pos: int) -> str | None:
    """The noun phrase headed by the token at ``pos`` (its left dependents and the head)."""
    span = ctx.doc.char_span(pos, pos + 1, alignment_mode="expand")
    if span is None:
        return None
    head = span[0]
    left = [t for t in head.subtree if t.i <= head.i]
    # keep the contiguous run ending at the head ("two senior US defence officials")
    run = [head]
    for t in reversed(left[:-1]):
        if t.i != run[0].i - 1 or t.is_punct and t.text not in ("-", "."):
            break
        run.insert(0, t)
    return ctx.text[run[0].idx:head.idx + len(head.text)]


def description_antecedent(ctx: _Ctx, surface: str | None, at: int) -> str | None:
    """The fuller earlier phrase that a definite description (``the official``) at ``at`` refers back to.

    Only phrases outside quotes count, nearest first; a phrase counts when it
    tells more than the description (an affiliation, or more words).
    """
    if not surface or not _DEFINITE.match(surface.strip()):
        return None
    head = description_head(surface)
    if not head or len(head) < 3:
        return None
    lo = _back(ctx, at, _MAX_PARAGRAPHS)
    own = len(surface.split())
    pattern = re.compile(rf"\b{re.escape(head)}\b", re.I)
    for m in reversed(list(pattern.finditer(ctx.text, lo, at))):
        if "\x00" in ctx.masked[m.start():m.end()]:
            continue
        phrase = _phrase_at(ctx, m.start())
        if phrase is None or description_head(phrase) != head:
            continue
        if text_affiliation(phrase) or len(phrase.split()) > own:
            return phrase
    return None


def organisation_antecedent(ctx: _Ctx, at: int, prior: list, pronoun: str) -> _Speaker | None:
    """What "it said" / "they said" refers to: the latest body (or, for "they", unnamed group) speaking or
    acting as a subject in this or the previous paragraph ("NATO said on Friday ... “...,” it said")."""
    pid = ctx.idx.paragraph_id(at)
    lo = ctx.paras[max(0, pid - 1)][0]
    sw = source_words()
    cands: list[tuple[int, _Speaker]] = []
    for q in prior:
        sp = q.speaker
        if sp is None or q.attribution == "unresolved" or q.cue_pos is None or not lo <= q.cue_pos < at:
            continue
        head = description_head(sp.surface or "") or ""
        body = sp.label in ("ORG", "GPE") or (sp.name is None and head in sw.institutions)
        group = pronoun == "they" and sp.name is None and head.endswith("s") and head in sw.anonymous
        if body or group:
            cands.append((q.cue_pos, sp))
    for m in _mentions_between(ctx, lo, at):
        if m.label not in (("ORG",) if pronoun == "they" else ("ORG", "GPE")) \
                or "\x00" in ctx.masked[m.start_char:m.end_char]:
            continue
        span = ctx.doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
        if span is not None and any((t.dep_ in ("nsubj", "nsubjpass") and _main(t)) or _according_to(t) for t in span):
            cands.append((m.start_char, _speaker_from_mention(m, ctx.text[m.start_char:m.end_char])))
    if pronoun == "they":  # "Officials said ... “...,” they said"
        span = ctx.doc.char_span(lo, at, alignment_mode="contract")
        for t in span if span is not None else ():
            if t.dep_ == "nsubj" and t.tag_ == "NNS" and t.lower_ in sw.anonymous and _main(t) \
                    and "\x00" not in ctx.masked[t.idx]:
                left = [x for x in t.subtree if x.i <= t.i]
                cands.append((t.idx, _Speaker(ctx.text[left[0].idx:t.idx + len(t.text)])))
    return max(cands, key=lambda c: c[0])[1] if cands else None


def _according_to(t) -> bool:
    """Is ``t`` the body a claim is attributed to ("..., according to the Institute for the Study of War. It said")?"""
    return t.dep_ == "pobj" and t.head.lower_ == "to" and t.head.head.lower_ == "according"


def _main(subject) -> bool:
    """Is this the subject of its sentence's main clause (not of a reported one)?"""
    verb = subject.head
    return verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT")
