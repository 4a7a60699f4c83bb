"""``metadata.csv``: one row per ``.txt``/``.html`` file of a corpus directory.

Its columns are `COLUMNS`; only ``file`` is required. What cannot be used is said,
never dropped quietly: a problem with the file as a whole becomes a ``documents``
row for ``metadata.csv`` (see `ingest.corpus`), a problem with one row a ``notes``
entry on its document.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ukraine_briefs.ingest import textio

COLUMNS = ("doc_id", "file", "title", "outlet", "url", "published", "date_note")


@dataclass
class Metadata:
    """One row of ``metadata.csv`` (all optional but ``file``)."""

    doc_id: str | None = None
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: dt.date | None = None
    date_note: str | None = None
    #: "metadata.csv row 3: published date 'xx' does not parse" (the reader says what it did instead)
    date_problem: str | None = None
    problems: list[str] = field(default_factory=list)


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
    try:
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        from dateutil import parser as dparser  # only dates not in ISO form need the general parser

        return dparser.parse(s, default=dt.datetime(1900, 1, 1)).date()
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"unparseable date {s!r}") from exc


def _names(columns) -> str:
    return ", ".join(repr(c) for c in columns) or "none"


def read_metadata(path: Path) -> tuple[dict[str, Metadata], list[str]]:
    """``metadata.csv`` -> {file name: Metadata}, and problems that lose metadata (each naming the file)."""
    try:
        text, _ = textio.decode(path.read_bytes())
        reader = csv.DictReader(io.StringIO(text))
        header = [(c or "").strip() for c in reader.fieldnames or []]
        rows = list(reader)
    except (OSError, ValueError, csv.Error) as exc:
        return {}, [f"{path}: cannot read metadata ({exc}); files are read without it"]
    if "file" not in header:
        return {}, [f"{path}: no 'file' column (its columns: {_names(header)}); files are read without metadata"]
    unused = [c for c in header if c and c not in COLUMNS]
    unused_note = f"{path.name}: columns not used: {_names(unused)} (known: {_names(COLUMNS)})" if unused else None
    problems: list[str] = []
    out: dict[str, Metadata] = {}
    for n, row in enumerate(rows, start=2):  # row 1 is the header
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items() if k and isinstance(v, str)}
        fname = row.get("file") or ""
        if not fname:
            problems.append(f"{path}: row {n} has no 'file' value; row not used")
            continue
        meta = Metadata(
            doc_id=row.get("doc_id") or None,
            title=row.get("title") or None,
            outlet=row.get("outlet") or None,
            url=row.get("url") or None,
            date_note=row.get("date_note") or None,
        )
        if unused_note:
            meta.problems.append(unused_note)
        try:
            meta.published = parse_date(row.get("published"))
        except ValueError:
            meta.date_problem = f"{path.name} row {n}: published date {row.get('published')!r} does not parse"
        if fname in out:
            problems.append(f"{path}: row {n} names {fname!r} again; the earlier row is not used")
        out[fname] = meta
    return out, problems
