"""One class wires every interactive diagram: controls -> model -> figure update + description.

Accessibility and robustness live here once, not in each diagram:
- every control has a visible label and is operable by keyboard (Tab, arrow keys, Enter), with
  radio-group and slider semantics for screen readers (painlab.widgets.keyboard);
- a text description of what the plot shows is kept next to it and updated with it, in a live
  region that screen readers announce;
- a diagram may have a panel of text beside its plot (under it in a narrow row), updated with it;
- without a widget front end (nbconvert HTML, nbgrader feedback) the output falls back to a static
  figure plus the description; under nbgrader no widget is created at all.
"""

from collections.abc import Callable
from html import escape

import ipywidgets as widgets
from IPython.display import display

from painlab.figures.base import (
    PANEL_PX,
    PLOT_BESIDE_PANEL_PX,
    FigureUpdate,
    apply_update,
    live_state,
    merge_update,
    static_html,
)
from painlab.runtime import under_nbgrader
from painlab.widgets.shared import make
from painlab.widgets.text import readable


class Diagram:
    """An interactive diagram.

    controls: name -> ipywidgets control; the names are the keyword arguments of ``update`` and
        ``describe``.
    base: builds the figure without data (traces styled, axes titled with units).
    update: (**values) -> FigureUpdate.
    describe: (**values) -> one paragraph of plain text saying what the figure shows now.
    panel: (**values) -> HTML shown beside the plot (built by the course from its own content,
        escaped where it quotes it; never from what a student typed), or None for no panel.
    """

    def __init__(self, *, title: str, controls: dict[str, widgets.Widget],
                 base: Callable, update: Callable[..., FigureUpdate],
                 describe: Callable[..., str], intro: str = "",
                 panel: Callable[..., str] | None = None):
        self.title = title
        self.intro = intro
        self.controls = controls
        self._base = base
        self._update = update
        self._describe = describe
        self._panel = panel
        self._state = None  # the live figure as plotly.js draws it, kept in the kernel
        self._plot = None
        self._description = None
        self._panel_view = None
        self._box = None

    # --- state ------------------------------------------------------------------------------
    def values(self) -> dict:
        return {name: control.value for name, control in self.controls.items()}

    def set(self, **values):
        """Set controls programmatically (tests, benchmarks); the figure follows."""
        for name, value in values.items():
            self.controls[name].value = value
        return self

    def description(self) -> str:
        return self._describe(**self.values())

    def _panel_html(self, values: dict) -> str:
        return readable(self._panel(**values))

    def static_figure(self):
        """The figure for the current control values, built afresh (validated by plotly)."""
        return apply_update(self._base(), self._update(**self.values()))

    def figure(self):
        """The figure as shown now: the live one once the widget exists."""
        import plotly.graph_objects as go

        return go.Figure(self._state) if self._state is not None else self.static_figure()

    # --- live widget ------------------------------------------------------------------------
    def refresh(self, *_):
        """Recompute and redraw; called on every control change."""
        values = self.values()
        if self._plot is not None:
            # Written into the live figure's JSON without plotly's validation, which cost most of
            # a key press (plotly validates the same updates in static_figure, and a test checks
            # that both agree); the browser gets the result.
            self._plot.show_figure(merge_update(self._state, self._update(**values)))
        if self._panel_view is not None:
            self._panel_view.value = self._panel_html(values)
        if self._description is not None:
            self._description.value = _description_html(self._describe(**values))

    def widget(self) -> widgets.VBox:
        if self._box is None:
            from painlab.widgets.keyboard import KeyboardSupport
            from painlab.widgets.plot_view import PlotView

            # built without plotly's validation (a test checks it equals the validated figure)
            self._state = live_state(self.static_figure)
            # min-width 0 beside a panel: the plot may shrink with the notebook (a flex item
            # would otherwise keep the width plotly last drew it at)
            self._plot = make(PlotView, self._state, layout=None if self._panel is None else
                              {"flex": f"1 1 {PLOT_BESIDE_PANEL_PX}px", "min_width": "0"})
            figure = self._plot
            if self._panel is not None:
                self._panel_view = make(widgets.HTML, self._panel_html(self.values()),
                                        layout={"flex": f"0 0 {PANEL_PX}px",
                                                "margin": "60px 0 0 8px"})
                figure = make(widgets.Box, [self._plot, self._panel_view],
                              layout={"flex_flow": "row wrap", "align_items": "flex-start"})
            self._description = make(widgets.HTML, _description_html(self.description()),
                                     layout={"max_width": "860px"})
            for control in self.controls.values():
                control.observe(self.refresh, names="value")
            header = make(widgets.HTML, f"<h4 style='margin:0'>{escape(self.title)}</h4>"
                          + (f"<p>{escape(self.intro)}</p>" if self.intro else ""))
            controls = make(widgets.VBox, list(self.controls.values()),
                            layout={"margin": "0 0 6px 0"})
            self._box = make(widgets.VBox, [header, controls, figure, self._description,
                                            make(KeyboardSupport)])
            self._box.add_class("painlab-diagram")
        return self._box

    def _repr_mimebundle_(self, include=None, exclude=None):
        if under_nbgrader():
            description = self.description()
            return {"text/html": self._static_html(description), "text/plain": description}
        bundle = dict(self.widget()._repr_mimebundle_(include=include, exclude=exclude) or {})
        # A front end without the widget manager shows the static figure and description instead.
        description = self.description()
        bundle["text/html"] = self._static_html(description)
        bundle["text/plain"] = f"{self.title}. {description}"
        return bundle

    def _static_html(self, description: str) -> str:
        # the live figure's JSON once the widget exists: built once, not again
        figure_html = static_html(self._state if self._state is not None else self.figure())
        if self._panel is not None:
            figure_html += self._panel_html(self.values())
        return (f"<div class='painlab-static'><h4>{escape(self.title)}</h4>{figure_html}"
                f"{_description_html(description)}<p><em>{STATIC_NOTE}</em></p></div>")

    def show(self):
        display(self)


# Shown under every static copy: in an HTML export, and in a reopened lesson until it is run.
STATIC_NOTE = ("A static copy of the diagram. To move its controls, open the notebook in JupyterLab "
               "and run it (Run → Run All Cells).")


def _description_html(text: str) -> str:
    return readable(f"<strong>What the diagram shows:</strong> {escape(text)}",
                    attributes="role='status' aria-live='polite' class='painlab-description'")


def slider(label: str, value: float, min: float, max: float, step: float, *, unit: str = "",
           readout_format: str = ".2f") -> widgets.FloatSlider:
    """A labelled, keyboard-operable slider; the unit goes into the label so it is read aloud."""
    full = f"{label} ({unit})" if unit else label
    # Shrinks with the notebook (a 1024-px window with the file browser open leaves about 620 px):
    # the label gives up width first, so the handle and its readout stay visible.
    return make(widgets.FloatSlider, value=value, min=min, max=max, step=step, description=full,
                readout_format=readout_format, continuous_update=True, tooltip=full,
                style={"description_width": "min(300px, 42%)"},
                layout={"width": "calc(100% - 4px)", "max_width": "680px"})


def choice(label: str, options, value=None) -> widgets.ToggleButtons:
    """Labelled toggle buttons that behave as a radio group (painlab.widgets.keyboard): one Tab
    stop, arrow keys (or Enter on a button) choose."""
    return make(widgets.ToggleButtons, options=options, value=value, description=label,
                style={"description_width": "min(260px, 30%)", "button_width": "auto"},
                layout={"width": "calc(100% - 4px)", "max_width": "860px"})
