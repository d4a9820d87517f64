"""Self-grading for self-study: copy, grade with the course's own tests, explanations after."""

import nbformat
import pytest

from painlab import paths, selfgrade
from painlab.devtools import synthetic
from painlab.grading.course import quiz_names
from painlab.grading.quizinfo import Quiz

pytestmark = pytest.mark.slow

QUIZ00 = "00-appraisal-basics"


@pytest.fixture(scope="module")
def learner(tmp_path_factory):
    """A learner's my-quizzes folder and a private cache of generated quizzes."""
    base = tmp_path_factory.mktemp("selfgrade")
    patch = pytest.MonkeyPatch()
    patch.setenv("PAINLAB_CACHE", str(base / "cache"))
    patch.setattr(selfgrade, "MY_QUIZZES", base / "my-quizzes")
    yield base
    patch.undo()


def released(quiz: str):
    return nbformat.read(selfgrade.my_copy_path(quiz), as_version=4)


@pytest.fixture(scope="module")
def copies(learner):
    return {quiz: selfgrade.copy_quiz(quiz) for quiz in quiz_names()}


def write(learner, name: str, content: bytes):
    path = learner / name
    path.write_bytes(content)
    return path


def test_copy_is_the_released_blank_quiz(copies):
    for quiz, path in copies.items():
        assert path == selfgrade.MY_QUIZZES / f"{quiz}.ipynb"
        text = path.read_text(encoding="utf-8")
        for line in Quiz(quiz).solution_lines() + Quiz(quiz).hidden_lines():
            assert line not in text, (quiz, line)


def test_copy_refuses_to_overwrite(copies, capsys):
    path = copies[QUIZ00]
    path.write_text(path.read_text() + " ", encoding="utf-8")  # the learner's work
    before = path.read_bytes()
    with pytest.raises(selfgrade.SelfGradeError, match="already exists"):
        selfgrade.copy_quiz(QUIZ00)
    assert selfgrade.main(["copy", QUIZ00]) == 2
    assert "--force" in capsys.readouterr().err
    assert path.read_bytes() == before
    selfgrade.copy_quiz(QUIZ00, force=True)
    assert path.read_bytes() != before


@pytest.mark.parametrize("quiz", quiz_names())
def test_solution_gets_full_autograded_marks(learner, copies, quiz):
    info = Quiz(quiz)
    perfect = synthetic.Builder(info, released(quiz)).perfect()
    path = learner / f"perfect-{quiz}.ipynb"
    nbformat.write(perfect, path)
    result = selfgrade.grade_quiz(quiz, path)
    assert result.auto_score == info.auto_points
    assert all(q.verdict == "full marks" for q in result.questions if not q.manual)
    assert result.manual_points == info.manual_points


@pytest.mark.parametrize("quiz", quiz_names())
def test_blank_copy_gets_zero_and_the_explanations(copies, quiz, capsys):
    assert selfgrade.main([quiz, "--show-answers"]) == 0
    text = capsys.readouterr().out
    info = Quiz(quiz)
    assert f"Marked automatically: 0 / {info.auto_points:g} points." in text
    assert f"autograded/source/{quiz}/{quiz}.ipynb" in text
    for question in info.auto_questions:
        assert question.title in text
        for comment in question.hidden_comments[:1]:
            if not question.answer_keys:
                assert " ".join(comment.split()[:4]) in " ".join(text.split())
        for key in question.answer_keys.values():
            for item in key:
                assert f"{item}: accepted" in text
    for question in info.manual_questions:
        assert "rubric" in text.lower() and question.rubric.splitlines()[0] in text


@pytest.mark.parametrize("quiz", quiz_names())
def test_blank_copy_is_not_graded_without_asking(copies, quiz, capsys):
    """Grading a blank copy would show every answer: it is refused, with the way to do it."""
    assert selfgrade.main([quiz]) == 2
    out, err = capsys.readouterr()
    assert "Nothing is answered yet" in err and "--show-answers" in err
    assert "Grading" not in out and "accepted" not in out + err  # nothing run, nothing shown


def test_input_is_checked_before_grading_is_announced(learner, copies, capsys):
    assert selfgrade.main([QUIZ00, str(learner / "nowhere.ipynb")]) == 2
    out, err = capsys.readouterr()
    assert not out and "There is no notebook" in err
    assert selfgrade.main(["--lst"]) == 2
    err = capsys.readouterr().err
    assert "Did you mean --list?" in err and "usage: usage:" not in err
    assert selfgrade.main(["99-nope", "--show-answers"]) == 2
    assert "There is no quiz" in capsys.readouterr().err


def test_a_copy_of_another_quiz_is_named(copies):
    other = next(quiz for quiz in quiz_names() if quiz != QUIZ00)
    with pytest.raises(selfgrade.SelfGradeError, match=f"is a copy of quiz {other}, not of"):
        selfgrade.grade_quiz(QUIZ00, copies[other], show_answers=True)


def test_partly_right_gets_the_exact_partial_score(learner, copies):
    # adjacent verdicts: q1 = 4 * (0.5 + 1 + 1 + 0.75) / 4 = 3.25; q6 {"a", "b"} of {"a", "b", "c"}
    # = 2/3 * 2 = 1.33; the rest right (q8 2 included): 3.25 + 4 + 2 + 1 + 1 + 1.33 + 2 = 14.58 of 16.
    content = synthetic.with_answers(Quiz(QUIZ00), released(QUIZ00), {
        "q1_answer": 'verdicts = {"S002-06": "misleading", "S002-08": "false", '
                     '"S004-03": "unsupported", "S000-02": "supported"}',
        "q6_answer": 'true_statements = {"a", "b"}'})
    result = selfgrade.grade_quiz(QUIZ00, write(learner, "partly.ipynb", content))
    assert result.auto_score == 14.58
    # SELF-STUDY.md shows this result's score line as its example
    score_line = next(line for line in selfgrade.format_text(result).splitlines()
                      if line.startswith("Marked automatically"))
    assert f"`{score_line}`" in " ".join((paths.ROOT / "SELF-STUDY.md").read_text().split())
    scores = {q.grade_id: q.score for q in result.questions}
    assert scores["q1_test"] == 3.25 and scores["q6_test"] == 1.33
    q1 = next(q for q in result.questions if q.grade_id == "q1_test")
    assert q1.verdict == "partly right"
    assert any("S002-06" in line and "You wrote 'misleading'" in line for line in q1.explanation)


def test_malformed_answer_is_named(learner, copies):
    content = synthetic.with_answers(Quiz(QUIZ00), released(QUIZ00), {
        "q1_answer": 'verdicts = {"S002-06": "flase", "S002-08": "false", '
                     '"S004-03": "false", "S000-02": "oversimplified"}',
        "q3_answer": 'difference_points = "46.4"\nnnt = 3'})
    result = selfgrade.grade_quiz(QUIZ00, write(learner, "malformed.ipynb", content))
    problems = {q.grade_id: q.problem for q in result.questions}
    assert "'flase' is not a valid verdict" in problems["q1_test"]
    assert "Did you mean 'false'?" in problems["q1_test"]
    assert "written as text in quotes" in problems["q3_test"]
    assert "write the number itself, without quotes" in problems["q3_test"]
    assert result.auto_score == 16 - 4 - 2
    page = selfgrade.format_html(result)
    assert "<caption>" in page and "scope='col'" in page and "scope='row'" in page
    assert "no marks" in page and "full marks" in page  # words, not colour
    assert "&#x27;flase&#x27;" in page or "'flase'" in page


def test_unreadable_or_wrong_notebooks_get_a_clear_message(learner, copies):
    corrupt = write(learner, "corrupt.ipynb", b'{"cells": [')
    with pytest.raises(selfgrade.SelfGradeError, match="not valid JSON"):
        selfgrade.grade_quiz(QUIZ00, corrupt)
    other = write(learner, "other.ipynb", nbformat.writes(nbformat.v4.new_notebook()).encode())
    with pytest.raises(selfgrade.SelfGradeError, match="none of the cells"):
        selfgrade.grade_quiz(QUIZ00, other)
    with pytest.raises(selfgrade.SelfGradeError, match="no quiz"):
        selfgrade.grade_quiz("99-no-such-quiz")


def test_notebook_api_displays_a_table(copies, monkeypatch):
    shown = []
    monkeypatch.setattr(selfgrade, "_display_html", shown.append)
    assert selfgrade.grade_my_quiz(QUIZ00, show_answers=True) is None  # no repr under the table
    assert "<table>" in shown[-1]
    assert selfgrade.copy_my_quiz(QUIZ00) is None  # exists: refuses, says so; no PosixPath
    assert "Not copied" in shown[-1]
    assert len(repr(selfgrade.grade_quiz(QUIZ00, show_answers=True))) < 120


def test_self_study_guide_matches_the_commands(copies, capsys):
    from painlab import paths

    guide = (paths.ROOT / "SELF-STUDY.md").read_text(encoding="utf-8")
    for command in ["painlab-selfgrade copy 00-appraisal-basics",
                    "painlab-selfgrade copy 00-appraisal-basics --force",
                    "painlab-selfgrade 00-appraisal-basics", "painlab-selfgrade --list",
                    "make selfgrade QUIZ=00-appraisal-basics",
                    "from painlab.selfgrade import copy_my_quiz, grade_my_quiz",
                    "autograded/source/00-appraisal-basics/00-appraisal-basics.ipynb"]:
        assert command in guide, command
    assert selfgrade.main(["--list"]) == 0
    listing = capsys.readouterr().out
    assert all(quiz in listing for quiz in quiz_names())
