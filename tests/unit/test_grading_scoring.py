"""Answers as plain data (painlab.grading.plain) and what the scoring apart reads
(painlab.grading.scoring): the parts of trusted scoring that need no kernel."""

import json
import math

import nbformat
import pytest

from painlab.grading import plain, scoring
from painlab.grading.course import quiz_names
from painlab.grading.quizinfo import BEGIN_SOLUTION, END_SOLUTION, Quiz, nbgrader_meta


def round_trip(**values):
    decoded, notes, _ = plain.decode(plain.capture(values, list(values)))
    return decoded, notes


@pytest.mark.parametrize("value", [
    None, ..., True, False, 0, -3, 10**40, 2.5, float("inf"), "false", "",
    {"S002-06": "false", "S000-02": ...}, {1: "cells", 2: "animals"}, {"a", "b"},
    frozenset({"x"}), ["false", "oversimplified"], ("a", 1), {"k": [1, {2: (3, None)}]},
])
def test_plain_values_arrive_unchanged_with_their_types(value):
    decoded, notes = round_trip(answer=value)
    assert decoded["answer"] == value and type(decoded["answer"]) is type(value)
    assert notes == []


def test_nan_arrives_as_nan():
    decoded, _ = round_trip(x=float("nan"))
    assert math.isnan(decoded["x"])


def test_an_undefined_name_stays_undefined():
    decoded, _, _ = plain.decode(plain.capture({}, ["verdicts"]))
    namespace = {"verdicts": "left over"}
    plain.restore(namespace, plain.capture({}, ["verdicts"]))
    assert decoded["verdicts"] is plain.MISSING and "verdicts" not in namespace


def test_the_string_undefined_is_an_answer():
    namespace = {}
    plain.restore(namespace, plain.capture({"best_evidence": "undefined"}, ["best_evidence"]),
                  ["best_evidence"])
    assert namespace == {"best_evidence": "undefined"}


def test_restore_puts_in_only_the_names_the_test_reads():
    forged = json.dumps({"values": {"nnh": ["int", "1"], "__builtins__": ["dict", []],
                                    "get_ipython": None, "check_number": None}})
    namespace = {"get_ipython": print, "check_number": len, "nnt": "left over"}
    plain.restore(namespace, forged, ["nnh", "nnt"])
    assert namespace == {"get_ipython": print, "check_number": len, "nnh": 1}


def test_notes_from_the_students_kernel_are_cleaned():
    forged = json.dumps({"values": {}, "tampering": [
        "\x1b[31mRED\x1b[0m\n[TrustedScoring] WARNING fake log line"],
        "notes": ["x" * 5000, "\x07bell\r\u202eright-to-left"]})
    _, notes, tampered = plain.decode(forged)
    for line in notes + tampered:
        assert line.isprintable() and "\x1b" not in line and "\n" not in line
        assert len(line) <= plain.NOTE_CHARS + 3
    assert "RED" in tampered[0] and "fake log line" in tampered[0]
    assert "its kernel reported" in scoring.describe_notes({"tampering": tampered})


def test_the_student_kernel_runs_test_cells_without_their_hidden_tests():
    nb = nbformat.read(Quiz("00-appraisal-basics").path, 4)
    for cell in nb.cells:
        if scoring.is_test_cell(cell):
            visible = scoring.visible_part(cell.source)
            assert "HIDDEN" not in visible and "score_" not in visible
            assert visible.strip() and visible.strip() in cell.source


class Sly(str):
    def __eq__(self, other):
        return True

    __hash__ = str.__hash__

    def lower(self):
        return "false"


class SlyNumber(float):
    def __float__(self):
        return 46.4


def test_subclasses_arrive_as_their_plain_value_without_their_tricks():
    decoded, notes = round_trip(label=Sly("flase"), number=SlyNumber(1.0),
                                verdicts={"S002-06": Sly("")})
    assert type(decoded["label"]) is str and decoded["label"] == "flase"
    assert type(decoded["number"]) is float and decoded["number"] == 1.0
    assert decoded["verdicts"] == {"S002-06": ""}
    assert any("subclass of str" in n for n in notes)


def test_other_objects_arrive_as_inert_stand_ins():
    def answer():
        return "false"

    decoded, notes = round_trip(f=answer, obj=object())
    stand_in = decoded["f"]
    assert type(stand_in).__name__ == "function" and "answer" in repr(stand_in)
    assert not callable(stand_in) and stand_in != "false"
    assert any("not plain data" in n for n in notes)
    from painlab.answers import AnswerFormError, check_number

    with pytest.raises(AnswerFormError, match="must be a number"):
        check_number(decoded["obj"], what="nnt")


def test_too_large_answers_are_refused():
    deep = [1]
    for _ in range(plain.MAX_DEPTH + 1):
        deep = [deep]
    decoded, notes = round_trip(big=list(range(plain.MAX_ITEMS + 1)), deep=deep)
    assert type(decoded["big"]).__name__ == "list" and not isinstance(decoded["big"], list)
    assert not isinstance(decoded["deep"], list)
    assert any("too large" in n for n in notes)


@pytest.mark.parametrize("text", [
    "not json", json.dumps({"values": []}), "[" * 100_000,
    json.dumps({"values": {"x": ["dict", [[["list", []], 1]]]}}),  # unhashable key
    json.dumps({"values": {"x": ["int", "1" * 5000]}}),
    json.dumps({"values": {"x": ["float", "1e99999999999"]}}),
    json.dumps({"values": {"x": ["exec", "import os"]}}),
    json.dumps({"values": {"__class__": ["str", "x"], "a b": ["str", "x"]}}),
    "x" * (plain.MAX_CHARS + 1),
])
def test_forged_capture_text_gives_no_answer_or_an_inert_one(text):
    values, _, _ = plain.decode(text)
    for name, value in values.items():
        assert name.isidentifier()
        assert value is None or type(value) in (int, float, str, bool) or \
            type(value).__module__ == "submission"


def test_tampering_is_noticed_in_the_namespace():
    namespace = {}
    exec("check_verdicts = lambda *args: None", namespace)  # noqa: S102 (the test's point)
    assert plain.tampering({}) == []
    assert "a global check_verdicts of its own" in plain.tampering(namespace)


def test_capture_plan_reads_answers_not_the_quizs_own_names():
    nb = nbformat.read(Quiz("00-appraisal-basics").path, 4)
    plan = scoring.capture_plan(nb)
    assert plan["q1_test"] == ["verdicts"]
    assert plan["q3_test"] == ["difference_points", "nnt"]
    assert "check_verdicts" not in plan["q1_test"] and "ANSWER_KEY" not in plan["q1_test"]


@pytest.mark.parametrize("quiz_name", quiz_names())
def test_every_quiz_asks_for_plain_data_that_the_plan_captures(quiz_name):
    """No quiz asks for code (a function cannot leave the student's kernel as data), and every
    name an answer cell defines that a test reads is captured before that test."""
    quiz = Quiz(quiz_name)
    plan = scoring.capture_plan(quiz.notebook)
    namespace: dict = {}
    for cell in quiz.notebook.cells:
        meta = nbgrader_meta(cell)
        if cell.cell_type == "code" and meta.get("solution"):
            solution = cell.source.replace(BEGIN_SOLUTION, "").replace(END_SOLUTION, "")
            exec(solution, namespace)  # noqa: S102 (the course's own solutions)
    answers = {k for k in namespace if not k.startswith("__")
               and not isinstance(namespace[k], type(math))}
    for name in answers:
        _, notes = round_trip(value=namespace[name])
        assert notes == [], (name, notes)
    for question in quiz.auto_questions:
        read, _ = scoring._names(quiz.cells_by_id[question.grade_id].source)
        assert read & answers <= set(plan[question.grade_id]), question.grade_id


def test_parse_capture_takes_only_a_string():
    def reply(text):
        return {"content": {"user_expressions": {"answers": {
            "status": "ok", "data": {"text/plain": text}}}}}

    assert scoring.parse_capture(reply(repr('{"values": {}}'))) == '{"values": {}}'
    assert scoring.parse_capture(reply("__import__('os')")) is None
    assert scoring.parse_capture(reply("{'a': 1}")) is None
    assert scoring.parse_capture({"content": {}}) is None


def test_the_export_describes_the_notes():
    line = scoring.describe_notes({"tampering": ["replaced painlab.quiz.score_verdicts"],
                                   "differences": ["q1_test: 4 in its own kernel, 0 scored "
                                                   "apart"], "answers": []})
    assert "tampered with grading" in line and "q1_test" in line
    assert scoring.describe_notes({}) == ""


def test_attempts_written_inside_the_sandbox_are_cleaned(tmp_path):
    from painlab.grading.sandbox import SandboxKernelManager, describe_attempts

    log = tmp_path / "attempts.jsonl"
    log.write_text(json.dumps({"kind": "read\x1b[2J", "what": "\x1b]0;title\x07x\nFAKE LINE"})
                   + "\n" + json.dumps({"kind": "network", "what": "y" * 1000}) + "\n")
    manager = SandboxKernelManager()
    manager._log_file, manager.attempt_sink = log, []
    manager._collect_attempts()
    line = describe_attempts(manager.attempt_sink)
    assert line.isprintable() and "\x1b" not in line and len(line) < 600
    assert "FAKE LINE" in line
