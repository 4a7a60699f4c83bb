"""Global filters: one `FilterState` every tab follows, and the bar of controls that drives it."""
from __future__ import annotations

import datetime as dt

import ipywidgets as w
import traitlets

from ukraine_briefs.tables.filters import filter_options


class FilterState(traitlets.HasTraits):
    """The current selection. ``None`` / empty means "no restriction".

    Tabs observe this object (``state.observe(cb, names=FilterState.FIELDS)``), never
    the controls, so any other source of filters (a URL, a test) drives them too.
    """

    FIELDS = ("start", "end", "outlets", "entity_types", "actors", "one_per_story")

    start = traitlets.Any(None, allow_none=True)
    end = traitlets.Any(None, allow_none=True)
    outlets = traitlets.Tuple()
    entity_types = traitlets.Tuple()
    actors = traitlets.Tuple()
    one_per_story = traitlets.Bool(False)  # count each story once, not once per copy

    def as_kwargs(self) -> dict:
        """The selection as keyword arguments of `filters.filter_tables`."""
        return {
            "start": self.start,
            "end": self.end,
            "outlets": list(self.outlets) or None,
            "entity_types": list(self.entity_types) or None,
            "actors": list(self.actors) or None,
            "one_per_story": self.one_per_story,
        }

    def describe(self) -> str:
        """A short plain-text summary of the selection, for captions and file names.

        Examples:
            >>> FilterState(outlets=("AP", "Reuters"), actors=("Russia",)).describe()
            'AP, Reuters; Russia'
        """
        parts = []
        if self.start or self.end:
            parts.append(f"{self.start or '…'} to {self.end or '…'}")
        for name in ("outlets", "entity_types", "actors"):
            vals = getattr(self, name)
            if vals:
                parts.append(", ".join(map(str, vals)))
        if self.one_per_story:
            parts.append("one per story")
        return "; ".join(parts) or "all documents"


def _fmt(d: dt.date) -> str:
    return d.strftime("%d %b %Y")


class FiltersBar(w.VBox):
    """Date range, outlet, entity type and actor controls linked one way into a `FilterState`."""

    def __init__(self, tables, state: FilterState | None = None, **kwargs):
        self.state = state or FilterState()
        opts = filter_options(tables)
        self.dates: list[dt.date] = list(opts.get("dates") or [])

        def labelled(text: str, ctrl: w.Widget) -> w.VBox:
            return w.VBox([w.HTML(f"<span class='ub-label'>{text}</span>"), ctrl], layout=w.Layout(width="auto"))

        if len(self.dates) >= 2:
            self.date_range = w.SelectionRangeSlider(
                options=[(_fmt(d), d) for d in self.dates], index=(0, len(self.dates) - 1),
                continuous_update=False, readout=False, layout=w.Layout(width="300px"))
            self.date_label = w.HTML()
            self.date_range.observe(self._show_dates, names="value")
            self._show_dates()
            traitlets.dlink((self.date_range, "value"), (self.state, "start"),
                            transform=lambda v: None if v[0] == self.dates[0] else v[0])
            traitlets.dlink((self.date_range, "value"), (self.state, "end"),
                            transform=lambda v: None if v[1] == self.dates[-1] else v[1])
            date_box = labelled("Published", w.VBox([self.date_range, self.date_label]))
        else:
            self.date_range = None
            date_box = None
        self.outlets = w.SelectMultiple(options=list(opts.get("outlets") or []), rows=4,
                                        layout=w.Layout(width="260px"))
        self.entity_types = w.SelectMultiple(options=list(opts.get("entity_types") or []), rows=4,
                                             layout=w.Layout(width="150px"))
        self.actors = w.TagsInput(allowed_tags=[str(a) for a in opts.get("actors") or []],
                                  allow_duplicates=False, layout=w.Layout(width="280px"))
        for ctrl, name in ((self.outlets, "outlets"), (self.entity_types, "entity_types"),
                           (self.actors, "actors")):
            traitlets.dlink((ctrl, "value"), (self.state, name), transform=tuple)
        self.outlets.add_class("ub-outlets")
        self.entity_types.add_class("ub-entity-types")
        self.actors.add_class("ub-actors")
        self.one_per_story = w.Checkbox(value=False, description="One per story", indent=False,
                                        tooltip="Count each story once: copies (spun, translated, reposted) left out",
                                        layout=w.Layout(width="130px", margin="18px 0 0 0"))
        traitlets.dlink((self.one_per_story, "value"), (self.state, "one_per_story"))
        self.one_per_story.add_class("ub-one-per-story")
        self.reset_button = w.Button(description="Reset filters", icon="undo", tooltip="Clear all filters",
                                     layout=w.Layout(width="130px", margin="18px 0 0 0"))
        self.reset_button.on_click(lambda _b: self.reset())
        self.summary = w.HTML(layout=w.Layout(width="auto"))
        self.summary.add_class("ub-filter-summary")

        controls = [c for c in (date_box,) if c is not None] + [
            labelled("Outlet <i>(none = all; ctrl-click for several)</i>", self.outlets),
            labelled("Entity type", self.entity_types),
            labelled("Actors <i>(type a name, then Enter)</i>", self.actors), self.one_per_story, self.reset_button]
        row = w.HBox(controls, layout=w.Layout(flex_flow="row wrap", align_items="flex-start",
                                                 grid_gap="8px 22px"))
        row.add_class("ub-filter-row")
        super().__init__([row, self.summary], **kwargs)
        self.add_class("ub-filters")

    def _show_dates(self, _change=None) -> None:
        a, b = self.date_range.value
        self.date_label.value = f"<span class='ub-date-label'>{_fmt(a)} – {_fmt(b)}</span>"

    def reset(self) -> None:
        """Clear every filter (the state follows through the links)."""
        if self.date_range is not None:
            self.date_range.index = (0, len(self.dates) - 1)
        self.outlets.value = ()
        self.entity_types.value = ()
        self.actors.value = []
        self.one_per_story.value = False
