"""Synthetic submissions for any quiz, built from its released notebook and its source.

Each behaviour edits the released notebook's cells the way a student might (answers taken from
the source's solution regions) and states its expected autograded score, computed from the
quiz's points, never by running the grader. New quizzes join automatically: the behaviours only
rely on the nbgrader conventions of the quizzes (answer cells followed by their test cell).

    released = nbformat.read("release/<quiz>/<quiz>.ipynb", 4)
    for sub in generic_submissions(Quiz("<quiz>"), released): ...
"""

import copy
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import nbformat

from painlab.grading.quizinfo import Question, Quiz, nbgrader_meta

WRITTEN_ANSWER = ("My appraisal: I judge this claim on the trials I could find, name the "
                  "technique the page uses, and say what it leaves out.")
XSS_ANSWER = ("My appraisal <script>alert(1)</script> and an image "
              "<img src=x onerror=alert(1)> and a [link](javascript:alert(1)).")
INFINITE_LOOP = "while True:\n    pass\n"
IMPORT_ERROR = "import painlab_module_that_does_not_exist\n"
HUGE_OUTPUT = ('for line in range(100_000):\n    print(line, "pain " * 8)\n'
               'print("y" * 3_000_000)\n')


@dataclass
class Submission:
    behaviour: str
    quiz: str
    files: dict[str, bytes]  # file name -> content, as the student leaves the folder
    expected_auto: float | None  # autograded points; None: not graded
    expected_status: str  # graded | needs-manual-grading | not-graded
    reason: str = ""  # a word the export's reason must contain
    description: str = ""


class Builder:
    """Edits of one released notebook."""

    def __init__(self, quiz: Quiz, released):
        self.quiz = quiz
        self.released = released
        self.notebook_name = f"{quiz.name}.ipynb"

    # --- cells ----------------------------------------------------------------------------
    def fresh(self):
        return copy.deepcopy(self.released)

    @staticmethod
    def index(nb, grade_id: str) -> int:
        return next(i for i, c in enumerate(nb.cells) if nbgrader_meta(c).get("grade_id") == grade_id)

    def cell(self, nb, grade_id: str):
        return nb.cells[self.index(nb, grade_id)]

    def answer(self, nb, questions: list[Question] | None = None, written: str = WRITTEN_ANSWER):
        """Fill the answer cells of the given questions (default: all) with the solution."""
        for question in self.quiz.questions if questions is None else questions:
            for answer_id in question.answer_ids:
                if question.manual:
                    self.cell(nb, answer_id).source = written
                else:
                    self.cell(nb, answer_id).source = self.quiz.solution_source(answer_id)
        return nb

    def perfect(self):
        return self.answer(self.fresh())

    def first(self) -> Question:
        return self.quiz.auto_questions[0]

    # --- files ----------------------------------------------------------------------------
    def files(self, nb, name: str | None = None) -> dict[str, bytes]:
        return {name or self.notebook_name: nbformat.writes(nb).encode("utf-8")}

    @property
    def total(self) -> float:
        return self.quiz.auto_points

    def status(self, written: bool) -> str:
        return "needs-manual-grading" if written and self.quiz.manual_questions else "graded"


def _perfect(b: Builder):
    return b.files(b.perfect()), b.total, b.status(True), "", "every answer right"


def _blank(b: Builder):
    return b.files(b.fresh()), 0.0, "graded", "", "submitted as released"


def _none(b: Builder):
    nb = b.fresh()
    for question in b.quiz.auto_questions:
        for answer_id in question.answer_ids:
            cell = b.cell(nb, answer_id)
            cell.source = re.sub(r"(?<![\w.])\.\.\.(?![\w.])", "None", cell.source)
    return b.files(nb), 0.0, "graded", "", "every ... replaced by None"


def _partly(b: Builder):
    answered = b.quiz.auto_questions[::2]
    nb = b.answer(b.fresh(), answered)
    return (b.files(nb), sum(q.points for q in answered), "graded", "",
            "questions 1, 3, 5... answered right, the others left blank")


def _answer_deleted(b: Builder):
    nb = b.perfect()
    for answer_id in b.first().answer_ids:
        del nb.cells[b.index(nb, answer_id)]
    return (b.files(nb), b.total - b.first().points, b.status(True), "missing",
            f"answer cell of {b.first().grade_id} deleted")


def _test_deleted(b: Builder):
    nb = b.perfect()
    del nb.cells[b.index(nb, b.first().grade_id)]
    return (b.files(nb), b.total, b.status(True), "missing",
            f"test cell {b.first().grade_id} deleted (nbgrader puts it back)")


def _tests_edited_pass(b: Builder):
    nb = b.fresh()
    for test_id in b.quiz.test_ids:
        b.cell(nb, test_id).source = "pass"
    return (b.files(nb), 0.0, "graded", "edited",
            "blank answers, every test cell replaced by `pass` (restored at autograde)")


def _test_edited_assert(b: Builder):
    nb = b.answer(b.fresh(), b.quiz.auto_questions[1:] + b.quiz.manual_questions)
    b.cell(nb, b.first().grade_id).source = "assert True"
    return (b.files(nb), b.total - b.first().points, b.status(True), "edited",
            f"first answer blank, its test {b.first().grade_id} replaced by `assert True`")


def _broken_first_answer(b: Builder, code: str, reason: str, description: str):
    """A perfect submission whose first answer cell starts with `code`: that question scores 0."""
    nb = b.perfect()
    cell = b.cell(nb, b.first().answer_ids[0])
    cell.source = code + cell.source
    return (b.files(nb), b.total - b.first().points, b.status(True), reason, description)


def _infinite_loop(b: Builder):
    return _broken_first_answer(b, INFINITE_LOOP, "timed out",
                                "an infinite loop at the top of the first answer cell")


def _import_error(b: Builder):
    return _broken_first_answer(b, IMPORT_ERROR, "ModuleNotFoundError",
                                "the first answer cell imports a module that does not exist")


def _huge_output(b: Builder):
    nb = b.perfect()
    cell = b.cell(nb, b.first().answer_ids[0])
    cell.source = cell.source + "\n" + HUGE_OUTPUT
    # the student ran it: the saved notebook carries megabytes of output too
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="pain " * 1_000_000)]
    return (b.files(nb), b.total, b.status(True), "truncated",
            "the first answer cell prints megabytes")


def _renamed(b: Builder):
    files = b.files(b.perfect(), f"{b.quiz.name}-Copy1.ipynb")
    files["Untitled.ipynb"] = nbformat.writes(nbformat.v4.new_notebook()).encode("utf-8")
    return (files, b.total, b.status(True), "renamed",
            "the notebook renamed, next to an empty Untitled.ipynb (fixed by the report)")


def _renamed_twice(b: Builder):
    perfect = b.perfect()
    files = {**b.files(perfect, f"{b.quiz.name} (1).ipynb"),
             **b.files(perfect, f"{b.quiz.name} (2).ipynb")}
    return (files, None, "not-graded", "renamed",
            "two renamed copies and no notebook with the expected name (cannot be guessed)")


def _corrupt(b: Builder):
    text = nbformat.writes(b.perfect())
    return ({b.notebook_name: text[: len(text) // 2].encode("utf-8")}, None, "not-graded",
            "corrupt", "the notebook's JSON is cut in half")


def _duplicate_id(b: Builder):
    nb = b.perfect()
    answer_id = b.first().answer_ids[0]
    position = b.index(nb, answer_id)
    original = copy.deepcopy(nb.cells[position])
    original.source = b.cell(b.released, answer_id).source  # the first copy stays blank
    if "id" in original:
        original["id"] = uuid.uuid4().hex[:8]  # JupyterLab gives a pasted cell a new id
    nb.cells.insert(position, original)
    return (b.files(nb), b.total, b.status(True), "duplicate",
            f"answer cell {answer_id} copied; the blank copy comes first")


def _html_injection(b: Builder):
    nb = b.answer(b.fresh(), written=XSS_ANSWER)
    return (b.files(nb), b.total, b.status(True), "", "script and onerror in the written answer")


GENERIC: dict[str, Callable[[Builder], tuple]] = {
    "duplicate-id": _duplicate_id,  # sorts first: nbgrader's abort would hit everyone after it
    "perfect": _perfect,
    "blank": _blank,
    "none": _none,
    "partly-right": _partly,
    "answer-deleted": _answer_deleted,
    "test-deleted": _test_deleted,
    "tests-edited-pass": _tests_edited_pass,
    "test-edited-assert": _test_edited_assert,
    "infinite-loop": _infinite_loop,
    "import-error": _import_error,
    "huge-output": _huge_output,
    "renamed": _renamed,
    "renamed-twice": _renamed_twice,
    "corrupt": _corrupt,
    "html-injection": _html_injection,
}


def generic_submissions(quiz: Quiz, released, behaviours: list[str] | None = None
                        ) -> list[Submission]:
    builder = Builder(quiz, released)
    subs = []
    for name in behaviours or list(GENERIC):
        if name == "html-injection" and not quiz.manual_questions:
            continue
        files, expected, status, reason, description = GENERIC[name](builder)
        subs.append(Submission(name, quiz.name, files, expected, status, reason, description))
    return subs


def with_answers(quiz: Quiz, released, sources: dict[str, str]) -> bytes:
    """The perfect notebook with some answer cells replaced by ``sources`` (grade_id -> code)."""
    builder = Builder(quiz, released)
    nb = builder.perfect()
    for grade_id, source in sources.items():
        builder.cell(nb, grade_id).source = source
    return nbformat.writes(nb).encode("utf-8")


def notebook_text(files: dict[str, bytes]) -> str:
    """All text a student put in their files (to tell their own answers from leaked solutions)."""
    out = []
    for content in files.values():
        try:
            nb = json.loads(content)
            out.extend("".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                       for c in nb["cells"])
        except (ValueError, KeyError, TypeError):
            out.append(content.decode("utf-8", "replace"))
    return "\n".join(out)
