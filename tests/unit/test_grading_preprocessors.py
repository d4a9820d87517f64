"""The autograde preprocessors, on notebooks built in memory (no nbgrader run)."""

import copy
import re

import nbformat
import pytest
from nbconvert.filters.markdown_mistune import markdown2html_mistune
from nbgrader.nbgraderformat import MetadataValidator, SchemaTooOldError
from nbgrader.preprocessors import (
    CheckCellMetadata,
    ClearHiddenTests,
    DeduplicateIds,
    NbGraderPreprocessor,
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


def test_grades_saved_once_are_those_nbgrader_saves(tmp_path, monkeypatch):
    import os
    import sys

    # a new gradebook runs `alembic` (installed beside this Python)
    monkeypatch.setenv("PATH", os.pathsep.join([os.path.dirname(sys.executable),
                                                os.environ.get("PATH", "")]))
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
