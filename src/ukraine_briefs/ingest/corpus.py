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
import sys
import time
from pathlib import Path
from typing import Iterator, Mapping

from ukraine_briefs import config
from ukraine_briefs.ingest import clean, language, metadata, pubdate, pubdate_text, textio, walk
from ukraine_briefs.ingest.metadata import Metadata, parse_date
from ukraine_briefs.ingest.textio import MAX_CHARS
from ukraine_briefs.ingest.walk import HTML_SUFFIXES, METADATA_FILE, TEXT_SUFFIXES
from ukraine_briefs.types import Document

log = logging.getLogger(__name__)

#: files modified more recently than this (ns) are not cached (see `read_key`)
RACY_NS = 2_000_000_000
#: record fields read (the others are listed in a note)
RECORD_FIELDS = (
    "doc_id", "id", "text", "body", "content", "title", "headline", "outlet", "source", "sitename",
    "url", "link", "published", "date",
)


class CorpusError(ValueError):
    """A corpus path that cannot be read at all (missing, or holds no readable files)."""


def content_hash(doc_id: str, text: str, published: dt.date | None) -> str:
    """Key of a document's extracted rows: changes when its text or date changes."""
    h = hashlib.sha256()
    for part in (doc_id, published.isoformat() if published else "", text):
        h.update(part.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()[:20]


def _cut_note(kept: int, at: str, origin: str) -> str:
    return f"over {MAX_CHARS:,} characters: kept the first {kept:,}, cut at {at} ({origin})"


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
    date_problem: str | None = None,
    notes: list[str] | None = None,
    title_in_text: bool = True,
    origin: str | None = None,
    complete: bool = True,
) -> Document:
    """Clean one article and fill its `Document` record (status ok, or the problem found).

    A text over `MAX_CHARS` is cut near the limit at a paragraph break, else a sentence
    end, else a space (`textio.cut_point`), and a note says how much was kept; ``origin``
    describes the whole input for that note (default: the length of ``raw_text``), and
    ``complete=False`` says ``raw_text`` is already the head of a longer file. A
    ``date_problem`` (a date that did not parse) gets a note saying what was done instead.
    """
    notes = list(notes or [])
    origin = origin or f"the text had {len(raw_text):,} characters"
    cut_at = None
    if len(raw_text) > textio.PRE_CUT_CHARS or not complete:
        # cleaning a 50 MB text would cost time and memory for text that is cut anyway
        cut, cut_at = textio.cut_point(raw_text, min(textio.PRE_CUT_CHARS, len(raw_text) - 1))
        raw_text = raw_text[:cut]
    text = clean.clean_text(raw_text)
    if title_in_text:
        first, _ = clean.split_title(text)
        title = title or first
    elif title:
        # keep the headline in the text: headline quotes and threats are evidence too
        text = clean.clean_text(title) + ("\n\n" + text if text else "")
    if len(text) > MAX_CHARS:
        cut, cut_at = textio.cut_point(text, MAX_CHARS)
        text = text[:cut]
    if cut_at:
        notes.append(_cut_note(len(text), cut_at, origin))
    status = "ok"
    if not text.strip():
        status = "error: empty file" if not raw_text.strip() else "error: no article text left after cleaning"
    date_source = "metadata" if published else "unknown"
    if not published and status == "ok":
        guess = pubdate.infer_published(text, url=url)
        if guess is None:  # a stamp line the cleaning drops as boilerplate ("Posted on February 26, 2022 by ...")
            head = raw_text if title_in_text else f"{title or ''}\n\n{raw_text}"
            guess = pubdate.infer_published(clean.strip_lines(clean.normalize_unicode(head)), url=url)
        if guess is not None:
            published, date_source, date_note = guess.date, "inferred", guess.note
    if date_problem:
        if date_source == "inferred":
            notes.append(f"{date_problem}; inferred from the text as {published.isoformat()}")
        else:
            notes.append(f"{date_problem}; {'no date found in the text' if status == 'ok' else 'no text to infer one from'}")
    lang = language.detect(text) if status == "ok" else None
    if lang and language.language_note(lang):
        notes.append(language.language_note(lang))
    for n in notes:
        log.warning("%s: %s", path, n)
    if status != "ok":
        log.error("%s: %s", path, status)
    return Document(
        doc_id=doc_id,
        title=clean.clean_title(title or ""),
        outlet=outlet or None,
        url=url or None,
        published=published,
        date_source=date_source,
        date_note=date_note or None,
        path=path,
        format=fmt,
        text=text if status == "ok" else "",
        language=lang,
        n_sentences=0,
        n_words=len(text.split()) if status == "ok" else 0,
        content_hash=content_hash(doc_id, text, published),
        status=status,
        notes="; ".join(notes) or None,
    )


def error_document(doc_id: str, path: str, fmt: str, message: str, *, notes: list[str] | None = None, **meta) -> Document:
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
        language=None,
        n_sentences=0,
        n_words=0,
        content_hash="",
        status=f"error: {message}",
        notes="; ".join(notes or []) or None,
    )


def _read_text_file(p: Path, meta: Metadata | None) -> Document:
    doc_id = (meta and meta.doc_id) or p.stem
    rel = str(p)
    m = meta or Metadata()
    try:
        data, size = textio.read_head(p)  # only the head of a huge file: it is cut anyway
    except OSError as exc:
        return error_document(doc_id, rel, "txt", f"cannot read file ({exc.strerror or exc})")
    if not data[:4096].strip() and not data.strip():  # the head first: no copy of a big file
        return error_document(doc_id, rel, "txt", "empty file")
    try:
        text, enc_note = textio.decode(data, complete=len(data) == size)
    except ValueError as exc:
        return error_document(doc_id, rel, "txt", str(exc))
    del data
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
        date_problem=m.date_problem,
        notes=([enc_note] if enc_note else []) + m.problems,
        origin=f"the file has {size:,} bytes",
        complete=size <= textio.READ_LIMIT,
    )


def _record_value(rec: dict, *names):
    for n in names:
        if rec.get(n) not in (None, ""):
            return rec[n]
    return None


def _records(text: str, fmt: str) -> Iterator[tuple[int, dict, str | None]]:
    """(line or row number, record, problem) for each record of a .jsonl or .csv text."""
    if fmt == "jsonl":
        for n, line in enumerate(io.StringIO(text), start=1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                if not isinstance(rec, dict):
                    raise ValueError("not a JSON object")
                yield n, rec, None
            except ValueError as exc:
                yield n, {}, f"line {n}: invalid JSON ({exc})"
        return
    reader = csv.DictReader(io.StringIO(text))
    n = 1
    try:
        for n, rec in enumerate(reader, start=2):
            yield n, rec, None
    except csv.Error as exc:
        yield n + 1, {}, f"malformed CSV after row {n} ({exc}); the rest of the file is not read"


def _read_records(p: Path) -> Iterator[Document]:
    fmt = p.suffix.lower().lstrip(".")
    try:
        text, enc_note = textio.decode(p.read_bytes())
    except (OSError, ValueError) as exc:
        yield error_document(p.stem, str(p), fmt, f"cannot read file ({exc})")
        return
    file_notes = [f"{p.name}: {enc_note}"] if enc_note else []
    empty = True
    for n, rec, problem in _records(text, fmt):
        empty = False
        doc_id = str(_record_value(rec, "doc_id", "id") or f"{p.stem}-{n}")
        where = f"{p}:{n}"
        if problem:
            yield error_document(doc_id, where, fmt, problem)
            continue
        body = _record_value(rec, "text", "body", "content")
        if not isinstance(body, str) or not body.strip():
            yield error_document(doc_id, where, fmt, f"record {n} has no 'text'")
            continue
        notes = list(file_notes)
        unused = [k for k, v in rec.items() if k not in RECORD_FIELDS and v not in (None, "")]
        if unused:
            notes.append(f"record {n}: fields not used: {', '.join(repr(str(k)) for k in unused)}")
        date_problem = None
        raw_date = _record_value(rec, "published", "date")
        try:
            published = parse_date(raw_date)
        except ValueError:
            published = None
            date_problem = f"record {n}: published date {raw_date!r} does not parse"
        yield make_document(
            doc_id=doc_id,
            path=where,
            fmt=fmt,
            raw_text=body,
            title=_record_value(rec, "title", "headline"),
            outlet=_record_value(rec, "outlet", "source", "sitename"),
            url=_record_value(rec, "url", "link"),
            published=published,
            date_problem=date_problem,
            notes=notes,
            title_in_text=False,
        )
    if empty:
        yield error_document(p.stem, str(p), fmt, "no records in file")


def _extract_html(html: str):
    """trafilatura's main text and metadata of a page (a dict-like getter), or None."""
    import trafilatura  # slow to import (lxml, its extractors): only HTML corpora load it

    extracted = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    if extracted is None:
        return None
    return extracted.get if isinstance(extracted, dict) else lambda k: getattr(extracted, k, None)


def _parser_problem(exc: Exception) -> str:
    if isinstance(exc, ImportError):
        missing = f"module {exc.name!r} is missing" if exc.name else "a module is missing"
        detail = " ".join(str(exc).split())
        return f"cannot parse HTML: {missing} ({detail}); install it to read HTML pages"
    return f"cannot parse HTML: {type(exc).__name__}: {' '.join(str(exc).split())}"


def _read_html(p: Path, meta: Metadata | None) -> Document:
    doc_id = (meta and meta.doc_id) or p.stem
    m = meta or Metadata()
    try:
        data, size = textio.read_head(p)
        html, enc_note = textio.decode(data, complete=len(data) == size)
    except (OSError, ValueError) as exc:
        return error_document(doc_id, str(p), "html", f"cannot read file ({exc})")
    del data
    try:
        get = _extract_html(html)
    except Exception as exc:  # noqa: BLE001 - an optional parser's failure loses this page only
        return error_document(doc_id, str(p), "html", _parser_problem(exc), title=m.title, outlet=m.outlet, url=m.url)
    if get is None or not (get("text") or "").strip():
        return error_document(doc_id, str(p), "html", "no main text found in the HTML page")
    notes = ([enc_note] if enc_note else []) + list(m.problems)
    if size > textio.READ_LIMIT:
        notes.append(f"the page has {size:,} bytes; only the first {textio.READ_LIMIT:,} were read")
    published, date_problem = m.published, m.date_problem
    if published is None and get("date"):
        try:
            published = parse_date(get("date"))
            if date_problem:
                notes.append(f"{date_problem}; the page's own date {published.isoformat()} taken")
                date_problem = None
        except ValueError:
            notes.append(f"page date {get('date')!r} does not parse")
    return make_document(
        doc_id=doc_id,
        path=str(p),
        fmt="html",
        raw_text=get("text"),
        title=m.title or get("title"),
        outlet=m.outlet or get("sitename"),
        url=m.url or get("url"),
        published=published,
        date_note=m.date_note or ("page metadata" if published and not m.published else None),
        date_problem=date_problem,
        notes=notes,
        title_in_text=False,
    )


@functools.lru_cache(maxsize=1)
def reader_fingerprint() -> str:
    """Hash of everything that turns a file into a `Document`: the reading, cleaning and
    date-inference code and the boilerplate rules. A cached `Document` is reused only
    while this is unchanged."""
    modules = [Path(m.__file__) for m in (clean, language, metadata, pubdate, pubdate_text, textio,
                                          sys.modules[__name__])]
    return config.fingerprint(modules + [config.DATA_DIR / f for f in ("boilerplate.v1.yaml",
                                                                       "publication_dates.v1.yaml")])


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
    files, skipped = ([root], []) if root.is_file() else walk.find_inputs(root)
    base = root.parent if root.is_file() else root
    meta_rows: dict[str, Metadata] = {}
    if (base / METADATA_FILE).exists():
        meta_rows, problems = metadata.read_metadata(base / METADATA_FILE)
        if problems:  # the table is what users see: metadata lost gets a row of its own
            yield error_document(METADATA_FILE, str(base / METADATA_FILE), "csv", "; ".join(problems)), None
    for skip in skipped:
        fmt = "dir" if skip.is_dir else skip.path.suffix.lower().lstrip(".")
        doc_id = skip.path.name if skip.is_dir else skip.path.stem
        yield error_document(doc_id, str(skip.path), fmt, skip.problem), None
    first: dict[str, str] = {}  # doc_id -> the path that has it
    seen: dict[str, int] = {}
    found = set()
    for p in files:
        rel = str(p.relative_to(base))
        meta = meta_rows.get(rel) or meta_rows.get(p.name)
        if meta is not None:
            found.add(rel if rel in meta_rows else p.name)
        for d, entry in _read_file(p, meta, cache):
            n = seen.get(d.doc_id, 0)
            seen[d.doc_id] = n + 1
            if n:
                new = f"{d.doc_id}-{n + 1}"
                note = f"doc id {d.doc_id!r} already used by {first[d.doc_id]}; renamed {new!r}"
                log.warning("%s: %s", d.path, note)
                d.notes = "; ".join(filter(None, [d.notes, note]))
                d.doc_id = new
            first.setdefault(d.doc_id, d.path)
            yield d, entry
    if root.is_dir():
        for fname, meta in meta_rows.items():
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


def _read_file(
    p: Path, meta: Metadata | None, cache: Mapping[str, Document] | None
) -> Iterator[tuple[Document, tuple[str, str] | None]]:
    """The documents of one input file, each with its cache entry (see `read_corpus_keyed`)."""
    suffix = p.suffix.lower()
    try:
        if suffix in TEXT_SUFFIXES or suffix in HTML_SUFFIXES:  # one file, one document: cached by read key
            key = read_key(p, meta) if cache is not None else None
            hit = cache.get(key) if key is not None else None
            if hit is None:
                hit = _read_text_file(p, meta) if suffix in TEXT_SUFFIXES else _read_html(p, meta)
            entry = (key, hit.doc_id) if key is not None else None
            yield dataclasses.replace(hit), entry  # a copy: a duplicate doc_id is renamed by the caller
        else:
            for d in _read_records(p):
                yield d, None
    except Exception as exc:  # noqa: BLE001 - a bug or an odd file loses this file, not the corpus
        yield error_document(
            (meta and meta.doc_id) or p.stem, str(p), suffix.lstrip("."),
            f"unexpected error reading the file ({type(exc).__name__}: {exc})",
        ), None
