"""Actor and target of a threat: tokens and names resolved to parties with an affiliation.

A threat row needs who threatens whom as states or blocs (Blinken -> United
States), so every candidate token is resolved through the entity mentions, the
model's entities and the actor gazetteer (`extract.gazetteer`, the one actor index).
The taxonomy's ``extra_parties`` only add blocs the gazetteer leaves open ("the
West", "the alliance" -> NATO); they are looked up before it.
"""
from __future__ import annotations

import dataclasses
import functools
import re
from typing import Iterable, Sequence

from rapidfuzz import process
from spacy.tokens import Doc, Token

from ukraine_briefs.extract import entities
from ukraine_briefs.extract import gazetteer as gz
from ukraine_briefs.extract.threats.taxonomy import Lexicon, lexicon
from ukraine_briefs.types import Mention

_PRONOUNS_1ST = {"i", "we", "us", "our", "me", "my"}
_PRONOUNS_3RD_PERSON = {"he", "she", "him", "her", "his"}
_PRONOUNS_DEICTIC = {"it", "this", "that", "these", "those", "they", "there"}
_VICTIM_PREPS = {"against", "into", "on", "in", "across", "throughout", "near", "along", "to", "toward",
                 "towards", "inside", "over", "at", "around", "upon"}


@dataclasses.dataclass(frozen=True)
class Party:
    """A resolved actor or target."""

    entity_id: str | None
    name: str | None
    affiliation: str | None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


@functools.lru_cache(maxsize=1)
def _extras() -> tuple[dict[str, gz.Actor], dict[str, gz.Actor]]:
    """The taxonomy's extra parties by entity id and by lower-cased name or alias (first entry wins)."""
    by_id: dict[str, gz.Actor] = {}
    by_name: dict[str, gz.Actor] = {}
    for e in lexicon().extra_parties:
        aliases = tuple(str(a) for a in e.get("aliases") or ())
        actor = gz.Actor(e["id"], str(e["name"]), str(e.get("type") or ""), e.get("affiliation") or None, None, aliases)
        by_id.setdefault(actor.entity_id, actor)
        for a in (actor.canonical_name, *aliases):
            by_name.setdefault(a.lower(), actor)
    return by_id, by_name


def _by_id(entity_id: str | None) -> gz.Actor | None:
    return _extras()[0].get(entity_id or "") or gz.get(entity_id or "")


def _by_name(name: str | None) -> gz.Actor | None:
    return _extras()[1].get((name or "").lower()) or gz.by_alias(name or "")


def affiliation(entity_id: str | None, name: str | None, label: str | None = None) -> str | None:
    """The state or bloc an entity speaks for; a country or bloc is its own affiliation.

    The gazetteer's (`gazetteer.affiliation`), except where only the taxonomy's extra
    parties know the bloc ("the West" -> NATO).
    """
    if not gz.affiliation_of(entity_id):
        for a in (_extras()[0].get(entity_id or ""), _extras()[1].get((name or "").lower())):
            if a is not None and a.affiliation:
                return a.affiliation
    return gz.affiliation(entity_id, name, label)


def _strip_name(text: str) -> str:
    text = re.sub(r"[’']s$", "", text.strip(" “”\"‘’',;:"))
    text = re.sub(r"^(the|The|Mr\.?|Mrs\.?|Ms\.?|gentlemen\.)\s+", "", text)
    return text.strip()


def resolve_party(text: str, *, mentions: Sequence[Mention] = (), label: str | None = None) -> Party | None:
    """Canonical entity and affiliation for a surface name (entities' resolver, else the gazetteer)."""
    text = _strip_name(text)
    if not text:
        return None
    hit = entities.resolve_name(text, mentions=mentions)
    if hit:
        eid, name = hit
        return Party(eid, name, affiliation(eid, name, label))
    entry = _gazetteer_entry(text, label)
    if entry is not None:
        return Party(entry.entity_id, entry.canonical_name, entry.affiliation or None)
    if label == "GPE":
        return Party(f"gpe:{_slug(text)}", text, text)
    return None


@functools.lru_cache(maxsize=1 << 14)  # pure in (text, label); the same names recur in every article
def _gazetteer_entry(text: str, label: str | None) -> gz.Actor | None:
    """The actor a stripped name spells: alias, else (people) surname, else a close surname."""
    entry = _by_name(text) or _by_name("the " + text)
    if entry is None and label in (None, "PERSON"):
        surnames = gz.last_name_index()
        last = text.split()[-1].lower() if text.split() else ""
        entry = surnames.get(last)
        if entry is None and len(last) > 4:
            best = process.extractOne(last, list(surnames), score_cutoff=80)
            entry = surnames[best[0]] if best else None
    return entry


class _Parties:
    """Token -> resolved party, from the mention table, the NER and the gazetteer."""

    def __init__(self, doc: Doc, mentions: Sequence[Mention]):
        self.doc = doc
        self.mentions = mentions
        self.by_token: dict[int, Mention] = {}
        for m in mentions:
            span = doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
            if span is not None:
                for t in span:
                    self.by_token.setdefault(t.i, m)
        self.cache: dict[int, Party | None] = {}

    def of(self, tok: Token) -> Party | None:
        if tok.i in self.cache:
            return self.cache[tok.i]
        party = None
        m = self.by_token.get(tok.i)
        if m is not None and m.entity_id:
            party = Party(m.entity_id, m.canonical_name, affiliation(m.entity_id, m.canonical_name, m.label))
            if party.affiliation is None and m.label in ("GPE", "NORP", "ORG", "LOC", "PERSON"):
                alt = resolve_party(m.canonical_name or m.surface, mentions=self.mentions, label=m.label)
                party = alt if alt is not None and alt.affiliation else party
            if party.affiliation is None:  # our extras know blocs the gazetteer leaves open ("Western")
                entry = _by_name(_strip_name(m.surface))
                if entry is not None and entry.affiliation:
                    party = Party(entry.entity_id, entry.canonical_name, entry.affiliation)
        elif tok.ent_type_ in ("PERSON", "GPE", "NORP", "ORG", "LOC", "LANGUAGE"):
            ent = next((e for e in self.doc.ents if e.start <= tok.i < e.end), None)
            if ent is not None:
                label = ent.label_ if ent.label_ != "LANGUAGE" else "NORP"
                party = resolve_party(ent.text, mentions=self.mentions, label=label)
        if party is None and m is None and tok.pos_ in ("PROPN", "NOUN", "ADJ"):
            party = resolve_party(tok.text, mentions=self.mentions, label="LOC")
            if party is not None and not tok.is_title and party.entity_id not in _extras()[0]:
                party = None  # lower-case words resolve only to the listed blocs ("the alliance")
        self.cache[tok.i] = party
        return party

    def first(self, tokens: Iterable[Token], *, skip_aff: str | None = None, victims: bool = True,
              passive_victims: bool = False) -> tuple[Party, Token] | None:
        """First party among ``tokens`` (in the given order) with an affiliation."""
        for t in tokens:
            if t.is_punct or t.is_space:
                continue
            if not victims and _victim(t, passive=passive_victims):
                continue
            p = self.of(t)
            if p is not None and p.affiliation and p.affiliation != skip_aff:
                return p, t
        return None


def _locative(tok: Token) -> bool:
    """Token names a place where something happens ("ministers in Sweden")."""
    t = tok
    while t.dep_ in ("compound", "amod", "poss", "case", "det", "conj", "appos", "nmod") and t.head.i != t.i:
        t = t.head
    return t.dep_ == "pobj" and t.head.lower_ in ("in", "at", "near", "inside", "outside", "across")


def _victim(tok: Token, *, passive: bool = False) -> bool:
    """Token names the party acted upon ("aggression against Ukraine", "invade Ukraine")."""
    t = tok
    while t.dep_ in ("compound", "amod", "poss", "case", "det", "conj", "appos", "nmod") and t.head.i != t.i:
        t = t.head
    if t.dep_ == "pobj" and t.head.lower_ in _VICTIM_PREPS:
        return True
    if t.dep_ == "pobj" and t.head.lower_ == "of" and t.head.head.lemma_ in lexicon().act_nouns:
        return True  # "invasion of Ukraine"
    if passive and t.dep_ == "nsubjpass" and t.lemma_ not in lexicon().act_nouns:
        return True  # "if NATO is threatened"; not "any Russian move ... would be met with"
    if t.dep_ == "dobj" and t.head.lemma_ in {"invade", "attack", "reinvade", "occupy", "annex", "threaten", "intimidate"}:
        return True
    return False


def _as_state(party: Party | None) -> Party | None:
    """A group or a capital stands for its state: "Russian" -> Russia, "Moscow" -> Russia."""
    if party is None or not party.entity_id:
        return party
    entry = _by_id(party.entity_id)
    if party.entity_id.startswith("norp:") or (entry and entry.metonym_for):
        state = _by_id(entry.metonym_for) if entry and entry.metonym_for else None
        state = state or _by_name(party.affiliation or "")
        if state is not None:
            return Party(state.entity_id, state.canonical_name, state.affiliation or party.affiliation)
    return party


def _comm_governor(tok: Token, lex: Lexicon) -> list[Token]:
    """Reporting verbs / nouns governing ``tok``, nearest first."""
    out = []
    for t in tok.ancestors:
        if (t.pos_ in ("VERB", "AUX") and t.lemma_ in lex.comm_verbs) or (t.pos_ == "NOUN" and t.lemma_ in lex.comm_nouns):
            out.append(t)
    return out


def _subject_party(verb: Token, parties: _Parties, person_before, lex: Lexicon) -> tuple[Party | None, bool]:
    """Party of ``verb``'s subject (or of "from X"/possessor for a noun); (party, was_pronoun)."""
    subj = [c for c in verb.children if c.dep_ in ("nsubj",)]
    if verb.pos_ == "NOUN":
        subj = [gc for c in verb.children if c.dep_ == "prep" and c.lower_ == "from" for gc in c.children if gc.dep_ == "pobj"]
        subj += [c for c in verb.children if c.dep_ == "poss"]
    if not subj:
        agent = [gc for c in verb.children if c.dep_ == "agent" for gc in c.children if gc.dep_ == "pobj"]
        subj = agent
    if not subj and verb.tag_ == "VBG" and verb.dep_ in ("advcl", "xcomp", "conj"):
        # "the Kremlin brushed off that appeal, saying Kyiv should negotiate": the participle's subject
        subj = [c for c in verb.head.children if c.dep_ == "nsubj"]
    for s in subj:
        if s.lower_ in _PRONOUNS_3RD_PERSON:
            return person_before(), True
        if s.lower_ in _PRONOUNS_1ST or s.lower_ in _PRONOUNS_DEICTIC:
            return None, True
        order = [s, *sorted((t for t in s.subtree if t.i != s.i), key=lambda t: abs(t.i - s.i))]
        # prefer a PERSON in the subject phrase ("Secretary of State Antony Blinken")
        if s.lemma_ not in lex.institutions:  # "the government in Kyiv" is Ukraine's
            order = [t for t in order if not _locative(t)]  # "Foreign ministers in Sweden" are not Swedish
        persons = [t for t in order if t.ent_type_ == "PERSON"]
        hit = parties.first(persons + order)
        if hit:
            return hit[0], False
    return None, False

