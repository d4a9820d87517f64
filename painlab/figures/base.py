"""The pattern every figure follows, so one widget class can drive them all.

A figure is made in two steps: a *base* (traces with their styles, axes, titles: built once) and an
*update* (the numbers that change with the controls). The static figure is base + update; a live
diagram keeps its figure and applies each new update to it, which costs about a millisecond, where
building a new plotly figure costs about ten.
"""

import base64
import hashlib
from dataclasses import dataclass, field
from functools import cache

import plotly.graph_objects as go

from painlab import paths
from painlab.style import TEMPLATE_NAME


@dataclass
class FigureUpdate:
    """What changes when a control moves: per-trace properties, in trace order, and layout."""

    traces: list[dict]
    layout: dict = field(default_factory=dict)


# plotly does not wrap titles. At 16 px a title line of this many characters fits the narrowest
# plot the course is checked at (a 1024-px window with JupyterLab's file browser open).
TITLE_LINE_CHARACTERS = 52


def wrap_title(text: str, width: int = TITLE_LINE_CHARACTERS) -> str:
    """A title broken into lines (plotly's <br>) at word boundaries."""
    if not text or "<br>" in text:
        return text
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "<br>".join(lines + [line])


def _wrap_layout_title(layout: dict) -> dict:
    layout = dict(layout)
    if isinstance(layout.get("title_text"), str):
        layout["title_text"] = wrap_title(layout["title_text"])
    if isinstance(layout.get("title"), dict) and isinstance(layout["title"].get("text"), str):
        layout["title"] = {**layout["title"], "text": wrap_title(layout["title"]["text"])}
    return layout


def new_figure(title: str, x_title: str, y_title: str, *, height: int = 430, **layout) -> go.Figure:
    """An empty figure in the course style. Axis titles must carry units, e.g. 'Dose (mg/day)'."""
    if not (title and x_title and y_title):
        raise ValueError("every figure needs a title and both axis titles")
    fig = go.Figure()
    fig.update_layout(template=TEMPLATE_NAME, title_text=wrap_title(title), xaxis_title_text=x_title,
                      yaxis_title_text=y_title, height=height, **layout)
    return fig


def joined_polygons(polygons) -> tuple[list, list]:
    """The x and y lists of several closed shapes as one trace, separated by gaps (None), so a
    diagram draws many highlighted parts with one trace and one update."""
    xs, ys = [], []
    for x, y in polygons:
        xs += list(x) + [None]
        ys += list(y) + [None]
    return xs, ys


def apply_update(fig: go.Figure, update: FigureUpdate) -> go.Figure:
    """Write an update into a figure (plotly validates every property) and return the figure."""
    if len(update.traces) != len(fig.data):
        raise ValueError(f"update has {len(update.traces)} traces, figure has {len(fig.data)}")
    for trace, props in zip(fig.data, update.traces, strict=True):
        trace.update(props)
    if update.layout:
        fig.layout.update(_wrap_layout_title(update.layout))
    return fig


@cache
def _plotly_sources() -> tuple[str, str, str]:
    """(course server path, CDN URL, integrity hash) of the installed plotly's plotly.js. Made once
    per kernel: hashing the 5 MB file takes about 15 ms."""
    from plotly.offline import get_plotlyjs_version

    digest = base64.b64encode(hashlib.sha256(paths.PLOTLY_JS.read_bytes()).digest()).decode()
    return (paths.PLOTLY_URL_PATH, f"https://cdn.plot.ly/plotly-{get_plotlyjs_version()}.min.js",
            f"sha256-{digest}")


# Shown where plotly.js cannot be fetched (an HTML export read offline); removed once it draws.
OFFLINE_NOTE = ("<p class='painlab-offline-note'><em>The figure is drawn by plotly.js from "
                "cdn.plot.ly, which could not be reached; its text description follows.</em></p>")

# Draws one static figure. plotly.js comes from the page if it has it, else from the course's
# server extension when the page is JupyterLab (a reopened lesson: no network needed), else from
# the CDN with its integrity hash (an HTML export). Where none loads, the note stays.
_DRAW = """<script>(function () {
  var div = document.getElementById(%(id)s), figure = %(figure)s;
  var box = div && div.parentElement, sources = [], config = document.getElementById("jupyter-config-data");
  if (!div) return;
  function draw() {
    var note = box.querySelector(".painlab-offline-note");
    if (note) note.remove();
    window.Plotly.newPlot(div, figure.data, figure.layout, figure.config);
  }
  if (window.Plotly) return draw();
  if (config) {
    try { sources.push({src: (JSON.parse(config.textContent).baseUrl || "/") + %(local)s}); } catch (e) {}
  }
  sources.push({src: %(cdn)s, integrity: %(integrity)s, crossOrigin: "anonymous"});
  (function next() {
    var source = sources.shift();
    if (!source) return;
    var script = document.createElement("script");
    Object.assign(script, source);
    script.onload = function () { if (window.Plotly) draw(); else next(); };
    script.onerror = next;
    document.head.appendChild(script);
  })();
})();</script>"""


STATIC_CONFIG = {"responsive": True, "displaylogo": False}


def static_html(fig: go.Figure) -> str:
    """The figure as an HTML snippet that draws itself where there is no widget front end
    (a reopened lesson, nbconvert's HTML, nbgrader feedback), and says so where it cannot."""
    import json
    import uuid

    from plotly.io.json import to_json_plotly

    local, cdn, integrity = _plotly_sources()
    figure = to_json_plotly({**fig.to_plotly_json(), "config": STATIC_CONFIG})
    div_id = f"painlab-figure-{uuid.uuid4().hex[:12]}"
    height = fig.layout.height or 430
    script = _DRAW % {"id": json.dumps(div_id), "figure": figure.replace("</", "<\\/"),
                      "local": json.dumps(local), "cdn": json.dumps(cdn),
                      "integrity": json.dumps(integrity)}
    return (f"<div class='painlab-static-figure'>{OFFLINE_NOTE}"
            f"<div id='{div_id}' class='plotly-graph-div' style='height:{height}px;width:100%'>"
            f"</div>{script}</div>")
