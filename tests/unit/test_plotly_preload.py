"""plotly.js starts loading in the browser when a lesson imports its diagrams, without showing
anything and only where a widget front end may be listening."""

import subprocess
import sys

import pytest

import painlab
from painlab import manifest
from painlab.paths import ROOT
from painlab.widgets import plot_view


@pytest.fixture
def fresh(monkeypatch):
    monkeypatch.setattr(plot_view, "_preload", None)
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    return plot_view


def test_no_preload_outside_a_kernel(fresh):
    assert fresh.preload_plotly_js() is None
    assert fresh._preload is None


def test_no_preload_under_nbgrader(fresh, monkeypatch):
    monkeypatch.setattr(fresh, "_in_kernel", lambda: True)
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert fresh.preload_plotly_js() is None


def test_one_preload_per_kernel_with_nothing_to_show(fresh, monkeypatch):
    monkeypatch.setattr(fresh, "_in_kernel", lambda: True)
    first = fresh.preload_plotly_js()
    assert isinstance(first, fresh.PlotView)
    assert fresh.preload_plotly_js() is first
    assert first.plotly_url_path == fresh.PLOTLY_URL_PATH
    assert '"data"' not in first.figure_json  # an empty figure: the model is never displayed
    first.close()


def test_the_front_end_loads_plotly_when_the_model_is_created():
    script = (ROOT / "painlab" / "widgets" / "plot_view.js").read_text(encoding="utf-8")
    body = script.split("initialize({ model })", 1)[1].split("},", 1)[0]
    assert "loadPlotly(model)" in body


def _diagram_names() -> list[str]:
    return sorted(name for name, kind in manifest.display_kinds().items() if kind == "diagram")


def test_importing_a_diagram_preloads_and_other_names_do_not(monkeypatch):
    calls = []
    monkeypatch.setattr(plot_view, "preload_plotly_js", lambda: calls.append(1))
    painlab.self_check  # noqa: B018 (a self-check has no plot)
    painlab.show_claim  # noqa: B018
    assert calls == []
    getattr(painlab, _diagram_names()[0])
    assert calls == [1]


def test_names_without_a_plot_stay_light():
    """Importing the prose and claim helpers still loads neither plotly nor widgets."""
    code = ("import sys; from painlab import show_claim, show_claims, paths; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'plotly', 'anywidget'}))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, cwd=ROOT)
    assert result.stdout.strip() == "[]"
