"""Descriptions that name a person introduced before: "the strategist", "the 39-year-old", "Trump's son".

News introduces a person once with an apposition or a title ("Oleh Petrenko, a
39-year-old strategist at the Razumkov Centre, said ...", "Clinton's campaign
manager Robby Mook said ...") and later calls them by it ("the strategist said",
"the 39-year-old added", "Clinton's campaign manager said"). A definite or
possessive description links to the one person of the last few paragraphs whose
apposition or title holds its head word (and, for "X's ...", X's name as well);
a family word after a possessive ("Trump's son") links to the one other person
named earlier who bears X's surname. Two candidates, or none, leave the
description as it is: a wrong name is worse than none.
"""
from __future__ import annotations

import re

from ukraine_briefs.extract.quotes.context import _Ctx, _Speaker, _mentions_between
from ukraine_briefs.extract.quotes.pronouns import _given_names, _person_description
from ukraine_briefs.extract.quotes.roles import _gz_profile, _role_key
from ukraine_briefs.extract.quotes.sources import description_head, source_words

_PARAGRAPHS = 3  # how far back an introduction is looked for
_FAMILY_PARAGRAPHS = 10
_SUFFIXES = frozenset(("jr", "jr.", "sr", "sr.", "ii", "iii", "iv"))
_POSSESSIVE = re.compile(r"^(?P<owner>.+?)['’]s\s+(?P<core>\S.*)$")


def _squash(text: str) -> str:
    return re.sub(r"[\s’']+", "", text.lower())


def _introduction(ctx: _Ctx, m, pos: int) -> tuple[set, str, set]:
    """Words (and squashed text) of a mention's apposition and of the title right before it:
    "Oleh Petrenko, a 39-year-old strategist at ..." / "Clinton's campaign manager Robby Mook";
    never the description at ``pos`` itself ("... Mika Brzezinski, the candidate said")."""
    span = ctx.doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
    if span is None:
        return set(), "", set()
    toks = []
    for t in span:
        for c in t.children:
            # a true apposition is set off by a comma: "Oleh Petrenko, a strategist at ..."
            if c.dep_ == "appos" and not (span.start <= c.i < span.end) and c.left_edge.i > 0 \
                    and ctx.doc[c.left_edge.i - 1].text in (",", "(", "—", "–"):
                toks += list(c.subtree)
    sent_start = span.sent.start
    before = []
    for t in reversed(ctx.doc[max(sent_start, span.start - 5):span.start]):
        if t.is_punct and t.text not in ("'s", "’s", "-") or t.pos_ in ("VERB", "AUX"):
            break
        before.insert(0, t)
    toks = [t for t in before + toks if t.idx < pos]
    return {t.lower_ for t in toks}, _squash(" ".join(t.text for t in toks)), {t.lower_ for t in before}


def _role_words(text: str) -> frozenset:
    """Role words as `roles` normalises them ("Ukraine's" = Ukrainian, spokesman = spokesperson), with
    advisor = adviser; articles dropped."""
    return frozenset("adviser" if w == "advisor" else w for w in _role_key(text.replace("|", " "))
                     if w not in ("a", "an", "and"))


def _surname(name: str) -> str | None:
    words = [w for w in re.findall(r"[\w.’'-]+", name.lower()) if w not in _SUFFIXES]
    return re.sub(r"['’]s$", "", words[-1]) if words else None


def described_person(ctx: _Ctx, surface: str | None, pos: int) -> _Speaker | None:
    """The named person a definite or possessive description at ``pos`` refers back to, else None."""
    text = (surface or "").strip()
    owner = None
    if text.lower().startswith("the "):
        core = text[4:].strip()
    else:
        hit = _POSSESSIVE.match(text)
        if hit is None or len(hit.group("owner").split()) > 3:
            return None
        owner, core = hit.group("owner"), hit.group("core")
    head = description_head(core)
    sw = source_words()
    if not head or not (_person_description(text) or head.endswith("year-old")
                        or (head in sw.anonymous and not head.endswith("s"))):
        return None  # "the lawsuit", "the editorial", "the strategists": no one person
    pid = ctx.idx.paragraph_id(pos)
    owner_surname = _surname(owner) if owner else None
    owner_keys = {(m.entity_id, m.canonical_name) for m in _mentions_between(ctx, pos, pos + len(text))}
    lo = ctx.paras[max(0, pid - _PARAGRAPHS)][0]
    found: dict = {}
    latest = None  # key of the last person named before the description
    for m in _mentions_between(ctx, lo, pos):
        key = (m.entity_id, m.canonical_name)
        if m.label != "PERSON" or key in owner_keys or "\x00" in ctx.masked[m.start_char:m.end_char]:
            continue
        latest = key
        words, squashed, title = _introduction(ctx, m, pos)
        role = _role_words(_gz_profile(m.entity_id))
        if not owner and _role_words(core) and _role_words(core) <= role and (
                "former" not in role or "former" in _role_words(core)):  # "the president" is no former one
            found[key] = (m, True)  # "Sullivan said ... The national security adviser added": the gazetteer role
            continue
        if not (head in words or _squash(core) in squashed):
            continue
        if owner_surname and owner_surname not in {re.sub(r"['’]s$", "", w) for w in words}:
            continue  # "Clinton's campaign manager" needs Clinton in the introduction
        found[key] = (m, head not in title)
    # a title before the name ("President Vladimir Putin") is a weak tie: only for the last person named
    found = {k: m for k, (m, by_apposition) in found.items() if by_apposition or k == latest}
    if not found and owner_surname and head in _family_words():
        found = _relative(ctx, owner_surname, owner_keys, head, pos)
    if len(found) != 1:
        return None
    m = next(iter(found.values()))
    return _Speaker(text, m.entity_id, m.canonical_name, "PERSON")


def _family_words() -> dict:
    """Family nouns -> the gender they tell (None: either), from ``quote_sources.v1.yaml``."""
    sw = source_words()
    return sw.family


def _relative(ctx: _Ctx, surname: str, owner_keys: set, head: str, pos: int) -> dict:
    """"Trump's son": the persons named in the last paragraphs, other than the owner, bearing the surname."""
    female, male = _given_names()
    gender = _family_words().get(head)
    pid = ctx.idx.paragraph_id(pos)
    lo = ctx.paras[max(0, pid - _FAMILY_PARAGRAPHS)][0]
    found = {}
    for m in _mentions_between(ctx, lo, pos):
        key = (m.entity_id, m.canonical_name)
        words = m.canonical_name.split()
        if m.label != "PERSON" or key in owner_keys or len(words) < 2 or _surname(m.canonical_name) != surname:
            continue
        first = words[0].lower()
        if (gender == "he" and first in female) or (gender == "she" and first in male):
            continue
        found[key] = m
    return found
