"""The evidence panel: the sentences behind the last clicked chart point, as escaped HTML.

The lookup itself (`tables.evidence.evidence_for`) is plain table logic; this
module only renders its frame. Article text is data: everything is HTML-escaped.
"""
from __future__ import annotations

import html
import re

import ipywidgets as w
import pandas as pd

from typing import Callable

from ukraine_briefs.charts.export import table_to_csv_bytes
from ukraine_briefs.dashboard.download import DownloadButton
from ukraine_briefs.tables.evidence import empty_evidence, total_of


def html_text(value) -> str:
    """``value`` as escaped HTML text; a missing value is empty."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True)


def date_text(value) -> str:
    """A date as ``01 Dec 2021``; a missing or undated value is empty."""
    ts = pd.Timestamp(value) if value is not None else pd.NaT
    return "" if pd.isna(ts) else ts.strftime("%d %b %Y")


def count_text(frame: pd.DataFrame) -> str:
    """"30 of 32 sentences" when the list is cut, else "32 sentences"."""
    n, total = len(frame), total_of(frame)
    noun = "sentence" if total == 1 else "sentences"
    return f"{n} of {total} {noun}" if total > n else f"{total} {noun}"


def evidence_html(title: str, frame: pd.DataFrame) -> str:
    """The evidence as an HTML list; every value from the corpus is escaped."""
    if frame.empty:
        return (f"<div class='ub-evidence-head'>{html_text(title)}</div>"
                "<p class='ub-muted'>No sentences behind this point in the current selection.</p>")
    items = []
    for row in frame.itertuples(index=False):
        tone = row.sentiment if isinstance(row.sentiment, (int, float)) and not pd.isna(row.sentiment) else 0.0
        cls = "pos" if tone > 0.05 else "neg" if tone < -0.05 else "neu"
        items.append(
            "<li class='ub-ev'>"
            f"<div class='ub-ev-meta'>{html_text(row.title)} · {html_text(row.outlet)} · {date_text(row.published)}"
            f" · sentence {int(row.sent_id)} <span class='ub-tone ub-{cls}'>tone {tone:+.2f}</span>"
            + (f" · <em>{html_text(row.note)}</em>" if row.note else "") + "</div>"
            f"<div class='ub-ev-text'>{html_text(row.text)}</div></li>")
    return (f"<div class='ub-evidence-head'>{html_text(title)} <span class='ub-muted ub-ev-count'>"
            f"({count_text(frame)})</span></div><ol class='ub-ev-list'>{''.join(items)}</ol>")


class EvidencePanel(w.VBox):
    """Shows the sentences behind the last clicked chart point."""

    PROMPT = ("<div class='ub-evidence-head'>Evidence</div><p class='ub-muted'>Click a point, bar or "
              "cell in any chart to read the sentences behind it.</p>")

    CLEARED = ("<div class='ub-evidence-head'>Evidence</div><p class='ub-muted ub-ev-cleared'>The filters "
               "changed, so the sentences listed before may no longer belong to the selection. Click a point "
               "again to read the sentences behind it.</p>")

    def __init__(self, **kwargs):
        self.body = w.HTML(self.PROMPT)
        self.body.add_class("ub-evidence-body")
        self.frame = empty_evidence()
        self.title = ""
        self._all: Callable[[], pd.DataFrame] | None = None
        self.download = DownloadButton("Download all (CSV)", filename="evidence.csv", content=self.csv_bytes,
                                       hint="Every sentence behind this point, as CSV")
        self.download.add_class("ub-ev-download")
        self.download.layout.display = "none"
        super().__init__([self.body, self.download], **kwargs)
        self.add_class("ub-evidence")

    def show(self, title: str, frame: pd.DataFrame, *, everything: Callable[[], pd.DataFrame] | None = None) -> None:
        """Display ``frame`` (an `evidence_for` result) under ``title``.

        ``everything`` returns all the sentences behind the point (for the CSV
        download when the list is cut); by default the download holds ``frame``.
        """
        self.frame, self.title, self._all = frame, title, everything
        self.body.value = evidence_html(title, frame)
        self.download.filename = (re.sub(r"[^A-Za-z0-9]+", "_", title).strip("_").lower()[:60] or "evidence") + ".csv"
        self.download.layout.display = None if len(frame) else "none"

    def all_rows(self) -> pd.DataFrame:
        """Every sentence behind the point shown (not only the listed ones)."""
        return self._all() if self._all is not None else self.frame

    def csv_bytes(self) -> bytes:
        return table_to_csv_bytes(self.all_rows())

    def clear(self, *, filters_changed: bool = False) -> None:
        """Back to the prompt; after a filter change, say why the list went away."""
        self.frame, self.title, self._all = empty_evidence(), "", None
        self.body.value = self.CLEARED if filters_changed else self.PROMPT
        self.download.layout.display = "none"
