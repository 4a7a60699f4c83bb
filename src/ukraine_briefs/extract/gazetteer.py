"""The actor gazetteer (``data/actors.v1.yaml``): canonical names, aliases, affiliations.

Entity ids are ``"<type>:<slug>"`` (``person:antony_blinken``, ``gpe:russia``,
``org:nato``): the lower-cased type plus the accent-folded, transliterated
(``anyascii``: ``Кулеба`` -> ``kuleba``), lower-cased canonical name with
non-alphanumerics as ``_``; a name with no letter or digit to keep gets a
hash of its text (``h`` + 10 hex digits), so no two names share a made-up id.
Names that are not in the gazetteer get ids built the same way from their
(title-stripped) surface, so they are stable across documents and builds, and
an entry added later keeps the id the corpus already used. The Wikidata id is a
separate column (``wikidata``), filled only where certain. See docs/entities.md.
"""
from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass

import pandas as pd
from anyascii import anyascii

from ukraine_briefs import lexicons

ACTORS_FILE = "actors.v1.yaml"
RULES_FILE = "entity_rules.v1.yaml"

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_DASHES = str.maketrans({"‐": "-", "‑": "-", "–": "-", "—": "-"})
_NOT_ASCII = re.compile(r"[^\x00-\x7f]")


@dataclass(frozen=True)
class Actor:
    """One gazetteer entry."""

    entity_id: str
    canonical_name: str
    type: str
    affiliation: str | None
    wikidata_id: str | None
    aliases: tuple[str, ...] = ()
    metonym_for: str | None = None
    role: str | None = None
    surname_ok: bool = True
    in_ruler: bool = True


def _ascii_letter(char: str, *, latin: bool) -> str:
    """A letter or digit in Latin letters (``Ж`` -> ``Zh``); other characters kept.

    With ``latin=False`` Latin letters are kept too (the accent folding handles
    them). Soft and hard signs (``ь``, ``ъ``) become nothing, as in English-language
    news (``Зеленський`` -> ``Zelenskiy``, not ``Zelens'kiy``); symbols and
    punctuation are left for the slug to drop, so they never turn into words
    (``€`` stays, not ``EUR``).
    """
    if unicodedata.category(char)[0] not in "LN":
        return char
    if not latin and unicodedata.name(char, "").startswith("LATIN"):
        return char
    return anyascii(char).strip("'\"")


@functools.lru_cache(maxsize=1 << 16)  # names recur across mentions: fold each once
def fold(text: str) -> str:
    """Accent-folded, transliterated text with straight apostrophes and ASCII dashes.

    Letters of other scripts are transliterated with ``anyascii`` first (Cyrillic,
    Greek, CJK ...: before the accent folding, which would turn ``й`` into ``и``);
    then Latin letters lose their accents, and the few that have no decomposition
    (``ß``, ``æ``) go through ``anyascii`` too. So a name in any script has a
    Latin lookup key, skeleton and id.

    Examples:
        >>> fold("Mariusz Błaszczak’s")
        "Mariusz Blaszczak's"
        >>> fold("Дмитро Кулеба, Зеленський")
        'Dmitro Kuleba, Zelenskiy'
    """
    text = text.translate(_APOSTROPHES).translate(_DASHES)
    if _NOT_ASCII.search(text):
        text = _NOT_ASCII.sub(lambda m: _ascii_letter(m.group(), latin=False), unicodedata.normalize("NFC", text))
    text = text.replace("ł", "l").replace("Ł", "L").replace("ø", "o").replace("đ", "d")
    decomposed = unicodedata.normalize("NFKD", text)
    out = "".join(c for c in decomposed if not unicodedata.combining(c))
    if _NOT_ASCII.search(out):
        out = _NOT_ASCII.sub(lambda m: _ascii_letter(m.group(), latin=True), out)
    return out


@functools.lru_cache(maxsize=1 << 16)
def key(text: str) -> str:
    """Lookup key of a name: folded, lower-cased, single-spaced, without a leading "the".

    Examples:
        >>> key("The  United States")
        'united states'
    """
    k = " ".join(fold(text).lower().split())
    if k.startswith("the "):
        k = k[4:]
    return k


def slug(text: str) -> str:
    """Folded, transliterated lower-case slug (``Jean-Yves Le Drian`` -> ``jean_yves_le_drian``).

    Never empty and never shared by chance: a name with no letter or digit in any
    script (``!!!``, ``—``) gets ``h`` + the first 10 hex digits of the SHA-1 of its
    NFC text, stable across runs.

    Examples:
        >>> slug("Сергей Лавров")
        'sergey_lavrov'
        >>> slug("!!!")
        'h9a7b006d20'
    """
    s = re.sub(r"[^a-z0-9]+", "_", key(text).replace("'", "")).strip("_")
    if s:
        return s
    return "h" + hashlib.sha1(unicodedata.normalize("NFC", text).encode("utf-8")).hexdigest()[:10]


def make_id(name: str, label: str) -> str:
    """The entity id for a name of type ``label`` (same rule as the gazetteer ids).

    Examples:
        >>> make_id("Sascha Glaeser", "PERSON")
        'person:sascha_glaeser'
    """
    return f"{label.lower()}:{slug(name)}"


@functools.lru_cache(maxsize=1)
def rules() -> dict:
    """The entity rules data file (titles, noise, trailing words, spin synonyms)."""
    return lexicons.load(RULES_FILE)


@functools.lru_cache(maxsize=1)
def _load() -> dict[str, Actor]:
    raw = lexicons.load(ACTORS_FILE)["actors"]
    out: dict[str, Actor] = {}
    for row in raw:
        name = str(row["name"])
        typ = str(row["type"]).upper()
        eid = row.get("id") or make_id(name, typ)
        if eid in out:
            raise ValueError(f"{ACTORS_FILE}: duplicate id {eid!r}")
        out[eid] = Actor(
            entity_id=eid,
            canonical_name=name,
            type=typ,
            affiliation=row.get("affiliation") or None,
            wikidata_id=row.get("wikidata") or None,
            aliases=tuple(str(a) for a in row.get("aliases") or ()),
            metonym_for=row.get("metonym_for") or None,
            role=row.get("role") or None,
            surname_ok=bool(row.get("surname_ok", True)),
            in_ruler=bool(row.get("ruler", True)),
        )
    return out


def load_actors() -> dict[str, Actor]:
    """All gazetteer entries by entity id (cached; read-only)."""
    return _load()


def get(entity_id: str) -> Actor | None:
    """The gazetteer entry of ``entity_id``, or None for ids outside the gazetteer."""
    return _load().get(entity_id)


def actors() -> pd.DataFrame:
    """The gazetteer as a table: one row per actor, aliases joined with ``"; "``."""
    rows = [
        {
            "entity_id": a.entity_id,
            "canonical_name": a.canonical_name,
            "type": a.type,
            "affiliation": a.affiliation,
            "wikidata_id": a.wikidata_id,
            "aliases": "; ".join(a.aliases),
            "metonym_for": a.metonym_for,
            "role": a.role,
        }
        for a in _load().values()
    ]
    return pd.DataFrame(rows)


def affiliation_of(entity_id: str | None) -> str | None:
    """The state or bloc an entity speaks for (``person:antony_blinken`` -> ``United States``).

    None for ids outside the gazetteer or actors without one (analysts, places).

    Examples:
        >>> affiliation_of("org:kremlin")
        'Russia'
    """
    a = _load().get(entity_id or "")
    return a.affiliation if a else None


def affiliation(entity_id: str | None, name: str | None = None, label: str | None = None) -> str | None:
    """The state or bloc an entity speaks for, by id, else by the name it is known by.

    A country (``label="GPE"`` or a ``gpe:`` id) that the gazetteer gives no
    affiliation is its own; anything else unknown stays None.

    Examples:
        >>> affiliation("person:antony_blinken", "Antony Blinken")
        'United States'
        >>> affiliation("gpe:atlantis", "Atlantis", "GPE")
        'Atlantis'
    """
    aff = affiliation_of(entity_id)
    if aff:
        return aff
    a = by_alias(name or "")
    if a is not None and a.affiliation:
        return a.affiliation
    if label == "GPE" or (entity_id or "").startswith("gpe:"):
        return name
    return None


@functools.lru_cache(maxsize=1)
def alias_index() -> dict[str, frozenset[str]]:
    """Lookup key of every canonical name and alias -> the entity ids it may name."""
    idx: dict[str, set[str]] = {}
    for a in _load().values():
        for name in (a.canonical_name, *a.aliases):
            idx.setdefault(key(name), set()).add(a.entity_id)
    return {k: frozenset(v) for k, v in idx.items()}


@functools.lru_cache(maxsize=1)
def surname_index() -> dict[str, frozenset[str]]:
    """Lookup key of a PERSON's surname (from the canonical name and multi-word aliases) -> ids.

    Entries flagged ``surname_ok: false`` (Johnson, Michel, Sullivan...) are left out,
    and a surname shared by two entries maps to both, so it never resolves alone.
    """
    idx: dict[str, set[str]] = {}
    for a in _load().values():
        if a.type != "PERSON" or not a.surname_ok:
            continue
        for name in (a.canonical_name, *a.aliases):
            parts = name.split()
            if len(parts) >= 2:
                sur = " ".join(parts[-3:]) if key(" ".join(parts[-3:-1])) in ("von der", "van der", "de la") else parts[-1]
                idx.setdefault(key(sur), set()).add(a.entity_id)
    return {k: frozenset(v) for k, v in idx.items()}


def by_alias(name: str) -> Actor | None:
    """The actor whose canonical name or alias ``name`` is (case- and accent-insensitive); no surnames.

    Examples:
        >>> by_alias("the kremlin").entity_id
        'org:kremlin'
    """
    ids = alias_index().get(key(name))
    return _load()[next(iter(ids))] if ids and len(ids) == 1 else None


@functools.lru_cache(maxsize=1)
def last_name_index() -> dict[str, Actor]:
    """Lower-cased last word of each PERSON's canonical name -> the actor, for words only one entry ends with.

    Narrower than `surname_index` (canonical names only, the plain last word): threat
    parties resolve a bare surname, and fuzzy-match one, against these words (file order).
    Entries flagged ``surname_ok: false`` are left out.
    """
    found: dict[str, list[Actor]] = {}
    for a in _load().values():
        if a.type == "PERSON" and a.surname_ok:
            found.setdefault(a.canonical_name.split()[-1].lower(), []).append(a)
    return {k: v[0] for k, v in found.items() if len(v) == 1}


def lookup(name: str) -> Actor | None:
    """The gazetteer actor a name or alias names exactly (case- and accent-insensitive).

    A bare surname resolves when exactly one PERSON entry has it. No title
    stripping and no fuzzy matching here (see ``entities.resolve_name``).

    Examples:
        >>> lookup("Zelenskiy").entity_id
        'person:volodymyr_zelenskyy'
        >>> lookup("Kiev").canonical_name
        'Kyiv'
    """
    k = key(name)
    ids = alias_index().get(k)
    if ids and len(ids) == 1:
        return _load()[next(iter(ids))]
    if not ids and " " not in k:
        ids = surname_index().get(k)
        if ids and len(ids) == 1:
            return _load()[next(iter(ids))]
    return None


def ruler_patterns() -> list[dict]:
    """spaCy EntityRuler phrase patterns (ORTH) for every known actor, alias and distinctive surname.

    Each pattern carries the entity id as ``id``. Aliases starting lower-case
    (``separatists``) are left to the model, and surnames that are ordinary words
    or places (``Price``, ``Austin``; see ``surname_not_in_ruler``) too.
    """
    skip = set(rules().get("surname_not_in_ruler") or ())
    seen: set[tuple[str, str]] = set()
    patterns: list[dict] = []

    def add(label: str, text: str, eid: str) -> None:
        text = " ".join(text.split())
        if not text or not text[0].isupper() and not text[0].isdigit():
            return
        if (text, eid) in seen:
            return
        seen.add((text, eid))
        patterns.append({"label": label, "pattern": text, "id": eid})
        # spun copies type curly apostrophes; match both forms
        if "'" in text:
            add(label, text.replace("'", "’"), eid)

    ambiguous = {k for k, v in alias_index().items() if len(v) > 1}
    for a in _load().values():
        if a.type == "NORP" or not a.in_ruler:  # NORP: the model tags these well, and a
            continue  # ruler NORP would split "Polish Institute of International Affairs"
        for name in (a.canonical_name, *a.aliases):
            if key(name) not in ambiguous:
                add(a.type, name, a.entity_id)
    for sur_key, ids in surname_index().items():
        # a bare surname that is also some alias stays out, unless the alias is of the
        # same actor (``Путин`` listed must not hide the Latin ``Putin`` of "Vladimir Putin")
        if len(ids) != 1 or alias_index().get(sur_key, ids) != ids:
            continue
        a = _load()[next(iter(ids))]
        forms = {
            " ".join(name.split()[-len(sur_key.split()):])
            for name in (a.canonical_name, *a.aliases)
            if len(name.split()) >= 2 and key(" ".join(name.split()[-len(sur_key.split()):])) == sur_key
        }
        for sur in sorted(forms):
            if sur in skip or fold(sur) in skip or len(sur) < 4:
                continue
            add("PERSON", sur, a.entity_id)
            if fold(sur) != sur:
                add("PERSON", fold(sur), a.entity_id)
    return patterns
