"""Reading quiz sources, and the synthetic submissions built from them, for every quiz."""

import copy

import nbformat
import pytest

from painlab.devtools import synthetic
from painlab.devtools.views import find_leaks, visible_text
from painlab.grading.course import autograded_cells, quiz_names
from painlab.grading.quizinfo import Quiz


@pytest.fixture(params=quiz_names())
def quiz(request):
    return Quiz(request.param)


def test_questions_follow_the_quiz_conventions(quiz):
    assert {q.grade_id: q.points for q in quiz.auto_questions} == autograded_cells(quiz.path)
    for question in quiz.auto_questions:
        assert question.answer_ids, f"{question.grade_id} has answer cells before it"
        assert question.hidden, f"{question.grade_id} has hidden tests"
        assert question.title.startswith("Question")
    for question in quiz.manual_questions:
        assert "rubric" in question.rubric.lower()
    assert quiz.hidden_lines() and quiz.solution_lines()


def test_answer_keys_are_read_without_running_code():
    q1 = Quiz("00-appraisal-basics").question("q1_test")
    key = q1.answer_keys["ANSWER_KEY"]
    assert key["S002-06"]["accept"] == {"false": 1.0, "misleading": 0.5}
    assert "Schedule III" in key["S002-06"]["why"]


def released_like(quiz):
    """The source with solutions and hidden tests removed (what the tests below need)."""
    from painlab.grading.quizinfo import (
        BEGIN_HIDDEN,
        BEGIN_SOLUTION,
        END_HIDDEN,
        END_SOLUTION,
        split_region,
    )
    nb = copy.deepcopy(quiz.notebook)
    for cell in nb.cells:
        cell.source = split_region(split_region(cell.source, BEGIN_HIDDEN, END_HIDDEN)[0],
                                   BEGIN_SOLUTION, END_SOLUTION)[0]
    return nb


def test_synthetic_submissions_cover_every_behaviour(quiz):
    subs = synthetic.generic_submissions(quiz, released_like(quiz))
    names = {s.behaviour for s in subs}
    assert names >= set(synthetic.GENERIC) - {"html-injection"}
    for sub in subs:
        assert sub.expected_auto is None or 0 <= sub.expected_auto <= quiz.auto_points
    perfect = next(s for s in subs if s.behaviour == "perfect")
    assert perfect.expected_auto == quiz.auto_points
    corrupt = next(s for s in subs if s.behaviour == "corrupt")
    with pytest.raises(ValueError):
        nbformat.reads(next(iter(corrupt.files.values())).decode(), as_version=4)


def test_leak_finder_sees_through_highlighting(quiz):
    hidden = quiz.hidden_lines()[0]
    tokens = "".join(f"<span class='n'>{word}</span> " for word in hidden.split())
    assert find_leaks(f"<pre>{tokens}</pre>", quiz)
    assert not find_leaks("<p>nothing to see</p>", quiz)
    assert visible_text("<p>a &lt;b&gt;</p><style>x{}</style>") == "a <b>"


def test_hidden_tests_only_score_and_cannot_reveal_answers(quiz):
    """A hidden test that failed with a message would print it in the feedback: hidden tests
    hold imports, literal keys and one scorer call whose printed number is the partial credit."""
    import ast

    for question in quiz.auto_questions:
        body = ast.parse(question.hidden).body
        assert isinstance(body[-1], ast.Expr) and isinstance(body[-1].value, ast.expr)
        calls = [n.func.id for n in ast.walk(body[-1]) if isinstance(n, ast.Call)
                 and isinstance(n.func, ast.Name)]
        assert calls and all(name.startswith("score_") for name in calls), question.grade_id
        for node in body[:-1]:
            assert isinstance(node, ast.Import | ast.ImportFrom | ast.Assign), (
                question.grade_id, ast.dump(node)[:80])
            if isinstance(node, ast.Assign):
                ast.literal_eval(node.value)  # a literal key, no code
        assert not [n for n in ast.walk(ast.parse(question.hidden))
                    if isinstance(n, ast.Assert | ast.Raise)], question.grade_id
