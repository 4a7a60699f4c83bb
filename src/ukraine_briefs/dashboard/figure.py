"""A plotly ``FigureWidget`` that loads plotly.js once per page in Voila.

plotly's ``FigureWidget`` (an anywidget since plotly 6) carries its 5 MB JavaScript
bundle in every instance's state, so a page of a dozen charts sends ~60 MB over
the websocket and evaluates plotly.js a dozen times. Under ``ukraine-briefs serve``
the bundle is served once as a static file of the app's Voila template (from the
installed plotly, never a CDN) and every chart's module is a three-line loader
importing it; the browser evaluates it once. Elsewhere (JupyterLab) the stock
widget is used.
"""
from __future__ import annotations

import os

import plotly.graph_objects as go

#: Set by `serve.voila_env`: the bundle is at ``<base>voila/static/<this name>``.
ENV_VAR = "UKRAINE_BRIEFS_SHARED_PLOTLY"
BUNDLE_NAME = "plotly-widgetbundle.js"

_LOADER = f"""
const base = (document.body && document.body.dataset && document.body.dataset.baseUrl) || "/voila/";
const mod = await import(new URL(base + "static/{BUNDLE_NAME}", window.location.href).href);
export default mod.default;
"""


class SharedFigureWidget(go.FigureWidget):
    """``FigureWidget`` whose front-end module imports plotly.js from the app's static files."""

    _esm = _LOADER


def figure_widget(**kwargs) -> go.FigureWidget:
    """A FigureWidget: the shared-bundle one under the app's Voila server, the stock one elsewhere."""
    cls = SharedFigureWidget if os.environ.get(ENV_VAR) == "1" else go.FigureWidget
    return cls(**kwargs)


import anywidget  # noqa: E402
import traitlets  # noqa: E402


class ResizeNudge(anywidget.AnyWidget):
    """An invisible widget that makes charts re-fit their panels after a redraw.

    A FigureWidget drawn while its tab is being laid out measures a zero-width box
    and falls back to plotly's default width; plotly's view re-fits on a window
    ``resize`` event, which this widget dispatches whenever ``bump()`` is called.
    """

    _esm = r"""
    function render({ model, el }) {
      el.style.display = "none";
      const fire = () => [120, 600, 1500].forEach(ms => setTimeout(() => window.dispatchEvent(new Event("resize")), ms));
      model.on("change:tick", fire);
      fire();
    }
    export default { render };
    """
    tick = traitlets.Int(0).tag(sync=True)

    def bump(self) -> None:
        self.tick += 1
