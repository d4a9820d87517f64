"""Lesson 05 figures: a forest chart of published effects on pain, and the fear-avoidance cycle."""

import math

import plotly.graph_objects as go

from painlab.content import lesson_content
from painlab.figures.base import FigureUpdate, arrows_trace, new_figure
from painlab.models import non_drug_therapies as model
from painlab.style import OKABE_ITO

STEM = "05-non-drug-therapies"
COMPARATOR_FILTERS = ("all", "active", "inactive")

# --- 1. forest chart ----------------------------------------------------------------------------
# (comparator kind, has interval) -> (legend name, colour, symbol): symbol and fill carry the same
# information as colour.
FOREST_TRACES = {
    ("active", True): ("Active comparator", OKABE_ITO["blue"], "diamond"),
    ("inactive", True): ("Inactive comparator", OKABE_ITO["vermillion"], "circle"),
    ("active", False): ("Active comparator, no interval seen", OKABE_ITO["blue"], "diamond-open"),
    ("inactive", False): ("Inactive comparator, no interval seen", OKABE_ITO["vermillion"],
                          "circle-open"),
}
ROW_HEIGHT_PX = 50
FOREST_FIXED_PX = 220  # title, axis, legend


def row_label(item: model.EffectEstimate) -> str:
    """The y-axis label of one estimate: therapy vs comparator, outcome, time point, certainty."""
    return (f"{item.therapy} vs {item.comparator}<br>"
            f"<span style='font-size:12px'>{item.outcome}, {item.time_point}; {item.certainty}</span>")


def forest_rows(comparators: str = "all") -> list[model.EffectEstimate]:
    if comparators not in COMPARATOR_FILTERS:
        raise ValueError(f"comparators must be one of {COMPARATOR_FILTERS}, got {comparators!r}")
    return [e for e in model.EFFECTS if comparators == "all" or e.comparator_kind == comparators]


def forest_base() -> go.Figure:
    text = lesson_content(STEM)["forest"]
    rows = len(model.EFFECTS)
    fig = new_figure(text["title"], text["x_title"], "Estimate (therapy vs comparator)",
                     height=FOREST_FIXED_PX + ROW_HEIGHT_PX * rows)
    for (_kind, has_interval), (name, colour, symbol) in FOREST_TRACES.items():
        fig.add_trace(go.Scatter(
            mode="markers", name=name, marker=dict(size=12, color=colour, symbol=symbol,
                                                   line=dict(width=2, color=colour)),
            error_x=dict(type="data", symmetric=False, color=colour, thickness=2,
                         width=6 if has_interval else 0, visible=has_interval),
            hovertemplate="%{text}<extra></extra>"))
    fig.add_vline(x=0, line=dict(color="#333", width=1.5))
    fig.add_vline(x=-model.MID_POINTS, line=dict(color="#555", width=2, dash="dash"),
                  annotation_text=text["mid_label"], annotation_position="top left",
                  annotation_font_size=12)
    fig.update_xaxes(range=[-2.6, 1.0], dtick=0.5, zeroline=False)
    fig.update_yaxes(title_text="", autorange="reversed", showgrid=False, automargin=True)
    fig.update_layout(legend=dict(orientation="h", y=-0.1, yanchor="top", x=0),
                      margin=dict(l=10, r=20, t=70, b=130))
    return fig


def _hover(item: model.EffectEstimate, points: tuple) -> str:
    estimate, low, high = points
    interval = "no interval seen" if low is None else f"95% CI {low:.2f} to {high:.2f}"
    original = ("" if item.measure != "SMD" else f" (SMD {item.estimate:.2f})")
    return (f"{item.therapy} vs {item.comparator}: {estimate:.2f} points{original}, {interval}; "
            f"{item.n_studies} stud{'y' if item.n_studies == 1 else 'ies'}; {item.certainty} "
            f"[{item.reference}]")


def forest_update(sd_points: float, comparators: str = "all") -> FigureUpdate:
    rows = forest_rows(comparators)
    groups = {key: {"x": [], "y": [], "minus": [], "plus": [], "text": []} for key in FOREST_TRACES}
    for position, item in enumerate(rows):
        points = model.effect_in_points(item, sd_points)
        estimate, low, high = points
        group = groups[(item.comparator_kind, item.has_interval)]
        group["x"].append(estimate)
        group["y"].append(position)
        group["minus"].append(0.0 if low is None else estimate - low)
        group["plus"].append(0.0 if high is None else high - estimate)
        group["text"].append(_hover(item, points))
    traces = [{"x": g["x"], "y": g["y"], "text": g["text"],
               "error_x": {"array": g["plus"], "arrayminus": g["minus"]}} for g in groups.values()]
    lowest = min([-2.6] + [x - m for g in groups.values() for x, m in zip(g["x"], g["minus"], strict=True)])
    layout = {
        "title_text": (f"{lesson_content(STEM)['forest']['title']} (SMDs converted at an SD of "
                       f"{sd_points:.1f} points)"),
        "yaxis": {"tickvals": list(range(len(rows))), "ticktext": [row_label(e) for e in rows],
                  "range": [len(rows) - 0.5, -0.5], "autorange": False},
        "xaxis": {"range": [math.floor(lowest * 2) / 2, 1.0]},
        "height": FOREST_FIXED_PX + ROW_HEIGHT_PX * len(rows),
    }
    return FigureUpdate(traces=traces, layout=layout)


# --- 2. the fear-avoidance cycle ----------------------------------------------------------------
# Schematic positions (no units): the vicious cycle on a circle, the recovery route to the left.
CYCLE_CENTRE = (6.9, 4.0)
CYCLE_RADIUS = 3.0
RECOVERY_POSITIONS = {"confrontation": (3.5, 7.0), "recovery": (1.0, 7.0)}


def step_positions() -> dict[str, tuple[float, float]]:
    """Where each step is drawn: the five cycle steps clockwise from the top, then the exit route."""
    cx, cy = CYCLE_CENTRE
    steps = model.FEAR_AVOIDANCE_STEPS
    positions = {}
    for index, step in enumerate(steps):
        angle = math.pi / 2 - 2 * math.pi * index / len(steps)
        positions[step] = (cx + CYCLE_RADIUS * math.cos(angle), cy + CYCLE_RADIUS * math.sin(angle))
    positions.update(RECOVERY_POSITIONS)
    return positions


def _arrow(start, end) -> tuple[float, float, float, float]:
    (x0, y0), (x1, y1) = start, end
    shorten = 0.22  # stop the arrow short of the boxes
    dx, dy = x1 - x0, y1 - y0
    return x0 + shorten * dx, y0 + shorten * dy, x1 - shorten * dx, y1 - shorten * dy


def cycle_base() -> go.Figure:
    text = lesson_content(STEM)["fear_avoidance"]
    fig = new_figure(text["title"], "Schematic (no units)", "Schematic (no units)", height=600)
    positions = step_positions()
    fig.add_trace(go.Scatter(mode="markers", name="Step not targeted", hoverinfo="skip",
                             marker=dict(size=96, symbol="square", color="#EEEEEE",
                                         line=dict(width=1.5, color="#555"))))
    fig.add_trace(go.Scatter(mode="markers", name="Step the chosen therapy targets", hoverinfo="skip",
                             marker=dict(size=104, symbol="square", color=OKABE_ITO["orange"],
                                         opacity=0.8, line=dict(width=5, color=OKABE_ITO["black"]))))
    order = list(model.FEAR_AVOIDANCE_STEPS + model.RECOVERY_ROUTE[1:])
    fig.add_trace(go.Scatter(
        mode="text", name="labels", showlegend=False, hoverinfo="skip",
        x=[positions[s][0] for s in order], y=[positions[s][1] for s in order],
        text=[text["steps"][s]["label"].replace(" and ", " and<br>").replace(", ", ",<br>")
              for s in order], textfont=dict(size=13, color="#000")))
    steps = model.FEAR_AVOIDANCE_STEPS
    fig.add_trace(arrows_trace([_arrow(positions[step], positions[steps[(index + 1) % len(steps)]])
                                for index, step in enumerate(steps)], name="the vicious cycle"))
    route = model.RECOVERY_ROUTE
    fig.add_trace(arrows_trace([_arrow(positions[start], positions[end])
                                for start, end in zip(route, route[1:], strict=False)],
                               color="#777", name="the recovery route"))
    fig.add_annotation(x=5.2, y=7.55, text="low fear", showarrow=False, font=dict(size=12, color="#444"))
    fig.add_annotation(x=CYCLE_CENTRE[0], y=CYCLE_CENTRE[1], text="high fear:<br>the vicious cycle",
                       showarrow=False, font=dict(size=12, color="#444"))
    fig.update_xaxes(visible=False, range=[0.0, 10.6])
    fig.update_yaxes(visible=False, range=[0.4, 8.2])
    fig.update_layout(legend=dict(orientation="h", y=-0.02, yanchor="top", x=0),
                      margin=dict(l=10, r=10, t=60, b=60))
    return fig


def cycle_update(therapy: str) -> FigureUpdate:
    item = model.target(therapy)
    positions = step_positions()
    order = model.FEAR_AVOIDANCE_STEPS + model.RECOVERY_ROUTE[1:]
    targeted = [s for s in order if s in item.steps]
    others = [s for s in order if s not in item.steps]
    label = lesson_content(STEM)["fear_avoidance"]["therapies"][therapy]["label"]
    return FigureUpdate(
        traces=[{"x": [positions[s][0] for s in others], "y": [positions[s][1] for s in others]},
                {"x": [positions[s][0] for s in targeted], "y": [positions[s][1] for s in targeted]},
                {}, {}, {}],
        layout={"title_text": f"The fear-avoidance cycle: where {label.lower()} aims "
                              f"(evidence: {item.evidence_level})"})
