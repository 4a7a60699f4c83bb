"""Case forms of names: `nominatives` reads ``Путина``, ``Лавровым``, ``Zełenskiego`` as their nominatives.

Russian, Ukrainian and Polish decline names (``Путин`` -> ``Путина``, ``Путину``,
``Путиным``; ``Zełenski`` -> ``Zełenskiego``), and machine translations from Polish
leave them declined in English text. The case endings are data
(``data/entity_repair.v1.yaml``, ``case_endings``); a word gives every nominative
its endings allow, and the caller takes the one that is a known name (a gazetteer
alias, a name of the same document, a listed given name), so a wrong guess never
makes a name up.
"""
from __future__ import annotations

import functools
import re

from ukraine_briefs import lexicons
from ukraine_briefs.extract import gazetteer as gz

REPAIR_FILE = "entity_repair.v1.yaml"
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_POLISH = re.compile(r"[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]")


@functools.lru_cache(maxsize=1)
def rules() -> dict:
    """The entity repair data file, parsed (cached)."""
    return lexicons.load(REPAIR_FILE)


@functools.lru_cache(maxsize=1)
def _endings() -> dict[str, list[tuple[str, str]]]:
    out = {}
    for script, pairs in (rules().get("case_endings") or {}).items():
        pairs = [(str(a), str(b or "")) for a, b in pairs]
        out[script] = sorted(pairs, key=lambda p: -len(p[0]))  # longest ending first (stable)
    return out


def script_of(word: str, language: str | None = None) -> str | None:
    """Which ending table applies to ``word``: ``cyrillic``, ``polish`` or None (English text)."""
    if _CYRILLIC.search(word):
        return "cyrillic"
    if _POLISH.search(word) or language == "pl":
        return "polish"
    return None


@functools.lru_cache(maxsize=1 << 15)
def nominatives(word: str, script: str) -> tuple[str, ...]:
    """The nominative forms ``word`` may be an inflection of (most specific ending first; not ``word`` itself).

    Examples:
        >>> nominatives("Zełenskiego", "polish")[0]
        'Zełenski'
        >>> "Путин" in nominatives("Путиным", "cyrillic")
        True
        >>> "Кулеба" in nominatives("Кулебой", "cyrillic")
        True
    """
    out: list[str] = []
    low = word.lower()
    for end, rep in _endings().get(script, ()):
        if low.endswith(end) and len(word) - len(end) >= 2:
            form = word[: len(word) - len(end)] + rep
            if form != word and form not in out:
                out.append(form)
    return tuple(out)


@functools.lru_cache(maxsize=1)
def _unambiguous() -> tuple[str, ...]:
    return tuple(str(e) for e in rules().get("unambiguous_endings") or ())


def clearly_inflected(word: str) -> bool:
    """Whether ``word`` can only be a declined form (ends ``-skiego``, ``-em``, ``-ого``...) or is
    Cyrillic or Polish-spelt: then it may be read against the gazetteer alone, without
    a name of the same document to confirm it."""
    return bool(_CYRILLIC.search(word) or _POLISH.search(word)) or word.lower().endswith(_unambiguous())


@functools.lru_cache(maxsize=1)
def given_name_keys() -> frozenset[str]:
    """Lookup keys of the listed given names and of the gazetteer people's first names."""
    names = {gz.key(n) for n in rules().get("given_names") or ()}
    for a in gz.load_actors().values():
        if a.type == "PERSON":
            for n in (a.canonical_name, *a.aliases):
                parts = n.split()
                if len(parts) >= 2 and len(parts[0]) > 1 and not parts[0].endswith("."):
                    names.add(gz.key(parts[0]))
    return frozenset(names)


def given_name(word: str, script: str | None) -> str | None:
    """``word`` as a given name in the nominative (``Дмитрием`` -> ``Дмитрий``), or None."""
    keys = given_name_keys()
    if gz.key(word) in keys:
        return word
    for form in nominatives(word, script) if script else ():
        if gz.key(form) in keys:
            return form
    return None


def case_form_person(surface: str, label: str, people: list, language: str) -> tuple[str, str, str, str] | None:
    """A lone name read through its case forms and given name: (id, canonical, resolution, type) or None.

    ``Путина``/``Ławrowa``/``Zełenskiego`` -> the document's full name with that
    nominative surname, else (for a clearly inflected or non-English word) the
    gazetteer's; ``Xi`` -> the one full name of the document with that given name.
    ``people`` are the document's full names (``names._Person`` records).
    """
    script = script_of(surface, language) or ("polish" if language in ("en", "und") else None)
    forms = nominatives(surface, script) if script else ()
    for f in forms:
        same = {p.entity_id: p for p in people if gz.key(p.surname) == gz.key(f)}
        if len(same) == 1:
            p = next(iter(same.values()))
            return p.entity_id, p.canonical, "document", "PERSON"
    if label in ("PERSON", "ORG", "NORP"):
        for f in (surface, *forms):
            same = {p.entity_id: p for p in people if p.first and gz.key(p.first) == gz.key(f)}
            if len(same) == 1:
                p = next(iter(same.values()))
                return p.entity_id, p.canonical, "document", "PERSON"
    if clearly_inflected(surface) or language not in ("en", "und"):
        # the English model's label of a Cyrillic or Polish word is no evidence: the gazetteer decides
        for f in (surface, *forms):
            a = gz.lookup(f)
            if a is not None:
                return a.entity_id, a.canonical_name, "alias", a.type
    return None
