"""Figures for the tolerance-versus-OIH lesson: dose-response curves, weekly trajectories, a
schematic dorsal-horn synapse, and the quiz vignettes.

Each interactive figure is a *base* (built once: traces styled, axes titled with units) and an
*update* (the numbers that change with the controls), as in ``painlab.figures.base``. Curves are
told apart by colour AND dash AND marker symbol; the synapse marks its parts with line style and a
text label, never colour alone. Model numbers are ILLUSTRATIVE (see painlab.models.opioid_response).
"""

import textwrap
from functools import cache

import numpy as np
import plotly.graph_objects as go

from painlab.content import lesson_content
from painlab.figures.base import FigureUpdate, arrows_trace, joined_polygons, new_figure, wrap_title
from painlab.models import opioid_response as model
from painlab.style import OKABE_ITO, TEMPLATE_NAME

CONTENT = lesson_content("02-tolerance-vs-oih")
SCENARIO_LABELS = CONTENT["scenario_labels"]
WORDS = CONTENT["escalate_or_taper"]

# Dose grid for the curves: 1 to 400 mg/day, even on a log axis.
DOSE_GRID_MG_PER_DAY = np.geomspace(1.0, 400.0, 160)
DOSE_AXIS = "Daily opioid dose (mg/day oral morphine equivalents)"
PAIN_AXIS = "Pain left (0-10 numeric rating scale)"
ILLUSTRATIVE = "illustrative model, not patient data"


# --- 1. dose-response explorer ---------------------------------------------------------------
def dose_response_base() -> go.Figure:
    fig = new_figure(f"Pain left at each dose ({ILLUSTRATIVE})", DOSE_AXIS, PAIN_AXIS, height=470)
    fig.add_trace(go.Scatter(
        name="At the start (week 0)", mode="lines", x=DOSE_GRID_MG_PER_DAY,
        y=model.pain_left_nrs(DOSE_GRID_MG_PER_DAY, 0.0),
        line=dict(color=OKABE_ITO["blue"], width=3, dash="solid"),
        hovertemplate="%{x:.0f} mg/day: pain %{y:.1f}<extra>week 0</extra>"))
    fig.add_trace(go.Scatter(
        name="Now", mode="lines", x=DOSE_GRID_MG_PER_DAY,
        line=dict(color=OKABE_ITO["vermillion"], width=3, dash="dash"),
        hovertemplate="%{x:.0f} mg/day: pain %{y:.1f}<extra>now</extra>"))
    fig.add_trace(go.Scatter(
        name="Current dose, at the start", mode="markers",
        marker=dict(symbol="circle-open", size=14, color=OKABE_ITO["blue"],
                    line=dict(width=3, color=OKABE_ITO["blue"])),
        hovertemplate="%{x:.0f} mg/day: pain %{y:.1f}<extra>at the start</extra>"))
    fig.add_trace(go.Scatter(
        name="Current dose, now", mode="markers+text", textposition="top center",
        marker=dict(symbol="diamond", size=16, color=OKABE_ITO["vermillion"],
                    line=dict(width=2, color="#000")),
        textfont=dict(size=14, color="#000"),
        hovertemplate="%{x:.0f} mg/day: pain %{y:.1f}<extra>now</extra>"))
    fig.update_yaxes(range=[0, 10.5], dtick=1)
    # The legend sits under the plot: inside it, it hid a marker (linear axis, strong OIH).
    fig.update_layout(legend=dict(orientation="h", x=0.0, y=-0.2, xanchor="left", yanchor="top"),
                      margin=dict(l=70, r=40, t=90, b=120))
    return fig


def dose_response_update(weeks: float, tolerance_rate_per_week: float, oih_strength_at_100mg: float,
                         dose_mg_per_day: float, log_axis: bool = True) -> FigureUpdate:
    now = model.pain_left_nrs(DOSE_GRID_MG_PER_DAY, weeks,
                              tolerance_rate_per_week=tolerance_rate_per_week,
                              oih_strength_at_100mg=oih_strength_at_100mg)
    start_at_dose = model.pain_left_nrs(dose_mg_per_day, 0.0)
    now_at_dose = model.pain_left_nrs(dose_mg_per_day, weeks,
                                      tolerance_rate_per_week=tolerance_rate_per_week,
                                      oih_strength_at_100mg=oih_strength_at_100mg)
    x_range = [0, np.log10(400)] if log_axis else [0, 400]
    return FigureUpdate(
        traces=[{}, {"y": now},  # the start curve never changes: it is drawn in the base
                {"x": [dose_mg_per_day], "y": [start_at_dose]},
                {"x": [dose_mg_per_day], "y": [now_at_dose], "text": [f"{now_at_dose:.1f}"]}],
        layout={"xaxis": {"type": "log" if log_axis else "linear", "range": x_range},
                "title": {"text": (f"Pain left at each dose after {weeks:g} weeks on opioids "
                                   f"({ILLUSTRATIVE})")}})


# --- 2. escalate or taper? --------------------------------------------------------------------
PANEL_SCENARIOS = ("tolerance", "oih", "disease-progression")
TRAJECTORY_WEEKS = 20
CHANGE_WEEK = 8


PANEL_GAP = 0.04  # between panels, as a fraction of the plotting width


def escalate_or_taper_base() -> go.Figure:
    """Three panels side by side with a shared pain axis. Written as one layout rather than with
    make_subplots and add_vline, which cost about 60 ms more on a lesson's fresh kernel."""
    width = (1 - 2 * PANEL_GAP) / 3
    weeks = np.arange(TRAJECTORY_WEEKS + 1)
    traces, layout = [], {"shapes": [], "annotations": []}
    for index, scenario in enumerate(PANEL_SCENARIOS):
        suffix = "" if index == 0 else str(index + 1)  # plotly's axis names: x, x2, x3
        left = index * (width + PANEL_GAP)
        first = index == 0
        traces += [
            go.Scatter(name=WORDS["kept_label"], legendgroup="keep", showlegend=first, x=weeks,
                       xaxis=f"x{suffix}", yaxis=f"y{suffix}", mode="lines+markers",
                       line=dict(color=OKABE_ITO["blue"], dash="dash", width=2),
                       marker=dict(symbol="circle-open", size=7, color=OKABE_ITO["blue"]),
                       hovertemplate="week %{x}: pain %{y:.1f}<extra>dose kept</extra>"),
            go.Scatter(name=WORDS["changed_label"], legendgroup="choice", showlegend=first, x=weeks,
                       xaxis=f"x{suffix}", yaxis=f"y{suffix}", mode="lines+markers",
                       line=dict(color=OKABE_ITO["vermillion"], dash="solid", width=3),
                       marker=dict(symbol="diamond", size=8, color=OKABE_ITO["vermillion"]),
                       hovertemplate="week %{x}: pain %{y:.1f}<extra>dose changed</extra>")]
        layout[f"xaxis{suffix}"] = dict(anchor=f"y{suffix}", domain=[left, left + width],
                                        title=dict(text="Week"), range=[-0.5, TRAJECTORY_WEEKS + 0.5],
                                        dtick=4)
        layout[f"yaxis{suffix}"] = (
            dict(anchor="x", title=dict(text=PAIN_AXIS), range=[0, 10.6], dtick=2) if first
            else dict(anchor=f"x{suffix}", matches="y", showticklabels=False))
        layout["shapes"].append(dict(type="line", x0=CHANGE_WEEK, x1=CHANGE_WEEK, y0=0, y1=1,
                                     xref=f"x{suffix}", yref=f"y{suffix} domain",
                                     line=dict(color="#555", dash="dot", width=1.5)))
        layout["annotations"].append(dict(text=SCENARIO_LABELS[scenario],
                                          x=left + width / 2, y=1.0, xref="paper", yref="paper",
                                          xanchor="center", yanchor="bottom", showarrow=False,
                                          font=dict(size=16)))
    layout["annotations"].append(dict(x=CHANGE_WEEK, y=10.3, xref="x", yref="y",
                                      text="dose change", showarrow=False, xanchor="left",
                                      font=dict(size=12)))
    return go.Figure(data=traces, layout=dict(
        layout, template=TEMPLATE_NAME, height=470,
        title_text=wrap_title(f"Weekly pain after a dose change at week {CHANGE_WEEK} "
                              f"({ILLUSTRATIVE})"),
        legend=dict(orientation="h", y=-0.18, x=0.0, yanchor="top"),
        margin=dict(l=70, r=40, t=90, b=110)))


@cache
def panel_trajectories(dose_change: str) -> tuple:
    """((scenario, trajectory with the dose kept, trajectory with the change), ...) per panel.

    Cached: the choices are few, so each is computed once. Do not modify the arrays."""
    if dose_change not in model.DOSE_CHANGES:
        raise ValueError(f"dose_change must be one of {', '.join(model.DOSE_CHANGES)}")
    fraction = model.DOSE_CHANGES[dose_change]
    return tuple((scenario,
                  model.weekly_trajectory(scenario, 0.0, change_week=CHANGE_WEEK,
                                          weeks_total=TRAJECTORY_WEEKS),
                  model.weekly_trajectory(scenario, fraction, change_week=CHANGE_WEEK,
                                          weeks_total=TRAJECTORY_WEEKS))
                 for scenario in PANEL_SCENARIOS)


def escalate_or_taper_update(dose_change: str) -> FigureUpdate:
    traces = []
    for _scenario, kept, chosen in panel_trajectories(dose_change):
        traces += [{"y": kept.pain_nrs}, {"y": chosen.pain_nrs}]
    return FigureUpdate(traces=traces, layout={"title": {
        "text": f"Weekly pain after '{dose_change}' at week {CHANGE_WEEK} ({ILLUSTRATIVE})"}})


# --- 3. the dorsal-horn synapse ---------------------------------------------------------------
def _box(x0, y0, x1, y1):
    return [x0, x1, x1, x0, x0], [y0, y0, y1, y1, y0]


def _ellipse(cx, cy, rx, ry, points=40):
    t = np.linspace(0, 2 * np.pi, points)
    return list(cx + rx * np.cos(t)), list(cy + ry * np.sin(t))


def _blob(cx, cy, r, points=11):
    t = np.linspace(0, 2 * np.pi, points * 2 + 1)
    radius = np.where(np.arange(t.size) % 2 == 0, r, 0.6 * r)
    return list(cx + radius * np.cos(t)), list(cy + radius * np.sin(t))


# part key -> (name, polygon, fill colour, label position)
SYNAPSE_PARTS = {
    "terminal": ("Nociceptor central terminal (presynaptic)", _ellipse(3.6, 7.3, 3.0, 1.25),
                 OKABE_ITO["sky_blue"], (3.6, 7.95)),
    "mor": ("Mu-opioid receptor (MOR)", _box(2.0, 5.85, 3.0, 6.45), OKABE_ITO["blue"],
            (2.5, 6.95)),
    "calcium": ("Voltage-gated Ca2+ channel", _box(4.2, 5.85, 5.2, 6.45), OKABE_ITO["orange"],
                (4.7, 6.95)),
    "glutamate": ("Glutamate release", _ellipse(3.6, 5.25, 0.55, 0.25), OKABE_ITO["yellow"],
                  (3.6, 4.7)),
    "neuron": ("Dorsal-horn neuron (postsynaptic)", _box(0.6, 0.4, 7.0, 4.0),
               OKABE_ITO["bluish_green"], (3.6, 0.8)),
    "ampa": ("AMPA receptor", _box(1.6, 3.75, 2.6, 4.35), OKABE_ITO["reddish_purple"],
             (2.1, 3.25)),
    "nmda": ("NMDA receptor", _box(4.6, 3.75, 5.6, 4.35), OKABE_ITO["vermillion"], (5.1, 3.25)),
    "pkc": ("Protein kinase C (PKC)", _ellipse(5.1, 2.3, 0.6, 0.28), OKABE_ITO["orange"],
            (5.1, 1.65)),
    "dynorphin": ("Spinal dynorphin", _ellipse(2.1, 2.3, 0.6, 0.28), OKABE_ITO["sky_blue"],
                  (2.1, 1.65)),
    "descending": ("Descending facilitation from the RVM", _box(8.0, 7.0, 11.8, 8.4),
                   OKABE_ITO["reddish_purple"], (9.9, 7.7)),
    "glia": ("Glia (microglia, astrocytes)", _blob(9.9, 3.1, 1.0), "#BBBBBB", (9.9, 1.55)),
}
SHORT_NAMES = {"terminal": "Nociceptor terminal", "mor": "MOR", "calcium": "Ca2+ channel",
               "glutamate": "Glutamate", "neuron": "Dorsal-horn neuron", "ampa": "AMPA",
               "nmda": "NMDA", "pkc": "PKC", "dynorphin": "Dynorphin",
               "descending": "Descending facilitation (RVM)", "glia": "Glia"}

# How each part is drawn in each state: "up" (thick solid outline, lit), "down" (thick dashed
# outline), "doubtful" (dotted outline, weaker evidence), or absent (thin, faded), with its word
# label. The labels are prose: assets/content/02-tolerance-vs-oih.yaml, mechanism_states.
MECHANISM_STATES = {state: {part: tuple(mark) for part, mark in marks.items()}
                    for state, marks in CONTENT["mechanism_states"].items()}
MECHANISM_STYLES = {
    "up": dict(name="Active or up-regulated (solid outline)", line=dict(color="#000", width=4),
               fill="toself", fillcolor="rgba(240,228,66,0.55)"),
    "down": dict(name="Inhibited or reduced (dashed outline)",
                 line=dict(color="#000", width=3.5, dash="dash"), fill="toself",
                 fillcolor="rgba(255,255,255,0.55)"),
    "doubtful": dict(name="Proposed, weaker evidence (dotted outline)",
                     line=dict(color="#000", width=3.5, dash="dot"), fill="toself",
                     fillcolor="rgba(240,228,66,0.25)"),
}
OUTLINE_KEY = ("Outline: <b>thick solid</b> = active or up-regulated; <b>thick dashed</b> = "
               "inhibited or reduced;<br><b>thick dotted</b> = proposed, weaker evidence; thin = no "
               "change. Labels say the same in words.")


def synapse_base() -> go.Figure:
    fig = new_figure("A dorsal-horn synapse (schematic)", "Schematic (no units)",
                     "Schematic (no units)", height=640)
    for name, (x, y), colour, _label in SYNAPSE_PARTS.values():
        fig.add_trace(go.Scatter(x=x, y=y, name=name, mode="lines", fill="toself",
                                 fillcolor=colour, opacity=0.35, line=dict(color="#555", width=1),
                                 hoverinfo="name", showlegend=False))
    for style in MECHANISM_STYLES.values():
        fig.add_trace(go.Scatter(mode="lines", hoverinfo="skip", showlegend=False, **style))
    arrows = [  # (x, y, ax, ay): static arrows of the circuit
        (7.05, 3.3, 9.0, 6.95),          # descending pathway to the dorsal horn
        (7.05, 2.4, 8.85, 2.9),          # glia signal to the neuron
    ]
    fig.add_trace(arrows_trace([(ax, ay, x, y) for x, y, ax, ay in arrows]))
    fig.add_trace(go.Scatter(mode="text", name="labels", showlegend=False, hoverinfo="skip",
                             x=[p[3][0] for p in SYNAPSE_PARTS.values()],
                             y=[p[3][1] for p in SYNAPSE_PARTS.values()],
                             textfont=dict(size=13, color="#000")))
    fig.add_annotation(x=9.9, y=8.75, text="from the brainstem", showarrow=False,
                       font=dict(size=12))
    fig.add_annotation(x=0.6, y=5.25, text="synaptic<br>cleft", showarrow=False, xanchor="left",
                       font=dict(size=12, color="#444"))
    fig.add_annotation(x=0, y=-0.02, xref="paper", yref="paper", text=OUTLINE_KEY,
                       showarrow=False, xanchor="left", yanchor="top", align="left",
                       font=dict(size=13))
    fig.update_xaxes(visible=False, range=[0.3, 12.0])
    fig.update_yaxes(visible=False, range=[0.2, 9.0])
    fig.update_layout(margin=dict(l=10, r=10, t=60, b=60))
    return fig


def _wrap(label: str, width: int = 30) -> str:
    """Break a long word label into lines (plotly text wraps only at <br>), so that labels of
    neighbouring parts do not overlap."""
    return "<br>".join(textwrap.wrap(label, width)) or label


def synapse_update(state: str) -> FigureUpdate:
    if state not in MECHANISM_STATES:
        raise ValueError(f"state must be one of {', '.join(MECHANISM_STATES)}")
    marks = MECHANISM_STATES[state]
    overlays = []
    for style in MECHANISM_STYLES:
        xs, ys = joined_polygons(SYNAPSE_PARTS[key][1] for key, (kind, _) in marks.items()
                         if kind == style)
        overlays.append({"x": xs, "y": ys})
    labels = []
    for key in SYNAPSE_PARTS:
        status = marks.get(key, (None, ""))[1]
        labels.append(f"{SHORT_NAMES[key]}<br><b>{_wrap(status)}</b>" if status
                      else SHORT_NAMES[key])
    static = [{} for _ in SYNAPSE_PARTS]
    return FigureUpdate(traces=static + overlays + [{}, {"text": labels}],
                        layout={"title": {"text": f"A dorsal-horn synapse (schematic): {state}"}})


# --- 4. quiz vignettes (static) ---------------------------------------------------------------
def vignette_figure(number: int) -> go.Figure:
    """Weekly pain and dose of quiz vignette ``number`` (a static figure; illustrative)."""
    trajectory = model.vignette_trajectory(number)
    fig = new_figure(f"Patient {number}: weekly pain and opioid dose ({ILLUSTRATIVE})", "Week",
                     PAIN_AXIS, height=420)
    fig.add_trace(go.Scatter(
        x=trajectory.week, y=trajectory.pain_nrs, name="Pain (left axis)", mode="lines+markers",
        line=dict(color=OKABE_ITO["vermillion"], width=3),
        marker=dict(symbol="diamond", size=8), hovertemplate="week %{x}: pain %{y:.1f}<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=trajectory.week, y=trajectory.dose_mg_per_day, name="Dose (right axis)", yaxis="y2",
        mode="lines", line=dict(color=OKABE_ITO["blue"], width=2, dash="dash", shape="hv"),
        hovertemplate="week %{x}: %{y:.0f} mg/day<extra></extra>"))
    top_dose = 50.0 * np.ceil(float(trajectory.dose_mg_per_day.max()) * 1.6 / 50.0)
    fig.add_vline(x=trajectory.change_week, line=dict(color="#555", dash="dot", width=1.5))
    fig.update_yaxes(range=[0, 10.5], dtick=2)
    fig.update_xaxes(range=[-0.5, trajectory.week[-1] + 0.5], dtick=2)
    fig.update_layout(
        yaxis2=dict(title=dict(text="Dose (mg/day oral morphine equivalents)"), overlaying="y",
                    side="right", range=[0, top_dose], dtick=50, showgrid=False, showline=True,
                    linecolor="#444", ticks="outside"),
        legend=dict(orientation="h", y=-0.2, yanchor="top", x=0),
        margin=dict(l=70, r=80, t=70, b=100))
    return fig
