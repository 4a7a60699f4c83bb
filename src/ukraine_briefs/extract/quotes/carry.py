"""Carrying a speaker to quotes with no cue of their own: continuations, split quotes, lead-in sentences.

A reader gives a cue-less quote to the speaker the text was just reporting: the
quote before it (same or next paragraph), the "X says ..." sentence or paragraph
before it, or the second half of the same quotation split by an aside. Carrying
stops where the text turns to another person (a new subject, a second name).
"""
from __future__ import annotations

import re

from ukraine_briefs.extract.quotes.context import _Ctx, _lexicon, _mentions_between, _Q, _Speaker, _speaker_from_mention
from ukraine_briefs.extract.quotes.cues import _cue_tokens, _joint, _speaker_tokens, _tokens_in
from ukraine_briefs.extract.quotes.marks import _is_heading, _sentence_bounds, _whole_paragraph
from ukraine_briefs.extract.quotes.speakers import _speaker_from_tokens

# "— Michelle Marks, Philadelphia." under a quote paragraph: a signed quote (pull quotes, "Quotable" boxes)
SIGNATURE = re.compile(r"\s*[—–-]{1,2}\s*(?P<name>[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,5})\s*(?:,|\.|$)")
INTRO_APPOS = re.compile(r",\s+(?:an?|the|who|whose|one|[a-z]+'s|[a-z]+’s)\s")


def _continuation(ctx: _Ctx, q: _Q, done: list[_Q], *, allow_prev_para: bool, raw_mentions=()) -> None:
    """A cue-less quote right after a quote by X (same or next paragraph) is X's, unless the text turned
    to someone else in between (a named person, or a described one who speaks: "A Chinese official responded")."""
    # a term in marks between two quotes ('on ABC's “This Week”') does not break the chain
    prev = next((o for o in reversed(done) if o.kind != "scare"), None)
    if prev is None:
        return
    if prev.speaker is None or prev.attribution == "unresolved" or prev.kind == "scare":
        return
    gap = q.para - prev.para
    if gap == 0 or (gap == 1 and allow_prev_para):
        other = _other_subject_between(ctx, prev, q)
        if other is not None:  # "Scholz arrived late. “...”": the person the text turned to
            q.speaker, q.attribution, q.cue_pos = _speaker_from_mention(other, other.surface), "continuation", other.start_char
            return
        described = _described_speaker_between(ctx, prev, q, done, raw_mentions)
        if described is not None:
            sp, at = described
            if sp is not None:
                q.speaker, q.attribution, q.cue_pos = sp, "continuation", at
            return
        q.speaker = prev.speaker
        q.attribution = "continuation"
        q.cue_pos = prev.cue_pos


def _other_subject_between(ctx: _Ctx, prev: _Q, q: _Q):
    """The last other person who is the subject of a sentence between two quotes ("Scholz arrived late."), or None.

    A reader stops carrying the earlier speaker there: the next quote is the newcomer's.
    """
    lo = max(x for x in (prev.close_at or prev.end, prev.cue_pos or 0) if x is not None)
    hi = q.open_at if q.open_at is not None else q.start
    if hi <= lo:
        return None
    first_sent = ctx.idx.sent_id(lo)
    found = None
    for m in _mentions_between(ctx, lo, hi):
        if m.label != "PERSON" or m.end_char > hi or ctx.idx.sent_id(m.start_char) == first_sent:
            continue
        if prev.speaker is not None and m.canonical_name in (prev.speaker.name, prev.speaker.surface):
            continue
        if "\x00" in ctx.masked[m.start_char:m.end_char]:
            continue
        span = ctx.doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
        if span is not None and any(t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ROOT" for t in span):
            found = m
    return found


def _described_speaker_between(ctx: _Ctx, prev: _Q, q: _Q, done: list[_Q], raw_mentions):
    """(speaker or None, offset) of a described person who speaks in a sentence between two quotes, or None.

    "A Russian official replied that ...", "Her husband cut in.": the main clause's
    subject is a description of a person (an anonymous or role head in the lexicon) and its
    verb is a cue; the next quote is theirs if the description resolves, nobody's carried
    speaker otherwise.
    """
    lo = max(x for x in (prev.close_at or prev.end, prev.cue_pos or 0) if x is not None)
    hi = q.open_at if q.open_at is not None else q.start
    if hi - lo < 8:
        return None
    lex = _lexicon()
    first_sent = ctx.idx.sent_id(lo)
    toks = _tokens_in(ctx, lo, hi)
    found = None
    for t in toks:
        if t.dep_ != "nsubj" or t.head.dep_ != "ROOT" or ctx.idx.sent_id(t.idx) == first_sent:
            continue
        if t.lower_ not in lex.anonymous and t.lower_ not in lex.roles or t.ent_type_ == "PERSON":
            continue
        verb = t.head
        if verb.lower_ not in lex.cue_forms and not _cue_tokens(ctx, [x for x in toks if x.i >= verb.i][:3]):
            continue
        phrase = [x for x in t.subtree if x.i <= t.i and lo <= x.idx < hi]
        found = (phrase, verb)
    if found is None:
        return None
    phrase, verb = found
    sp, how = _speaker_from_tokens(ctx, phrase, verb.idx, done, raw_mentions)
    if sp is not None and prev.speaker is not None and sp.name is not None and sp.name == prev.speaker.name:
        return None  # "the senator added": the same person, described
    return (sp if how != "unresolved" else None), verb.idx


def _sentence_carry(ctx: _Ctx, q: _Q, done: list[_Q], raw_mentions) -> None:
    """A cue-less quote opening a sentence takes the speaker of the reporting sentence right before it.

    "Walsh, the senator's lawyer, argues that his client did nothing wrong. “The
    charges are absurd.”": the sentence before, in the same paragraph and after any
    quote of it, reports Walsh's speech; a reader hears him go on. Another person
    named after that cue stops the carry.
    """
    a, b = ctx.paras[q.para]
    lo_mark = q.open_at if q.open_at is not None else q.start
    prev = [o for o in done if o.para == q.para and (o.close_at or o.end) <= lo_mark]
    lo = max([a] + [o.close_at or o.end for o in prev])
    if lo_mark - lo < 10:
        return
    starts = [x for x in _sentence_bounds(ctx.masked, lo, lo_mark, _lexicon()) if x < lo_mark]
    sent_lo = max(starts)
    if sent_lo == lo and prev:
        return  # no sentence of its own between the two quotes
    toks = _tokens_in(ctx, sent_lo, lo_mark)
    cues = [c for c in _cue_tokens(ctx, toks) if c[0].pos_ in ("VERB", "AUX") or c[2] > 1]
    if not cues:
        return
    tok, lemma, n = cues[0]
    sp_toks = _speaker_tokens(ctx, tok, n, lemma, toks, sent_lo, lo_mark)
    if _joint(sp_toks):
        return
    sp, how = _speaker_from_tokens(ctx, sp_toks, tok.idx, done, raw_mentions)
    if sp is None or how == "unresolved" or (sp.name is None and sp.entity_id is None and how != "title"):
        return
    if any(m.label == "PERSON" and m.canonical_name != sp.name for m in _mentions_between(ctx, tok.idx, lo_mark)
           if not any(t.idx <= m.start_char < t.idx + len(t.text) for t in sp_toks)):
        return  # "Walsh told Jones that ...": the quote after may be either's
    q.speaker, q.attribution, q.cue_pos = sp, "continuation", tok.idx


def _paragraph_carry(ctx: _Ctx, q: _Q, done: list[_Q], raw_mentions) -> None:
    """A quote opening a paragraph with no cue takes the speaker the paragraph before reports or introduces.

    "Smith says the plan will fail." or "John Smith, a retired colonel, has been
    critical of the plan." then "“It is reckless.”": a reader gives the quote to
    Smith (an introduction needs its description: after "Putin met Biden." nobody
    is named). Only the paragraph right before counts, only when it holds no
    quote (then continuation decides), and not when a later sentence of it
    brings in another person.
    """
    pid = q.para - 1
    while pid >= 0 and not ctx.text[slice(*ctx.paras[pid])].strip():
        pid -= 1
    last = next((o for o in reversed(done) if o.kind != "scare"), None)
    if pid < 0 or (last is not None and last.para >= pid) or _is_heading(ctx, pid):
        return
    a, b = ctx.paras[pid]
    toks = _tokens_in(ctx, a, b)
    cues = _cue_tokens(ctx, toks)
    sp = None
    if cues:
        tok, lemma, n = cues[-1]
        lo = max(x for x in _sentence_bounds(ctx.masked, a, b, _lexicon()) if x <= tok.idx)
        sent = [t for t in toks if t.idx >= lo]
        sp, how = _speaker_from_tokens(ctx, _speaker_tokens(ctx, tok, n, lemma, sent, lo, b), tok.idx, done, raw_mentions)
        at = tok.idx
    else:  # an introduction: every sentence's subject is the same one person
        subjects = [t for t in toks if t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ROOT"]
        names = {m.canonical_name: m for t in subjects for m in _mentions_between(ctx, t.idx - 60, t.idx + len(t.text))
                 if m.label == "PERSON" and m.start_char <= t.idx < m.end_char}
        pron = all(t.lower_ in _lexicon().pronouns for t in subjects if not any(
            m.start_char <= t.idx < m.end_char for m in names.values()))
        m = next(iter(names.values())) if len(names) == 1 and pron else None
        # introduced with a description ("John Smith, a retired colonel,"): a bare "Putin met Biden" is not
        if m is not None and INTRO_APPOS.match(ctx.text, m.end_char):
            sp, how = _Speaker(ctx.text[m.start_char:m.end_char], m.entity_id, m.canonical_name, "PERSON"), "explicit"
            at = m.end_char
    if sp is None or how == "unresolved" or (sp.name is None and sp.entity_id is None):
        return
    later = [x for x in _sentence_bounds(ctx.masked, a, b, _lexicon()) if x > at]
    if later and any(m.label == "PERSON" and m.canonical_name != sp.name for m in _mentions_between(ctx, min(later), b)):
        return  # "... Another senator, Jane Doe, disagreed.": the next quote may be hers
    q.speaker, q.attribution, q.cue_pos = sp, "continuation", at


def _backward_continuation(ctx: _Ctx, quotes: list[_Q]) -> None:
    """A quote left open at its paragraph end belongs to the next paragraph's quote speaker;
    the first half of a quote split by an aside belongs to the speaker the second half's cue names."""
    for k in range(len(quotes) - 2, -1, -1):
        q, nxt = quotes[k], quotes[k + 1]
        if q.speaker is None and q.kind in ("full", "partial") and nxt.para == q.para and _split_by_aside(ctx, q, nxt):
            # “I don't think the polls” -- whatever they say -- “are right,” he says: one quotation, one speaker
            q.speaker, q.attribution, q.cue, q.cue_pos = nxt.speaker, nxt.attribution, nxt.cue, nxt.cue_pos
            continue
        if q.speaker is None and not q.closed and q.kind == "full" and nxt.para == q.para + 1 \
                and nxt.speaker is not None and nxt.attribution != "unresolved":
            q.speaker, q.attribution, q.cue_pos = nxt.speaker, "continuation", nxt.cue_pos


def _split_by_aside(ctx: _Ctx, q: _Q, nxt: _Q) -> bool:
    """Is ``q`` the first half of one quotation whose second half ``nxt`` is attributed by a cue after it?

    Between the halves only an aside: no sentence end, no cue of its own; the first half ends mid-sentence.
    """
    if q.close_at is None or nxt.open_at is None or nxt.speaker is None or nxt.attribution not in (
            "explicit", "pronoun", "title") or nxt.cue_pos is None or nxt.cue_pos < (nxt.close_at or nxt.end):
        return False
    between = ctx.text[q.close_at:nxt.open_at]
    if ctx.text[q.start:q.end][-1:] in ".!?…" or len(between) > 150 or re.search(r"[.!?]\s", between + " "):
        return False
    return not _cue_tokens(ctx, _tokens_in(ctx, q.close_at, nxt.open_at))


def _signed_quotes(ctx: _Ctx, quotes: list[_Q]) -> None:
    """A quote filling its paragraph, signed by the next one ("— Michelle Marks, Philadelphia."), is the signer's."""
    for q in quotes:
        if q.speaker is not None or q.kind not in ("full", "partial") or q.para + 1 >= len(ctx.paras) \
                or not _whole_paragraph(ctx, q):
            continue
        a, b = ctx.paras[q.para + 1]
        m = SIGNATURE.match(ctx.text, a, b)
        if not m:
            continue
        lo, hi = m.span("name")
        named = [x for x in _mentions_between(ctx, lo - 1, hi + 1) if x.label in ("PERSON", "ORG")]
        surface = ctx.text[lo:hi]
        if named:
            q.speaker = _speaker_from_mention(named[0], surface)
        elif len(surface.split()) >= 2:  # a name the model missed: text only
            q.speaker = _Speaker(surface, None, surface, "PERSON")
        else:
            continue
        q.attribution, q.cue_pos = "explicit", lo
