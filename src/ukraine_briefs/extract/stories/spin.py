"""Evidence that a document is a spun, machine-translated or scraped copy, as a score and a reason.

Each kind of evidence (glued words, known spin substitutions, transliteration
slips, stray capitals, quotes closed with an opening mark, scraper residue...)
comes from `data/spin_markers.v1.yaml`; its weight and cap are there too, so one
noisy kind never flags a document alone. Glued words, quote slips and scraper
residue are looked for in the text as read (cleaning repairs them); the rest in
the cleaned text. The story step adds one more kind: a copy whose sentences
align with an earlier member of its story but with words changed.
"""
from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import regex
from rapidfuzz.distance import Levenshtein

from ukraine_briefs import lexicons
from ukraine_briefs.extract.stories.text import MARKERS
from ukraine_briefs.ingest import clean

# Labels of the kinds in a reason, in the order of the weights table.
LABELS = {
    "glued_word": "glued words",
    "glued_sentence": "glued sentences",
    "substitution": "spin substitutions",
    "transliteration": "transliteration slips",
    "name_variant": "a name spelt two ways",
    "capitalised_function_word": "stray capitals",
    "quote_typed_open": "quotes closed with an opening mark",
    "doubled_word": "doubled words",
    "foreign_editor_note": "editor's note in another language",
    "repost_residue": "scraper residue",
    "reworded_copy": "reworded copy",
}

_CAMEL = regex.compile(r"(?<!\p{L})\p{L}*\p{Ll}\p{Lu}\p{L}*")
_GLUED_SENTENCE = regex.compile(r"\p{Ll}{2}[.!?]\p{Lu}\p{Ll}+")
_OPEN_AS_CLOSE = regex.compile(r"(?<=[\p{L}\p{N}.,!?;…)\]])\s*“[ \t]*$", regex.MULTILINE)
_DOUBLED = regex.compile(r"(?<!\p{L})(\p{Ll}{2,}) \1(?!\p{L})")
_DOUBLED_OK = frozenset({"had", "that", "is", "do"})  # "had had", "that that": grammatical
_LOWER_WORD = regex.compile(r"(?<!\p{L})\p{Ll}+(?!\p{L})")
_NAME = regex.compile(r"(?<!\p{L})\p{Lu}\p{Ll}{4,}(?!\p{L})")


@dataclass(frozen=True)
class Evidence:
    """One sign of copying: its kind (a key of the weights) and what was seen."""

    kind: str
    detail: str


@functools.lru_cache(maxsize=1)
def _markers() -> dict:
    data = lexicons.load(MARKERS)
    words = "|".join(map(regex.escape, data["capitalised_function_words"]))
    return {
        "subs": [(regex.compile(rf"(?<!\w){p['pattern']}(?!\w)", regex.IGNORECASE), p["source"])
                 for p in data["substitutions"]],
        "slips": {k: v for k, v in (data.get("transliteration_slips") or {}).items() if v},
        # a function word capitalised right after a word (no punctuation), before a lower-case word
        "caps": regex.compile(rf"(?<=\p{{L}} )(?:{words})(?= \p{{Ll}})"),
        "camel": set(data.get("camel_case_names") or ()),
        "notes": [regex.compile(p, regex.IGNORECASE) for p in data["foreign_editor_notes"]],
        "weights": data["weights"],
        "threshold": float(data["threshold"]),
    }


def threshold() -> float:
    """The score at which a document is flagged."""
    return _markers()["threshold"]


def _title_case(line: str) -> bool:
    words = regex.findall(r"\p{L}+", line)
    return len(words) >= 3 and sum(w[0].isupper() for w in words) / len(words) >= 0.6


def _glued_words(raw: str) -> Iterable[Evidence]:
    camel = _markers()["camel"]
    for m in _CAMEL.finditer(raw):
        w = m.group(0)
        if w not in camel and clean.split_glued_words(w) != w:
            yield Evidence("glued_word", w)


def _slips(text: str) -> Iterable[Evidence]:
    """Known misspellings; and a capitalised word one edit from a more used name in the same text
    (weaker evidence: clean news has Larson and Larsen, Walker and Walter)."""
    slips = _markers()["slips"]
    counts = Counter(m.group(0) for m in _NAME.finditer(text))
    for w in counts:
        if w in slips:
            yield Evidence("transliteration", f"{w} for {slips[w]}")
    # a capitalised word also used in lower case is a word at a sentence start ("Stated"), not a name
    lower = set(_LOWER_WORD.findall(text))
    seen = {w for w in counts if w.lower() in lower}
    words = sorted(counts, key=lambda w: -counts[w])
    for i, a in enumerate(words):
        for b in words[i + 1:]:
            if (len(a) >= 6 and a[0] == b[0] and abs(len(a) - len(b)) <= 1 and a not in slips and b not in slips
                    and not a.startswith(b) and not b.startswith(a) and Levenshtein.distance(a, b) == 1
                    and a not in seen and b not in seen):
                seen.add(b)
                yield Evidence("name_variant", f"{b} for {a}")


@functools.lru_cache(maxsize=1)
def _boilerplate() -> frozenset[str]:
    """Boilerplate lines and trailer starts of cleaning's list (not its credit-line patterns:
    an original article has credit lines too)."""
    data = lexicons.load("boilerplate.v1.yaml")
    return frozenset(s.strip().rstrip(":.").casefold() for s in [*data["lines"], *data["trailer_starts"]])


def _residue(raw: str) -> Iterable[Evidence]:
    """What cleaning removes as scraper residue: boilerplate lines, header labels, emptied bylines."""
    text = clean.strip_lines(clean.normalize_unicode(raw))
    lines = _boilerplate()
    for line in text.split("\n"):
        if line and line.rstrip(":.").casefold() in lines:
            yield Evidence("repost_residue", line[:40])
    headed = clean.drop_header_labels(text)
    for line in text[: len(text) - len(headed)].split("\n"):
        if line.strip():
            yield Evidence("repost_residue", line[:40])
    if clean.drop_byline_remnant(headed) != headed:
        yield Evidence("repost_residue", "byline without names")


def evidence(cleaned: str, raw: str | None = None) -> list[Evidence]:
    """Every sign of spinning, translation or scraping in a document.

    ``raw`` is the text as read (before cleaning); without it the signs that
    cleaning repairs (glued words, quote slips, scraper residue) are looked for
    in ``cleaned``, where they are mostly gone.

    Examples:
        >>> [e.detail for e in evidence("A senior Ukrainian authentic said the assembly used to be now not easy.")]
        ["'Ukrainian authentic' for official", "'used to be now not' for was not"]
    """
    mk = _markers()
    raw = cleaned if raw is None else raw
    out: list[Evidence] = list(_glued_words(raw))
    out += [Evidence("glued_sentence", m.group(0)) for m in _GLUED_SENTENCE.finditer(raw)]
    for rx, source in mk["subs"]:
        out += [Evidence("substitution", f"'{m.group(0)}' for {source}") for m in rx.finditer(cleaned)]
    out += list(_slips(cleaned))
    for line in cleaned.split("\n"):
        caps = [Evidence("capitalised_function_word", m.group(0)) for m in mk["caps"].finditer(line)]
        if caps and not _title_case(line):
            out += caps
    out += [Evidence("quote_typed_open", raw[max(0, m.start() - 12):m.end()].strip().replace("\n", " "))
            for m in _OPEN_AS_CLOSE.finditer(raw)]
    out += [Evidence("doubled_word", m.group(0)) for m in _DOUBLED.finditer(cleaned) if m.group(1) not in _DOUBLED_OK]
    for rx in mk["notes"]:
        out += [Evidence("foreign_editor_note", m.group(0)) for m in rx.finditer(cleaned)]
    out += list(_residue(raw))
    return out


def score(found: Iterable[Evidence]) -> tuple[float, str]:
    """(score, reason): each kind adds its weight per distinct piece (the same word seen twice is
    one piece) up to its cap; the reason names the kinds by what they add, with up to three examples each.

    Examples:
        >>> score([Evidence("glued_word", "UkraineOn"), Evidence("substitution", "'white area' for White House")])
        (1.0, "glued words 0.5 (UkraineOn); spin substitutions 0.5 ('white area' for White House)")
    """
    weights = _markers()["weights"]
    by_kind: dict[str, list[str]] = {}
    for e in found:
        by_kind.setdefault(e.kind, {})[e.detail] = None
    parts = []
    for kind, details in by_kind.items():
        w = weights[kind]
        parts.append((min(w["each"] * len(details), w["max"]), kind, list(details)))
    parts.sort(key=lambda p: (-p[0], list(LABELS).index(p[1])))
    total = round(sum(p[0] for p in parts), 3)
    reason = "; ".join(f"{LABELS[k]} {round(s, 2):g} ({', '.join(d[:3])})" for s, k, d in parts)
    return total, reason
