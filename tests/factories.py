"""Small quiz notebooks built cell by cell, for the tests of the grading machinery (the way
nbgrader's own tests build theirs). Infrastructure tests use these, never a real quiz's cells, so
they hold whatever the course's quizzes say."""

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from painlab.grading.quizinfo import BEGIN_HIDDEN, BEGIN_SOLUTION, END_HIDDEN, END_SOLUTION

FIXTURE_QUIZ = "99-fixture-quiz"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def nbgrader(grade_id: str, *, grade=False, solution=False, locked=False, points=None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def text_cell(grade_id: str, text: str):
    """Locked course text."""
    return new_markdown_cell(text, metadata=nbgrader(grade_id, locked=True))


def setup_cell(grade_id: str, code: str):
    """Locked course code (imports)."""
    return new_code_cell(code, metadata=nbgrader(grade_id, locked=True))


def answer_cell(grade_id: str, template: str, solution: str):
    """An autograded answer: the template students see, and the solution."""
    return new_code_cell(f"{template}\n{BEGIN_SOLUTION}\n{solution}\n{END_SOLUTION}",
                         metadata=nbgrader(grade_id, solution=True))


def test_cell(grade_id: str, visible: str, hidden: str, points: float):
    """A locked test: the visible form check, then the hidden scorer."""
    return new_code_cell(f"{visible}\n{BEGIN_HIDDEN}\n{hidden}\n{END_HIDDEN}",
                         metadata=nbgrader(grade_id, grade=True, locked=True, points=points))


def written_cell(grade_id: str, rubric: str, points: float):
    """A written answer graded by hand, with its rubric in the solution region."""
    return new_markdown_cell(f"{BEGIN_SOLUTION}\n{rubric}\n{END_SOLUTION}",
                             metadata=nbgrader(grade_id, grade=True, solution=True, points=points))


def fixture_quiz(numbers: int = 3):
    """intro, setup; q1: verdicts with an ANSWER_KEY (2 points); q2..q{numbers+1}: a number each
    (1 point); then a written answer (2 points, rubric) and a closing text."""
    cells = [text_cell("intro", "# Fixture quiz\n\nEducational material, not medical advice."),
             setup_cell("setup", "from painlab.quiz import check_number, check_verdicts"),
             text_cell("q1_text", "## Question 1: verdicts (2 points)"),
             answer_cell("q1_answer", 'verdicts = {"S002-06": ...}',
                         'verdicts = {"S002-06": "false"}'),
             test_cell("q1_test", 'check_verdicts(verdicts, ["S002-06"])',
                       "from painlab.quiz import score_verdicts\n\n"
                       'ANSWER_KEY = {"S002-06": {"accept": {"false": 1.0, "misleading": 0.5},\n'
                       '                          "why": "a drug label says otherwise"}}\n'
                       "score_verdicts(verdicts, ANSWER_KEY, points=2)", points=2)]
    for n in range(2, numbers + 2):
        cells += [text_cell(f"q{n}_text", f"## Question {n}: a number (1 point)"),
                  answer_cell(f"q{n}_answer", f"x{n} = ...", f"x{n} = {n}"),
                  test_cell(f"q{n}_test", f'check_number(x{n}, what="x{n}")',
                            f"from painlab.quiz import score_number\n\n"
                            f"score_number(x{n}, {n}, 0.01, points=1)", points=1)]
    written = numbers + 2
    cells += [text_cell(f"q{written}_text", f"## Question {written}: a written appraisal "
                                            "(2 points, marked by a person)"),
              written_cell(f"q{written}_answer", "**Rubric:** 1 point for a verdict, 1 for "
                                                 "evidence with a reference.", points=2),
              text_cell("finish", "## When you have finished\n\nSubmit the notebook.")]
    return new_notebook(cells=cells, metadata={"kernelspec": KERNELSPEC,
                                               "language_info": {"name": "python"}})


def write_fixture_quiz(source_dir, name: str = FIXTURE_QUIZ, numbers: int = 3):
    """The fixture quiz as ``source_dir/<name>/<name>.ipynb``; returns its path."""
    path = source_dir / name / f"{name}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(fixture_quiz(numbers), path)
    return path
