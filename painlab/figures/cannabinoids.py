"""Figures for the cannabinoids lesson: receptor occupancy from Ki, CBD's allosteric effect on THC
at CB1 (illustrative), icon arrays of benefit and harm, and the cannabis-law estimates over time.

Each figure is a *base* (built once) and an *update* (what changes with the controls), as in
``painlab.figures.base``. Curves differ by colour AND dash AND marker symbol, never colour alone.
"""

import numpy as np
import plotly.graph_objects as go

from painlab.figures.base import FigureUpdate, new_figure
from painlab.models import cannabinoids as model
from painlab.style import OKABE_ITO

CONCENTRATION_GRID_NM = np.geomspace(0.1, 100_000.0, 91)  # 15 points a decade: smooth, and small to send
CONCENTRATION_AXIS = "Free concentration at the receptor (nM, log scale)"

# (drug, receptor, colour, dash, symbol)
OCCUPANCY_CURVES = [
    ("THC", "CB1", OKABE_ITO["blue"], "solid", "circle"),
    ("THC", "CB2", OKABE_ITO["sky_blue"], "dash", "square"),
    ("CBD", "CB1", OKABE_ITO["vermillion"], "dot", "diamond"),
    ("CBD", "CB2", OKABE_ITO["orange"], "dashdot", "triangle-up"),
]


def _curve_name(drug: str, receptor: str) -> str:
    ki = model.ki_nm(drug, receptor)
    return f"{drug} at {model.KI_SPECIES[(drug, receptor)]} {receptor} (Ki {ki:g} nM)"


# --- 1. occupancy -----------------------------------------------------------------------------
def occupancy_base() -> go.Figure:
    fig = new_figure("Receptor occupancy against concentration (Ki: McPartland 2007)",
                     CONCENTRATION_AXIS, "Receptors occupied (%)", height=480)
    low, high = model.thc_smoked_peak_range_nm()
    fig.add_trace(go.Scatter(
        name=f"Peak total plasma THC after smoking, {low:.0f}-{high:.0f} nM (Azorlosa 1992)",
        x=[low, high, high, low, low], y=[0, 0, 100, 100, 0], mode="lines", fill="toself",
        fillcolor="rgba(0,158,115,0.15)", line=dict(color=OKABE_ITO["bluish_green"], width=1,
                                                    dash="longdash"),
        hoverinfo="name"))
    for drug, receptor, colour, dash, _symbol in OCCUPANCY_CURVES:
        fig.add_trace(go.Scatter(
            name=_curve_name(drug, receptor), mode="lines", x=CONCENTRATION_GRID_NM,
            y=100 * model.drug_occupancy(drug, receptor, CONCENTRATION_GRID_NM),
            line=dict(color=colour, dash=dash, width=3),
            hovertemplate="%{x:,.3~r} nM: %{y:.0f}% occupied<extra>" + f"{drug} {receptor}</extra>"))
    fig.add_trace(go.Scatter(
        name=f"THC at rat CB1 (Ki {model.THC_RAT_CB1_KI_NM:g} nM), to compare with CBD at rat CB1",
        mode="lines", x=CONCENTRATION_GRID_NM,
        y=100 * model.occupancy(CONCENTRATION_GRID_NM, model.THC_RAT_CB1_KI_NM),
        line=dict(color=OKABE_ITO["black"], dash="longdashdot", width=1.5),
        hovertemplate="%{x:,.3~r} nM: %{y:.0f}% occupied<extra>THC rat CB1</extra>"))
    fig.add_trace(go.Scatter(
        name="Chosen concentration", mode="lines", line=dict(color="#444", width=1.5, dash="dot"),
        y=[0, 100], hoverinfo="skip"))
    fig.add_trace(go.Scatter(
        name="Occupancy at the chosen concentration", mode="markers", showlegend=False,
        marker=dict(size=13, color=[c[2] for c in OCCUPANCY_CURVES],
                    symbol=[c[4] for c in OCCUPANCY_CURVES], line=dict(width=1.5, color="#000")),
        hovertemplate="%{y:.0f}% occupied<extra></extra>"))
        # The values in one block at the top left, where every curve is near zero (labels beside the
    # markers collide where curves meet). A text trace, not a layout annotation: updating an
    # annotation costs about 3 ms in the kernel, a trace's text a fraction of that.
    fig.add_trace(go.Scatter(
        name="Occupancy values", mode="text", x=[0.13], y=[98], textposition="bottom right",
        textfont=dict(size=14, color="#000"), showlegend=False, hoverinfo="skip"))
    fig.update_xaxes(type="log", range=[-1, 5], dtick=1)
    fig.update_yaxes(range=[0, 103], dtick=20)
    fig.update_layout(legend=dict(orientation="v", x=0.0, y=-0.18, xanchor="left", yanchor="top"),
                      margin=dict(l=70, r=30, t=70, b=40), height=600)
    return fig


def occupancy_update(concentration_nm: float) -> FigureUpdate:
    """Only the chosen-concentration line, the four markers and the value text change (the
    title stays: each layout property updated costs a millisecond or more in the kernel)."""
    values = [100 * model.drug_occupancy(d, r, concentration_nm) for d, r, *_ in OCCUPANCY_CURVES]
    labels = [f"{d} at {r}: {v:.0f}%" for (d, r, *_), v in zip(OCCUPANCY_CURVES, values,
                                                                strict=True)]
    rat = 100 * model.occupancy(concentration_nm, model.THC_RAT_CB1_KI_NM)
    box = (f"<b>At {model.format_nm(concentration_nm)} nM</b><br>" + "<br>".join(labels)
           + f"<br>(THC at rat CB1: {rat:.0f}%)")
    return FigureUpdate(
                traces=[{}, {}, {}, {}, {}, {}, {"x": [concentration_nm, concentration_nm]},
                {"x": [concentration_nm] * 4, "y": values}, {"text": [box]}])


# --- 2. CBD at CB1 (illustrative) --------------------------------------------------------------
THC_GRID_NM = np.geomspace(0.1, 100_000.0, 91)


def modulation_base() -> go.Figure:
    fig = new_figure("THC's effect at CB1 with and without CBD (illustrative model)",
                     "THC concentration (nM, log scale)",
                     "THC effect (% of THC's own maximum)", height=470)
    fig.add_trace(go.Scatter(
        name="THC alone", mode="lines", x=THC_GRID_NM, y=100 * model.thc_cb1_effect(THC_GRID_NM),
        line=dict(color=OKABE_ITO["blue"], width=3, dash="solid"),
        hovertemplate="THC %{x:,.3~r} nM: %{y:.0f}%<extra>THC alone</extra>"))
    fig.add_trace(go.Scatter(
        name="THC with CBD", mode="lines+markers", x=THC_GRID_NM,
        line=dict(color=OKABE_ITO["vermillion"], width=3, dash="dash"),
        marker=dict(symbol="diamond", size=6, maxdisplayed=14),
        hovertemplate="THC %{x:,.3~r} nM: %{y:.0f}%<extra>with CBD</extra>"))
    fig.update_xaxes(type="log", range=[-1, 5], dtick=1)
    fig.update_yaxes(range=[0, 103], dtick=20)
    fig.update_layout(legend=dict(x=0.01, y=0.98, xanchor="left", yanchor="top"),
                      margin=dict(l=70, r=30, t=70, b=60))
    return fig


def modulation_update(cbd_nm: float) -> FigureUpdate:
    with_cbd = 100 * model.thc_cb1_effect(THC_GRID_NM, cbd_nm)
    return FigureUpdate(
        traces=[{}, {"y": with_cbd}],
        layout={"title": {"text": f"THC's effect at CB1 with CBD at {cbd_nm:g} nM "
                                  "(illustrative model)"}})


# --- 3. icon arrays of benefit and harm --------------------------------------------------------
GRID = 10
ICON_STYLES = {  # key -> (colour, symbol); the legend text depends on the outcome
    "anyway": (OKABE_ITO["sky_blue"], "circle"),
    "because": (OKABE_ITO["vermillion"], "star"),
    "rest": ("#BBBBBB", "circle-open"),
}


ICON_LEGEND = {
    "anyway": "Would have had the outcome on placebo too",
    "because": "Had the outcome because of the treatment",
    "rest": "Did not have the outcome (where no placebo rate is given: everyone else)",
}


def icon_base() -> go.Figure:
    fig = new_figure("100 people treated", "Icon column (1 icon = 1 person)",
                     "Icon row (1 icon = 1 person)", height=520)
    for key, (colour, symbol) in ICON_STYLES.items():
        fig.add_trace(go.Scatter(mode="markers", name=ICON_LEGEND[key], hoverinfo="name",
                                 marker=dict(size=22, color=colour, symbol=symbol,
                                             line=dict(width=1.5, color="#333"))))
    fig.update_xaxes(visible=False, range=[-0.7, GRID - 0.3])
    fig.update_yaxes(visible=False, range=[-0.7, GRID - 0.3], scaleanchor="x")
    fig.update_layout(legend=dict(orientation="v", y=-0.02, yanchor="top", x=0.0),
                      margin=dict(l=10, r=10, t=90, b=110))
    return fig


_POSITIONS = np.arange(GRID * GRID)
_COLS = (_POSITIONS % GRID).tolist()
_ROWS = (GRID - 1 - _POSITIONS // GRID).tolist()


def icon_update(estimate_key: str) -> FigureUpdate:
    estimate = model.ESTIMATES[estimate_key]
    counts = model.icon_counts(estimate, GRID * GRID)
    traces, start = [], 0
    for key in ICON_STYLES:  # plain lists: plotly validates them faster than numpy arrays
        stop = start + counts[key]
        traces.append({"x": _COLS[start:stop], "y": _ROWS[start:stop]})
        start = stop
    number = "NNTB" if estimate.kind == "benefit" else "NNTH"
    certainty = model.GRADE_SYMBOLS[estimate.certainty]
    title = (f"{estimate.label}: {counts['because']} in 100 because of treatment "
             f"({number} {estimate.number_needed})<br><sup>Certainty: {estimate.certainty} "
             f"{certainty}; {estimate.status}</sup>")
    return FigureUpdate(traces=traces, layout={"title": {"text": title}})


# --- 4. medical cannabis laws and opioid deaths ------------------------------------------------
def law_row_label(estimate: model.LawEstimate) -> str:
    return f"{estimate.label} ({estimate.years})"


def laws_base() -> go.Figure:
    """One trace per published analysis, each drawn once; a step only switches rows on (an
    update of error bars costs about 5 ms in the kernel, a visibility flag a fraction)."""
    fig = new_figure("Medical cannabis laws and opioid overdose deaths: published estimates",
                     "Difference in opioid overdose death rate (%, 95% CI)", "Analysis",
                     height=470)
    for row, estimate in enumerate(model.LAW_ESTIMATES):
        low, high = estimate.ci
        fig.add_trace(go.Scatter(
            name=law_row_label(estimate), x=[estimate.percent], y=[row], mode="markers+text",
            text=[f"{estimate.percent:+.1f}%"], textposition="top center",
            textfont=dict(size=13), visible=row == 0,
            marker=dict(symbol="square", size=13, color=OKABE_ITO["blue"],
                        line=dict(width=1, color="#000")),
            error_x=dict(type="data", symmetric=False, array=[high - estimate.percent],
                         arrayminus=[estimate.percent - low], thickness=2.5, width=8,
                         color=OKABE_ITO["blue"]),
            hovertemplate=(f"{law_row_label(estimate)}: {estimate.percent:+.1f}% "
                           f"({low:+.1f} to {high:+.1f})<extra></extra>")))
    rows = len(model.LAW_ESTIMATES)
    fig.update_xaxes(range=[-60, 80], dtick=20, zeroline=True, zerolinecolor="#000",
                     zerolinewidth=2)
    # One fixed, labelled row per analysis, top to bottom in the order they were published.
    fig.update_yaxes(range=[rows - 0.4, -0.7], tickmode="array", tickvals=list(range(rows)),
                     ticktext=[law_row_label(e) for e in model.LAW_ESTIMATES],
                     automargin=True, showgrid=False, title_text="")
    fig.update_layout(showlegend=False, margin=dict(l=250, r=30, t=70, b=70),
                      annotations=[dict(x=-30, y=1.0, yref="paper", text="fewer deaths",
                                        showarrow=False, yanchor="bottom"),
                                   dict(x=40, y=1.0, yref="paper", text="more deaths",
                                        showarrow=False, yanchor="bottom")])
    return fig


def laws_update(step: str) -> FigureUpdate:
    shown = model.LAW_STEPS[step]
    return FigureUpdate(
        traces=[{"visible": row < shown} for row in range(len(model.LAW_ESTIMATES))],
        layout={"title": {"text": f"Medical cannabis laws and opioid overdose deaths: {step}"}})
