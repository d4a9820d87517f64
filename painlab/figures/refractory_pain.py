"""Figures for the refractory-pain lesson: the pain-pathway schematic and the treatment-history
timeline with its checklist of an adequate trial.

Both follow ``painlab.figures.base``: a base built once and an update with what changes. Parts are
told apart by outline style and words as well as colour (never colour alone). The site layout
below is drawing geometry only; the sites' names and the agents come from the content file via
``painlab.models.refractory_pain``.
"""

import textwrap

import plotly.graph_objects as go

from painlab.figures.base import FigureUpdate, arrows_trace, joined_polygons, new_figure
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


def wrap(text: str, width: int = 30) -> str:
    return "<br>".join(textwrap.wrap(text, width)) if text else ""


def pathway_base() -> go.Figure:
    fig = new_figure("The pain pathway (schematic)", "Schematic (no units)",
                     "Schematic (no units)", height=660)
    sites = model.pathway_sites()
    for site in sites:
        (x0, y0, x1, y1), colour = SITE_BOXES[site]
        x, y = _box(x0, y0, x1, y1)
        fig.add_trace(go.Scatter(x=x, y=y, name=sites[site]["name"], mode="lines",
                                 fill="toself", fillcolor=colour, opacity=0.30,
                                 line=dict(color="#555", width=1), hoverinfo="name",
                                 showlegend=False))
    for style in EVIDENCE_STYLES.values():
        fig.add_trace(go.Scatter(mode="lines", hoverinfo="skip", showlegend=False, **style))
    fig.add_trace(arrows_trace([(x0, y0, x1, y1) for x0, y0, x1, y1, _text in ARROWS]))
    positions = [_label_position(site) for site in sites]
    fig.add_trace(go.Scatter(mode="text", name="labels", showlegend=False, hoverinfo="skip",
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
    return FigureUpdate(traces=[{} for _ in sites] + overlays + [{}, {"text": labels}],
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
LABELS_X = 1.03  # the checklist, in paper coordinates right of the plot


def timeline_base() -> go.Figure:
    fig = new_figure("Treatment history", "Weeks since the first strategy (weeks)",
                     "Strategy", height=560)
    for name, colour, symbol, dash in STATUS_STYLES.values():
        fig.add_trace(go.Scatter(
            name=name, mode="lines+markers", line=dict(color=colour, width=12, dash=dash),
            marker=dict(symbol=symbol, size=13, color=colour, line=dict(width=2, color="#000")),
            hoverinfo="text"))
    fig.add_trace(go.Scatter(name="What was given", mode="text", showlegend=False,
                             textposition="top right", textfont=dict(size=12, color="#000"),
                             hoverinfo="skip"))
    fig.update_yaxes(type="category", categoryorder="array",
                     categoryarray=[model.STRATEGIES[s] for s in reversed(LANES)],
                     range=[-0.6, len(LANES) - 0.2])
    fig.update_layout(legend=dict(orientation="h", y=-0.16, x=0.0, yanchor="top"),
                      xaxis=dict(domain=[0.0, 0.56]),
                      margin=dict(l=230, r=20, t=70, b=120))
    # The checklist: one annotation, whose text each update rewrites in place (replacing the
    # annotation list would cost plotly about 8 ms of validation per update).
    fig.add_annotation(x=0.59, y=1.0, xref="paper", yref="paper", xanchor="left", yanchor="top",
                       align="left", showarrow=False, text="", font=dict(size=12),
                       bordercolor="#999", borderwidth=1, bgcolor="rgba(255,255,255,0.9)")
    return fig


def timeline_update(hist: model.History, assessment: model.Assessment) -> FigureUpdate:
    traces = []
    for status in STATUS_STYLES:
        xs, ys, hover = [], [], []
        for step in hist.steps:
            if step.status != status:
                continue
            lane = model.STRATEGIES[step.strategy]
            end = step.end_week if step.weeks > 0 else step.start_week + 0.2
            text = f"{step.what} ({model.STATUSES[status]})" + (
                f"; adverse effects: {step.adverse}" if step.adverse else "")
            xs += [step.start_week, end, None]
            ys += [lane, lane, None]
            hover += [text, text, None]
        if not xs:
            # One empty point keeps the trace (and its legend entry) drawn: plotly hides a trace
            # with no data, which would change the legend, the margins and the plot's height.
            xs, ys, hover = [None], [None], [None]
        traces.append({"x": xs, "y": ys, "hovertext": hover})
    traces.append({"x": [s.start_week for s in hist.steps],
                   "y": [model.STRATEGIES[s.strategy] for s in hist.steps],
                   "text": [wrap(s.what, 26) for s in hist.steps]})
    checklist = _checklist(assessment)
    verdict = model.verdict_text(assessment.verdict)
    return FigureUpdate(traces=traces, layout={
        "title": {"text": f"{hist.title}: {verdict}"},
        "xaxis": {"range": timeline_weeks_range(hist)},
        "annotations[0].text": checklist})


def timeline_weeks_range(hist: model.History) -> list[float]:
    """The weeks axis of a history: room for it with every strategy added, and for its labels.

    The same whatever strategies are ticked, so ticking one never moves the axis. (One range for
    every history would squeeze a 3-week history into a few pixels of a 48-week one's axis.)"""
    longest = model.with_additions(model.history(hist.id), model.ADDABLE).end_week
    return [-0.5, max(longest, 4) * 1.35 + 1]


def _checklist(assessment: model.Assessment) -> str:
    from painlab.content import lesson_content

    labels = {r["id"]: r["label"] for r in lesson_content("01-refractory-pain")["trial"]["requirements"]}
    lines = ["<b>Parts of an adequate trial</b><br>(Currow 2012)"]
    for requirement, steps in assessment.met.items():
        mark = "✔ shown" if steps else "✘ MISSING"
        lines.append(f"{mark}: {wrap(labels[requirement], 28).replace('<br>', '<br>    ')}")
    lines.append(f"<b>Verdict:</b> {wrap(model.verdict_text(assessment.verdict), 30)}")
    narrow = model.verdict_text(assessment.narrow_verdict)
    lines.append(f"<i>Source S000's narrow<br>definition:</i> {wrap(narrow, 30)}")
    return "<br>".join(lines)
