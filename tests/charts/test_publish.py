"""The static edition (``ukraine-briefs publish``): every chart as offline interactive HTML, the evidence, no markup leaks."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from conftest_charts import EVIL_TITLE, SEED_001, build
from ukraine_briefs.charts import publish as pub
from ukraine_briefs.charts.catalog import ALL_CHARTS


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    written = pub.publish(build(), out)
    return out, written


def _evidence(page: str) -> dict:
    data = re.search(r'<script type="application/json" id="ub-evidence-data">(.*?)</script>', page, re.S).group(1)
    return json.loads(data)


def test_every_chart_has_a_page_and_the_index_links_them(site):
    out, written = site
    names = {p.name for p in written}
    assert {f"chart-{n}.html" for n in ALL_CHARTS} <= names
    assert {"index.html", "plotly.min.js", "quotes.html", "threats.html", "documents.html"} <= names
    index = (out / "index.html").read_text()
    for n in ALL_CHARTS:
        assert f'href="chart-{n}.html"' in index
    for n in ALL_CHARTS:
        page = (out / f"chart-{n}.html").read_text()
        assert re.search(r'<script[^>]* src="plotly.min.js">', page)  # plotly.js written once beside, not per page
        assert f'id="chart-{n}"' in page and "Plotly.newPlot" in page


def test_offline_no_cdn_and_plotly_written_once(site):
    out, _ = site
    assert (out / "plotly.min.js").stat().st_size > 1_000_000
    for page in out.glob("*.html"):
        text = page.read_text()
        assert "cdn.plot.ly" not in text and "cdn.jsdelivr" not in text, page.name
        assert not re.search(r'<(script|link)[^>]+(src|href)="(https?:)?//', text), page.name
        assert text.count("Plotly.newPlot") <= 1


def test_article_text_is_escaped_everywhere(site):
    out, _ = site
    for page in out.glob("*.html"):
        text = page.read_text()
        assert "<script>alert" not in text and "<img src=x" not in text and "<b>now</b>" not in text, page.name
    docs = (out / "documents.html").read_text()
    assert "Talks &lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(2)&gt;" in docs
    assert "Evil &lt;Outlet&gt;" in docs
    quotes = (out / "quotes.html").read_text()
    assert "We are ready to de-escalate &lt;b&gt;now&lt;/b&gt;," in quotes
    assert "Sergey Lavrov &lt;script&gt;" in quotes


def test_clicking_a_mark_finds_its_evidence_sentences(site):
    out, _ = site
    ev = _evidence((out / "chart-top_entities.html").read_text())
    texts = {r["text"] for rows in ev.values() for r in rows}
    assert any("Blinken warned Wednesday at a NATO conference in Latvia" in t for t in texts)
    evil = [r for rows in ev.values() for r in rows if r["title"] == EVIL_TITLE]
    # the hostile sentence travels as JSON text (written with textContent by the page), never as markup
    assert evil and {r["outlet"] for r in evil} == {"Evil <Outlet>"}
    assert "Officials met in Geneva on Friday." in {r["text"][:34] for r in evil}
    assert "Talks \\u003cscript\\u003ealert('t')" in (out / "chart-top_entities.html").read_text()
    sankey = _evidence((out / "chart-threat_sankey.html").read_text())
    assert any(k.startswith("0:link") for k in sankey) and any(k.startswith("0:node") for k in sankey)
    assert any("red line" in r["text"] for rows in sankey.values() for r in rows)


def test_script_json_cannot_close_its_script_element():
    s = pub.script_json({"t": "</script><script>alert(1)</script>", "a": "&"})
    assert "</script>" not in s and "<" not in s and json.loads(s)["t"].startswith("</script>")


def test_cli_publish_writes_the_site(tmp_path):
    tables = tmp_path / "tables"
    tables.mkdir()
    for name, df in build().as_dict().items():
        df.to_parquet(tables / f"{name}.parquet")
    res = subprocess.run([sys.executable, "-m", "ukraine_briefs.cli", "publish", "--tables", str(tables),
                          "--out", str(tmp_path / "site")], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-2000:]
    assert "index.html" in res.stdout and (tmp_path / "site" / "chart-threat_sankey.html").exists()
    assert SEED_001[:40] in (tmp_path / "site" / "threats.html").read_text()
