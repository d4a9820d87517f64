"""Every lesson and every quiz source runs top to bottom on a fresh kernel."""

import nbclient
import nbformat
import pytest

from ..conftest import LESSON_TEMPLATE, LESSONS, QUIZ_SOURCES, QUIZ_TEMPLATE

pytestmark = pytest.mark.slow


def execute(path, monkeypatch=None):
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=180, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    return notebook


def problems(notebook) -> list[str]:
    found = []
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                found.append(f"cell {index}: {output.ename}: {output.evalue}")
            elif output.output_type == "stream" and output.name == "stderr":
                found.append(f"cell {index} wrote to stderr: {output.text[:300]}")
    return found


@pytest.mark.parametrize("lesson", LESSONS + [LESSON_TEMPLATE], ids=lambda p: p.stem)
def test_lesson_executes(lesson):
    notebook = execute(lesson)
    assert not problems(notebook)
    displayed = [o for c in notebook.cells for o in c.get("outputs", [])
                 if o.output_type in ("display_data", "execute_result")]
    assert displayed, "a lesson displays something"


@pytest.mark.parametrize("quiz", QUIZ_SOURCES + [QUIZ_TEMPLATE], ids=lambda p: p.stem)
def test_quiz_solution_executes_under_nbgrader(quiz, monkeypatch):
    # Autograde runs quizzes with NBGRADER_EXECUTION set; the kernel inherits it.
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    notebook = execute(quiz)
    assert not problems(notebook)
    assert not any("application/vnd.jupyter.widget-view+json" in o.get("data", {})
                   for c in notebook.cells for o in c.get("outputs", [])), "no widgets in quizzes"
