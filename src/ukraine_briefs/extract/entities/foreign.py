"""Names in documents not in English (Russian, Ukrainian, Polish ...): `find_names`.

The English model tags Cyrillic and Polish text at random (``Заявление Кириленко``
as ORG, ``Дудой в Минске`` as PERSON), so in such a document its entities are not
used; the names are read from capitalisation instead. A name is a run of up to
three capitalised words (not all capitals, not split by punctuation). A run at the
start of a sentence keeps its first word only when that word is a given name, a
gazetteer name, or a word the document also capitalises mid-sentence (``Кириленко``
yes, ``Заявление`` no). Each word is read in its nominative (`inflection`), so
``Дмитрием Кулебой`` resolves as ``Дмитрий Кулеба``.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from ukraine_briefs.extract import gazetteer as gz
from ukraine_briefs.extract.entities.inflection import given_name, nominatives, script_of

MAX_WORDS = 3


@dataclass
class Found:
    """A name found in a non-English document."""

    start: int
    end: int
    nominative: str  # the name in the nominative, for resolution (the surface stays as written)
    has_given: bool  # starts with a given name: a person's full name


def _cap(tok) -> bool:
    t = tok.text
    return tok.is_alpha and len(t) >= 2 and t[0].isupper() and not t.isupper()


def _known(word: str, script: str | None) -> str | None:
    """``word`` or one of its nominatives that the gazetteer knows (alias or unique surname)."""
    if gz.lookup(word) is not None:
        return word
    for form in nominatives(word, script) if script else ():
        if gz.lookup(form) is not None:
            return form
    return None


def find_names(doc: Doc, language: str | None, covered: set[int]) -> list[Found]:
    """Capitalised name runs of ``doc`` outside the token indices ``covered`` (ruler matches)."""
    runs: list[list] = []
    for sent in doc.sents:
        run: list = []
        first_alpha = next((t.i for t in sent if t.is_alpha), sent.start)
        for tok in sent:
            if _cap(tok) and tok.i not in covered and (not run or doc[tok.i - 1].whitespace_ == " "):
                run.append(tok)
                continue
            if run:
                runs.append((run, run[0].i == first_alpha))
            run = [tok] if _cap(tok) and tok.i not in covered else []
        if run:
            runs.append((run, run[0].i == first_alpha))
    mid = {gz.key(t.text) for run, initial in runs for t in (run[1:] if initial else run)}
    mid |= {gz.key(f) for w in list(mid) for f in nominatives(w, "cyrillic") + nominatives(w, "polish")}

    def attested(word: str, script: str | None) -> bool:
        return gz.key(word) in mid or any(gz.key(f) in mid for f in nominatives(word, script) if script) or bool(
            given_name(word, script) or _known(word, script)
        )

    found: list[Found] = []
    full_surnames: set[str] = set()  # surnames written after a nominative given name
    for run, initial in runs:
        words = [t.text for t in run]
        script = script_of(words[0], language)
        if initial and not attested(words[0], script):
            run = run[1:]
        run = run[:MAX_WORDS]
        if not run:
            continue
        words = [t.text for t in run]
        script = script_of(words[-1], language)
        first = given_name(words[0], script) if len(words) >= 2 else None
        if first == words[0]:
            full_surnames.add(gz.key(words[-1]))
        found.append(Found(run[0].idx, run[-1].idx + len(run[-1].text), " ".join(words), first is not None))

    for f in found:
        words = f.nominative.split()
        script = script_of(words[-1], language)
        if f.has_given:
            words[0] = given_name(words[0], script) or words[0]
        sur = words[-1]
        # the nominative some full name of the document has (a shorter form first: "Си Цзиньпина"
        # after a given name is still genitive), else the gazetteer's, else as written
        forms = nominatives(sur, script) if script else ()
        words[-1] = (
            next((x for x in forms if gz.key(x) in full_surnames), None)
            or _known(sur, script)
            or sur
        )
        f.nominative = " ".join(words)
    return found
