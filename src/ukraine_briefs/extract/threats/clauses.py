"""Clause analysis for threat anchors: is the threat issued, under what condition, how strong.

The dependency tree decides whether an anchor is a threat *issued* (modal,
conditional or a threatening speech act) rather than one negated, perceived or
asked about; it also finds the conditions ("if Russia invades ...", "any
incursion") a threat hangs on, and the words that set its category and intensity.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Iterable

from spacy.tokens import Span, Token

from ukraine_briefs.extract.threats.taxonomy import Lexicon

_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")
_ASK = {"ask", "wonder", "know", "see", "check", "question", "inquire", "decide", "unclear", "unsure"}


# ---------------------------------------------------------------- clause analysis
def _clause_path(tok: Token) -> list[Token]:
    """``tok`` and its ancestors up to (and including) the head of its clause."""
    path = [tok]
    t = tok
    while t.head.i != t.i:
        if t.i != tok.i and t.dep_ in ("ccomp", "advcl", "relcl", "conj", "parataxis", "ROOT", "acl"):
            break
        if t.i != tok.i and t.pos_ in ("VERB", "AUX") and t.dep_ not in ("xcomp", "auxpass", "aux"):
            break
        t = t.head
        path.append(t)
    return path


def _negated(tok: Token, lex: Lexicon, skip: set[int]) -> Token | None:
    """The negated token on ``tok``'s clause path, if any (ignoring tokens in ``skip``)."""
    for t in _clause_path(tok):
        for c in t.children:
            if c.i in skip:
                continue
            if c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no" and t is tok):
                return t
        if t.dep_ == "pobj" and t.head.lower_ == "without":
            return t
    return None


def _has_modal(tok: Token, lex: Lexicon) -> bool:
    for t in [tok, *tok.ancestors]:
        for c in t.children:
            if c.dep_ in ("aux", "auxpass") and (c.lower_ in lex.modals or c.tag_ == "MD"):
                return True
            if c.dep_ == "aux" and c.lower_ == "to" and t.head.lemma_ in lex.intent_heads:
                return True
        if t.lower_ in lex.modals and t.tag_ == "MD":
            return True
        if t.lemma_ == "go" and any(c.lower_ == "to" for c in t.children) and t.tag_ == "VBG":
            return True
        if t.dep_ in ("ccomp", "advcl", "relcl", "parataxis") or t.lemma_ in lex.comm_verbs:
            break
    return False


def _perceived(tok: Token, lex: Lexicon) -> bool:
    """A governor of ``tok`` perceives or describes it ("the notion that ... poses a threat")."""
    t = tok
    while True:
        if t.lemma_.lower() in lex.perception or t.lower_ in lex.perception:
            return True
        if t.head.i == t.i:
            return False
        if t.dep_ == "conj":  # a coordinated sibling does not govern: "the worries ... and the consequences"
            t = t.head
            while t.dep_ == "conj" and t.head.i != t.i:
                t = t.head
            if t.head.i == t.i:
                return False
        t = t.head


def _hypothetical(tok: Token, lex: Lexicon) -> bool:
    return any(c.lower_ in lex.hypothetical for c in tok.children if c.dep_ in ("amod", "advmod"))


def _warned_of(tok: Token) -> bool:
    """"warned of serious consequences", "threatened with sanctions"."""
    t = tok
    while t.dep_ in ("conj", "appos") and t.head.i != t.i:
        t = t.head
    return t.dep_ == "pobj" and t.head.lower_ in ("of", "with") and t.head.head.lemma_ in ("warn", "threaten", "caution")


def _np_words(tok: Token) -> list[Token]:
    """Modifier tokens of an anchor: its left subtree, conjoined adjectives, copular complement."""
    words = [t for t in tok.subtree if t.i < tok.i] if tok.pos_ in ("NOUN", "PROPN") else []
    if tok.pos_ in ("NOUN", "PROPN"):
        # the parser often detaches stacked adjectives in spun text ("a ‘serious and a united reaction’")
        i = tok.i - 1
        while i >= max(tok.sent.start, tok.i - 8):
            t = tok.doc[i]
            if t.pos_ not in ("ADJ", "CCONJ", "DET", "PUNCT", "ADV", "NOUN", "PROPN") or t.lower_ in ("of", "with"):
                break
            if t not in words:
                words.append(t)
            i -= 1
    for c in tok.children:
        if c.dep_ in ("advmod", "amod", "acomp") and c.i > tok.i:
            words.extend(c.subtree)
    if tok.dep_ in ("nsubj", "nsubjpass"):
        for c in tok.head.children:
            if c.dep_ in ("acomp", "attr", "oprd"):
                words.extend(c.subtree)
    if tok.pos_ == "VERB":
        for c in tok.children:
            if c.dep_ in ("dobj", "advmod", "prep", "xcomp") and c.i > tok.i:
                words.extend(t for t in c.subtree if t.i < c.i + 6)
    return words


def _intensity(words: list[Token], base: int, lex: Lexicon) -> int:
    # names are not qualifiers: "United" in "the United States"
    words = [t for t in words if not t.ent_type_ and t.pos_ != "PROPN"]
    text = " ".join(t.lower_ for t in words)
    found: dict[str, int] = {}
    for w in _WORD.findall(text.replace(" - ", "-").replace(" -", "-").replace("- ", "-")):
        if w in lex.levels:
            found[w] = lex.levels[w]
    level = max(found.values(), default=0)
    strong = [w for w, v in found.items() if v >= 2]
    if len(strong) >= 2 and level < lex.combination_cap:
        level += 1
    if level and any(t.lower_ in lex.intensifiers and t.head.lower_ in found for t in words):
        level = min(4, level + 1)
    return max(1, min(4, max(base, level)))


def _category(words: list[Token], default: str, lex: Lexicon) -> str:
    if default not in ("unspecified",):
        return default
    lowers = {t.lower_ for t in words}
    for cat in lex.priority:
        if lex.cat_modifiers.get(cat, set()) & lowers:
            return cat
    return default


# ---------------------------------------------------------------- conditions
@dataclasses.dataclass
class _Condition:
    tokens: set[int]
    span: Span
    head: Token  # the act or the condition clause's verb
    attach: Token  # the token the condition hangs on (the consequence clause)
    demand: bool = False  # an ultimatum's demand ("has until Friday to remove ...", "... or face"): names no target
    relative: bool = False  # "any aircraft that crosses ...": the condition is who the act would hit

    def ties(self, tok: Token, span: Span | None = None) -> bool:
        """The condition governs ``tok``'s clause (not some other clause of the sentence)."""
        chain = {tok.i, *(t.i for t in tok.ancestors), *((t.i for t in span) if span is not None else ())}
        return self.attach.i in chain or self.attach.head.i in chain


def _condition(sent: Span, toks: Iterable[int], head: Token, attach: Token) -> _Condition:
    toks = sorted(toks)
    # drop a trailing attribution: "if Russia invades Ukraine, in keeping with two officials"
    for i in toks:
        if i > head.i and sent.doc[i].text in (",", "—", "–", ";") and i - toks[0] >= 3:
            toks = [j for j in toks if j < i]
            break
    return _Condition(set(toks), sent.doc[toks[0]: toks[-1] + 1], head, attach)


def _conditions(sent: Span, phrase_spans: list[Span], lex: Lexicon) -> list[_Condition]:
    out: list[_Condition] = []
    seen: set[int] = set()
    for t in sent:
        # "if Russia invades ..." / "unless ..." (advcl with a conditional mark)
        if t.dep_ == "mark" and t.lower_ in lex.cond_marks and t.head.i not in seen:
            v = t.head
            if v.lower_ in ("any", "so") and len(list(v.subtree)) <= 2:
                continue  # elliptical "what steps, if any, it will take"
            if t.lower_ == "until" and not _has_modal(v.head, lex):
                continue  # "responded with chants until she spoke": a time, not a condition
            if t.lower_ == "if" and v.dep_ in ("ccomp", "advcl", "xcomp") and v.head.lemma_ in _ASK:
                continue  # "asked if he thought ...": an embedded question, not a condition
            out.append(_condition(sent, (x.i for x in v.subtree), v, v.head))
            seen.add(v.i)
        # "any Russian incursion would trigger ...": a hypothetical act noun
        elif (t.lower_ in lex.act_nouns or t.lemma_ in lex.act_nouns) and t.pos_ in ("NOUN", "PROPN") and t.i not in seen:
            dets = {c.lower_ for c in t.children if c.dep_ in ("det", "amod")}
            modal_head = t.dep_ in ("nsubj", "nsubjpass") and _has_modal(t.head, lex)
            if "any" in dets or (modal_head and dets & lex.act_dets) or (t.dep_ == "pobj" and t.head.lower_ == "of" and t.head.head.lemma_ in ("cost", "consequence", "price")):
                out.append(_condition(sent, (x.i for x in t.subtree), t, t.head))
                seen.add(t.i)
    for ph in phrase_spans:  # "in case of Russian aggression", "in the event of an invasion"
        of = ph[-1]
        objs = [c for c in of.children if c.dep_ in ("pobj", "pcomp")]
        if objs:
            toks = sorted({x.i for x in objs[0].subtree} | {x.i for x in ph})
        else:
            end = min(sent.end, ph.end + 6)
            toks = list(range(ph.start, end))
        out.append(_condition(sent, toks, objs[0] if objs else ph.root, ph[0].head))
    return out


def _garbled_condition(tok: Token, conds: list[_Condition], lex: Lexicon) -> list[_Condition] | None:
    """Spun "if Russia deciding to engage ... has serious consequences": the consequence
    parsed as the object of the condition's own verb. Split it off the condition."""
    for k, c in enumerate(conds):
        if tok.i in c.tokens and tok.dep_ == "dobj" and tok.head.i == c.head.i and c.head.lemma_ in lex.carriers:
            subj = [ch for ch in c.head.children if ch.dep_ in ("nsubj", "csubj", "nsubjpass")]
            if not subj:
                return None
            toks = {t.i for s in subj for t in s.subtree} | {ch.i for ch in c.head.children if ch.dep_ == "mark"}
            new = _Condition(toks, tok.doc[min(toks): max(toks) + 1], subj[0], tok)
            return conds[:k] + [new] + conds[k + 1:]
    return None


def _supported(tok: Token, words: list[Token], lex: Lexicon) -> bool:
    """A weak consequence noun ("measures", "response") backed by a qualifier, carrier or aim."""
    lowers = {t.lower_ for t in words}
    if lowers & set(lex.levels):
        return True
    # a category adjective supports it ("military costs"), a noun compound does not ("energy prices")
    cats = {t.lower_ for t in words if t.dep_ != "compound"}
    if any(cats & mods for mods in lex.cat_modifiers.values()):
        return True
    if any(t.lower_.startswith(("retaliat", "counter", "punitive")) for t in words):
        return True
    t = tok
    while t.dep_ in ("pobj", "prep", "conj") and t.head.i != t.i:
        t = t.head
    if t.head.lemma_ in lex.carriers and t.head.lemma_ not in ("have", "take", "mean", "coordinate"):
        return True
    return any(c.dep_ == "prep" and c.lower_ in ("against", "on", "for") for c in tok.children)


def _embedded_question(tok: Token) -> bool:
    """Inside "whether ..." or "how far ...": a question about a threat, not one issued."""
    for t in [tok, *tok.ancestors]:
        if any(c.dep_ == "mark" and c.lower_ == "whether" for c in t.children):
            return True
        if t.dep_ in ("ROOT",):
            break
    return False


def _not_a_penalty(tok: Token, lex: Lexicon) -> bool:
    """"a written reaction" supplied to Russia is a reply, not a threatened response."""
    if tok.pos_ not in ("NOUN", "PROPN"):
        return False
    if any(c.lower_ in lex.non_threat_mods for c in tok.children if c.dep_ in ("amod", "compound")):
        return True
    t = tok
    while t.dep_ in ("pobj", "prep", "conj") and t.head.i != t.i:
        t = t.head
    return t.dep_ in ("dobj", "pobj", "prep") and t.head.lemma_ in lex.non_threat_carriers


def _perceived_deesc(tok: Token) -> bool:
    # "on the verge of a de-escalation" is an estimate, "so hard to defuse" a description
    return any(t.lemma_ in ("verge", "brink", "hope", "hard", "difficult", "impossible", "fail") for t in tok.ancestors)


def _deictic_subject(tok: Token) -> bool:
    """The clause's subject is "it"/"this"/"that" (referring back to a condition)."""
    for t in [tok, *tok.ancestors]:
        for c in t.children:
            if c.dep_ in ("nsubj", "nsubjpass", "expl") and c.lower_ in ("it", "this", "that", "there"):
                return True
        if t.dep_ in ("ccomp", "advcl", "ROOT"):
            break
    return False

