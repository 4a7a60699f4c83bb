"""Record types: one dataclass per table row. Field names are the table's column names.

Extractors yield these records; `to_frame` turns a list of them into a DataFrame
with the table's exact columns and dtypes, and `validate` checks a DataFrame
against the same schema at every table boundary (and in tests). Tables hold
plain values only (str, int, float, bool, datetime), never spaCy objects, so
every table round-trips through Parquet without spaCy.
"""
from __future__ import annotations

import dataclasses
import operator
import datetime as dt
import typing
from dataclasses import dataclass

import pandas as pd


@dataclass
class Document:
    """One input article (a file, or a record of a .jsonl/.csv file)."""

    doc_id: str
    title: str
    outlet: str | None
    url: str | None
    published: dt.date | None
    date_source: str  # metadata | inferred | unknown
    date_note: str | None
    path: str
    format: str  # txt | jsonl | csv | html
    text: str  # cleaned text; every offset in every table points into it
    language: str | None  # ISO 639-1 code of the text (ingest/language.py), "und" when too short to tell
    n_sentences: int
    n_words: int
    content_hash: str
    status: str  # "ok" or an error message naming the problem
    notes: str | None  # warnings that did not stop the document (encoding, truncation, metadata)
    story_id: str | None = None  # the story group (stories table); set by the corpus-wide step


@dataclass
class Sentence:
    doc_id: str
    sent_id: int  # 0-based position of the sentence in its document
    paragraph_id: int  # 0-based position of the paragraph in its document
    start_char: int
    end_char: int
    text: str
    sentiment: float  # -1..1
    in_quote: bool  # the sentence lies mostly inside a direct quote


@dataclass
class Mention:
    doc_id: str
    sent_id: int
    paragraph_id: int
    start_char: int
    end_char: int
    surface: str
    label: str  # PERSON / ORG / GPE / NORP / LOC / FAC / EVENT / LAW ...
    entity_id: str
    canonical_name: str
    resolution: str  # gazetteer / alias / fuzzy / document / model


@dataclass
class Entity:
    entity_id: str
    canonical_name: str
    type: str
    affiliation: str | None  # the state or bloc the actor speaks for
    aliases: str  # "; "-joined surfaces and listed aliases
    wikidata_id: str | None
    n_mentions: int
    n_docs: int


@dataclass
class Quote:
    quote_id: str
    doc_id: str
    sent_id: int  # sentence holding the quote's first character
    paragraph_id: int
    start_char: int  # span of the quoted words, without the quotation marks
    end_char: int
    text: str
    speaker_surface: str | None
    speaker_id: str | None
    speaker_name: str | None
    attribution: str  # explicit / pronoun / title / transcript / continuation / document / unresolved
    cue: str | None  # say, warn, tell ... (lemma)
    kind: str  # full / partial / heading / dash / scare
    sentiment: float
    quote_group: str | None = None  # the same quotation across documents; set by the corpus-wide step
    source_type: str | None = None  # person / anonymous / organisation / document; None when unattributed
    speaker_affiliation: str | None = None  # the state or bloc the speaker speaks for ("United States", "NATO")


@dataclass
class DateExpr:
    doc_id: str
    sent_id: int
    start_char: int
    end_char: int
    text: str
    kind: str  # absolute / relative / weekday / month / year / duration / set / vague
    value: str | None  # ISO day, YYYY-MM, YYYY-Www, YYYY, or TimeML YYYY-Qn / YYYY-Hn / YYYY-SU / decade "199";
    # duration: ISO 8601 "P3W" / "PT12H" / "PXM"; set: TimeML "XXXX-WXX-1" (every Monday) / "P1W" (every week);
    # vague: PAST_REF / PRESENT_REF / FUTURE_REF; None when unresolvable
    granularity: str  # day / week / month / quarter / half / season / year / decade / unknown; a duration's or
    # set's unit (minute / hour / day / week / month / year / decade); vague rows: vague
    date: dt.date | None  # first day of the resolved period, for time charts; None for durations, sets, vague


#: ``threats.stance`` (and, for now, ``category``) of de-escalating statements (talks, reassurance):
#: rows kept apart from threats in every count, chart and card
DEESCALATION = "deescalation"
#: ``threats.stance`` of coercive statements: threats, warnings, ultimatums
THREAT = "threat"


@dataclass
class Threat:
    threat_id: str
    stance: str  # threat / deescalation: every count, chart and card splits on it
    doc_id: str
    sent_id: int
    start_char: int
    end_char: int
    text: str  # the evidence sentence (or clause)
    trigger: str
    category: str  # military / economic / diplomatic / red_line / unspecified / deescalation
    actor_id: str | None
    actor_name: str | None
    actor_affiliation: str | None
    target_id: str | None
    target_name: str | None
    target_affiliation: str | None
    conditional: bool
    condition: str | None
    intensity: int  # ordinal 1..4, see data/threat_taxonomy
    speaker_id: str | None  # set when the threat sits inside a quote


@dataclass
class Story:
    """A document's place in its story group: the same article spun, translated or reposted."""

    story_id: str  # "story-<doc_id of the original>"
    doc_id: str
    role: str  # original (the earliest member) / copy
    original_id: str
    similarity: float  # share of sentences aligned with the original (1.0 for the original)
    n_members: int
    spun: bool  # flagged as a spun, machine-translated or scraped copy
    spun_score: float
    spun_reason: str | None  # the evidence, by kind, with examples


@dataclass
class Cooccurrence:
    entity_a: str
    entity_b: str
    window: str  # sentence / paragraph / document
    count: int
    n_docs: int
    npmi: float


RECORD_TYPES: dict[str, type] = {
    "documents": Document,
    "sentences": Sentence,
    "mentions": Mention,
    "entities": Entity,
    "quotes": Quote,
    "dates": DateExpr,
    "threats": Threat,
    "cooccurrence": Cooccurrence,
    "stories": Story,
}


def _dtype(annotation) -> str:
    # Annotations are strings because of `from __future__ import annotations`.
    a = str(annotation).replace(" ", "")
    if a.startswith("int"):
        return "int64"
    if a.startswith("float"):
        return "float64"
    if a.startswith("bool"):
        return "bool"
    if a.startswith("dt.date"):
        return "datetime64[ns]"
    return "str"


#: table name -> {column: pandas dtype}
SCHEMAS: dict[str, dict[str, str]] = {
    name: {f.name: _dtype(f.type) for f in dataclasses.fields(cls)}
    for name, cls in RECORD_TYPES.items()
}


def columns(table: str) -> list[str]:
    """The column names of ``table`` in contract order."""
    return list(SCHEMAS[table])


def _coerce(df: pd.DataFrame, table: str) -> pd.DataFrame:
    for col, dtype in SCHEMAS[table].items():
        s = df[col]
        if dtype == "datetime64[ns]":
            df[col] = pd.to_datetime(s, errors="coerce").astype("datetime64[ns]")
        elif dtype == "str":
            if str(s.dtype) != "str":  # already the string dtype: a round trip through objects only costs memory
                df[col] = s.astype(object).where(s.notna(), None).astype("str")
        elif str(s.dtype) != dtype:
            df[col] = s.astype(dtype)
    return df


def empty_frame(table: str) -> pd.DataFrame:
    """A zero-row DataFrame with the table's columns and dtypes."""
    return pd.DataFrame({c: pd.Series(dtype=d) for c, d in SCHEMAS[table].items()})


def to_frame(table: str, records: typing.Iterable) -> pd.DataFrame:
    """Records (dataclasses or dicts) -> the table's DataFrame with exact columns and dtypes.

    Examples:
        >>> to_frame("cooccurrence", [Cooccurrence("a", "b", "sentence", 2, 1, 0.5)]).dtypes["count"]
        dtype('int64')
    """
    records = list(records)
    if not records:
        return empty_frame(table)
    cols = columns(table)
    if all(dataclasses.is_dataclass(r) for r in records):
        # field values by attribute: `dataclasses.asdict` deep-copies every record (a tenth of extraction time)
        get = operator.attrgetter(*cols)
        rows = [get(r) for r in records]
    else:
        rows = [dataclasses.asdict(r) if dataclasses.is_dataclass(r) else dict(r) for r in records]
    df = pd.DataFrame.from_records(rows, columns=cols)
    return _coerce(df, table)


def conform(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """Reorder and cast an existing DataFrame to the table's schema (extra columns kept last)."""
    missing = [c for c in SCHEMAS[table] if c not in df.columns]
    if missing:
        raise ValueError(f"{table}: missing columns {missing}")
    extra = [c for c in df.columns if c not in SCHEMAS[table]]
    out = _coerce(df[columns(table) + extra].copy(), table)
    return out.reset_index(drop=True)


def validate(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """Raise ``ValueError`` unless ``df`` has every column of ``table`` with the right dtype kind."""
    problems = []
    for col, dtype in SCHEMAS[table].items():
        if col not in df.columns:
            problems.append(f"missing column {col!r}")
            continue
        kind = df[col].dtype.kind
        ok = {
            "int64": kind in "iu",
            "float64": kind == "f",
            "bool": kind == "b",
            "datetime64[ns]": kind == "M",
            "str": kind in "OSUT" or pd.api.types.is_string_dtype(df[col]),
        }[dtype]
        if not ok:
            problems.append(f"column {col!r} has dtype {df[col].dtype}, expected {dtype}")
    if problems:
        raise ValueError(f"table {table!r} breaks its schema: " + "; ".join(problems))
    return df
