"""The evidence panel: the sentences behind the last clicked chart point, as escaped HTML.

The lookup itself (`tables.evidence.evidence_for`) is plain table logic; this
module only renders its frame. Article text is data: everything is HTML-escaped.
"""
from __future__ import annotations

import html

import ipywidgets as w
import pandas as pd

from ukraine_briefs.tables.evidence import empty_evidence


def html_text(value) -> str:
    """``value`` as escaped HTML text; a missing value is empty."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True)


def date_text(value) -> str:
    """A date as ``01 Dec 2021``; a missing or undated value is empty."""
    ts = pd.Timestamp(value) if value is not None else pd.NaT
    return "" if pd.isna(ts) else ts.strftime("%d %b %Y")


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
    return (f"<div class='ub-evidence-head'>{html_text(title)} <span class='ub-muted'>({len(frame)} sentence"
            f"{'s' if len(frame) != 1 else ''})</span></div><ol class='ub-ev-list'>{''.join(items)}</ol>")


class EvidencePanel(w.VBox):
    """Shows the sentences behind the last clicked chart point."""

    PROMPT = ("<div class='ub-evidence-head'>Evidence</div><p class='ub-muted'>Click a point, bar or "
              "cell in any chart to read the sentences behind it.</p>")

    def __init__(self, **kwargs):
        self.body = w.HTML(self.PROMPT)
        self.body.add_class("ub-evidence-body")
        self.frame = empty_evidence()
        super().__init__([self.body], **kwargs)
        self.add_class("ub-evidence")

    def show(self, title: str, frame: pd.DataFrame) -> None:
        """Display ``frame`` (an `evidence_for` result) under ``title``."""
        self.frame = frame
        self.body.value = evidence_html(title, frame)

    def clear(self) -> None:
        self.frame = empty_evidence()
        self.body.value = self.PROMPT
