"""Every lesson in a real JupyterLab: Run All, every display renders, keyboard use changes it."""

import re
import urllib.request

import pytest
from playwright.sync_api import expect

from painlab import paths
from painlab.devtools import browser
from painlab.devtools.notebooks import interactive_calls

from ..conftest import LESSONS

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_lesson_runs_and_responds_to_the_keyboard(lesson, page, lab_server, artifacts):
    calls = interactive_calls(lesson)
    expected = {css: sum(1 for _n, c in calls if c == css) for _n, css in calls}

    plotly_fetches = []
    page.on("request", lambda request: plotly_fetches.append(request.url)
            if f"/{paths.PLOTLY_URL_PATH}" in request.url else None)
    browser.open_notebook(page, lab_server, f"lessons/{lesson.name}")
    browser.run_all_cells(page)
    browser.wait_until_executed(page, timeout=180)

    # Every interactive display rendered, each diagram with its controls and its plot.
    for css, count in expected.items():
        expect(page.locator(f".{css}")).to_have_count(count, timeout=60_000)
    diagrams = page.locator(".painlab-diagram")
    for index in range(diagrams.count()):
        diagram = diagrams.nth(index)
        expect(diagram.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=60_000)
        expect(diagram.locator(browser.FIRST_CONTROL).first).to_be_attached()
        expect(diagram.locator(".painlab-description")).to_contain_text("What the diagram shows")
        missing = browser.missing_trace_data(diagram)
        assert not missing, f"diagram {index + 1} lost plot data in the browser: {missing}"
    expect(page.locator(browser.ERROR_OUTPUTS)).to_have_count(0)
    # plotly.js came from the course's server extension, once for the whole page.
    assert len(plotly_fetches) == (1 if diagrams.count() else 0), plotly_fetches
    browser.screenshot_notebook(page, artifacts / f"{lesson.stem}-after-run.png")

    # Each diagram: keyboard on its first control redraws the plot and rewrites the description.
    for index in range(diagrams.count()):
        diagram = diagrams.nth(index)
        diagram.scroll_into_view_if_needed()
        before = browser.plot_signature(diagram)
        description = diagram.locator(".painlab-description").inner_text()
        pressed = browser.press_first_control(page, diagram)
        try:
            browser.wait_for_plot_change(page, diagram, before)
        except Exception as error:  # noqa: BLE001 (re-raised with the diagram named)
            raise AssertionError(f"diagram {index + 1} did not redraw after {pressed}") from error
        expect(diagram.locator(".painlab-description"),
               f"diagram {index + 1}: the text description did not follow {pressed}",
               ).not_to_have_text(description, timeout=10_000)
        missing = browser.missing_trace_data(diagram)
        assert not missing, f"diagram {index + 1} lost plot data after {pressed}: {missing}"

    # A self-check answered with the keyboard gives feedback.
    checks = page.locator(".painlab-self-check")
    if checks.count():
        check = checks.first
        check.scroll_into_view_if_needed()
        answer = check.locator("input").first
        answer.focus()
        if answer.get_attribute("type") == "text":
            page.keyboard.type("1")
        else:
            page.keyboard.press("Space")
        check.locator("button").first.focus()
        page.keyboard.press("Enter")
        expect(check.locator("[role=status]")).to_contain_text(
            re.compile(r"Correct\.|Not quite\."), timeout=10_000)

    # The claim explorer follows the source menu operated with the keyboard.
    explorers = page.locator(".painlab-claim-explorer")
    if explorers.count():
        explorer = explorers.first
        explorer.scroll_into_view_if_needed()
        source = explorer.locator(".painlab-source")
        first_source, first_text = source.get_attribute("aria-label"), source.inner_text()
        explorer.locator("select").first.focus()
        page.keyboard.type("S")  # type-ahead: the next source, as a keyboard user would choose it
        expect(source).not_to_have_attribute("aria-label", first_source, timeout=10_000)
        expect(source).not_to_have_text(first_text)
        expect(source.locator("mark").first).to_be_visible()  # its claims are highlighted

    expect(page.locator(browser.ERROR_OUTPUTS)).to_have_count(0)
    log = browser.kernel_log(page)
    assert not log, f"the widgets' callbacks printed to JupyterLab's log console:\n{log}"
    browser.screenshot_notebook(page, artifacts / f"{lesson.stem}-after-interaction.png")


def test_a_failing_widget_callback_is_caught(page, lab_server):
    """The check above means something: an exception in a slider's callback (which JupyterLab
    shows in its log console, not in the cell) is found and reported."""
    browser.write_code_notebook(lab_server.root_dir / "broken-callback.ipynb",
                                "import ipywidgets as w\n"
                                "s = w.IntSlider()\n"
                                "def fail(change):\n"
                                "    raise ValueError('broken callback')\n"
                                "s.observe(fail, 'value')\n"
                                "s")
    browser.open_notebook(page, lab_server, "broken-callback.ipynb")
    browser.run_all_cells(page)
    browser.wait_until_executed(page)
    assert browser.kernel_log(page) == ""
    page.locator(".noUi-handle").first.focus()
    page.keyboard.press("ArrowRight")
    expect(page.locator(browser.LOG_CONSOLE_ITEM)).to_have_count(1, timeout=10_000)
    assert "broken callback" in browser.kernel_log(page)


def test_the_server_runs_the_course_extension(lab_server):
    """The environment's course config (painlab.setup_views) loads the low-latency kernel
    websocket into the server students use; without it half of all redraws wait ~40 ms longer."""
    assert "kernel websockets send without delay" in lab_server.log_tail(200_000), \
        "painlab.server is not loaded: run `python -m painlab.setup_views student`"
    with urllib.request.urlopen(f"{lab_server.base_url}/{paths.PLOTLY_URL_PATH}") as reply:
        assert f" v{paths.plotlyjs_version()}".encode() in reply.read(200)


def test_diagrams_draw_without_the_course_server_extension(page, lab_server):
    """On a Jupyter server without painlab.server (plain `jupyter lab`, another host), the plot
    widget asks the kernel for plotly.js instead, and the diagram still draws and responds."""
    refused = []

    def refuse(route):
        refused.append(route.request.url)
        route.fulfill(status=404)

    page.route(re.compile(re.escape(f"/{paths.PLOTLY_URL_PATH}")), refuse)
    browser.write_code_notebook(lab_server.root_dir / "no-extension.ipynb",
                                "from painlab import nnt_explorer\nnnt_explorer()")
    browser.open_notebook(page, lab_server, "no-extension.ipynb")
    browser.run_all_cells(page)
    browser.wait_until_executed(page)
    diagram = page.locator(".painlab-diagram").first
    expect(diagram.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=60_000)
    before = browser.plot_signature(diagram)
    browser.press_first_control(page, diagram)
    browser.wait_for_plot_change(page, diagram, before)
    assert refused, "the page never asked the server for plotly.js"
    # The refused request is the one console error this test expects.
    page.javascript_errors[:] = [e for e in page.javascript_errors if "404" not in e]
