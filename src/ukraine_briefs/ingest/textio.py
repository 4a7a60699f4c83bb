"""Bytes of one input file -> text: bounded reading, decoding, cutting over-long texts.

A document is at most `MAX_CHARS` characters (spaCy's default ``max_length``). A
file is read only as far as can matter (`READ_LIMIT` bytes), so a 50 MB file costs
no more memory than a 10 MB one; the text is cut before cleaning (`PRE_CUT_CHARS`)
and again after it, at a paragraph break, a sentence end or a space near the limit.
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path

#: Longer texts are cut (spaCy's default max_length is 1,000,000).
MAX_CHARS = 1_000_000
#: Raw text kept for cleaning: cleaning drops boilerplate, so keep a margin over MAX_CHARS.
PRE_CUT_CHARS = 2 * MAX_CHARS
#: Bytes read from a file: PRE_CUT_CHARS characters even in UTF-32 (4 bytes a character).
READ_LIMIT = 4 * PRE_CUT_CHARS
#: A cut looks back this share of the limit for a paragraph break, then a sentence end, then a space.
CUT_WINDOW = 0.1
#: Bytes given to the encoding detector (it samples; the whole text is then decoded).
DETECT_BYTES = 1 << 20

# longest first: the UTF-32 LE mark begins with the UTF-16 LE one (UTF-8's mark is dropped below)
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32 LE"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32 BE"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 LE"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 BE"),
)
# a sentence end: . ! ? or … with any closing quotes/brackets, then a space
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*\s")


def read_head(path: Path, limit: int = READ_LIMIT) -> tuple[bytes, int]:
    """(the first ``limit`` bytes of a file, its size in bytes). Raises OSError."""
    with open(path, "rb") as f:
        size = f.seek(0, 2)
        f.seek(0)
        return f.read(limit), size


def _decode(data: bytes, encoding: str, *, complete: bool, errors: str = "strict") -> str:
    # an incremental decoder leaves a character split by the read limit undecoded instead of failing
    return codecs.getincrementaldecoder(encoding)(errors=errors).decode(data, final=complete)


def decode(data: bytes, *, complete: bool = True) -> tuple[str, str | None]:
    """Bytes -> text, and a note when the file was not plain UTF-8.

    A byte-order mark decides UTF-16/UTF-32 (LE/BE); else UTF-8; else the encoding
    detected (cp1252 preferred). ``complete=False`` for bytes cut by `read_head`: a
    multi-byte character cut at the end is dropped. Raises ValueError for binary content.

    Examples:
        >>> decode("Kyiv".encode("utf-16"))
        ('Kyiv', 'decoded as UTF-16 LE (byte-order mark)')
    """
    for bom, encoding, label in BOMS:
        if data.startswith(bom):
            body = data[len(bom):]
            try:
                return _decode(body, encoding, complete=complete), f"decoded as {label} (byte-order mark)"
            except UnicodeDecodeError as exc:
                text = _decode(body, encoding, complete=complete, errors="replace")
                return text, f"decoded as {label} (byte-order mark); invalid bytes at {exc.start:,} and after replaced"
    if b"\x00" in data[:8192]:
        raise ValueError("binary file (NUL bytes), not text")
    try:
        return _decode(data.removeprefix(codecs.BOM_UTF8), "utf-8", complete=complete), None
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # only files that are not UTF-8 need detection

    candidates = [m.encoding for m in from_bytes(data[:DETECT_BYTES])]
    # short Western texts are ambiguous between Windows code pages; prefer the
    # common one (cp1252, a superset of Latin-1) whenever the detector allows it
    encoding = "cp1252" if not candidates or "cp1252" in candidates[:5] else candidates[0]
    text = _decode(data, encoding, complete=complete, errors="replace")
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t")
    if controls > 0.05 * min(len(text), 8192):
        raise ValueError("binary file (control bytes), not text")
    return text, f"not UTF-8: decoded as {encoding}"


def cut_point(text: str, limit: int) -> tuple[int, str]:
    """Where to cut ``text`` to at most ``limit`` characters, and what the cut falls on.

    A paragraph break near the limit (within `CUT_WINDOW` of it), else a sentence end,
    else a space, else the limit itself: never far back (a lone break after the
    headline does not cut the text to its headline).

    Examples:
        >>> cut_point("Headline\\n\\n" + "Troops massed. " * 10, 100)
        (99, 'a sentence end')
    """
    if len(text) <= limit:
        return len(text), "the end"
    floor = max(0, limit - int(limit * CUT_WINDOW))
    cut = text.rfind("\n\n", floor, limit)
    if cut > 0:
        return cut, "a paragraph break"
    ends = [m.end() - 1 for m in _SENTENCE_END.finditer(text, floor, limit + 1)]
    if ends and ends[-1] > 0:
        return ends[-1], "a sentence end"
    cut = max(text.rfind(" ", floor, limit), text.rfind("\n", floor, limit))
    if cut > 0:
        return cut, "a space"
    return limit, "the character limit"
