"""The briefing PDF: one chart a page with its caption, the filters and footnoted evidence, read back as text."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest_charts import build
from ukraine_briefs.charts import brief
from ukraine_briefs.charts.export import find_browser

pypdf = pytest.importorskip("pypdf")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(find_browser() is None, reason="no Chromium for kaleido")]

CHARTS = ("threat_sankey", "quotes_by_speaker", "top_entities")


def _pages(path: Path) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in pypdf.PdfReader(str(path)).pages]


def test_each_page_holds_one_chart_its_caption_the_filters_and_footnotes(tmp_path):
    out = brief.write_brief(build(), tmp_path / "brief.pdf", filters="AP, Reuters; Russia", charts=CHARTS)
    pages = _pages(out)
    assert len(pages) == len(CHARTS)
    reader = pypdf.PdfReader(str(out))
    assert all(len(p.images) == 1 for p in reader.pages)  # the chart
    sankey, quotes, top = pages
    assert sankey.startswith("Threat flows: actor → category → target")
    assert " ".join(brief.CAPTIONS["threat_sankey"].split()) in sankey
    assert "Filters: AP, Reuters; Russia" in sankey
    # footnotes: the strongest threat first (t1, intensity 3), then t2; the de-escalation t3 is no threat
    assert "Evidence (2 of 2 sentences behind this chart):" in sankey
    assert "[1] “Secretary of State Antony Blinken warned" in sankey and "[2] “Putin once said" in sankey
    assert "ready to de-escalate" not in sankey
    assert "— Blinken warns Russia of economic measures, AP, 01 Dec 2021" in sankey  # title, outlet, date
    assert quotes.startswith("Who is quoted, and in what tone") and "[1]" in quotes
    assert "Filters: AP, Reuters; Russia" in top


def test_cli_brief_writes_the_pdf_and_the_zip(tmp_path, seed_corpus):
    pdf, pack = tmp_path / "b.pdf", tmp_path / "b.zip"
    out = subprocess.run([sys.executable, "-m", "ukraine_briefs.cli", "brief", "--tables", str(seed_corpus.tables_dir),
                          "--out", str(pdf), "--zip", str(pack), "--outlet", "CNN (spun repost)"],
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    pages = _pages(pdf)
    assert len(pages) == len(brief.BRIEF_CHARTS)
    assert all("Filters: CNN (spun repost)" in p for p in pages)
    names = set(zipfile.ZipFile(pack).namelist())
    assert {f"{c}.{x}" for c in brief.BRIEF_CHARTS for x in ("png", "svg", "csv")} == names
