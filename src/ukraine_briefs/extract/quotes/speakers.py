"""Speakers: linking the words naming a quote's speaker to an entity, with an attribution.

A name links through the document's mentions (or `entities.resolve_name` for
names the mentions miss); a description ("the Kremlin spokesman", "the Texas
Republican", "the statement") to the person or body it fits, by the words next
to their mentions, their gazetteer role, or as the person just named. When no
rule holds the speaker stays text only: a quote given to the wrong speaker is
worse than none.
"""
from __future__ import annotations

import re
from typing import Sequence

from spacy.tokens import Token

from ukraine_briefs.extract import entities
from ukraine_briefs.extract.quotes.context import (
    SPEAKER_LABELS,
    WORD_RE,
    _back,
    _Ctx,
    _Q,
    _Speaker,
    _lexicon,
    _mentions_between,
    _speaker_from_mention,
)
from ukraine_briefs.extract.quotes.coref import organisation_antecedent
from ukraine_briefs.extract.quotes.cues import _phrase_root
from ukraine_briefs.extract.quotes.descriptions import described_person
from ukraine_briefs.extract.quotes.pronouns import _is_subject, _name_gender, _pronoun_antecedent
from ukraine_briefs.extract.quotes.roles import _gazetteer_exact, _gz_profile, _role_holder
from ukraine_briefs.extract.quotes.sources import kind_of_description
from ukraine_briefs.types import Mention

FUNCTION_WORDS = frozenset("the a an of for to in on at and ''".split())
YEAR_OLD = re.compile(r"\byear-old$|\d+-year-old\b", re.I)
INSTITUTION_WORDS = frozenset("ministry department agency office service committee council".split())


def _resolve_name(text: str, mentions: Sequence) -> tuple[str, str] | None:
    """Ask the entities stage to link a bare name (``Mr. Glazer``) to a canonical actor."""
    return entities.resolve_name(text, mentions=mentions)


def _speaker_from_tokens(ctx: _Ctx, toks: list[Token], at: int, prior: list[_Q], raw_mentions) -> tuple[_Speaker | None, str]:
    """Link speaker tokens to an entity: (speaker, attribution); a description left unnamed goes to the
    person it introduced before, if exactly one (`descriptions.described_person`)."""
    sp, how = _speaker_from_words(ctx, toks, at, prior, raw_mentions)
    if how == "title" and sp is not None and sp.name is None and toks:
        named = described_person(ctx, sp.surface, toks[0].idx)
        if named is not None:
            return named, "title"
    return sp, how


def _speaker_from_words(ctx: _Ctx, toks: list[Token], at: int, prior: list[_Q], raw_mentions) -> tuple[_Speaker | None, str]:
    """Link speaker tokens to an entity: (speaker, attribution)."""
    lex = _lexicon()
    toks = [t for t in toks if not t.is_space]  # "he\xa0said": a no-break space is no word
    if not toks:
        return None, "unresolved"
    s, e = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    surface = ctx.text[s:e]
    words = [t.text.lower() for t in toks]
    if len(toks) == 1 and toks[0].pos_ == "PRON":
        if words[0] in lex.pronouns:
            sp = _pronoun_antecedent(ctx, s, prior, words[0])
            if sp is not None:
                shown = surface if sp.name is not None else sp.surface  # a description stays readable
                return _Speaker(shown, sp.entity_id, sp.name, sp.label), "pronoun"
            return _Speaker(surface), "unresolved"
        if words[0] in ("it", "they") and toks[0].dep_ == "nsubj":  # not "it has been said"
            body = organisation_antecedent(ctx, s, prior, words[0])
            if body is not None:
                return _Speaker(surface if body.name is not None else body.surface, body.entity_id, body.name,
                                body.label), "pronoun"
        return None, "unresolved"  # "who warned", "it has been said": no speaker named
    root = _phrase_root(toks)
    over = [m for m in _mentions_between(ctx, max(0, s - 200), e) if m.end_char > s and m.label in SPEAKER_LABELS]
    # the mention must be the phrase's head: "The President of Ukraine" is not Ukraine
    heads = [m for m in over if m.start_char <= root.idx < m.end_char and m.label != "NORP"]
    if heads:
        return _speaker_from_mention(_fuller_name(ctx, heads[0]), surface), "explicit"
    # a possessor is not the speaker: "Zelenskiy's chief of staff"
    persons = [m for m in over if m.label == "PERSON" and not ctx.text[m.end_char:m.end_char + 2] in ("'s", "’s")]
    orgs = [m for m in over if m.label == "ORG"]
    if root.tag_ in ("NNS", "NNPS") and not persons and len(orgs) == 1 and root.text.lower() not in lex.documents:
        # "The G7 foreign ministers said", "NATO allies said": the body speaks as one
        return _speaker_from_mention(orgs[0], surface), "title"
    if len({(m.entity_id, m.canonical_name) for m in persons}) > 1 and "and" in words:
        return _Speaker(surface), "unresolved"  # "Blinken and Lavrov said": no single speaker
    # "the spokesman of the ministry, Lukasz Jasina": the name in apposition speaks
    appos = [m for m in persons if ctx.text[:m.start_char].rstrip().endswith(",")]
    if appos and len(appos) == 1:
        return _speaker_from_mention(appos[0], surface), "explicit"
    if persons and root.text.lower() not in lex.anonymous:
        m = min(persons, key=lambda m: abs(m.end_char - at))
        return _speaker_from_mention(m, surface), "explicit"
    head = root.text.lower()
    head_sg = head[:-1] if head.endswith("s") and head[:-1] in (lex.anonymous | lex.roles | lex.institutions) else head
    if head in lex.documents or head_sg in lex.documents:
        # "the Kremlin statement said": the organisation behind the document speaks
        orgs = [m for m in over if m.label in ("ORG", "GPE")]
        if len(orgs) == 1:
            return _speaker_from_mention(orgs[0], surface), "document"
        # "Lavrov's statement": its author
        owners = [m for m in over if ctx.text[m.end_char:m.end_char + 2] in ("'s", "’s")]
        if len(owners) == 1:
            return _speaker_from_mention(owners[0], surface), "document"
        if words[0] == "the" and not over:
            issuer = _document_issuer(ctx, head_sg, s, prior)
            if issuer is not None:  # "In a statement, the ministry said ... “...,” the statement said"
                return _Speaker(surface, issuer.entity_id, issuer.name, issuer.label), "document"
        return _Speaker(surface), "document"
    if head in lex.anonymous or head_sg in lex.anonymous:
        # "The spokesman added" right after "Kremlin spokesman Dmitry Peskov said": him;
        # "the official" never resolves (officials are not in role_heads)
        definite = words[0] == "the" or "'s" in words or "’s" in words
        person = _earlier_role_holder(ctx, head_sg, s, prior, surface) \
            if head_sg in lex.roles and definite else None
        if person is not None:
            return _speaker_from_mention(person, surface), "title"
        return _Speaker(surface), "title"
    if head_sg in lex.institutions:
        org = _earlier_org(ctx, surface, s)
        if org is not None:
            return _speaker_from_mention(org, surface), "title"
        actor = _gazetteer_exact(surface)  # "the Russian foreign ministry", named in full
        if actor is not None:
            return _Speaker(surface, actor[0], actor[1], actor[2]), "title"
        return _Speaker(surface), "title"
    capitalized = [t for t in toks if t.text[:1].isupper() and t.text.lower() not in lex.honorifics]
    if head_sg in lex.roles or words[0] in ("the", "a", "an") or "'s" in words or "’s" in words:
        # only a definite description points back ("the Texas Republican"); never guess otherwise
        person = _earlier_role_holder(ctx, head_sg, s, prior, surface) if head_sg in lex.roles and words[0] == "the" else None
        if person is not None:
            return _speaker_from_mention(person, surface), "title"
        holder = _role_holder(surface) if words[0] != "a" else None
        if holder is not None:  # "The President of Ukraine": the one gazetteer actor with that role
            return _Speaker(surface, holder[0], holder[1], "PERSON"), "title"
        if words[0] == "the" and (head_sg in lex.anaphors or YEAR_OLD.search(surface)):
            # "the 44-year-old said", "the New York Democrat told reporters": the person just named
            sp = _pronoun_antecedent(ctx, s, prior, None, max_back=1)
            if sp is not None:
                return _Speaker(surface, sp.entity_id, sp.name, sp.label), "title"
        return _Speaker(surface), "title"
    if capitalized:
        if len(toks) == 1:
            first = _first_name_holder(ctx, toks[0].text, s)
            if first is not None:  # "Wladimir told reporters" after "Wladimir Klitschko"
                return _speaker_from_mention(first, surface), "explicit"
        res = _resolve_name(surface, raw_mentions)
        if res:
            return _Speaker(surface, res[0], res[1], "PERSON"), "explicit"
        return _Speaker(surface), "explicit"  # a name we cannot link: kept as text only
    if kind_of_description(surface) in ("anonymous", "organisation") and root.tag_ in ("NN", "NNS"):
        return _Speaker(surface), "title"  # "one longtime adviser", "supporters": a source, unnamed
    return _Speaker(surface), "unresolved"


def _fuller_name(ctx: _Ctx, m: Mention) -> Mention:
    """A bare surname the entity stage left unlinked ("Wang") -> the earlier full name ("Wang Wenbin")."""
    if m.label not in ("PERSON", "ORG", "GPE") or _gz_profile(m.entity_id) or len(m.canonical_name.split()) != 1:
        return m
    w = m.canonical_name.lower()
    fuller = {(o.entity_id, o.canonical_name): o for o in _mentions_between(ctx, _back(ctx, m.start_char), m.start_char)
              if (o.label == "PERSON" or (o.label == "ORG" and not _gz_profile(o.entity_id)
                                          and _name_gender(o.canonical_name)))  # "Oleksandr Kubrakov" as ORG and len(o.canonical_name.split()) >= 2
              and w in (o.canonical_name.split()[-1].lower(), o.canonical_name.split()[0].lower())}  # "Wang Wenbin"
    return next(iter(fuller.values())) if len(fuller) == 1 else m


def _first_name_holder(ctx: _Ctx, word: str, before: int) -> Mention | None:
    """The latest earlier person whose first name is ``word`` (AP style for family members)."""
    w = word.lower()
    for m in reversed(_mentions_between(ctx, _back(ctx, before), before)):
        if m.label != "PERSON":
            continue
        names = ctx.text[m.start_char:m.end_char].split()
        if len(names) >= 2 and names[0].lower() == w:
            return m
    return None


def _document_issuer(ctx: _Ctx, head: str, before: int, prior: list[_Q]) -> _Speaker | None:
    """Who issued "the statement": the latest speaker (this or the last paragraph) introduced with it."""
    here = ctx.idx.paragraph_id(before)
    for q in reversed(prior):
        if q.speaker is None or q.speaker.name is None or q.cue_pos is None or q.cue_pos >= before:
            continue
        if here - q.para > 1:
            break
        lead = ctx.text[ctx.paras[q.para][0]:max(q.cue_pos, q.open_at or q.start)].lower()
        if head in lead:
            return q.speaker
    return None


def _earlier_org(ctx: _Ctx, description: str, before: int) -> Mention | None:
    """The latest earlier ORG mention holding every word of ``the foreign ministry`` (so not the defence one)."""
    want = {w for w in WORD_RE.findall(description.lower()) if w not in ("the", "a", "an", "its", "their")}
    earlier = list(reversed(_mentions_between(ctx, _back(ctx, before), before)))
    for m in earlier:
        if m.label == "ORG" and want <= set(WORD_RE.findall(ctx.text[m.start_char:m.end_char].lower())):
            return m
    lex = _lexicon()
    if len(want) == 1 and next(iter(want)) in lex.institutions:
        # translated news calls a ministry "the department" or "the agency": the latest
        # institution named in this or the last paragraph
        here = ctx.idx.paragraph_id(before)
        for m in earlier:
            if here - ctx.idx.paragraph_id(m.start_char) > 1:
                break
            words = set(WORD_RE.findall(m.canonical_name.lower()))
            if m.label == "ORG" and words & INSTITUTION_WORDS:
                return m
    return None


def _shows(word: str, *texts: str) -> bool:
    """Does ``word`` (or a synonym, or its country for a nationality) occur in one of ``texts``?"""
    lex = _lexicon()
    alts = (word, *lex.role_synonyms.get(word, ()))
    if word in lex.nationalities:
        alts = alts + (lex.nationalities[word],)
    return any(alt in t for alt in alts for t in texts if t)


def _mention_window(ctx: _Ctx, persons: list, k: int) -> str:
    """Words describing ``persons[k]``: up to the neighbouring names, and not across a verb.

    "Dmitry Peskov, the Kremlin spokesman, said Putin ...": the description is
    Peskov's, so Putin's window starts after "said".
    """
    m = persons[k]
    lo = max(m.start_char - 40, persons[k - 1].end_char if k > 0 else 0)
    hi = min(m.end_char + 60, persons[k + 1].start_char if k + 1 < len(persons) else m.end_char + 60)
    left = ctx.doc.char_span(lo, m.start_char, alignment_mode="contract")
    if left is not None:
        verbs = [t for t in left if t.pos_ == "VERB" or t.text.lower() in _lexicon().cue_forms]
        if verbs:
            lo = verbs[-1].idx + len(verbs[-1].text)
    right = ctx.doc.char_span(m.end_char, hi, alignment_mode="contract")
    if right is not None:
        verbs = [t for t in right if t.pos_ == "VERB" or t.text.lower() in _lexicon().cue_forms]
        if verbs:
            hi = verbs[0].idx
    return ctx.text[lo:hi].lower()


def _earlier_role_holder(ctx: _Ctx, role: str, before: int, prior: list[_Q], description: str = "") -> Mention | None:
    """The person a definite description refers back to, or None.

    Someone already quoted and named in this or the last paragraph needs only the
    role near one of their mentions or in their gazetteer role ("said the Texas
    Republican" for Rep. McCaul, introduced with "Republicans"; "added the
    minister" for the foreign minister); anyone else needs every word of the
    description (or a synonym: "the Russian leader" for the President of Russia)
    near a mention or in their role, at most three paragraphs back ("the
    Ukrainian ambassador" for "The Ukrainian ambassador to Poland, Andrij
    Deszczyca"). Description words are read next to each mention only up to the
    neighbouring name or verb, so the description goes to the right person.
    """
    quoted = {(q.speaker.entity_id, q.speaker.name) for q in prior if q.speaker is not None and q.speaker.name}
    # "Putin's spokesman" is not Putin: the possessor is no candidate, and no description word
    owners = [m for m in _mentions_between(ctx, before, before + len(description)) if m.label == "PERSON"]
    owner_words = {w.lower() for m in owners for w in WORD_RE.findall(ctx.text[m.start_char:m.end_char])}
    owner_keys = {(m.entity_id, m.canonical_name) for m in owners}
    desc = description.lower()
    phrases = [ph for ph in _lexicon().role_synonyms if " " in ph and ph in desc]
    for ph in phrases:  # "the Head of State": one role, not three words
        desc = desc.replace(ph, " ")
    words = [re.sub(r"['’]s$", "", w) for w in WORD_RE.findall(desc)]
    modifiers = [w for w in words if w not in FUNCTION_WORDS and w not in owner_words] + phrases or [role]
    here = ctx.idx.paragraph_id(before)
    # evidence from the last ten paragraphs only, so long documents stay linear
    first = ctx.paras[max(0, here - 10)][0]
    persons = [m for m in _mentions_between(ctx, first, before) if m.label == "PERSON"]
    evidence: dict = {}  # entity -> (has role, has every description word)
    latest: dict = {}
    for k, m in enumerate(persons):
        key = (m.entity_id, m.canonical_name)
        window = _mention_window(ctx, persons, k)
        profile = _gz_profile(m.entity_id)
        has_role, has_all = evidence.get(key, (False, False))
        evidence[key] = (has_role or _shows(role, window, profile),
                         has_all or all(_shows(w, window, profile) for w in modifiers))
        latest[key] = m
    near = []
    for key, m in sorted(latest.items(), key=lambda kv: -kv[1].start_char):
        if key in owner_keys:
            continue
        gap = here - ctx.idx.paragraph_id(m.start_char)
        has_role, has_all = evidence[key]
        if (key in quoted and has_role and gap <= 1) or (has_all and len(modifiers) > 1 and gap <= 3):
            return m
        if has_all and gap <= 1:
            near.append(m)
    # "Scholz met Putin ... the chancellor said": the only person close by who holds the role
    if len(near) == 1:
        return near[0]
    # several hold it ("President Zelensky spoke with President Macron. ... the Head of State wrote"):
    # the subject of the main clause of the latest sentence naming one of them
    if near:
        sid = max(ctx.idx.sent_id(m.start_char) for m in near)
        mains = []
        for m in near:
            span = ctx.doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
            if span is not None and ctx.idx.sent_id(m.start_char) == sid and _is_subject(span)[1]:
                mains.append(m)
        if len(mains) == 1:
            return mains[0]
    return None
