"""Language of a document: `detect`, for the ``documents.language`` column and its note.

Uses py3langid (a fork of langid.py; its naive Bayes model over 97 languages
ships in the wheel, nothing is downloaded). The pipeline reads English with
spaCy's English model; a document in another language is still read, but only
its gazetteer actors and person names are found (see docs/entities.md), and
`language_note` says so in ``documents.notes``.
"""
from __future__ import annotations

import functools

MIN_LETTERS = 20  # fewer letters than this: too little text to tell ("und" for undetermined)


# English function words: a text where they make up this share of the words is English, and
# the model (a second or more to load) is not needed; no other language uses these words
_ENGLISH = frozenset("the and of that is was for with said has have from by which".split())
_ENGLISH_SHARE = 0.08


def _plainly_english(head: str) -> bool:
    words = head.lower().split()
    return len(words) >= 20 and sum(w in _ENGLISH for w in words) >= _ENGLISH_SHARE * len(words)


@functools.lru_cache(maxsize=256)  # ingest and entities ask about the same text
def detect(text: str) -> str:
    """ISO 639-1 code of the main language of ``text`` (``en``, ``ru``, ``uk``, ``pl`` ...), or ``und``.

    Reads at most the first 5,000 characters (enough to tell, and a long article
    costs no more than a short one). A text where English function words (``the``,
    ``and``, ``of`` ...) are 8% of the words or more is English without asking the
    model (English news has 20-30%; the model takes a second or more to load). A
    plain-ASCII text of under 20 words is ``en`` when it holds one of those words, else
    ``und``: the model guesses wildly on a headline (``oc`` for "Boris Johnson visits
    Kyiv"), and ``und`` is read as English.

    Examples:
        >>> detect("Кулеба заявил, что Путин боится расширения НАТО на восток.")
        'ru'
        >>> detect("Speaking in Kyiv, Kuleba said Putin had rejected every NATO proposal.")
        'en'
        >>> detect("...")
        'und'
        >>> detect("Boris Johnson visits Kyiv")
        'und'
    """
    head = text[:5000]
    if sum(c.isalpha() for c in head) < MIN_LETTERS:
        return "und"
    if _plainly_english(head):
        return "en"
    if head.isascii() and len(head.split()) < 20:
        # a short plain-ASCII text (a headline, a name list): the model guesses ("oc" for a headline)
        return "en" if any(w in _ENGLISH for w in head.lower().split()) else "und"
    import py3langid  # loaded only for texts that are not plainly English

    lang, _score = py3langid.classify(head)
    return lang


def language_note(language: str) -> str | None:
    """The ``documents.notes`` entry for a document not in English, else None.

    Examples:
        >>> language_note("ru")
        "language 'ru', not English: only gazetteer actors and person names are extracted; quotes, threats and sentiment use English rules"
        >>> language_note("en") is None
        True
    """
    if language in ("en", "und"):
        return None
    return (
        f"language {language!r}, not English: only gazetteer actors and person names are extracted; "
        "quotes, threats and sentiment use English rules"
    )
