"""A light plotly widget: the kernel sends the finished figure as JSON, the browser redraws it.

Why not plotly's own ``FigureWidget``: each one carries plotly.js (about 5 MB) in its widget
state, so every diagram cost ~90 ms in the kernel and 5 MB through the kernel websocket before
it appeared, and after each update its front end sent the whole changed figure back to the
kernel. Here plotly.js is fetched once per page (from the course's server extension, or from
the kernel on a server without it), a widget costs a few milliseconds, and an update is one
message of a few kilobytes that the browser draws (``plot_view.js``: the traces alone when only
their data and the title changed, else ``Plotly.react``).

Loading plotly.js is the longest part of a lesson's first diagram in the browser. The course
serves plotly's basic bundle where it is in place (painlab.plotly_bundle: 1.2 MB, about 0.2 s in
headless Chromium, against 4.8 MB and 0.9 s for the full one). The load starts as soon as the page
knows any plot view's model, and a lesson's import cell creates one without a view
(``preload_plotly_js``), so the browser loads plotly.js while the kernel runs the cells before
the first diagram instead of after them.
"""

from pathlib import Path

import anywidget
import plotly.graph_objects as go
import traitlets
from plotly.io.json import to_json_plotly
from plotly.offline import get_plotlyjs_version

from painlab.paths import PLOTLY_JS, PLOTLY_URL_PATH
from painlab.runtime import under_nbgrader

# The modebar stays (zoom, pan, download); the plot follows its container's width.
PLOT_CONFIG = {"responsive": True, "displaylogo": False}


def to_figure_json(figure: go.Figure | dict) -> str:
    """The figure (or its state, ``painlab.figures.base.figure_state``) as plotly.js reads it
    (numpy arrays as base64 typed arrays), with the course's plot config."""
    state = figure if isinstance(figure, dict) else figure.to_plotly_json()
    return to_json_plotly({**state, "config": PLOT_CONFIG})


class PlotView(anywidget.AnyWidget):
    _esm = Path(__file__).with_name("plot_view.js")
    figure_json = traitlets.Unicode("{}").tag(sync=True)
    plotly_version = traitlets.Unicode(get_plotlyjs_version()).tag(sync=True)
    plotly_url_path = traitlets.Unicode(PLOTLY_URL_PATH).tag(sync=True)  # under the base URL

    def __init__(self, figure: go.Figure | dict, **kwargs):
        super().__init__(figure_json=to_figure_json(figure), **kwargs)
        self.on_msg(self._answer_plotly_request)

    def show_figure(self, figure: go.Figure | dict) -> None:
        self.figure_json = to_figure_json(figure)

    def _answer_plotly_request(self, _widget, content, _buffers) -> None:
        if content.get("request") == "plotly.js":
            self.send({"plotly_js": PLOTLY_JS.read_text(encoding="utf-8")})


_preload: PlotView | None = None


def _in_kernel() -> bool:
    """True in a Jupyter kernel (a front end may be listening), False in plain Python or IPython."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    return getattr(get_ipython(), "kernel", None) is not None


def preload_plotly_js() -> PlotView | None:
    """Once per kernel: a plot view model with nothing to show and no view, whose front end starts
    loading plotly.js at once (plot_view.js, ``initialize``). Nothing is displayed, so the cell's
    output is unchanged. Not outside a kernel, and not under nbgrader (no widgets there)."""
    global _preload
    if _preload is None and not under_nbgrader() and _in_kernel():
        from painlab.widgets.shared import make

        _preload = make(PlotView, {})
    return _preload
