"""Pronoun antecedents: who "he said" / "she added" / "the 44-year-old" refers back to.

A pronoun goes to the latest person subject or speaker of the same or last two
paragraphs whose gender (Mr/Ms, first name, an earlier "she said") fits, the
main clause's subject before a reported one; subjects named only by a role
("Ukraine's president thanked Biden") count when the gazetteer pins them down.
"""
from __future__ import annotations

import functools
import re

from ukraine_briefs import lexicons
from ukraine_briefs.extract.quotes.context import (
    _back,
    _Ctx,
    _Q,
    _Speaker,
    _lexicon,
    _mentions_between,
    _speaker_from_mention,
)
from ukraine_briefs.extract.quotes.roles import _gz_profile, _role_holder
from ukraine_briefs.extract.quotes.sources import description_head, kind_of_description, source_words

_FIRST_PERSON = frozenset(("my", "our", "your"))
_CHAIN_DONE = ("", "\x00chain")  # marks a document whose pronoun chains were read
_CHAIN_WORDS = frozenset(("he", "she", "He", "She", "HE", "SHE"))
_GENDER_OF = {"he": "he", "him": "he", "his": "he", "himself": "he",
              "she": "she", "her": "she", "hers": "she", "herself": "she"}


@functools.lru_cache(maxsize=1)
def _given_names() -> tuple[frozenset, frozenset]:
    """Female and male given names: ``data/given_names.v1.yaml`` with the cue lexicon's own lists."""
    lex = _lexicon()
    cfg = lexicons.load("given_names.v1.yaml")
    female = lex.female | {str(w).lower() for w in cfg["female"]}
    male = lex.male | {str(w).lower() for w in cfg["male"]}
    return female - male, male - female  # a name on both lists decides nothing


@functools.lru_cache(maxsize=1)
def _person_heads() -> frozenset:
    """Nouns whose subject can be a he/she antecedent: roles, unnamed-source heads, person_heads."""
    lex = _lexicon()
    return lex.roles | lex.anonymous | source_words().persons


@functools.lru_cache(maxsize=1)
def _gendered_nouns() -> dict:
    """noun -> "he"/"she" for descriptions that tell a gender ("the businesswoman")."""
    cfg = lexicons.load("given_names.v1.yaml")
    out = {str(w).lower(): "she" for w in cfg.get("female_nouns", [])}
    out.update({str(w).lower(): "he" for w in cfg.get("male_nouns", [])})
    return out


@functools.lru_cache(maxsize=8192)
def _name_gender(name: str | None) -> str | None:
    """"he"/"she" from a first name (``Jen Psaki``) or a feminine Slavic surname, else None."""
    lex = _lexicon()
    female, male = _given_names()
    words = (name or "").lower().split()
    if not words:
        return None
    if words[0] in female:
        return "she"
    if words[0] in male:
        return "he"
    if len(words) >= 2 and words[-1].endswith(lex.female_endings):
        return "she"
    return None


def _names_a_person(noun: str) -> bool:
    """Is ``noun`` a word for one person by what they do (a role, "the minister", "the host")?"""
    lex = _lexicon()
    return noun in lex.roles or noun in lex.anaphors or noun in source_words().persons


def _person_description(surface: str | None) -> bool:
    """Does a description name one person ("the senator", "the host", "a senior official"), not a body,
    a text, a group or the speaker's own ("my head")?"""
    lex = _lexicon()
    words = (surface or "").lower().split()
    head = description_head(surface or "")
    if not head or not words or words[0] in _FIRST_PERSON:
        return False
    if kind_of_description(surface) in ("organisation", "document"):
        return False
    if head in lex.institutions or head in lex.documents:
        return False
    return _names_a_person(head) or head.endswith("year-old") or (head in lex.anonymous and not head.endswith("s"))


def _gender_clues(ctx: _Ctx, prior: list[_Q]) -> dict:
    """(entity_id, name) -> "he"/"she" from earlier pronoun attributions, Mr./Ms. titles and first names."""
    clues = {}
    for q in prior:
        if q.attribution == "pronoun" and q.speaker is not None and q.speaker.surface:
            g = _GENDER_OF.get(q.speaker.surface.strip().lower())  # "him" and "his" say "he"
            if g is not None:
                clues[(q.speaker.entity_id, q.speaker.name)] = g
    if ctx.mention_genders is None:
        ctx.mention_genders = _mention_genders(ctx)
    for key, g in ctx.mention_genders.items():
        clues.setdefault(key, g)
    return clues


def _mention_genders(ctx: _Ctx) -> dict:
    """(entity_id, name) -> "he"/"she" from Mr./Ms. titles and first names (once per document)."""
    clues: dict = {}
    for m in ctx.mentions:
        if m.label != "PERSON":
            continue
        key = (m.entity_id, m.canonical_name)
        before = ctx.text[max(0, m.start_char - 5):m.start_char].lower()
        if re.search(r"\bmr\.?\s*$", before):
            clues.setdefault(key, "he")
        elif re.search(r"\b(?:mrs|ms)\.?\s*$", before):
            clues.setdefault(key, "she")
        g = _name_gender(m.canonical_name) or _name_gender(ctx.text[m.start_char:m.end_char])
        if g:
            clues.setdefault(key, g)
    return clues


def _main_subject(sent):
    """The subject of a sentence's main clause, else None."""
    root = sent.root
    return next((t for t in root.children if t.dep_ in ("nsubj", "nsubjpass")), None) if root.dep_ == "ROOT" else None


def _chain_genders(ctx: _Ctx, clues: dict) -> None:
    """Genders from pronoun chains: a sentence whose main subject is he/she right after one whose main
    subject is the only person it names ("Former sprinter Mary Jean Hart remembered the coach. She watched
    ...") tells that person's gender, unless a title or first name already did."""
    sents = ctx.idx.sents
    words = ctx.idx.words
    hits = sorted({ctx.idx.sent_id(ctx.doc[i].idx) for i, w in enumerate(words) if w in _CHAIN_WORDS})
    for sid in hits:
        if sid == 0 or sid >= len(sents):
            continue
        sent = sents[sid]
        subj = _main_subject(sent)
        if subj is None or subj.lower_ not in ("he", "she") or "\x00" in ctx.masked[subj.idx:subj.idx + 1]:
            continue
        if any(_GENDER_OF.get(w.lower(), subj.lower_) != subj.lower_ for w in words[sent.start:sent.end]):
            continue  # "He acknowledged her backing": the other pronoun may be the one carried on
        before = sents[sid - 1]
        prev = _main_subject(before)
        if prev is None or prev.pos_ != "PROPN" or "\x00" in ctx.masked[prev.idx:prev.idx + 1]:
            continue
        persons = [m for m in _mentions_between(ctx, before.start_char, before.end_char + 1)
                   if m.label == "PERSON" and "\x00" not in ctx.masked[m.start_char:m.end_char]]
        keys = {(m.entity_id, m.canonical_name) for m in persons}
        if len(keys) == 1 and any(m.start_char <= prev.idx < m.end_char for m in persons):
            clues.setdefault(next(iter(keys)), subj.lower_)


def _surname_person(ctx: _Ctx, m) -> _Speaker | None:
    """A bare surname the entity stage typed ORG/GPE ("Franken said") that ends the full name of one
    person named earlier ("Sen. Al Franken"): that person; None for a body the gazetteer knows."""
    if m.label not in ("ORG", "GPE") or _gz_profile(m.entity_id) or len(m.canonical_name.split()) != 1:
        return None
    w = m.canonical_name.lower()
    found = {(o.entity_id, o.canonical_name): o for o in _mentions_between(ctx, _back(ctx, m.start_char), m.start_char)
             if o.label == "PERSON" and len(o.canonical_name.split()) >= 2 and o.canonical_name.split()[-1].lower() == w}
    if len(found) != 1:
        return None
    o = next(iter(found.values()))
    return _Speaker(ctx.text[m.start_char:m.end_char], o.entity_id, o.canonical_name, "PERSON")


def _is_subject(span) -> tuple[bool, bool]:
    """(is a subject, of the main clause) for a mention span; appositions count.

    "Russia's ambassador, Vassily Nebenzia, rejected ...": the name stands in
    apposition to the subject. "Psaki said Biden had spoken ...": Biden is the
    subject of a reported clause, Psaki of the main one.
    """
    for t in span:
        subj = t if t.dep_ in ("nsubj", "nsubjpass") else (
            t.head if t.dep_ == "appos" and t.head.dep_ in ("nsubj", "nsubjpass") else None)
        if subj is None and t.dep_ in ("pobj", "compound") and span.end < len(span.doc):
            # "Minister of National Defense Mariusz Błaszczak added": the parser hangs the
            # name under the title; it still ends the subject right before the verb
            x = t
            for _ in range(4):
                if x.dep_ in ("nsubj", "nsubjpass") or x.head is x:
                    break
                x = x.head
            nxt = span.doc[span.end]
            if x.dep_ in ("nsubj", "nsubjpass") and (nxt.i == x.head.i or (
                    nxt.pos_ in ("AUX", "ADV") and nxt.head.i == x.head.i)):
                subj = x
        if subj is None:
            continue
        verb = subj.head
        main = verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT")
        return True, main
    first = span[0]
    nxt = span.doc[span.end] if span.end < len(span.doc) else None
    if first.is_sent_start and nxt is not None and (nxt.text == "," or nxt.pos_ in ("VERB", "AUX")):
        # "Baerbock, meanwhile, called for restraint": a sentence-initial name the parser misread
        return True, True
    return False, False


def _first_name_token(t):
    """The first word of a name the parser built as compounds ("Taras" of "Taras Kovalenko"), else ``t``."""
    comps = [c for c in t.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"]
    if comps and comps[-1].i == t.i - 1 and all(c.i == comps[0].i + k for k, c in enumerate(comps)):
        return comps[0]
    return t


def _described_subjects(ctx: _Ctx, at: int, max_back: int, clash, want: str | None = None,
                        prior: list | None = None) -> list:
    """Subjects named by a role only ("Ukraine's president thanked Biden") that the gazetteer pins down.

    Returns pronoun candidates ``(position, speaker, main clause)``; only roles
    held by one actor ("President of Ukraine") count.
    """
    pid = ctx.idx.paragraph_id(at)
    lo = ctx.paras[max(0, pid - max_back)][0]
    span = ctx.doc.char_span(lo, at, alignment_mode="contract")
    out = []
    if span is None:
        return out
    heads = _person_heads()
    for t in span:
        if t.pos_ == "PROPN" and (t.dep_ in ("nsubj", "nsubjpass") or (
                t.dep_ == "appos" and t.head.dep_ in ("nsubj", "nsubjpass"))):
            # "Anna, a mother of two, said ...", "Taras Kovalenko, 52, lost ...": a person the entity
            # model missed (or called an ORG), known by a first name on the given-names list
            first = _first_name_token(t)
            gender = _name_gender(first.text)
            if gender is None and not any(c.dep_ == "appos" and c.tag_ == "NN" and c.lower_ in heads
                                          for c in t.children):
                continue  # "Leila Farahani, an Iranian photographer, told ...": a person, gender unknown
            lo_n, hi_n = first.idx, t.idx + len(t.text)
            over = [m for m in _mentions_between(ctx, max(0, lo_n - 60), hi_n + 60)
                    if m.start_char < hi_n and lo_n < m.end_char]
            if any(m.label != "ORG" or _gz_profile(m.entity_id) or m.end_char - m.start_char > hi_n - lo_n
                   for m in over):
                continue
            if "\x00" not in ctx.masked[lo_n:hi_n] and (want is None or gender in (None, want)):
                verb = t.head if t.dep_ != "appos" else t.head.head
                main = verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT")
                name = ctx.text[lo_n:hi_n]
                out.append((lo_n, _Speaker(name, None, name, "PERSON"), main))
            continue
        if t.dep_ not in ("nsubj", "nsubjpass") or t.pos_ != "NOUN" or t.lower_ not in heads:
            continue
        if t.tag_ in ("NNS", "NNPS"):
            continue  # "officials said ... he": a plural is nobody's antecedent
        if "\x00" in ctx.masked[t.idx:t.idx + len(t.text)]:
            continue
        if want is not None and _gendered_nouns().get(t.lower_, want) != want:
            continue  # "the businesswoman" is nobody's "he"
        left = [x for x in t.subtree if x.i <= t.i]
        if left[0].lower_ in _FIRST_PERSON:
            continue  # "my head told me": the speaker's own words, not a third person
        if left[0].lower_ in _GENDER_OF and not _main(t):
            continue  # "She admits she did not expect questions about whether her party's candidate was fit to lead"
        sub = list(t.subtree)
        lo_c, hi_c = sub[0].idx, sub[-1].idx + len(sub[-1].text)
        if any(x.ent_type_ == "PERSON" for x in sub) or any(
                m.label == "PERSON" and m.end_char > lo_c for m in _mentions_between(ctx, max(0, lo_c - 200), hi_c)):
            continue  # "Putin's spokesman", "the ambassador Oksana Markarova": the name decides
        desc = ctx.text[left[0].idx:t.idx + len(t.text)]
        holder = _role_holder(desc)
        if holder is not None and clash(holder[0], holder[1]):
            continue
        verb = t.head
        main = verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT")
        if holder is not None:
            out.append((t.idx, _Speaker(desc, holder[0], holder[1], "PERSON"), main))
        else:  # "His commander nodded. “...,” he said.": a description, kept as text
            named = _described_person(ctx, desc, left[0].idx, t, prior, want) if prior is not None else None
            out.append((t.idx, named or _Speaker(desc), main))
    return out


def _described_person(ctx: _Ctx, desc: str, pos: int, head, prior: list, want: str | None) -> _Speaker | None:
    """The named person a definite description subject refers back to ("Kelly Ayotte ... The Republican
    incumbent said ..."): the latest fitting person speaker or subject of this or the last paragraph.

    Only "the" + a word naming one person by what they do (not "the official", which is an unnamed
    source, nor "his brother", who is someone else).
    """
    lex = _lexicon()
    if not desc.lower().startswith("the ") or head.lower_ in lex.anonymous or head.lower_ in ("man", "woman"):
        return None
    if not _names_a_person(head.lower_):
        return None
    gender = _gendered_nouns().get(head.lower_, want)
    sp = _pronoun_antecedent(ctx, pos, prior, gender, max_back=1, descriptions=False)
    if sp is None or sp.name is None or sp.label != "PERSON":
        return None
    return _Speaker(desc, sp.entity_id, sp.name, sp.label)


def _pronoun_antecedent(ctx: _Ctx, at: int, prior: list[_Q], pronoun: str | None = "he", *,
                        max_back: int = 2, descriptions: bool = True) -> _Speaker | None:
    """The most recent person speaker or person subject before ``at`` (same or last two paragraphs).

    A person already called by the other pronoun ("she added"), or whose first
    name says otherwise, is skipped; within one sentence the main clause's
    subject beats a reported one. ``pronoun=None`` checks no gender (for
    descriptions such as "the 44-year-old"); ``descriptions=False`` leaves out
    subjects named by a description (when resolving one of those itself).
    """
    pid = ctx.idx.paragraph_id(at)
    want = _GENDER_OF.get((pronoun or "").strip().lower())
    clues = _gender_clues(ctx, prior)

    def clash(entity_id, name) -> bool:
        if want is None:
            return False
        g = clues.get((entity_id, name))
        if g is None and _CHAIN_DONE not in ctx.mention_genders:
            # pronoun chains are read once per document, and only when a title or first name is missing
            _chain_genders(ctx, ctx.mention_genders)
            ctx.mention_genders[_CHAIN_DONE] = "done"
            g = ctx.mention_genders.get((entity_id, name))
            if g is not None:
                clues[(entity_id, name)] = g
        return g is not None and g != want

    cands: list[tuple[int, _Speaker, bool]] = []  # (position, speaker, main clause)
    for q in reversed(prior):
        if pid - q.para > max_back + 1:
            break
        if q.speaker is None or q.cue_pos is None or q.cue_pos >= at:
            continue
        if clash(q.speaker.entity_id, q.speaker.name):
            continue
        if q.speaker.label not in (None, "PERSON") or q.attribution == "unresolved":
            continue
        if q.speaker.label is None and (q.attribution not in ("title",) or not _person_description(q.speaker.surface)):
            continue  # "the editorial board", "a written statement" are nobody's "he"
        if q.speaker.label is None and want is not None and \
                _gendered_nouns().get(description_head(q.speaker.surface or "") or "", want) != want:
            continue  # "the businesswoman" is nobody's "he"
        if pid - ctx.idx.paragraph_id(q.cue_pos) <= max_back:
            cands.append((q.cue_pos, q.speaker, True))
    for m in _mentions_between(ctx, ctx.paras[max(0, pid - max_back)][0], at):
        person = _speaker_from_mention(m, ctx.text[m.start_char:m.end_char]) if m.label == "PERSON" \
            else _surname_person(ctx, m)
        if person is None:
            continue
        if "\x00" in ctx.masked[m.start_char:m.end_char]:
            continue
        span = ctx.doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
        if span is None:
            continue
        is_subj, main = _is_subject(span)
        if not is_subj or clash(person.entity_id, person.name):
            continue
        cands.append((m.start_char, person, main))
    if descriptions:
        cands.extend(_described_subjects(ctx, at, max_back, clash, want, prior))
    if not cands and pronoun is not None and max_back == 2:
        return _distant_antecedent(ctx, at, clash)
    if not cands:
        return None
    best = max(cands, key=lambda c: c[0])
    if not best[2]:
        sid = ctx.idx.sent_id(best[0])
        mains = [c for c in cands if c[2] and ctx.idx.sent_id(c[0]) == sid]
        if not mains and not _under_cue(ctx, best[0], at):
            # "Kuleba said he would raise it ... whether Lavrov would attend. “...,” he said":
            # the paragraph's latest main-clause subject beats a later subject of a reported clause
            lo = ctx.paras[ctx.idx.paragraph_id(best[0])][0]
            mains = [c for c in cands if c[2] and lo <= c[0]]
        if mains:
            best = max(mains, key=lambda c: c[0])
    asked = _asked_person(ctx, best[0], at, clash)
    if asked is not None:
        return asked
    sp = best[1]
    if sp.name is None and descriptions and (sp.surface or "").lower().startswith("the "):
        # "Ursula von der Leyen wants the package approved. The commission chief wrote ... “...,” she said":
        # the person the description refers back to, when a title or apposition of theirs shows the role, or,
        # showing none, they are the lone person subject of the sentence before the description's
        named = _pronoun_antecedent(ctx, best[0], prior, pronoun, max_back=1, descriptions=False)
        if named is not None and named.name is not None and named.label == "PERSON" \
                and description_head(sp.surface) not in _lexicon().anonymous:
            want_words = {w.lower().strip(".,") for w in (sp.surface or "").split()}
            shown = _shown_roles(ctx, named, best[0])
            if shown & want_words or (not shown and _lone_subject_before(ctx, named, best[0])):
                return _Speaker(sp.surface, named.entity_id, named.name, named.label)
    return sp


def _lone_subject_before(ctx: _Ctx, person: _Speaker, pos: int) -> bool:
    """Is ``person`` the main subject, and the only person named, of the sentence before the one at ``pos``?"""
    sid = ctx.idx.sent_id(pos)
    if sid == 0:
        return False
    sent = ctx.idx.sents[sid - 1] if sid - 1 < len(ctx.idx.sents) else None
    if sent is None or "\x00" in ctx.masked[sent.start_char:sent.end_char]:
        return False
    subj = _main_subject(sent)
    persons = [m for m in _mentions_between(ctx, sent.start_char, sent.end_char + 1) if m.label == "PERSON"]
    return subj is not None and len(persons) == 1 and (persons[0].entity_id, persons[0].canonical_name) == (
        person.entity_id, person.name) and persons[0].start_char <= subj.idx < persons[0].end_char


def _asked_person(ctx: _Ctx, pos: int, at: int, clash) -> _Speaker | None:
    """"Conroy asked Sanders whether ... “...,” he said": the person asked answers, not the asker. For the
    subject at ``pos`` of a question verb whose object is a fitting person named outside quotes."""
    span = ctx.doc.char_span(pos, pos + 1, alignment_mode="expand")
    if span is None:
        return None
    t = span[0]
    while t.dep_ in ("compound", "flat") and t.head is not t:
        t = t.head
    if t.dep_ != "nsubj" or t.head.lemma_.lower() not in source_words().question_verbs:
        return None
    objs = [c for c in t.head.children if c.dep_ == "dobj"]
    if len(objs) != 1:
        return None
    o = objs[0]
    for m in _mentions_between(ctx, max(0, o.idx - 60), at):
        if m.start_char <= o.idx < m.end_char and m.label == "PERSON" \
                and "\x00" not in ctx.masked[m.start_char:m.end_char] and not clash(m.entity_id, m.canonical_name):
            return _speaker_from_mention(m, ctx.text[m.start_char:m.end_char])
    return None


def _under_cue(ctx: _Ctx, pos: int, at: int) -> bool:
    """Does the clause of the word at ``pos`` hang under the verb the pronoun at ``at`` is the subject of?
    ("Mosman saw it differently: “...,” he said": the parser makes "saw" a complement of "said".)"""
    a = ctx.doc.char_span(pos, pos + 1, alignment_mode="expand")
    b = ctx.doc.char_span(at, at + 1, alignment_mode="expand")
    if a is None or b is None:
        return False
    verb = b[0].head
    x = a[0]
    for _ in range(12):
        if x.head is x:
            return False
        x = x.head
        if x.i == verb.i:
            return True
    return False


def _role_words() -> frozenset:
    lex = _lexicon()
    return lex.roles | lex.anaphors | source_words().persons


def _shown_roles(ctx: _Ctx, person: _Speaker, before: int) -> set:
    """Role words in the titles and appositions of ``person``'s mentions (last ten paragraphs before
    ``before``): "Mayor Bill de Blasio" -> {mayor}, "Joe Scarborough, the host," -> {host}."""
    roles = _role_words()
    shown: set = set()
    for m in _mentions_between(ctx, _back(ctx, before), before):
        if (m.entity_id, m.canonical_name) != (person.entity_id, person.name):
            continue
        span = ctx.doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
        if span is None:
            continue
        near = list(ctx.doc[max(0, span.start - 3):span.start])
        for t in span:
            near += [x for c in t.children if c.dep_ == "appos" for x in c.subtree]
        shown |= {t.lower_.strip(".") for t in near if t.lower_.strip(".") in roles}
    return shown


def _distant_antecedent(ctx: _Ctx, at: int, clash, max_back: int = 6) -> _Speaker | None:
    """No person in the last two paragraphs: the latest fitting person subject further back, else the latest
    fitting person mentioned in the last two paragraphs ("She met voters in Ohio. ... “...,” she said")."""
    pid = ctx.idx.paragraph_id(at)
    near_lo = ctx.paras[max(0, pid - 2)][0]
    subjects, mentioned = [], []
    for m in _mentions_between(ctx, ctx.paras[max(0, pid - max_back)][0], at):
        if m.label != "PERSON" or "\x00" in ctx.masked[m.start_char:m.end_char] or clash(m.entity_id, m.canonical_name):
            continue
        span = ctx.doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
        if span is not None and _is_subject(span)[0]:
            subjects.append(m)
        elif m.start_char >= near_lo:
            mentioned.append(m)
    pick = subjects[-1] if subjects else (mentioned[-1] if mentioned else None)
    return _speaker_from_mention(pick, ctx.text[pick.start_char:pick.end_char]) if pick is not None else None


def _main(subject) -> bool:
    """Is this the subject of its sentence's main clause (not of a reported one)?"""
    verb = subject.head
    return verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT")
