"""Reading quiz sources, and the synthetic submissions built from them, for every quiz."""

import copy

import nbformat
import pytest

from painlab.devtools import synthetic
from painlab.devtools.views import find_leaks, visible_text
from painlab.grading.course import autograded_cells, quiz_names
from painlab.grading.quizinfo import Quiz

from ..conftest import QUIZ_TEMPLATE
from ..factories import FIXTURE_QUIZ, write_fixture_quiz

TEMPLATE = "quiz-template"


@pytest.fixture(params=quiz_names() + [TEMPLATE])
def quiz(request):
    """Every quiz of the course, and the quiz template (which follows the same conventions)."""
    if request.param == TEMPLATE:
        return Quiz(TEMPLATE, QUIZ_TEMPLATE.parent.parent)
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


def test_answer_keys_are_read_without_running_code(tmp_path):
    write_fixture_quiz(tmp_path)
    q1 = Quiz(FIXTURE_QUIZ, tmp_path).question("q1_test")
    key = q1.answer_keys["ANSWER_KEY"]
    assert key["S002-06"]["accept"] == {"false": 1.0, "misleading": 0.5}
    assert "drug label" in key["S002-06"]["why"]


def scorer_points(hidden: str) -> list:
    """The points each ``score_*`` call of a hidden test gives (from ``points=`` or its place)."""
    import ast
    import inspect

    from painlab import answers

    found = []
    for node in ast.walk(ast.parse(hidden)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "").startswith("score_"):
            parameters = list(inspect.signature(getattr(answers, node.func.id)).parameters)
            given = {k.arg: k.value for k in node.keywords}
            if "points" not in given and len(node.args) > parameters.index("points"):
                given["points"] = node.args[parameters.index("points")]
            found.append(ast.literal_eval(given["points"]) if "points" in given else None)
    return found


def test_scorers_give_the_cells_points(quiz):
    """A scorer's points= equals the cell's nbgrader points (several scorers: their sum)."""
    for question in quiz.auto_questions:
        points = scorer_points(question.hidden)
        assert points and None not in points, f"{question.grade_id}: write points= in each scorer"
        assert sum(points) == question.points, (
            f"{question.grade_id}: scorers give {sum(points)} points, the cell has {question.points}")


def test_the_points_check_finds_a_mismatch():
    assert scorer_points("score_number(x, 3, 0.01, 1) + score_labelled(a, K, points=2)") == [1, 2]
    assert scorer_points("score_verdicts(a, K, 4)") == [4]


def test_answer_keys_have_the_documented_shape(quiz):
    """ANSWER_KEY: claim id -> {"accept": {verdict: credit 0-1, one of them 1.0}, "why": text}."""
    from painlab.claims import load_claims
    from painlab.verdicts import VERDICTS

    claims = load_claims()
    for question in quiz.auto_questions:
        key = question.answer_keys.get("ANSWER_KEY")
        if key is None:
            continue
        for claim_id, entry in key.items():
            assert claim_id in claims, f"{question.grade_id}: unknown claim {claim_id}"
            assert set(entry["accept"]) <= set(VERDICTS), (question.grade_id, claim_id)
            assert all(0 < credit <= 1 for credit in entry["accept"].values())
            assert 1.0 in entry["accept"].values(), (question.grade_id, claim_id)
            assert entry["why"].strip(), f"{question.grade_id}: {claim_id} has no evidence"


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


@pytest.mark.parametrize("quiz", quiz_names())
def test_every_autograded_question_explains_itself_after_grading(quiz):
    """SELF-STUDY.md promises, for every question, the evidence or how the answer is worked out;
    quiz 00's question 5 printed "No explanation is recorded for this question"."""
    from painlab.selfgrade import explain

    for question in Quiz(quiz).auto_questions:
        assert not explain(question)[0].startswith("No explanation"), (
            f"{quiz}, {question.title}: give it an ANSWER_KEY or comments in its hidden tests")
