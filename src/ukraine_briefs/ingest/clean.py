"""Text cleaning: a chain of small ``str -> str`` functions composed into `clean_text`.

Cleaning runs before parsing and its output is the stored ``documents.text``:
every offset in every table points into that cleaned text (raw offsets are not
kept; the raw file stays on disk as ``documents.path``). The output holds one
paragraph per line, paragraphs separated by one blank line.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from typing import Callable, Iterable

import regex

from ukraine_briefs import lexicons

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# bidirectional controls (embeddings, overrides, isolates, marks): invisible, they can
# reorder what a reader sees (U+202E shows "Kyiv" as "viyK") and split names for the matcher
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"), None)
# a run of spaces other than one plain space (re.sub on every single space would build a
# list of as many pieces: 13 bytes of memory a character of text)
_SPACES = re.compile(
    r"[\t\u00a0\u2000-\u200a\u202f\u205f\u3000][ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]*"
    r"| [ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+"
)
# Unicode category Cc is exactly U+0000-U+001F and U+007F-U+009F; keep newline and tab
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@functools.lru_cache(maxsize=1)
def _rules() -> dict:
    data = lexicons.load("boilerplate.v1.yaml")

    def key(s: str) -> str:
        return s.strip().rstrip(":.").casefold()

    labels = "|".join(re.escape(x.rstrip(":")) for x in sorted(data["furniture_labels"], key=len, reverse=True))
    agencies = "|".join(re.escape(x) for x in sorted(data["photo_agencies"], key=len, reverse=True))
    return {
        # "WATCH: <link title>"; a colon after the label (a full stop ends "Fot.")
        "furniture": re.compile(rf"^(?:{labels})\s*[:|]\s*\S", re.IGNORECASE),
        "list_start": re.compile(rf"^(?:{labels})\s*:?$", re.IGNORECASE),
        # "... Dmytro Larin/Shutterstock", "(Photo by Sergei Supinsky/AFP via Getty Images)"
        "credit": re.compile(rf"^.{{0,160}}?\w[\w.'’-]*\s*/\s*(?:{agencies})(?:\W.{{0,40}})?$", re.IGNORECASE),
        "lines": {key(s) for s in data["lines"]},
        "trailers": {key(s) for s in data["trailer_starts"]},
        "headers": {key(s) for s in data["header_labels"]},
        "patterns": [re.compile(p, re.IGNORECASE) for p in data["line_patterns"]],
        "camel": set(data["camel_case_words"]),
        "prefixes": set(data["name_prefixes"]),
        "key": key,
    }


def normalize_unicode(text: str) -> str:
    """NFC, line endings to ``\\n``, zero-width and soft-hyphen characters removed, odd spaces to one space.

    Examples:
        >>> normalize_unicode("Kyiv\\u00a0\\u200bsaid\\r\\n")
        'Kyiv said\\n'
    """
    text = unicodedata.normalize("NFC", text).translate(_ZERO_WIDTH)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = _CONTROLS.sub("", text)
    return _SPACES.sub(" ", text)


def drop_bidi_controls(text: str) -> str:
    """Remove bidirectional control characters (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C).

    Examples:
        >>> drop_bidi_controls("\u202eKyiv\u202c and \u2066Moscow\u2069")
        'Kyiv and Moscow'
    """
    return text.translate(_BIDI_CONTROLS)


def strip_lines(text: str) -> str:
    """Trim every line."""
    return "\n".join(line.strip() for line in text.split("\n"))


_LINK_LIST_MAX = 8  # link titles dropped at most after a bare furniture label
_SENTENCE_END = (".", "!", "?", "…", "”", '"', "»", ":", ";")


def drop_boilerplate(text: str) -> str:
    """Remove scraped boilerplate lines, credit lines, page furniture and trailers.

    Data-driven (``data/boilerplate.v1.yaml``): listed lines; trailers (``Related
    posts`` and all that follows); lines starting with a furniture label
    (``WATCH:``, ``READ MORE:``, ``Related:``, ``Photo:``), and a bare label with
    the link titles listed under it; photo credit lines ending in
    ``<name>/<agency>`` (``Dmytro Larin/Shutterstock``). Dropped lines leave an
    empty line, so paragraphs stay apart.

    Examples:
        >>> drop_boilerplate("Putin spoke.\\nSource link\\nRelated posts\\nOther story").split("\\n")
        ['Putin spoke.', '']
        >>> drop_boilerplate("WATCH: Grain ships leave Odesa\\nKuleba spoke.\\nDmytro Larin/Shutterstock").split("\\n")
        ['', 'Kuleba spoke.', '']
    """
    r = _rules()
    out = []
    in_list = 0  # link titles still allowed after a bare "READ MORE:" (blank lines do not end the list)
    for line in text.split("\n"):
        stripped = line.strip()
        k = r["key"](line)
        if k in r["trailers"]:
            break
        if in_list and not stripped:
            out.append("")
            continue
        if in_list and len(stripped) <= 150 and not stripped.endswith(_SENTENCE_END):
            in_list -= 1
            out.append("")
            continue
        in_list = 0
        if r["list_start"].match(stripped):
            in_list = _LINK_LIST_MAX
            out.append("")
            continue
        if (
            k in r["lines"]
            or any(p.match(stripped) for p in r["patterns"])
            or r["furniture"].match(stripped)
            or (len(stripped) <= 200 and r["credit"].match(stripped))
        ):
            out.append("")
            continue
        out.append(line)
    return "\n".join(out)


def drop_header_labels(text: str) -> str:
    """Drop site-name and section-label lines (``My Blog``, ``Politics``) above the headline."""
    r = _rules()
    lines = text.split("\n")
    i = 0
    while i < len(lines) and (not lines[i].strip() or r["key"](lines[i]) in r["headers"]):
        i += 1
    return "\n".join(lines[i:])


def drop_byline_remnant(text: str) -> str:
    """Remove a byline whose names were scraped away (``By and- Russia seeks ...`` -> ``- Russia seeks ...``)."""
    return re.sub(r"(?m)^By\s+(?:and\s*)?(?=[-–—]\s)", "", text)


# a sentence running into the next: "Stockholm.As", "it.Mr.", "Donbass.That"
# a whole word (maximal run of letters) with a lower-to-upper case change inside: the only words
# `split_glued_words` may change, so the others are never handed to Python
_CAMEL_WORD = regex.compile(r"(?<!\p{L})\p{L}*\p{Ll}\p{Lu}\p{L}*")
_GLUED_SENTENCE = regex.compile(r"(?<=\p{Ll}{2}[.!?])(?=\p{Lu}\p{L})")


def split_glued_words(text: str) -> str:
    """Insert the space a scraper lost where a word runs into a capitalised word or sentence.

    Known camel-case names (``McCall``, ``YouTube``) and name prefixes are kept.

    Examples:
        >>> split_glued_words("UkraineOn Thursday, RussiaPlan to act in Stockholm.As Rep. McCallRepublicans said")
        'Ukraine On Thursday, Russia Plan to act in Stockholm. As Rep. McCall Republicans said'
    """
    r = _rules()

    def fix_word(m: regex.Match) -> str:
        word = m.group(0)
        if word in r["camel"] or not regex.search(r"\p{Ll}\p{Lu}", word):
            return word
        # keep a leading known camel-case name whole: "McCallRepublicans" -> "McCall Republicans"
        for name in r["camel"]:
            if word.startswith(name) and len(word) > len(name) and word[len(name)].isupper():
                return name + " " + fix_word(regex.match(r".+", word[len(name):]))
        parts, start = [], 0
        for cut in (mm.start() for mm in regex.finditer(r"(?<=\p{Ll})(?=\p{Lu}\p{Ll})", word)):
            left = word[start:cut]
            if left in r["prefixes"] or len(left) < 2:
                continue
            parts.append(left)
            start = cut
        parts.append(word[start:])
        return " ".join(parts)

    text = _CAMEL_WORD.sub(fix_word, text)
    return _GLUED_SENTENCE.sub(" ", text)


_OPEN_AS_CLOSE = regex.compile(r"(?<=[\p{L}\p{N}.,!?;…)\]])\s+“(?=\s*$)", regex.MULTILINE)


def repair_closing_quotes(text: str) -> str:
    """A closing quotation mark typed as an opening one at a paragraph's end becomes a closing one.

    Examples:
        >>> repair_closing_quotes("a firm commitment. Ukraine. “")
        'a firm commitment. Ukraine.”'
    """
    return _OPEN_AS_CLOSE.sub("”", text)


_GLUED_CLOSE = regex.compile(r"(?<=[\p{L}\p{N},.!?…])[”\"](?=\p{L})")


def space_after_closing_quote(text: str) -> str:
    """Insert the space a scraper lost after a closing quotation mark: ``war,”Clinton said`` -> ``war,” Clinton said``.

    The glued token hides the speaker and the cue from the tokenizer. A mark
    closes only when the line has an open quote before it (more “ than ” before
    a ”, an odd number of " before a "), so a glued opening mark
    (``authorities."We were``) is left alone.

    Examples:
        >>> space_after_closing_quote('“We stay,”Zelensky said. "Go,"he added.')
        '“We stay,” Zelensky said. "Go," he added.'
        >>> space_after_closing_quote('deceived by the authorities."We were wrong," he said.')
        'deceived by the authorities."We were wrong," he said.'
    """

    def fix(m: regex.Match) -> str:
        line = text[text.rfind("\n", 0, m.start()) + 1:m.start()]
        if m.group(0) == "”":
            is_close = line.count("“") > line.count("”")
        else:
            is_close = line.count('"') % 2 == 1
        return m.group(0) + " " if is_close else m.group(0)

    return _GLUED_CLOSE.sub(fix, text)


def collapse_whitespace(text: str) -> str:
    """One space between words; one paragraph per line; one blank line between paragraphs."""
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n\n".join(line for line in lines if line)


#: The cleaning chain, in order. Each step is ``str -> str``.
STEPS: tuple[Callable[[str], str], ...] = (
    normalize_unicode,
    drop_bidi_controls,
    strip_lines,
    drop_boilerplate,
    drop_header_labels,
    drop_byline_remnant,
    split_glued_words,
    repair_closing_quotes,
    space_after_closing_quote,
    collapse_whitespace,
)


def clean_text(text: str, steps: Iterable[Callable[[str], str]] = STEPS) -> str:
    """Run the cleaning chain; the result is what every table's offsets point into.

    Examples:
        >>> clean_text("My Blog\\nPolitics\\n\\nTitle here\\n\\nUkraineOn Thursday.\\nSource link\\n")
        'Title here\\n\\nUkraine On Thursday.'
    """
    for step in steps:
        text = step(text)
    return text


def clean_title(title: str) -> str:
    """A title from metadata or a record, cleaned like a line of text, on one line.

    Examples:
        >>> clean_title(" Blinken\u00a0warns \u202eMoscow\u202c\\n")
        'Blinken warns Moscow'
    """
    return " ".join(drop_bidi_controls(normalize_unicode(title)).split())


def split_title(text: str) -> tuple[str, str]:
    """(title, body) of a cleaned text whose first paragraph is the headline."""
    title, _, body = text.partition("\n\n")
    return title.strip(), body
