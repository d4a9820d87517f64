"""The controls behave as the WAI-ARIA radio group and slider patterns describe, in JupyterLab:
a row of choice buttons and a self-check's options are each one Tab stop, arrow keys choose
within them (and do not move the notebook to the next cell), and every slider handle has a name."""

import re

import pytest
from playwright.sync_api import expect

from painlab.devtools import browser

from ..conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LESSON = ROOT / "lessons" / "02-tolerance-vs-oih.ipynb"
ACTIVE_CELL = """() => [...document.querySelectorAll('.jp-Notebook .jp-Cell')]
  .findIndex(cell => cell.classList.contains('jp-mod-active'))"""
FOCUSED = "() => document.activeElement && document.activeElement.outerHTML.slice(0, 200)"


def accessible_name(locator) -> str:
    return locator.evaluate("""(e) => e.getAttribute('aria-label') ||
      (e.getAttribute('aria-labelledby') || '').split(' ')
        .map(id => (document.getElementById(id) || {}).textContent || '').join(' ').trim()""")


def test_choices_and_sliders_follow_the_aria_patterns(page, lab_server, artifacts):
    browser.open_notebook(page, lab_server, f"lessons/{LESSON.name}")
    browser.run_all_cells(page)
    browser.wait_until_executed(page, timeout=180)
    expect(page.locator(".painlab-diagram [role=radiogroup]").first).to_be_attached(
        timeout=60_000)

    # Toggle buttons: a named radio group with one Tab stop; arrows choose; the cell stays.
    group = page.locator(".painlab-diagram [role=radiogroup]").first
    group.scroll_into_view_if_needed()
    assert accessible_name(group), "the group is named by its label"
    options = group.locator("[role=radio]")
    assert options.count() >= 2
    expect(group.locator("[role=radio][tabindex='0']")).to_have_count(1)
    checked = group.locator("[role=radio][aria-checked=true]")
    expect(checked).to_have_count(1)
    start = [options.nth(i).get_attribute("aria-checked") for i in range(options.count())].index(
        "true")
    options.nth(start).focus()
    cell = page.evaluate(ACTIVE_CELL)
    page.keyboard.press("ArrowRight")
    following = (start + 1) % options.count()
    expect(options.nth(following)).to_have_attribute("aria-checked", "true", timeout=10_000)
    expect(options.nth(following)).to_be_focused()
    expect(options.nth(following)).to_have_class(re.compile("mod-active"))
    assert page.evaluate(ACTIVE_CELL) == cell, "an arrow key moved the notebook to another cell"
    page.keyboard.press("ArrowLeft")
    expect(options.nth(start)).to_have_attribute("aria-checked", "true", timeout=10_000)
    expect(group.locator("[role=radio][tabindex='0']")).to_have_count(1)

    # Self-check options: one named group, one Tab stop, arrows choose, the cell stays.
    check = page.locator(".painlab-self-check").filter(
        has=page.locator("input[type=radio]")).first
    check.scroll_into_view_if_needed()
    radios = check.locator("input[type=radio]")
    radio_group = check.locator("[role=radiogroup]")
    expect(radio_group).to_have_count(1)
    assert "Self-check" in accessible_name(radio_group)
    names = {radios.nth(i).get_attribute("name") for i in range(radios.count())}
    assert len(names) == 1 and None not in names, names
    radios.first.focus()
    page.keyboard.press("Space")
    expect(radios.first).to_be_checked()
    cell = page.evaluate(ACTIVE_CELL)
    page.keyboard.press("ArrowDown")
    expect(radios.nth(1)).to_be_checked(timeout=10_000)
    assert page.evaluate(ACTIVE_CELL) == cell, "an arrow key moved the notebook to another cell"
    page.keyboard.press("Tab")  # out of the group: the Check button, not the next option
    expect(check.locator("button").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(check.locator("[role=status]")).to_contain_text(re.compile(r"Correct\.|Not quite\."),
                                                           timeout=10_000)

    # Slider handles are named by their label (with the unit), and keys stay in the slider.
    handles = page.locator(".painlab-diagram .noUi-handle")
    assert handles.count() >= 1
    for index in range(handles.count()):
        name = handles.nth(index).get_attribute("aria-label") or ""
        assert "(" in name, f"slider {index + 1} has no accessible name with its unit: {name!r}"
    handle = handles.first
    handle.scroll_into_view_if_needed()
    handle.focus()
    cell = page.evaluate(ACTIVE_CELL)
    page.keyboard.press("End")
    expect(handle).to_have_attribute("aria-valuenow", handle.get_attribute("aria-valuemax"),
                                     timeout=10_000)
    page.keyboard.press("ArrowLeft")
    assert page.evaluate(ACTIVE_CELL) == cell
    # A screen reader reads the value as the readout shows it, not as a raw float.
    for index in range(handles.count()):
        readout = handles.nth(index).locator(
            "xpath=ancestor::*[contains(@class, 'widget-slider')][1]//*[contains(@class, 'widget-readout')]")
        expect(handles.nth(index)).to_have_attribute("aria-valuetext",
                                                     readout.inner_text().strip(), timeout=10_000)
    expect(page.locator(browser.ERROR_OUTPUTS)).to_have_count(0)
    browser.screenshot_notebook(page, artifacts / "keyboard-02-tolerance-vs-oih.png")
