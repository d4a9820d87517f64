"""A lesson saved after Run All and opened again: the file on disk is still the committed lesson
(git status clean, git pull without conflicts), and the reopened lesson shows the static copy of
each display instead of "Error displaying widget: model not found" (painlab.lesson_saving)."""

import re
import time

import pytest
from playwright.sync_api import expect

from painlab.devtools import browser
from painlab.devtools.notebooks import interactive_calls

from ..conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LESSON = ROOT / "lessons" / "00-start-here.ipynb"


def test_saved_lesson_stays_clean_and_reopens_with_static_copies(page, lab_server, artifacts):
    served = lab_server.root_dir / "lessons" / LESSON.name
    sidecar = served.parent / ".saved-outputs" / f"{LESSON.stem}.json"
    browser.open_notebook(page, lab_server, f"lessons/{LESSON.name}")
    browser.run_all_cells(page)
    browser.wait_until_executed(page, timeout=180)
    expect(page.locator(".painlab-diagram .js-plotly-plot").first).to_be_visible(timeout=60_000)
    page.locator(".jp-NotebookPanel .jp-Notebook").first.click()
    page.keyboard.press("Control+s")
    deadline = time.monotonic() + 30
    while not sidecar.is_file() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert sidecar.is_file(), "the outputs were not kept beside the lesson"
    assert served.read_bytes() == LESSON.read_bytes(), "saving changed the lesson file"

    lab_server.shutdown_kernels()  # as after a restart: the widget models are gone
    browser.open_notebook(page, lab_server, f"lessons/{LESSON.name}")
    diagrams = sum(1 for _name, css in interactive_calls(LESSON) if css == "painlab-diagram")
    checks = sum(1 for _name, css in interactive_calls(LESSON) if css == "painlab-self-check")
    expect(page.locator(".painlab-static")).to_have_count(diagrams, timeout=30_000)
    expect(page.locator(".painlab-check")).to_have_count(checks)
    expect(page.locator(".painlab-static .painlab-description").first).to_contain_text(
        "What the diagram shows")
    expect(page.get_by_text("Error displaying widget")).to_have_count(0)
    # drawn without the network: plotly.js from the course's server extension
    expect(page.locator(".painlab-static .js-plotly-plot .main-svg").first).to_be_visible(
        timeout=30_000)
    expect(page.locator(".painlab-static .painlab-offline-note")).to_have_count(0)
    browser.screenshot_notebook(page, artifacts / "reopened-00-start-here.png")

    # A citation reads author-year and leads to its entry in the notebook's reference list.
    citation = page.locator(".jp-MarkdownOutput a[href^='#ref-']").first
    citation.scroll_into_view_if_needed()
    key = citation.get_attribute("href").removeprefix("#")
    assert re.fullmatch(r"[A-Z][^()]+ \d{4}", citation.inner_text()), citation.inner_text()
    citation.click()
    target = page.locator(f"[data-jupyter-id='{key}'], [id='{key}']").first
    expect(target).to_be_in_viewport(timeout=10_000)
