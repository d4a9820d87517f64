"""A light plotly widget: the kernel sends the finished figure as JSON, the browser redraws it.

Why not plotly's own ``FigureWidget``: each one carries plotly.js (about 5 MB) in its widget
state, so every diagram cost ~90 ms in the kernel and 5 MB through the kernel websocket before
it appeared, and after each update its front end sent the whole changed figure back to the
kernel. Here plotly.js is fetched once per page (from the course's server extension, or from
the kernel on a server without it), a widget costs a few milliseconds, and an update is one
message of a few kilobytes that the browser draws (``plot_view.js``: the traces alone when only
their data and the title changed, else ``Plotly.react``).
"""

from pathlib import Path

import anywidget
import plotly.graph_objects as go
import traitlets
from plotly.io.json import to_json_plotly
from plotly.offline import get_plotlyjs_version

from painlab.paths import PLOTLY_JS, PLOTLY_URL_PATH

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
