"""nbgrader's real CLI on every quiz: generate, release, autograde the solution and a blank copy."""

import re

import nbformat
import pytest

from painlab.grading.course import (
    autograded_cells,
    cell_scores,
    make_course_copy,
    quiz_names,
    run_nbgrader,
    submit_as,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=quiz_names())
def graded_course(request, tmp_path_factory):
    """A course copy where one quiz was generated and two submissions were autograded."""
    quiz = request.param
    course = make_course_copy(tmp_path_factory.mktemp(quiz), [quiz])
    run_nbgrader(course, "generate_assignment", quiz, "--force")
    source = course / "source" / quiz / f"{quiz}.ipynb"
    release = course / "release" / quiz / f"{quiz}.ipynb"
    submit_as(course, "solution-student", quiz, source)
    submit_as(course, "blank-student", quiz, release)
    result = run_nbgrader(course, "autograde", quiz, "--create")
    return {"quiz": quiz, "course": course, "source": source, "release": release,
            "autograde_output": result.output}


def test_enough_autograded_items(graded_course):
    cells = autograded_cells(graded_course["source"])
    assert len(cells) >= 4, "a quiz has several autograded items"
    notebook = nbformat.read(graded_course["source"], as_version=4)
    written = [c for c in notebook.cells if c.cell_type == "markdown"
               and c.metadata.get("nbgrader", {}).get("solution")
               and c.metadata["nbgrader"].get("grade")]
    assert written, "a quiz has a manually graded written appraisal"
    for cell in written:
        assert "rubric" in cell.source.lower(), "written answers carry their rubric"


def test_solution_scores_full_marks(graded_course):
    scores = cell_scores(graded_course["course"], graded_course["quiz"], "solution-student")
    for grade_id, points in autograded_cells(graded_course["source"]).items():
        assert scores[grade_id] == (points, points), grade_id


def test_blank_release_scores_zero_without_failing(graded_course):
    scores = cell_scores(graded_course["course"], graded_course["quiz"], "blank-student")
    assert scores and all(score == 0 for score, _ in scores.values()), scores
    assert "Traceback" not in graded_course["autograde_output"]


REGION = re.compile(r"### BEGIN (?:SOLUTION|HIDDEN TESTS)\n(.*?)### END[^\n]*", re.S)


def solution_and_hidden_lines(source) -> list[str]:
    """Lines of solution and hidden-test regions that carry content and are not also part of the
    answer template outside the region (such as `verdicts = {`)."""
    lines = []
    for cell in nbformat.read(source, as_version=4).cells:
        template = {line.strip() for line in REGION.sub("", cell.source).splitlines()}
        for region in REGION.findall(cell.source):
            lines += [line.strip() for line in region.splitlines()
                      if len(line.strip()) > 12 and line.strip() not in template]
    return lines


def test_release_holds_no_solutions_or_hidden_tests(graded_course):
    released = graded_course["release"].read_text(encoding="utf-8")
    secret = solution_and_hidden_lines(graded_course["source"])
    assert secret, "the quiz has solution and hidden-test regions"
    leaked = [line for line in secret if line in released]
    assert not leaked, leaked


def test_validate_reports_pass_and_failure(graded_course):
    # `nbgrader validate` exits 0 even when validation fails: read its output.
    passed = run_nbgrader(graded_course["course"], "validate", str(graded_course["source"]))
    assert "Success! Your notebook passes all the tests." in passed.output
    failed = run_nbgrader(graded_course["course"], "validate", str(graded_course["release"]))
    assert "VALIDATION FAILED" in failed.output


def answered_release(source, release, target):
    """The released notebook as a student who gives the model answers hands it in: each answer
    cell holds the solution (markers removed), everything else is the release."""
    solutions = {c.metadata["nbgrader"]["grade_id"]: c
                 for c in nbformat.read(source, as_version=4).cells
                 if c.metadata.get("nbgrader", {}).get("solution")}
    notebook = nbformat.read(release, as_version=4)
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in solutions and cell.metadata["nbgrader"].get("solution"):
            cell.source = "\n".join(line for line in solutions[grade_id].source.splitlines()
                                    if "### BEGIN SOLUTION" not in line
                                    and "### END SOLUTION" not in line)
    nbformat.write(notebook, target)
    return target


def test_validate_passes_a_correct_answer_in_the_released_quiz(graded_course, tmp_path):
    """The Validate button runs the released test cells, whose last line is a form check: its
    value must not be read as a score ("partial credit cannot be greater than maximum points")."""
    notebook = answered_release(graded_course["source"], graded_course["release"],
                                tmp_path / graded_course["release"].name)
    done = run_nbgrader(graded_course["course"], "validate", str(notebook))
    assert "partial credit" not in done.output and "Traceback" not in done.output, done.output
    assert "Success! Your notebook passes all the tests." in done.output, done.output
