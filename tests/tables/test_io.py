"""The one table container and reader: `Tables`, `open_tables`, `as_tables` (no spaCy)."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from conftest_charts import build
from ukraine_briefs import api
from ukraine_briefs.config import TABLES
from ukraine_briefs.tables.io import Tables, as_tables, open_tables, read_tables


@pytest.fixture()
def tables_dir(tmp_path):
    for name, df in build().as_dict().items():
        df.to_parquet(tmp_path / f"{name}.parquet")
    (tmp_path / "manifest.json").write_text(json.dumps({"pipeline_version": "x"}))
    return tmp_path


def test_open_tables_reads_every_table(tables_dir):
    t = open_tables(tables_dir)
    assert isinstance(t, Tables) and t.tables_dir == tables_dir
    assert list(t.as_dict()) == list(TABLES) and t.tables.keys() == t.as_dict().keys()
    assert len(t.documents) == 4 and t.table("threats") is t.threats
    assert t.manifest == {"pipeline_version": "x"} and t.report is None
    assert repr(t).startswith("<Tables ") and "documents=4" in repr(t)
    with pytest.raises(KeyError, match="no table 'tweets'"):
        t.table("tweets")


def test_open_tables_names_a_missing_table(tables_dir):
    (tables_dir / "quotes.parquet").unlink()
    with pytest.raises(FileNotFoundError, match="quotes.parquet not found"):
        open_tables(tables_dir)
    assert list(read_tables(tables_dir, ["documents"])) == ["documents"]


def test_open_tables_from_the_environment(tables_dir, monkeypatch):
    monkeypatch.setenv("UKRAINE_BRIEFS_TABLES", str(tables_dir))
    assert len(open_tables().documents) == 4
    monkeypatch.delenv("UKRAINE_BRIEFS_TABLES")
    with pytest.raises(ValueError, match="UKRAINE_BRIEFS_TABLES"):
        open_tables()


def test_as_tables_takes_tables_dicts_objects_and_directories(tables_dir):
    t = build()
    assert as_tables(t) is t
    from_dict = as_tables({"documents": t.documents})
    assert from_dict.documents is t.documents and list(from_dict.quotes.columns) == list(Tables.empty().quotes.columns)
    from_obj = as_tables(type("Obj", (), {"threats": t.threats})())
    assert from_obj.threats is t.threats and from_obj.documents.empty
    assert len(as_tables(tables_dir).documents) == 4 and len(as_tables(str(tables_dir)).mentions) == len(t.mentions)


def test_the_public_names_are_the_one_type():
    assert api.Corpus is Tables and api.open_tables is open_tables
    empty = Tables.empty()
    assert all(isinstance(df, pd.DataFrame) and df.empty for df in empty.as_dict().values())
    assert empty.manifest == {}
