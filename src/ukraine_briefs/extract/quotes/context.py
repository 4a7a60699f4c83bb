"""What every quote step shares: the cue lexicon, the quote records and the per-document context.

Cue verbs, pronouns, descriptions, role synonyms, first names and institution
words are data (``data/quote_cues.v1.yaml``), read once into `_Lexicon`. Every
step looks only at the quote's paragraph and a few before it (`_back`,
`_mentions_between`), so the cost is linear in the document.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field

from spacy.tokens import Doc

from ukraine_briefs import lexicons
from ukraine_briefs.extract.nlp import DocIndex
from ukraine_briefs.types import Mention

CUES_FILE = "quote_cues.v1.yaml"
SPEAKER_LABELS = ("PERSON", "ORG", "GPE", "NORP")
WORD_RE = re.compile(r"[A-Za-z0-9’']+")


# --------------------------------------------------------------------------- lexicon

@dataclass(frozen=True)
class _Lexicon:
    cue_forms: dict  # surface form -> cue lemma
    cue_phrases: tuple  # ((word, ...), lemma), longest first
    verb_only: dict  # surface form -> cue lemma, a cue only as a verb with a subject ("the document states")
    between: frozenset
    pronouns: frozenset
    anonymous: frozenset
    roles: frozenset
    institutions: frozenset
    documents: frozenset
    honorifics: frozenset
    abbreviations: tuple
    generic_labels: frozenset
    role_synonyms: dict  # role word -> tuple of words/phrases that also show it
    role_aliases: dict
    echo_nouns: frozenset
    control_verbs: frozenset  # "led Walsh to say": the object speaks
    speech_nouns: frozenset  # echo nouns plus nouns of speech ("his call for “...”", "her answer was that “...”")
    anaphors: frozenset
    answer_labels: frozenset
    female: frozenset
    male: frozenset
    female_endings: tuple
    nationalities: dict
    furniture: frozenset  # page labels that are never speakers ("WATCH", "READ MORE")


@functools.lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    cfg = lexicons.load(CUES_FILE)
    forms = {}
    for lemma, surfaces in cfg["cue_verbs"].items():
        for s in surfaces:
            forms.setdefault(str(s).lower(), lemma)
    phrases = []
    for lemma, items in cfg["cue_phrases"].items():
        for p in items:
            phrases.append((tuple(str(p).lower().split()), lemma))
    phrases.sort(key=lambda x: -len(x[0]))
    low = lambda key: frozenset(str(w).lower() for w in cfg.get(key, []))  # noqa: E731
    return _Lexicon(
        cue_forms=forms,
        cue_phrases=tuple(phrases),
        verb_only={str(f).lower(): lemma for lemma, fs in (cfg.get("verb_only_cues") or {}).items() for f in fs},
        between=low("between_words"),
        pronouns=low("person_pronouns"),
        anonymous=low("anonymous_heads"),
        roles=low("role_heads"),
        institutions=low("institution_heads"),
        documents=low("document_heads"),
        honorifics=low("honorifics"),
        abbreviations=tuple(cfg.get("abbreviations", [])),
        generic_labels=low("generic_labels"),
        role_synonyms={str(k).lower(): tuple(str(x).lower() for x in v)
                       for k, v in (cfg.get("role_synonyms") or {}).items()},
        anaphors=low("anaphor_heads"),
        role_aliases={str(k).lower(): str(v).lower() for k, v in (cfg.get("role_holder_aliases") or {}).items()},
        echo_nouns=low("echo_nouns"),
        speech_nouns=low("echo_nouns") | low("speech_nouns"),
        control_verbs=low("object_control_verbs"),
        answer_labels=low("answer_labels"),
        female=low("female_first_names"),
        male=low("male_first_names"),
        female_endings=tuple(str(x).lower() for x in cfg.get("female_surname_endings", [])),
        nationalities={str(k).lower(): str(v).lower() for k, v in (cfg.get("nationality_words") or {}).items()},
        furniture=low("furniture_labels"),
    )


# --------------------------------------------------------------------------- records

@dataclass
class _Speaker:
    surface: str | None
    entity_id: str | None = None
    name: str | None = None
    label: str | None = None  # PERSON / ORG / ... ; None for a description


@dataclass
class _Q:
    start: int
    end: int
    para: int
    origin: str  # mark / transcript / dash
    open_at: int | None = None  # position of the opening mark
    close_at: int | None = None  # position just after the closing mark
    closed: bool = True
    kind: str = "full"
    attribution: str = "unresolved"
    cue: str | None = None
    cue_pos: int | None = None
    cue_i: int | None = None  # token index of the cue word
    speaker: _Speaker | None = None


@dataclass
class _Ctx:
    doc: Doc
    idx: DocIndex
    text: str
    mentions: list
    paras: list  # [(start, end)]
    masked: str = ""  # text with quote interiors blanked, for cue search
    mention_starts: list = field(default_factory=list)  # start_char of each mention, for bisect
    mention_genders: dict | None = None
    intro_end: int | None = None  # start of a transcript's first line (what comes before introduces it)
    label_speakers: dict = field(default_factory=dict)


def _is_furniture(label: str) -> bool:
    """Is ``label`` a page label ("WATCH", "Read more", "Photo") rather than a speaker?"""
    return " ".join(WORD_RE.findall(label.lower())) in _lexicon().furniture


def _clean_name(s: str) -> str:
    lex = _lexicon()
    words = [w for w in s.replace("\n", " ").split() if w.lower() not in lex.honorifics]
    words = [w for w in words if w.lower() not in lex.cue_forms]
    return " ".join(words).strip(" ,.") or s.strip()


def _speaker_from_mention(m: Mention, surface: str) -> _Speaker:
    return _Speaker(surface=surface, entity_id=m.entity_id, name=m.canonical_name, label=m.label)


def _back(ctx: _Ctx, at: int, paragraphs: int = 10) -> int:
    """Offset of the paragraph ``paragraphs`` before the one holding ``at`` (how far rules look back)."""
    return ctx.paras[max(0, ctx.idx.paragraph_id(at) - paragraphs)][0]


def _mentions_between(ctx: _Ctx, lo: int, hi: int) -> list:
    """Mentions lying wholly inside ``[lo, hi)`` (bisect on the sorted starts)."""
    i = bisect.bisect_left(ctx.mention_starts, lo)
    j = bisect.bisect_left(ctx.mention_starts, hi)
    return [m for m in ctx.mentions[i:j] if m.end_char <= hi]
