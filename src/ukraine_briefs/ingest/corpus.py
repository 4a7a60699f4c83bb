"""Reading a corpus: files -> cleaned `Document` records, one per article.

Accepts a directory (``.txt`` with the title on line 1 plus an optional
``metadata.csv``; ``.jsonl`` / ``.csv`` with one article per record; ``.html``
pages) or a single such file. Bad input never stops the corpus: each problem
becomes a document row whose ``status`` names the file and the problem, and is
logged.
"""
from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import functools
import hashlib
import io
import json
import logging
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Mapping

from ukraine_briefs import config
from ukraine_briefs.ingest import clean, pubdate
from ukraine_briefs.types import Document

log = logging.getLogger(__name__)

METADATA_FILE = "metadata.csv"
#: Longer texts are cut at a paragraph boundary (spaCy's default max_length is 1,000,000).
MAX_CHARS = 1_000_000
#: files modified more recently than this (ns) are not cached (see `read_key`)
RACY_NS = 2_000_000_000
TEXT_SUFFIXES = {".txt"}
RECORD_SUFFIXES = {".jsonl", ".csv"}
HTML_SUFFIXES = {".html", ".htm"}


@dataclass
class Metadata:
    """One row of ``metadata.csv`` (all optional but ``file``)."""

    doc_id: str | None = None
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: dt.date | None = None
    date_note: str | None = None
    problems: list[str] = field(default_factory=list)


class CorpusError(ValueError):
    """A corpus path that cannot be read at all (missing, or holds no readable files)."""


def parse_date(value) -> dt.date | None:
    """A date from ISO text (``2021-12-02``, ``2021-12-02T10:00Z``) or common forms; None when empty.

    Raises ValueError for text that is not a date.

    Examples:
        >>> parse_date("2021-12-02T14:30:00Z")
        datetime.date(2021, 12, 2)
        >>> parse_date("December 2, 2021")
        datetime.date(2021, 12, 2)
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    s = str(value).strip()
    if not s or s.lower() in ("nan", "none", "null", "nat"):
        return None
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", s)
    if m:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    from dateutil import parser as dparser  # only dates not in ISO form need the general parser

    try:
        return dparser.parse(s, default=dt.datetime(1900, 1, 1)).date()
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"unparseable date {s!r}") from exc


def decode(data: bytes, name: str) -> tuple[str, str | None]:
    """Bytes -> text, and a note when the file was not UTF-8.

    Raises ValueError for binary content.
    """
    if b"\x00" in data[:8192]:
        raise ValueError("binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # only files that are not UTF-8 need detection

    matches = list(from_bytes(data))
    candidates = [m.encoding for m in matches]
    # short Western texts are ambiguous between Windows code pages; prefer the
    # common one (cp1252, a superset of Latin-1) whenever the detector allows it
    if not candidates or "cp1252" in candidates[:5]:
        encoding = "cp1252"
    else:
        encoding = candidates[0]
    text = data.decode(encoding, errors="replace")
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t")
    if controls > 0.05 * min(len(text), 8192):
        raise ValueError("binary file (control bytes), not text")
    return text, f"not UTF-8: decoded as {encoding}"


def content_hash(doc_id: str, text: str, published: dt.date | None) -> str:
    """Key of a document's extracted rows: changes when its text or date changes."""
    h = hashlib.sha256()
    for part in (doc_id, published.isoformat() if published else "", text):
        h.update(part.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()[:20]


def _truncate(text: str) -> tuple[str, str | None]:
    if len(text) <= MAX_CHARS:
        return text, None
    cut = text.rfind("\n\n", 0, MAX_CHARS)
    cut = cut if cut > 0 else MAX_CHARS
    return text[:cut], f"truncated from {len(text):,} to {cut:,} characters (limit {MAX_CHARS:,})"


def make_document(
    *,
    doc_id: str,
    path: str,
    fmt: str,
    raw_text: str,
    title: str | None = None,
    outlet: str | None = None,
    url: str | None = None,
    published: dt.date | None = None,
    date_note: str | None = None,
    notes: list[str] | None = None,
    title_in_text: bool = True,
) -> Document:
    """Clean one article and fill its `Document` record (status ok, or the problem found)."""
    notes = list(notes or [])
    text = clean.clean_text(raw_text)
    if title_in_text:
        first, _ = clean.split_title(text)
        title = title or first
    elif title:
        # keep the headline in the text: headline quotes and threats are evidence too
        text = clean.clean_text(title) + ("\n\n" + text if text else "")
    text, cut_note = _truncate(text)
    if cut_note:
        notes.append(cut_note)
    status = "ok"
    if not text.strip():
        status = "error: empty file" if not raw_text.strip() else "error: no article text left after cleaning"
    date_source = "metadata" if published else "unknown"
    if not published and status == "ok":
        guess = pubdate.infer_published(text)
        if guess is not None:
            published, date_source, date_note = guess.date, "inferred", guess.note
    for n in notes:
        log.warning("%s: %s", path, n)
    if status != "ok":
        log.error("%s: %s", path, status)
    return Document(
        doc_id=doc_id,
        title=(title or "").strip(),
        outlet=outlet or None,
        url=url or None,
        published=published,
        date_source=date_source,
        date_note=date_note or None,
        path=path,
        format=fmt,
        text=text if status == "ok" else "",
        n_sentences=0,
        n_words=len(text.split()) if status == "ok" else 0,
        content_hash=content_hash(doc_id, text, published),
        status=status,
        notes="; ".join(notes) or None,
    )


def error_document(doc_id: str, path: str, fmt: str, message: str, **meta) -> Document:
    """A row for an input that could not be read, with ``status`` naming the problem."""
    log.error("%s: %s", path, message)
    return Document(
        doc_id=doc_id,
        title=meta.get("title") or "",
        outlet=meta.get("outlet"),
        url=meta.get("url"),
        published=meta.get("published"),
        date_source="metadata" if meta.get("published") else "unknown",
        date_note=meta.get("date_note"),
        path=path,
        format=fmt,
        text="",
        n_sentences=0,
        n_words=0,
        content_hash="",
        status=f"error: {message}",
        notes=None,
    )


def read_metadata(path: Path) -> tuple[dict[str, Metadata], list[str]]:
    """``metadata.csv`` -> {file name: Metadata}, and problems found (each naming the file and row)."""
    problems: list[str] = []
    try:
        text, _ = decode(path.read_bytes(), str(path))
        rows = list(csv.DictReader(io.StringIO(text)))
    except (OSError, ValueError, csv.Error) as exc:
        return {}, [f"{path}: cannot read metadata ({exc}); files are read without it"]
    out: dict[str, Metadata] = {}
    for n, row in enumerate(rows, start=2):  # row 1 is the header
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items() if k}
        fname = row.get("file") or ""
        if not fname:
            problems.append(f"{path}: row {n} has no 'file' value; skipped")
            continue
        meta = Metadata(
            doc_id=row.get("doc_id") or None,
            title=row.get("title") or None,
            outlet=row.get("outlet") or None,
            url=row.get("url") or None,
            date_note=row.get("date_note") or None,
        )
        try:
            meta.published = parse_date(row.get("published"))
        except ValueError:
            meta.problems.append(
                f"{path.name} row {n}: unparseable published date {row.get('published')!r}; "
                "date inferred from the text instead"
            )
        out[fname] = meta
    return out, problems


def _read_text_file(p: Path, meta: Metadata | None) -> Document:
    doc_id = (meta and meta.doc_id) or p.stem
    rel = str(p)
    try:
        data = p.read_bytes()
    except OSError as exc:
        return error_document(doc_id, rel, "txt", f"cannot read file ({exc.strerror or exc})")
    if not data.strip():
        return error_document(doc_id, rel, "txt", "empty file")
    try:
        text, enc_note = decode(data, rel)
    except ValueError as exc:
        return error_document(doc_id, rel, "txt", str(exc))
    notes = [enc_note] if enc_note else []
    m = meta or Metadata()
    notes += m.problems
    if len(data) > 2 * MAX_CHARS:
        notes.append(f"large file: {len(data) / 1e6:.1f} MB")
    return make_document(
        doc_id=doc_id,
        path=rel,
        fmt="txt",
        raw_text=text,
        title=m.title,
        outlet=m.outlet,
        url=m.url,
        published=m.published,
        date_note=m.date_note,
        notes=notes,
    )


def _record_value(rec: dict, *names):
    for n in names:
        if rec.get(n) not in (None, ""):
            return rec[n]
    return None


def _read_records(p: Path) -> Iterator[Document]:
    fmt = p.suffix.lower().lstrip(".")
    try:
        text, _ = decode(p.read_bytes(), str(p))
    except (OSError, ValueError) as exc:
        yield error_document(p.stem, str(p), fmt, f"cannot read file ({exc})")
        return
    if fmt == "jsonl":
        records = []
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                if not isinstance(rec, dict):
                    raise ValueError("not a JSON object")
                records.append((n, rec, None))
            except ValueError as exc:
                records.append((n, {}, f"line {n}: invalid JSON ({exc})"))
    else:
        try:
            records = [(n, rec, None) for n, rec in enumerate(csv.DictReader(io.StringIO(text)), start=2)]
        except csv.Error as exc:
            yield error_document(p.stem, str(p), fmt, f"malformed CSV ({exc})")
            return
    if not records:
        yield error_document(p.stem, str(p), fmt, "no records in file")
    for n, rec, problem in records:
        doc_id = str(_record_value(rec, "doc_id", "id") or f"{p.stem}-{n}")
        where = f"{p}:{n}"
        if problem:
            yield error_document(doc_id, where, fmt, problem)
            continue
        body = _record_value(rec, "text", "body", "content")
        if not isinstance(body, str) or not body.strip():
            yield error_document(doc_id, where, fmt, f"record {n} has no 'text'")
            continue
        notes = []
        try:
            published = parse_date(_record_value(rec, "published", "date"))
        except ValueError:
            published = None
            notes.append(f"record {n}: unparseable published date {rec.get('published')!r}")
        yield make_document(
            doc_id=doc_id,
            path=where,
            fmt=fmt,
            raw_text=body,
            title=_record_value(rec, "title", "headline"),
            outlet=_record_value(rec, "outlet", "source", "sitename"),
            url=_record_value(rec, "url", "link"),
            published=published,
            notes=notes,
            title_in_text=False,
        )


def _read_html(p: Path, meta: Metadata | None) -> Document:
    import trafilatura  # slow to import (lxml, its extractors): only HTML corpora load it

    doc_id = (meta and meta.doc_id) or p.stem
    try:
        html, _ = decode(p.read_bytes(), str(p))
    except (OSError, ValueError) as exc:
        return error_document(doc_id, str(p), "html", f"cannot read file ({exc})")
    extracted = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    if extracted is None:
        return error_document(doc_id, str(p), "html", "no main text found in the HTML page")
    get = extracted.get if isinstance(extracted, dict) else lambda k: getattr(extracted, k, None)
    body = get("text") or ""
    if not body.strip():
        return error_document(doc_id, str(p), "html", "no main text found in the HTML page")
    m = meta or Metadata()
    notes = list(m.problems)
    published = m.published
    if published is None and get("date"):
        try:
            published = parse_date(get("date"))
        except ValueError:
            notes.append(f"page date {get('date')!r} unparseable")
    return make_document(
        doc_id=doc_id,
        path=str(p),
        fmt="html",
        raw_text=body,
        title=m.title or get("title"),
        outlet=m.outlet or get("sitename"),
        url=m.url or get("url"),
        published=published,
        date_note=m.date_note or ("page metadata" if published and not m.published else None),
        notes=notes,
        title_in_text=False,
    )


def iter_files(root: Path) -> list[Path]:
    """Input files below ``root`` in a stable order (hidden files and metadata.csv skipped)."""
    suffixes = TEXT_SUFFIXES | RECORD_SUFFIXES | HTML_SUFFIXES
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file()
        and p.suffix.lower() in suffixes
        and p.name != METADATA_FILE
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )


@functools.lru_cache(maxsize=1)
def reader_fingerprint() -> str:
    """Hash of everything that turns a file into a `Document`: the reading, cleaning and
    date-inference code and the boilerplate rules. A cached `Document` is reused only
    while this is unchanged."""
    modules = [Path(m.__file__) for m in (clean, pubdate, sys.modules[__name__])]
    return config.fingerprint(modules + [config.DATA_DIR / "boilerplate.v1.yaml"])


def read_key(p: Path, meta: Metadata | None) -> str | None:
    """Key of a text or HTML file's `Document`: path, size, modification time (ns), its metadata row and
    `reader_fingerprint`, as ``make`` and ``git`` tell changed files. None (read it afresh) when the
    file cannot be stat'ed or was modified in the last two seconds (git's "racy" rule)."""
    try:
        st = p.stat()
    except OSError:
        return None
    if time.time_ns() - st.st_mtime_ns < RACY_NS:
        return None  # written moments ago: a second write in the same clock tick would keep this mtime
    parts = (str(p), st.st_size, st.st_mtime_ns, repr(meta), reader_fingerprint())
    return hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()


def read_corpus(path: str | Path, *, cache: Mapping[str, Document] | None = None) -> Iterator[Document]:
    """Yield one cleaned `Document` per article under ``path`` (a directory or one file).

    Problems (empty, binary, non-UTF-8, oversized, bad metadata, missing files)
    are logged with the file name and recorded in ``status``/``notes``; reading
    goes on with the rest of the corpus.

    ``cache`` (`read_key` -> Document of an earlier read, such as the build's staged
    documents) lets a rebuild skip reading and cleaning text and HTML files that have
    not changed since the last build. It is only read: the caller stores what
    `read_corpus_keyed` yields.
    """
    for doc, _entry in read_corpus_keyed(path, cache=cache):
        yield doc


def read_corpus_keyed(
    path: str | Path, *, cache: Mapping[str, Document] | None = None
) -> Iterator[tuple[Document, tuple[str, str] | None]]:
    """`read_corpus`, with each document's cache entry: (`read_key`, doc_id as read), or None.

    The doc_id as read is the one before a duplicate is renamed (``x`` -> ``x-2``):
    a cache that stores documents itself keeps that one, so renaming follows the
    files of each build. None when the document did not come through the cache
    (no cache, `.jsonl`/`.csv` records, files modified moments ago).
    """
    root = Path(path)
    if not root.exists():
        raise CorpusError(f"corpus path {root} does not exist")
    files = [root] if root.is_file() else iter_files(root)
    base = root.parent if root.is_file() else root
    metadata: dict[str, Metadata] = {}
    if (base / METADATA_FILE).exists():
        metadata, problems = read_metadata(base / METADATA_FILE)
        for msg in problems:
            log.warning(msg)
    seen: dict[str, int] = {}
    found = set()
    for p in files:
        rel = str(p.relative_to(base))
        meta = metadata.get(rel) or metadata.get(p.name)
        if meta is not None:
            found.add(rel if rel in metadata else p.name)
        suffix = p.suffix.lower()
        if suffix in TEXT_SUFFIXES or suffix in HTML_SUFFIXES:  # one file, one document: cached by read key
            key = read_key(p, meta) if cache is not None else None
            hit = cache.get(key) if key is not None else None
            if hit is None:
                hit = _read_text_file(p, meta) if suffix in TEXT_SUFFIXES else _read_html(p, meta)
            entry = (key, hit.doc_id) if key is not None else None
            docs = [dataclasses.replace(hit)]  # a copy: a duplicate doc_id is renamed below
        else:
            entry, docs = None, _read_records(p)
        for d in docs:
            n = seen.get(d.doc_id, 0)
            seen[d.doc_id] = n + 1
            if n:
                log.warning("%s: duplicate doc_id %r renamed to %r", d.path, d.doc_id, f"{d.doc_id}-{n + 1}")
                d.doc_id = f"{d.doc_id}-{n + 1}"
            yield d, entry
    if root.is_dir():
        for fname, meta in metadata.items():
            if fname not in found:
                yield error_document(
                    meta.doc_id or Path(fname).stem,
                    str(base / fname),
                    Path(fname).suffix.lstrip(".") or "txt",
                    f"{METADATA_FILE} names file {fname!r}, which does not exist",
                    title=meta.title,
                    outlet=meta.outlet,
                    url=meta.url,
                    published=meta.published,
                ), None
