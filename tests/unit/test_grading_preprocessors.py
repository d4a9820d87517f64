"""The autograde preprocessors, on notebooks built in memory (no nbgrader run)."""

import copy
import functools
import os
import re
import sys

import nbformat
import pytest
from nbconvert.filters.markdown_mistune import markdown2html_mistune
from nbgrader.nbgraderformat import MetadataValidator, SchemaTooOldError
from nbgrader.preprocessors import (
    CheckCellMetadata,
    ClearHiddenTests,
    DeduplicateIds,
    NbGraderPreprocessor,
    OverwriteCells,
    SaveAutoGrades,
)

from painlab.grading.preprocessors import (
    CheckMetadataOnce,
    EscapeStudentMarkup,
    LimitOutputSize,
    MetadataValidatorOnce,
    RestoreMissingCells,
    SafeClearHiddenTests,
    SafeDeduplicateIds,
    SaveAutoGradesOnce,
    escape_markdown,
)
from painlab.grading.quizinfo import nbgrader_meta, split_region

from ..factories import fixture_quiz


@pytest.fixture(autouse=True)
def alembic_head_asked_once(monkeypatch):
    """A new gradebook asks the `alembic` command for its schema's head revision, about 1.5 s
    each time; it is the same for every gradebook of the installed nbgrader."""
    import nbgrader.api

    monkeypatch.setenv("PATH", os.pathsep.join([os.path.dirname(sys.executable),
                                                os.environ.get("PATH", "")]))
    head = _alembic_head(nbgrader.api.get_alembic_version)
    monkeypatch.setattr(nbgrader.api, "get_alembic_version", lambda: head)


@functools.cache
def _alembic_head(ask) -> str:
    return ask()


PAYLOAD = "<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))"


def quiz_notebook():
    return fixture_quiz()


def by_id(nb, grade_id):
    return next(c for c in nb.cells if nbgrader_meta(c).get("grade_id") == grade_id)


def with_copied_answer_cell():
    nb = quiz_notebook()
    index = next(i for i, c in enumerate(nb.cells)
                 if c.metadata.get("nbgrader", {}).get("grade_id") == "q1_answer")
    pasted = copy.deepcopy(nb.cells[index])
    pasted["id"] = "pasted01"
    nb.cells.insert(index + 1, pasted)
    return nb


def test_every_preprocessor_is_an_nbgrader_preprocessor():
    # a plain nbconvert Preprocessor is disabled by default and nbgrader skips it silently
    for cls in (SafeDeduplicateIds, RestoreMissingCells, EscapeStudentMarkup, LimitOutputSize,
                SafeClearHiddenTests, CheckMetadataOnce):
        assert issubclass(cls, NbGraderPreprocessor)
        assert cls().enabled


def test_nbgraders_deduplicate_ids_leaves_metadata_that_aborts_autograde():
    nb, _ = DeduplicateIds().preprocess(with_copied_answer_cell(), {})
    with pytest.raises(SchemaTooOldError):  # the "old version of the metadata" abort
        CheckCellMetadata().preprocess(nb, {})


def test_safe_deduplicate_ids_removes_the_copy_metadata():
    nb, _ = SafeDeduplicateIds().preprocess(with_copied_answer_cell(), {})
    CheckCellMetadata().preprocess(nb, {})  # no exception
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells]
    assert ids.count("q1_answer") == 1
    assert ids.index("q1_answer") == ids.index("q1_test") - 1  # the last copy keeps the id
    assert ids[ids.index("q1_answer") - 1] is None  # the first one runs as an ordinary cell
    assert all("nbgrader" not in c.metadata or c.metadata["nbgrader"] for c in nb.cells)


def test_safe_deduplicate_ids_removes_damaged_metadata():
    nb = quiz_notebook()
    old, garbage = by_id(nb, "q1_answer"), by_id(nb, "q1_test")
    old.metadata["nbgrader"]["schema_version"] = 1
    garbage.metadata["nbgrader"] = "garbage"
    nb, _ = SafeDeduplicateIds().preprocess(nb, {})
    assert "nbgrader" not in old.metadata and "nbgrader" not in garbage.metadata
    CheckCellMetadata().preprocess(nb, {})


@pytest.mark.parametrize("text", [PAYLOAD, "<svg onload=alert(1)>", "<a href='javascript:x'>a</a>",
                                  "[r]: javascript:alert(1)\n\n[r]", "<!-- <script>x</script> -->",
                                  "<<script>script>alert(1)<</script>/script>",
                                  "[y](javascript&#58;alert(1))", "<details open ontoggle=alert(1)>"])
def test_escaped_markdown_renders_no_tag_and_no_link(text):
    html = markdown2html_mistune(escape_markdown(text))
    assert not re.search(r"<(?!/?(p|code|pre|blockquote|em|strong|br|ul|ol|li|h\d)\b)[a-z!]",
                         html, re.I), html
    assert escape_markdown(escape_markdown(text)) == escape_markdown(text)


def test_escaped_markdown_keeps_quotes_and_text():
    html = markdown2html_mistune(escape_markdown("> a quote\n\np < 0.05 and **bold**"))
    assert "<blockquote>" in html and "p &lt; 0.05" in html and "<strong>bold</strong>" in html


def test_escape_student_markup_leaves_course_cells_and_escapes_student_cells():
    nb = quiz_notebook()
    course_cell = nb.cells[0]
    course_cell.source += "\n<b>course html</b>"
    answer = next(c for c in nb.cells if c.cell_type == "markdown"
                  and nbgrader_meta(c).get("solution"))  # the written answer
    answer.source = PAYLOAD
    added = nbformat.v4.new_markdown_cell(PAYLOAD)  # a cell the student added
    raw = nbformat.v4.new_raw_cell(PAYLOAD, metadata={"format": "text/html"})
    code = nbformat.v4.new_code_cell("x", outputs=[nbformat.v4.new_output(
        "display_data", data={"text/html": PAYLOAD, "application/javascript": "alert(1)",
                              "text/plain": "x"})])
    nb.cells += [added, raw, code]
    nb, _ = EscapeStudentMarkup().preprocess(nb, {})
    assert "<b>course html</b>" in nb.cells[0].source
    for cell in (answer, added, raw):
        assert "<" not in cell.source and "&lt;script>" in cell.source
    assert "format" not in raw.metadata
    data = code.outputs[0].data
    assert "application/javascript" not in data and "<script>" not in data["text/html"]
    assert not re.search(r"<(script|img)", data["text/html"])  # shown as text, not tags


def test_limit_output_size_cuts_one_huge_line():
    cell = nbformat.v4.new_code_cell("print('y' * 3_000_000)", outputs=[
        nbformat.v4.new_output("stream", name="stdout", text="y" * 3_000_000)])
    nb = nbformat.v4.new_notebook(cells=[cell])
    nb, _ = LimitOutputSize(max_chars=1000).preprocess(nb, {})
    text = nb.cells[0].outputs[0].text
    assert len(text) < 1200 and "Output truncated: 2999000 more characters" in text


def test_config_registers_the_preprocessors():
    from traitlets.config import Config, PyFileConfigLoader

    from painlab import paths

    config = PyFileConfigLoader("nbgrader_config.py", path=str(paths.COURSE)).load_config()
    assert isinstance(config, Config)
    sanitize = config.Autograde.sanitize_preprocessors
    autograde = config.Autograde.autograde_preprocessors
    assert "painlab.grading.preprocessors.SafeDeduplicateIds" in sanitize
    for steps in (sanitize, autograde):
        assert steps[-1] == "painlab.grading.preprocessors.CheckMetadataOnce"
        assert "nbgrader.preprocessors.CheckCellMetadata" not in steps
    assert "nbgrader.preprocessors.DeduplicateIds" not in sanitize
    assert sanitize.index("painlab.grading.preprocessors.RestoreMissingCells") < \
        sanitize.index("painlab.grading.preprocessors.EscapeStudentMarkup")
    assert autograde.index("painlab.grading.sandbox.SandboxedExecute") < \
        autograde.index("painlab.grading.preprocessors.EscapeStudentMarkup") < \
        autograde.index("painlab.grading.preprocessors.SaveAutoGradesOnce")
    assert "nbgrader.preprocessors.SaveAutoGrades" not in autograde
    assert "--InteractiveShell.xmode=Minimal" in config.Execute.extra_arguments
    assert "nbgrader.preprocessors.ClearHiddenTests" not in config.GenerateFeedback.preprocessors
    assert "painlab.grading.preprocessors.SafeClearHiddenTests" in \
        config.GenerateFeedback.preprocessors
    assert config.SandboxedExecute.sandbox == "auto"


def damaged(change):
    nb = quiz_notebook()
    change(by_id(nb, "q1_test").metadata)
    return nb


DAMAGE = {
    "schema too old": lambda m: m["nbgrader"].update(schema_version=1),
    "schema too new": lambda m: m["nbgrader"].update(schema_version=9),
    "no schema": lambda m: m["nbgrader"].pop("schema_version"),
    "points as text": lambda m: m["nbgrader"].update(points="four"),
    "grade not a bool": lambda m: m["nbgrader"].update(grade="yes"),
    "no points": lambda m: m["nbgrader"].pop("points"),
    "empty grade id": lambda m: m["nbgrader"].update(grade_id=""),
    "no grade id": lambda m: m["nbgrader"].pop("grade_id"),
    "unknown key": lambda m: m["nbgrader"].update(colour="red"),
    "duplicate id": lambda m: m["nbgrader"].update(grade_id="q1_answer"),
}


@pytest.mark.parametrize("name", sorted(DAMAGE))
def test_metadata_checked_once_fails_as_nbgraders_check(name):
    def outcome(step):
        nb = damaged(DAMAGE[name])
        try:
            step.preprocess(nb, {})
        except Exception as problem:  # noqa: BLE001 (compared below)
            return type(problem), str(problem), [c.metadata for c in nb.cells]
        return None, "", [c.metadata for c in nb.cells]

    theirs, ours = outcome(CheckCellMetadata()), outcome(CheckMetadataOnce())
    assert ours == theirs
    assert theirs[0] is not None  # every damage fails, with the same error
    one = MetadataValidatorOnce()
    nb = damaged(DAMAGE[name])
    for cell in nb.cells:
        try:
            MetadataValidator().validate_cell(cell)
            expected = None
        except Exception as problem:  # noqa: BLE001
            expected = (type(problem), str(problem))
        try:
            one.validate_cell(cell)
            got = None
        except Exception as problem:  # noqa: BLE001
            got = (type(problem), str(problem))
        assert got == expected


def graded_in(step, folder):
    """The grades and comments ``step`` saves for an autograded fixture quiz (one test failed,
    one partly right, the others passed), and the number of commits it made."""
    from nbformat.v4 import new_output
    from nbgrader.api import Gradebook
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    nb = quiz_notebook()
    url = f"sqlite:///{folder / 'gradebook.db'}"
    with Gradebook(url) as gb:
        gb.add_assignment("quiz")
        gb.add_notebook("quiz", "quiz")
        for cell in nb.cells:
            meta = nbgrader_meta(cell)
            if meta.get("grade"):
                gb.add_grade_cell(meta["grade_id"], "quiz", "quiz", max_score=meta["points"],
                                  cell_type=cell.cell_type)
            if meta.get("solution"):
                gb.add_solution_cell(meta["grade_id"], "quiz", "quiz")
        gb.add_student("ada")
        gb.add_submission("quiz", "ada")
    by_id(nb, "q1_test").outputs = [new_output("error", ename="AnswerFormError", evalue="no",
                                               traceback=[])]
    by_id(nb, "q2_test").outputs = [new_output("execute_result", data={"text/plain": "0.5"},
                                               execution_count=1)]
    commits = []
    listener = lambda connection: commits.append(1)  # noqa: E731
    event.listen(Engine, "commit", listener)
    try:
        step.preprocess(nb, {"nbgrader": {"notebook": "quiz", "assignment": "quiz",
                                          "student": "ada", "db_url": url}})
    finally:
        event.remove(Engine, "commit", listener)
    with Gradebook(url) as gb:
        notebook = gb.find_submission_notebook("quiz", "quiz", "ada")
        saved = ({g.name: (g.auto_score, g.needs_manual_grade) for g in notebook.grades},
                 {c.name: c.auto_comment for c in notebook.comments})
    return saved, len(commits)


def test_grades_saved_once_are_those_nbgrader_saves(tmp_path):
    (tmp_path / "theirs").mkdir()
    (tmp_path / "ours").mkdir()
    theirs, their_commits = graded_in(SaveAutoGrades(), tmp_path / "theirs")
    ours, our_commits = graded_in(SaveAutoGradesOnce(), tmp_path / "ours")
    assert ours == theirs
    assert theirs[0]["q1_test"][0] == 0 and theirs[0]["q2_test"][0] == 0.5
    # nbgrader commits after each of the 10 cells it saves, this once (opening commits too)
    assert their_commits - our_commits == 9


def with_delimiter_text_in_an_answer():
    nb = quiz_notebook()
    answer = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") ==
                  "q1_answer")
    answer.source += '\nnote = "### BEGIN HIDDEN TESTS are not for me"\n'
    nb.cells.append(nbformat.v4.new_code_cell("# BEGIN HIDDEN TESTS\nprint('mine')"))
    return nb


def test_nbgraders_clear_hidden_tests_fails_on_delimiter_text_in_an_answer():
    with pytest.raises(RuntimeError, match="hidden test"):
        ClearHiddenTests().preprocess(with_delimiter_text_in_an_answer(), {})


def test_safe_clear_hidden_tests_clears_test_cells_and_keeps_answers():
    original = with_delimiter_text_in_an_answer()
    hidden = [line for c in original.cells if nbgrader_meta(c).get("grade")
              for line in split_region(c.source, "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")[1]
              .splitlines() if len(line.strip()) > 8]
    assert hidden
    nb, _ = SafeClearHiddenTests().preprocess(original, {})
    text = "\n".join(c.source for c in nb.cells)
    for line in hidden:
        assert line not in text
    assert 'note = "### BEGIN HIDDEN TESTS are not for me"' in text
    assert "# BEGIN HIDDEN TESTS\nprint('mine')" in text


# --- the quiz notebook read once per command -------------------------------------------------
def _gradebook_of(folder, nb):
    """A gradebook holding ``nb`` (with a task cell added) as nbgrader's generate_assignment
    saves it; returns its url."""
    from nbgrader.api import Gradebook
    from nbgrader.preprocessors import ComputeChecksums, SaveCells

    folder.mkdir(exist_ok=True)
    url = f"sqlite:///{folder / 'gradebook.db'}"
    with Gradebook(url) as gb:
        gb.add_assignment("quiz")
        gb.add_student("ada")
    resources = {"nbgrader": {"notebook": "quiz", "assignment": "quiz", "db_url": url}}
    nb, _ = ComputeChecksums().preprocess(nb, resources)
    SaveCells().preprocess(nb, resources)
    return url


def with_task_cell(nb):
    task = nbformat.v4.new_markdown_cell("Describe the figure.", metadata={"nbgrader": {
        "grade": False, "grade_id": "task1", "locked": True, "points": 3, "schema_version": 3,
        "solution": False, "task": True}})
    nb.cells.insert(len(nb.cells) - 1, task)
    return nb


def _remove(grade_id):
    def change(nb):
        nb.cells.remove(by_id(nb, grade_id))
    return change


def _to_code(grade_id):
    def change(nb):
        cell = by_id(nb, grade_id)
        cell.cell_type, cell.outputs, cell.execution_count = "code", [], None
    return change


def _to_markdown(grade_id):
    def change(nb):
        cell = by_id(nb, grade_id)
        cell.cell_type = "markdown"
        del cell["outputs"], cell["execution_count"]
    return change


def _meta(grade_id, **values):
    def change(nb):
        by_id(nb, grade_id).metadata["nbgrader"].update(values)
    return change


def _source(grade_id, text):
    def change(nb):
        by_id(nb, grade_id).source += text
    return change


def _unknown_cell(nb):
    nb.cells.insert(3, nbformat.v4.new_code_cell("print('full marks')", metadata={"nbgrader": {
        "grade": True, "grade_id": "made_up", "locked": True, "points": 5, "schema_version": 3,
        "solution": False, "task": False}}))


TAMPERING = {
    "untouched": lambda nb: None,
    "test cell edited": _source("q1_test", "\nprint('all passed')"),
    "set-up cell edited": _source("setup", "\nx2 = 2"),
    "course text edited": _source("q1_text", " (worth 10 points)"),
    "task cell edited": _source("task1", " Or not."),
    "points edited": _meta("q2_test", points=100),
    "written answer points edited": _meta("q5_answer", points=9),
    "locked flag removed": _meta("q1_test", locked=False),
    "answer locked": _meta("q1_answer", locked=True),
    "grade flag on a set-up cell": _meta("setup", grade=True, points=1),
    "text cell made code": _to_code("q1_text"),
    "test cell made markdown": _to_markdown("q2_test"),
    "unknown grade id": _unknown_cell,
    "test cell deleted": _remove("q1_test"),
    "set-up cell deleted": _remove("setup"),
    "answer cell deleted": _remove("q2_answer"),
    "written answer deleted": _remove("q5_answer"),
    "task cell deleted": _remove("task1"),
    "first cell deleted": _remove("intro"),
}


EXPECTED = {
    "test cell edited": "Attribute 'checksum' for cell q1_test has changed",
    "set-up cell edited": "Attribute 'checksum' for cell setup has changed",
    "course text edited": "Attribute 'checksum' for cell q1_text has changed",
    "task cell edited": "Attribute 'checksum' for cell task1 has changed",
    "points edited": "Attribute 'points' for cell q2_test has changed",
    "written answer points edited": "Attribute 'points' for cell q5_answer has changed",
    "grade flag on a set-up cell": "No such grade cell: quiz/quiz/setup",
    "text cell made code": "Attribute 'cell_type' for cell q1_text has changed",
    "test cell made markdown": "Attribute 'cell_type' for cell q2_test has changed",
    "unknown grade id": "Cell 'made_up' does not exist in the database",
    "test cell deleted": "Cell q1_test was deleted from the submission",
    "set-up cell deleted": "Cell setup was deleted from the submission",
    "first cell deleted": "Cell intro was deleted from the submission",
    "written answer deleted": "Cell q5_answer was deleted from the submission",
}


class _LoggedTo:
    def __init__(self):
        import logging

        self.lines = []
        self.logger = logging.getLogger(f"test-{id(self)}")
        self.logger.propagate = False
        self.logger.setLevel(logging.DEBUG)
        handler = logging.Handler()
        handler.emit = lambda record: self.lines.append((record.levelname, record.getMessage()))
        self.logger.addHandler(handler)


def _written(nb) -> str:
    """The notebook as saved, without cell ids (a restored cell gets a new random one)."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        cell.pop("id", None)
    return repr(nb)


def _outcome(step, nb, resources):
    log = _LoggedTo()
    step.log = log.logger
    try:
        nb, _ = step.preprocess(nb, resources)
    except Exception as problem:  # noqa: BLE001 (compared)
        return (type(problem), str(problem)), _written(nb), log.lines
    return None, _written(nb), log.lines


def _queries(engine_event_target=None):
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    seen = []

    def listener(*args):
        seen.append(1)

    event.listen(Engine, "before_cursor_execute", listener)
    return seen, lambda: event.remove(Engine, "before_cursor_execute", listener)


class _QueryingRestore(RestoreMissingCells):
    """RestoreMissingCells with nbgrader's own ``OverwriteCells.preprocess``: every lookup a
    gradebook query, as before the quiz notebook was read once per command."""

    preprocess = OverwriteCells.preprocess


def _tampered(name: str, folder):
    """The resources of a gradebook holding the fixture quiz (with a task cell), and a maker of
    fresh copies of its submission with the tampering ``name`` done to it."""
    url = _gradebook_of(folder, with_task_cell(quiz_notebook()))
    resources = {"nbgrader": {"notebook": "quiz", "assignment": "quiz", "db_url": url}}
    submitted = with_task_cell(quiz_notebook())
    TAMPERING[name](submitted)
    return resources, lambda: copy.deepcopy(submitted)


@pytest.mark.parametrize("name", sorted(TAMPERING))
def test_restored_cells_are_those_restored_with_a_query_per_cell(name, tmp_path):
    from nbconvert.exporters import NotebookExporter

    resources, submission = _tampered(name, tmp_path)
    theirs = _outcome(_QueryingRestore(), submission(), resources)
    command = NotebookExporter()  # one nbgrader command: the notebook is read once
    first = _outcome(RestoreMissingCells(parent=command), submission(), resources)
    seen, stop = _queries()
    try:
        second = _outcome(RestoreMissingCells(parent=command), submission(), resources)
    finally:
        stop()
    assert first == theirs
    assert second == theirs
    assert seen == []  # the second notebook of the command asks the gradebook nothing
    error, _, lines = theirs
    if name in EXPECTED:  # and the step noticed the tampering as nbgrader does
        assert EXPECTED[name] in str(error) + repr(lines)


@pytest.mark.parametrize("name", sorted(n for n in TAMPERING if "deleted" not in n))
def test_checked_cells_are_those_nbgraders_overwrite_cells_checks(name, tmp_path):
    resources, submission = _tampered(name, tmp_path)
    theirs = _outcome(OverwriteCells(), submission(), resources)
    ours = _outcome(RestoreMissingCells(add_missing_cells=False), submission(), resources)
    assert ours == theirs


def test_a_notebook_unknown_to_the_gradebook_fails_as_with_a_query_per_cell(tmp_path):
    url = _gradebook_of(tmp_path, quiz_notebook())
    resources = {"nbgrader": {"notebook": "other", "assignment": "quiz", "db_url": url}}
    submitted = quiz_notebook()
    theirs = _outcome(_QueryingRestore(), copy.deepcopy(submitted), resources)
    ours = _outcome(RestoreMissingCells(), submitted, resources)
    assert ours == theirs
    assert theirs[0][0].__name__ == "MissingEntry"


def test_kernelspec_overwritten_once_is_nbgraders(tmp_path):
    from nbconvert.exporters import NotebookExporter
    from nbgrader.preprocessors import OverwriteKernelspec

    from painlab.grading.preprocessors import OverwriteKernelspecOnce

    url = _gradebook_of(tmp_path, quiz_notebook())
    resources = {"nbgrader": {"notebook": "quiz", "assignment": "quiz", "db_url": url}}

    submitted = quiz_notebook()
    submitted.metadata["kernelspec"] = {"name": "evil", "display_name": "Evil", "language": "sh"}

    def submission():
        return copy.deepcopy(submitted)

    theirs = _outcome(OverwriteKernelspec(), submission(), resources)
    command = NotebookExporter()
    assert _outcome(OverwriteKernelspecOnce(parent=command), submission(), resources) == theirs
    assert _outcome(OverwriteKernelspecOnce(parent=command), submission(), resources) == theirs
    assert "'name': 'evil'" not in theirs[1] and len(theirs[2]) == 3


def test_config_reads_the_kernelspec_once():
    from traitlets.config import PyFileConfigLoader

    from painlab import paths

    config = PyFileConfigLoader("nbgrader_config.py", path=str(paths.COURSE)).load_config()
    sanitize = config.Autograde.sanitize_preprocessors
    assert "nbgrader.preprocessors.OverwriteKernelspec" not in sanitize
    assert sanitize.index("painlab.grading.preprocessors.OverwriteKernelspecOnce") < \
        sanitize.index("painlab.grading.preprocessors.RestoreMissingCells")


# --- grades saved with one query per notebook ------------------------------------------------
def _saved_with(step, folder, change=None):
    """What ``step`` saves (grades, comments, or its error) for the fixture quiz with a task
    cell, a manual score already given and ``change`` made to the notebook first."""
    from nbformat.v4 import new_output
    from nbgrader.api import Gradebook

    nb = with_task_cell(quiz_notebook())
    url = _gradebook_of(folder, copy.deepcopy(nb))
    with Gradebook(url) as gb:
        gb.add_submission("quiz", "ada")
        gb.find_grade("q3_test", "quiz", "quiz", "ada").manual_score = 0.5
        gb.db.commit()
    by_id(nb, "q1_test").outputs = [new_output("error", ename="AnswerFormError", evalue="no",
                                               traceback=[])]
    by_id(nb, "q2_test").outputs = [new_output("execute_result", data={"text/plain": "0.5"},
                                               execution_count=1)]
    by_id(nb, "q2_answer").source = "x2 = 2"
    if change:
        change(nb)
    resources = {"nbgrader": {"notebook": "quiz", "assignment": "quiz", "student": "ada",
                              "db_url": url}}
    outcome = _outcome(step, nb, resources)
    with Gradebook(url) as gb:
        notebook = gb.find_submission_notebook("quiz", "quiz", "ada")
        saved = ({g.name: (g.auto_score, g.manual_score, g.needs_manual_grade)
                  for g in notebook.grades},
                 {c.name: c.auto_comment for c in notebook.comments})
    return outcome, saved


@pytest.mark.parametrize("change", ["none", "unknown grade cell", "unknown answer cell"])
def test_grades_saved_with_one_query_are_those_nbgrader_saves(change, tmp_path):
    changes = {"none": None, "unknown grade cell": _unknown_cell,
               "unknown answer cell": lambda nb: by_id(nb, "q2_answer").metadata[
                   "nbgrader"].update(grade_id="not_in_gradebook")}
    theirs = _saved_with(SaveAutoGrades(), tmp_path / "theirs", changes[change])
    seen, stop = _queries()
    try:
        ours = _saved_with(SaveAutoGradesOnce(), tmp_path / "ours", changes[change])
    finally:
        stop()
    grades, comments = theirs[1]
    if change == "none":
        assert ours == theirs
        assert theirs[0][0] is None
        assert grades["q3_test"] == (1.0, 0.5, True)  # a manual score is kept, for review
        assert grades["q1_test"][0] == 0 and grades["q2_test"][0] == 0.5
        assert grades["q5_answer"] == (None, None, True)  # a written answer, marked by hand
        assert set(comments) == {"q1_answer", "q2_answer", "q3_answer", "q4_answer",
                                 "q5_answer", "task1"}
    else:
        # nbgrader's MissingEntry, the same log; nbgrader keeps the cells saved before it
        # (one commit per cell), the one transaction none (RestoreMissingCells, which runs
        # first at autograde, leaves no unknown grade id for this step to meet)
        assert ours[0] == theirs[0] and theirs[0][0][0].__name__ == "MissingEntry"
        assert all(auto is None for auto, _, _ in ours[1][0].values())


def test_grades_of_one_notebook_are_read_in_two_queries(tmp_path):
    counts = []
    for step in (SaveAutoGrades(), SaveAutoGradesOnce()):
        folder = tmp_path / type(step).__name__
        seen, stop = _queries()
        try:
            _saved_with(step, folder)
        finally:
            stop()
        counts.append(len(seen))
    # 6 grade and 6 comment lookups, 1-2 queries each, become 2 queries
    assert counts[0] - counts[1] >= 10


# --- HTML sanitized once per command ---------------------------------------------------------
def test_html_sanitized_once_per_command_is_nbconverts(monkeypatch):
    from nbconvert.exporters import NotebookExporter
    from nbconvert.preprocessors.sanitize import SanitizeHTML

    htmls = [PAYLOAD, "<b>bold</b><style>x{}</style>", "<div onclick='x()'>a</div>",
             "<p style='color: red; position: fixed'>styled</p>", "plain"]

    def notebook():
        cells = [nbformat.v4.new_code_cell("x", outputs=[nbformat.v4.new_output(
            "display_data", data={"text/html": html, "text/plain": "x",
                                  "application/javascript": "alert(1)"})]) for html in htmls]
        return nbformat.v4.new_notebook(cells=cells)

    expected = []
    for html in htmls:
        out = nbformat.v4.new_output("display_data", data={"text/html": html})
        expected.append(SanitizeHTML().sanitize_code_outputs([out])[0].data["text/html"])
    calls = []
    clean = SanitizeHTML.sanitize_html_tags
    monkeypatch.setattr(SanitizeHTML, "sanitize_html_tags",
                        lambda self, text: calls.append(text) or clean(self, text))
    command = NotebookExporter()
    for _ in range(3):
        nb, _ = EscapeStudentMarkup(parent=command).preprocess(notebook(), {})
        assert [c.outputs[0].data["text/html"] for c in nb.cells] == expected
        assert all("application/javascript" not in c.outputs[0].data for c in nb.cells)
    assert calls == htmls  # bleach ran once for each text
    nb, _ = EscapeStudentMarkup(parent=NotebookExporter()).preprocess(notebook(), {})
    assert calls == htmls * 2  # a new command sanitizes again
