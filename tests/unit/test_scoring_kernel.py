"""Which quiz cells the scoring kernel runs, and how (painlab.grading.scoring): cells sent at
once and collected in order, the next notebook's set-up sent ahead, and the same outputs as
cell by cell."""

import copy

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from painlab.grading import plain, scoring
from painlab.grading.quizinfo import BEGIN_SOLUTION, END_SOLUTION, Quiz, nbgrader_meta


def course_kernel_arguments() -> list[str]:
    """The kernel arguments of the course's nbgrader config, which grading kernels start with."""
    from traitlets.config import PyFileConfigLoader

    from painlab import paths

    config = PyFileConfigLoader("nbgrader_config.py", path=str(paths.COURSE)).load_config()
    return list(config.Execute.extra_arguments)


EXTRA = course_kernel_arguments()


def quiz_cell(source, grade_id, test=False):
    cell = new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": test, "grade_id": grade_id, "locked": True,
                                 "solution": False, "schema_version": 3, "task": False,
                                 **({"points": 1} if test else {})}
    return cell


def ids(cells):
    return [c.metadata["nbgrader"]["grade_id"] for c in cells]


# --- which cells run ------------------------------------------------------------------------
def test_only_cells_that_just_call_a_quiz_display_are_left_out():
    nb = new_notebook(cells=[
        quiz_cell("from painlab.quiz import check_number\n"
                  "from painlab.quizviews.opioid_response import show_vignette", "setup"),
        quiz_cell("show_vignette(1)", "display"),
        quiz_cell("show_vignette(1)\nshow_vignette(2, dose=3)", "two_displays"),
        quiz_cell("show_vignette(dose)", "variable_argument"),
        quiz_cell("figure = show_vignette(1)", "binds"),
        quiz_cell("print(1)", "other_call"),
        quiz_cell("%matplotlib inline", "magic"),
        quiz_cell("check_number(x)", "q1_test", test=True),
    ])
    assert ids(scoring.scoring_cells(nb)) == ["setup", "variable_argument", "binds",
                                              "other_call", "magic", "q1_test"]


def test_a_display_name_bound_again_is_no_longer_a_display():
    nb = new_notebook(cells=[
        quiz_cell("from painlab.quizviews.refractory_pain import show_history", "setup"),
        quiz_cell("show_history = print", "rebinds"),
        quiz_cell("show_history('H1')", "display"),
        quiz_cell("from painlab.quizviews import *\nshow_all()", "star"),
        quiz_cell("show_all()", "star_display"),
    ])
    assert "display" in ids(scoring.scoring_cells(nb))
    assert "star_display" in ids(scoring.scoring_cells(nb))


def test_quiz_displays_left_out_are_those_of_the_quizzes_with_stories():
    left_out = {}
    for name in ("01-refractory-pain", "02-tolerance-vs-oih"):
        nb = nbformat.read(Quiz(name).path, 4)
        kept = ids(scoring.scoring_cells(nb))
        left_out[name] = [c.metadata["nbgrader"]["grade_id"] for c in nb.cells
                          if c.cell_type == "code" and scoring.is_trusted_cell(c)
                          and c.metadata["nbgrader"]["grade_id"] not in kept]
        assert "setup" in kept and all(scoring.is_test_cell(c) for c in nb.cells
                                       if nbgrader_meta(c).get("grade_id") in
                                       set(kept) - {"setup"})
    assert left_out["01-refractory-pain"] == ["histories_H1_H4", "history_H5"]
    assert left_out["02-tolerance-vs-oih"] == [f"vignette{n}" for n in range(1, 5)]


def test_the_key_changes_with_any_quiz_cell_and_not_with_answers():
    nb = nbformat.read(Quiz("02-tolerance-vs-oih").path, 4)
    key = scoring.quiz_key(nb)
    answered = copy.deepcopy(nb)
    for cell in answered.cells:
        if nbgrader_meta(cell).get("solution"):
            cell.source = "answer = 1"
    assert scoring.quiz_key(answered) == key
    for grade_id in ("vignette1", "q1_test"):
        changed = copy.deepcopy(nb)
        cell = next(c for c in changed.cells if nbgrader_meta(c).get("grade_id") == grade_id)
        cell.source += "\n"
        assert scoring.quiz_key(changed) != key, grade_id


def test_the_set_up_prefix_stops_at_the_first_test():
    nb = nbformat.read(Quiz("01-refractory-pain").path, 4)
    assert ids(scoring.setup_prefix(scoring.scoring_cells(nb))) == ["setup"]


# --- the kernel -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def kernel():
    kernel = scoring.ScoringKernel(EXTRA)
    yield kernel
    kernel.shutdown()


@pytest.mark.slow
def test_the_course_kernel_arguments_take_effect(kernel):
    # No pause before each execute reply, minimal tracebacks, history in memory: a misspelt
    # option would only be warned about by the kernel, and ignored.
    outputs, reply = kernel.run("k = get_ipython()\n"
                                "(k.kernel._execute_sleep, k.InteractiveTB.mode,"
                                " k.history_manager.hist_file)", 30)
    assert reply["status"] == "ok"
    assert outputs[0].data["text/plain"] == "(0.0, 'Minimal', ':memory:')"


@pytest.mark.slow
def test_requests_sent_at_once_keep_their_own_outputs_and_a_failure_stops_nothing(kernel):
    kernel.reset(30)
    sent = [kernel.send("print('one')"), kernel.send("1 / 0"),
            kernel.send("x = 2", silent=True), kernel.send("x * 21")]
    first, failed, quiet, last = (kernel.collect(i, 30) for i in sent)
    assert [o.text for o in first[0]] == ["one\n"]
    assert failed[1]["status"] == "error" and failed[0][0].ename == "ZeroDivisionError"
    assert quiet == ([], quiet[1]) and quiet[1]["status"] == "ok"
    assert last[0][0].data["text/plain"] == "42"


@pytest.mark.slow
def test_a_prepared_kernel_is_emptied_and_set_up_for_the_same_quiz_only(kernel):
    kernel.reset(30)
    kernel.run("answer = 'from the notebook before'", 30)
    kernel.prepare("quiz-a", ["set_up = 'done'"])
    assert kernel.take_prepared("quiz-a", 30) == 1
    outputs, _ = kernel.run("print('answer' in globals(), set_up)", 30)
    assert outputs[0].text == "False done\n"
    kernel.prepare("quiz-a", ["print('stale')"])
    assert kernel.take_prepared("quiz-b", 30) == -1  # another quiz: its caller resets again
    outputs, _ = kernel.run("print('fresh')", 30)
    assert [o.text for o in outputs] == ["fresh\n"]  # no output of the prepared requests
    assert kernel.take_prepared("quiz-a", 30) == -1  # nothing prepared


# --- scoring: the same outputs however the cells are sent ------------------------------------
def solved(quiz_name):
    """A quiz notebook as an honest submission after the student's kernel: its answers
    captured before each test."""
    nb = nbformat.read(Quiz(quiz_name).path, 4)
    plan = scoring.capture_plan(nb)
    namespace: dict = {}
    captures = {}
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if cell.cell_type == "code" and meta.get("solution"):
            exec(cell.source.replace(BEGIN_SOLUTION, "").replace(END_SOLUTION, ""),  # noqa: S102
                 namespace)
        if meta.get("grade_id") in plan:
            captures[meta["grade_id"]] = plain.capture(namespace, plan[meta["grade_id"]])
    return nb, {scoring.RESOURCE: {"captures": captures, "sandboxed": True}}


def scored(nb, resources, early=None, **traits):
    step = scoring.TrustedScoring(**traits)
    resources = copy.deepcopy(resources)
    if early is not None:
        resources[scoring.RESOURCE]["early"] = early
    nb, _ = step.preprocess(copy.deepcopy(nb), resources)
    return [c.outputs for c in nb.cells if scoring.is_test_cell(c)]


def scored_early(nb, resources, tests=None, sent=None):
    """Scored as in the sandbox: the first ``tests`` tests (all by default) sent to the scoring
    kernel as their answers are captured (EarlyScoring), with the answers of ``sent`` (the
    same resources by default), the rest by TrustedScoring."""
    captures = (sent or resources)[scoring.RESOURCE]["captures"]
    early = scoring.EarlyScoring(scoring.TrustedScoring(), nb, scoring.capture_plan(nb))
    for grade_id in list(captures)[:tests]:
        early.captured(grade_id, captures[grade_id])
    return scored(nb, resources, early)


@pytest.mark.slow
def test_sent_at_once_and_prepared_ahead_give_the_outputs_of_cell_by_cell(monkeypatch):
    nb, resources = solved("02-tolerance-vs-oih")
    wrong = copy.deepcopy(resources)
    for grade_id in wrong[scoring.RESOURCE]["captures"]:
        wrong[scoring.RESOURCE]["captures"][grade_id] = plain.capture({}, [])
    try:
        expected = [scored(nb, r, pipeline=False, prepare_next=False, reuse_kernel=False)
                    for r in (resources, wrong)]
        assert any(o for o in expected[0]) and expected[0] != expected[1]
        for _ in range(2):  # the second time in a kernel prepared by the first
            for r, outputs in zip((resources, wrong), expected, strict=True):
                assert scored(nb, r) == outputs
        # sent while the notebook runs: every test, some of them, or none at all
        for tests in (None, 2, 0):
            for r, outputs in zip((resources, wrong), expected, strict=True):
                assert scored_early(nb, r, tests) == outputs
        # what was sent early is used only as it would have been sent: otherwise the notebook
        # is scored cell by cell in a fresh kernel
        assert scored_early(nb, resources, sent=wrong) == expected[0]
        assert scored_early(nb, wrong, tests=1, sent=resources) == expected[1]
        other_quiz, _ = solved("01-refractory-pain")
        early = scoring.EarlyScoring(scoring.TrustedScoring(), other_quiz,
                                     scoring.capture_plan(other_quiz))
        early.captured(next(iter(scoring.capture_plan(other_quiz))), None)
        assert scored(nb, resources, early) == expected[0]
        assert early.failed and early.kernel is None
        # an answer that cannot be restored once queued: scored again cell by cell
        monkeypatch.setattr(scoring, "_RESTORE", "raise MemoryError  # {text!r} {names!r}")
        unrestored = scored(nb, resources)
        assert all(o[0].ename == "ScoringError" for o in unrestored)
        assert unrestored == scored(nb, resources, pipeline=False)
    finally:
        scoring.shutdown_shared()
