"""The Stories tab: story groups, their members, first seen, a copy's diff against its original,
and quotations reported by several documents.

Widgets only: the numbers come from `tables.stories`. Every value from the
corpus (titles, outlets, sentences, flag reasons) is escaped before it reaches HTML.
"""
from __future__ import annotations

import ipywidgets as w
import pandas as pd

from ukraine_briefs.dashboard.evidence import date_text, html_text
from ukraine_briefs.dashboard.tabs import Tab
from ukraine_briefs.tables import stories

STYLE = """<style>
.ub-stories ins { background: #e3f5e1; text-decoration: none; }
.ub-stories del { background: #fde2e2; color: #8a3b0b; }
.ub-diff p { margin: 0 0 8px; font-size: 14px; line-height: 1.5; }
.ub-diff .ub-diff-new { border-left: 3px solid #d55e00; padding-left: 6px; }
</style>"""


def stories_html(overview: pd.DataFrame, *, limit: int = 50) -> str:
    """The story groups as an HTML table: first title, first seen, members, flagged copies, outlets."""
    if overview.empty:
        return "<p class='ub-muted'>No stories in this selection.</p>"
    rows = "".join(
        f"<tr><td>{html_text(r.title)}</td><td class='ub-nowrap'>{date_text(r.first_seen)}</td>"
        f"<td class='ub-num'>{int(r.n_members)}</td><td class='ub-num'>{int(r.n_spun)}</td>"
        f"<td>{html_text(r.outlets)}</td></tr>"
        for r in overview.head(limit).itertuples(index=False))
    return ("<table class='ub-table ub-stories-table'><tr><th>Story (first seen title)</th><th>First seen</th>"
            "<th>Members</th><th>Flagged copies</th><th>Outlets</th></tr>" + rows + "</table>")


def members_html(members: pd.DataFrame) -> str:
    """One story's members: role, outlet, date, similarity to the original, copy flag with its reason."""
    if members.empty:
        return ""
    rows = "".join(
        f"<tr><td>{html_text(r.role)}</td><td>{html_text(r.title)}</td><td>{html_text(r.outlet)}</td>"
        f"<td class='ub-nowrap'>{date_text(r.published)}</td><td class='ub-num'>{r.similarity:.0%}</td>"
        f"<td>{'yes' if r.spun else 'no'} ({r.spun_score:g})</td><td>{html_text(r.spun_reason)}</td></tr>"
        for r in members.itertuples(index=False))
    return ("<table class='ub-table ub-members'><tr><th>Role</th><th>Title</th><th>Outlet</th><th>Published</th>"
            "<th>Similarity</th><th>Copy flag</th><th>Evidence</th></tr>" + rows + "</table>")


def diff_html(diff: pd.DataFrame, *, limit: int = 200) -> str:
    """A copy sentence by sentence: words the copy changed in green (``ins``), the original's in red (``del``);
    a sentence with no counterpart in the original is marked at its left edge."""
    if diff.empty:
        return "<p class='ub-muted'>Pick a copy to compare it with its original.</p>"
    paras = []
    for r in diff.head(limit).itertuples(index=False):
        pieces = "".join(html_text(x) if op == "equal" else f"<{op[:3]}>{html_text(x)}</{op[:3]}>" for op, x in r.diff)
        new = " class='ub-diff-new'" if not r.original else ""
        paras.append(f"<p{new}>{pieces}</p>")
    return "<div class='ub-diff'>" + "".join(paras) + "</div>"


def shared_quotes_html(tables, *, limit: int = 30) -> str:
    """Quotations reported by several documents: speaker, first seen, and each report with its changed words."""
    sq = stories.shared_quotes(tables)
    if sq.empty:
        return "<p class='ub-muted'>No quotation is reported by more than one document in this selection.</p>"
    out = []
    for r in sq.head(limit).itertuples(index=False):
        reports = stories.quote_reports(tables, r.quote_group)
        items = "".join(
            f"<li>{html_text(x.outlet or x.doc_id)} · {date_text(x.published)}"
            + (f" · words changed: <ins>{html_text(x.changed)}</ins>" if x.changed else " · word for word")
            + "</li>" for x in reports.itertuples(index=False))
        out.append(f"<div class='ub-ev'><b>{html_text(r.speaker_name or 'unattributed')}</b>: "
                   f"“{html_text(r.text)}” <span class='ub-muted'>({int(r.n_docs)} documents, first seen "
                   f"{date_text(r.first_seen)})</span><ul>{items}</ul></div>")
    return "".join(out)


class StoriesTab(Tab):
    """Story groups (copies of one article), a story's members, a copy's diff, quotes across outlets."""

    title = "Stories"

    def build(self) -> None:
        self.overview_html = w.HTML()
        self.story = w.Dropdown(description="Story", layout=w.Layout(width="640px"))
        self.members_html = w.HTML()
        self.copy = w.Dropdown(description="Copy", layout=w.Layout(width="640px"))
        self.diff_html = w.HTML()
        self.quotes_html = w.HTML()
        for widget, name in ((self.story, "ub-story-pick"), (self.copy, "ub-copy-pick"),
                             (self.diff_html, "ub-story-diff"), (self.overview_html, "ub-story-groups")):
            widget.add_class(name)
        self.story.observe(self._show_story, names="value")
        self.copy.observe(self._show_diff, names="value")
        self.children = [w.HTML(STYLE), w.HTML("<h3 class='ub-h3'>Story groups</h3>"), self.overview_html,
                         self.story, self.members_html, self.copy, self.diff_html,
                         w.HTML("<h3 class='ub-h3'>Quotations reported by several documents</h3>"), self.quotes_html]
        self.add_class("ub-stories")

    def refresh(self, tables) -> None:
        super().refresh(tables)
        ov = stories.stories_overview(tables)
        self.overview_html.value = stories_html(ov)
        self.story.options = [(f"{r.title} ({int(r.n_members)})"[:110], r.story_id) for r in ov.itertuples(index=False)]
        self.story.value = ov["story_id"].iloc[0] if len(ov) else None
        self._show_story()
        self.quotes_html.value = shared_quotes_html(tables)

    def _show_story(self, _change=None) -> None:
        if self.tables is None or self.story.value is None:
            self.members_html.value, self.copy.options = "", []
            self._show_diff()
            return
        m = stories.story_members(self.tables, self.story.value)
        self.members_html.value = members_html(m)
        copies = m[m["role"] == "copy"]
        self.copy.options = [(f"{r.outlet or r.doc_id} · {date_text(r.published)}", r.doc_id)
                             for r in copies.itertuples(index=False)]
        self.copy.value = copies["doc_id"].iloc[0] if len(copies) else None
        self._show_diff()

    def _show_diff(self, _change=None) -> None:
        if self.tables is None or self.copy.value is None:
            self.diff_html.value = diff_html(pd.DataFrame())
            return
        self.diff_html.value = diff_html(stories.copy_diff(self.tables, self.copy.value))
