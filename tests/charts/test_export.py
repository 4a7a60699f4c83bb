"""Static export: PNG/SVG through one warm kaleido server, offline HTML, CSV, export_all."""
from __future__ import annotations

import io

import pandas as pd
import pytest

from conftest_charts import build
from ukraine_briefs import charts
from ukraine_briefs.charts import export

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def t():
    return build()


@pytest.fixture(scope="module")
def fig(t):
    return charts.threat_timeline_chart(t.threats, t.documents)


def _png_size(data: bytes) -> tuple[int, int]:
    # IHDR: width and height are the first two big-endian ints after the 8-byte magic + 8-byte chunk header
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_png_bytes_from_the_warm_server(fig):
    import kaleido

    data = export.figure_to_bytes(fig, "png", width=600, height=400, scale=1)
    assert data[:8] == PNG_MAGIC
    assert _png_size(data) == (600, 400)
    server = kaleido._global_server
    assert server.is_running()
    thread = server._thread
    again = export.figure_to_bytes(fig, "png", width=300, height=200, scale=2)
    assert _png_size(again) == (600, 400)  # scale 2
    assert server._thread is thread  # the same browser served both images


def test_png_defaults_to_the_figure_size(t):
    f = charts.top_entities_chart(t.entities)
    data = export.figure_to_bytes(f, "png", scale=1)
    assert _png_size(data) == (f.layout.width, f.layout.height)


def test_svg_is_svg_with_escaped_text(t):
    f = charts.quotes_by_speaker_chart(t.quotes, entities=t.entities)
    svg = export.figure_to_bytes(f, "svg").decode("utf-8")
    assert svg.lstrip().startswith("<svg")
    assert "Vladimir Putin" in svg
    assert "<script" not in svg  # Lavrov's "<script>" label is text, not markup
    assert "Sergey Lavrov &#60;script&#62;" in svg


def test_html_is_offline(fig):
    page = export.figure_to_bytes(fig, "html").decode("utf-8")
    # plotly.js mentions its CDN only as a default topojson URL inside the library; no script is fetched
    assert "<script src=" not in page and 'src="https://' not in page
    assert "Plotly.newPlot" in page
    assert len(page) > 1_000_000  # plotly.js is inlined


def test_save_figure_format_from_suffix(tmp_path, fig):
    png = export.save_figure(fig, tmp_path / "a" / "timeline.png", scale=1)
    assert png.read_bytes()[:8] == PNG_MAGIC
    svg = export.save_figure(fig, tmp_path / "timeline.svg")
    assert svg.read_text().lstrip().startswith("<svg")
    forced = export.save_figure(fig, tmp_path / "timeline.img", format="svg")
    assert forced.read_text().lstrip().startswith("<svg")
    html_ = export.save_figure(fig, tmp_path / "timeline.html")
    assert "<html>" in html_.read_text()[:200]
    with pytest.raises(ValueError, match="unsupported export format 'gif'"):
        export.save_figure(fig, tmp_path / "timeline.gif")


def test_empty_figure_exports(tmp_path):
    png = export.save_figure(charts.empty_figure("Nothing"), tmp_path / "empty.png", scale=1)
    assert png.read_bytes()[:8] == PNG_MAGIC


def test_table_to_csv_bytes_round_trips(t):
    data = export.table_to_csv_bytes(t.threats)
    back = pd.read_csv(io.BytesIO(data))
    assert list(back.columns) == list(t.threats.columns)
    assert list(back["threat_id"]) == ["t1", "t2", "t3"]
    assert "Sergey Lavrov <script>" in set(back["actor_name"])  # CSV keeps the raw text
    assert export.table_to_csv_bytes(None) == b"\n"


def test_figure_data_long_table(t):
    d = export.figure_data(charts.threat_categories_chart(t.threats))
    assert set(d["trace"]) == {"red line", "economic", "de-escalation"}
    assert d.loc[d["trace"] == "de-escalation", "x"].tolist() == [-1]
    s = export.figure_data(charts.threat_sankey_chart(t.threats))
    assert list(s.columns) == ["source", "target", "value"] and s["value"].sum() == 6
    c = export.figure_data(charts.corpus_overview_chart(t.documents))
    assert list(c.columns) == ["Title", "Outlet", "Published", "Sentences", "Status"]


def test_export_all_writes_every_chart_and_its_data(tmp_path, t):
    paths = export.export_all(t, tmp_path, formats="png", scale=1)
    names = {p.name for p in paths}
    for chart in charts.ALL_CHARTS:
        assert {f"{chart}.csv", f"{chart}.png"} <= names
    assert all(p.exists() and p.stat().st_size > 0 for p in paths)
    assert (tmp_path / "threat_sankey.png").read_bytes()[:8] == PNG_MAGIC
    threats = pd.read_csv(tmp_path / "threat_timeline.csv")
    assert list(threats["published"].str[:10]) == ["2021-12-01", "2021-12-06", "2022-01-21"]
    docs = pd.read_csv(tmp_path / "corpus_overview.csv")
    assert "text" not in docs.columns and len(docs) == 4


@pytest.mark.slow
def test_export_all_from_a_tables_directory_with_html(tmp_path, t):
    tables = tmp_path / "tables"
    tables.mkdir()
    for name, df in t.as_dict().items():
        df.to_parquet(tables / f"{name}.parquet")
    paths = export.export_all(tables, tmp_path / "out", formats=("html",))
    assert len(paths) == 2 * len(charts.ALL_CHARTS)
    page = (tmp_path / "out" / "cooccurrence_network.html").read_text()
    assert "<script src=" not in page and "Plotly.newPlot" in page


def test_static_images_leave_out_hover_and_click_data_only(t, fig):
    spec = export.static_spec(fig)
    points = [tr for tr in spec["data"] if tr.get("x") is not None and tr["x"][0] is not None]
    assert points and all("customdata" not in tr and "hovertext" not in tr for tr in spec["data"])
    assert [list(tr["x"]) for tr in points] == [list(tr.x) for tr in fig.data if tr.customdata is not None]
    assert fig.data[0].customdata is not None  # the figure itself keeps them
    sankey = export.static_spec(charts.threat_sankey_chart(t.threats))["data"][0]
    assert "customdata" not in sankey["link"] and "label" not in sankey["link"] and "customdata" not in sankey["node"]
    assert "United States" in sankey["node"]["label"] and sum(sankey["link"]["value"]) == 6
    # and the picture is the same as from the whole figure
    import kaleido

    full = export.figure_to_bytes(fig, "png", scale=1)
    with export._lock:
        direct = kaleido.calc_fig_sync(fig.to_plotly_json(), opts=dict(format="png", width=1000, height=fig.layout.height, scale=1))
    assert full == direct


def test_an_image_chromium_cannot_draw_raises_instead_of_returning_junk():
    # a 1000 x 80,000 px canvas is past Chromium's limit: it answers with a few junk bytes
    with pytest.raises(RuntimeError, match="not a PNG"):
        export.figure_to_bytes(charts.empty_figure("Too tall"), "png", height=40_000, scale=2)
