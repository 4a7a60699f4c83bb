"""Entity mentions resolved to canonical actors, and the `entities` table.

A mention is a spaCy entity (the model's NER, with the gazetteer's EntityRuler
placed before it) trimmed of titles, possessives, glued words and run-on verbs,
then resolved to an ``entity_id`` (see `gazetteer` for the id scheme). The
``resolution`` column says how:

- ``gazetteer``: the surface is a gazetteer canonical name (or the ruler matched it);
- ``alias``: a listed alias, transliteration or unique surname (``Zelenskiy``, ``Kiev``, ``Putin``);
- ``document``: a surname linked to the one full name with that surname in the same document
  (also surnames the model missed, e.g. at the start of a sentence);
- ``fuzzy``: a misspelt or spun name matched by string and sound similarity against the
  gazetteer and the document's own full names (``Brinken``, ``Glazer``, ``Vladimir Poutin``),
  or undone spinning (``White Area`` -> White House, ``Matthew Likelihood`` -> Matthew Chance);
- ``model``: not linked; the id is built from the surface (``person:efi_koutsokosta``).

All word lists (titles, NER noise, run-on words, transliteration skeleton, spin
synonyms, common surnames) live in ``data/entity_rules.v1.yaml``.

Guards keep distinct people apart: a fuzzy match needs the transliteration
skeletons of the surnames to agree (or near-identical spelling), compatible first
names, and a clear winner; a surname shared by two full names of a document stays
unresolved (two Johnsons are not one).
"""
from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Iterator

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process
from spacy.tokens import Doc

from ukraine_briefs.extract import gazetteer as gz
from ukraine_briefs.extract.nlp import doc_index
from ukraine_briefs.types import Entity, Mention, to_frame

_TRAIL_PUNCT = " \t\n.,;:!?\"“”‘’'()[]{}—–-•·*"
_LEAD_PUNCT = " \t\n.,;:!?\"“”‘’'()[]{}—–-•·*"
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_GLUE = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")
_NAME_TOKEN = re.compile(r"^[A-Z][\w'’.-]*$")


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


def _ratio(a: str, b: str) -> float:
    return fuzz.ratio(gz.key(a), gz.key(b))


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

    Same transliteration skeleton and ``ratio >= min_ratio``, or ``ratio >= 90``;
    never two forms that differ only by a feminine ending (Lavrova is not Lavrov).
    """
    ka, kb = gz.key(a), gz.key(b)
    if ka == kb:
        return 110.0
    if min(len(ka), len(kb)) < 4 or _gendered_pair(ka, kb):
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
        name = name[m.end():].lstrip(_LEAD_PUNCT)


def _unspin(name: str) -> str | None:
    spin = _rules()["spin"]
    words = name.split()
    out = [spin.get(w, w) for w in words]
    return " ".join(out) if out != words else None


# ---------------------------------------------------------------- candidates
@dataclass
class _Cand:
    start: int
    end: int
    label: str
    kb_id: str  # EntityRuler id ("" from the model)
    surface: str = ""
    entity_id: str = ""
    canonical: str = ""
    resolution: str = ""


def _glue_split(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a span at glued words (``UkraineOn``, ``McCallRepublicans`` -> ``McCall``)."""
    keep = _rules()["keep_prefixes"]
    cuts = []
    for m in _GLUE.finditer(text, start, end):
        # the word containing the cut starts at the last space before it
        word_start = text.rfind(" ", start, m.start()) + 1 or start
        word_start = max(word_start, start)
        prefix = text[word_start:m.start()]
        if len(prefix) < 2 or prefix in keep:
            continue
        cuts.append(m.start())
    if not cuts:
        return [(start, end)]
    pieces, s = [], start
    for c in cuts:
        pieces.append((s, c))
        s = c
    pieces.append((s, end))
    return pieces


def _org_head_after(doc: Doc, i: int) -> int | None:
    """Index of an organisation head word within three title-case tokens after token ``i - 1``."""
    heads = _rules()["org_heads"]
    for j in range(i, min(i + 3, len(doc))):
        tok = doc[j]
        if not tok.is_title or "\n" in doc[j - 1].whitespace_ or (tok.ent_type_ and tok.ent_id_):
            return None
        if tok.text in heads:
            # "School of Economics", "Institute for War Studies": take the title-case tail
            k = j
            if k + 2 < len(doc) and doc[k + 1].lower_ in ("of", "for") and doc[k + 2].is_title:
                k += 2
                while k + 1 < len(doc) and doc[k + 1].is_title and "\n" not in doc[k].whitespace_:
                    k += 1
            return k
    return None


def _first_name_before(doc: Doc, i: int) -> bool:
    """Whether token ``i - 1`` looks like a first name glued in front of surname ``i``."""
    if i == 0:
        return False
    tok = doc[i - 1]
    if not (tok.is_alpha and tok.is_title and len(tok) >= 2) or tok.is_stop:
        return False
    if tok.ent_type_ and not (tok.ent_type_ == "PERSON" and tok.ent_iob_ == "B" and not tok.ent_id_):
        return False  # part of another entity, unless the model saw a lone first name
    if "\n" in tok.whitespace_ or tok.text in _rules()["trailing"]:
        return False
    if _rules()["title_re"].match(tok.text + " "):
        return False
    # a headline in title case ("Biden Warns Putin Of Sanctions") has no first names to find
    words = [t for t in tok.sent if t.is_alpha and not t.is_stop and not t.ent_type_ and t.i != tok.i]
    return sum(t.is_title for t in words) <= 0.5 * len(words)


@functools.lru_cache(maxsize=1)
def _lower_glue_re() -> re.Pattern:
    names = {
        n
        for a in gz.load_actors().values()
        if a.type in ("GPE", "ORG", "LOC")
        for n in (a.canonical_name, *a.aliases)
        if " " not in n and len(n) >= 5 and n[0].isupper() and n.isalpha()
    }
    alt = "|".join(sorted((re.escape(n) for n in names), key=len, reverse=True))
    return re.compile(rf"({alt})(?=[a-z]{{4,}}\b)")


def _trim(text: str, start: int, end: int, label: str) -> tuple[int, int]:
    """Shrink a span to the name: no line breaks, leading 'the', titles, possessive, run-on words."""
    rules = _rules()
    nl = text.find("\n", start, end)
    if nl != -1:
        end = nl if nl > start else end
    while start < end and text[start] in _LEAD_PUNCT:
        start += 1
    while end > start and text[end - 1] in _TRAIL_PUNCT:
        if text[end - 1] == "." and end - 2 > start and text[end - 2].isupper():
            break  # an abbreviation: U.S., D.C.
        m = _POSSESSIVE.search(text[start:end])
        if m and m.start() > 0:
            end = start + m.start()
            continue
        end -= 1
    m = _POSSESSIVE.search(text[start:end])
    if m and m.start() > 0 and text[start + m.start()] in "'’":
        end = start + m.start()
    # titles and "the"
    surface = text[start:end]
    stripped = strip_titles(surface)
    # titles belong to people: "U.S. Embassy" keeps its "U.S."
    if stripped != surface and label != "PERSON":
        a = gz.lookup(stripped)
        if a is None or a.type != "PERSON":
            stripped = surface
    if stripped and stripped != surface:
        start = start + surface.rfind(stripped)
        end = start + len(stripped)
    if text[start:end].lower().startswith("the ") and end - start > 4:
        start += 4
    # run-on words the model glued to the name ("Biden Must", "McCall Said")
    while True:
        surface = text[start:end]
        words = surface.split()
        if len(words) >= 2 and (words[-1] in rules["trailing"] or (words[-1].endswith("ly") and len(words[-1]) > 5)):
            if gz.key(surface) in gz.alias_index():
                break
            end = start + surface.rstrip().rfind(words[-1])
            end = start + len(text[start:end].rstrip())
            continue
        break
    while end > start and text[end - 1] in _TRAIL_PUNCT:
        if text[end - 1] == "." and end - 2 > start and text[end - 2].isupper():
            break
        end -= 1
    return start, end


def _split_dashed(text: str, c: _Cand) -> list[_Cand]:
    """``U.S.–Russia`` (tensions), ``Biden-Putin`` (call): two known names joined by a dash are two mentions."""
    if c.kb_id or not re.search(r"[-–—]", c.surface):
        return [c]
    parts, pos = [], c.start
    for piece in re.split(r"([-–—])", c.surface):
        if piece not in "-–—" or not piece:
            name = piece.strip()
            actor = gz.lookup(name) if name else None
            if actor is None:
                return [c]
            s = pos + piece.find(name)
            parts.append(_Cand(s, s + len(name), actor.type, actor.entity_id, name))
        pos += len(piece)
    return parts if len(parts) > 1 else [c]


def _is_noise(surface: str) -> bool:
    rules = _rules()
    if not surface or surface in rules["noise"] or surface.lower() in rules["noise_lower"]:
        return True
    if not any(c.isalpha() for c in surface):
        return True
    # a mention starts with a capital, a digit or a listed lower-case alias (pro-Russian)
    if not (surface[0].isupper() or surface[0].isdigit()) and gz.key(surface) not in gz.alias_index():
        return True
    return False


def _candidates(doc: Doc) -> list[_Cand]:
    rules = _rules()
    idx = doc_index(doc)
    text = idx.text
    out: list[_Cand] = []
    covered = set()
    for ent in doc.ents:
        if ent.label_ not in rules["labels"]:
            continue
        covered.update(range(ent.start, ent.end))
        kb = ent.ent_id_ or ""
        if kb and ent.label_ == "PERSON" and len(ent) == 1 and _first_name_before(doc, ent.start):
            # "Hunter Biden", "Aleksandr Lukashenka": the ruler matched the surname only;
            # resolve the full name instead (a different first name is a different person)
            prev = doc[ent.start - 1]
            if out and out[-1].start == prev.idx and out[-1].end == prev.idx + len(prev.text):
                out.pop()  # the model's lone first name joins the surname
            out.append(_Cand(prev.idx, ent.end_char, "PERSON", ""))
            covered.add(ent.start - 1)
            continue
        if kb and ent.label_ in ("GPE", "LOC"):
            head = _org_head_after(doc, ent.end)
            if head is not None:  # "Washington Post", "Moscow State University"
                out.append(_Cand(ent.start_char, doc[head].idx + len(doc[head].text), "ORG", ""))
                covered.update(range(ent.end, head + 1))
                continue
        pieces = [(ent.start_char, ent.end_char)] if kb else _glue_split(text, ent.start_char, ent.end_char)
        if len(pieces) > 1 and " " not in text[ent.start_char:ent.end_char].strip():
            # one glued word splits only after a known name ("UkraineOn", not "QuickTake")
            if gz.lookup(text[pieces[0][0]:pieces[0][1]]) is None:
                pieces = [(ent.start_char, ent.end_char)]
        if len(pieces) == 1 and not kb:
            m = _lower_glue_re().match(text, ent.start_char, ent.end_char)
            if m:  # "Russiatrail of": a known place glued to a lower-case word
                pieces = [(m.start(1), m.end(1))]
        for i, (s, e) in enumerate(pieces):
            label = ent.label_
            if len(pieces) > 1:
                actor = gz.lookup(text[s:e].strip(_TRAIL_PUNCT))
                if actor is not None:
                    label = actor.type
                elif i > 0:  # the rest of a glued span is the next sentence's start
                    continue
            out.append(_Cand(s, e, label, kb))
    # glued known names the model did not tag at all ("UkraineOn", "RussiaThe")
    for i, (word, start) in enumerate(zip(idx.words, idx.starts)):
        if i in covered or not word[:1].isupper() or len(word) < 5:
            continue
        pieces = _glue_split(text, start, start + len(word))
        if len(pieces) < 2:
            continue
        s, e = pieces[0]
        actor = gz.lookup(text[s:e])
        if actor is not None:
            out.append(_Cand(s, e, actor.type, actor.entity_id))
    for c in out:
        c.start, c.end = _trim(text, c.start, c.end, c.label)
        c.surface = text[c.start:c.end]
    out = [part for c in out for part in _split_dashed(text, c)]
    out = [c for c in out if c.end > c.start and not _is_noise(c.surface)]
    out.sort(key=lambda c: (c.start, -c.end))
    return out


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


def _set(c: _Cand, eid: str, canonical: str, resolution: str, label: str | None = None) -> None:
    c.entity_id, c.canonical, c.resolution = eid, canonical, resolution
    if label:
        c.label = label


def _resolve_exact(c: _Cand) -> bool:
    if c.kb_id and gz.get(c.kb_id):
        a = gz.get(c.kb_id)
        how = "gazetteer" if gz.key(c.surface) == gz.key(a.canonical_name) else "alias"
        _set(c, a.entity_id, a.canonical_name, how, a.type)
        return True
    ids = gz.alias_index().get(gz.key(c.surface))
    if ids and len(ids) == 1:
        a = gz.get(next(iter(ids)))
        how = "gazetteer" if gz.key(c.surface) == gz.key(a.canonical_name) else "alias"
        _set(c, a.entity_id, a.canonical_name, how, a.type)
        return True
    return False


def _looks_like_name(surface: str) -> bool:
    words = surface.split()
    return 1 <= len(words) <= 4 and all(_NAME_TOKEN.match(w) or w.lower() in ("von", "der", "de", "le", "la", "van") for w in words)


def _resolve_doc(cands: list[_Cand]) -> None:
    """Resolve every candidate of one document in place (see the module docstring)."""
    single: list[_Cand] = []
    people: list[_Person] = []  # full names of this document (and their spellings)
    firsts = _gazetteer_first_names() | {
        c.surface.split()[0] for c in cands if c.label == "PERSON" and len(c.surface.split()) >= 2
    }
    spin_names = _rules()["spin_names"]
    for c in cands:
        if _resolve_exact(c):
            if c.label == "PERSON" and len(c.surface.split()) >= 2:
                people.append(_Person(c.entity_id, c.canonical, _first(c.surface), _surname(c.surface)))
            continue
        words = c.surface.split()
        if (
            c.label != "PERSON" and 2 <= len(words) <= 3 and words[0] in firsts
            and _looks_like_name(c.surface) and words[-1] not in _rules()["org_heads"]
        ):
            c.label = "PERSON"  # the model calls "Olena Zelenska" an ORG
        if c.label == "PERSON" and _looks_like_name(c.surface) and len(words) >= 2:
            first, sur = _first(c.surface), _surname(c.surface)
            hit = _best(first, sur, _gazetteer_people()) or _best(first, sur, people)
            if hit is not None:
                same_name = gz.key(hit.canonical) == gz.key(c.surface)
                how = ("model" if gz.get(hit.entity_id) is None else "gazetteer") if same_name else "fuzzy"
                _set(c, hit.entity_id, hit.canonical, how, "PERSON")
            elif words[-1] in spin_names:
                # a spun surname that is an English word ("Matthew Likelihood" for Matthew Chance)
                canonical = " ".join(words[:-1] + [spin_names[words[-1]]])
                _set(c, gz.make_id(canonical, "PERSON"), canonical, "fuzzy")
            else:
                canonical = " ".join(words)
                _set(c, gz.make_id(canonical, "PERSON"), canonical, "model")
            people.append(_Person(c.entity_id, c.canonical, first, sur))
            continue
        single.append(c)

    doc_people = people
    for c in single:
        surface = c.surface
        is_name = _looks_like_name(surface) and len(surface.split()) == 1
        if is_name:
            # surname of a full name in this document
            same = {p.entity_id: p for p in doc_people if gz.key(p.surname) == gz.key(surface)}
            if len(same) == 1:
                p = next(iter(same.values()))
                _set(c, p.entity_id, p.canonical, "document", "PERSON")
                continue
            if len(same) > 1:  # two Johnsons: leave the bare surname unlinked
                _set(c, gz.make_id(surface, "PERSON"), surface, "model", "PERSON")
                continue
            if c.label == "PERSON":
                a = gz.lookup(surface)
                if a is not None and a.type == "PERSON":
                    _set(c, a.entity_id, a.canonical_name, "alias", "PERSON")
                    continue
                hit = _best(None, surface, [p for p in doc_people if p.entity_id.startswith("person:")])
                if hit is None:
                    hit = _bare_surname_in_gazetteer(surface)
                if hit is not None:
                    _set(c, hit.entity_id, hit.canonical, "fuzzy", "PERSON")
                    continue
            else:
                # the model mislabels spun surnames as places or organisations: accept
                # only a close spelling of a person the document names in full
                hit = _best(None, surface, [p for p in doc_people if p.entity_id.startswith("person:")], min_score=95)
                if hit is not None:
                    _set(c, hit.entity_id, hit.canonical, "fuzzy", "PERSON")
                    continue
        # spun institution names ("White Area", "The Protection Division")
        unspun = _unspin(surface)
        if unspun:
            ids = gz.alias_index().get(gz.key(unspun))
            if ids and len(ids) == 1:
                a = gz.get(next(iter(ids)))
                _set(c, a.entity_id, a.canonical_name, "fuzzy", a.type)
                continue
        canonical = " ".join(surface.split())
        _set(c, gz.make_id(canonical, c.label), canonical, "model")


def _surname_echoes(doc: Doc, kept: list[_Cand]) -> list[_Cand]:
    """Bare surnames of the document's full-named people that the model did not tag.

    The small model misses a surname at the start of a sentence ("Peskow spoke ...");
    a capitalised token equal to the surname of exactly one full name of the document
    is a mention of that person, unless its lower-case form is an ordinary word of the
    document ("Price", "Chance").
    """
    surnames: dict[str, set[tuple[str, str]]] = defaultdict(set)
    firsts: dict[str, set[str]] = defaultdict(set)
    for c in kept:
        if c.label == "PERSON" and c.entity_id.startswith("person:") and len(c.surface.split()) >= 2:
            surnames[_surname(c.surface)].add((c.entity_id, c.canonical))
            firsts[c.entity_id].add(c.surface.split()[0])
    if not surnames:
        return []
    idx = doc_index(doc)
    text, words, starts = idx.text, idx.words, idx.starts
    taken = [False] * (len(text) + 1)
    for c in kept:
        for i in range(c.start, c.end):
            taken[i] = True
    lower_words = {w.lower() for w in words if w.islower()}
    out = []
    for i, word in enumerate(words):
        ids = surnames.get(word)
        if not ids or len(ids) != 1 or taken[starts[i]] or word.lower() in lower_words or len(word) < 3:
            continue
        eid, canonical = next(iter(ids))
        start = starts[i]
        end = start + len(word)
        prev = doc[i - 1] if i else None
        if prev is not None and prev.text in firsts[eid] and not prev.whitespace_.count("\n") and not taken[prev.idx]:
            start = prev.idx  # the full name, untagged ("Efi Koutsokosta:" as a transcript label)
        c = _Cand(start, end, "PERSON", "", text[start:end])
        _set(c, eid, canonical, "document")
        out.append(c)
    return out


def doc_mentions(doc: Doc, *, doc_id: str) -> Iterator[Mention]:
    """Yield every entity mention of ``doc`` with its resolved ``entity_id``.

    Offsets point into ``doc.text`` and cover the name only (titles, possessive
    ``'s`` and glued words trimmed off).
    """
    idx = doc_index(doc)
    cands = _candidates(doc)
    # drop overlaps (a glued-token candidate inside a model entity): keep the first, longest
    kept: list[_Cand] = []
    last_end = -1
    for c in cands:
        if c.start < last_end:
            continue
        kept.append(c)
        last_end = c.end
    _resolve_doc(kept)
    kept = sorted(kept + _surname_echoes(doc, kept), key=lambda c: c.start)
    for c in kept:
        yield Mention(
            doc_id=doc_id,
            sent_id=idx.sent_id(c.start),
            paragraph_id=idx.paragraph_id(c.start),
            start_char=c.start,
            end_char=c.end,
            surface=c.surface,
            label=c.label,
            entity_id=c.entity_id,
            canonical_name=c.canonical,
            resolution=c.resolution,
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
    name = strip_titles(name.lstrip(_LEAD_PUNCT + "'’"))
    if not re.search(r"[A-Z]\.$", name):
        name = name.rstrip(_TRAIL_PUNCT)
    if len(name) > 3 and re.search(r"['’]s?$", name):
        name = re.sub(r"['’]s?$", "", name)
    if not name:
        return None
    ids = gz.alias_index().get(gz.key(name))
    if ids and len(ids) == 1:
        a = gz.get(next(iter(ids)))
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


# ---------------------------------------------------------------- corpus-wide
def _id_name(eid: str) -> str:
    return eid.split(":", 1)[1] if ":" in eid else eid


def _tally(table: dict, key, size: int, first: int) -> None:
    """Add ``size`` rows of ``key`` whose first row is ``first`` (count summed, first row kept lowest)."""
    cur = table.get(key)
    if cur is None:
        table[key] = [size, first]
    else:
        cur[0] += size
        cur[1] = min(cur[1], first)


class MentionStats:
    """Per-entity aggregates of mention rows, added a set of documents at a time.

    What the corpus-wide id merge (`corpus_id_map`) and the `entities` table need
    from the mentions, without holding the mentions: per entity its mention count,
    the documents it occurs in (integer pairs), and for each value of
    ``canonical_name``, ``label`` and ``surface`` its count and first row, so the
    most frequent value (ties: the first seen) is the one all rows at once give.
    The build adds the mentions part by part and so never holds them all (at
    10,000 articles: 290,000 rows, 39 MB as a DataFrame, against about 2 MB here).
    """

    VALUES = ("canonical_name", "label", "surface")

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}  # entity_id -> code, in order of first appearance
        self._docs: dict[str, int] = {}
        self._n = np.zeros(0, dtype=np.int64)
        self._pairs: list[np.ndarray] = []  # entity code << 32 | document code, distinct
        self._values: dict[str, dict[tuple[int, object], list[int]]] = {c: {} for c in self.VALUES}
        self._rows = 0

    @classmethod
    def of(cls, mentions: pd.DataFrame) -> "MentionStats":
        stats = cls()
        stats.add(mentions)
        return stats

    def add(self, mentions: pd.DataFrame) -> None:
        """Add the mentions of documents not added before, in corpus order."""
        if mentions is None or not len(mentions):
            return
        codes, uniq = pd.factorize(mentions["entity_id"], use_na_sentinel=False)
        e = np.array([self.ids.setdefault(u, len(self.ids)) for u in uniq], dtype=np.int64)[codes]
        dcodes, duniq = pd.factorize(mentions["doc_id"], use_na_sentinel=False)
        d = np.array([self._docs.setdefault(u, len(self._docs)) for u in duniq], dtype=np.int64)[dcodes]
        n = np.bincount(e, minlength=len(self.ids))
        n[: len(self._n)] += self._n
        self._n = n
        self._pairs.append(np.unique((e << 32) | d))
        rows = np.arange(self._rows, self._rows + len(e))
        for col in self.VALUES:
            v = mentions[col].astype(object)
            v = v.where(v.notna(), None).to_numpy()
            agg = pd.DataFrame({"e": e, "v": v, "p": rows}).groupby(["e", "v"], sort=False, dropna=False)["p"].agg(["size", "min"])
            for key, size, lo in zip(agg.index, agg["size"].tolist(), agg["min"].tolist()):
                _tally(self._values[col], key, size, lo)
        self._rows += len(e)

    def merged(self, id_map: dict[str, str]) -> "MentionStats":
        """The same aggregates after replacing ids by `id_map` (counts summed, documents united)."""
        out = MentionStats()
        out._docs, out._rows = self._docs, self._rows
        for eid in self.ids:
            out.ids.setdefault(id_map.get(eid, eid), len(out.ids))
        to = np.array([out.ids[id_map.get(eid, eid)] for eid in self.ids], dtype=np.int64)
        out._n = np.bincount(to, weights=self._n, minlength=len(out.ids)).astype(np.int64) if len(to) else out._n
        pairs = self._doc_pairs()
        out._pairs = [np.unique((to[pairs >> 32] << 32) | (pairs & 0xFFFFFFFF))] if len(pairs) else []
        for col in self.VALUES:
            for (code, v), (size, lo) in self._values[col].items():
                _tally(out._values[col], (int(to[code]), v), size, lo)
        return out

    def _doc_pairs(self) -> np.ndarray:
        if len(self._pairs) > 1:
            self._pairs = [np.concatenate(self._pairs)]  # documents never repeat across adds: still distinct
        return self._pairs[0] if self._pairs else np.zeros(0, dtype=np.int64)

    def counts(self) -> dict[str, int]:
        """entity_id -> mentions."""
        return dict(zip(self.ids, self._n.tolist()))

    def n_docs(self) -> dict[str, int]:
        """entity_id -> documents it is mentioned in."""
        per = np.bincount(self._doc_pairs() >> 32, minlength=len(self.ids))
        return dict(zip(self.ids, per.tolist()))

    def docs_of(self, ids: Iterable[str]) -> dict[str, set[int]]:
        """entity_id -> codes of the documents it occurs in, for ``ids``."""
        want = {self.ids[e]: e for e in ids if e in self.ids}
        out: dict[str, set[int]] = {e: set() for e in want.values()}
        pairs = self._doc_pairs()
        codes = pairs >> 32
        keep = np.isin(codes, np.fromiter(want, dtype=np.int64, count=len(want)))
        for c, d in zip(codes[keep].tolist(), (pairs[keep] & 0xFFFFFFFF).tolist()):
            out[want[c]].add(d)
        return out

    def modes(self, col: str) -> dict[str, object]:
        """entity_id -> its most frequent ``col`` value (ties: the value seen first)."""
        best: dict[int, tuple[int, int, object]] = {}
        for (code, v), (size, lo) in self._values[col].items():
            cur = best.get(code)
            if cur is None or (size, -lo) > (cur[0], -cur[1]):
                best[code] = (size, lo, v)
        names = list(self.ids)
        return {names[c]: v for c, (_s, _l, v) in best.items()}

    def values(self, col: str) -> dict[str, list]:
        """entity_id -> its distinct ``col`` values."""
        names = list(self.ids)
        out: dict[str, list] = defaultdict(list)
        for code, v in self._values[col]:
            out[names[code]].append(v)
        return out


def corpus_id_map(mentions: "pd.DataFrame | MentionStats") -> dict[str, str]:
    """Cross-document merges of non-gazetteer ids (old id -> kept id).

    Two guarded rules, never touching gazetteer ids and never merging two ids
    that both occur in one document (the per-document resolution kept them apart):

    - the same name under different labels (``gpe:michael_conte`` vs
      ``person:michael_conte``) -> the most frequent label's id;
    - a PERSON name that spells exactly one other, more frequent PERSON name of the
      corpus (compatible first names, same surname skeleton): ``person:michael_mccal``
      -> ``person:michael_mccall``; a bare surname -> the one full name with that surname.
    """
    stats = mentions if isinstance(mentions, MentionStats) else MentionStats.of(mentions)
    # one gazetteer look-up per distinct id, not per row (rows are hundreds of thousands at scale)
    everything = stats.counts()
    counts = {e: n for e, n in sorted(everything.items(), key=lambda kv: -kv[1]) if gz.get(e) is None}
    if not counts:
        return {}
    docs_of = stats.docs_of(counts)
    names = stats.modes("canonical_name")
    id_map: dict[str, str] = {}

    # 1. same slug, different label prefix
    by_slug: dict[str, list[str]] = {}
    for eid in counts:
        by_slug.setdefault(_id_name(eid), []).append(eid)
    for slug, ids in by_slug.items():
        if len(ids) < 2:
            continue
        gaz = [a.entity_id for a in gz.load_actors().values() if _id_name(a.entity_id) == slug]
        target = gaz[0] if len(gaz) == 1 else max(ids, key=lambda e: (e.startswith("person:"), counts[e], e))
        for eid in ids:
            if eid != target and not (docs_of[eid] & docs_of.get(target, set())):
                id_map[eid] = target

    # 2. spellings of one person across documents (blocked by surname, so it scales)
    persons = [e for e in counts if e.startswith("person:") and e not in id_map]
    full = [e for e in persons if len(names[e].split()) >= 2]
    by_surname: dict[str, list[str]] = defaultdict(list)
    by_skeleton: dict[str, list[str]] = defaultdict(list)
    for o in full:
        sur = _surname(names[o])
        by_surname[gz.key(sur)].append(o)
        by_skeleton[skeleton(sur)].append(o)
    surname_keys = list(by_surname)
    for eid in persons:
        name = names[eid]
        first, sur = _first(name), _surname(name)
        if first is None:
            same = by_surname.get(gz.key(sur), [])
            ok = [o for o in same if o != eid and (counts[o], eid) > (counts[eid], o) and not (docs_of[o] & docs_of[eid])]
            if len(same) == 1 and len(ok) == 1:
                id_map[eid] = ok[0]
            continue
        near = set(by_skeleton.get(skeleton(sur), ()))
        for k, _score, _i in process.extract(gz.key(sur), surname_keys, scorer=fuzz.ratio, score_cutoff=90, limit=None):
            near.update(by_surname[k])
        pool = [
            _Person(o, names[o], _first(names[o]), _surname(names[o]))
            for o in near
            if o != eid and (counts[o], eid) > (counts[eid], o) and not (docs_of[o] & docs_of[eid])
        ]
        hit = _best(first, sur, pool)
        if hit is not None and gz.key(hit.canonical) != gz.key(name):
            id_map[eid] = hit.entity_id
    # follow chains (a -> b -> c)
    for k in list(id_map):
        seen = {k}
        while id_map[k] in id_map and id_map[k] not in seen:
            seen.add(id_map[k])
            id_map[k] = id_map[id_map[k]]
    return {k: v for k, v in id_map.items() if k != v}


def entities_frame(mentions: "pd.DataFrame | MentionStats") -> pd.DataFrame:
    """One row per canonical entity, with counts, affiliation, aliases and Wikidata id.

    Type and canonical name come from the gazetteer when the id is in it; otherwise
    the most frequent label and surface of the entity's mentions.
    """
    stats = mentions if isinstance(mentions, MentionStats) else MentionStats.of(mentions)
    if not stats.ids:
        return to_frame("entities", [])
    n_mentions, n_docs = stats.counts(), stats.n_docs()
    surfaces_of = stats.values("surface")
    canonical_of = stats.modes("canonical_name")
    label_of = stats.modes("label")
    rows = []
    for eid in sorted(stats.ids):
        n, nd = n_mentions[eid], n_docs[eid]
        a = gz.get(eid)
        # (lower, exact) so the order never depends on set iteration (hash seeds differ per process)
        surfaces = sorted({str(x) for x in surfaces_of[eid]}, key=lambda x: (x.lower(), x))
        if a is not None:
            aliases = sorted((set(surfaces) | set(a.aliases)) - {a.canonical_name}, key=lambda x: (x.lower(), x))
            rows.append(Entity(eid, a.canonical_name, a.type, a.affiliation, "; ".join(aliases), a.wikidata_id, int(n), int(nd)))
        else:
            canonical = canonical_of[eid]
            label = eid.split(":", 1)[0].upper() if ":" in eid else label_of[eid]
            aliases = [x for x in surfaces if x != canonical]
            rows.append(Entity(eid, canonical, label, None, "; ".join(aliases), None, int(n), int(nd)))
    return to_frame("entities", rows)
