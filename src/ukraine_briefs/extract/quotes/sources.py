"""Source type and affiliation of a quote's speaker: what kind of voice it is, and for whom it speaks.

``source_type`` is ``person`` (a named person), ``anonymous`` (a description
naming nobody: "a senior US official", "diplomats"), ``organisation`` (a body
speaking as one: "the Kremlin", "the Russian foreign ministry") or ``document``
(a text: "a statement from the State Department"; its issuer, when found, is
the speaker's name). ``speaker_affiliation`` is the state or bloc: the
gazetteer's for a linked actor, else the first country or bloc word of the
description ("a Ukrainian defence official" -> Ukraine), never one after
"familiar with" / "on" ("an official briefed on Russia's plans" has none).
Words are data (``data/quote_sources.v1.yaml``).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ukraine_briefs import lexicons
from ukraine_briefs.extract import gazetteer

SOURCES_FILE = "quote_sources.v1.yaml"
_WORD = re.compile(r"[A-Za-z][A-Za-z.'’-]*|\d+")
# words after which a description's head has been said: "the spokesman of the ministry"
_HEAD_END = frozenset("of at from in for to with who which that familiar close on by briefed speaking involved , ( —".split())


@dataclass(frozen=True)
class _SourceWords:
    anonymous: frozenset
    institutions: frozenset
    documents: frozenset
    persons: frozenset  # heads naming one person by what they do: host, businessman, front-runner
    affiliations: dict  # lower-case word or two-word phrase -> state or bloc
    stops: frozenset
    turn_labels: frozenset  # transcript labels naming no one: "Q", "Interviewer"
    family: dict  # family word -> "he"/"she"/None: "son" -> he
    question_verbs: frozenset  # "asked Sanders whether ...": the object answers


@functools.lru_cache(maxsize=1)
def source_words() -> _SourceWords:
    cfg = lexicons.load(SOURCES_FILE)
    low = lambda key: frozenset(str(w).lower() for w in cfg.get(key, []))  # noqa: E731
    return _SourceWords(
        anonymous=low("anonymous_heads"),
        institutions=low("institution_heads"),
        documents=low("document_heads"),
        persons=low("person_heads"),
        affiliations={str(k).lower().rstrip("."): str(v) for k, v in cfg["affiliation_words"].items()},
        stops=low("affiliation_stops"),
        turn_labels=low("anonymous_turn_labels"),
        family={str(k).lower(): (str(v) if v else None) for k, v in (cfg.get("family_words") or {}).items()},
        question_verbs=low("question_verbs"),
    )


def _words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text or "")]


@functools.lru_cache(maxsize=8192)
def description_head(text: str) -> str | None:
    """The head word of a description: "a statement from the State Department" -> statement."""
    words = []
    for w in _words(text):
        if w in _HEAD_END and words:
            break
        words.append(w)
    while words and words[-1] in ("said", "says", "told"):
        words.pop()
    return re.sub(r"'s?$", "", words[-1]) if words else None


@functools.lru_cache(maxsize=8192)
def text_affiliation(text: str | None) -> str | None:
    """The first country or bloc word of a description, before any word saying it is a topic."""
    sw = source_words()
    ws = [re.sub(r"'s?$", "", w).rstrip(".") for w in _words(text or "")]
    for k, w in enumerate(ws):
        if w in sw.stops:
            return None
        two = f"{w} {ws[k + 1]}" if k + 1 < len(ws) else ""
        if two in sw.affiliations:
            return sw.affiliations[two]
        if w in sw.affiliations:
            return sw.affiliations[w]
    return None


@functools.lru_cache(maxsize=8192)
def kind_of_description(text: str | None) -> str | None:
    """anonymous / organisation / document for a description by its head word, else None."""
    sw = source_words()
    head = description_head(text or "")
    if head is None:
        return None
    if head in sw.documents:
        return "document"
    if head in sw.institutions:
        return "organisation"
    if head in sw.anonymous:
        return "anonymous"
    return None


@functools.lru_cache(maxsize=1)
def _given_names() -> frozenset:
    cfg = lexicons.load("given_names.v1.yaml")
    return frozenset(str(w).lower() for key in ("female", "male") for w in cfg.get(key, []))


def _given_name_first(name: str) -> bool:
    """Does a two- or three-word name open on a given name ("Leila Farahani", not "Violet Group")?"""
    words = name.split()
    return 2 <= len(words) <= 3 and words[0].lower() in _given_names() and all(w[:1].isupper() for w in words)


def entity_known(entity_id: str | None) -> bool:
    """Is the entity a gazetteer actor (whose type is known, whatever the model said)?"""
    return bool(entity_id) and gazetteer.get(entity_id) is not None


def source_of(surface: str | None, entity_id: str | None, name: str | None, label: str | None,
              attribution: str) -> tuple[str | None, str | None]:
    """(source_type, speaker_affiliation) of an attributed speaker; (None, None) when unattributed."""
    if attribution == "unresolved" or (not surface and not name):
        return None, None
    desc = kind_of_description(surface)
    gz_aff = gazetteer.affiliation(entity_id, name, label) if (entity_id or name) else None
    aff = gz_aff or text_affiliation(surface) or (text_affiliation(name) if label != "PERSON" else None)
    if attribution == "document" or desc == "document":
        return "document", aff
    if label == "PERSON" or (entity_id or "").startswith("person:"):
        return "person", aff
    if name is not None and label in ("ORG", "GPE", "NORP", "FAC"):
        if label == "ORG" and not entity_known(entity_id) and _given_name_first(name):
            return "person", aff  # "Leila Farahani" typed ORG by the entity model: a given name says person
        return "organisation", aff
    if desc is not None:
        return desc, aff
    if attribution == "transcript" and name is None and \
            " ".join(_words(surface)) in source_words().turn_labels:
        return "anonymous", aff  # "Q: Will you attend?": the interviewer, unnamed
    if name is not None or attribution == "transcript":
        return "person", aff
    words = (surface or "").split()
    if any(w[:1].isupper() for w in words[1:]) or (words and words[0][:1].isupper()
                                                   and words[0].lower() not in ("the", "a", "an")):
        return "person", aff  # a name the entity stage did not link
    return "anonymous", aff
