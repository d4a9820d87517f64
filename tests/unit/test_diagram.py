"""The shared Diagram wiring: live updates, static fallback, nbgrader behaviour, style."""

import base64
import json
import re

import numpy as np
import pytest

import painlab
from painlab import manifest, paths
from painlab.figures.base import FigureUpdate, apply_update, new_figure, static_html
from painlab.style import COLOURWAY, OKABE_ITO, TEMPLATE_NAME
from painlab.widgets.evidence import nnt_explorer
from painlab.widgets.plot_view import to_figure_json

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def test_palette_is_okabe_ito():
    assert set(COLOURWAY) == set(OKABE_ITO.values())
    assert len(COLOURWAY) == 8


def test_new_figure_requires_titles():
    fig = new_figure("Pain", "Dose (mg/day)", "Pain (0-10 NRS)")
    assert fig.layout.xaxis.title.text == "Dose (mg/day)"
    assert fig.layout.template.layout.colorway == tuple(COLOURWAY)
    with pytest.raises(ValueError, match="axis titles"):
        new_figure("Pain", "", "Pain (0-10 NRS)")
    assert TEMPLATE_NAME == "painlab"


def test_tick_labels_are_not_measured_again_after_each_one():
    # plotly's default for numeric axes ("hide past div") measures every tick label again after
    # each one is placed, on every redraw; the course style turns that off for every axis.
    template = new_figure("Pain", "Dose (mg/day)", "Pain (0-10 NRS)").layout.template.layout
    assert template.xaxis.ticklabeloverflow == "allow"
    assert template.yaxis.ticklabeloverflow == "allow"


def test_apply_update_checks_trace_count():
    fig = new_figure("t", "x (unit)", "y (unit)")
    with pytest.raises(ValueError, match="1 traces, figure has 0"):
        apply_update(fig, FigureUpdate(traces=[{"x": [1]}]))


def test_bundle_has_widget_and_static_fallback():
    bundle = nnt_explorer()._repr_mimebundle_()
    assert WIDGET_MIME in bundle
    assert "What the diagram shows" in bundle["text/html"]
    assert "plotly" in bundle["text/html"]
    assert "percentage points" in bundle["text/plain"]


def test_static_html_loads_the_same_plotly_js_as_plotly_itself():
    """The CDN copy has plotly's own URL and integrity hash; in JupyterLab the course's server
    extension serves it first, so a reopened lesson draws its static figures offline."""
    fig = new_figure("t", "x (unit)", "y (unit)")
    plotly_own = fig.to_html(full_html=False, include_plotlyjs="cdn")
    src = re.search(r'src="([^"]+)"', plotly_own).group(1)
    integrity = re.search(r'integrity="([^"]+)"', plotly_own).group(1)
    ours = static_html(fig)
    assert f'"{src}"' in ours and f'"{integrity}"' in ours
    assert f'"{paths.PLOTLY_URL_PATH}"' in ours and "jupyter-config-data" in ours
    assert ours.count("<script") == 1 and "painlab-offline-note" in ours
    assert "</" not in ours.split("figure = ", 1)[1].split(";", 1)[0]  # no early </script>


def test_no_widget_under_nbgrader(under_nbgrader):
    diagram = nnt_explorer()
    bundle = diagram._repr_mimebundle_()
    assert WIDGET_MIME not in bundle
    assert diagram._box is None  # no widget was created
    assert "NNT 25" in bundle["text/html"]


def sent_array(value) -> list:
    """An array as the browser receives it: plotly sends numpy arrays as base64 typed arrays."""
    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).tolist()
    return value


def test_live_update_follows_controls():
    diagram = nnt_explorer()
    diagram.widget()
    before = sent_array(json.loads(diagram._plot.figure_json)["data"][1]["x"])
    diagram.controls["treatment_percent"].value = 60
    after = sent_array(json.loads(diagram._plot.figure_json)["data"][1]["x"])
    assert len(after) == 33 != len(before)


def _another_value(control):
    """A value of ``control`` other than its current one (the next option, or the other end of a
    slider, or the other state of a checkbox)."""
    options = getattr(control, "options", None)
    if options:
        values = [option[1] if isinstance(option, tuple) else option for option in options]
        return values[(values.index(control.value) + 1) % len(values)]
    if isinstance(control.value, bool):
        return not control.value
    return control.min if control.value != control.min else control.max


REGISTERED_DIAGRAMS = sorted(name for name, kind in manifest.display_kinds().items()
                             if kind == "diagram")


@pytest.mark.parametrize("name", REGISTERED_DIAGRAMS)
def test_every_registered_diagram_updates_live_and_falls_back(name):
    diagram = getattr(painlab, name)()
    diagram.widget()
    first_figure, first_description = diagram._plot.figure_json, diagram.description()
    for control_name, control in diagram.controls.items():
        diagram.set(**{control_name: _another_value(control)})
        # the live figure is always the one the static fallback would draw
        assert json.loads(diagram._plot.figure_json) == json.loads(
            to_figure_json(diagram.static_figure())), (name, control_name)
    assert diagram._plot.figure_json != first_figure, name
    assert diagram.description() != first_description, name
    bundle = diagram._repr_mimebundle_()
    assert WIDGET_MIME in bundle and "What the diagram shows" in bundle["text/html"]


@pytest.mark.parametrize("name", REGISTERED_DIAGRAMS)
def test_no_registered_diagram_makes_a_widget_under_nbgrader(name, under_nbgrader):
    diagram = getattr(painlab, name)()
    bundle = diagram._repr_mimebundle_()
    assert WIDGET_MIME not in bundle and diagram._box is None
    assert "What the diagram shows" in bundle["text/html"]


def test_key_path_reads_keys_as_plotly_does():
    from painlab.figures.base import key_path

    assert key_path("title_text") == ("title", "text")
    assert key_path("xaxis_title_font_size") == ("xaxis", "title", "font", "size")
    assert key_path("annotations[0].text") == ("annotations", 0, "text")
    assert key_path("error_x") == ("error_x",)
    assert key_path("error_x_arrayminus") == ("error_x", "arrayminus")
    assert key_path("paper_bgcolor") == ("paper_bgcolor",)


def test_merge_update_writes_what_plotly_writes():
    """The live figure's JSON after an update equals plotly's validated figure after it: magic
    underscores, item paths, nested and list merges, None, numpy arrays, tuples."""
    import plotly.graph_objects as go

    from painlab.figures.base import figure_state, merge_update

    def base():
        fig = new_figure("t", "x (unit)", "y (unit)")
        fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], name="a", error_x=dict(array=[1, 1])))
        fig.add_trace(go.Bar(x=[0], y=[1], marker=dict(color="#000", line=dict(width=2))))
        fig.add_annotation(x=0, y=0, text="first")
        fig.add_annotation(x=1, y=1, text="second")
        return fig

    updates = [
        FigureUpdate(traces=[{"x": np.arange(3.0), "y": (1, 2, 3), "error_x": {"arrayminus": [0.5]},
                              "name": None},
                             {"marker_color": "#E69F00", "marker": {"line": {"color": "#fff"}}}],
                     layout={"title_text": "a title long enough to be wrapped by the course's "
                                           "title wrapping rule, twice over",
                             "annotations[1].text": "changed", "xaxis": {"range": [0, 2]}}),
        FigureUpdate(traces=[{"x": [5, 6]}, {}],
                     layout={"annotations": [{"text": "one"}, {}],
                             "yaxis_title_text": "y again (unit)"}),
        FigureUpdate(traces=[{}, {"marker": None}],
                     layout={"annotations": [{"text": "uno"}, {}, {"text": "three", "x": 2}]}),
    ]
    state = figure_state(base())
    validated = base()
    for update in updates:
        merge_update(state, update)
        apply_update(validated, update)
        assert json.loads(to_figure_json(state)) == json.loads(to_figure_json(validated))
    with pytest.raises(ValueError, match="1 traces, figure has 2"):
        merge_update(state, FigureUpdate(traces=[{}]))


def _both_values(control):
    if isinstance(control.value, bool):
        return False, True
    from painlab.devtools.bench import two_values

    return two_values(control)


@pytest.mark.parametrize("name", REGISTERED_DIAGRAMS)
def test_live_figures_built_unvalidated_equal_the_validated_ones(name):
    """A live diagram builds its figure without plotly's validation; at every control's two ends
    it is the JSON the validated figure sends, so a wrong property name still fails here."""
    from painlab.figures.base import live_state

    diagram = getattr(painlab, name)()
    settings = [{}] + [{control_name: value} for control_name, control in diagram.controls.items()
                       for value in _both_values(control)]
    for values in settings:
        diagram.set(**values)
        assert json.loads(to_figure_json(live_state(diagram.static_figure))) == json.loads(
            to_figure_json(diagram.static_figure())), (name, values)


def test_validation_is_back_after_an_unvalidated_build():
    import plotly.graph_objects as go

    from painlab.figures.base import live_state, unvalidated

    with unvalidated():
        go.Figure(layout={"xaxis": {"nonsense": 1}})  # not checked here
    state = live_state(lambda: new_figure("t", "x (unit)", "y (unit)"))
    assert state["layout"]["template"] == new_figure("t", "x (unit)", "y (unit)").to_plotly_json()[
        "layout"]["template"]
    with pytest.raises(ValueError, match="nonsense"):
        go.Figure(layout={"xaxis": {"nonsense": 1}})


def test_course_template_is_what_plotly_makes_of_it_validated():
    import plotly.graph_objects as go

    from painlab.style import TEMPLATE

    assert go.layout.Template(TEMPLATE).to_plotly_json() == TEMPLATE
