"""The pre-grading report and its fixes, on a course folder built in memory (no nbgrader run).

Student notebooks are the quiz source with hidden tests removed, which is what the released
notebook's locked cells hold."""

import copy
import json
import shutil

import nbformat
import pytest

from painlab import paths
from painlab.grading import report
from painlab.grading import submissions as subs
from painlab.grading.quizinfo import BEGIN_HIDDEN, END_HIDDEN, nbgrader_meta, split_region

from ..factories import FIXTURE_QUIZ, fixture_quiz, write_fixture_quiz

QUIZ = FIXTURE_QUIZ


def student_notebook():
    nb = copy.deepcopy(fixture_quiz())
    for cell in nb.cells:
        cell.source = split_region(cell.source, BEGIN_HIDDEN, END_HIDDEN)[0]
    return nb


def by_id(nb, grade_id):
    return next(c for c in nb.cells if nbgrader_meta(c).get("grade_id") == grade_id)


@pytest.fixture
def course(tmp_path):
    course = tmp_path / "course"
    write_fixture_quiz(course / "source")
    shutil.copy(paths.COURSE / "nbgrader_config.py", course)

    def put(student, files):
        folder = course / "submitted" / student / QUIZ
        folder.mkdir(parents=True)
        for name, content in files.items():
            (folder / name).write_bytes(content if isinstance(content, bytes)
                                        else nbformat.writes(content).encode())

    clean = student_notebook()
    put("clean", {f"{QUIZ}.ipynb": clean})
    put("renamed", {f"{QUIZ}-Copy1.ipynb": clean,
                    "Untitled.ipynb": nbformat.v4.new_notebook()})
    put("renamed-twice", {"a.ipynb": clean, "b.ipynb": clean})
    put("corrupt", {f"{QUIZ}.ipynb": b'{"cells": [{"cell_type": "code",'})
    put("not-a-notebook", {f"{QUIZ}.ipynb": b'{"hello": 1}'})
    put("empty-folder", {})
    duplicate = student_notebook()
    pasted = copy.deepcopy(by_id(duplicate, "q1_answer"))
    pasted["id"] = "pasted01"
    duplicate.cells.insert(3, pasted)
    put("duplicate", {f"{QUIZ}.ipynb": duplicate})
    edited = student_notebook()
    by_id(edited, "q1_test").source = "pass"
    by_id(edited, "q2_test").source = "assert True"
    by_id(edited, "q3_test").metadata["nbgrader"]["points"] = 40
    put("edited", {f"{QUIZ}.ipynb": edited})
    deleted = student_notebook()
    deleted.cells = [c for c in deleted.cells
                     if nbgrader_meta(c).get("grade_id") not in ("q1_test", "q2_answer", "setup")]
    put("deleted", {f"{QUIZ}.ipynb": deleted})
    damaged = student_notebook()
    by_id(damaged, "q4_answer").metadata["nbgrader"]["schema_version"] = 1
    put("damaged", {f"{QUIZ}.ipynb": damaged, "notes.ipynb": nbformat.v4.new_notebook()})
    return course


def kinds(problems):
    return sorted(p.kind for p in problems)


def test_inspection_names_every_problem(course):
    found = subs.inspect_quiz(course, QUIZ)
    assert found["clean"] == []
    assert kinds(found["renamed"]) == ["extra-notebook", "renamed"]
    renamed = next(p for p in found["renamed"] if p.kind == "renamed")
    assert renamed.fix == "--fix-renamed" and renamed.blocks
    assert renamed.file == f"{QUIZ}-Copy1.ipynb"  # Untitled.ipynb holds no quiz
    twice = found["renamed-twice"]
    assert kinds(twice) == ["renamed"] and not twice[0].fix and twice[0].blocks
    assert "not valid JSON" in found["corrupt"][0].message and found["corrupt"][0].blocks
    assert "not a notebook" in found["not-a-notebook"][0].message
    assert kinds(found["empty-folder"]) == ["missing-notebook"]
    assert kinds(found["duplicate"]) == ["duplicate-id"] and "q1_answer" in \
        found["duplicate"][0].message
    edited = " ".join(p.message for p in found["edited"])
    assert "q1_test, q2_test were edited" in edited and "q3_test was given other points" in edited
    deleted = " ".join(p.message for p in found["deleted"])
    assert "test cell q1_test is missing" in deleted and "answer cell q2_answer is missing" in \
        deleted and "locked cell setup is missing" in deleted
    assert kinds(found["damaged"]) == ["damaged-metadata", "extra-notebook"]
    assert not any(p.blocks for s in ("duplicate", "edited", "deleted", "damaged")
                   for p in found[s])


def test_fixes_rename_and_set_aside_and_are_logged(course, capsys):
    assert report.main([QUIZ, "--course", str(course), "--fix"]) == 0
    out = capsys.readouterr().out
    assert "FIXED NOW" in out and f"renamed '{QUIZ}-Copy1.ipynb'" in out
    assert (course / "submitted" / "renamed" / QUIZ / f"{QUIZ}.ipynb").is_file()
    assert (course / "set-aside" / "corrupt" / QUIZ / f"{QUIZ}.ipynb").is_file()
    assert not (course / "submitted" / "corrupt" / QUIZ / f"{QUIZ}.ipynb").exists()
    log = subs.read_fixes(course, QUIZ)
    assert {(r["student"], r["action"]) for r in log} == {
        ("renamed", "renamed"), ("corrupt", "set-aside"), ("not-a-notebook", "set-aside")}
    after = subs.inspect_quiz(course, QUIZ)
    assert kinds(after["renamed"]) == ["extra-notebook"]
    assert "set aside" in after["corrupt"][0].message
    assert report.main([QUIZ, "--course", str(course), "--check"]) == 1  # renamed-twice left


def test_report_text_and_json(course, capsys):
    assert report.main([QUIZ, "--course", str(course)]) == 0
    text = capsys.readouterr().out
    assert "BLOCKS GRADING" in text and "HANDLED AT AUTOGRADE" in text
    assert "[fix: --fix-renamed]" in text and "[fix: --set-aside-corrupt]" in text
    assert "Summary:" in text
    assert report.main([QUIZ, "--course", str(course), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data[QUIZ]["problems"]["clean"] == []
    with pytest.raises(SystemExit, match="no quiz"):
        report.main(["no-such-quiz", "--course", str(course)])


def test_runtime_notes_of_a_graded_notebook(tmp_path):
    nb = student_notebook()
    by_id(nb, "q1_answer").outputs = [
        nbformat.v4.new_output("error", ename="KeyboardInterrupt", evalue="", traceback=[])]
    by_id(nb, "q2_answer").outputs = [nbformat.v4.new_output(
        "error", ename="ModuleNotFoundError", evalue="No module named 'x'", traceback=[])]
    by_id(nb, "q2_test").outputs = [nbformat.v4.new_output(
        "error", ename="AnswerFormError", evalue="wrong form", traceback=[])]
    by_id(nb, "q3_answer").outputs = [nbformat.v4.new_output(
        "stream", name="stdout", text="1\n... Output truncated ...")]
    path = tmp_path / "graded.ipynb"
    nbformat.write(nb, path)
    notes = subs.runtime_notes(path)
    assert notes == ["q1_answer timed out and was interrupted (an infinite loop?)",
                     "q2_answer raised ModuleNotFoundError: No module named 'x'",
                     "the output of q3_answer was truncated"]
