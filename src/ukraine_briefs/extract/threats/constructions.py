"""Threat constructions without the word "threat": coercive acts, ultimatums, demands backed by a sanction.

Ordinary conflict reporting states threats as an actor, a modal or "is prepared to / vowed to"
and a coercive act ("Turkey will block Sweden's bid unless ..."), as an ultimatum ("Serbia
has until Friday to ... or face ..."), or as a demand backed by a sanction. This module finds the
conditions these constructions hang on (inverted "should X ...", the demand of an ultimatum,
"any X that ...") and holds the stance checks that keep refusals, incentives, scheduled
announcements and acts by no party out (see `docs/threats.md`, "Constructions").
"""
from __future__ import annotations

from typing import Iterator

from spacy.tokens import Doc, Span, Token

from ukraine_briefs.extract.threats.clauses import _Condition, _condition
from ukraine_briefs.extract.threats.taxonomy import Lexicon, _Rule
from ukraine_briefs.types import Threat

_ANY = {"any", "every"}
_ANYONE = {"anyone", "anybody", "whoever", "everyone"}
_SCHEDULE_PREPS = {"from", "starting", "as"}
_AGENT_ENTS = {"PERSON", "ORG", "GPE", "NORP", "LOC"}
_AGENT_PRONOUNS = {"it", "they", "he", "she"}


def _verb_above(tok: Token) -> Token:
    """The nearest verb governing ``tok`` (the act an object or relative clause belongs to)."""
    t = tok
    while t.pos_ not in ("VERB", "AUX") and t.head.i != t.i:
        t = t.head
    return t


def _demand(sent: Span, verb: Token, backing: Token | None, extra: list[Token],
            deadline: Token | None = None) -> _Condition | None:
    """The demanded act of an ultimatum: ``verb``'s clause without its subject and the "or face" branch."""
    skip = set()
    if backing is not None:
        skip |= {t.i for t in backing.subtree}
        skip |= {c.i for c in verb.children if c.dep_ in ("cc", "punct") and c.i < backing.i and c.i > verb.i}
    skip |= {t.i for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree}
    toks = {t.i for t in verb.subtree if t.i not in skip} | {t.i for x in extra for t in x.subtree if t.i not in skip}
    toks = {i for i in toks if not sent.doc[i].is_punct or min(toks) < i < max(toks)}
    if not toks:
        return None
    # an ultimatum hangs on its "has/gave"; a bare "or face" demand on "face"
    attach = deadline if deadline is not None else backing if backing is not None else verb.head
    c = _condition(sent, toks, verb, attach)
    c.demand = True
    return c


def _infinitive(tok: Token) -> bool:
    return tok.pos_ == "VERB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


def _deadline(t: Token, lex: Lexicon) -> tuple[list[Token], Token | None]:
    """"has until Friday to remove ...", "gave Kyiv 48 hours to withdraw ...": (deadline phrases, demanded act)."""
    if t.lemma_ not in lex.deadline_verbs:
        return [], None
    until = [c for c in t.children if (c.dep_ == "prep" and c.lower_ == "until")
             or (c.dep_ == "dobj" and c.lemma_ in lex.deadline_nouns)]
    if not until:
        return [], None
    acts = [c for c in t.children if c.dep_ in ("xcomp", "advcl", "relcl") and _infinitive(c)]
    # "has given Kyiv until the end of the year to pass the law": the demand hangs on the deadline
    acts += [x for u in until for x in u.subtree if x.dep_ in ("relcl", "acl") and _infinitive(x)]
    return until, (acts[0] if acts else None)


def _backing(t: Token, lex: Lexicon) -> bool:
    """"<demand> or face sanctions": a backing verb with an object, joined by "or" to the demanded act."""
    return (t.lemma_ in lex.backing_verbs and t.dep_ == "conj" and t.head.pos_ in ("VERB", "AUX")
            and any(c.dep_ == "dobj" for c in t.children)
            and any(c.dep_ == "cc" and c.lower_ == "or" for c in (*t.children, *t.head.children)))


def construction_anchors(doc: Doc, lex: Lexicon) -> Iterator[tuple[Token, str]]:
    """Anchors of ultimatums ("ult:deadline") and sanction-backed demands ("ult:backing")."""
    for t in doc:
        if t.lemma_ in lex.deadline_verbs:
            if _deadline(t, lex)[1] is not None:
                yield t, "ult:deadline"
        elif t.lemma_ in lex.backing_verbs and _backing(t, lex):
            yield t, "ult:backing"


def _extra_conditions(sent: Span, lex: Lexicon, found: list[_Condition]) -> list[_Condition]:
    """Conditions of the constructions: inverted "should", ultimatum demands, "any X that ..."."""
    seen = {c.head.i for c in found}
    covered = set().union(*(c.tokens for c in found)) if found else set()
    out: list[_Condition] = []
    for t in sent:
        if t.i in covered:
            continue
        # "... should Minsk continue to push migrants across": the auxiliary before its subject
        if t.dep_ == "aux" and t.lower_ in lex.inverted_auxes and t.head.i not in seen:
            v = t.head
            subj = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subj and t.i < subj[0].i and t.i > sent.start:
                before = [x for x in sent if x.i < t.i and x.pos_ in ("VERB", "AUX") and x.dep_ != "aux"]
                if before:
                    out.append(_condition(sent, (x.i for x in v.subtree if x.i >= t.i), v, before[-1]))
                    seen.add(v.i)
        # "X has until Friday to remove ...", "gave Kyiv 48 hours to withdraw ..."
        elif t.lemma_ in lex.deadline_verbs:
            until, act = _deadline(t, lex)
            if act is not None and act.i not in seen:
                backing = next((c for c in act.children if c.dep_ == "conj" and c.lemma_ in lex.backing_verbs), None)
                c = _demand(sent, act, backing, until, deadline=t)
                if c is not None:
                    out.append(c)
                    seen.add(act.i)
        # "it must cancel the purchase ... or face sanctions"
        elif _backing(t, lex):
            if t.head.i not in seen:
                c = _demand(sent, t.head, t, [])
                if c is not None:
                    out.append(c)
                    seen.add(t.head.i)
        # "freeze the assets of any oligarch who helps Moscow ...", "fire on any drone entering ..."
        elif t.dep_ in ("relcl", "acl") and t.pos_ == "VERB" and t.i not in seen:
            noun = t.head
            dets = {c.lower_ for c in noun.children if c.dep_ == "det"}
            if dets & _ANY or noun.lower_ in _ANYONE:
                # "consider any shipments entering Ukraine as legitimate targets": the role is the main verb's
                role = {x.i for c in t.children if c.dep_ == "prep" and c.lower_ == "as" for x in c.subtree}
                c = _condition(sent, (x.i for x in t.subtree if x.i not in role), t, _verb_above(noun))
                c.relative = True
                out.append(c)
                seen.add(t.i)
    return out


def _has_agent(c: _Condition, parties, lex: Lexicon) -> bool:
    """The condition is someone's act: it names who must act (a party, a pronoun or a group noun),
    demands something not be done ("if the writer was not released"), or is itself a coercive act
    ("if its oil exports are halted")."""
    head = c.head
    if head.lemma_ in lex.act_verbs or any(x.dep_ == "neg" for x in head.children):
        return True
    subj = [x for x in head.children if x.dep_ in ("nsubj", "nsubjpass")]
    for s in subj:
        if s.lower_ in _AGENT_PRONOUNS or s.lemma_ in lex.agent_nouns or s.lower_ in lex.agent_nouns:
            return True
        if any(x.ent_type_ in _AGENT_ENTS for x in s.subtree) or parties.first(s.subtree) is not None:
            return True
    return False


def _refused(tok: Token, lex: Lexicon) -> bool:
    """Below a refusal or denial: "Germany refused to send missiles", "has no plans to invade"."""
    for t in tok.ancestors:
        if t.lemma_ in lex.refusal:
            return True
        if t.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ == "no" for c in t.children):
            return True
        if t.lemma_ in lex.comm_verbs or t.dep_ in ("ccomp", "ROOT"):
            return False
    return False


def _relief(tok: Token, lex: Lexicon) -> bool:
    """A consequence taken away is an incentive: "will lift sanctions ... if ..."."""
    t = tok
    while t.dep_ in ("conj", "appos", "compound") and t.head.i != t.i:
        t = t.head
    return t.dep_ in ("dobj", "nsubjpass") and t.head.lemma_ in lex.relief


def _scheduled(tok: Token) -> bool:
    """A measure with a start date is an announcement: "will close their borders ... from next month"."""
    verb = _verb_above(tok)
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ in _SCHEDULE_PREPS:
            if any(x.ent_type_ == "DATE" for x in c.subtree):
                return True
    return False


def _act_object_ok(root: Token, lex: Lexicon) -> bool:
    """Verbs that are acts only with some objects ("launch an offensive", "deploy troops"), or not with
    others ("strike a deal")."""
    objs = [c for c in root.children if c.dep_ in ("dobj", "nsubjpass")]
    if objs and any(o.lemma_ in lex.act_excluded.get(root.lemma_, ()) for o in objs):
        return False
    wanted = lex.act_objects.get(root.lemma_)
    if not wanted:
        return True
    return any(t.lemma_ in wanted or t.lower_ in wanted for o in objs for t in o.subtree)


def _reply(tok: Token, lex: Lexicon) -> bool:
    """"would respond to the letter next week": a reply, not a retaliation."""
    if tok.lemma_ not in ("respond", "reply", "react"):
        return False
    return any(g.lemma_ in lex.reply_objects for c in tok.children if c.dep_ == "prep" and c.lower_ == "to"
               for g in c.children if g.dep_ == "pobj")


def _purpose(root: Token, lex: Lexicon) -> bool:
    """An infinitive of purpose under another verb: "will fund pipelines to reduce its dependence"."""
    if root.dep_ not in ("advcl", "xcomp") or not any(c.dep_ == "aux" and c.lower_ == "to" for c in root.children):
        return False
    head = root.head
    return head.lemma_ not in lex.intent_heads and head.lower_ not in lex.intent_heads and head.lemma_ not in lex.comm_verbs


def _advised(root: Token) -> bool:
    """The act is advice or obligation ("should send", "must stop"), not an announced intent."""
    for t in [root, *root.ancestors]:
        auxes = [c.lower_ for c in t.children if c.dep_ in ("aux", "auxpass")]
        if any(a in ("should", "must", "ought") for a in auxes):
            return True
        if any(a in ("will", "would", "may", "might", "could", "can", "shall", "'ll", "’ll") for a in auxes):
            return False
        if t.dep_ not in ("xcomp", "conj"):
            return False
    return False


def _speaker_subject(tok: Token, lex: Lexicon) -> bool:
    """"Russia threatened to expel ...", not "the rhetoric threatens the talks": a speech act
    needs a speaking subject (a named party or person, a personal pronoun, a group noun) or none."""
    t = tok
    subj = [c for c in t.children if c.dep_ == "nsubj"]
    while not subj and t.dep_ == "conj" and t.head.i != t.i:  # "... and threatened to impose": the first verb's
        t = t.head
        subj = [c for c in t.children if c.dep_ == "nsubj"]
    if not subj:
        return True
    s = subj[0]
    if s.lower_ in ("he", "she", "they", "we", "i", "you", "who"):
        return True
    if s.lemma_ in lex.agent_nouns or s.ent_type_ in _AGENT_ENTS or s.pos_ == "PROPN":
        return True
    # "Russian officials", "U.S. lawmakers"; not "the minister's rhetoric" (a possessor is no speaker)
    return any(c.dep_ in ("compound", "amod") and c.ent_type_ in _AGENT_ENTS for c in s.children)


def _act_ok(rule: _Rule, root: Token, rec: Threat, tied: list[_Condition], parties, lex: Lexicon) -> bool:
    """A construction's row is kept when a party issues it and it is aimed at someone.

    Hostile acts ("would strike"), ultimatums and displays only need the party; other acts
    ("will block", "would halt") need a condition naming who must act, or a party named as the
    act's object ("halt gas deliveries to Poland").
    """
    if not rec.actor_affiliation or (rule.needs_target and not rec.target_affiliation):
        return False
    if not tied and _advised(root):
        return False  # "the United States should send more forces": advice, not a threat
    if not rule.issued and _purpose(root, lex):
        return False
    if root.tag_ == "VBG" and root.head.lemma_ not in ("keep", "continue", "threaten", "start", "begin", "go"):
        return False  # "will spend four years stopping legislation", "measures ..., banning ...": no announced act
    if rule.issued or rule.hostile:
        return True
    if any(c.demand or c.relative or _has_agent(c, parties, lex) for c in tied):
        return True
    objs = []
    for c in root.children:
        if c.dep_ in ("dobj", "dative") or (c.dep_ == "prep" and c.lower_ in ("to", "on", "against", "with", "for", "into")):
            objs.extend(c.subtree)
    hit = parties.first(objs, skip_aff=rec.actor_affiliation)
    return hit is not None
