"""Figures for the refractory-pain lesson: the pain-pathway schematic and the treatment-history
timeline (its checklist of an adequate trial is HTML beside it: painlab.widgets.refractory_pain).

Both follow ``painlab.figures.base``: a base built once and an update with what changes. Parts are
told apart by outline style and words as well as colour (never colour alone). The site layout
below is drawing geometry only; the sites' names and the agents come from the content file via
``painlab.models.refractory_pain``.
"""

import textwrap

import plotly.graph_objects as go

from painlab.figures.base import (
    PLOT_BESIDE_PANEL_PX,
    FigureUpdate,
    arrows_trace,
    joined_polygons,
    new_figure,
)
from painlab.models import refractory_pain as model
from painlab.style import OKABE_ITO

# --- 1. the pain pathway -----------------------------------------------------------------------
# site id -> box (x0, y0, x1, y1) on a 0-12 x 0-10 drawing, and the fill colour
SITE_BOXES = {
    "cortex": ((3.0, 8.7, 8.0, 9.9), OKABE_ITO["reddish_purple"]),
    "thalamus": ((3.8, 6.9, 7.2, 7.9), OKABE_ITO["sky_blue"]),
    "pag": ((8.6, 6.1, 11.6, 7.1), OKABE_ITO["orange"]),
    "rvm": ((8.6, 4.1, 11.6, 5.1), OKABE_ITO["orange"]),
    "ascending": ((4.8, 3.3, 6.2, 6.2), OKABE_ITO["blue"]),
    "dorsal_horn": ((3.6, 1.9, 7.4, 2.9), OKABE_ITO["bluish_green"]),
    "nerve": ((0.2, 1.9, 3.0, 2.9), OKABE_ITO["yellow"]),
    "periphery": ((0.2, 0.1, 3.0, 1.1), OKABE_ITO["vermillion"]),
}
# arrows: (from x, from y, to x, to y, text) - ascending solid arrows; descending labelled
ARROWS = [
    (1.6, 1.1, 1.6, 1.9, ""),
    (3.0, 2.4, 3.6, 2.4, ""),
    (5.5, 2.9, 5.5, 3.3, ""),
    (5.5, 6.2, 5.5, 6.9, ""),
    (5.5, 7.9, 5.5, 8.7, ""),
    (8.0, 9.1, 10.1, 7.1, ""),
    (10.1, 6.1, 10.1, 5.1, ""),
    (8.6, 4.3, 7.4, 2.7, ""),
]
EVIDENCE_STYLES = {
    "human": dict(name="Action shown in people (thick solid outline)",
                  line=dict(color="#000", width=5), fill="toself",
                  fillcolor="rgba(240,228,66,0.55)"),
    "animal": dict(name="Action shown in animals or cells only (thick dashed outline)",
                   line=dict(color="#000", width=4.5, dash="dash"), fill="toself",
                   fillcolor="rgba(240,228,66,0.40)"),
    "proposed": dict(name="Proposed, little direct evidence (thick dotted outline)",
                     line=dict(color="#000", width=4.5, dash="dot"), fill="toself",
                     fillcolor="rgba(240,228,66,0.25)"),
}
PATHWAY_KEY = ("Outline of a site where the chosen agent acts: <b>thick solid</b> = shown in "
               "people; <b>thick dashed</b> = animals or cells only;<br><b>thick dotted</b> = "
               "proposed. Arrows: up the left = ascending signal; down the right = descending "
               "modulation from the brainstem.")
NO_AGENT = "none"


def _box(x0, y0, x1, y1):
    return [x0, x1, x1, x0, x0], [y0, y0, y1, y1, y0]


def _label_position(site: str):
    (x0, y0, x1, y1), _colour = SITE_BOXES[site]
    return (x0 + x1) / 2, (y0 + y1) / 2


def pathway_base() -> go.Figure:
    fig = new_figure("The pain pathway (schematic)", "Schematic (no units)",
                     "Schematic (no units)", height=660)
    sites = model.pathway_sites()
    # The sites never change: layout shapes, not traces. plotly redoes the defaults of every
    # trace on each update, and eight box traces made a third of a key press's redraw.
    for site in sites:
        (x0, y0, x1, y1), colour = SITE_BOXES[site]
        fig.add_shape(type="rect", x0=x0, y0=y0, x1=x1, y1=y1, fillcolor=colour, opacity=0.30,
                      line=dict(color="#555", width=1), layer="below")
    for style in EVIDENCE_STYLES.values():
        fig.add_trace(go.Scatter(mode="lines", hoverinfo="skip", showlegend=False, **style))
    fig.add_trace(arrows_trace([(x0, y0, x1, y1) for x0, y0, x1, y1, _text in ARROWS]))
    positions = [_label_position(site) for site in sites]
    fig.add_trace(go.Scatter(mode="text", name="labels", showlegend=False, hoverinfo="text",
                             hovertext=[sites[site]["name"] for site in sites],
                             x=[p[0] for p in positions], y=[p[1] for p in positions],
                             textfont=dict(size=12, color="#000")))
    fig.add_annotation(x=4.3, y=4.8, text="ascending<br>signal", showarrow=False,
                       xanchor="right", font=dict(size=12, color="#333"))
    fig.add_annotation(x=11.7, y=8.3, text="descending<br>modulation", showarrow=False,
                       xanchor="right", font=dict(size=12, color="#333"))
    fig.add_annotation(x=0, y=-0.02, xref="paper", yref="paper", text=PATHWAY_KEY,
                       showarrow=False, xanchor="left", yanchor="top", align="left",
                       font=dict(size=12))
    fig.update_xaxes(visible=False, range=[0.0, 12.0])
    fig.update_yaxes(visible=False, range=[-0.1, 10.1])
    fig.update_layout(margin=dict(l=10, r=10, t=60, b=60))
    return fig


def pathway_update(agent: str) -> FigureUpdate:
    sites = model.pathway_sites()
    agents = model.pathway_agents()
    if agent != NO_AGENT and agent not in agents:
        raise ValueError(f"agent must be {NO_AGENT!r} or one of {', '.join(agents)}")
    acting = agents[agent]["sites"] if agent != NO_AGENT else {}
    overlays = []
    for level in EVIDENCE_STYLES:
        xs, ys = joined_polygons(_box(*SITE_BOXES[site][0]) for site, entry in acting.items()
                         if entry["evidence"] == level)
        overlays.append({"x": xs, "y": ys})
    labels = []
    for site in sites:
        short = f"<b>{sites[site]['short']}</b>"
        if site in acting:
            entry = acting[site]
            labels.append(f"{short}<br><i>acts here ({entry['evidence']})</i>")
        else:
            labels.append(short)
    title = ("The pain pathway (schematic)" if agent == NO_AGENT
             else f"Where it acts: {agents[agent]['name']}")
    return FigureUpdate(traces=overlays + [{}, {"text": labels}],
                        layout={"title": {"text": title}})


# --- 2. the treatment-history timeline ---------------------------------------------------------
STATUS_STYLES = {  # status -> (legend name, colour, marker symbol, dash)
    "completed": ("Completed: effective dose, long enough", OKABE_ITO["blue"], "circle", "solid"),
    "dose-limited": ("Titrated to dose-limiting adverse effects", OKABE_ITO["orange"], "square",
                     "solid"),
    "stopped-early": ("Stopped early: not an adequate trial", OKABE_ITO["vermillion"], "x", "dot"),
    "considered": ("Reviewed by the team", OKABE_ITO["bluish_green"], "diamond", "dash"),
}
LANES = list(model.STRATEGIES)
# Lane i (top to bottom) is drawn at y = len(LANES) - 1 - i on a linear axis named by its ticks,
# so that a label can sit a few pixels above or below its bar.
LANE_Y = {strategy: len(LANES) - 1 - i for i, strategy in enumerate(LANES)}
Y_RANGE = [-0.55, len(LANES) - 0.45]

# Geometry of the timeline, in pixels. The figure's height is fixed; its width follows the
# notebook. The checklist of an adequate trial is HTML beside the plot (the diagram's panel,
# painlab.widgets.refractory_pain._checklist_html), so the labels are laid out for the narrowest
# plot there can be beside it; in a narrower row the checklist goes under the plot, which then
# takes the whole row (a 1024-px window with JupyterLab's file browser open leaves about 620 px).
# A layout without collisions on the narrowest plot has none wider: every gap between two
# labels, and between a label and the end of the axis, is a span of weeks, and it only grows
# with the pixels per week.
TIMELINE_HEIGHT = 700
TIMELINE_MARGIN = dict(l=175, r=15, t=70, b=170)
NARROWEST_FIGURE_PX = PLOT_BESIDE_PANEL_PX
AXIS_PX = NARROWEST_FIGURE_PX - TIMELINE_MARGIN["l"] - TIMELINE_MARGIN["r"]
LANE_PX = (TIMELINE_HEIGHT - TIMELINE_MARGIN["t"] - TIMELINE_MARGIN["b"]) / (Y_RANGE[1] - Y_RANGE[0])
LABEL_FONT_PX = 12
LABEL_CLEAR_PX = 11  # from the middle of a bar to its labels: clear of its end markers (diamonds)
LABEL_GAP_PX = 8     # the least space between two labels in a row
# A label sits just above its bar or just below it, starting at the bar's start (or a little way
# along the bar) and running right, or ending at the bar's end (or a little before it): one text
# trace for each of the four, so that an update changes only their data (the plot's fast path).
LABEL_SLOTS = {  # slot -> (textposition, row: +1 above the bar / -1 below, anchored at "start"/"end")
    "above, from the start": ("top right", 1, "start"),
    "below, from the start": ("bottom right", -1, "start"),
    "above, to the end": ("top left", 1, "end"),
    "below, to the end": ("bottom left", -1, "end"),
}
LABEL_OFFSET = LABEL_CLEAR_PX / LANE_PX  # in lanes

# Advance widths of Arial (and the metric-compatible Liberation Sans) in em, rounded up; capitals
# and other characters count 0.72 em. With a margin on top, the estimate is an upper bound for
# the fonts the course is drawn in (checked against the boxes Chromium draws).
_EM = {**dict.fromkeys("ijl'|", 0.23), **dict.fromkeys(" ftI,.:;/!", 0.28),
       **dict.fromkeys("r-()[]", 0.34), **dict.fromkeys("cksvxyz", 0.5),
       **dict.fromkeys("abdeghnopqu0123456789", 0.56), **dict.fromkeys("w", 0.73),
       **dict.fromkeys("m", 0.84), **dict.fromkeys(">=<+", 0.59)}
_EM_DEFAULT = 0.72   # capitals and anything else
_EM_SAFETY = 1.06


def text_width_px(text: str, size: float = LABEL_FONT_PX) -> float:
    """An upper estimate of the width of one line of ``text`` at ``size`` px (Arial)."""
    return sum(_EM.get(ch, _EM_DEFAULT) for ch in text) * size * _EM_SAFETY


def _fit(text: str, width_px: float) -> str:
    """``text``, cut at a word (or a character) with an ellipsis, to fit ``width_px``."""
    if text_width_px(text) <= width_px:
        return text
    words = text.split(" ")
    while len(words) > 1:
        words.pop()
        cut = " ".join(words).rstrip(",;:") + "…"
        if text_width_px(cut) <= width_px:
            return cut
    cut = text
    while cut and text_width_px(cut + "…") > width_px:
        cut = cut[:-1]
    return cut + "…" if cut else ""


def label_layout(hist: model.History, weeks_range) -> list[dict]:
    """Where each step's label goes: one dict per step, in step order, with its slot (see
    LABEL_SLOTS), its text, its x in weeks and its box (x0, x1: pixels of the narrowest weeks
    axis; lane and row).

    In each lane the steps are taken in order of start; each goes to the first slot where its
    label fits inside the axis without coming within LABEL_GAP_PX of a label already in that row.
    A label starts (or ends) at its bar's start (or end), or, to make room, further along its own
    bar: it always begins (ends) above or below its bar. If no slot has room, the label is cut to
    the widest room there is (the full text stays in the hover text and the description)."""
    low, high = weeks_range
    per_week = AXIS_PX / (high - low)
    placed: dict[tuple, list] = {}  # (lane, row) -> [(x0, x1)]
    layout = [None] * len(hist.steps)
    order = sorted(range(len(hist.steps)),
                   key=lambda i: (hist.steps[i].strategy, hist.steps[i].start_week, i))
    for i in order:
        step = hist.steps[i]
        start = (step.start_week - low) * per_week
        end = (_bar_end(step) - low) * per_week
        slack = max(0.0, end - start - LABEL_GAP_PX)  # how far along its bar a label may move
        width = text_width_px(step.short)
        best = None  # (room, slot, x0 or x1)
        for slot, (_position, row, anchor) in LABEL_SLOTS.items():
            boxes = placed.get((step.strategy, row), [])
            for room, at in _rooms(boxes, start, end, slack, anchor):
                if room >= width:
                    best = (room, slot, at)
                    break
                if best is None or room > best[0]:
                    best = (room, slot, at)
            if best is not None and best[0] >= width:
                break
        room, slot, at = best or (0.0, next(iter(LABEL_SLOTS)), start)
        _position, row, anchor = LABEL_SLOTS[slot]
        text = _fit(step.short, room)
        used = text_width_px(text)
        x0, x1 = (at, at + used) if anchor == "start" else (at - used, at)
        placed.setdefault((step.strategy, row), []).append((x0, x1))
        layout[i] = dict(slot=slot, text=text, x=at / per_week + low, lane=step.strategy,
                         row=row, x0=x0, x1=x1)
    return layout


def _rooms(boxes, start, end, slack, anchor):
    """(room in px, anchor position) for a label in a row holding ``boxes``: from the bar's start
    (or end), then from just past each box that lies along the bar (the label moved along it)."""
    if anchor == "start":
        candidates = [start] + [x1 + LABEL_GAP_PX for _x0, x1 in boxes
                                if start < x1 + LABEL_GAP_PX <= start + slack]
        for at in sorted(candidates):
            if any(x0 - LABEL_GAP_PX < at < x1 + LABEL_GAP_PX for x0, x1 in boxes):
                continue
            limit = min([AXIS_PX] + [x0 - LABEL_GAP_PX for x0, _x1 in boxes if x0 >= at])
            yield limit - at, at
    else:
        candidates = [end] + [x0 - LABEL_GAP_PX for x0, _x1 in boxes
                              if end - slack <= x0 - LABEL_GAP_PX < end]
        for at in sorted(candidates, reverse=True):
            if any(x0 - LABEL_GAP_PX < at < x1 + LABEL_GAP_PX for x0, x1 in boxes):
                continue
            limit = max([0.0] + [x1 + LABEL_GAP_PX for _x0, x1 in boxes if x1 <= at])
            yield at - limit, at


def _bar_end(step: model.Step) -> float:
    return step.end_week if step.weeks > 0 else step.start_week + 0.2


def _lane_name(strategy: str) -> str:
    return "<br>".join(textwrap.wrap(model.STRATEGIES[strategy], 18, break_on_hyphens=False))


# The weeks axis. Each history has its own span of weeks (one span for all would squeeze a 3-week
# history into a few pixels of a 48-week one's axis), yet every history is drawn on one fixed axis
# from 0 to 1, its weeks scaled onto it, with the week ticks and grid lines drawn as traces. A
# change of history then changes trace data only, which the plot view draws without redrawing
# the axes, legend and title (about half the work of a full redraw).
WEEK_STEPS = (1, 2, 5, 10, 20, 50)
MOST_WEEK_TICKS = 6
TICK_FONT_PX = 15


def timeline_base() -> go.Figure:
    fig = new_figure("Each strategy tried, week by week", "Weeks since the first strategy (weeks)",
                     "Strategy", height=TIMELINE_HEIGHT)
    fig.add_trace(go.Scatter(name="Week grid", mode="lines", showlegend=False, hoverinfo="skip",
                             line=dict(color="#e5e5e5", width=1)))
    for name, colour, symbol, dash in STATUS_STYLES.values():
        fig.add_trace(go.Scatter(
            name=name, mode="lines+markers", line=dict(color=colour, width=12, dash=dash),
            marker=dict(symbol=symbol, size=13, color=colour, line=dict(width=2, color="#000")),
            hoverinfo="text"))
    for slot, (position, _row, _anchor) in LABEL_SLOTS.items():
        fig.add_trace(go.Scatter(name=f"What was given ({slot})", mode="text", showlegend=False,
                                 textposition=position,
                                 textfont=dict(size=LABEL_FONT_PX, color="#000"),
                                 hoverinfo="text"))
    # under the plot area, outside it: not clipped
    fig.add_trace(go.Scatter(name="Weeks", mode="text", showlegend=False, hoverinfo="skip",
                             textposition="bottom center", cliponaxis=False,
                             textfont=dict(size=TICK_FONT_PX)))
    fig.update_xaxes(range=[0, 1], fixedrange=True, showticklabels=False, showgrid=False,
                     ticks="", title_standoff=28)
    fig.update_yaxes(tickmode="array", tickvals=[LANE_Y[s] for s in LANES],
                     ticktext=[_lane_name(s) for s in LANES], range=Y_RANGE, showgrid=True,
                     fixedrange=True)  # no zoom: the week numbers are traces outside the plot area
    fig.update_layout(legend=dict(orientation="h", y=-0.13, x=0.0, yanchor="top"),
                      margin=TIMELINE_MARGIN)
    return fig


def week_ticks(weeks_range) -> list[int]:
    """The weeks marked on the axis: multiples of the smallest round step that gives at most
    MOST_WEEK_TICKS of them."""
    last = int(weeks_range[1])
    step = next(s for s in WEEK_STEPS if last // s + 1 <= MOST_WEEK_TICKS)
    return list(range(0, last + 1, step))


def timeline_update(hist: model.History, assessment: model.Assessment) -> FigureUpdate:
    low, high = weeks = timeline_weeks_range(hist)

    def on_axis(week):  # weeks -> the fixed 0-1 axis
        return (week - low) / (high - low)

    ticks = week_ticks(weeks)
    grid_x, grid_y = [], []
    for week in ticks:
        grid_x += [on_axis(week), on_axis(week), None]
        grid_y += [Y_RANGE[0], Y_RANGE[1], None]
    traces = [{"x": grid_x, "y": grid_y}]
    for status in STATUS_STYLES:
        xs, ys, hover = [], [], []
        for step in hist.steps:
            if step.status != status:
                continue
            lane = LANE_Y[step.strategy]
            text = _hover(step)
            xs += [on_axis(step.start_week), on_axis(_bar_end(step)), None]
            ys += [lane, lane, None]
            hover += [text, text, None]
        if not xs:
            # One empty point keeps the trace (and its legend entry) drawn: plotly hides a trace
            # with no data, which would change the legend, the margins and the plot's height.
            xs, ys, hover = [None], [None], [None]
        traces.append({"x": xs, "y": ys, "hovertext": hover})
    labels = {slot: {"x": [], "y": [], "text": [], "hovertext": []} for slot in LABEL_SLOTS}
    for step, where in zip(hist.steps, label_layout(hist, weeks), strict=True):
        trace = labels[where["slot"]]
        trace["x"].append(on_axis(where["x"]))
        trace["y"].append(LANE_Y[step.strategy] + where["row"] * LABEL_OFFSET)
        trace["text"].append(where["text"])
        trace["hovertext"].append(_hover(step))
    traces += labels.values()
    traces.append({"x": [on_axis(w) for w in ticks], "y": [Y_RANGE[0]] * len(ticks),
                   "text": [str(w) for w in ticks]})
    return FigureUpdate(traces=traces)


def _hover(step: model.Step) -> str:
    return f"{step.what} ({model.STATUSES[step.status]})" + (
        f"; adverse effects: {step.adverse}" if step.adverse else "")


def timeline_weeks_range(hist: model.History) -> list[float]:
    """The span of weeks a history's timeline shows (scaled onto the fixed axis): room for the
    history with every strategy added, and for its labels. The same whatever strategies are
    ticked, so ticking one never moves a bar."""
    longest = model.with_additions(model.history(hist.id), model.ADDABLE).end_week
    return [-0.5, max(longest, 4) * 1.35 + 1]
