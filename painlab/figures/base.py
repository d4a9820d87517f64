"""The pattern every figure follows, so one widget class can drive them all.

A figure is made in two steps: a *base* (traces with their styles, axes, titles: built once) and an
*update* (the numbers that change with the controls). The static figure is base + update, written
by plotly, which validates it; a live diagram builds the same figure without plotly's validation
(``live_state``), keeps it as JSON and writes each new update into that (``merge_update``), a
fraction of a millisecond where plotly's validated update costs a few and building a new plotly
figure about ten. A test builds every diagram both ways and checks they are the same JSON.
"""

import base64
import copy
import hashlib
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache

import plotly.graph_objects as go
from plotly.basedatatypes import BaseFigure, BasePlotlyType

from painlab import paths
from painlab.style import TEMPLATE, TEMPLATE_NAME


@dataclass
class FigureUpdate:
    """What changes when a control moves: per-trace properties, in trace order, and layout."""

    traces: list[dict]
    layout: dict = field(default_factory=dict)


# plotly does not wrap titles. At 16 px a title line of this many characters fits the narrowest
# plot the course is checked at (a 1024-px window with JupyterLab's file browser open).
TITLE_LINE_CHARACTERS = 52
# A diagram with a panel of text beside its plot (painlab.widgets.base.Diagram, ``panel``): the
# panel is PANEL_PX wide, and the plot keeps at least PLOT_BESIDE_PANEL_PX; in a narrower row the
# panel goes under the plot, which then takes the whole row.
PANEL_PX = 280
PLOT_BESIDE_PANEL_PX = 560


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
    # Nested dicts: plotly resolves each "title_text"-style key through its property tree, which
    # made this empty figure cost several milliseconds.
    fig = go.Figure(layout={"template": TEMPLATE_NAME, "title": {"text": wrap_title(title)},
                            "xaxis": {"title": {"text": x_title}},
                            "yaxis": {"title": {"text": y_title}}, "height": height})
    if layout:
        fig.update_layout(**layout)
    return fig


def joined_polygons(polygons) -> tuple[list, list]:
    """The x and y lists of several closed shapes as one trace, separated by gaps (None), so a
    diagram draws many highlighted parts with one trace and one update. No shapes is one gap,
    not an empty list: the plot view then clears the trace on its fast path (plotly's animation
    leaves the old lines of a trace with no points)."""
    xs, ys = [], []
    for x, y in polygons:
        xs += list(x) + [None]
        ys += list(y) + [None]
    return xs or [None], ys or [None]


ARROWHEAD_PX = 12


def arrows_trace(arrows, *, color: str = "#333", width: float = 2, name: str = "arrows") -> go.Scatter:
    """Arrows ``(x_from, y_from, x_to, y_to)`` in data coordinates as one trace: the shafts as line
    segments separated by gaps, and at each tip an arrowhead marker turned along its shaft
    (``angleref="previous"``). plotly draws arrow annotations one at a time, measuring each, on
    every redraw: eight of them made most of a diagram's redraw in the browser; this trace costs
    about as much as any other. No legend entry, no hover."""
    xs, ys, sizes = [], [], []
    for x0, y0, x1, y1 in arrows:
        xs += [x0, x1, None]
        ys += [y0, y1, None]
        sizes += [0, ARROWHEAD_PX, 0]
    return go.Scatter(x=xs, y=ys, name=name, mode="lines+markers", showlegend=False,
                      hoverinfo="skip", line=dict(color=color, width=width),
                      marker=dict(symbol="arrow", size=sizes, angleref="previous", color=color,
                                  line=dict(width=0)))


def apply_update(fig: go.Figure, update: FigureUpdate) -> go.Figure:
    """Write an update into a figure (plotly validates every property) and return the figure."""
    if len(update.traces) != len(fig.data):
        raise ValueError(f"update has {len(update.traces)} traces, figure has {len(fig.data)}")
    for trace, props in zip(fig.data, update.traces, strict=True):
        trace.update(props)
    if update.layout:
        fig.layout.update(_wrap_layout_title(update.layout))
    return fig


# --- the same update written into the figure's JSON, for live diagrams ---------------------------
# plotly's own update resolves every key path through its property tree and validates every value:
# for a forest chart of 14 rows that is about 8 ms of each key press in the kernel. A live diagram
# keeps its figure as the JSON plotly.js draws (built once, see live_state) and writes each
# update into it here, as plotly would: "title_text" is title.text, "annotations[0].text" the first
# annotation's text, nested dicts and lists of objects are merged, None removes a value, numpy
# arrays become the typed arrays plotly sends. plotly still validates every update of the static
# figure, and a test checks that the live figure equals the static one after every control change.

# Property names that contain an underscore (plotly keeps a list): not split into a path.
_UNDERSCORE_NAMES = ("error_x", "error_y", "error_z", "copy_xstyle", "copy_ystyle",
                     "copy_zstyle", "paper_bgcolor", "plot_bgcolor")
_PATH_PART = re.compile(r"\[(\d+)\]|[^.\[\]]+")


@cache
def key_path(key: str) -> tuple:
    """plotly's meaning of an update key: ``"xaxis_title_text"`` -> ("xaxis", "title", "text"),
    ``"annotations[0].text"`` -> ("annotations", 0, "text"), ``"error_x"`` -> ("error_x",)."""
    path: list = []
    for match in _PATH_PART.finditer(key):
        if match.group(1) is not None:
            path.append(int(match.group(1)))
            continue
        part = match.group(0)
        for name in _UNDERSCORE_NAMES:
            part = part.replace(name, name.replace("_", "-"))
        path += [word.replace("-", "_") for word in part.split("_") if word]
    return tuple(path)


def _is_typed_array(value) -> bool:
    return isinstance(value, dict) and "bdata" in value and "dtype" in value


def _own(value):
    """A copy of the containers of ``value``, tuples as lists: the merge then changes dicts of
    its own in place, never the update's (which may be a module's constants)."""
    if isinstance(value, dict):
        return {key: _own(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_own(item) if isinstance(item, (dict, list, tuple)) else item for item in value]
    return value


def _merge(target: dict, props: dict) -> None:
    for key, value in props.items():
        *parents, last = key_path(key)
        node = target
        for part in parents:
            if isinstance(part, int):
                node = node[part]
            else:
                node = node.setdefault(part, {})
        if isinstance(last, int):
            node[last] = _merged(node[last], value)
        elif value is None:  # plotly removes a value, and empties an object
            if isinstance(node.get(last), dict) and not _is_typed_array(node[last]):
                node[last] = {}
            else:
                node.pop(last, None)
        else:
            node[last] = _merged(node.get(last), value)


def _merged(old, value):
    if isinstance(value, dict) and not _is_typed_array(value) and isinstance(old, dict) \
            and not _is_typed_array(old):
        _merge(old, value)
        return old
    if (isinstance(value, (list, tuple)) and value and isinstance(old, list) and old
            and all(isinstance(item, dict) for item in value)
            and all(isinstance(item, dict) for item in old)):
        # A list of objects (annotations, shapes) is merged item by item, as plotly does; a longer
        # list only adds its extra items (plotly then keeps the existing ones unchanged).
        if len(value) > len(old):
            return old + list(value[len(old):])
        for index, item in enumerate(value):
            _merge(old[index], item)
        return old
    if isinstance(value, dict) and not _is_typed_array(value):
        fresh: dict = {}
        _merge(fresh, value)
        return fresh
    return value


def figure_state(fig: go.Figure) -> dict:
    """The figure as the JSON-ready dict plotly.js draws (numpy arrays as typed arrays)."""
    return fig.to_plotly_json()


# --- figures built without plotly's validation, for live diagrams -------------------------------
# plotly checks every property of a figure as it is built: most of the time a lesson's diagrams
# take to appear (and the first figure of a kernel also imports a module per layout property).
# plotly's own ``_validate=False`` skips the checks; each plotly object asks its ``_validate``
# attribute before checking a property, so while ``unvalidated()`` is active that attribute reads
# False for every object (objects made meanwhile keep their own value, True, for afterwards).
# Set PAINLAB_VALIDATE_FIGURES=1 to validate live figures too, e.g. while writing a new diagram.
VALIDATE_ENV = "PAINLAB_VALIDATE_FIGURES"


def _not_validating(obj) -> bool:
    return False


def _keep_own(obj, value) -> None:
    obj.__dict__["_validate"] = value


@contextmanager
def unvalidated():
    """Figures built inside are built as plotly builds them with ``_validate=False``: the same
    JSON for correct properties, no error for a wrong one (the tests build every figure
    validated too)."""
    if os.environ.get(VALIDATE_ENV) == "1" or "_validate" in vars(BasePlotlyType):
        yield  # validating on request, or already inside
        return
    switch = property(_not_validating, _keep_own)
    BasePlotlyType._validate = switch
    BaseFigure._validate = switch
    try:
        yield
    finally:
        del BasePlotlyType._validate
        del BaseFigure._validate


def live_state(build) -> dict:
    """``figure_state(build())`` with the figure built unvalidated (``unvalidated``). Validation
    also put the course template's JSON in place of its name; that is done here."""
    with unvalidated():
        state = figure_state(build())
    layout = state.get("layout", {})
    if layout.get("template") == TEMPLATE_NAME:
        layout["template"] = copy.deepcopy(TEMPLATE)
    return state


def merge_update(state: dict, update: FigureUpdate) -> dict:
    """Write an update into a figure state (``figure_state``) as ``apply_update`` writes it into
    the figure, without plotly's per-property validation; returns the state."""
    from _plotly_utils.utils import convert_to_base64

    data = state.setdefault("data", [])
    if len(update.traces) != len(data):
        raise ValueError(f"update has {len(update.traces)} traces, figure has {len(data)}")
    update_json = _own({"data": update.traces,
                        "layout": _wrap_layout_title(update.layout) if update.layout else {}})
    convert_to_base64(update_json)  # numpy arrays as the typed arrays plotly sends
    for trace, props in zip(data, update_json["data"], strict=True):
        _merge(trace, props)
    if update_json["layout"]:
        _merge(state.setdefault("layout", {}), update_json["layout"])
    return state


@cache
def _plotly_sources() -> tuple[str, str, str]:
    """(course server path, CDN URL, integrity hash): the course server's plotly.js (perhaps the
    basic bundle, painlab.plotly_bundle), and the CDN's copy of the installed plotly's full bundle,
    which is the file the hash is of. Made once per kernel: hashing the 5 MB file takes ~15 ms."""
    from plotly.offline import get_plotlyjs_version

    digest = base64.b64encode(hashlib.sha256(paths.PLOTLY_FULL_JS.read_bytes()).digest()).decode()
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


def static_html(fig: go.Figure | dict) -> str:
    """The figure (or its state, ``figure_state``) as an HTML snippet that draws itself where there
    is no widget front end (a reopened lesson, nbconvert's HTML, nbgrader feedback), and says so
    where it cannot."""
    import json
    import uuid

    from plotly.io.json import to_json_plotly

    local, cdn, integrity = _plotly_sources()
    state = fig if isinstance(fig, dict) else fig.to_plotly_json()
    figure = to_json_plotly({**state, "config": STATIC_CONFIG})
    div_id = f"painlab-figure-{uuid.uuid4().hex[:12]}"
    height = state.get("layout", {}).get("height") or 430
    script = _DRAW % {"id": json.dumps(div_id), "figure": figure.replace("</", "<\\/"),
                      "local": json.dumps(local), "cdn": json.dumps(cdn),
                      "integrity": json.dumps(integrity)}
    return (f"<div class='painlab-static-figure'>{OFFLINE_NOTE}"
            f"<div id='{div_id}' class='plotly-graph-div' style='height:{height}px;width:100%'>"
            f"</div>{script}</div>")
