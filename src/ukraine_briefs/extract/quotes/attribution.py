"""Attribution: the order in which the rules give every quote its kind, cue and speaker.

Quotes are attributed in text order so earlier speakers feed later ones: a cue
around the quote, else a colon lead-in, a lead-in paragraph ending in a colon,
or a sentence after the quote naming the speaker ("That was the message from
X"); then continuations (a cue-less quote after X's is X's), headings echoing an
attributed quote, and transcript labels linked to entities. Scare quotes (a term
in marks) are never attributed.
"""
from __future__ import annotations

import functools
import re

from ukraine_briefs.extract.quotes.context import (
    WORD_RE,
    _clean_name,
    _Ctx,
    _is_furniture,
    _lexicon,
    _Q,
    _Speaker,
)
from ukraine_briefs.extract.quotes.cues import (
    INTERJECTION,
    _Around,
    _around,
    _cue_tokens,
    _find_cue,
    _interjection_cue,
    _joint,
    _speaker_tokens,
    _tokens_in,
)
from ukraine_briefs.extract.quotes.carry import (
    _backward_continuation,
    _continuation,
    _paragraph_carry,
    _sentence_carry,
    _signed_quotes,
)
from ukraine_briefs.extract.quotes.marks import _is_heading, _sentence_bounds, _whole_paragraph
from ukraine_briefs.extract.quotes.pronouns import _pronoun_antecedent
from ukraine_briefs.extract.quotes.roles import _gz_profile
from ukraine_briefs.extract.quotes.speakers import _resolve_name, _speaker_from_tokens

# "the so-called “Normandy format”": a term, not a quotation
SCARE_LEAD = re.compile(
    r"(?:(?:so-called|so called|dubbed|termed|known as|calls?|called|labelled|labeled|branded)\s+(?:an?\s+|the\s+)?"
    r"|(?:the\s+)?(?:term|word|phrase|label|slogan|name)s?\s+"
    r"|(?P<call>call(?:s|ed|ing)?\s+(?:it|them|this|that|(?:its|their|his|her|the)\s+\w+)\s+(?:an?\s+|the\s+)?))$", re.I)
COORDINATED = re.compile(r"\s*(?:,|,?\s*(?:and|or|but))\s*")


def _previous_lead_in(ctx: _Ctx, q: _Q, done: list[_Q], raw_mentions) -> None:
    """A quote paragraph introduced by the previous one ending in a colon (``He said:``)."""
    a, b = ctx.paras[q.para - 1]
    if b <= a:
        return
    lo = max(_sentence_bounds(ctx.masked, a, b, _lexicon()))
    toks = _tokens_in(ctx, lo, b)
    cues = _cue_tokens(ctx, toks)
    if cues:
        tok, lemma, n = cues[-1]
        sp_toks = _speaker_tokens(ctx, tok, n, lemma, toks, lo, b, prefer="before")
        sp, how = _speaker_from_tokens(ctx, sp_toks, tok.idx, done, raw_mentions)
        inv = [t for t in toks if t.i >= tok.i + n and not t.is_punct]
        if sp is None and toks and toks[0].i == tok.i and 0 < len(inv) <= 6 and inv[0].pos_ in ("PROPN", "DET", "PRON"):
            sp, how = _speaker_from_tokens(ctx, inv, tok.idx, done, raw_mentions)  # "Stated Stone:" on its own line
        q.cue, q.cue_pos, q.cue_i = lemma, tok.idx, tok.i
        if sp is not None:
            q.speaker, q.attribution = sp, how
        return
    ids = [t for t in toks if t.text != ":"]
    if ids and len(ids) <= 8:  # "Lavrov on sanctions:"
        sp, how = _speaker_from_tokens(ctx, ids, ids[-1].idx, done, raw_mentions)
        if sp is not None and how != "unresolved":
            q.speaker, q.attribution, q.cue_pos = sp, how, ids[-1].idx


def _echo_speaker(ctx: _Ctx, q: _Q, ar: "_Around", done: list[_Q], raw_mentions) -> None:
    """The sentence right after a quote names its speaker: "That was the message from X", "That was X's answer"."""
    lex = _lexicon()
    if not ar.starts_clause or q.close_at is None:
        return
    a, b = ctx.paras[q.para]
    lo = q.close_at
    while lo < b and ctx.text[lo] in " .":
        lo += 1
    if q.para + 1 < len(ctx.paras) and lo >= b:  # the echo may open the next paragraph
        a, b = ctx.paras[q.para + 1]
        lo = a
    m = ECHO_RE.match(ctx.text, lo, b)
    if not m:
        return
    toks = _tokens_in(ctx, m.end(), b)
    if m.group("noun").lower() in lex.echo_nouns and m.group("prep"):
        sp_toks = []
        for t in toks:  # "from Nato Secretary General Jens Stoltenberg on Wednesday"
            if t.pos_ in ("PROPN", "NOUN", "ADJ", "DET") or (t.text in ("-", ".") and sp_toks):
                sp_toks.append(t)
            else:
                break
    else:
        return
    sp, how = _speaker_from_tokens(ctx, sp_toks, q.close_at, done, raw_mentions)
    if sp is not None and sp.name is not None and how in ("explicit", "title"):
        q.speaker, q.attribution, q.cue, q.cue_pos = sp, how, "say", m.start()


ECHO_RE = re.compile(
    r"(?:That|This|Such|These|Those)\s+(?:was|is|were|are|came as|echoed)\s+(?:the\s+|a\s+)?(?:\w+\s+){0,2}?"
    r"(?P<noun>[a-z]+)\s+(?P<prep>from|of|by)\s+")


def _colon_speaker(ctx: _Ctx, q: _Q, ar: _Around, done: list[_Q], raw_mentions) -> None:
    """A colon lead-in with no verb: ``Antony Blinken: “...”``, ``And from the ministry: “...”``."""
    toks = [t for t in _tokens_in(ctx, ar.before_lo, ar.lo_mark) if t.text != ":"]
    while toks and toks[0].pos_ in ("CCONJ", "ADP", "ADV", "PUNCT") and not toks[0].text[:1].isupper() \
            or toks and toks[0].lower_ in ("and", "but", "from", "so"):
        toks = toks[1:]
    comma = next((k for k, t in enumerate(toks) if t.text == ","), None)
    if toks and comma is not None and toks[0].pos_ in ("ADP", "ADV") and 0 < comma <= 5 and comma + 1 < len(toks) \
            and not any(t.pos_ in ("VERB", "AUX") or t.text == "," for t in toks[comma + 1:]):
        toks = toks[comma + 1:]  # "In a statement, the Russian foreign ministry:": the phrase after the comma
    cut = next((k for k, t in enumerate(toks) if k > 0 and t.lower_ in ("to", "on", "at", "in", "about")), None)
    if cut is not None:  # "Zelensky to Putin:", "Lavrov on sanctions:": the speaker comes first
        toks = toks[:cut]
    while toks and toks[-1].is_punct:  # "Kallas, in an interview with Reuters:"
        toks = toks[:-1]
    toks = _answer_owner(toks)
    ids = {t.i for t in toks}
    subj = [t for t in toks if t.dep_ in ("nsubj", "nsubjpass") and t.head.i in ids and t.head.pos_ in ("AUX", "VERB")]
    if subj:  # "Lavrov's statement after the meeting was short: “...”": its subject speaks
        toks = [t for t in subj[0].subtree if t.i in ids]
    if toks and len(toks) <= 8 and not _is_furniture(ctx.text[toks[0].idx:toks[-1].idx + len(toks[-1].text)]):
        sp, how = _speaker_from_tokens(ctx, toks, ar.lo_mark, done, raw_mentions)
        if sp is not None and how != "unresolved":
            q.speaker, q.attribution, q.cue_pos = sp, how, toks[-1].idx


def _answer_owner(toks: list) -> list:
    """Whose words an answer noun before a colon names: "Her answer:" -> her, "The reply from the Kremlin:" -> the Kremlin.

    The nouns are the lexicon's ``echo_nouns`` (answer, reply, message, verdict ...).
    """
    nouns = [k for k, t in enumerate(toks) if t.lemma_.lower() in _lexicon().echo_nouns or t.lower_ in _lexicon().echo_nouns]
    if not nouns:
        return toks
    k = nouns[0]
    owner = [t for t in toks[:k] if t.dep_ == "poss" and t.head.i == toks[k].i]
    if owner:  # "Her answer", "Lavrov's reply": the possessor without its 's
        sub = [t for t in owner[0].subtree if t.dep_ != "case"]
        return sub
    rest = toks[k + 1:]
    obj = [c for c in rest[0].children if c.dep_ == "pobj"] if rest and rest[0].lower_ in ("from", "of", "by") else []
    if obj:  # "The message from the Kremlin (was clear)"
        ids = {t.i for t in rest}
        return [t for t in obj[0].subtree if t.i in ids]
    return toks


@functools.lru_cache(maxsize=1)
def _speech_noun_re() -> re.Pattern:
    words = sorted(_lexicon().speech_nouns, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")(?:s|es)?\b", re.I)


def _top(span):
    """The quote's top token: its first word's highest ancestor inside the quote (cheaper than Span.root)."""
    tok = span[0]
    for _ in range(len(span)):
        if tok.head is tok or not span.start <= tok.head.i < span.end:
            break
        tok = tok.head
    return tok


def _same_clause_speaker(ctx: _Ctx, q: _Q, done: list[_Q]) -> None:
    """A later quote of a sentence inside the clause an earlier quote's cue reports has that quote's speaker.

    The cue search stops at the previous quote, so "Walsh said it was “clear” ... and
    that Price faced a “slam-dunk” case" finds no cue for the second quote; the parse
    shows the cue "said" governs it.
    """
    prev = next((o for o in reversed(done) if o.kind != "scare"), None)
    if prev is None or prev.para != q.para or prev.speaker is None or prev.cue_i is None \
            or prev.attribution == "unresolved" or ctx.idx.sent_id(prev.start) != ctx.idx.sent_id(q.start):
        return
    span = ctx.doc.char_span(q.start, q.end, alignment_mode="expand")
    cue = ctx.doc[prev.cue_i]
    if span is None or cue.i >= span.start:
        return
    governed = any(a.i == cue.i for a in _top(span).ancestors)
    # "... had “excellent” results, shows “extraordinary” strength": the same report goes on, no new subject
    between = _tokens_in(ctx, prev.close_at or prev.end, q.open_at or q.start)
    goes_on = prev.kind == "partial" and between and not any(
        t.dep_ in ("nsubj", "nsubjpass") or t.ent_type_ == "PERSON" for t in between)
    if governed or goes_on:
        q.speaker, q.attribution, q.cue, q.cue_pos, q.cue_i = (
            prev.speaker, prev.attribution, prev.cue, prev.cue_pos, prev.cue_i)


def _is_person_word(t) -> bool:
    return t.ent_type_ == "PERSON" or t.lower_ in _lexicon().pronouns


def _fragment_speaker(ctx: _Ctx, q: _Q, done: list[_Q], raw_mentions) -> None:
    """Words in marks inside a clause whose subject is a person are that person's words.

    "Merkel heralded the deal as a “breakthrough”", "He implied the judge was
    “hostile”": the verb is no listed cue, but the marks sit in what the
    subject says or does with words; the subject speaks (issue 17, item 2).
    A term after "so-called"/"dubbed" stays a scare quote (`_kind` decides).
    """
    tok = next((t for t in ctx.doc.char_span(q.start, q.end, alignment_mode="expand") or []), None)
    if tok is None:
        return
    sent_lo = tok.sent.start
    head = tok
    for _ in range(12):  # up to the clause's main verb
        if head.head is head or head.head.i < sent_lo:
            break
        head = head.head
        if head.pos_ == "VERB" and any(c.dep_ in ("nsubj", "nsubjpass") for c in head.children):
            break
    if head.pos_ not in ("VERB", "AUX") or q.start <= head.idx < q.end:
        return
    lo_mark = q.open_at or q.start
    subj = [c for c in head.children if c.dep_ == "nsubj" and c.idx < lo_mark]
    for _ in range(2):
        if head.dep_ != "ccomp" or head.head.pos_ != "VERB" or head.head.idx > lo_mark:
            break
        reported = head.head.lower_ in _lexicon().cue_forms and any(  # "Walsh said Price faced a “slam-dunk” case"
            c.dep_ == "nsubj" and c.idx < lo_mark for c in head.head.children)
        if subj and (subj[0].ent_type_ == "PERSON" or subj[0].lower_ in _lexicon().pronouns) and not reported:
            break
        # "Rutte worried that the alliance was becoming “a paper tiger”": the clause is what Rutte reports
        outer = [c for c in head.head.children if c.dep_ == "nsubj" and c.idx < lo_mark]
        if subj and _is_person_word(subj[0]) and not (outer and _is_person_word(outer[0])):
            break  # the reporting clause's subject is no person the parse knows: keep the inner one
        head = head.head
        subj = outer
    if not subj:
        return
    s = subj[0]
    if not _is_person_word(s) or "\x00" in ctx.masked[s.idx:s.idx + len(s.text)]:
        return
    toks = [t for t in s.subtree if t.idx < (q.open_at or q.start) and (t.dep_ != "appos" or t is s)]
    toks = [t for t in toks if "\x00" not in ctx.masked[t.idx:t.idx + len(t.text)]][:8]
    sp, how = _speaker_from_tokens(ctx, toks, head.idx, done, raw_mentions)
    if sp is not None and how != "unresolved" and sp.label in ("PERSON", None) and sp.name is not None:
        q.speaker, q.attribution, q.cue, q.cue_pos, q.cue_i = sp, how, head.lemma_.lower(), head.idx, head.i


def _speech_noun_speaker(ctx: _Ctx, q: _Q, done: list[_Q], raw_mentions) -> None:
    """Words in marks governed by a noun of speech are its owner's: "his call for “a total ban”",
    "The senator's answer was that “...”", "Walsh made the point that ... “...”".

    From the quote up its clause: a speech noun (``speech_nouns``) owned by a possessor, or the
    subject of the light verb taking it ("made the point"), or the noun as subject of a copula
    whose complement holds the quote. Nothing else is read: a scare term stays a scare term.
    """
    sid = ctx.idx.sent_id(q.start)
    starts = ctx.idx.sent_starts
    lo, hi = starts[sid], starts[sid + 1] if sid + 1 < len(starts) else len(ctx.text)
    if not _speech_noun_re().search(ctx.masked, lo, max(lo, hi)):
        return  # no noun of speech outside the quotes of its sentence: nothing to read (and cheap)
    span = ctx.doc.char_span(q.start, q.end, alignment_mode="expand")
    if span is None:
        return
    nouns = _lexicon().speech_nouns
    tok = _top(span)
    owner = None
    for _ in range(8):
        cands = [tok] if tok.pos_ == "NOUN" else [c for c in tok.children if c.dep_ in ("nsubj", "attr", "dobj")
                                                  and c.pos_ == "NOUN" and not span.start <= c.i < span.end]
        noun = next((c for c in cands if c.lemma_.lower() in nouns or c.lower_ in nouns), None)
        if noun is not None and not span.start <= noun.i < span.end:
            poss = [c for c in noun.children if c.dep_ == "poss"]
            if poss:
                owner = [t for t in poss[0].subtree if t.dep_ != "case"]
            elif noun.dep_ == "dobj" and noun.head.pos_ == "VERB":  # "made the point that"
                owner = [c for c in noun.head.children if c.dep_ == "nsubj"][:1]
                owner = [t for t in owner[0].subtree if t.i < noun.head.i] if owner else None
            break
        if tok.head is tok or ctx.idx.sent_id(tok.head.idx) != ctx.idx.sent_id(tok.idx):
            break
        tok = tok.head
    if not owner or any("\x00" in ctx.masked[t.idx:t.idx + len(t.text)] for t in owner):
        return
    at = owner[-1].idx
    if len(owner) == 1 and owner[0].lower_ in ("his", "her"):
        sp = _pronoun_antecedent(ctx, at, done, "he" if owner[0].lower_ == "his" else "she")
        how = "pronoun"
    else:
        sp, how = _speaker_from_tokens(ctx, owner[:8], at, done, raw_mentions)
    if sp is not None and how != "unresolved" and (sp.name is not None or sp.entity_id is not None or how == "title"):
        q.speaker, q.attribution, q.cue, q.cue_pos = sp, how, "say", at


def _kind(ctx: _Ctx, q: _Q, ar: _Around) -> str:
    n_words = len(ar.inner.split())
    lead = SCARE_LEAD.search(ar.before)
    # "Kuleba called it “a full-scale invasion”": a named person's words, not a term
    # (a body "calling its actions a “special operation”" names a term; "the ministry called the move “premature”" quotes)
    named_call = lead is not None and lead.group("call") and (_is_heading(ctx, q.para) or (
        q.speaker is not None and q.speaker.surface is not None and q.attribution != "unresolved"
        and ((q.speaker.label == "PERSON" and q.speaker.name is not None)
             or not lead.group("call").lower().startswith("calling"))))
    if lead and n_words <= 4 and not named_call:
        return "scare"
    if q.origin == "dash":
        return "dash"
    if _is_heading(ctx, q.para):
        return "heading" if (q.speaker is not None or n_words > 3 or _whole_paragraph(ctx, q)) else "scare"
    if ar.starts_clause and ar.ends_clause:
        return "full"
    if q.cue is not None and ar.before.rstrip()[-1:] in ",:" and ar.inner[-1:] in ".!?…":
        return "full"  # 'Priebus said, “Probably.”': a sentence after its cue, capitalised or not
    words_before = ar.before.lower().split()
    prev = words_before[-1] if words_before else ""
    # 'referred to the judge as “Spanish”', 'He said “The Hispanics”': capitalised words a person used
    used = q.speaker is not None and (prev in ("as", "is", "was", "were", "be") or _lexicon().cue_forms.get(prev) in (
        "say", "read", "write", "tweet", "call"))
    if n_words <= 6 and _title_case(ar.inner) and not used:
        return "scare"  # a name in marks: on “State of the Union”, the “Minsk Agreements”
    if q.cue is None and n_words <= 4:
        return "scare"
    return "partial"


_SMALL_WORDS = frozenset("of the and a an in on for to at by with de von".split())


def _title_case(s: str) -> bool:
    words = WORD_RE.findall(s)
    return bool(words) and all(w[:1].isupper() or w.lower() in _SMALL_WORDS for w in words) \
        and any(w[:1].isupper() for w in words)


def _attribute(ctx: _Ctx, quotes: list[_Q], raw_mentions) -> None:
    """Set kind, cue and speaker of every quote, in text order (earlier speakers feed later ones)."""
    done: list[_Q] = []
    for qi, q in enumerate(quotes):
        if q.origin == "transcript":
            _attribute_transcript(ctx, q, raw_mentions)
            done.append(q)
            continue
        ar = _around(ctx, quotes, qi, done)
        prev = done[-1] if done else None
        if prev is not None and prev.para == q.para and prev.close_at is not None and q.open_at is not None \
                and prev.speaker is not None and prev.cue_pos is not None and q.origin == prev.origin == "mark" \
                and prev.close_at <= prev.cue_pos < q.open_at \
                and INTERJECTION.fullmatch(ctx.text, prev.close_at, q.open_at):
            # “The costs” — Biden paused — “will be enormous.”: the second half is his too
            q.speaker, q.attribution, q.cue, q.cue_pos, q.cue_i = (
                prev.speaker, prev.attribution, prev.cue, prev.cue_pos, prev.cue_i)
            q.kind = prev.kind
            done.append(q)
            continue
        if prev is not None and prev.para == q.para and prev.close_at is not None and q.open_at is not None \
                and prev.speaker is not None and prev.kind in ("partial", "full") \
                and COORDINATED.fullmatch(ctx.text[prev.close_at:q.open_at]):
            # “unacceptable” and “irresponsible”: one reported phrase, one speaker
            q.speaker, q.attribution, q.cue, q.cue_pos, q.cue_i = (
                prev.speaker, prev.attribution, prev.cue, prev.cue_pos, prev.cue_i)
            q.kind = "partial"
            done.append(q)
            continue
        found = _find_cue(ctx, q, ar) or _interjection_cue(ctx, quotes, qi)
        if found is not None:
            tok, lemma, n, toks, lo, hi, prefer = found
            sp_toks = _speaker_tokens(ctx, tok, n, lemma, toks, lo, hi, prefer=prefer)
            if _joint(sp_toks):  # "Blinken and Lavrov said": two speakers at once, nobody in particular
                sp_toks = []
            sp, how = _speaker_from_tokens(ctx, sp_toks, tok.idx, done, raw_mentions)
            if sp is None and tok.idx < ar.lo_mark and ar.before.rstrip().endswith(":"):
                # "Continued Stone: “...”", "Added the minister: “...”": the subject follows the cue
                inv = [t for t in _tokens_in(ctx, tok.idx, ar.lo_mark) if t.i >= tok.i + n and not t.is_punct]
                if 0 < len(inv) <= 6 and inv[0].pos_ in ("PROPN", "DET", "PRON"):
                    sp, how = _speaker_from_tokens(ctx, inv, tok.idx, done, raw_mentions)
            q.cue, q.cue_pos, q.cue_i = lemma, tok.idx, tok.i
            if sp is None and tok.dep_ == "conj":
                # "The statement said ... “...” and warned of “...”": the first verb's speaker
                first = next((o for o in reversed(done) if o.cue_i == tok.head.i and o.speaker is not None), None)
                if first is not None:
                    sp, how = first.speaker, first.attribution
            last = next((o for o in reversed(done) if o.kind != "scare"), None)
            if sp is None and last is not None and last.speaker is not None and last.attribution != "unresolved" and (
                    ctx.idx.sent_id(last.start) == ctx.idx.sent_id(q.start)
                    or (tok.tag_ == "VBG" and q.para - last.para <= 1)):
                # "Scholz said talks could be “slow,” adding, “Diplomacy is slow.”": one sentence, one speaker;
                # "Adding, “...”" opening the next sentence continues the last speaker
                sp, how = last.speaker, last.attribution
            if sp is not None:
                q.speaker, q.attribution = sp, how
        elif ar.before.strip().endswith(":"):
            _colon_speaker(ctx, q, ar, done, raw_mentions)
        elif not ar.before.strip() and q.para > 0 and ctx.text[:ctx.paras[q.para][0]].rstrip().endswith(":"):
            _previous_lead_in(ctx, q, done, raw_mentions)  # "He said:\n\n“We are defending our country.”"
        if q.speaker is None and q.cue is None:
            _echo_speaker(ctx, q, ar, done, raw_mentions)  # "“...” That was the message from X."
        if q.speaker is None and q.cue is None and q.origin == "mark" and not ar.starts_clause:
            _same_clause_speaker(ctx, q, done)  # "Walsh said it was “clear” and that Price faced a “slam-dunk” case"
        if q.speaker is None and q.cue is None and q.origin == "mark" and not ar.starts_clause:
            _fragment_speaker(ctx, q, done, raw_mentions)  # "Merkel heralded the deal as a “breakthrough”"
        if q.speaker is None and q.cue is None and q.origin == "mark":
            _speech_noun_speaker(ctx, q, done, raw_mentions)  # "his call for “a total ban”"
        q.kind = _kind(ctx, q, ar)
        if q.speaker is None and q.cue is None and (not ar.other_cue or ar.other_clause) \
                and q.kind in ("full", "partial", "dash"):
            _continuation(ctx, q, done, allow_prev_para=q.kind in ("full", "dash") and not ar.other_cue,
                          raw_mentions=raw_mentions)
        if q.speaker is None and q.cue is None and not ar.other_cue and q.kind in ("full", "partial") \
                and not ar.before.strip():
            _sentence_carry(ctx, q, done, raw_mentions)  # "Coan argues that ... . “The government is ...”"
        if q.speaker is None and q.cue is None and not ar.other_cue and q.kind == "full" and not ar.before.strip():
            _paragraph_carry(ctx, q, done, raw_mentions)
        done.append(q)
    _backward_continuation(ctx, quotes)
    _signed_quotes(ctx, quotes)  # "“...”\n\n— Michelle Marks, Philadelphia."
    _heading_echoes(ctx, quotes)
    for q in quotes:
        if q.kind == "scare":  # a term in quotation marks, nobody's words
            q.speaker, q.cue = None, None
        if q.speaker is None:
            q.attribution = "unresolved"


def _bigrams(s: str) -> set:
    w = [x.lower() for x in WORD_RE.findall(s)]
    return set(zip(w, w[1:]))


def _heading_echoes(ctx: _Ctx, quotes: list[_Q]) -> None:
    """A heading quote repeating words of an attributed quote gets that quote's speaker."""
    for q in quotes:
        if q.kind != "heading" or q.speaker is not None:
            continue
        inner = ctx.text[q.start:q.end]
        bg = _bigrams(inner)
        if len(inner.split()) < 3 or len(bg) < 2:
            continue
        best = None
        for o in quotes:
            if o is q or o.speaker is None or o.attribution == "unresolved" or o.kind == "heading":
                continue
            share = len(bg & _bigrams(ctx.text[o.start:o.end])) / len(bg)
            if share >= 0.75 and (best is None or share > best[0]):
                best = (share, o)
        if best:
            q.speaker = best[1].speaker
            q.attribution = best[1].attribution


def _attribute_transcript(ctx: _Ctx, q: _Q, raw_mentions) -> None:
    """Link a transcript speaker label to its entity (mention, resolver, or earlier label)."""
    name = q.speaker.surface if q.speaker else None
    if not name:
        return
    if name in ctx.label_speakers:
        q.speaker = ctx.label_speakers[name]
        return
    sp = None
    lex = _lexicon()
    if name.lower() in lex.answer_labels and ctx.intro_end is not None:
        # "A:" answers for the one person the introduction names ("a briefing by ... Ned Price")
        people = {(m.entity_id, m.canonical_name): m for m in ctx.mentions
                  if m.label == "PERSON" and m.end_char <= ctx.intro_end}
        if not people:  # no introduction: the one person the document names at all
            people = {(m.entity_id, m.canonical_name): m for m in ctx.mentions if m.label == "PERSON"}
        if len(people) == 1:
            m = next(iter(people.values()))
            ctx.label_speakers[name] = q.speaker = _Speaker(name, m.entity_id, m.canonical_name, "PERSON")
            return
    if name.lower() in lex.generic_labels:  # "QUESTION:" names no one
        ctx.label_speakers[name] = q.speaker = _Speaker(name)
        return
    # the label's name mentioned before the quote; the fullest form wins ("Christiane Amanpour" over "AMANPOUR")
    same = [m for m in ctx.mentions
            if m.end_char <= q.start and _same_name(ctx.text[m.start_char:m.end_char], name)
            # the model may call "CNN's Christiane Amanpour" an ORG: a label speaks, so a person
            and (m.label == "PERSON" or (len(m.canonical_name.split()) >= 2 and not _gz_profile(m.entity_id)))]
    if same:
        m = max(same, key=lambda m: (m.entity_id is not None, len(m.canonical_name.split()), -m.start_char))
        sp = _Speaker(name, m.entity_id, m.canonical_name, "PERSON")
    if sp is None:
        res = _resolve_name(name, raw_mentions)
        if res:
            sp = _Speaker(name, res[0], res[1], "PERSON")
    if sp is None:
        # a shorter later label ("Antony Blinken:") reuses the longer one's entity
        for other, osp in ctx.label_speakers.items():
            if _same_name(other, name):
                sp = osp
                break
    if sp is None:
        sp = _Speaker(name, None, _clean_name(name), None)
    ctx.label_speakers[name] = sp
    q.speaker = sp


def _same_name(a: str, b: str) -> bool:
    wa = [w.lower() for w in WORD_RE.findall(a)]
    wb = [w.lower() for w in WORD_RE.findall(b)]
    return bool(wa and wb) and wa[-1] == wb[-1]
