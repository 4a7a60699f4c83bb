"""Speaker groups: the bar a quote counts under when quotes are grouped by person, affiliation or source type.

Unnamed sources are half of diplomatic reporting, so grouping by person keeps them
as groups of their own ("unnamed sources · United States" beside "Antony Blinken")
instead of dropping every quote without an entity id. A quote counts nowhere only
when no source was found at all (no ``speaker_id`` and no ``source_type``) and for
scare quotes (a term, not speech): a spun
"the authentic" that the extractor typed ``anonymous`` with its affiliation counts
as an unnamed source of that affiliation, never as a person of that name.
"""
from __future__ import annotations

import pandas as pd

#: What a quote can be grouped by (``by``), with the words the app shows for it.
GROUPINGS = {"speaker": "person or unnamed source", "affiliation": "affiliation", "source_type": "source type"}

#: ``quotes.source_type`` values in display order, with what a chart calls them.
SOURCE_TYPES = {"person": "named person", "organisation": "organisation", "document": "document",
                "anonymous": "anonymous source", "unknown": "no source found"}

#: How a group of unnamed speakers of one source type is called when grouping by person.
_UNNAMED = {"anonymous": "unnamed sources", "organisation": "unnamed body", "document": "unnamed document",
            "person": "unnamed person"}

_MISSING = {"", "None", "nan", "<NA>", "NaN"}


def _text(series: pd.Series) -> pd.Series:
    """Strings with every kind of missing value as ''."""
    s = series.astype(object)
    return s.where(s.notna(), "").astype(str).str.strip().where(lambda x: ~x.isin(_MISSING), "")


def _column(quotes: pd.DataFrame, name: str) -> pd.Series:
    return _text(quotes[name]) if name in quotes.columns else pd.Series("", index=quotes.index)


def affiliation_of(quotes: pd.DataFrame, entities: pd.DataFrame | None = None) -> pd.Series:
    """Each quote's speaker affiliation: the quote's own ``speaker_affiliation``, else its entity's; '' when none."""
    aff = _column(quotes, "speaker_affiliation")
    if entities is not None and not entities.empty and {"entity_id", "affiliation"} <= set(entities.columns):
        by_id = entities.drop_duplicates("entity_id").set_index("entity_id")["affiliation"]
        from_entity = _text(_column(quotes, "speaker_id").map(by_id))
        aff = aff.where(aff != "", from_entity)
    return aff.where(aff != "unaffiliated", "")


def speaker_groups(quotes: pd.DataFrame, entities: pd.DataFrame | None = None, *, by: str = "speaker") -> pd.DataFrame:
    """Per quote (same index): ``key`` of its group (None = no source found: counted nowhere), ``label``
    and the speaker's ``affiliation`` (`affiliation_of`; '' when none).

    ``by="speaker"``: a named speaker is its entity (key ``speaker_id``, label its name); an
    unnamed source is one group per source type and affiliation (key
    ``unnamed:anonymous:United States``, label "unnamed sources · United States").
    ``by="affiliation"``: the speaker's country or bloc (key and label the affiliation;
    "no affiliation" for found sources without one). ``by="source_type"``: the source type.

    Examples:
        >>> q = pd.DataFrame({"speaker_id": ["Q_blinken", None, None], "speaker_name": ["Antony Blinken", None, None],
        ...                   "source_type": ["person", "anonymous", None],
        ...                   "speaker_affiliation": ["United States", "United States", None]})
        >>> speaker_groups(q)["label"].tolist()
        ['Antony Blinken', 'unnamed sources · United States', None]
        >>> speaker_groups(q, by="affiliation")["key"].tolist()
        ['United States', 'United States', None]
    """
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {sorted(GROUPINGS)}, not {by!r}")
    sid, name = _column(quotes, "speaker_id"), _column(quotes, "speaker_name")
    kind = _column(quotes, "source_type")
    named = sid != ""
    found = (named | (kind != "")) & (_column(quotes, "kind") != "scare")  # a term in quotes has no speaker
    aff = affiliation_of(quotes, entities)
    if by == "speaker":
        unnamed = pd.Series([_UNNAMED.get(k, k) for k in kind], index=quotes.index, dtype=object)
        key = ("unnamed:" + kind + ":" + aff).where(~named, sid)
        label = (unnamed + aff.map(lambda a: f" · {a}" if a else "")).where(~named, name.where(name != "", sid))
    elif by == "affiliation":
        key = aff.where(aff != "", "no affiliation")
        label = key
    else:
        key = kind.where(kind != "", "person")  # an id without a type is a named person
        label = key.map(lambda k: SOURCE_TYPES.get(k, k))
    return pd.DataFrame({"key": [k if f else None for k, f in zip(key, found)],
                         "label": [v if f else None for v, f in zip(label, found)], "affiliation": aff},
                        index=quotes.index, dtype=object)
