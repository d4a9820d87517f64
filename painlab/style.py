"""One visual style for every figure: Okabe-Ito colours, readable fonts, and line dashes or marker
symbols that carry the same meaning as the colours (never colour alone)."""

import copy

import plotly.graph_objects as go
import plotly.io as pio

# Okabe M, Ito K. Color Universal Design (2008): distinguishable with all common colour-vision
# deficiencies.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
# Order used for successive traces; yellow is last because it is faint on white.
COLOURWAY = [OKABE_ITO[k] for k in
             ("blue", "vermillion", "bluish_green", "orange", "reddish_purple", "sky_blue",
              "black", "yellow")]

TEMPLATE_NAME = "painlab"

# The template as plain JSON: what plotly writes into a figure's layout.template, and what a live
# diagram's figure (built without plotly's validation, painlab.figures.base.live_state) carries.
TEMPLATE = dict(
    layout=dict(
        colorway=COLOURWAY,
        font=dict(family="Arial, Helvetica, sans-serif", size=15, color="#222222"),
        title=dict(font=dict(size=16), x=0.0, xanchor="left"),
        paper_bgcolor="white",
        plot_bgcolor="white",
        # ticklabeloverflow "allow": plotly's default for numeric axes ("hide past div") measures
        # every tick label again after each label is placed, a cost that grows with the square of
        # the number of labels on every redraw (about a quarter of a log-axis diagram's redraw in
        # the browser). The course's margins keep tick labels inside the plot, so nothing changes.
        xaxis=dict(showline=True, linecolor="#444", gridcolor="#e5e5e5", ticks="outside",
                   zeroline=False, title=dict(standoff=8), ticklabeloverflow="allow"),
        yaxis=dict(showline=True, linecolor="#444", gridcolor="#e5e5e5", ticks="outside",
                   zeroline=False, title=dict(standoff=8), ticklabeloverflow="allow"),
        legend=dict(bgcolor="rgba(255,255,255,0.85)", bordercolor="#999", borderwidth=1),
        hoverlabel=dict(font=dict(size=14)),
        margin=dict(l=70, r=20, t=70, b=60),
    )
)

# Registered for the figures plotly validates. Validating the template here cost most of this
# module's import (plotly imports and checks every layout property it names); plotly registers its
# own templates unvalidated in the same way. A test checks that the validated template is the same.
try:
    pio.templates._templates[TEMPLATE_NAME] = go.layout.Template(copy.deepcopy(TEMPLATE),
                                                                 _validate=False)
except AttributeError:  # a plotly without that registry: register it validated
    pio.templates[TEMPLATE_NAME] = go.layout.Template(copy.deepcopy(TEMPLATE))
