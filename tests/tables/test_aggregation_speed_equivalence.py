"""The vectorised dashboard aggregations return exactly what the implementations they replaced returned.

`filters.filter_tables`, `timeseries.sentiment_by_period` / `mentions_by_period`,
`threats.threat_dyads` and `cooccurrence.filter_cooccurrence` were rewritten on
integer codes for speed (issue 8: each under 150 ms at 10,000 articles). The
previous implementations (commit 7950e3a) are kept below, unchanged apart from
their names, as the oracle: every output must equal theirs value for value and
dtype for dtype, on the hand-built chart tables, on a damaged copy of them
(missing outlets and ids, a document id repeated, tied sentiments), and on the
seed corpus built by the real pipeline (slow).
"""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from conftest_charts import build
from ukraine_briefs.tables import cooccurrence, filters, io, queries, timeseries
from ukraine_briefs.config import TABLES
from ukraine_briefs.tables.filters import column_codes
from ukraine_briefs.types import DEESCALATION

# --------------------------------------------------------------------------- the previous implementations


def ref_by_docs(df: pd.DataFrame, doc_ids: pd.Index) -> pd.DataFrame:
    if 'doc_id' not in df.columns:
        return df
    return df[df['doc_id'].isin(doc_ids)]


def ref_actor_entity_ids(entities: pd.DataFrame, actors: Iterable[str]) -> set[str]:
    wanted = {str(a).strip().lower() for a in actors}
    if entities.empty:
        return set()
    hit = pd.Series(False, index=entities.index)
    for col in ('entity_id', 'canonical_name', 'affiliation'):
        if col in entities.columns:
            hit |= entities[col].astype('string').str.lower().isin(wanted).fillna(False)
    return set(entities.loc[hit, 'entity_id'].astype(str))


def ref_filter_tables(corpus_or_tables, *, start=None, end=None, outlets: Iterable[str] | None=None, entity_types: Iterable[str] | None=None, actors: Iterable[str] | None=None) -> io.Tables:
    t = io.as_tables(corpus_or_tables)
    outlets, entity_types, actors = (filters._as_list(outlets), filters._as_list(entity_types), filters._as_list(actors))
    start_ts, end_ts = (filters._to_ts(start), filters._to_ts(end))
    if not any([outlets, entity_types, actors, start_ts is not None, end_ts is not None]):
        return dataclasses.replace(t)
    docs = t.documents
    keep = pd.Series(True, index=docs.index)
    if start_ts is not None or end_ts is not None:
        published = pd.to_datetime(docs['published'], errors='coerce')
        if start_ts is not None:
            keep &= published >= start_ts.normalize()
        if end_ts is not None:
            keep &= published < end_ts.normalize() + pd.Timedelta(days=1)
        keep &= published.notna()
    if outlets:
        keep &= docs['outlet'].isin(outlets)
    if actors:
        ids = ref_actor_entity_ids(t.entities, actors)
        lowered = {str(a).strip().lower() for a in actors}
        hit_docs = set(t.mentions.loc[t.mentions['entity_id'].isin(ids), 'doc_id']) if ids else set()
        th = t.threats
        if not th.empty:
            mask = th['actor_id'].isin(ids) | th['target_id'].isin(ids)
            for col in ('actor_affiliation', 'target_affiliation', 'actor_name', 'target_name'):
                mask |= th[col].astype('string').str.lower().isin(lowered).fillna(False)
            hit_docs |= set(th.loc[mask, 'doc_id'])
        q = t.quotes
        if not q.empty and ids:
            hit_docs |= set(q.loc[q['speaker_id'].isin(ids), 'doc_id'])
        keep &= docs['doc_id'].isin(hit_docs)
    docs = docs[keep]
    doc_ids = pd.Index(docs['doc_id'].unique())
    mentions = ref_by_docs(t.mentions, doc_ids)
    entities = t.entities
    cooc = t.cooccurrence
    if entity_types:
        wanted = {str(x).upper() for x in entity_types}
        typed = entities['type'].astype(str).str.upper().isin(wanted)
        known = pd.Index(entities['entity_id'].unique())
        keep_ids = pd.Index(entities.loc[typed, 'entity_id'].unique())
        labels = {lab for lab in mentions['label'].dropna().unique() if str(lab).upper() in wanted}
        m_keep = mentions['entity_id'].isin(keep_ids) | ~mentions['entity_id'].isin(known) & mentions['label'].isin(labels)
        mentions = mentions[m_keep]
        entities = entities[typed]
    counts = mentions.groupby('entity_id').agg(n_mentions=('doc_id', 'size'), n_docs=('doc_id', 'nunique'))
    entities = entities[entities['entity_id'].isin(counts.index)].copy()
    if not entities.empty:
        entities['n_mentions'] = entities['entity_id'].map(counts['n_mentions']).astype('int64')
        entities['n_docs'] = entities['entity_id'].map(counts['n_docs']).astype('int64')
    kept_ids = pd.Index(entities['entity_id'].unique())
    cooc = cooc[cooc['entity_a'].isin(kept_ids) & cooc['entity_b'].isin(kept_ids)]
    return io.Tables(documents=docs.reset_index(drop=True), sentences=ref_by_docs(t.sentences, doc_ids).reset_index(drop=True), mentions=mentions.reset_index(drop=True), entities=entities.reset_index(drop=True), quotes=ref_by_docs(t.quotes, doc_ids).reset_index(drop=True), dates=ref_by_docs(t.dates, doc_ids).reset_index(drop=True), threats=ref_by_docs(t.threats, doc_ids).reset_index(drop=True), cooccurrence=cooc.reset_index(drop=True),
                     stories=ref_by_docs(t.stories, doc_ids).reset_index(drop=True))  # stories: added with the table (issue 23)


def ref_mean_ci(values: Iterable[float]) -> tuple[float, int, float, float]:
    v = np.asarray([x for x in values if x is not None and (not pd.isna(x))], dtype=float)
    n = len(v)
    if n == 0:
        return (math.nan, 0, math.nan, math.nan)
    m = float(v.mean())
    if n < 2:
        return (m, n, math.nan, math.nan)
    half = timeseries.t95(n - 1) * float(v.std(ddof=1)) / math.sqrt(n)
    return (m, n, max(-1.0, m - half), min(1.0, m + half))


def ref_period(dates: pd.Series, freq: str) -> tuple[pd.Series, pd.Series]:
    if freq not in timeseries.FREQS:
        raise ValueError(f'freq must be one of {sorted(timeseries.FREQS)}, got {freq!r}')
    d = pd.to_datetime(dates, errors='coerce')
    if freq == 'D':
        start = d.dt.normalize()
        label = start.dt.strftime('%Y-%m-%d')
    elif freq == 'W':
        start = (d - pd.to_timedelta(d.dt.weekday, unit='D')).dt.normalize()
        iso = start.dt.isocalendar()
        label = iso['year'].astype('Int64').astype(str) + '-W' + iso['week'].astype('Int64').astype(str).str.zfill(2)
        label = label.where(start.notna(), None)
    else:
        start = d.dt.to_period('M').dt.start_time
        label = start.dt.strftime('%Y-%m')
    return (start.astype('datetime64[ns]'), label)


def ref_units(corpus, *, by: str, group: str | None, freq: str) -> pd.DataFrame:
    docs = timeseries._table(corpus, 'documents')
    if by not in ('published', 'event'):
        raise ValueError(f"by must be 'published' or 'event', got {by!r}")
    if group not in (None, 'entity', 'speaker', 'outlet'):
        raise ValueError(f"group must be None, 'entity', 'speaker' or 'outlet', got {group!r}")
    if group == 'speaker':
        q = queries.direct_quotes(timeseries._table(corpus, 'quotes'))  # reported speech left out since issue 23
        if q.empty:
            return pd.DataFrame(columns=['doc_id', 'sent_id', 'text', 'sentiment', 'group', 'label', 'when'])
        units = q[q['speaker_id'].notna() & (q['speaker_id'].astype(str) != 'None')]
        units = units.assign(group=units['speaker_id'].astype(str), label=units['speaker_name'].where(units['speaker_name'].notna(), units['speaker_id']))
        units = units[['doc_id', 'sent_id', 'text', 'sentiment', 'group', 'label']]
    else:
        s = timeseries._table(corpus, 'sentences')
        units = s[['doc_id', 'sent_id', 'text', 'sentiment']].copy() if not s.empty else pd.DataFrame(columns=['doc_id', 'sent_id', 'text', 'sentiment'])
        if group is None:
            units['group'], units['label'] = ('all', 'all')
        elif group == 'outlet':
            out = docs[['doc_id', 'outlet']].copy() if not docs.empty else pd.DataFrame(columns=['doc_id', 'outlet'])
            out['outlet'] = out['outlet'].where(out['outlet'].notna() & (out['outlet'].astype(str) != 'None'), 'unknown')
            units = units.merge(out, on='doc_id', how='left')
            units['group'] = units['outlet'].fillna('unknown').astype(str)
            units['label'] = units['group']
            units = units.drop(columns='outlet')
        else:
            m = timeseries._table(corpus, 'mentions')
            if m.empty:
                units = units.iloc[0:0].assign(group=[], label=[])
            else:
                ent = m[['doc_id', 'sent_id', 'entity_id', 'canonical_name']].drop_duplicates(['doc_id', 'sent_id', 'entity_id'])
                units = units.merge(ent, on=['doc_id', 'sent_id'], how='inner')
                units = units.rename(columns={'entity_id': 'group', 'canonical_name': 'label'})
    if by == 'published':
        pub = docs[['doc_id', 'published']] if not docs.empty else pd.DataFrame(columns=['doc_id', 'published'])
        units = units.merge(pub, on='doc_id', how='left').rename(columns={'published': 'when'})
    else:
        d = timeseries._table(corpus, 'dates')
        if d.empty:
            return units.iloc[0:0].assign(when=pd.Series(dtype='datetime64[ns]'))
        d = d[d['date'].notna() & d['granularity'].isin(timeseries._ACCEPT[freq])]
        d = d.sort_values(['doc_id', 'sent_id', 'start_char']).drop_duplicates(['doc_id', 'sent_id'])
        units = units.merge(d[['doc_id', 'sent_id', 'date']], on=['doc_id', 'sent_id'], how='inner')
        units = units.rename(columns={'date': 'when'})
    units = units[pd.to_datetime(units['when'], errors='coerce').notna()]
    return units


def ref_evidence(g: pd.DataFrame, mean: float, max_ids: int) -> tuple[str, str]:
    v = g['sentiment'].astype(float)
    keep = g.loc[v.abs().sort_values(ascending=False, kind='stable').index[:max_ids]] if len(g) > max_ids else g
    keep = keep.sort_values(['doc_id', 'sent_id'], kind='stable')
    ids = ';'.join((f'{d}:{int(s)}' for d, s in zip(keep['doc_id'], keep['sent_id'])))
    if abs(mean) < 0.05:
        best = (v - mean).abs().idxmin()
    else:
        best = (v * np.sign(mean)).idxmax()
    return (str(g.loc[best, 'text']), ids)


def ref_aggregate(units: pd.DataFrame, freq: str, max_ids: int=200) -> pd.DataFrame:
    if units.empty:
        return pd.DataFrame({c: pd.Series(dtype='object') for c in timeseries.SERIES_COLUMNS}).astype({'period': 'datetime64[ns]', 'mean': 'float64', 'count': 'int64', 'n_docs': 'int64', 'ci_low': 'float64', 'ci_high': 'float64'})
    units = units.copy()
    units['period'], units['period_label'] = ref_period(units['when'], freq)
    rows = []
    for (period, label_p, grp), g in units.groupby(['period', 'period_label', 'group'], sort=True):
        mean, n, lo, hi = ref_mean_ci(g['sentiment'])
        ev, ids = ref_evidence(g.reset_index(drop=True), mean, max_ids)
        rows.append({'period': period, 'period_label': label_p, 'group': grp, 'label': str(g['label'].iloc[0]), 'mean': mean, 'count': n, 'n_docs': int(g['doc_id'].nunique()), 'ci_low': lo, 'ci_high': hi, 'evidence': ev, 'evidence_ids': ids})
    out = pd.DataFrame(rows, columns=timeseries.SERIES_COLUMNS)
    out['period'] = pd.to_datetime(out['period']).astype('datetime64[ns]')
    return out.sort_values(['group', 'period'], kind='stable').reset_index(drop=True)


def ref_sentiment_by_period(corpus, *, by: str='published', freq: str='D', group: str | None=None, max_evidence: int=200) -> pd.DataFrame:
    return ref_aggregate(ref_units(corpus, by=by, group=group, freq=freq), freq, max_evidence)


def ref_mentions_by_period(corpus, *, freq: str='D', entities: Iterable[str] | None=None, by: str='published') -> pd.DataFrame:
    m = timeseries._table(corpus, 'mentions')
    cols = ['period', 'period_label', 'group', 'label', 'count', 'n_docs', 'share', 'evidence']
    if m.empty:
        return pd.DataFrame({c: pd.Series(dtype='object') for c in cols})
    m = m.copy()
    if by == 'published':
        docs = timeseries._table(corpus, 'documents')[['doc_id', 'published']]
        m = m.merge(docs, on='doc_id', how='left').rename(columns={'published': 'when'})
    elif by == 'event':
        d = timeseries._table(corpus, 'dates')
        d = d[d['date'].notna() & d['granularity'].isin(timeseries._ACCEPT[freq])]
        d = d.sort_values(['doc_id', 'sent_id', 'start_char']).drop_duplicates(['doc_id', 'sent_id'])
        m = m.merge(d[['doc_id', 'sent_id', 'date']], on=['doc_id', 'sent_id'], how='inner').rename(columns={'date': 'when'})
    else:
        raise ValueError(f"by must be 'published' or 'event', got {by!r}")
    m = m[pd.to_datetime(m['when'], errors='coerce').notna()]
    m['period'], m['period_label'] = ref_period(m['when'], freq)
    totals = m.groupby('period').size()
    if entities is not None:
        wanted = {str(e) for e in entities}
        m = m[m['entity_id'].astype(str).isin(wanted) | m['canonical_name'].astype(str).isin(wanted)]
    s = timeseries._table(corpus, 'sentences')
    text = {(d, i): t for d, i, t in zip(s['doc_id'], s['sent_id'], s['text'])} if not s.empty else {}
    rows = []
    for (period, plabel, ent), g in m.groupby(['period', 'period_label', 'entity_id'], sort=True):
        first = g.sort_values(['doc_id', 'start_char']).iloc[0]
        rows.append({'period': period, 'period_label': plabel, 'group': ent, 'label': str(first['canonical_name']), 'count': len(g), 'n_docs': int(g['doc_id'].nunique()), 'share': len(g) / float(totals.loc[period]), 'evidence': text.get((first['doc_id'], first['sent_id']), str(first['surface']))})
    out = pd.DataFrame(rows, columns=cols)
    if len(out):
        out['period'] = pd.to_datetime(out['period']).astype('datetime64[ns]')
    return out.sort_values(['group', 'period'], kind='stable').reset_index(drop=True)


def ref_threat_dyads(threats: pd.DataFrame, documents: pd.DataFrame, *, freq: str='W', include_deescalation: bool=True) -> pd.DataFrame:
    cols = ['period', 'actor_affiliation', 'target_affiliation', 'category', 'n_threats', 'n_docs', 'max_intensity', 'mean_intensity', 'n_conditional', 'threat_ids', 'evidence']
    if threats is None or len(threats) == 0:
        return pd.DataFrame({c: pd.Series(dtype='object') for c in cols})
    t = threats.copy()
    if not include_deescalation:
        t = t[t['category'] != DEESCALATION]
    pub = documents[['doc_id', 'published']].drop_duplicates('doc_id')
    t = t.merge(pub, on='doc_id', how='left')
    published = pd.to_datetime(t['published'], errors='coerce')
    t['period'] = published.dt.to_period(freq).dt.start_time
    for side in ('actor_affiliation', 'target_affiliation'):
        t[side] = t[side].where(t[side].notna() & (t[side].astype(str) != 'None'), 'unknown').astype(str)
    g = t.groupby(['period', 'actor_affiliation', 'target_affiliation', 'category'], dropna=False, sort=True)
    out = g.agg(n_threats=('threat_id', 'size'), n_docs=('doc_id', 'nunique'), max_intensity=('intensity', 'max'), mean_intensity=('intensity', 'mean'), n_conditional=('conditional', 'sum'), threat_ids=('threat_id', lambda s: '; '.join(s)), evidence=('text', lambda s: '; '.join(dict.fromkeys(s)))).reset_index()
    out['n_conditional'] = out['n_conditional'].astype('int64')
    out['max_intensity'] = out['max_intensity'].astype('int64')
    return out[cols].sort_values(['period', 'n_threats'], ascending=[True, False], kind='stable').reset_index(drop=True)


def ref_filter_cooccurrence(mentions, entities: pd.DataFrame | None=None, documents: pd.DataFrame | None=None, *, types=None, affiliations=None, start=None, end=None, min_count: int=1, window: str='sentence') -> pd.DataFrame:
    if not isinstance(mentions, pd.DataFrame):
        tables = mentions
        mentions = tables.mentions
        entities = tables.entities if entities is None else entities
        documents = getattr(tables, 'documents', None) if documents is None else documents
    if entities is None:
        entities = pd.DataFrame(columns=['entity_id', 'canonical_name', 'type', 'affiliation'])
    if window not in cooccurrence.WINDOWS:
        raise ValueError(f'unknown window {window!r}; expected one of {list(cooccurrence.WINDOWS)}')
    m = mentions
    if (start is not None or end is not None) and documents is not None and len(documents):
        pub = pd.to_datetime(documents['published'], errors='coerce')
        keep = pub.notna()
        lo, hi = (cooccurrence._as_date(start), cooccurrence._as_date(end))
        if lo is not None:
            keep &= pub >= lo
        if hi is not None:
            keep &= pub <= hi
        m = m[m['doc_id'].isin(set(documents.loc[keep, 'doc_id']))]
    pairs = cooccurrence.cooccurrence_frame(m, windows=(window,))
    info = entities.set_index('entity_id')[['canonical_name', 'type', 'affiliation']] if len(entities) else None
    for side in ('a', 'b'):
        ids = pairs[f'entity_{side}']
        if info is not None:
            pairs[f'name_{side}'] = ids.map(info['canonical_name']).fillna(ids)
            pairs[f'type_{side}'] = ids.map(info['type'])
            aff = ids.map(info['affiliation'])
            pairs[f'affiliation_{side}'] = aff.where(aff.notna() & (aff.astype(str) != 'None'), None)
        else:
            pairs[f'name_{side}'], pairs[f'type_{side}'], pairs[f'affiliation_{side}'] = (ids, None, None)
    keep = pairs['count'] >= min_count
    t, a = (cooccurrence._as_set(types), cooccurrence._as_set(affiliations))
    if t is not None:
        keep &= pairs['type_a'].isin(t) & pairs['type_b'].isin(t)
    if a is not None:
        keep &= pairs['affiliation_a'].isin(a) & pairs['affiliation_b'].isin(a)
    out = pairs[keep].sort_values(['count', 'npmi', 'entity_a', 'entity_b'], ascending=[False, False, True, True])
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- tables and selections


def _same(new: pd.DataFrame, ref: pd.DataFrame, what: str) -> None:
    assert list(new.columns) == list(ref.columns), what
    assert new.dtypes.astype(str).tolist() == ref.dtypes.astype(str).tolist(), what
    assert_frame_equal(new, ref, check_exact=True, obj=what)


def _damaged() -> io.Tables:
    """The chart tables with what real data throws at the fast paths: gaps, orphans, ties, "None" strings."""
    t = build()
    docs = t.documents.copy()
    docs.loc[docs["doc_id"] == "d002", "outlet"] = None
    docs.loc[docs["doc_id"] == "evil", "outlet"] = "None"
    s = t.sentences.copy()
    extra = s.iloc[[0, 0, 2, 2, 3]].copy()
    extra["sent_id"] = [5, 6, 5, 6, 7]
    extra["sentiment"] = [0.0, -0.4, 0.0, 0.1, 0.0]  # ties with existing sentences
    orphan = s.iloc[[0]].assign(doc_id="gone", sent_id=0)  # a sentence of a document not in the table
    s = pd.concat([s, extra, orphan], ignore_index=True)
    m = t.mentions.copy()
    m = pd.concat([m, m.iloc[[0, 5]].assign(sent_id=5), m.iloc[[7, 8]].assign(sent_id=6),
                   m.iloc[[1]].assign(doc_id="gone"), m.iloc[[2]].assign(entity_id="Q_not_in_entities")],
                  ignore_index=True)
    th = t.threats.copy()
    th.loc[0, "target_affiliation"] = "None"
    th.loc[1, "actor_affiliation"] = None
    th = pd.concat([th, th.iloc[[0]].assign(threat_id="t9", doc_id="gone")], ignore_index=True)
    return io.Tables(docs, s, m, t.entities, t.quotes, t.dates, th, t.cooccurrence)


def _repeated_doc(t: io.Tables) -> io.Tables:
    """A documents table listing one document twice (a merge then repeats its rows)."""
    docs = pd.concat([t.documents, t.documents.iloc[[0]]], ignore_index=True)
    return dataclasses.replace(t, documents=docs)


SELECTIONS = [
    {},
    {"start": "2021-12-01", "end": "2021-12-06"},
    {"outlets": ["AP"], "actors": ["Russia"]},
    {"actors": ["q_lavrov", "Ukraine"]},
    {"actors": ["United States"], "entity_types": ["PERSON", "gpe"]},
    {"entity_types": ["ORG"]},
    {"start": "2022-01-01", "actors": ["Nobody"]},
]


def _oracle_pairs(t: io.Tables, sel: dict) -> tuple[io.Tables, io.Tables]:
    """The new and the previous filter on separate copies (no code cache shared between them)."""
    copy = io.Tables(**{k: v.copy() for k, v in t.as_dict().items()})
    return filters.filter_tables(t, **sel), ref_filter_tables(copy, **sel)


def _check_everything(t: io.Tables, sel: dict) -> None:
    new, ref = _oracle_pairs(t, sel)
    for name in TABLES:
        _same(getattr(new, name), getattr(ref, name), f"filter_tables {sel} {name}")
    for freq in ("D", "W", "M"):
        for by in ("published", "event"):
            for group in (None, "outlet", "entity", "speaker"):
                for n_ids in ((200, 2) if freq == "M" else (200,)):
                    _same(timeseries.sentiment_by_period(new, by=by, freq=freq, group=group, max_evidence=n_ids),
                          ref_sentiment_by_period(ref, by=by, freq=freq, group=group, max_evidence=n_ids),
                          f"sentiment_by_period {sel} {freq} {by} {group} {n_ids}")
            for ents in (None, ["Q_putin", "Russia", "nobody"]):
                _same(timeseries.mentions_by_period(new, freq=freq, by=by, entities=ents),
                      ref_mentions_by_period(ref, freq=freq, by=by, entities=ents), f"mentions_by_period {sel} {freq} {by}")
        for deesc in (True, False):
            _same(queries.threat_dyads(new.threats, new.documents, freq=freq, include_deescalation=deesc),
                  ref_threat_dyads(ref.threats, ref.documents, freq=freq, include_deescalation=deesc),
                  f"threat_dyads {sel} {freq} {deesc}")
    for window in ("sentence", "paragraph", "document"):
        _same(cooccurrence.filter_cooccurrence(t.mentions, t.entities, t.documents, start=sel.get("start"),
                                               end=sel.get("end"), window=window),
              ref_filter_cooccurrence(t.mentions.copy(), t.entities, t.documents.copy(), start=sel.get("start"),
                                      end=sel.get("end"), window=window),
              f"filter_cooccurrence {sel} {window}")
        _same(cooccurrence.filter_cooccurrence(new, types=["PERSON", "GPE"], affiliations=["Russia", "Ukraine"],
                                               window=window),
              ref_filter_cooccurrence(ref, types=["PERSON", "GPE"], affiliations=["Russia", "Ukraine"], window=window),
              f"filter_cooccurrence tables {sel} {window}")


# --------------------------------------------------------------------------- equality with the previous code


@pytest.mark.parametrize("sel", SELECTIONS, ids=str)
def test_chart_tables_equal_previous(sel):
    _check_everything(build(), sel)


@pytest.mark.parametrize("sel", SELECTIONS, ids=str)
def test_damaged_tables_equal_previous(sel):
    _check_everything(_damaged(), sel)


def test_repeated_document_id_takes_the_merge_path():
    t = _repeated_doc(_damaged())
    assert filters.doc_positions(t.sentences, t.documents) is None
    for group in (None, "outlet"):
        _same(timeseries.sentiment_by_period(t, freq="W", group=group),
              ref_sentiment_by_period(t, freq="W", group=group), f"repeated doc {group}")
    _same(timeseries.mentions_by_period(t, freq="W"), ref_mentions_by_period(t, freq="W"), "repeated doc volume")
    _same(queries.threat_dyads(t.threats, t.documents), ref_threat_dyads(t.threats, t.documents), "repeated doc dyads")


def test_top_evidence_ids_keep_ties_in_reading_order():
    t = _damaged()
    out = timeseries.sentiment_by_period(t, freq="M", max_evidence=3)
    # December 2021: d001 (-0.4, -0.6, 0.0, -0.4) and d002 (-0.2, 0.0, 0.1); the three strongest are
    # -0.6 and the two -0.4 (d001:0 before d001:6), listed in reading order
    dec = out[out["period_label"] == "2021-12"].iloc[0]
    assert dec["evidence_ids"] == "d001:0;d001:1;d001:6"
    assert dec["count"] == 7 and dec["n_docs"] == 2


@pytest.mark.slow
@pytest.mark.parametrize("sel", [
    {},
    {"start": "2021-12-01", "end": "2021-12-06", "actors": ["Russia"]},
    {"actors": ["Antony Blinken"], "entity_types": ["PERSON"]},
    {"outlets": ["AP", "Reuters"]},
], ids=str)
def test_seed_corpus_equal_previous(seed_corpus, sel):
    _check_everything(io.as_tables(seed_corpus), sel)


# --------------------------------------------------------------------------- the code cache


def test_codes_are_cached_and_follow_a_replaced_column():
    df = pd.DataFrame({"x": ["b", "a", "b"]})
    codes, uniques = column_codes(df, "x")
    assert column_codes(df, "x")[0] is codes  # computed once
    df["x"] = ["c", "c", "a"]
    codes2, uniques2 = column_codes(df, "x")
    assert list(uniques2[codes2]) == ["c", "c", "a"]
    df2 = pd.concat([df, df])
    assert list(column_codes(df2, "x")[1][column_codes(df2, "x")[0]]) == ["c", "c", "a", "c", "c", "a"]


def test_filtered_tables_share_the_code_tables_of_their_source():
    t = build()
    out = filters.filter_tables(t, start="2021-12-01", end="2021-12-06")
    assert column_codes(out.mentions, "doc_id")[1] is column_codes(t.mentions, "doc_id")[1]
    codes, uniques = column_codes(out.mentions, "doc_id")
    assert list(uniques[codes]) == list(out.mentions["doc_id"])
    assert filters.doc_positions(out.sentences, out.documents).tolist() == [0, 0, 1]


def test_prepare_leaves_tables_unchanged():
    t = build()
    p = filters.prepare(t)
    for name in TABLES:
        assert getattr(p, name) is getattr(t, name)
    _same(filters.filter_tables(p, actors=["Russia"]).documents,
          ref_filter_tables(build(), actors=["Russia"]).documents, "prepare")
