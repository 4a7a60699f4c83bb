"""Names: titles, transliteration skeletons and fuzzy surname matching; `resolve_name`.

The name-level rules every resolution step shares: a misspelt or spun name
(``Brinken``, ``Glazer``, ``Vladimir Poutin``) matches a person only when the
transliteration skeletons of the surnames agree (or the spelling is nearly the
same), the first names are compatible and one candidate clearly wins. All word
lists live in ``data/entity_rules.v1.yaml``.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Iterable

from rapidfuzz import fuzz

from ukraine_briefs.extract import gazetteer as gz

_PUNCT = " \t\n.,;:!?\"“”‘’'()[]{}—–-•·*"  # trimmed from either end of a name
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_GLUE = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")
_NAME_TOKEN = re.compile(r"^[\w'’.-]+$")  # and an upper-case first letter, in any script (Ł, Л)


# ---------------------------------------------------------------- rules from the data file
@functools.lru_cache(maxsize=1)
def _rules() -> dict:
    r = gz.rules()
    titles = sorted({t for t in r.get("titles") or ()}, key=len, reverse=True)
    title_re = re.compile(
        r"^(?:" + "|".join(re.escape(t) + (r"\s*" if t.endswith(("-", ".")) else r"\s+") for t in titles) + r")",
        re.IGNORECASE,
    )
    return {
        "title_re": title_re,
        "noise": set(r.get("noise") or ()),
        "noise_lower": {n.lower() for n in r.get("noise_lower") or ()},
        "labels": set(r.get("labels") or ()),
        "trailing": set(r.get("trailing_words") or ()),
        "keep_prefixes": tuple(r.get("glue_keep_prefixes") or ()),
        "skeleton": [tuple(p) for p in r.get("skeleton_substitutions") or ()],
        "spin": dict(r.get("spin_synonyms") or {}),
        "common_surnames": {gz.key(n) for n in r.get("common_surnames") or ()},
        "org_heads": set(r.get("org_heads") or ()),
        "spin_names": dict(r.get("spin_name_words") or {}),
        "matching": [tuple(p) for p in r.get("matching_transliteration") or ()],
    }


# ---------------------------------------------------------------- name helpers
@functools.lru_cache(maxsize=65536)
def skeleton(name: str) -> str:
    """Transliteration-insensitive consonant skeleton of a name.

    Folds accents, applies the data file's substitutions (``w``->``v``, ``z``->``s``,
    ``r``->``l``, ...), drops vowels after the first letter and doubled letters, so
    ``Zelenskiy``, ``Zelenskyy`` and ``Selenskyj`` share a skeleton, and so do
    ``Brinken``/``Blinken`` and ``Glazer``/``Glaeser``, but not ``Biden``/``Blinken``.

    Examples:
        >>> skeleton("Glazer") == skeleton("Glaeser")
        True
        >>> skeleton("Biden") == skeleton("Blinken")
        False
    """
    s = re.sub(r"[^a-z]", "", gz.fold(name).lower())
    for a, b in _rules()["skeleton"]:
        s = s.replace(a, b)
    if not s:
        return ""
    # vowel runs become one "a" (kept, so Miller and Milley differ); doubled letters collapse
    s = s[0] + re.sub(r"[aeiouh]+", "a", s[1:])
    out = s[0]
    for c in s[1:]:
        if c != out[-1]:
            out += c
    return out


def _gendered_pair(a: str, b: str) -> bool:
    """Whether two surnames differ only by a Slavic feminine ending (Putina/Putin, Zelenska/Zelensky)."""
    for x, y in ((a, b), (b, a)):
        if x.endswith("a") and not y.endswith("a"):
            stem_x = re.sub(r"(aya|a)$", "", x)
            if stem_x in (y, re.sub(r"(yy|iy|yi|y|i)$", "", y)) or x[:-2] == y:
                return True
    return False


@functools.lru_cache(maxsize=1 << 16)
def matching_key(name: str) -> str:
    """Lookup key of a name in English-style spelling, for comparing names only (never for ids).

    Applies the data file's ``matching_transliteration`` (Polish ``sz``->``sh``,
    ``w``->``v``, ``ż``->``zh``, ``j``->``y`` ...) to the lower-cased name before the
    usual folding, so ``Ławrow`` and ``Lavrov`` compare as one spelling.

    Examples:
        >>> matching_key("Siergiej Ławrow")
        'sergey lavrov'
        >>> matching_key("Szojgu")
        'shoygu'
    """
    s = name.lower()
    for a, b in _rules()["matching"]:
        s = s.replace(a, b)
    return gz.key(s)


def _ratio(a: str, b: str) -> float:
    """Spelling similarity (0..100) of two names, as written or in English-style spelling."""
    raw = fuzz.ratio(gz.key(a), gz.key(b))
    return max(raw, fuzz.ratio(matching_key(a), matching_key(b))) if raw < 100 else raw


def _surname(name: str) -> str:
    parts = name.split()
    if len(parts) >= 3 and gz.key(" ".join(parts[-3:-1])) in ("von der", "van der", "de la"):
        return " ".join(parts[-3:])
    if len(parts) >= 2 and gz.key(parts[-2]) in ("le", "la", "de", "van", "von", "al", "el", "di", "da"):
        return " ".join(parts[-2:])
    return parts[-1] if parts else ""


def _first(name: str) -> str | None:
    parts = name.split()
    return parts[0] if len(parts) >= 2 and len(parts) > len(_surname(name).split()) else None


@functools.lru_cache(maxsize=1 << 17)  # pure; the same surnames meet the same gazetteer names all corpus long
def _surname_match(a: str, b: str, *, min_ratio: float = 75.0, skeleton_only: bool = False) -> float:
    """Score (0..110) for two surnames being spellings of one name; 0 when not.

    Same transliteration skeleton and ``ratio >= min_ratio``, or ``ratio >= 90``
    (the ratio of the names as written or in English-style spelling, `matching_key`);
    never two forms that differ only by a feminine ending (Lavrova is not Lavrov,
    nor is Ławrowa).
    """
    ka, kb = gz.key(a), gz.key(b)
    if ka == kb:
        return 110.0
    if min(len(ka), len(kb)) < 4 or _gendered_pair(ka, kb) or _gendered_pair(matching_key(a), matching_key(b)):
        return 0.0
    sa, sb = skeleton(a), skeleton(b)
    if not sa or not sb or sa[0] != sb[0]:
        return 0.0
    r = _ratio(a, b)
    if sa == sb and r >= min_ratio:
        return r + 10
    if r >= 90 and not skeleton_only:
        return r
    return 0.0


@functools.lru_cache(maxsize=1 << 15)
def _first_compatible(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return True
    ka, kb = gz.key(a).rstrip("."), gz.key(b).rstrip(".")
    if len(ka) == 1 or len(kb) == 1:
        return ka[0] == kb[0]
    return ka == kb or _ratio(ka, kb) >= 75 or skeleton(ka) == skeleton(kb)


def strip_titles(name: str) -> str:
    """Drop honorifics and titles from the left of a name (``Mr. Brinken`` -> ``Brinken``).

    Examples:
        >>> strip_titles("US Secretary of State Antony Blinken")
        'Antony Blinken'
    """
    title_re = _rules()["title_re"]
    name = name.strip()
    while True:
        if gz.key(name) in gz.alias_index():
            return name
        m = title_re.match(name)
        if not m or m.end() >= len(name):
            return name
        name = name[m.end():].lstrip(_PUNCT)


def _unspin(name: str) -> str | None:
    spin = _rules()["spin"]
    words = name.split()
    out = [spin.get(w, w) for w in words]
    return " ".join(out) if out != words else None


# ---------------------------------------------------------------- resolution
@dataclass
class _Person:
    entity_id: str
    canonical: str
    first: str | None
    surname: str
    surname_ok: bool = True  # False: the bare surname must not resolve to this person


@functools.lru_cache(maxsize=1)
def _gazetteer_people() -> list[_Person]:
    people = []
    for a in gz.load_actors().values():
        if a.type != "PERSON":
            continue
        for name in (a.canonical_name, *a.aliases):
            people.append(_Person(a.entity_id, a.canonical_name, _first(name), _surname(name), a.surname_ok))
    return people


def _best(
    first: str | None,
    surname: str,
    pool: Iterable[_Person],
    *,
    margin: float = 5.0,
    min_score: float = 1.0,
    min_ratio: float = 75.0,
    skeleton_only: bool = False,
) -> _Person | None:
    """The one person of ``pool`` a (first, surname) most plausibly spells; None when unclear."""
    scores: dict[str, tuple[float, _Person]] = {}
    for p in pool:
        if first is None and not p.surname_ok:
            continue
        sc = _surname_match(surname, p.surname, min_ratio=min_ratio, skeleton_only=skeleton_only)
        if sc < min_score or not _first_compatible(first, p.first):
            continue
        if first and p.first:
            sc += 0.1 * _ratio(first, p.first)
        if sc > scores.get(p.entity_id, (0.0, p))[0]:
            scores[p.entity_id] = (sc, p)
    if not scores:
        return None
    ranked = sorted(scores.values(), key=lambda t: -t[0])
    if len(ranked) > 1 and ranked[0][0] - ranked[1][0] < margin:
        return None
    return ranked[0][1]


def _bare_surname_in_gazetteer(surname: str) -> _Person | None:
    """A lone misspelt surname (``Brinken``) against the gazetteer: the strictest match.

    Same skeleton and ratio >= 82, and not a common surname of its own (data file
    ``common_surnames``: Anderson is not Andersson, Schulz is not Scholz).
    """
    if gz.key(surname) in _rules()["common_surnames"]:
        return None
    return _best(None, surname, _gazetteer_people(), min_ratio=82, skeleton_only=True)


@functools.lru_cache(maxsize=1)
def _gazetteer_first_names() -> frozenset[str]:
    return frozenset(p.first for p in _gazetteer_people() if p.first and len(p.first) > 2)


def _looks_like_name(surface: str) -> bool:
    words = surface.split()
    return 1 <= len(words) <= 4 and all(
        (w[0].isupper() and _NAME_TOKEN.match(w)) or w.lower() in ("von", "der", "de", "le", "la", "van") for w in words
    )


# ---------------------------------------------------------------- free names (quotes, threats)
def _mention_people(mentions: Iterable) -> list[_Person]:
    people = []
    for m in mentions:
        get = m.get if isinstance(m, dict) else (lambda k, m=m: getattr(m, k, None))
        eid, surface = get("entity_id"), get("surface")
        if not eid or not str(eid).startswith("person:") or not surface:
            continue
        canonical = get("canonical_name") or surface
        people.append(_Person(eid, canonical, _first(surface), _surname(surface)))
        people.append(_Person(eid, canonical, _first(canonical), _surname(canonical)))
    return people


def resolve_name(text: str, *, mentions: Iterable = ()) -> tuple[str, str] | None:
    """Resolve a free name string to ``(entity_id, canonical_name)``, or None.

    For speaker labels and attributions: ``Antony Blinken, US Secretary of State``,
    ``Mr. Brinken``, ``Vladimir Poutin``. Tries, in order: the gazetteer (exact or
    alias), the given document ``mentions`` (Mention records or dicts; exact
    surname, then fuzzy), then fuzzy matching against the gazetteer.

    Examples:
        >>> resolve_name("Antony Blinken, US Secretary of State")
        ('person:antony_blinken', 'Antony Blinken')
        >>> resolve_name("Mr. Brinken")
        ('person:antony_blinken', 'Antony Blinken')
    """
    if not text or not text.strip():
        return None
    name = re.split(r"[,:(\[|]|\s[-–—]\s", text.strip())[0]
    name = strip_titles(name.lstrip(_PUNCT))
    if not re.search(r"[A-Z]\.$", name):
        name = name.rstrip(_PUNCT)
    if len(name) > 3 and re.search(r"['’]s?$", name):
        name = re.sub(r"['’]s?$", "", name)
    if not name:
        return None
    a = gz.by_alias(name)
    if a is not None:
        return a.entity_id, a.canonical_name
    if not _looks_like_name(name):
        return None
    first, sur = _first(name), _surname(name)
    people = _mention_people(mentions)
    # exact: the full name or the bare surname of a document person
    exact = {p.entity_id: p for p in people if gz.key(p.canonical) == gz.key(name)}
    if not exact and first is None:
        exact = {p.entity_id: p for p in people if gz.key(p.surname) == gz.key(sur)}
    if len(exact) == 1:
        p = next(iter(exact.values()))
        return p.entity_id, p.canonical
    if len(exact) > 1:
        return None
    if first is None:
        a = gz.lookup(name)
        if a is not None:
            return a.entity_id, a.canonical_name
    hit = _best(first, sur, people) or (
        _best(first, sur, _gazetteer_people()) if first else _bare_surname_in_gazetteer(sur)
    )
    if hit is not None:
        return hit.entity_id, hit.canonical
    return None
