"""At a 1024-px window with JupyterLab's file browser open (its default), nothing of a diagram is
cut off: slider readouts, toggle buttons and plot titles stay inside the cell, and the
dose-response legend covers no marker (linear axis, OIH at its maximum). Lesson 01's timeline
keeps its checklist beside the plot in a wide notebook and under it in that window."""

import pytest
from playwright.sync_api import expect

from painlab.devtools import browser

from ..conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LESSON = ROOT / "lessons" / "02-tolerance-vs-oih.ipynb"
NARROW = {"width": 1024, "height": 768}

# Parts of a diagram that overflow the output area (to its right) or the plot (title lines).
CUT_OFF = """(diagram) => {
  const area = diagram.closest('.jp-OutputArea-output').getBoundingClientRect();
  const out = [];
  for (const e of diagram.querySelectorAll('.widget-readout, .widget-toggle-button, .noUi-handle')) {
    const box = e.getBoundingClientRect();
    if (box.width && box.right > area.right + 1) {
      out.push(`${e.className}: right ${box.right} > ${area.right}`);
    }
  }
  const svg = diagram.querySelector('.js-plotly-plot .main-svg');
  const title = diagram.querySelector('.js-plotly-plot .gtitle');
  if (svg && title) {
    const plot = svg.getBoundingClientRect(), t = title.getBoundingClientRect();
    if (t.right > plot.right + 1) out.push(`title: right ${t.right} > plot ${plot.right}`);
  }
  return out;
}"""
# Markers of the plot that the legend box overlaps.
UNDER_LEGEND = """(diagram) => {
  const legend = diagram.querySelector('.js-plotly-plot .legend .bg');
  if (!legend) return ['no legend'];
  const l = legend.getBoundingClientRect();
  return [...diagram.querySelectorAll('.js-plotly-plot .scatterlayer .point')]
    .map(p => p.getBoundingClientRect())
    .filter(p => p.width && p.left < l.right && p.right > l.left
                 && p.top < l.bottom && p.bottom > l.top)
    .map(p => `marker at ${p.left},${p.top}`);
}"""


def test_diagrams_fit_a_1024_px_window_with_the_file_browser_open(chromium, lab_server,
                                                                   artifacts):
    context = chromium.new_context(viewport=NARROW)
    page = context.new_page()
    try:
        browser.open_notebook(page, lab_server, f"lessons/{LESSON.name}")
        if not page.locator(".jp-FileBrowser").first.is_visible():
            page.locator(".jp-SideBar [data-id='filebrowser']").first.click()
        expect(page.locator(".jp-FileBrowser").first).to_be_visible()
        browser.run_all_cells(page)
        browser.wait_until_executed(page, timeout=180)
        diagrams = page.locator(".painlab-diagram")
        expect(diagrams.first.locator(".js-plotly-plot .main-svg").first).to_be_visible(
            timeout=60_000)
        for index in range(diagrams.count()):
            diagram = diagrams.nth(index)
            diagram.scroll_into_view_if_needed()
            expect(diagram.locator(".js-plotly-plot .main-svg").first).to_be_visible(
                timeout=60_000)
            page.wait_for_timeout(300)  # plotly's responsive resize
            cut = diagram.evaluate(CUT_OFF)
            assert not cut, f"diagram {index + 1} is cut off at 1024 px: {cut}"

        # The dose-response explorer with a linear axis and the strongest OIH.
        dose = diagrams.first
        dose.scroll_into_view_if_needed()
        dose.get_by_role("radio", name="linear").click()
        handles = dose.locator(".noUi-handle")
        oih = next(i for i in range(handles.count())
                   if "OIH" in (handles.nth(i).get_attribute("aria-label") or ""))
        handles.nth(oih).focus()
        before = browser.plot_signature(dose)
        page.keyboard.press("End")
        browser.wait_for_plot_change(page, dose, before)
        page.wait_for_timeout(300)
        assert not dose.evaluate(UNDER_LEGEND), "the legend hides a marker"
        dose.screenshot(path=str(artifacts / "layout-1024-dose-response.png"))
        browser.screenshot_notebook(page, artifacts / "layout-1024-02-tolerance-vs-oih.png")
    finally:
        lab_server.shutdown_kernels()
        context.close()


# The timeline of lesson 01 and its checklist box (painlab.widgets.base.Diagram, ``panel``).
TIMELINE_BOXES = """(diagram) => {
  const box = (e) => { const b = e.getBoundingClientRect();
                       return {left: b.left, right: b.right, top: b.top, bottom: b.bottom}; };
  return {plot: box(diagram.querySelector('.js-plotly-plot')),
          panel: box(diagram.querySelector('.painlab-checklist')),
          area: box(diagram.closest('.jp-OutputArea-output'))};
}"""


def test_the_timeline_checklist_is_beside_the_plot_or_under_it(chromium, lab_server):
    """A wide notebook has the checklist beside the timeline; a 1024-px window with the file
    browser open has it under the plot. Either way the plot keeps the width its labels are laid
    out for, and nothing leaves the output area."""
    from painlab.figures.base import PLOT_BESIDE_PANEL_PX

    context = chromium.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    try:
        browser.open_notebook(page, lab_server, "lessons/01-refractory-pain.ipynb")
        if not page.locator(".jp-FileBrowser").first.is_visible():
            page.locator(".jp-SideBar [data-id='filebrowser']").first.click()
        browser.run_all_cells(page)
        browser.wait_until_executed(page, timeout=180)
        timeline = page.locator(".painlab-diagram").filter(
            has=page.locator(".painlab-checklist")).first
        for viewport, beside in ((None, True), (NARROW, False)):
            if viewport:
                page.set_viewport_size(viewport)
            timeline.scroll_into_view_if_needed()
            expect(timeline.locator(".js-plotly-plot .main-svg").first).to_be_visible(
                timeout=60_000)
            page.wait_for_timeout(500)  # plotly's responsive resize
            boxes = timeline.evaluate(TIMELINE_BOXES)
            plot, panel, area = boxes["plot"], boxes["panel"], boxes["area"]
            where = f"window {viewport or 'wide'}: {boxes}"
            assert plot["right"] - plot["left"] >= PLOT_BESIDE_PANEL_PX - 1, where
            if beside:
                assert panel["left"] >= plot["right"] and panel["top"] < plot["bottom"], where
            else:
                assert panel["top"] >= plot["bottom"], where
            assert max(plot["right"], panel["right"]) <= area["right"] + 1, where
            assert not timeline.evaluate(CUT_OFF), where
    finally:
        lab_server.shutdown_kernels()
        context.close()
