"""Cues: the verb or phrase attributing a quote (``said``, the spun ``stated``, ``according to``) and the speaker's words.

For each quote, `_find_cue` picks the cue in its sentence outside every quote
(an attribution hanging on the quote first, then the closest cue before it),
and `_speaker_tokens` the tokens naming its speaker (the cue's parsed subject,
or the noun phrase before or after it). Linking those tokens to an entity is
`speakers`' job.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from spacy.tokens import Token

from ukraine_briefs.extract.quotes.context import _Ctx, _Q, _lexicon, _mentions_between
from ukraine_briefs.extract.quotes.marks import _sentence_bounds

NAME_POS = ("PROPN", "NOUN", "DET", "ADJ", "PUNCT", "ADP", "NUM", "CCONJ")
# words that start a new clause between a quote and a later verb
SUBORDINATORS = frozenset("as when while after before because since if though although until once".split())
CLAUSE_WORDS = frozenset("if when that because as while and but although after before since unless which who whom whether so".split())


# --------------------------------------------------------------------------- attribution

def _tokens_in(ctx: _Ctx, lo: int, hi: int) -> list[Token]:
    """Tokens wholly inside ``[lo, hi)`` that lie outside every quote."""
    span = ctx.doc.char_span(lo, hi, alignment_mode="contract")
    if span is None:
        return []
    return [t for t in span if "\x00" not in ctx.masked[t.idx:t.idx + len(t.text)] and not t.is_space]


@functools.lru_cache(maxsize=1)
def _phrases_by_first() -> dict:
    """Multi-word cues by their first word (longest first), so each token is checked against few."""
    out: dict = {}
    for words, lemma in _lexicon().cue_phrases:
        out.setdefault(words[0], []).append((words, lemma))
    return out


def _cue_tokens(ctx: _Ctx, toks: list[Token]) -> list[tuple[Token, str, int]]:
    """Cue words among ``toks``: (token, lemma, n_tokens) in text order."""
    lex = _lexicon()
    out = []
    lows = [t.text.lower() for t in toks]
    i = 0
    while i < len(toks):
        hit = None
        for words, lemma in _phrases_by_first().get(lows[i], ()):
            if tuple(lows[i:i + len(words)]) == words:
                hit = (toks[i], lemma, len(words))
                break
        if hit is None and lows[i] in lex.cue_forms:
            t = toks[i]
            strong = lows[i] in ("said", "says", "stated", "told", "wrote", "tweeted", "added", "instructed")
            # the parser may tag the verb closing an attribution as a noun ("“...,” the editorial read."):
            # a cue word heading its sentence right before its end still reports
            if strong or t.pos_ in ("VERB", "AUX") or (t.pos_ == "PROPN" and t.text[:1].isupper()) or _closing_root(toks, i):
                hit = (t, lex.cue_forms[lows[i]], 1)
        if hit is None and lows[i] in lex.verb_only and toks[i].text.islower() and (
                (toks[i].pos_ == "VERB" and any(c.dep_ in ("nsubj", "nsubjpass") for c in toks[i].children))
                or _closing_root(toks, i)):
            hit = (toks[i], lex.verb_only[lows[i]], 1)
        if hit and hit[2] > 1 and lows[i + hit[2] - 1] == "on" and i + hit[2] < len(toks) \
                and toks[i + hit[2]].pos_ in ("DET", "NOUN", "PROPN", "NUM", "ADJ", "PRON"):
            hit = None  # "the Senate goes on recess", "went on television": no speech
        if hit and hit[2] == 1 and hit[0].tag_ == "VB" and i > 0 and lows[i - 1] == "to" \
                and not (i + 1 < len(toks) and lows[i + 1] in (",", ":") and hit[0].dep_ == "xcomp"):
            hit = None  # "plans to write down" reports no speech; "prompted Walsh to say, “...”" does
        if hit and hit[2] == 1 and hit[0].dep_ == "amod" and i > 0 and (
                toks[i - 1].pos_ in ("DET", "ADV") or (toks[i - 1].text == "-" and not toks[i - 1].whitespace_)):
            hit = None  # "the so-called establishment", "a written reply": a participle describing a noun
        if hit:
            out.append(hit)
            i += hit[2]
        else:
            i += 1
    return out


def _closing_root(toks: list[Token], i: int) -> bool:
    """Is ``toks[i]`` the root of its sentence right before its end, after a noun ("“...,” the editorial read.")?

    The parser may tag the verb closing an attribution as a noun; in that slot it still reports.
    """
    t = toks[i]
    return t.dep_ == "ROOT" and 0 < i < len(toks) - 1 and toks[i + 1].text in (".", "!", "?") \
        and toks[i - 1].pos_ in ("NOUN", "PROPN", "ADJ")


def _np_after(toks: list[Token], j: int) -> list[Token]:
    """The noun phrase starting at ``toks[j]`` (``said the Texas Republican``)."""
    out = []
    for k, t in enumerate(toks[j:], start=j):
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        if t.lower_ == "of" and out and out[-1].pos_ in ("NOUN", "PROPN") and nxt is not None \
                and nxt.pos_ in ("DET", "PROPN", "NOUN", "ADJ"):
            out.append(t)  # "the head of the National Security Bureau Paweł Soloch"
            continue
        if t.pos_ in ("DET", "PROPN", "NOUN", "ADJ", "PRON", "NUM") or (t.text in (".", "-") and out and t.pos_ == "PUNCT" and out[-1].text[-1:].isalpha() and len(out[-1].text) <= 4):
            if t.pos_ == "PRON" and out:
                break
            out.append(t)
            if t.pos_ == "PRON":
                break
        else:
            break
    return out


def _in_age(t: Token) -> bool:
    """Is ``t`` part of an age description ("the 44-year-old"), which spaCy tags as a DATE?"""
    near = "".join(x.text_with_ws for x in t.doc[max(0, t.i - 4):t.i + 5]).lower()
    return "year-old" in near or "year old" in near


def _np_before(toks: list[Token], j: int) -> list[Token]:
    """The noun phrase ending right before ``toks[j]``, skipping adverbs and time words."""
    lex = _lexicon()
    k = j - 1
    while k >= 0 and (toks[k].text.lower() in lex.between or (
            toks[k].ent_type_ in ("DATE", "TIME") and not _in_age(toks[k]))):
        k -= 1
    if k > 0 and toks[k].text == "," and toks[k - 1].pos_ == "PROPN":
        k -= 1  # "her senior adviser, Jake Sullivan, said": the apposition's closing comma
    out = []
    while k >= 0:
        t = toks[k]
        if t.pos_ in ("PROPN", "NOUN", "ADJ", "DET", "NUM") or t.text in (".", "-", "’s", "'s") and out or t.pos_ == "PRON" and not out:
            out.insert(0, t)
            if t.pos_ == "PRON" or t.pos_ == "DET":
                break
            k -= 1
        else:
            break
    while out and out[0].pos_ == "PUNCT":
        out.pop(0)
    return out


def _subject_of(cue: Token, lo: int, hi: int) -> list[Token] | None:
    """The grammatical subject of the cue verb, when the parse found one in ``[lo, hi)``."""
    head = cue
    if cue.dep_ == "pcomp" and cue.head.lower_ == "as" and cue.head.head is not cue.head:
        head = cue.head.head  # "Putin was quoted as saying" / "Interfax quoted Putin as saying"
        if head.lemma_ == "quote":
            obj = [c for c in head.children if c.dep_ == "dobj" and lo <= c.idx < hi]
            if obj:
                return [t for t in obj[0].subtree if lo <= t.idx < hi] or [obj[0]]
    if cue.dep_ == "pcomp" and cue.head.dep_ == "prep" and cue.head.lower_ in ("by", "after", "before", "in", "while") \
            and cue.head.head.pos_ in ("VERB", "AUX"):
        head = cue.head.head  # "Price responded by saying", "He began by saying": the main verb's subject says it
    agent = [g for c in cue.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj" and lo <= g.idx < hi]
    if agent and cue.tag_ == "VBN":  # "Asked by Walsh whether ...", "was told by aides that ...": the agent speaks
        return [t for t in agent[0].subtree if lo <= t.idx < hi] or [agent[0]]
    for _ in range(3):
        subj = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass") and lo <= c.idx < hi]
        if subj and subj[0].lower_ in ("who", "that") and head.dep_ == "relcl" and lo <= head.head.idx < hi:
            noun = head.head  # the relative clause's antecedent speaks
            return [t for t in noun.subtree if t.i <= noun.i and lo <= t.idx < hi] or [noun]
        if subj and head is not cue and cue.tag_ == "VBG" and head.dep_ == "ccomp" and head.head.lower_ in \
                _lexicon().cue_forms and head.head.pos_ == "VERB" and lo <= head.head.idx < cue.idx:
            head = head.head  # "Walsh argued that a database would help, saying it is “...”": Walsh says it
            continue
        if subj and head.tag_ == "VB" and head.dep_ in ("ccomp", "xcomp") and head.head is not head \
                and any(c.dep_ == "aux" and c.lower_ == "to" for c in head.children) \
                and head.head.lemma_.lower() not in _lexicon().control_verbs:
            head = head.head  # "she would like Melnyk to explain ...": a wish about Melnyk, her words
            continue
        if subj:
            s = subj[0]
            # "Zelenskiy's chief of staff, Andriy Yermak, said": the appositive name speaks
            appos = [c for c in s.children if c.dep_ == "appos" and c.pos_ == "PROPN" and lo <= c.idx < hi]
            if appos and s.pos_ != "PROPN":
                s = appos[0]
            return _trim_np([t for t in s.subtree if lo <= t.idx < hi], s) or [s]
        obj = [c for c in head.head.children if c.dep_ == "dobj" and lo <= c.idx < hi] \
            if head.dep_ == "xcomp" and head.tag_ == "VB" and head.head.lemma_.lower() in _lexicon().control_verbs else []
        if obj and obj[0].i < head.i:  # "The remark led Walsh to say", "prompted the senator to call it": the object speaks
            return _trim_np([t for t in obj[0].subtree if lo <= t.idx < hi], obj[0]) or [obj[0]]
        # participles ("Claiming that ...") and clauses hang off the main verb
        if head.head is not head and (head.dep_ == "conj" or (
                head.dep_ in ("advcl", "xcomp", "ccomp") and head.tag_ in ("VBG", "VBN", "VB"))):
            head = head.head
            continue
        break
    return None


def _trim_np(toks: list[Token], head: Token) -> list[Token]:
    """A speaker phrase up to its head noun's appositive or relative clause ("Walsh, who ...")."""
    cut = [t for t in toks if t.i > head.i and (t.text == "," or t.dep_ in ("relcl", "acl"))]
    return [t for t in toks if t.i < cut[0].i] if cut else toks


def _speaker_tokens(ctx: _Ctx, cue: Token, n: int, lemma: str, toks: list[Token], lo: int, hi: int,
                    *, prefer: str = "before") -> list[Token]:
    """Tokens naming the speaker of cue ``cue`` inside the outside-quote tokens ``toks``."""
    j = next((k for k, t in enumerate(toks) if t.i == cue.i), None)
    if j is None:
        return []
    if lemma == "according to" or toks[j + n - 1].lower_ in ("by", "of"):
        # "according to the spokesman of the ministry, Lukasz Jasina,": the whole phrase
        rest = toks[j + n:]
        stop = next((k for k, t in enumerate(rest) if t.is_punct and t.text not in (",", ".", "-", "’s", "'s")), len(rest))
        rest = rest[:stop]
        for k, t in enumerate(rest):  # "according to a senior official, Russia has moved": the clause is not his name
            nxt = next((m for m in range(k + 1, len(rest)) if rest[m].text == ","), len(rest))
            if t.text == "," and any(x.pos_ in ("VERB", "AUX") for x in rest[k + 1:nxt]):
                rest = rest[:k]
                break
        while rest and rest[-1].is_punct:
            rest = rest[:-1]
        return rest[:16] if rest and rest[0].pos_ != "PRON" else _np_after(toks, j + n)
    subj = _trim_speaker(_subject_of(cue, lo, hi) or [])
    if subj:
        masked = any("\x00" in ctx.masked[t.idx:t.idx + len(t.text)] for t in subj)
        if not masked:
            end = subj[-1].idx + len(subj[-1].text)
            name = next((m for m in _mentions_between(ctx, end, cue.idx) if m.label == "PERSON" and m.start_char <= end + 1
                         and m.end_char <= cue.idx), None)
            if name is not None:  # "U.S. Ambassador to the United Nations Linda Thomas-Greenfield told"
                subj = subj + [t for t in toks if end <= t.idx < name.end_char]
            elif ctx.text[end:end + 2] == ", ":
                # "Ukraine’s ambassador to the U.K., Vadym Prystaiko, had told": the apposition names him
                appos = next((m for m in _mentions_between(ctx, end, cue.idx)
                              if m.label == "PERSON" and m.start_char == end + 2
                              and ctx.text[m.end_char:m.end_char + 1] == ","), None)
                if appos is not None:
                    subj = [t for t in toks if appos.start_char <= t.idx < appos.end_char] or subj
            return subj
    before = _trim_speaker(_np_before(toks, j))
    after = _np_after(toks, j + n)
    # "said the Texas Republican" puts the speaker after; "Blinken said" before
    if prefer == "after":
        return after or before
    if before and not (len(before) == 1 and before[0].pos_ == "PRON" and before[0].text.lower() in ("it", "this", "that", "which", "who")):
        return before
    if j == 0 and after and cue.tag_ in ("VBD", "VBZ") and any(
            t.dep_ in ("nsubj", "nsubjpass") and t.head.i == cue.i for t in after):
        return after  # "Stated Stone:", "Added the minister:": an inverted cue opening its sentence
    return []  # "accused Washington of ...": a name after the verb is its object


def _joint(toks: list[Token]) -> bool:
    """Two coordinated names ("Blinken and Lavrov"): a direct quote has no one speaker then."""
    ids = {t.i for t in toks}
    return any(t.dep_ == "conj" and t.pos_ == "PROPN" and t.head.pos_ == "PROPN" and t.head.i in ids for t in toks)


DASHES = frozenset(("—", "–", "--", "-"))


def _trim_speaker(toks: list[Token]) -> list[Token]:
    """Drop a dateline before a dash ("WASHINGTON (AP) — Democrat Hillary Clinton") and a party tag
    in parentheses ("Gov. John Kasich (R-OH)"): neither names the speaker."""
    cut = max((k for k, t in enumerate(toks) if t.text in DASHES and t.pos_ == "PUNCT" and k < len(toks) - 1
               and toks[k - 1].text != "-" and t.whitespace_), default=None)
    if cut is not None:
        toks = toks[cut + 1:]
    if "(" in [t.text for t in toks]:
        k = [t.text for t in toks].index("(")
        close = next((m for m in range(k, len(toks)) if toks[m].text == ")"), None)
        if k > 0 and close is not None and close - k <= 6:
            toks = toks[:k] + toks[close + 1:]
    return toks


def _phrase_root(toks: list[Token]) -> Token:
    """The syntactic head of a speaker phrase (its token governed from outside it)."""
    ids = {t.i for t in toks}
    roots = [t for t in toks if t.head.i not in ids or t.head is t]
    nouns = [t for t in roots if t.pos_ in ("NOUN", "PROPN", "PRON")]
    if nouns:
        return nouns[0]
    nouns = [t for t in toks if t.pos_ in ("NOUN", "PROPN")]
    return nouns[-1] if nouns else toks[-1]


def _sentence_of(ctx: _Ctx, q: _Q) -> tuple[int, int]:
    """Bounds of the (quote-blind) sentence holding the quote, inside its paragraph."""
    a, b = ctx.paras[q.para]
    starts = _sentence_bounds(ctx.masked, a, b, _lexicon())
    lo_mark = q.open_at if q.open_at is not None else q.start
    s = max([x for x in starts if x <= lo_mark] or [a])
    hi_mark = q.close_at if q.close_at is not None else q.end
    nxt = [x for x in starts if x >= hi_mark]
    e = min(nxt) if nxt else b
    return s, e


@dataclass
class _Around:
    """The text around one quote, outside every quote, inside its sentence."""

    before_lo: int
    lo_mark: int
    hi_mark: int
    after_hi: int
    before: str
    after: str
    inner: str
    starts_clause: bool  # the quote opens its sentence (or follows a colon or its own cue)
    ends_clause: bool  # the quote closes its sentence or clause
    other_cue: bool = False  # a cue nearby that we would not trust: no continuation either
    other_clause: bool = False  # that cue reports its own clause: continuing within the paragraph is fine


def _around(ctx: _Ctx, quotes: list[_Q], qi: int, done: list[_Q]) -> _Around:
    q = quotes[qi]
    pa, _ = ctx.paras[q.para]
    sent_lo, sent_hi = _sentence_of(ctx, q)
    lo_mark = q.open_at if q.open_at is not None else q.start
    hi_mark = q.close_at if q.close_at is not None else q.end
    # after the quote: up to the next quote of the paragraph or the sentence end
    nxt_q = next((o for o in quotes[qi + 1:] if o.para == q.para), None)
    after_hi = min(sent_hi, nxt_q.open_at if nxt_q and nxt_q.open_at is not None else sent_hi)
    prev_q = done[-1] if done and done[-1].para == q.para else None
    before_lo = max(sent_lo, prev_q.close_at if prev_q and prev_q.close_at else sent_lo)
    before, after = ctx.text[before_lo:lo_mark], ctx.text[hi_mark:after_hi]
    inner = ctx.text[q.start:q.end]
    lead = before.strip()
    starts = (not lead or lead.endswith(":") or lead[-1:] in ".!?" or q.origin == "dash"
              or (q.open_at is None and q.start == pa))
    if prev_q is not None and prev_q.kind == "full" and lead[-1:] in ",;" and len(lead.split()) <= 12 \
            and _cue_tokens(ctx, _tokens_in(ctx, before_lo, lo_mark)):
        starts = True  # a quote split by its attribution: “...,” Blinken said, “...”
    ends = inner[-1:] in ".,!?…;:" or not after.strip() or after.strip()[:1] in ".,;:!?—–-"
    return _Around(before_lo, lo_mark, hi_mark, after_hi, before, after, inner, starts, ends)


def _find_cue(ctx: _Ctx, q: _Q, ar: _Around):
    """The cue attributing quote ``q``: (token, lemma, n_tokens, tokens, lo, hi, prefer) or None.

    Order: an attribution hanging on the quote (“...,” X said / said X), then the
    closest cue before it in its sentence, then (partial quotes only) a cue later
    in the sentence ("... “serious consequences” ..., Blinken told ...").
    """
    after_toks = _tokens_in(ctx, ar.hi_mark, ar.after_hi)
    cues_after = _cue_tokens(ctx, after_toks)
    before_toks = _tokens_in(ctx, ar.before_lo, ar.lo_mark)
    cues_before = _cue_tokens(ctx, before_toks)
    limit = 8 if ar.inner[-1:] in ".!…" and q.origin != "dash" else 14
    # "noting X" after a quote names the object, not the speaker
    finite = [c for c in cues_after if c[0].tag_ != "VBG" or c[2] > 1 or c[0].i != after_toks[0].i]
    if finite:
        tok, lemma, n = finite[0]
        after_toks = [t for t in after_toks if not (t.is_punct and t.i < tok.i)] or after_toks
        pos = next(k for k, t in enumerate(after_toks) if t.i == tok.i)
        # attribution hangs on the quote: “...,” X said — not "... “measures” if NATO continued"
        nameish = all(t.pos_ in NAME_POS for t in after_toks[:pos])
        attached = (ar.inner[-1:] in ",!?…—–-" or ar.after.lstrip()[:1] in ",—–-"
                    or (ar.starts_clause and (pos <= 3 or nameish)))
        lead_in = after_toks[:pos - 1] if pos and after_toks[pos - 1].lower_ == "as" else after_toks[:pos]
        clause = any(t.text.lower() in CLAUSE_WORDS for t in lead_in)  # "quoted as saying" is no clause
        if ar.inner[-1:] in ".!?…" and ar.inner[-2:] != "?!" and q.origin != "dash":
            # after “...ended.” a new sentence may report other speech: “...” Lavrov said Moscow had ...
            # (its own reported clause); “...?” Trump asked, looking pleased: the attribution
            clause = clause or _reports_own_clause(tok, after_toks[pos + n:])
        # "Biden told Putin that “...,” according to a readout": Biden speaks
        readout = lemma == "according to" and cues_before
        # "“...” if she did not win, said David Wasserman, an analyst": an inverted cue closes the sentence
        inverted = (lemma != "according to" and pos > 0 and ctx.text[ar.hi_mark:tok.idx].rstrip().endswith(",")
                    and _inverted_subject(tok, after_toks[pos + n:]))
        # "“...,” Kuleba, the foreign minister who flew to Brussels on Monday, said": a long subject
        long_subject = attached and not readout and _subject_opens(tok, after_toks, ar) and not (
            ar.inner[-1:] in ".!?…" and _reports_own_clause(tok, after_toks[pos + n:]))
        # "“Tough choices” would be needed, Walsh said": the quote sits inside the clause the cue reports
        governs = not readout and ar.inner[-1:] not in ".!?…" and _reports_quote(ctx, tok, q)
        if (pos <= limit and attached and not clause and not readout) or (inverted and not readout) or long_subject \
                or governs:
            # “Nothing has changed” said Blinken: the attribution ends it (a governed quote is part of its clause)
            ar.ends_clause = ar.ends_clause or not governs or attached
            return tok, lemma, n, after_toks, ar.hi_mark, ar.after_hi, "after" if pos == 0 else "before"
        # (not when the name starts a sentence reporting a clause of its own: “...” Adler said the campaign had ...)
        own = ar.inner[-1:] in ".!?…" and _reports_own_clause(tok, after_toks[pos + n:])
        name = _name_opens(tok, after_toks) if attached and not readout and not own else None
        if name:  # the parser lost the subject of "“...,” Taras Melnyk, the analyst who ..., tweeted"
            ar.ends_clause = True
            return tok, lemma, n, name + [tok], ar.hi_mark, ar.after_hi, "before"
        ar.other_cue = pos <= limit
        # a cue reporting a clause of its own ("Kasich said he would ...") starts another sentence: the
        # quote may still continue its own paragraph's speaker
        ar.other_clause = ar.other_cue and clause and ar.inner[-1:] in ".!?…"
    elif not cues_before:
        found = _attached_verb(ar, after_toks)
        if found is not None:
            ar.ends_clause = True
            inverted = found.i == next(t.i for t in after_toks if not t.is_punct)
            return found, found.lemma_.lower(), 1, after_toks, ar.hi_mark, ar.after_hi, "after" if inverted else "before"
    if cues_before:
        # the nearest cue: "The Elysee said Macron had warned that “...”" quotes Macron
        tok, lemma, n = cues_before[-1]
        return tok, lemma, n, before_toks, ar.before_lo, ar.lo_mark, "before"
    # (not after a fragment that ends its sentence: “... breathe.” That prompted Rubio to call ...)
    if not ar.starts_clause and cues_after and not ar.before.strip().endswith(":") \
            and not (ar.inner[-1:] in ".!?" and ar.after.lstrip()[:1].isupper()):
        tok, lemma, n = cues_after[0]
        # its subject may stand before the quote: "He called it “provocative” and accused ..."
        return tok, lemma, n, after_toks, ar.before_lo, ar.after_hi, "before"
    return None


def _reports_quote(ctx: _Ctx, cue: Token, q: _Q) -> bool:
    """Does the cue verb after a quote govern the clause holding it (the quote is in its reported clause)?

    "“Tough choices” would be needed, Walsh said" / "“We are horrified” by the attack, the imam said":
    the quote's words hang, through their clause, on the cue's complement; the cue needs its own subject.
    """
    span = ctx.doc.char_span(q.start, q.end, alignment_mode="expand")
    if span is None or cue.tag_ not in ("VBD", "VBZ", "VBP") or not any(
            c.dep_ in ("nsubj", "nsubjpass") and c.i > span.end for c in cue.children):
        return False
    comps = [c for c in cue.children if c.dep_ in ("ccomp", "parataxis") and c.i < cue.i]
    return any(c.left_edge.i <= span.start and span.end <= c.right_edge.i + 1 for c in comps)


def _subject_opens(cue: Token, after_toks: list[Token], ar: "_Around") -> bool:
    """Does the cue's parsed subject start right after the quote (a long apposition before the verb)?"""
    words = [t for t in after_toks if not t.is_punct]
    subj = _subject_of(cue, ar.hi_mark, ar.after_hi)
    return bool(words and subj and subj[0].i == words[0].i and subj[0].pos_ in ("PROPN", "PRON", "DET", "NOUN"))


def _name_opens(cue: Token, after_toks: list[Token]) -> list[Token]:
    """The person's name opening the words after a quote when the parse gave the cue verb no subject."""
    words = [t for t in after_toks if not t.is_punct]
    if not words or cue.tag_ not in ("VBD", "VBZ", "VBN") or any(
            c.dep_ in ("nsubj", "nsubjpass") and c.i >= words[0].i for c in cue.children):
        return []
    name = []
    for t in words:
        if t.i >= cue.i or t.pos_ != "PROPN" or t.ent_type_ != "PERSON":
            break
        name.append(t)
    return name


def _attached_verb(ar: "_Around", after_toks: list[Token]) -> Token | None:
    """Any verb in the attribution slot: “...,” Kelly charged / “...?” an angry Hollande retaliated.

    After a quote closed by a comma, question mark, exclamation or dash, a short
    subject and a past or present verb that reports no clause of its own attribute
    the quote whatever the verb (the lexicon cannot list every "barked").
    """
    if not (ar.inner[-1:] in ",!?—–-" or ar.after.lstrip()[:1] in ",—–-"):
        return None
    words = [t for t in after_toks if not t.is_punct or t.text in (".", "-")][:8]
    verb = next((k for k, t in enumerate(words) if t.pos_ == "VERB"), None)
    if verb == 0 and words[0].tag_ in ("VBD", "VBZ") and len(words) > 1:
        # inverted: “...,” agrees Michelle Stevens, 30 / “...,” counters the mayor: the subject follows the verb
        v = words[0]
        subj = next((t for t in words[1:4] if t.dep_ in ("nsubj", "nsubjpass") and t.head.i == v.i), None)
        if subj is not None and (subj.ent_type_ == "PERSON" or words[1].pos_ == "DET") and not any(
                c.dep_ in ("dobj", "ccomp", "xcomp") and c.i > v.i for c in v.children):
            return v
        return None
    if verb is None or verb == 0 or words[verb].tag_ not in ("VBD", "VBZ"):
        return None
    v, head = words[verb], words[:verb]
    if any(t.pos_ not in NAME_POS + ("PRON",) for t in head) or not any(
            t.dep_ == "nsubj" and t.head.i == v.i for t in head):
        return None
    if any(c.dep_ in ("dobj", "ccomp", "xcomp") and c.i > v.i for c in v.children) or _reports_own_clause(v, words[verb + 1:]):
        return None
    return v


def _reports_own_clause(cue: Token, rest: list[Token]) -> bool:
    """Does the cue govern a reported clause of its own after it ("Lavrov said Moscow had ...")?

    A subordinate clause after it ("said as he launched the vote", "said of Apple, when the
    company balked") or a description of the speaker ("said the businessman, who campaigned
    ...") reports nothing: the words from the conjunction or comma on are not looked at.
    """
    if rest and rest[0].lower_ == "that":
        return True
    cut = next((k for k, t in enumerate(rest) if t.lower_ in SUBORDINATORS or t.text == ","), None)
    if cut is not None:
        rest = rest[:cut]
    ids = {t.i for t in rest}
    return any(t.dep_ == "ccomp" and t.head.i == cue.i and t.i in ids for t in rest) or (
        # the parser may hang the clause under the cue's conjunct or leave it unattached: a finite verb with a subject
        any(t.pos_ in ("VERB", "AUX") and t.tag_ in ("VBD", "VBZ", "VBP", "MD")
            and any(c.dep_ in ("nsubj", "nsubjpass") and c.i in ids for c in t.children) for t in rest))


def _inverted_subject(cue: Token, rest: list[Token]) -> bool:
    """Is the cue followed by its own subject ("..., said David Wasserman, an analyst")?"""
    if not rest or cue.tag_ not in ("VBD", "VBZ", "VBP"):
        return False
    first = rest[0]
    if first.pos_ == "DET" and len(rest) > 1:
        first = rest[1]
    return first.pos_ in ("PROPN", "NOUN", "ADJ") and any(
        t.dep_ in ("nsubj", "nsubjpass") and t.head.i == cue.i for t in rest[:8]) or first.ent_type_ == "PERSON"


INTERJECTION = re.compile(r"\s*[,—–-]+\s*[^,—–\"“”«»]{2,40}?\s*[,—–-]+\s*")


def _interjection_cue(ctx: _Ctx, quotes: list[_Q], qi: int):
    """“The sanctions” — Biden paused — “will be ...”: a short clause splitting one quote names its speaker.

    Any verb counts here (paused, smiled, continued), as the clause sits between
    two halves of the same quotation. Same return shape as `_find_cue`.
    """
    q = quotes[qi]
    nxt = quotes[qi + 1] if qi + 1 < len(quotes) else None
    if nxt is None or nxt.para != q.para or q.close_at is None or nxt.open_at is None:
        return None
    lo, hi = q.close_at, nxt.open_at
    if not INTERJECTION.fullmatch(ctx.text, lo, hi):
        return None
    toks = _tokens_in(ctx, lo, hi)
    verbs = [t for t in toks if t.pos_ == "VERB"]
    if len(verbs) != 1:
        return None
    v = verbs[0]
    subj = [c for c in v.children if c.dep_ == "nsubj" and lo <= c.idx < hi]
    if not subj or not (subj[0].ent_type_ == "PERSON" or subj[0].lower_ in _lexicon().pronouns):
        return None
    return v, v.lemma_.lower(), 1, toks, lo, hi, "before"
