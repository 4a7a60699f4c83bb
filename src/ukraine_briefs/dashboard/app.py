"""The dashboard: a header, the global filters, six tabs and the evidence panel.

``dashboard/app.ipynb`` only does ``Dashboard.from_env()``; everything else lives here
so the same app runs in JupyterLab (``Dashboard.from_dir("...")``) and in Voila.
"""
from __future__ import annotations

import html
import logging
import os
import tempfile
from pathlib import Path

import ipywidgets as w

from ukraine_briefs.charts.brief import write_brief
from ukraine_briefs.dashboard.download import DownloadButton

from ukraine_briefs.dashboard.evidence import EvidencePanel
from ukraine_briefs.dashboard.figure import ResizeNudge
from ukraine_briefs.dashboard.filters_bar import FiltersBar, FilterState
from ukraine_briefs.dashboard.stories import StoriesTab
from ukraine_briefs.dashboard.tabs import (DocumentsTab, EntitiesTab, OverviewTab, QuotesTab,
                                           SentimentTab, Tab, ThreatsTab)
from ukraine_briefs.tables.filters import filter_tables, prepare

log = logging.getLogger(__name__)

ENV_VAR = "UKRAINE_BRIEFS_TABLES"

CSS = """
<style>
:root { --ub-ink:#1d2733; --ub-muted:#5f6b7a; --ub-line:#d9dee6; --ub-accent:#1f3a5f; --ub-bg:#f5f7fa; }
body, .jp-Notebook { background: var(--ub-bg) !important; }
#rendered_cells { padding: 0 !important; }
.jp-Cell, .jp-OutputArea-output { padding: 0 !important; }
.ub-app { color: var(--ub-ink); font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
          max-width: 1560px; margin: 0 auto; padding: 12px 18px 40px; }
.ub-header h1 { font-size: 24px; margin: 4px 0 2px; color: var(--ub-accent); font-weight: 650; }
.ub-header p { margin: 0 0 8px; color: var(--ub-muted); font-size: 13px; }
.ub-filters { background:#fff; border:1px solid var(--ub-line); border-radius:8px; padding:10px 12px;
              margin-bottom: 10px; }
.ub-label { font-size: 12px; color: var(--ub-muted); font-weight: 600; }
.ub-label i { font-weight: 400; }
.ub-filter-row > * { margin-right: 22px !important; }
.ub-actors { min-width: 280px; min-height: 30px; border: 1px solid #b8c4d6; border-radius: 4px; background: #fff; }
.ub-actors input { min-width: 200px; }
.ub-actors { border: none; min-height: 0; background: transparent; }
.ub-chip button, button.ub-chip { background: #e0ecff; border-radius: 12px; font-size: 12px; height: 24px;
  margin: 3px 4px 0 0; padding: 0 10px; }
.ub-actor-note { font-size: 12px; max-width: 320px; }
.ub-outlets select, .ub-entity-types select { font-size: 12px; }
.ub-date-label { font-size: 13px; font-weight: 600; color: var(--ub-ink); }
.ub-filter-summary { font-size: 12px; color: var(--ub-muted); }
.ub-main > .ub-tabs { flex: 1 1 auto; min-width: 0; }
.ub-evidence { flex: 0 0 360px; width: 360px; margin-left: 12px; background:#fff; border:1px solid var(--ub-line);
               border-radius: 8px; padding: 10px 12px; max-height: 88vh; overflow-y: auto; position: sticky; top: 8px; }
.ub-evidence-head { font-weight: 600; font-size: 14px; margin-bottom: 6px; color: var(--ub-accent); }
.ub-ev-list { padding-left: 18px; margin: 0; }
.ub-ev { margin: 0 0 10px; font-size: 13px; line-height: 1.45; }
.ub-ev-meta { font-size: 11px; color: var(--ub-muted); margin-bottom: 2px; }
.ub-ev-text { white-space: normal; }
.ub-tone { border-radius: 3px; padding: 0 4px; font-weight: 600; }
.ub-pos { background: #e0f0ff; color: #0b4f8a; } .ub-neg { background: #fde8d8; color: #8a3b0b; }
.ub-neu { background: #eceff3; color: #4a5563; }
.ub-muted { color: var(--ub-muted); font-size: 13px; }
.ub-tab { padding: 8px 4px; }
.ub-chart { background:#fff; border:1px solid var(--ub-line); border-radius:8px; padding:6px 8px 8px;
            margin: 0 8px 10px 0; box-sizing: border-box; }
.ub-chart { overflow: hidden; }
.ub-fig { width: 100% !important; min-width: 0 !important; max-width: 100% !important; overflow: hidden; }
.ub-caption { font-size: 12px; color: var(--ub-muted); }
.ub-kpis { display:flex; gap: 10px; flex-wrap: wrap; margin: 2px 0 8px; }
.ub-kpi { background:#fff; border:1px solid var(--ub-line); border-radius:8px; padding:8px 14px; min-width: 130px; }
.ub-kpi-v { font-size: 22px; font-weight: 650; color: var(--ub-accent); }
.ub-kpi-k { font-size: 12px; font-weight: 600; }
.ub-kpi-s { font-size: 11px; color: var(--ub-muted); }
.ub-findings { margin: 4px 0 10px; padding-left: 20px; font-size: 14px; line-height: 1.6; }
.ub-table { border-collapse: collapse; width: 100%; font-size: 13px; background: #fff; }
.ub-table th, .ub-table td { border-bottom: 1px solid var(--ub-line); padding: 5px 8px; text-align: left;
                             vertical-align: top; }
.ub-table th { background: #eef2f7; }
.ub-nowrap { white-space: nowrap; } .ub-num { text-align: right; font-variant-numeric: tabular-nums; }
.ub-h3 { font-size: 15px; margin: 8px 0 4px; color: var(--ub-accent); }
.ub-reader { background:#fff; border:1px solid var(--ub-line); border-radius: 8px; padding: 14px 22px;
             max-width: 900px; font-size: 15px; line-height: 1.6; }
.ub-legend { font-size: 12px; } .ub-lg { padding: 1px 6px; margin-right: 6px; border-radius: 3px; }
.ub-lg-ent { background: #e0ecff; } .ub-lg-quote { background: #fff3c4; } .ub-lg-date { background: #e3f5e1; }
.ub-lg-threat { background: #fde2e2; border-bottom: 2px solid #d55e00; }
.ub-tabs > .lm-TabBar { min-height: 34px; }
.ub-tabs > .lm-TabBar .lm-TabBar-tab { font-size: 14px; min-width: 120px; max-width: 160px; padding: 4px 16px;
  background: #e8edf4; color: var(--ub-muted); border-color: var(--ub-line); line-height: 26px; }
.ub-tabs > .lm-TabBar .lm-TabBar-tab.lm-mod-current { background: #fff; color: var(--ub-accent); font-weight: 650;
  border-top: 3px solid var(--ub-accent); }
.ub-tabs > .widget-tab-contents, .ub-tabs > .lm-StackedPanel { border-color: var(--ub-line); background: transparent; }
</style>
"""


class Dashboard(w.VBox):
    """The whole app over one tables directory (or a `Tables`, or anything `tables.io.as_tables` takes).

    Filters live in ``self.state`` (a `FilterState`); every change re-filters the
    tables once and refreshes the visible tab; hidden tabs refresh when opened.
    """

    TAB_CLASSES = (OverviewTab, EntitiesTab, QuotesTab, SentimentTab, ThreatsTab, DocumentsTab, StoriesTab)

    def __init__(self, tables, *, title: str = "Ukraine briefs", source: str = "", **kwargs):
        # the integer codes every filter uses, computed once at load
        self.all_tables = prepare(tables)
        self.state = FilterState()
        self.filters = FiltersBar(self.all_tables, self.state)
        self.evidence = EvidencePanel()
        self.nudge = ResizeNudge()
        self.tabs: list[Tab] = [cls(self.evidence) for cls in self.TAB_CLASSES]
        for tab in self.tabs:  # each tab makes its widgets when first shown (`Tab.mount`)
            tab.nudge = self.nudge
        self.tab_widget = w.Tab(children=self.tabs, titles=[t.title for t in self.tabs])
        self.tab_widget.add_class("ub-tabs")
        self.tables = self.all_tables
        self._fresh: set[int] = set()
        n_docs = len(self.all_tables.documents)
        header = w.HTML(
            f"<div class='ub-header'><h1>{html.escape(title)}</h1><p>Who is mentioned with whom, who said what, "
            f"how the tone moved and who threatens whom — {n_docs} news briefs on the Russia–Ukraine crisis. "
            "Click any chart point for the sentences behind it.</p></div>")
        self.source = source  # kept for notebooks; never shown: the page must not reveal server paths
        self.brief_button = DownloadButton("Briefing pack (PDF)", filename="briefing.pdf", mime="application/pdf",
                                           content=self.brief_bytes,
                                           hint="The charts of this selection, one a page, with captions, the "
                                                "filters and the top evidence sentences (takes ~1 min)")
        self.brief_button.add_class("ub-brief")
        main = w.HBox([self.tab_widget, self.evidence], layout=w.Layout(width="100%", align_items="flex-start"))
        main.add_class("ub-main")
        super().__init__([w.HTML(CSS), header, self.filters, self.brief_button, main, self.nudge], **kwargs)
        self.add_class("ub-app")
        self.state.observe(self._on_filter, names=list(FilterState.FIELDS))
        self.tab_widget.observe(self._on_tab, names="selected_index")
        self._refresh_filter_summary()
        self._ensure(self.tab_widget.selected_index or 0)

    # -- constructors ----------------------------------------------------------
    @classmethod
    def from_dir(cls, path: str | os.PathLike, **kwargs) -> "Dashboard":
        """The app over a built tables directory (``ukraine-briefs build --out DIR``)."""
        return cls(Path(path), source=str(path), **kwargs)

    @classmethod
    def from_env(cls, **kwargs) -> w.Widget:
        """The app over ``$UKRAINE_BRIEFS_TABLES``; a friendly message if it is unset or unreadable."""
        path = os.environ.get(ENV_VAR)
        if not path:
            return w.HTML(f"<h2>No corpus</h2><p>Set <code>{ENV_VAR}</code> to a built tables directory, "
                          "or start the app with <code>ukraine-briefs serve --tables DIR</code>.</p>")
        try:
            return cls.from_dir(path, **kwargs)
        except Exception as exc:  # viewers never see a traceback
            log.exception("cannot open tables at %s", path)
            return w.HTML(f"<h2>Cannot open the corpus</h2><p>{html.escape(type(exc).__name__)}: "
                          f"{html.escape(str(exc))[:300]}</p>")

    # -- behaviour ---------------------------------------------------------------
    def _ensure(self, index: int) -> None:
        if index is None or index in self._fresh:
            return
        try:
            self.tabs[index].refresh(self.tables)
        except Exception:  # one broken tab must not take the app down; viewers see no traceback
            log.exception("tab %s failed", self.tabs[index].title)
        self._fresh.add(index)

    def _on_tab(self, change) -> None:
        self._ensure(change["new"])
        self.nudge.bump()

    def _on_filter(self, _change=None) -> None:
        self.apply_filters()

    def apply_filters(self) -> None:
        """Re-filter the tables from ``self.state`` and redraw the visible tab."""
        self.tables = filter_tables(self.all_tables, **self.state.as_kwargs())
        # sentences listed for the old selection may lie outside the new one
        self.evidence.clear(filters_changed=True)
        self._fresh.clear()
        self._refresh_filter_summary()
        self._ensure(self.tab_widget.selected_index or 0)

    def _refresh_filter_summary(self) -> None:
        n = len(self.tables.documents)
        total = len(self.all_tables.documents)
        self.filters.summary.value = (f"Showing <b>{n}</b> of {total} documents · "
                                      f"{html.escape(self.state.describe())}")

    def brief_bytes(self) -> bytes:
        """The briefing PDF of the current selection (`charts.brief.write_brief`)."""
        with tempfile.TemporaryDirectory() as tmp:
            path = write_brief(self.tables, Path(tmp) / "briefing.pdf", filters=self.state.describe())
            return path.read_bytes()

    def select(self, title: str) -> Tab:
        """Open the tab called ``title`` (and refresh it); returns the tab."""
        i = [t.title for t in self.tabs].index(title)
        self.tab_widget.selected_index = i
        self._ensure(i)
        return self.tabs[i]
