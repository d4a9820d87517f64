"""Figures for lesson 03: the NMDA gating simulator and the ketamine plasma-concentration model.

Each is a *base* (built once: traces styled, axes titled with units) and an *update* (the numbers
that change), as in ``painlab.figures.base``. Traces differ by colour AND dash AND marker, and the
concentration bands carry written labels, so colour is never the only cue. Two panels are laid out
by hand (axis domains) rather than with make_subplots, which costs tens of ms on a fresh kernel.
"""

import numpy as np
import plotly.graph_objects as go

from painlab.content import lesson_content
from painlab.figures.base import FigureUpdate
from painlab.models import nmda_ketamine as model
from painlab.style import OKABE_ITO, TEMPLATE_NAME

STEM = "03-nmda-ketamine"
VOLTAGE_GRID_MV = np.linspace(-100.0, 40.0, 71)  # 2-mV steps
ACTIVATIONS = 20
PANEL_GAP = 0.12


def current_range_pA() -> list[float]:
    """A current axis that holds every current the simulator's controls can give, with padding.

    The largest currents flow with both co-agonists at the top of their sliders and no Mg2+ or
    ketamine block, at the ends of the voltage grid. A fixed axis lets the student see a current
    shrink (an autoscaled axis would stretch it back to full height) and keeps the axis from
    jumping at every key press."""
    glutamate = model.SIMULATOR_RANGES["glutamate_uM"][1]
    glycine = model.SIMULATOR_RANGES["glycine_uM"][1]
    ends = model.nmda_current_pA(VOLTAGE_GRID_MV[[0, -1]], glutamate, glycine, 0.0)
    low, high = min(float(ends.min()), 0.0), max(float(ends.max()), 0.0)
    pad = 0.06 * (high - low)
    return [low - pad, high + pad]


def _text() -> dict:
    return lesson_content(STEM)


# --- 1. gating simulator ----------------------------------------------------------------------
def gating_base() -> go.Figure:
    text = _text()["gating"]
    left = [0.0, 0.56]
    right = [0.56 + PANEL_GAP, 1.0]
    traces = [
        go.Scatter(name=text["trace_no_mg"], mode="lines", x=VOLTAGE_GRID_MV,
                   line=dict(color=OKABE_ITO["sky_blue"], dash="dot", width=3),
                   hovertemplate="%{x:.0f} mV: %{y:.1f} pA<extra>no Mg²⁺</extra>"),
        go.Scatter(name=text["trace_mg"], mode="lines", x=VOLTAGE_GRID_MV,
                   line=dict(color=OKABE_ITO["blue"], dash="dash", width=3),
                   hovertemplate="%{x:.0f} mV: %{y:.1f} pA<extra>with Mg²⁺</extra>"),
        go.Scatter(name=text["trace_all"], mode="lines", x=VOLTAGE_GRID_MV,
                   line=dict(color=OKABE_ITO["vermillion"], dash="solid", width=3),
                   hovertemplate="%{x:.0f} mV: %{y:.1f} pA<extra>Mg²⁺ + ketamine</extra>"),
        go.Scatter(name=text["trace_now"], mode="markers+text", textposition="bottom center",
                   marker=dict(symbol="diamond", size=15, color=OKABE_ITO["vermillion"],
                               line=dict(width=2, color="#000")),
                   textfont=dict(size=14, color="#000"),
                   hovertemplate="%{x:.0f} mV: %{y:.2f} pA<extra>chosen voltage</extra>"),
        go.Scatter(name=text["trace_block"], mode="lines+markers", x=np.arange(ACTIVATIONS + 1),
                   xaxis="x2", yaxis="y2",
                   line=dict(color=OKABE_ITO["bluish_green"], dash="solid", width=3),
                   marker=dict(symbol="square", size=7, color=OKABE_ITO["bluish_green"]),
                   hovertemplate="activation %{x}: %{y:.0f}% blocked<extra>chosen</extra>"),
        go.Scatter(name=text["trace_block_max"], mode="lines", x=np.arange(ACTIVATIONS + 1),
                   xaxis="x2", yaxis="y2",
                   line=dict(color=OKABE_ITO["black"], dash="dash", width=2),
                   hovertemplate="activation %{x}: %{y:.0f}% blocked<extra>all open</extra>"),
    ]
    layout = dict(
        template=TEMPLATE_NAME, height=480, title_text=text["title"],
        xaxis=dict(domain=left, title=dict(text=text["iv_axis"]), range=[-100, 40], dtick=20,
                   zeroline=True, zerolinecolor="#888"),
        yaxis=dict(title=dict(text=text["current_axis"]), range=current_range_pA(), zeroline=True,
                   zerolinecolor="#888"),
        xaxis2=dict(domain=right, anchor="y2", title=dict(text=text["activation_axis"]),
                    range=[-0.5, ACTIVATIONS + 0.5], dtick=5),
        yaxis2=dict(anchor="x2", title=dict(text=text["block_axis"]), range=[0, 100], dtick=20),
        legend=dict(orientation="h", y=-0.2, x=0.0, yanchor="top"),
        margin=dict(l=80, r=30, t=90, b=120),
        annotations=[dict(text=text["iv_title"], x=sum(left) / 2, y=1.0, xref="paper",
                          yref="paper", xanchor="center", yanchor="bottom", showarrow=False,
                          font=dict(size=15)),
                     dict(text=text["block_title"], x=sum(right) / 2, y=1.0, xref="paper",
                          yref="paper", xanchor="center", yanchor="bottom", showarrow=False,
                          font=dict(size=15))])
    return go.Figure(data=traces, layout=layout)


def gating_update(voltage_mV: float, glutamate_uM: float, glycine_uM: float, mg_mM: float,
                  ketamine_uM: float) -> FigureUpdate:
    state = model.GatingState(voltage_mV, glutamate_uM, glycine_uM, mg_mM, ketamine_uM)
    blocked = state.ketamine_blocked
    no_mg = model.nmda_current_pA(VOLTAGE_GRID_MV, glutamate_uM, glycine_uM, 0.0)
    with_mg = model.nmda_current_pA(VOLTAGE_GRID_MV, glutamate_uM, glycine_uM, mg_mM)
    with_ketamine = with_mg * (1.0 - blocked)
    block_course = 100 * model.ketamine_block_by_activation(ketamine_uM, state.open_fraction,
                                                            ACTIVATIONS)
    block_max = 100 * model.ketamine_block_by_activation(ketamine_uM, 1.0, ACTIVATIONS)
    # No layout change: every axis range is fixed, so only the traces are redrawn.
    return FigureUpdate(
        traces=[{"y": no_mg}, {"y": with_mg}, {"y": with_ketamine},
                {"x": [voltage_mV], "y": [state.current_pA], "text": [f"{state.current_pA:.1f} pA"]},
                {"y": block_course}, {"y": block_max}])


# --- 2. ketamine plasma concentration ---------------------------------------------------------
CONC_RANGE_LOG10 = [0.0, np.log10(20000.0)]   # 1 to 20,000 ng/mL
BAND_STYLE = {"psychedelic": (OKABE_ITO["reddish_purple"], 0.16),
              "analgesic": (OKABE_ITO["bluish_green"], 0.22),
              "anaesthetic": (OKABE_ITO["orange"], 0.2)}


def infusion_base() -> go.Figure:
    text = _text()["infusion"]
    shapes, annotations = [], []
    for name, (low, high) in model.BANDS_NG_PER_ML.items():
        colour, opacity = BAND_STYLE[name]
        shapes.append(dict(type="rect", xref="paper", x0=0, x1=1, yref="y", y0=low, y1=high,
                           fillcolor=colour, opacity=opacity, line=dict(width=0), layer="below"))
        if name == "psychedelic":  # the analgesic band overlaps it: mark its edges with lines
            shapes += [dict(type="line", xref="paper", x0=0, x1=1, yref="y", y0=edge, y1=edge,
                            line=dict(color=colour, width=2, dash="dashdot"))
                       for edge in (low, high)]
        # The analgesic label sits further left, away from the psychedelic one it overlaps.
        annotations.append(dict(text=text["band_labels"][name], xref="paper", yref="y",
                                x=0.99 if name != "analgesic" else 0.4, xanchor="right",
                                y=np.log10(high if name != "analgesic" else low),
                                yanchor="bottom" if name != "analgesic" else "top",
                                showarrow=False, font=dict(size=12, color="#222")))
    for ki_uM, label, dash in ((model.HIROTA1999_MU_KI_UM, text["mu_label"], "dash"),
                               (model.HIROTA1999_KAPPA_KI_UM, text["kappa_label"], "dot")):
        level = float(model.um_to_ng_per_ml(ki_uM))
        shapes.append(dict(type="line", xref="paper", x0=0, x1=1, yref="y", y0=level, y1=level,
                           line=dict(color="#444", dash=dash, width=2)))
        annotations.append(dict(text=label, xref="paper", yref="y", x=0.01, xanchor="left",
                                y=np.log10(level), yanchor="bottom" if dash == "dash" else "top",
                                showarrow=False, font=dict(size=12, color="#222")))
    traces = [
        go.Scatter(name=text["trace_conc"], mode="lines",
                   line=dict(color=OKABE_ITO["blue"], width=3, dash="solid"),
                   hovertemplate="%{x:.1f} h: %{y:.0f} ng/mL<extra></extra>"),
        go.Scatter(name=text["trace_peak"], mode="markers+text", textposition="top right",
                   marker=dict(symbol="diamond", size=14, color=OKABE_ITO["vermillion"],
                               line=dict(width=2, color="#000")),
                   textfont=dict(size=13, color="#000"),
                   hovertemplate="peak %{y:.0f} ng/mL at %{x:.1f} h<extra></extra>"),
    ]
    return go.Figure(data=traces, layout=dict(
        template=TEMPLATE_NAME, height=500, title_text=text["title"],
        xaxis=dict(title=dict(text=text["time_axis"]), rangemode="nonnegative"),
        yaxis=dict(title=dict(text=text["conc_axis"]), type="log", range=CONC_RANGE_LOG10),
        shapes=shapes, annotations=annotations, showlegend=True,
        legend=dict(orientation="h", y=-0.18, x=0.0, yanchor="top"),
        margin=dict(l=80, r=30, t=80, b=110)))


def infusion_update(regimen: str, weight_kg: float, dose_percent: float) -> FigureUpdate:
    if regimen not in model.REGIMENS:
        raise ValueError(f"regimen must be one of {', '.join(model.REGIMENS)}")
    chosen = model.REGIMENS[regimen]
    t, conc = model.concentration_profile(chosen, weight_kg, dose_percent / 100)
    # About 240 plotted points whatever the duration (every 2 to 8 minutes): no visible
    # difference, and a small update to send. The time axis autoscales to the regimen.
    stride = max(1, len(t) // 240)
    t_plot, c_plot = t[::stride], np.maximum(conc[::stride], 0.5)
    peak = int(np.argmax(conc))
    return FigureUpdate(
        traces=[{"x": t_plot, "y": c_plot, "name": f"Plasma ketamine: {chosen.label}"},
                {"x": [t[peak]], "y": [conc[peak]], "text": [f"{conc[peak]:.0f} ng/mL"]}])


# --- 3. wind-up -------------------------------------------------------------------------------
WINDUP_MAX_STIMULI = 20


def windup_base() -> go.Figure:
    """One panel: action potentials per stimulus against stimulus number, with the chosen NMDA
    block (solid, squares) and without (dashed, circles, drawn on top so that it stays visible
    where the two coincide); a dotted line at the first response, so the rise above it reads
    without colour."""
    text = _text()["windup"]
    traces = [
        go.Scatter(name=text["trace_blocked"], mode="lines+markers",
                   line=dict(color=OKABE_ITO["vermillion"], dash="solid", width=3),
                   marker=dict(symbol="square", size=8, color=OKABE_ITO["vermillion"]),
                   hovertemplate="stimulus %{x}: %{y:.1f} spikes<extra>with block</extra>"),
        go.Scatter(name=text["trace_control"], mode="lines+markers",
                   line=dict(color=OKABE_ITO["blue"], dash="dash", width=3),
                   marker=dict(symbol="circle", size=8, color=OKABE_ITO["blue"]),
                   hovertemplate="stimulus %{x}: %{y:.1f} spikes<extra>no block</extra>"),
        go.Scatter(name=text["trace_first"], mode="lines",
                   line=dict(color=OKABE_ITO["black"], dash="dot", width=2),
                   hoverinfo="skip"),
    ]
    return go.Figure(data=traces, layout=dict(
        template=TEMPLATE_NAME, height=440, title_text=text["title"],
        xaxis=dict(title=dict(text=text["stimulus_axis"]), range=[0.5, WINDUP_MAX_STIMULI + 0.5],
                   dtick=2),
        yaxis=dict(title=dict(text=text["response_axis"]), range=[0, 50], dtick=10),
        legend=dict(orientation="h", y=-0.22, x=0.0, yanchor="top"),
        margin=dict(l=80, r=30, t=70, b=110)))


def windup_update(frequency_Hz: float, stimuli: float, nmda_block_percent: float) -> FigureUpdate:
    train = model.WindUp(frequency_Hz, int(round(stimuli)), nmda_block_percent / 100)
    x = np.arange(1, train.stimuli + 1)
    control, blocked = train.control, train.blocked
    label = _text()["windup"]["trace_blocked_n"].format(percent=f"{nmda_block_percent:.0f}")
    return FigureUpdate(traces=[
        {"x": x, "y": blocked, "name": label},
        {"x": x, "y": control},
        {"x": [0.5, WINDUP_MAX_STIMULI + 0.5], "y": [control[0], control[0]]}])
