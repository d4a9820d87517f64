"""Icon array of 100 people: what an absolute difference and an NNT look like."""

import numpy as np
import plotly.graph_objects as go

from painlab.content import lesson_content
from painlab.figures.base import FigureUpdate, new_figure
from painlab.models.evidence import TrialComparison, icon_array_counts
from painlab.style import OKABE_ITO

WORDS = lesson_content("00-start-here")["nnt_explorer"]
# (key, legend label, colour, symbol): symbol and colour both carry the category. The labels are
# prose, in assets/content/00-start-here.yaml.
ICON_GROUPS = [
    ("anyway", WORDS["groups"]["anyway"], OKABE_ITO["sky_blue"], "circle"),
    ("helped", WORDS["groups"]["helped"], OKABE_ITO["vermillion"], "star"),
    ("not_helped", WORDS["groups"]["not_helped"], "#BBBBBB", "circle-open"),
]
GRID = 10


def icon_array_base() -> go.Figure:
    fig = new_figure(WORDS["figure_title"], WORDS["x_axis"], WORDS["y_axis"], height=470)
    for _key, label, colour, symbol in ICON_GROUPS:
        fig.add_trace(go.Scatter(mode="markers", name=label, hoverinfo="name",
                                 marker=dict(size=22, color=colour, symbol=symbol,
                                             line=dict(width=1.5, color="#333"))))
    fig.update_xaxes(visible=False, range=[-0.7, GRID - 0.3])
    fig.update_yaxes(visible=False, range=[-0.7, GRID - 0.3], scaleanchor="x")
    fig.update_layout(legend=dict(orientation="h", y=-0.02, yanchor="top"),
                      margin=dict(l=10, r=10, t=60, b=90))
    return fig


def icon_array_update(treatment_rate: float, control_rate: float) -> FigureUpdate:
    counts = icon_array_counts(treatment_rate, control_rate, GRID * GRID)
    positions = np.arange(GRID * GRID)
    cols, rows = positions % GRID, GRID - 1 - positions // GRID  # fill from the top left
    traces, start = [], 0
    for key, *_ in ICON_GROUPS:
        stop = start + counts[key]
        traces.append({"x": cols[start:stop], "y": rows[start:stop]})
        start = stop
    comparison = TrialComparison(treatment_rate, control_rate)
    nnt = comparison.number_needed
    if nnt == float("inf"):
        nnt_text = "no difference"
    elif comparison.absolute_difference < 0:  # worse than the comparator: not a number to treat
        nnt_text = f"1 fewer improved per {nnt:.0f} treated"
    else:
        nnt_text = f"NNT {nnt:.0f}"
    title = (f"{WORDS['figure_title']}: {counts['helped']} extra improved on it "
             f"({treatment_rate:.0%} vs {control_rate:.0%}; {nnt_text})")
    return FigureUpdate(traces=traces, layout={"title_text": title})
