"""Evidence lookups are plain functions over tables: a notebook uses them without ipywidgets."""
from __future__ import annotations

import subprocess
import sys

import pytest

from conftest_charts import build
from ukraine_briefs.tables.evidence import EVIDENCE_COLUMNS, evidence_for, threats_behind, total_of


def test_threats_behind_a_point_and_a_categories_bar():
    t = build()
    assert list(threats_behind("threat_timeline", ["t1", "d001", 0, 10], t.threats, t.documents)["threat_id"]) == ["t1"]
    assert list(threats_behind("threat_categories", ["Russia", "red_line"], t.threats)["threat_id"]) == ["t2"]
    assert threats_behind("threat_sankey", ["x"], t.threats).empty


def test_unknown_chart_or_no_customdata_gives_an_empty_frame():
    t = build()
    assert list(evidence_for("no_such_chart", ["x"], t).columns) == EVIDENCE_COLUMNS
    assert evidence_for("top_entities", [], t).empty


@pytest.mark.slow
def test_evidence_for_on_the_seed_tables_without_ipywidgets(seed_corpus):
    code = (
        "import sys\n"
        "from ukraine_briefs.tables.evidence import evidence_for\n"
        "from ukraine_briefs.tables.io import open_tables\n"
        f"t = open_tables({str(seed_corpus.tables_dir)!r})\n"
        "ev = evidence_for('threat_categories', ['Ukraine', 'military'], t)\n"
        "print(len(ev), sorted(m for m in sys.modules if m.split('.')[0] in ('ipywidgets', 'spacy')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["3", "[]"]


def test_evidence_counts_every_sentence_and_lists_at_most_the_limit():
    t = build()
    # Blinken is mentioned in 1 sentence; the fixture's US mentions add no more
    one = evidence_for("top_entities", ["Q_putin"], t)
    assert total_of(one) == len(one) == 2
    cut = evidence_for("top_entities", ["Q_putin"], t, limit=1)
    assert len(cut) == 1 and total_of(cut) == 2  # the panel says "1 of 2 sentences"
    assert len(evidence_for("top_entities", ["Q_putin"], t, limit=None)) == 2


def test_a_categories_bar_of_deescalation_lists_its_statements_apart_from_threats():
    t = build()
    th = t.threats.assign(stance=["threat", "threat", "deescalation"], category=["economic", "red_line", "economic"])
    # a de-escalating "economic" statement (lifting sanctions) is no economic threat
    assert list(threats_behind("threat_categories", ["Russia", "deescalation:economic"], th)["threat_id"]) == ["t3"]
    assert list(threats_behind("threat_categories", ["United States", "economic"], th)["threat_id"]) == ["t1"]
    assert list(threats_behind("threat_categories", ["Russia", "economic"], th)["threat_id"]) == []
