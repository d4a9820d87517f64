"""A released quiz in JupyterLab: a student types an answer and runs the visible test."""

import re
import shutil

import nbformat
import pytest
from playwright.sync_api import expect

from painlab.devtools import browser
from painlab.grading.course import make_course_copy, run_nbgrader

pytestmark = [pytest.mark.browser, pytest.mark.slow]
QUIZ = "00-appraisal-basics"


@pytest.fixture(scope="module")
def released_quiz(lab_server, tmp_path_factory) -> str:
    """The student version of the quiz, placed in the server's folder; returns its path there."""
    course = make_course_copy(tmp_path_factory.mktemp("course"), [QUIZ])
    run_nbgrader(course, "generate_assignment", QUIZ, "--force")
    target = lab_server.root_dir / "quizzes" / f"{QUIZ}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(course / "release" / QUIZ / f"{QUIZ}.ipynb", target)
    return f"quizzes/{QUIZ}.ipynb"


def cell_index(notebook_path, grade_id: str) -> int:
    cells = nbformat.read(notebook_path, as_version=4).cells
    return next(i for i, c in enumerate(cells)
                if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def run_cell(page, cell) -> None:
    """Select a cell, leave edit mode and run it with Ctrl+Enter, as a student would."""
    cell.locator(".jp-InputArea-editor").first.click()
    expect(cell).to_have_class(re.compile(r"\bjp-mod-selected\b"))
    page.keyboard.press("Escape")
    expect(page.locator(".jp-Notebook.jp-mod-commandMode")).to_have_count(1)
    page.keyboard.press("Control+Enter")
    expect(cell.locator(".jp-InputPrompt")).not_to_have_text("[ ]:", timeout=10_000)


def type_into(page, cell, text: str) -> None:
    cell.locator(".cm-content").first.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    page.keyboard.press("Escape")


def test_student_answers_and_runs_the_visible_test(page, lab_server, released_quiz):
    local = lab_server.root_dir / released_quiz
    browser.open_notebook(page, lab_server, released_quiz)
    cells = page.locator(".jp-Notebook .jp-Cell")
    setup = cells.nth(cell_index(local, "setup"))
    answer = cells.nth(cell_index(local, "q4_answer"))
    check = cells.nth(cell_index(local, "q4_test"))

    run_cell(page, setup)
    expect(setup.locator(".jp-InputPrompt")).to_contain_text("[1]", timeout=30_000)

    # A malformed answer: the visible test fails and names the problem.
    type_into(page, answer, 'nnh = "two"')
    run_cell(page, answer)
    run_cell(page, check)
    expect(check.locator(browser.ERROR_OUTPUTS)).to_contain_text(
        "The nnh is written as text in quotes", timeout=30_000)
    expect(check.locator(browser.ERROR_OUTPUTS)).not_to_contain_text("HIDDEN")

    # A well-formed answer: the visible test passes (no error output).
    type_into(page, answer, "nnh = 2")
    run_cell(page, answer)
    run_cell(page, check)
    expect(check.locator(".jp-InputPrompt")).to_contain_text("[5]", timeout=30_000)
    expect(check.locator(browser.ERROR_OUTPUTS)).to_have_count(0)
