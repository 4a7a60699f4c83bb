"""Global filters: documents by date/outlet/actors, every table follows; entity types narrow entity tables."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from conftest_charts import build
from ukraine_briefs import types
from ukraine_briefs.config import TABLES
from ukraine_briefs.tables import filters
from ukraine_briefs.tables.filters import filter_tables
from ukraine_briefs.tables.io import Tables, as_tables


@pytest.fixture(scope="module")
def t() -> Tables:
    return build()


def _docs(tables: Tables) -> list[str]:
    return sorted(tables.documents["doc_id"])


def test_no_filter_returns_every_row(t):
    out = filter_tables(t)
    for name in TABLES:
        assert len(getattr(out, name)) == len(getattr(t, name)), name
    assert filter_tables(t, outlets=[], actors=None, start="").documents.equals(t.documents)


def test_date_range_is_inclusive_and_drops_undated(t):
    out = filter_tables(t, start="2021-12-01", end=dt.date(2021, 12, 6))
    assert _docs(out) == ["d001", "d002"]
    assert sorted(out.threats["threat_id"]) == ["t1", "t2"]
    assert sorted(out.quotes["quote_id"]) == ["q1", "q2", "q4"]
    assert set(out.mentions["doc_id"]) == {"d001", "d002"}
    assert set(out.sentences["doc_id"]) == {"d001", "d002"}
    assert list(out.dates["doc_id"]) == ["d001"]
    assert _docs(filter_tables(t, start=pd.Timestamp("2021-12-02"))) == ["d002", "evil"]
    assert _docs(filter_tables(t, end="2021-12-01")) == ["d001"]


def test_outlets(t):
    out = filter_tables(t, outlets=["AP"])
    assert _docs(out) == ["bad", "d001"]
    assert _docs(filter_tables(t, outlets="Reuters")) == ["d002"]


def test_actors_by_affiliation_name_or_id(t):
    # Russia: Putin, Kremlin, Lavrov and Russia itself are mentioned in all three articles
    assert _docs(filter_tables(t, actors=["Russia"])) == ["d001", "d002", "evil"]
    assert _docs(filter_tables(t, actors=["Antony Blinken"])) == ["d001"]
    assert _docs(filter_tables(t, actors=["q_lavrov"])) == ["evil"]  # case-insensitive id
    assert _docs(filter_tables(t, actors=["Ukraine", "Latvia"])) == ["d001", "d002"]
    assert _docs(filter_tables(t, actors=["Nobody"])) == []


def test_actors_keep_whole_documents(t):
    out = filter_tables(t, actors=["Antony Blinken"])
    # the rest of the article stays: Putin's quote and the Kremlin mention in d001
    assert sorted(out.quotes["quote_id"]) == ["q1", "q2"]
    assert "Q_kremlin" in set(out.mentions["entity_id"])


def test_entity_types_narrow_entity_tables_only(t):
    out = filter_tables(t, entity_types=["PERSON"])
    assert _docs(out) == _docs(t)
    assert set(out.mentions["label"]) == {"PERSON"}
    assert sorted(out.entities["entity_id"]) == ["Q_blinken", "Q_lavrov", "Q_putin"]
    assert len(out.cooccurrence) == 0  # no PERSON-PERSON pair in the fixture
    assert len(out.quotes) == len(t.quotes) and len(out.threats) == len(t.threats)
    gpe = filter_tables(t, entity_types=["gpe", "ORG"])
    assert set(gpe.entities["type"]) == {"GPE", "ORG"}
    assert set(map(tuple, gpe.cooccurrence[["entity_a", "entity_b"]].values)) == {("Q_russia", "Q_us"), ("Q_nato", "Q_ukraine")}


def test_entities_recounted_over_the_selection(t):
    out = filter_tables(t, start="2021-12-06")
    putin = out.entities.set_index("entity_id").loc["Q_putin"]
    assert (putin["n_mentions"], putin["n_docs"]) == (1, 1)
    assert "Q_blinken" not in set(out.entities["entity_id"])  # not mentioned after Dec 6
    assert set(map(tuple, out.cooccurrence[["entity_a", "entity_b", "window"]].values)) == {
        ("Q_nato", "Q_putin", "sentence"), ("Q_nato", "Q_ukraine", "sentence"), ("Q_putin", "Q_ukraine", "sentence"),
        ("Q_geneva", "Q_lavrov", "sentence"), ("Q_nato", "Q_putin", "document")}
    types.validate(out.entities, "entities")


def test_combined_filters_and_schemas_kept(t):
    out = filter_tables(t, start="2021-12-01", outlets=["AP", "Reuters"], actors=["NATO"], entity_types=["ORG", "PERSON"])
    assert _docs(out) == ["d001", "d002"]
    for name in TABLES:
        types.validate(getattr(out, name), name)
        assert getattr(out, name).index.equals(pd.RangeIndex(len(getattr(out, name))))


def test_empty_tables_and_sources():
    out = filter_tables(Tables.empty(), start="2021-01-01", outlets=["AP"], actors=["Russia"], entity_types=["GPE"])
    for name in TABLES:
        assert len(getattr(out, name)) == 0
        types.validate(getattr(out, name), name)
    # a dict or any object with table attributes works; missing tables become empty frames
    as_t = as_tables({"documents": build().documents})
    assert len(as_t.documents) == 4 and len(as_t.threats) == 0


def test_tables_directory(tmp_path, t):
    for name, df in t.as_dict().items():
        df.to_parquet(tmp_path / f"{name}.parquet")
    out = filter_tables(tmp_path, outlets=["Reuters"])
    assert _docs(out) == ["d002"]


def test_filter_options(t):
    opts = filters.filter_options(t)
    assert (opts["start"], opts["end"]) == (dt.date(2021, 12, 1), dt.date(2022, 1, 21))
    assert opts["outlets"] == ["AP", "Evil <Outlet>", "Reuters"]
    assert opts["entity_types"] == ["GPE", "ORG", "PERSON"]
    assert opts["actors"][:5] == ["Latvia", "NATO", "Russia", "Ukraine", "United States"]
    assert opts["dates"] == [dt.date(2021, 12, 1), dt.date(2021, 12, 6), dt.date(2022, 1, 21)]


def test_ten_thousand_articles(t):
    """Filtering 10k documents / 200k mentions is vectorised (isin on id sets), not per row."""
    rng = np.random.default_rng(0)
    n_docs, n_m = 10_000, 200_000
    docs = t.documents.iloc[np.zeros(n_docs, dtype=int)].reset_index(drop=True)
    docs["doc_id"] = [f"d{i}" for i in range(n_docs)]
    docs["published"] = pd.Timestamp("2021-11-01") + pd.to_timedelta(rng.integers(0, 120, n_docs), unit="D")
    docs["outlet"] = rng.choice(["AP", "Reuters", "TASS"], n_docs)
    m = t.mentions.iloc[np.zeros(n_m, dtype=int)].reset_index(drop=True)
    m["doc_id"] = rng.choice(docs["doc_id"].to_numpy(), n_m)
    m["entity_id"] = rng.choice(t.entities["entity_id"].to_numpy(), n_m)
    big = Tables(docs, t.sentences, m, t.entities, t.quotes, t.dates, t.threats, t.cooccurrence)
    out = filter_tables(big, start="2021-12-01", end="2021-12-31", outlets=["AP"], actors=["Russia"])
    kept = docs[(docs["published"] >= "2021-12-01") & (docs["published"] < "2022-01-01") & (docs["outlet"] == "AP")]
    assert 0 < len(out.documents) <= len(kept)
    assert set(out.mentions["doc_id"]) <= set(out.documents["doc_id"])
