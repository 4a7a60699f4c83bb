"""The layers of DESIGN.md hold: imports go downward only, no cycles, no hidden imports.

An equivalent of an import-linter contract, read from the source with `ast`
(no import-linter dependency, and it also checks what import-linter cannot:
imports inside functions, imports guarded by try/except, module size).
"""
from __future__ import annotations

import ast
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "src" / "ukraine_briefs"
BASE = {"config", "types", "lexicons"}
# layer -> the layers it may import (itself and the base always)
ALLOWED = {
    "ingest": set(),
    "extract": {"ingest"},
    "build": {"extract", "ingest", "tables"},
    "tables": set(),
    "charts": {"tables"},
    "dashboard": {"charts", "tables"},
    "api": {"build", "tables", "ingest", "extract", "charts"},
    "cli": {"build", "tables", "charts", "dashboard", "api", "extract", "ingest"},
    "__init__": {"api"},
}
# the only imports of our own modules inside a function, each with its reason
LAZY = {
    ("api", "ukraine_briefs.build.run"): "load_corpus builds; open_tables must not load spaCy",
    ("__init__", "ukraine_briefs.api"): "`import ukraine_briefs` stays light (PEP 562 attribute access)",
    ("cli", "ukraine_briefs.build.run"): "only `build` loads spaCy; `serve`, `export` and `info` stay light",
    ("cli", "ukraine_briefs.charts.export"): "only `export` loads plotly's static export",
    ("cli", "ukraine_briefs.charts.brief"): "only `brief` loads plotly, kaleido and fpdf2",
    ("cli", "ukraine_briefs.dashboard.serve"): "only `serve` loads Voila",
    ("cli", "ukraine_briefs.charts.publish"): "only `publish` loads plotly and the evidence lookups",
    ("cli", "ukraine_briefs.extract.entities.audit"): "only `audit-entities` loads the extractors' name rules",
}
MAX_LINES = 600


def _modules() -> dict[str, Path]:
    out = {}
    for p in sorted(PKG.rglob("*.py")):
        parts = p.relative_to(PKG).with_suffix("").parts
        name = ".".join(("ukraine_briefs",) + parts)
        out[name.removesuffix(".__init__")] = p
    return out


MODULES = _modules()


def _layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "__init__"
    return parts[1]


def _imports(path: Path, module: str):
    """(imported module, inside a function, inside a try) for each import of our own package."""
    tree = ast.parse(path.read_text(), str(path))
    is_pkg = path.name == "__init__.py"
    found, packages = [], []

    def visit(node, in_func=False, in_try=False):
        for child in ast.iter_child_nodes(node):
            f = in_func or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            t = in_try or isinstance(child, ast.Try)
            if isinstance(child, ast.Import):
                found.extend((a.name, f, t) for a in child.names if a.name.startswith("ukraine_briefs"))
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = module.split(".") if is_pkg else module.split(".")[:-1]
                    base = base[: len(base) - child.level + 1]
                    target = ".".join(base + ([child.module] if child.module else []))
                else:
                    target = child.module or ""
                if target.startswith("ukraine_briefs"):
                    if target in MODULES and target != "ukraine_briefs":
                        # `from pkg import sub` runs pkg/__init__ first: a submodule doing it
                        # depends on its own package, which imports it back (a cycle)
                        packages.append(target)
                    for a in child.names:
                        sub = f"{target}.{a.name}"
                        found.append((sub if sub in MODULES else target, f, t))
            visit(child, f, t)

    visit(tree)
    return found, packages


GRAPH, PACKAGE_EDGES = {}, {}
for _m, _p in MODULES.items():
    GRAPH[_m], PACKAGE_EDGES[_m] = _imports(_p, _m)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_layers_import_downward_only(module):
    layer = _layer(module)
    ok = ALLOWED.get(layer, set()) | {layer} | BASE
    bad = sorted({t for t, *_ in GRAPH[module] if _layer(t) not in ok})
    assert not bad, f"{module} ({layer}) may not import {bad}"


def test_base_modules_import_only_the_base():
    for m in BASE:
        assert {_layer(t) for t, *_ in GRAPH[f"ukraine_briefs.{m}"]} <= BASE


def test_no_import_cycle():
    edges = defaultdict(set)
    for m, imps in GRAPH.items():
        for t in [t for t, *_ in imps] + PACKAGE_EDGES[m]:
            if t in MODULES and t != m:
                edges[m].add(t)
    state, cycle = {}, []

    def dfs(n, stack):
        state[n] = 1
        for t in sorted(edges[n]):
            if state.get(t) == 1:
                cycle.append(stack[stack.index(t):] + [t])
            elif t not in state:
                dfs(t, stack + [t])
        state[n] = 2

    for m in sorted(MODULES):
        if m not in state:
            dfs(m, [m])
    assert not cycle, f"import cycles: {cycle[:3]}"


def test_no_hidden_imports_of_our_own_modules():
    hidden = []
    for m, imps in GRAPH.items():
        for t, in_func, in_try in imps:
            if in_try:
                hidden.append(f"{m} guards an import of {t} with try/except")
            elif in_func and (_layer(m), t) not in LAZY:
                hidden.append(f"{m} imports {t} inside a function")
    assert not hidden, "\n".join(hidden)
    assert not [m for m, p in MODULES.items() if "import_module(" in p.read_text()], "no importlib by string name"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_stay_small(module):
    n = len(MODULES[module].read_text().splitlines())
    assert n <= MAX_LINES, f"{module} has {n} lines (at most {MAX_LINES}: split it by job)"


def test_the_app_and_notebooks_open_tables_without_spacy():
    code = (
        "import sys\n"
        "import ukraine_briefs, ukraine_briefs.api, ukraine_briefs.dashboard, ukraine_briefs.charts\n"
        "import ukraine_briefs.charts.export, ukraine_briefs.dashboard.serve\n"
        "from ukraine_briefs.tables import evidence, filters, io, queries, timeseries\n"
        "from ukraine_briefs import open_tables, load_corpus\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'thinc', 'tokenizers')\n"
        "             or m.startswith(('ukraine_briefs.build', 'ukraine_briefs.extract', 'ukraine_briefs.ingest')))\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
