"""What a quiz source notebook holds: questions, points, answer cells, solutions, hidden tests,
answer keys and rubrics, read with nbgrader's own delimiters.

Used by self-grading (explanations after grading), the pre-grading report (what the released
cells look like), the synthetic submissions of the tests and the leak checks on feedback.
"""

import ast
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import nbformat

from painlab import paths

BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"
BEGIN_HIDDEN = "### BEGIN HIDDEN TESTS"
END_HIDDEN = "### END HIDDEN TESTS"
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*$", re.MULTILINE)


def nbgrader_meta(cell) -> dict:
    meta = cell.get("metadata", {}).get("nbgrader")
    return meta if isinstance(meta, dict) else {}


def split_region(source: str, begin: str, end: str) -> tuple[str, str]:
    """(text outside the region, text inside it), delimiter lines dropped."""
    outside, inside, in_region = [], [], False
    for line in source.split("\n"):
        if begin in line:
            in_region = True
        elif end in line:
            in_region = False
        else:
            (inside if in_region else outside).append(line)
    return "\n".join(outside), "\n".join(inside)


def without_markers(source: str, begin: str, end: str) -> str:
    """The source with the delimiter lines removed and both parts kept."""
    return "\n".join(line for line in source.split("\n") if begin not in line and end not in line)


@dataclass
class Question:
    """One graded cell: an autograded test cell, or a hand-graded written answer."""

    grade_id: str
    title: str
    points: float
    manual: bool
    answer_ids: list[str] = field(default_factory=list)  # the answer cells the test reads
    visible: str = ""  # test lines students see
    hidden: str = ""  # hidden test lines
    rubric: str = ""  # solution region of a written answer

    @property
    def hidden_comments(self) -> list[str]:
        return [line.strip().lstrip("#").strip() for line in self.hidden.split("\n")
                if line.strip().startswith("#")]

    @property
    def answer_keys(self) -> dict[str, dict]:
        """Dict literals in the hidden tests shaped like {claim: {"accept": {...}, "why": ...}}
        (the quizzes' ANSWER_KEY convention), by variable name."""
        keys = {}
        try:
            tree = ast.parse(self.hidden)
        except SyntaxError:
            return keys
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(
                    node.targets[0], ast.Name):
                try:
                    value = ast.literal_eval(node.value)
                except (ValueError, SyntaxError, TypeError):
                    continue
                if isinstance(value, dict) and value and all(
                        isinstance(v, dict) and "accept" in v for v in value.values()):
                    keys[node.targets[0].id] = value
        return keys


class Quiz:
    """A quiz source notebook, autograded/source/<name>/<name>.ipynb."""

    def __init__(self, name: str, source_dir: Path | None = None,
                 notebook: str | None = None):
        self.name = name
        self.folder = Path(source_dir or paths.QUIZ_SOURCES) / name
        self.notebook_name = notebook or name
        self.path = self.folder / f"{self.notebook_name}.ipynb"
        if not self.path.is_file():
            raise FileNotFoundError(f"no quiz {name!r}: {self.path} does not exist")
        self.notebook = nbformat.read(self.path, as_version=4)

    @property
    def notebook_names(self) -> list[str]:
        """Every notebook of the quiz (nbgrader grades each one; most quizzes have one)."""
        return sorted(p.stem for p in self.folder.glob("*.ipynb"))

    @cached_property
    def cells_by_id(self) -> dict:
        return {nbgrader_meta(c)["grade_id"]: c for c in self.notebook.cells
                if nbgrader_meta(c).get("grade_id")}

    @cached_property
    def questions(self) -> list[Question]:
        questions, title, answers = [], self.name, []
        for cell in self.notebook.cells:
            meta = nbgrader_meta(cell)
            if cell.cell_type == "markdown" and not meta.get("solution"):
                heading = _HEADING.search(cell.source)
                if heading:
                    title = heading.group(1).strip()
            if not meta:
                continue
            if meta.get("solution") and not meta.get("grade"):
                answers.append(meta["grade_id"])
            elif meta.get("grade") and meta.get("solution"):  # written answer, hand-graded
                _, rubric = split_region(cell.source, BEGIN_SOLUTION, END_SOLUTION)
                questions.append(Question(meta["grade_id"], title, float(meta["points"]), True,
                                          [meta["grade_id"]], rubric=rubric.strip()))
            elif meta.get("grade"):
                visible, hidden = split_region(cell.source, BEGIN_HIDDEN, END_HIDDEN)
                questions.append(Question(meta["grade_id"], title, float(meta["points"]),
                                          False, answers, visible.strip(), hidden.strip()))
                answers = []
        return questions

    @property
    def auto_questions(self) -> list[Question]:
        return [q for q in self.questions if not q.manual]

    @property
    def manual_questions(self) -> list[Question]:
        return [q for q in self.questions if q.manual]

    @property
    def auto_points(self) -> float:
        return sum(q.points for q in self.auto_questions)

    @property
    def manual_points(self) -> float:
        return sum(q.points for q in self.manual_questions)

    def question(self, grade_id: str) -> Question:
        return next(q for q in self.questions if q.grade_id == grade_id)

    def solution_source(self, grade_id: str) -> str:
        """An answer cell as a student who knew the solution would leave it: the template and
        the solution, delimiters removed (for a written answer: the solution region only)."""
        cell = self.cells_by_id[grade_id]
        if cell.cell_type == "markdown":
            return split_region(cell.source, BEGIN_SOLUTION, END_SOLUTION)[1].strip()
        return without_markers(cell.source, BEGIN_SOLUTION, END_SOLUTION)

    def released_source(self, grade_id: str) -> str:
        """A locked cell as released to students (hidden tests removed)."""
        return split_region(self.cells_by_id[grade_id].source, BEGIN_HIDDEN, END_HIDDEN)[0]

    @property
    def locked_ids(self) -> list[str]:
        return [gid for gid, c in self.cells_by_id.items()
                if nbgrader_meta(c).get("locked") and not nbgrader_meta(c).get("solution")]

    @property
    def answer_ids(self) -> list[str]:
        return [gid for gid, c in self.cells_by_id.items() if nbgrader_meta(c).get("solution")]

    @property
    def test_ids(self) -> list[str]:
        return [q.grade_id for q in self.auto_questions]

    def _region_lines(self, begin: str, end: str, min_chars: int) -> list[str]:
        released = "\n".join(split_region(split_region(c.source, BEGIN_HIDDEN, END_HIDDEN)[0],
                                          BEGIN_SOLUTION, END_SOLUTION)[0]
                             for c in self.notebook.cells)
        lines = []
        for cell in self.notebook.cells:
            for line in split_region(cell.source, begin, end)[1].split("\n"):
                text = line.strip()
                if len(text.replace(" ", "")) >= min_chars and text not in released \
                        and text not in lines:
                    lines.append(text)
        return lines

    def hidden_lines(self, min_chars: int = 8) -> list[str]:
        """Lines of the hidden tests that the released notebook does not contain."""
        return self._region_lines(BEGIN_HIDDEN, END_HIDDEN, min_chars)

    def solution_lines(self, min_chars: int = 8) -> list[str]:
        """Lines of the solutions (code and rubrics) that the released notebook does not
        contain."""
        return self._region_lines(BEGIN_SOLUTION, END_SOLUTION, min_chars)


def load_quiz(name: str) -> Quiz:
    return Quiz(name)
