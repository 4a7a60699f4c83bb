"""Global filters: one `FilterState` every tab follows, and the bar of controls that drives it."""
from __future__ import annotations

import datetime as dt
import html
import warnings

import ipywidgets as w
import traitlets

from ukraine_briefs.tables.actors import ActorIndex
from ukraine_briefs.tables.filters import filter_options

#: What the entity-type filter shows for spaCy's label codes (the value stays the code).
ENTITY_TYPE_NAMES = {
    "PERSON": "People", "ORG": "Organisations", "GPE": "Countries, cities", "NORP": "Nationalities, groups",
    "LOC": "Places (non-political)", "FAC": "Buildings, pipelines", "EVENT": "Events", "LAW": "Laws, treaties",
    "PRODUCT": "Products, weapons", "WORK_OF_ART": "Titles of works", "LANGUAGE": "Languages",
}


def entity_type_name(code: str) -> str:
    """A readable name for a spaCy label ("GPE" -> "Countries, cities (GPE)")."""
    name = ENTITY_TYPE_NAMES.get(str(code).upper())
    return f"{name} ({code})" if name else str(code)


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
        outlets = list(opts.get("outlets") or [])
        # wide enough for "The Washington Times (machine-translated repost)"; the summary repeats the choice
        self.outlets = w.SelectMultiple(options=outlets, rows=4, layout=w.Layout(width="370px"))
        self.entity_types = w.SelectMultiple(
            options=[(entity_type_name(c), c) for c in opts.get("entity_types") or []], rows=4,
            layout=w.Layout(width="230px"))
        for ctrl, name in ((self.outlets, "outlets"), (self.entity_types, "entity_types")):
            traitlets.dlink((ctrl, "value"), (self.state, name), transform=tuple)
        # actor search: names, aliases, surnames and misspellings (the gazetteer's matching), shown as chips
        self.index = ActorIndex(tables.entities)
        # every keystroke reaches the kernel, so Reset can clear text that was typed but never submitted;
        # a name is taken on Enter only (on_submit), never on losing focus (which a click on Reset causes)
        self.actor_text = w.Text(placeholder="e.g. Putin, Brinken, NATO — then Enter", continuous_update=True,
                                 layout=w.Layout(width="280px"))
        self.actor_chips = w.HBox(layout=w.Layout(flex_flow="row wrap", max_width="320px"))
        self.actor_note = w.HTML()
        with warnings.catch_warnings():  # ipywidgets 8 deprecates on_submit, but only it tells Enter from blur
            warnings.simplefilter("ignore", DeprecationWarning)
            self.actor_text.on_submit(self._submitted)
        self.actors = w.VBox([self.actor_text, self.actor_chips, self.actor_note])
        self.outlets.add_class("ub-outlets")
        self.entity_types.add_class("ub-entity-types")
        self.actors.add_class("ub-actors")
        self.actor_text.add_class("ub-actor-text")
        self.actor_note.add_class("ub-actor-note")
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
            labelled("Actors <i>(name, surname or alias, then Enter)</i>", self.actors), self.one_per_story,
            self.reset_button]
        row = w.HBox(controls, layout=w.Layout(flex_flow="row wrap", align_items="flex-start",
                                                 grid_gap="8px 22px"))
        row.add_class("ub-filter-row")
        super().__init__([row, self.summary], **kwargs)
        self.add_class("ub-filters")

    # -- actors ----------------------------------------------------------------
    def _submitted(self, _box=None) -> None:
        typed = str(self.actor_text.value or "").strip()
        if typed:
            self.add_actor(typed)
        self.actor_text.value = ""

    def submit(self, text: str) -> str | None:
        """Type ``text`` into the actor box and press Enter (for notebooks and tests)."""
        self.actor_text.value = text
        name = self.add_actor(text) if text.strip() else None
        self.actor_text.value = ""
        return name

    def add_actor(self, typed: str) -> str | None:
        """Resolve ``typed`` and add it to the selection; returns the canonical name (None: no match, said so)."""
        hit = self.index.match(typed)
        if hit is None:
            self.actor_note.value = (f"<span class='ub-muted ub-no-match'>No actor matches “{html.escape(typed)}”. "
                                     "Try a surname or another spelling.</span>")
            return None
        self.actor_note.value = f"<span class='ub-muted'>{html.escape(hit.describe(typed))}</span>"
        if hit.name not in self.state.actors:
            self.set_actors(tuple(self.state.actors) + (hit.name,))
        return hit.name

    def set_actors(self, names) -> None:
        """The selected actors, drawn as chips (click one to remove it)."""
        self.state.actors = tuple(names)
        chips = []
        for name in self.state.actors:
            b = w.Button(description=f"{name} ×", tooltip=f"Remove {name}", layout=w.Layout(width="auto"))
            b.add_class("ub-chip")
            b.on_click(lambda _b, n=name: self.set_actors(a for a in self.state.actors if a != n))
            chips.append(b)
        self.actor_chips.children = chips

    def _show_dates(self, _change=None) -> None:
        a, b = self.date_range.value
        self.date_label.value = f"<span class='ub-date-label'>{_fmt(a)} – {_fmt(b)}</span>"

    def reset(self) -> None:
        """Clear every filter and the actor box's text (the state follows through the links)."""
        if self.date_range is not None:
            self.date_range.index = (0, len(self.dates) - 1)
        self.outlets.value = ()
        self.entity_types.value = ()
        self.actor_text.value = ""
        self.actor_note.value = ""
        self.set_actors(())
        self.one_per_story.value = False
