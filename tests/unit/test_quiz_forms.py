"""Form checks name the problem; scorers give partial credit; self-checks give feedback."""

import pytest
import yaml

from painlab import paths
from painlab.quiz import (
    VERDICTS,
    AnswerFormError,
    check_choice,
    check_choices,
    check_labelled,
    check_number,
    check_verdicts,
    evaluate,
    score_choices,
    score_labelled,
    score_number,
    score_verdicts,
)

IDS = ["S002-06", "S002-08"]


def test_verdict_scale():
    assert list(VERDICTS) == ["supported", "oversimplified", "unsupported", "misleading", "false"]


def test_every_verdict_is_described_in_lesson_00s_content():
    from painlab.content import lesson_content
    from painlab.verdicts import verdict_descriptions

    assert set(lesson_content("00-start-here")["verdict_scale"]) == set(VERDICTS)
    assert all(len(text) > 40 for text in verdict_descriptions().values())


def test_valid_verdicts_are_normalised():
    assert check_verdicts({"S002-06": " False", "S002-08": "MISLEADING"}, IDS) is None


@pytest.mark.parametrize("answer,message", [
    (None, "still empty"),
    ({"S002-06": ..., "S002-08": ...}, "No verdicts yet"),
    (["false", "false"], "must be a dict"),
    ({"S002-06": "flase", "S002-08": "false"},
     "'flase' is not a valid verdict for S002-06.*Did you mean 'false'"),
    ({"S002-06": False, "S002-08": "false"}, "Python True/False"),
    ({"S002-06": 3, "S002-08": "false"}, "must be a string"),
    ({"S002-06": "false"}, "No verdict yet for S002-08"),
    ({"S002-06": "false", "S002-08": "false", "S002-6": "false"},
     "'S002-6' is not one of the claim ids.*S002-06"),
])
def test_bad_verdicts_name_the_problem(answer, message):
    with pytest.raises(AnswerFormError, match=message):
        check_verdicts(answer, IDS)


def test_form_errors_are_assertion_errors():
    # nbgrader shows a failed AssertionError as a failed test with its message.
    assert issubclass(AnswerFormError, AssertionError)


@pytest.mark.parametrize("answer,message", [
    ("12", r"written as text in quotes \('12'\): write the number itself"),
    (True, "must be a number in people, such as 2.5, not True"), (float("nan"), "finite"),
    (..., "still empty"), ([3], r"not \[3\]"),
])
def test_bad_numbers(answer, message):
    with pytest.raises(AnswerFormError, match=message):
        check_number(answer, what="nnt", unit="people")


def test_numbers():
    assert check_number(3) is None and check_number(2.5) is None


def test_checks_return_nothing_for_nbgrader_to_read_as_a_score():
    """A check is a test cell's last line; nbgrader reads a number there as partial credit."""
    from painlab.quiz import check_choice, check_choices, check_labelled, check_verdicts

    assert check_number(46.4) is None
    assert check_choice("c", ["a", "b", "c"]) is None
    assert check_choices({"a"}, ["a", "b"]) is None
    assert check_labelled({"A": "x"}, ["A"], ["x"]) is None
    assert check_verdicts({"S002-06": "false"}, ["S002-06"]) is None


def test_a_failed_check_shows_one_frame_and_the_message():
    """In a student's kernel (IPython's default tracebacks) the frames inside painlab are hidden:
    the traceback shows the cell's line and the message."""
    import subprocess
    import sys
    from pathlib import Path

    ipython = Path(sys.executable).with_name("ipython")
    done = subprocess.run(
        [str(ipython), "--colors=NoColor", "--no-banner", "-c",
         "from painlab.quiz import check_choice\n"
         "check_choice('e', ['a', 'b', 'c', 'd'], what='best_evidence')"],
        capture_output=True, text=True, timeout=60)
    shown = done.stdout + done.stderr
    assert "AnswerFormError" in shown and "'e' is not a valid best_evidence" in shown, shown
    assert "answers.py" not in shown and "_fail" not in shown and "Traceback" not in shown, shown


def test_choices():
    assert check_choice(" C", ["a", "b", "c"]) is None
    with pytest.raises(AnswerFormError, match="'e' is not a valid answer"):
        check_choice("e", ["a", "b", "c"])
    assert check_choices(["a", "B"], ["a", "b"]) is None
    with pytest.raises(AnswerFormError, match="empty set"):
        check_choices(set(), ["a", "b"])
    with pytest.raises(AnswerFormError, match="must be a set"):
        check_choices("ab", ["a", "b"])


def test_labelled():
    options = ["misnomer", "false-dichotomy"]
    assert check_labelled({"A": "Misnomer"}, ["A"], options) is None
    with pytest.raises(AnswerFormError, match="no entry yet for B"):
        check_labelled({"A": "misnomer"}, ["A", "B"], options)
    with pytest.raises(AnswerFormError, match="'E' is not one of the keys"):
        check_labelled({"A": "misnomer", "E": "misnomer"}, ["A"], options)
    with pytest.raises(AnswerFormError, match="Did you mean 'misnomer'"):
        check_labelled({"A": "misnommer"}, ["A"], options)


KEY = {"S002-06": {"accept": {"false": 1.0, "misleading": 0.5}},
       "S002-08": {"accept": {"false": 1.0}}}


@pytest.mark.parametrize("answer,points", [
    ({"S002-06": "false", "S002-08": "false"}, 4.0),
    ({"S002-06": "misleading", "S002-08": "false"}, 3.0),
    ({"S002-06": "misleading", "S002-08": "supported"}, 1.0),
    ({"S002-06": "supported", "S002-08": "supported"}, 0.0),
    ({"S002-06": "FALSE "}, 2.0),
])
def test_score_verdicts_partial_credit(answer, points):
    assert score_verdicts(answer, KEY, points=4) == points


def test_other_scorers():
    assert score_labelled({"A": "x", "B": "y"}, {"A": "x", "B": {"y", "z"}}, points=4) == 4
    assert score_labelled({"A": "x", "B": "q"}, {"A": "x", "B": {"y", "z"}}, points=4) == 2
    assert score_choices({"a", "b", "d"}, {"a", "b", "c"}, ["a", "b", "c", "d"], points=3) == 1
    assert score_choices({"d"}, {"a"}, ["a", "d"], points=2) == 0
    assert score_number(46.0, 46.4, 0.03, 1) == 1
    assert score_number(4.6, 46.4, 0.03, 1) == 0


# --- formative self-checks of every lesson ---------------------------------------------------
def all_checks():
    for path in sorted((paths.ASSETS / "checks").glob("*.yaml")):
        for question in yaml.safe_load(path.read_text(encoding="utf-8")):
            yield pytest.param(path.stem, question, id=question["id"])


@pytest.mark.parametrize("lesson,question", list(all_checks()))
def test_self_check_feedback(lesson, question):
    assert question["id"].startswith(lesson + "/")
    lesson_text = (paths.LESSONS / f"{lesson}.ipynb").read_text(encoding="utf-8")
    assert question["id"] in lesson_text, "every self-check is used in its lesson"
    kind = question["kind"]
    if kind == "number":
        assert evaluate(question, question["answer"]).correct
        wrong = evaluate(question, question["answer"] * 3 + 1)
        assert not wrong.correct and wrong.message.startswith("Not quite.")
        assert "number" in evaluate(question, "ten").message
        return
    options = question["options"]
    right = {o["label"] for o in options if o.get("correct")}
    assert right, "a self-check needs a correct option"
    if kind == "choice":
        for option in options:
            feedback = evaluate(question, option["label"])
            assert feedback.correct == bool(option.get("correct"))
            assert option["why"] in feedback.message  # feedback names this option's problem
    else:
        assert evaluate(question, right).correct
        for option in options:
            flipped = right ^ {option["label"]}
            if flipped:
                feedback = evaluate(question, flipped)
                assert not feedback.correct and option["why"] in feedback.message
    assert question["explanation"].strip() in evaluate(question, sorted(right)[0]).message or kind == "multi"
