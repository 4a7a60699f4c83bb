"""Threat language: who threatens whom, with what, on what condition (the `threats` table).

Rules are data (`data/threat_taxonomy.v1.yaml`, see `docs/threats.md`): the
matchers (`matcher`) find *anchors*; the clause analysis (`clauses`) keeps those
issued as threats, not perceived, negated, past or asked about; the parties
(`parties`) give the actor (the quote's speaker, else the subject of the reporting
or threatening clause) and the target (the party whose act the condition names,
else the object of the warning).

One record per sentence and family (threat / de-escalation): the category is the
highest in the taxonomy's ``priority``, the intensity the highest of its anchors.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Iterable, Iterator, Sequence

import pandas as pd
from spacy.tokens import Doc, Span, Token

from ukraine_briefs.extract.nlp import doc_index
from ukraine_briefs.extract.threats.clauses import (
    _category,
    _Condition,
    _conditions,
    _deictic_subject,
    _embedded_question,
    _garbled_condition,
    _has_modal,
    _hypothetical,
    _intensity,
    _negated,
    _not_a_penalty,
    _np_words,
    _perceived,
    _perceived_deesc,
    _supported,
    _warned_of,
)
from ukraine_briefs.extract.threats.constructions import (
    _act_object_ok,
    _act_ok,
    _advised,
    _extra_conditions,
    _refused,
    _relief,
    _reply,
    _scheduled,
    _speaker_subject,
    construction_anchors,
)
from ukraine_briefs.extract.threats.matcher import _matchers
from ukraine_briefs.extract.threats.parties import (
    Party,
    _as_state,
    _comm_governor,
    _Parties,
    _subject_party,
    affiliation,
    resolve_party,
)
from ukraine_briefs.extract.threats.taxonomy import TAXONOMY, Lexicon, _Rule, lexicon
from ukraine_briefs.types import DEESCALATION, THREAT, Mention, Quote, Threat, to_frame

_LINE_VERBS = {"cross", "violate", "breach", "overstep", "exceed", "ignore", "step", "tolerate"}
_LABEL_LINE = re.compile(r"^[A-Z][^\n.!?“”\"]{1,80}:\s*$")
_HEADING_LABEL = re.compile(r"^([A-Z][\w.’' -]{2,40}):\s*[“\"]")


# ---------------------------------------------------------------- document structure
class _Turns:
    """Transcript turns: paragraph -> speaker label, and which labels mostly ask questions."""

    def __init__(self, doc: Doc, lex: Lexicon):
        idx = doc_index(doc)
        text = doc_index(doc).text
        self.owner: dict[int, str] = {}
        self.heading_owner: dict[int, str] = {}
        turns: dict[str, list[bool]] = {}
        current = None
        for pid, start in enumerate(idx.para_starts):
            s, e = idx.paragraph_span(pid)
            para = text[s:e].strip()
            if not para:
                continue
            if _LABEL_LINE.match(para) and len(para.split()) <= 8:
                current = para.rstrip(":").split(",")[0].strip()
                continue
            m = _HEADING_LABEL.match(para)
            if m:
                self.heading_owner[pid] = m.group(1).strip()
            if current is not None:
                self.owner[pid] = current
                turns.setdefault(current, []).append("?" in para)
        self.interviewers = {
            who for who, qs in turns.items() if qs and sum(qs) / len(qs) >= lex.question_share and len(qs) >= 2
        }


def _is_question(sent: Span) -> bool:
    tail = sent.text.rstrip(" \n“”\"'’‘")
    return tail.endswith("?")


# ---------------------------------------------------------------- the extractor
@dataclasses.dataclass
class _Anchor:
    span: Span
    root: Token
    rule: _Rule
    key: str


def _tied(c: _Condition, a: _Anchor) -> bool:
    """The condition governs the anchor; for an act also one inside its object ("block Sweden's bid to
    join NATO unless ...", where the parser hangs the condition on "join")."""
    if c.ties(a.root, a.span):
        return True
    if a.key.startswith("act:"):
        obj = {t.i for ch in a.root.children if ch.dep_ in ("dobj", "xcomp") for t in ch.subtree}
        return c.attach.i in obj
    return False


def _anchor_phrase(a: _Anchor) -> str:
    if a.key == "ult:deadline":  # "has until Friday", "gave Kyiv 48 hours"
        # the deadline itself, without the demand nested in it ("until the end of the year [to pass ...]")
        nested = {t.i for c in a.root.children for x in c.subtree if x.dep_ in ("relcl", "acl") for t in x.subtree}
        ends = [t.i for c in a.root.children if c.dep_ in ("dative", "dobj") or (c.dep_ == "prep" and c.lower_ == "until")
                for t in c.subtree if t.i > a.root.i and t.i not in nested]
        if ends:
            return a.root.doc[a.root.i: max(ends) + 1].text
    if a.key.startswith(("noun:", "phrase:")):
        left = [t for t in a.root.subtree if t.i <= a.root.i and t.dep_ not in ("det", "poss", "case", "punct", "predet")]
        if left:
            start = min(t.i for t in left)
            while start < a.root.i and a.root.doc[start].is_punct:
                start += 1
            text = a.root.doc[start: a.root.i + 1].text
            return text.strip(" “”\"‘’'")
    return a.span.text.strip(" “”\"‘’'")


def doc_threats(
    doc: Doc,
    *,
    doc_id: str,
    mentions: Sequence[Mention] = (),
    quotes: Sequence[Quote] = (),
    taxonomy: str = TAXONOMY,
) -> Iterator[Threat]:
    """Yield every threat or warning issued in ``doc`` (and de-escalation language, as contrast).

    A threat needs an anchor from the taxonomy that is issued (modal, conditional,
    or a speech act such as "threaten"), not negated, perceived, inside a question
    or inside the condition itself. Actor: the speaker of the enclosing quote, else
    the subject of the reporting or threatening clause; target: the party whose act
    the condition names, else the addressee/object of the threat. A threat left
    without a target takes the one target its actor threatens elsewhere in the
    document, if there is exactly one (interviews: "The economic consequences could
    be very strong").
    """
    records = list(_doc_threats(doc, doc_id=doc_id, mentions=mentions, quotes=quotes, taxonomy=taxonomy))
    by_actor: dict[str, dict[str, Threat]] = {}
    for r in records:
        if r.category != DEESCALATION and r.actor_affiliation and r.target_affiliation:
            by_actor.setdefault(r.actor_affiliation, {}).setdefault(r.target_affiliation, r)
    for r in records:
        if r.category != DEESCALATION and r.actor_affiliation and not r.target_affiliation:
            targets = by_actor.get(r.actor_affiliation, {})
            if len(targets) == 1:
                src = next(iter(targets.values()))
                r.target_id, r.target_name, r.target_affiliation = src.target_id, src.target_name, src.target_affiliation
    yield from records


def _doc_threats(doc: Doc, *, doc_id: str, mentions: Sequence[Mention], quotes: Sequence[Quote],
                 taxonomy: str) -> Iterator[Threat]:
    if not (doc.has_annotation("DEP") or doc.has_annotation("SENT_START")):
        return  # no sentences (a blank pipeline): nothing to attribute
    lex = lexicon(taxonomy)
    matcher, dep_matcher, rules = _matchers(doc.vocab, taxonomy)
    idx = doc_index(doc)
    parties = _Parties(doc, mentions)
    turns = _Turns(doc, lex)
    vocab_strings = doc.vocab.strings

    by_sent: dict[int, list[_Anchor]] = {}
    cond_phrases: dict[int, list[Span]] = {}
    for match_id, start, end in matcher(doc):
        key = vocab_strings[match_id]
        span = doc[start:end]
        sent_start = doc[start].sent.start
        rule = rules[key]
        if rule.kind == "cond":
            cond_phrases.setdefault(sent_start, []).append(span)
        else:
            by_sent.setdefault(sent_start, []).append(_Anchor(span, span.root, rule, key))
    if doc.has_annotation("DEP"):
        for match_id, token_ids in dep_matcher(doc):
            key = vocab_strings[match_id]
            root = doc[token_ids[0]]
            by_sent.setdefault(root.sent.start, []).append(_Anchor(doc[root.i: root.i + 1], root, rules[key], key))
        for root, key in construction_anchors(doc, lex):  # ultimatums, "or face" demands
            by_sent.setdefault(root.sent.start, []).append(_Anchor(doc[root.i: root.i + 1], root, rules[key], key))

    quote_list = sorted(quotes, key=lambda q: q.start_char)
    interviewer_speakers = _interviewer_speakers(quote_list, lex)
    person_ents = sorted(
        [(m.start_char, m) for m in mentions if m.label == "PERSON"], key=lambda x: x[0]
    ) or [(e.start_char, e) for e in doc.ents if e.label_ == "PERSON"]

    emitted: list[Threat] = []
    prev_conds: tuple[int, list[_Condition]] = (-1, [])
    n = 0
    sents = idx.sents
    for k, sent in enumerate(sents):
        pid = idx.paragraph_id(sent.start_char)
        # a sentence's conditions serve its own anchors or the next sentence's (inherited): parse no others
        needed = sent.start in by_sent or (k + 1 < len(sents) and sents[k + 1].start in by_sent)
        conds = _conditions(sent, cond_phrases.get(sent.start, []), lex) if needed else []
        if needed:
            conds += _extra_conditions(sent, lex, conds)
        anchors = by_sent.get(sent.start, [])
        inherited = None
        if not conds and prev_conds[0] == pid and prev_conds[1]:
            inherited = prev_conds[1]
        prev_conds = (pid, conds)
        if not anchors:
            continue
        if _is_question(sent) or turns.owner.get(pid) in turns.interviewers:
            continue
        if sum(1 for t in sent if t.is_alpha) < 4:  # a bare heading such as "‘Red Line’"
            continue
        quote = _covering_quote(quote_list, anchors[0].root.idx)
        if quote is not None and (quote.speaker_id in interviewer_speakers or quote.speaker_name in interviewer_speakers):
            continue
        cond_tokens = set().union(*(c.tokens for c in conds)) if conds else set()

        threats: list[tuple[_Anchor, str, int]] = []
        deesc: list[_Anchor] = []
        for a in anchors:
            if a.root.i in cond_tokens and a.rule.kind != "disavowal":
                fixed = _garbled_condition(a.root, conds, lex)
                if fixed is None:
                    continue
                conds = fixed
                cond_tokens = set().union(*(c.tokens for c in conds))
            skip = {t.i for t in a.span} if a.rule.negated_ok else set()
            neg = _negated(a.root, lex, skip)
            affirmed = neg is not None and neg.lemma_ in lex.affirm_negated
            if affirmed:
                neg = None  # "would not hesitate to use force", "did not rule out military action"
            if neg is not None and a.rule.category == "red_line" and neg.lemma_ in _LINE_VERBS:
                neg = None  # "warned the West not to cross Russia's red line": the line itself
            if a.rule.kind == "disavowal":
                if neg is not None:
                    deesc.append(a)
                continue
            if a.rule.kind == "deesc":
                if neg is None and not _perceived_deesc(a.root):
                    deesc.append(a)
                continue
            if neg is not None:
                if neg.lemma_ in lex.disavowal:
                    deesc.append(a)
                continue
            if not a.rule.issued and _perceived(a.root, lex):
                continue
            if _refused(a.root, lex) or _relief(a.root, lex) or _reply(a.root, lex):
                continue
            if a.key.startswith("speech:") and (_perceived(a.root, lex) or any(c.dep_ == "auxpass" for c in a.root.children)
                                                or not _speaker_subject(a.root, lex)):
                continue  # "was accused of threatening", "had been threatened by", "X threatens security": not issued
            if a.key.startswith("act:") and not _act_object_ok(a.root, lex):
                continue
            tied = [c for c in conds if _tied(c, a)]
            if _embedded_question(a.root) or (not tied and _not_a_penalty(a.root, lex)):
                continue
            issued = (
                a.rule.issued
                or (a.rule.kind == "threat" and affirmed)
                or bool(tied)
                or (inherited is not None and _deictic_subject(a.root))
                or _has_modal(a.root, lex)
                or _hypothetical(a.root, lex)
                or _warned_of(a.root)
                or (a.root.dep_ == "dobj" and a.root.head.lemma_ in lex.commissive)
            )
            if not issued or (not tied and not a.rule.issued and (_scheduled(a.root) or _advised(a.root))):
                continue  # a scheduled measure, or advice ("officers should use force")
            if a.key.startswith("noun:") and a.root.dep_ == "compound" and a.root.head.pos_ == "NOUN":
                continue  # "veto the next sanctions package": the package is what is acted on
            words = _np_words(a.root)
            if not tied and a.key.startswith("noun:") and a.root.lemma_ in lex.weak_nouns and not _supported(a.root, words, lex):
                continue
            cat = _category(words, a.rule.category, lex)
            threats.append((a, cat, _intensity(words, max(lex.base.get(cat, 1), a.rule.intensity), lex)))

        if threats:
            # the consequence itself names the threat better than the verb that reports it
            threats.sort(key=lambda x: (lex.priority.index(x[1]) if x[1] in lex.priority else 99, -x[2],
                                        x[0].key.startswith(("speech:", "dep:", "act:", "ult:")), x[0].root.i))
            intensity = max(x[2] for x in threats)
            for a, cat, _ in threats:  # the best candidate a party issues (constructions need one)
                used_conds = [c for c in conds if _tied(c, a)] or (
                    inherited if inherited and _deictic_subject(a.root) else None) or []
                rec = _record(doc, doc_id, n, sent, a, cat, intensity, used_conds, quote, parties, turns, pid,
                              person_ents, emitted, idx, lex)
                if a.rule.needs_party and not _act_ok(a.rule, a.root, rec, used_conds, parties, lex):
                    continue
                emitted.append(rec)
                n += 1
                yield rec
                break
        if deesc:
            a = sorted(deesc, key=lambda x: x.root.i)[0]
            rec = _record(doc, doc_id, n, sent, a, DEESCALATION, lex.base.get(DEESCALATION, 1), [], quote,
                          parties, turns, pid, person_ents, [], idx, lex)
            n += 1
            yield rec


def _covering_quote(quotes: Sequence[Quote], char: int) -> Quote | None:
    best = None
    for q in quotes:
        if q.start_char <= char < q.end_char:
            if best is None or (q.end_char - q.start_char) < (best.end_char - best.start_char):
                best = q
    return best


def _interviewer_speakers(quotes: Sequence[Quote], lex: Lexicon) -> set[str]:
    asks: dict[str, list[bool]] = {}
    for q in quotes:
        who = q.speaker_id or q.speaker_name
        if who:
            asks.setdefault(who, []).append("?" in (q.text or ""))
    return {w for w, qs in asks.items() if len(qs) >= 2 and sum(qs) / len(qs) >= lex.question_share}


def _record(doc, doc_id, n, sent, a: _Anchor, cat, intensity, conds, quote, parties: _Parties, turns: _Turns,
            pid, person_ents, emitted, idx, lex) -> Threat:
    def person_before() -> Party | None:
        prior = [m for c, m in person_ents if c < a.root.idx]
        if not prior:
            return None
        m = prior[-1]
        if isinstance(m, Mention):
            return Party(m.entity_id, m.canonical_name, affiliation(m.entity_id, m.canonical_name, "PERSON"))
        return resolve_party(m.text, mentions=parties.mentions, label="PERSON")

    # ---- actor
    actor: Party | None = None
    speaker_id = None
    comm = _comm_governor(a.root, lex)
    if quote is not None and (quote.speaker_id or quote.speaker_name):
        speaker_id = quote.speaker_id
        actor = Party(quote.speaker_id, quote.speaker_name, affiliation(quote.speaker_id, quote.speaker_name, "PERSON"))
        if actor.affiliation is None and quote.speaker_name:
            alt = resolve_party(quote.speaker_name, mentions=parties.mentions, label="PERSON")
            actor = alt if alt is not None else actor
    owner = turns.owner.get(pid) or turns.heading_owner.get(pid)
    if actor is None and owner:  # a transcript turn: the label's speaker says it all
        actor = resolve_party(owner, mentions=parties.mentions, label="PERSON")
        speaker_id = actor.entity_id if actor is not None else None
    if actor is None:
        for v in comm:
            p, _ = _subject_party(v, parties, person_before, lex)
            if p is not None:
                actor = p
                break
    if actor is None and owner:
        actor = resolve_party(owner, mentions=parties.mentions, label="PERSON")
    if actor is None and cat == "red_line":
        # "X will be a red line (for him)": X is what must not happen; the issuer is "him"
        # or the person just named ("Putin It has been said that ... will be a red line")
        for_him = [gc for c in a.root.children if c.dep_ == "prep" and c.lower_ == "for" for gc in c.children]
        prior = person_before()
        para_start = idx.paragraph_span(pid)[0]
        if for_him or (prior is not None and any(c >= para_start for c, _ in person_ents if c < a.root.idx)):
            actor = prior
    if actor is None and not (cat == "red_line" and a.root.dep_ in ("attr", "acomp")):
        for t in [a.root, *a.root.ancestors]:
            if t.pos_ in ("VERB", "AUX") or a.rule.issued:
                p, _ = _subject_party(t, parties, person_before, lex)
                if p is not None:
                    actor = p
                    break
    actor_aff = actor.affiliation if actor else None

    # ---- target
    target: Party | None = None
    for c in conds:
        if c.demand:  # an ultimatum's demand is addressed to the target named around it
            continue
        if c.relative:  # "any Western weapons shipments entering Ukraine": the shipments' side first
            noun = c.head.head
            hit = parties.first([t for t in noun.subtree if t.i < noun.i or t.i == noun.i], skip_aff=actor_aff)
            if hit:
                target = hit[0]
                break
        head = c.head
        subj_deps = ("nsubj", "nsubjpass") if head.lemma_ in lex.passive_targets else ("nsubj",)
        subj = [t for t in head.children if t.dep_ in subj_deps] if head.pos_ in ("VERB", "AUX") else []
        if head.pos_ not in ("VERB", "AUX") and head.dep_ in ("nsubj", "csubj"):  # garbled: the subject itself
            subj = [head]
        order: list[Token] = []
        for s in subj:
            order.extend(sorted(s.subtree, key=lambda t: abs(t.i - s.i)))
        hit = parties.first(order, skip_aff=actor_aff, victims=head.lemma_ in lex.passive_targets)
        if hit:
            target = hit[0]
            break
        if head.pos_ in ("NOUN", "PROPN"):  # an act noun: "any Russian incursion", "aggression on the part of Russia"
            order.extend(t for t in head.subtree if t.i < head.i)
            order.extend(t for t in head.subtree if t.i > head.i)
        order.extend(doc[i] for i in sorted(c.tokens))
        hit = parties.first(order, skip_aff=actor_aff, victims=False, passive_victims=True)
        if hit:
            target = hit[0]
            break
    if target is None and not a.rule.protective:
        objs: list[Token] = []
        verbs = [*comm, a.root, *a.root.ancestors]
        verbs += [c for c in a.root.children if c.dep_ == "xcomp"]  # "threatened to cut off gas to Ukraine"
        for v in verbs:
            for ch in v.children:
                if ch.dep_ in ("dobj", "dative") and ch.i != a.root.i:
                    objs.extend(sorted(ch.subtree, key=lambda t: abs(t.i - ch.i)))
                if ch.dep_ == "prep" and ch.lower_ in (("with",) if cat == DEESCALATION else ("on", "against", "for", "to")):
                    objs.extend(gc for gc in ch.subtree if gc.i != ch.i)
        if a.rule.category == "red_line" and a.root.dep_ in ("attr", "acomp"):
            for ch in a.root.head.children:
                if ch.dep_ in ("nsubj", "nsubjpass"):
                    objs.extend(ch.subtree)
        hit = parties.first(objs, skip_aff=actor_aff)
        target = hit[0] if hit else None
    if target is None and cat != DEESCALATION and not a.rule.protective:
        in_cond = set().union(*(c.tokens for c in conds)) if conds else set()
        hit = parties.first((t for t in sent if t.i not in in_cond), skip_aff=actor_aff, victims=False)
        target = hit[0] if hit else None
    if target is None and cat != DEESCALATION and actor_aff:
        for prev in reversed(emitted):
            if idx.paragraph_id(prev.start_char) < pid - 8:
                break
            if prev.actor_affiliation == actor_aff and prev.target_affiliation:
                target = Party(prev.target_id, prev.target_name, prev.target_affiliation)
                break
    if target is not None and actor is not None and target.affiliation == actor.affiliation:
        target = None
    target = _as_state(target)
    if actor is not None and actor.entity_id and actor.entity_id.startswith("norp:"):
        actor = _as_state(actor)

    condition = None
    if conds:
        condition = "; ".join(c.span.text.strip(" ,“”\"") for c in conds)
    return Threat(
        threat_id=f"{doc_id}-T{n:03d}",
        stance=DEESCALATION if cat == DEESCALATION else THREAT,
        doc_id=doc_id,
        sent_id=idx.sent_id(sent.start_char),
        start_char=sent.start_char,
        end_char=sent.end_char,
        text=sent.text.strip(),
        trigger=_anchor_phrase(a),
        category=cat,
        actor_id=actor.entity_id if actor else None,
        actor_name=actor.name if actor else None,
        actor_affiliation=actor_aff,
        target_id=target.entity_id if target else None,
        target_name=target.name if target else None,
        target_affiliation=target.affiliation if target else None,
        conditional=bool(conds),
        condition=condition,
        intensity=int(intensity),
        speaker_id=speaker_id,
    )


# ---------------------------------------------------------------- aggregation
def threats_frame(records: Iterable[Threat]) -> pd.DataFrame:
    """Threat records -> the ``threats`` table."""
    return to_frame("threats", records)

