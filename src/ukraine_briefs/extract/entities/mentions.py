"""Entity mentions of one parsed Doc, each resolved to a canonical actor: `doc_mentions`.

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

A surname shared by two full names of a document stays unresolved (two Johnsons are not one).
"""
from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterator

from spacy.tokens import Doc

from ukraine_briefs.extract import gazetteer as gz
from ukraine_briefs.extract.entities.repair import dateline_spans, is_credit, leading_cut, mistype
from ukraine_briefs.extract.entities.foreign import find_names
from ukraine_briefs.extract.entities.inflection import (
    case_form_person,
    clearly_inflected,
    given_name,
    given_name_keys,
    nominatives,
    script_of,
)
from ukraine_briefs.extract.entities.names import (
    _GLUE,
    _POSSESSIVE,
    _PUNCT,
    _Person,
    _bare_surname_in_gazetteer,
    _best,
    _first,
    _gazetteer_first_names,
    _gazetteer_people,
    _looks_like_name,
    _rules,
    _surname,
    _unspin,
    strip_titles,
)
from ukraine_briefs.extract.nlp import doc_index
from ukraine_briefs.ingest.language import detect
from ukraine_briefs.types import Mention


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
    lookup: str = ""  # the name in the nominative when it differs from the surface (Дмитрием Кулебой)
    weak: bool = False  # a lone capitalised word of a non-English text: kept only when it resolves


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
    while start < end and text[start] in _PUNCT:
        start += 1
    while end > start and text[end - 1] in _PUNCT:
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
    while end > start and text[end - 1] in _PUNCT:
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


def _foreign_candidates(doc: Doc, language: str) -> list[_Cand]:
    """Gazetteer (ruler) matches plus the capitalised names of a non-English document (`foreign`)."""
    out, covered = [], set()
    for ent in doc.ents:
        if ent.ent_id_ and ent.label_ in _rules()["labels"]:
            prev = doc[ent.start - 1] if ent.start else None
            first = given_name(prev.text, script_of(prev.text, language)) if prev is not None and prev.is_title else None
            if ent.label_ == "PERSON" and len(ent) == 1 and first and not prev.whitespace_.count("\n"):
                # "Aleksander Łukaszenko": the ruler matched the surname; resolve the full name
                c = _Cand(prev.idx, ent.end_char, "PERSON", "")
                c.lookup = f"{first} {ent.text}" if first != prev.text else ""
                out.append(c)
                covered.update(range(ent.start - 1, ent.end))
                continue
            out.append(_Cand(ent.start_char, ent.end_char, ent.label_, ent.ent_id_))
            covered.update(range(ent.start, ent.end))
    for f in find_names(doc, language, covered):
        c = _Cand(f.start, f.end, "PERSON", "", weak=not f.has_given)
        c.lookup = f.nominative if f.nominative != doc.text[f.start:f.end] else ""
        out.append(c)
    return out


def _candidates(doc: Doc, language: str = "en") -> list[_Cand]:
    rules = _rules()
    idx = doc_index(doc)
    text = idx.text
    out: list[_Cand] = []
    covered = set()
    for ent in doc.ents if language in ("en", "und") else ():
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
                actor = gz.lookup(text[s:e].strip(_PUNCT))
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
    if language not in ("en", "und"):
        out = _foreign_candidates(doc, language)
    datelines = dateline_spans(text)
    for c in out:
        if not c.lookup:
            c.start, c.end = _trim(text, c.start, c.end, c.label)
        if not c.kb_id:
            c.start += leading_cut(text[c.start:c.end], c.label)
            words = text[c.start:c.end].split(" ")
            if len(words) >= 2 and words[1][:1].islower() and clearly_inflected(words[0]) and not c.lookup:
                c.end = c.start + len(words[0])  # "Putinem in Izium": a case form, then the sentence
        for ds, de in datelines:  # "MINSK, BelTA - Dmytro Kuleba": the name after the dateline
            if ds <= c.start < de < c.end and not c.kb_id:
                c.start = de
        c.surface = text[c.start:c.end]
    out = [part for c in out for part in _split_dashed(text, c)]
    person_words = {w for e in doc.ents if e.label_ == "PERSON" for w in e.text.split()}
    out = [part for c in out for part in _split_conjoined(c, person_words)]
    out = [c for c in out if c.end > c.start and not _is_noise(c.surface) and _not_junk(c, text, datelines)]
    out.sort(key=lambda c: (c.start, -c.end))
    return out


_CONJUNCTION = re.compile(r" (?:and|or|i|oraz|и|і|та|й) ")


def _split_conjoined(c: _Cand, person_words: set[str]) -> list[_Cand]:
    """``Xi and Fiodorow``, ``Kim i Synjehubow``: two names the model joined into one span.

    Split only when every side looks like a name and one is known (a gazetteer name or
    a word of another PERSON span of the document), so ``Bosnia and Herzegovina`` stays.
    """
    if c.kb_id or c.lookup or not _CONJUNCTION.search(c.surface) or gz.by_alias(c.surface):
        return [c]
    parts, pos = [], 0
    for m in [*_CONJUNCTION.finditer(c.surface), None]:
        end = m.start() if m else len(c.surface)
        parts.append((pos, end))
        pos = m.end() if m else pos
    names = [c.surface[a:b] for a, b in parts]
    if not all(_looks_like_name(n) for n in names):
        return [c]
    if not any(gz.lookup(n) or any(w in person_words for w in n.split()) for n in names):
        return [c]
    out = []
    for (a, b), n in zip(parts, names):
        actor = gz.lookup(n)
        out.append(_Cand(c.start + a, c.start + b, actor.type if actor else c.label, "", n))
    return out


def _one_id_per_person(cands: list[_Cand], language: str) -> None:
    """A lone word left unlinked joins the one person of the document it is a case form of.

    ``Konaszenkowa`` (typed NORP) after ``Konaszenkow``, ``Kyrylenki`` after ``Kyrylenko``:
    compared with the document's PERSON mentions (bare or full, by surname and given name).
    """
    persons: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for c in cands:
        if c.label == "PERSON" and c.entity_id.startswith("person:"):
            words = c.surface.split()
            for w in {words[0], words[-1], *c.canonical.split()[-1:]}:
                persons[gz.key(w)].add((c.entity_id, c.canonical))
    for c in cands:
        if c.resolution != "model" or " " in c.surface.strip() or not _looks_like_name(c.surface):
            continue
        script = script_of(c.surface, language) or ("polish" if language in ("en", "und") else None)
        place = c.label in ("GPE", "LOC", "FAC") and (gz.lookup(c.surface) is not None or mistype(c.surface) is not None)
        if script is None or place:
            continue
        for f in nominatives(c.surface, script):
            ids = persons.get(gz.key(f), set()) - {(c.entity_id, c.canonical)}
            if len(ids) == 1:
                eid, canonical = next(iter(ids))
                _set(c, eid, canonical, "document", "PERSON")
                break


def _not_junk(c: _Cand, text: str, datelines: list[tuple[int, int]]) -> bool:
    """Drop credits, dateline agencies and mis-typed names; retype the rest (`repair`).

    The gazetteer's type wins (ruler matches and listed aliases); then the data
    file's ``mistypes`` (Twitter ORG, Patriot PRODUCT, Melitopol GPE); a type that is
    not a kept label (PRODUCT) drops the mention.
    """
    a = (gz.get(c.kb_id) if c.kb_id else None) or gz.by_alias(c.surface)
    if a is not None:
        c.label = a.type
        return True
    if is_credit(text, c.start, c.end):
        return False
    if any(ds <= c.start and c.end <= de for ds, de in datelines):
        return False
    t = mistype(c.surface)
    if t is not None:
        if t not in _rules()["labels"]:
            return False
        c.label, c.weak = t, False
    return True


def _set(c: _Cand, eid: str, canonical: str, resolution: str, label: str | None = None) -> None:
    c.entity_id, c.canonical, c.resolution = eid, canonical, resolution
    if label:
        c.label = label


def _resolve_exact(c: _Cand) -> bool:
    a = (gz.get(c.kb_id) if c.kb_id else None) or gz.by_alias(c.surface)
    if a is None:
        return False
    how = "gazetteer" if gz.key(c.surface) == gz.key(a.canonical_name) else "alias"
    _set(c, a.entity_id, a.canonical_name, how, a.type)
    return True


def _resolve_doc(cands: list[_Cand], language: str = "en") -> None:
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
            c.label != "PERSON" and 2 <= len(words) <= 3 and (words[0] in firsts or gz.key(words[0]) in given_name_keys())
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

    doc_persons = [p for p in people if p.entity_id.startswith("person:")]
    for c in single:
        surface = c.surface
        is_name = _looks_like_name(surface) and len(surface.split()) == 1
        if is_name:
            # surname of a full name in this document
            same = {p.entity_id: p for p in people if gz.key(p.surname) == gz.key(surface)}
            if len(same) == 1:
                p = next(iter(same.values()))
                _set(c, p.entity_id, p.canonical, "document", "PERSON")
                continue
            if len(same) > 1:  # two Johnsons: leave the bare surname unlinked
                _set(c, gz.make_id(surface, "PERSON"), surface, "model", "PERSON")
                continue
            hit = case_form_person(surface, c.label, people, language)
            if hit is not None:
                _set(c, hit[0], hit[1], hit[2], hit[3])
                continue
            if c.label == "PERSON":
                a = gz.lookup(surface)
                if a is not None and a.type == "PERSON":
                    _set(c, a.entity_id, a.canonical_name, "alias", "PERSON")
                    continue
                hit = _best(None, surface, doc_persons)
                if hit is None:
                    hit = _bare_surname_in_gazetteer(surface)
                if hit is not None:
                    _set(c, hit.entity_id, hit.canonical, "fuzzy", "PERSON")
                    continue
            else:
                # the model mislabels spun surnames as places or organisations: accept
                # only a close spelling of a person the document names in full
                hit = _best(None, surface, doc_persons, min_score=95)
                if hit is not None:
                    _set(c, hit.entity_id, hit.canonical, "fuzzy", "PERSON")
                    continue
        # spun institution names ("White Area", "The Protection Division")
        unspun = _unspin(surface)
        a = gz.by_alias(unspun) if unspun else None
        if a is not None:
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
    language = detect(doc.text)
    cands = _candidates(doc, language)
    # drop overlaps (a glued-token candidate inside a model entity): keep the first, longest
    kept: list[_Cand] = []
    last_end = -1
    for c in cands:
        if c.start < last_end:
            continue
        kept.append(c)
        last_end = c.end
    for c in kept:  # resolve the nominative (Дмитрий Кулеба); the surface stays as written
        c.surface = c.lookup or c.surface
    _resolve_doc(kept, language)
    for c in kept:
        c.surface = idx.text[c.start:c.end]
    _one_id_per_person(kept, language)
    kept = [c for c in kept if not (c.weak and c.resolution == "model")]
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
