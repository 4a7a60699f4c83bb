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
