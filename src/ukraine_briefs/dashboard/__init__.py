"""The Voila dashboard as ipywidgets classes: ``Dashboard.from_dir(path)`` works in JupyterLab too.

Widgets read tables only (no spaCy): they wire the global filters
(`tables.filters`) to the chart functions of `ukraine_briefs.charts`, and chart
clicks to the evidence sentences (`tables.evidence.evidence_for`).
Start the Voila app with `ukraine_briefs.dashboard.serve.serve(tables_dir)`.
"""
from ukraine_briefs.dashboard.app import Dashboard
from ukraine_briefs.dashboard.download import DownloadButton
from ukraine_briefs.dashboard.evidence import EvidencePanel
from ukraine_briefs.dashboard.filters_bar import FiltersBar, FilterState

__all__ = ["Dashboard", "DownloadButton", "EvidencePanel", "FilterState", "FiltersBar"]
