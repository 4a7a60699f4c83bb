"""The analyst notebooks: committed with cleared outputs, thin, and they run top to bottom on the seeds."""
from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("[0-9][0-9]-*.ipynb"))
PLOTLY_MIME = "application/vnd.plotly.v1+json"


def test_the_five_notebooks_exist():
    assert [p.stem for p in NOTEBOOKS] == [
        "01-corpus-overview",
        "02-entities-and-cooccurrence",
        "03-quotes",
        "04-sentiment-over-time",
        "05-threat-language",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_clean_and_thin(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code), "clear outputs before committing"
    for c in code:
        tree = ast.parse(c.source)
        # thin: notebooks call the package; no function or class definitions
        assert not any(isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)) for n in ast.walk(tree))
    assert "open_tables" in code[0].source and "load_corpus" in code[0].source
    assert nb.metadata.get("jupytext", {}).get("formats") == "ipynb,py:percent"
    assert path.with_suffix(".py").exists()


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom(path, seed_corpus, monkeypatch):
    from nbclient import NotebookClient

    # the kernel inherits the environment: open the seed tables built once for the session
    monkeypatch.setenv("UKRAINE_BRIEFS_TABLES", str(seed_corpus.tables_dir))
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    figures = [o for o in outputs if PLOTLY_MIME in o.get("data", {})]
    assert len(figures) >= (1 if path.stem == "03-quotes" else 3)
    assert all(f["data"][PLOTLY_MIME]["layout"]["title"]["text"] for f in figures)
    assert not [f for f in figures if f["data"][PLOTLY_MIME]["layout"]["meta"]["empty"]], "a chart found no data"
    if path.stem in ("03-quotes", "05-threat-language"):
        readers = [o for o in outputs if 'class="ub-doc"' in o.get("data", {}).get("text/html", "")]
        assert len(readers) == 1
