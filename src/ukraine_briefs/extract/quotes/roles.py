"""Roles from the gazetteer: which one actor "the Russian foreign minister" or "the President of Ukraine" names.

A description links to a gazetteer person only when exactly one actor holds
that role; role words are normalised (``Ukraine's`` = ``Ukrainian``,
``spokesman`` = ``spokesperson``) and, failing an exact match, swapped for the
gazetteer's per ``role_holder_aliases`` (``the Russian leader`` -> President of Russia).
"""
from __future__ import annotations

import functools
import re

from ukraine_briefs.extract import gazetteer
from ukraine_briefs.extract.quotes.context import _lexicon


def _gazetteer_exact(surface: str) -> tuple[str, str, str] | None:
    """(entity_id, name, type) of the one gazetteer actor called exactly ``surface``, else None."""
    ids = gazetteer.alias_index().get(gazetteer.key(surface))
    if not ids:  # "Ukraine's foreign ministry" is listed as "Ukrainian Foreign Ministry"
        adjective = {v: k for k, v in _lexicon().nationalities.items() if " " not in v}
        swapped = re.sub(r"\b(\w+)['’]s\b", lambda m: adjective.get(m.group(1).lower(), m.group(0)), surface)
        ids = gazetteer.alias_index().get(gazetteer.key(swapped)) if swapped != surface else None
    if not ids or len(ids) != 1:
        return None
    a = gazetteer.get(next(iter(ids)))
    return (a.entity_id, a.canonical_name, a.type) if a is not None else None


_ROLE_WORDS = {
    "ukraine": "ukrainian", "ukraine's": "ukrainian", "russia": "russian", "russia's": "russian",
    "us": "us", "u.s": "us", "american": "us", "america's": "us", "united": "us", "states": "",
    "uk": "uk", "british": "uk", "britain's": "uk", "spokesman": "spokesperson",
    "spokeswoman": "spokesperson", "defense": "defence", "the": "", "of": "", "s": "",
}


def _role_key(text: str) -> frozenset:
    words = re.findall(r"[a-z.'’]+", text.lower().replace("’", "'"))
    out = set()
    nations = _lexicon().nationalities
    for x in words:
        x = x.strip(".")
        if x in nations and " " not in nations[x] and x not in _ROLE_WORDS:
            x = nations[x]  # "belarusian" and "belarus" agree
        w = _ROLE_WORDS.get(x, None)
        if w is None:  # "nato's secretary general"
            x = re.sub(r"'s?$", "", x)
            w = _ROLE_WORDS.get(x, x)
        if w:
            out.add(w)
    return frozenset(out)


@functools.lru_cache(maxsize=1)
def _roles_index() -> dict:
    """Role words -> (entity_id, name) of gazetteer people, for roles held by one person only."""
    index: dict = {}
    for a in gazetteer.load_actors().values():
        if a.type == "PERSON" and a.role:
            index.setdefault(_role_key(a.role), []).append((a.entity_id, a.canonical_name))
    return {k: v[0] for k, v in index.items() if len(v) == 1 and len(k) >= 2}


@functools.lru_cache(maxsize=4096)
def _role_holder(description: str) -> tuple[str, str] | None:
    """The actor whose gazetteer role is exactly this description ("the Russian foreign minister").

    Failing that, role words are swapped for the gazetteer's ("the Russian leader"
    -> President of Russia), per ``role_holder_aliases``.
    """
    index = _roles_index()
    hit = index.get(_role_key(description))
    if hit is None:
        desc = description.lower()
        for word, alias in _lexicon().role_aliases.items():
            if re.search(rf"\b{re.escape(word)}\b", desc):
                hit = index.get(_role_key(re.sub(rf"\b{re.escape(word)}\b", alias, desc)))
                if hit is not None:
                    break
    return hit


def _gz_profile(entity_id: str | None) -> str:
    """Lower-cased gazetteer role and affiliation of an actor ("" outside the gazetteer)."""
    if not entity_id:
        return ""
    a = gazetteer.get(entity_id)
    if a is None:
        return ""
    return f"{a.role or ''} | {a.affiliation or ''}".lower()
