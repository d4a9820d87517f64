"""Inspect collected submissions before grading, and fix what can be fixed.

Looks at ``submitted/<student>/<quiz>/`` the way nbgrader will, and names every problem:
renamed or missing notebooks, corrupt JSON, deleted answer or test cells, copied cells (duplicate
grade ids), edited locked cells, damaged cell metadata. Fixes (``fix_renamed``,
``set_aside_corrupt``) are logged in ``set-aside/fixes.jsonl`` so the grade export can say what
happened to each submission.
"""

import json
import shutil
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import nbformat

from painlab.grading.preprocessors import _hidden_keys, _squash
from painlab.grading.quizinfo import BEGIN_HIDDEN, END_HIDDEN, Quiz, nbgrader_meta

SET_ASIDE = "set-aside"
FIXES_LOG = "fixes.jsonl"

# kinds of problem
RENAMED = "renamed"
CORRUPT = "corrupt"
MISSING_NOTEBOOK = "missing-notebook"
EXTRA_NOTEBOOK = "extra-notebook"
MISSING_CELL = "missing-cell"
DUPLICATE_ID = "duplicate-id"
EDITED_LOCKED = "edited-locked"
DAMAGED_METADATA = "damaged-metadata"


@dataclass
class Problem:
    student: str
    quiz: str
    kind: str
    message: str
    blocks: bool  # True: nbgrader cannot grade this notebook as it is
    notebook: str = ""  # the expected notebook concerned (name without .ipynb)
    file: str = ""  # the file concerned, relative to the submission folder
    fix: str = ""  # the report option that fixes it, if any
    candidates: list[str] = field(default_factory=list)


# --- reading the course -----------------------------------------------------------------------
def expected_notebooks(course: Path, quiz: str) -> list[str]:
    return sorted(p.stem for p in (Path(course) / "source" / quiz).glob("*.ipynb"))


def submission_folder(course: Path, student: str, quiz: str) -> Path:
    return Path(course) / "submitted" / student / quiz


def submitted_students(course: Path, quiz: str) -> list[str]:
    root = Path(course) / "submitted"
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / quiz).is_dir())


def set_aside_students(course: Path, quiz: str) -> list[str]:
    root = Path(course) / SET_ASIDE
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / quiz).is_dir())


def roster(course: Path) -> list[str]:
    """Student ids in the gradebook (imported roster and everyone autograded so far)."""
    db = Path(course) / "gradebook.db"
    if not db.is_file():
        return []
    from nbgrader.api import Gradebook

    from painlab.grading.course import COURSE_ID

    with Gradebook(f"sqlite:///{db}", course_id=COURSE_ID) as gradebook:
        return sorted(s.id for s in gradebook.students)


def read_notebook(path: Path):
    """The notebook, or raise ValueError with a sentence that says what is wrong."""
    raw = Path(path).read_bytes()
    if not raw.strip():
        raise ValueError("the file is empty")
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as problem:
        raise ValueError(f"the file is not UTF-8 text ({problem.reason})") from None
    except json.JSONDecodeError as problem:
        raise ValueError(f"not valid JSON ({problem.msg} at line {problem.lineno}, column "
                         f"{problem.colno})") from None
    if not isinstance(data, dict) or "cells" not in data:
        raise ValueError("valid JSON but not a notebook (no 'cells')")
    try:
        return nbformat.reads(json.dumps(data), as_version=4)
    except Exception as problem:  # nbformat raises several kinds
        raise ValueError(f"not a readable notebook ({type(problem).__name__}: "
                         f"{str(problem).splitlines()[0][:200]})") from None


def _has_quiz_cells(path: Path, quiz: Quiz) -> bool:
    try:
        nb = read_notebook(path)
    except (ValueError, OSError):
        return False
    ids = {nbgrader_meta(c).get("grade_id") for c in nb.cells}
    return bool(ids & set(quiz.cells_by_id))


# --- inspection ---------------------------------------------------------------------------------
def inspect_cells(nb, quiz: Quiz, student: str, quiz_name: str, notebook: str) -> list[Problem]:
    problems = []

    def add(kind, message, blocks=False):
        problems.append(Problem(student, quiz_name, kind, message, blocks, notebook,
                                f"{notebook}.ipynb"))

    from nbgrader.nbgraderformat import MetadataValidator
    validator = MetadataValidator()
    counts, present, damaged = Counter(), {}, set()
    for index, cell in enumerate(nb.cells):
        raw = cell.get("metadata", {}).get("nbgrader")
        if raw is None:
            continue
        try:
            if not isinstance(raw, dict):
                raise ValueError("not a dict")
            validator.validate_cell(cell)
        except Exception as problem:  # SchemaMismatchError, jsonschema ValidationError...
            if isinstance(raw, dict) and raw.get("grade_id"):
                damaged.add(raw["grade_id"])
            add(DAMAGED_METADATA, f"cell {index + 1} has damaged nbgrader metadata "
                f"({str(problem).splitlines()[0][:80]}); it is treated as an ordinary cell "
                "at autograde")
            continue
        grade_id = raw.get("grade_id")
        if grade_id:
            counts[grade_id] += 1
            present[grade_id] = cell
    for grade_id, count in counts.items():
        if count > 1:
            add(DUPLICATE_ID, f"duplicate grade id {grade_id}: it appears {count} times (a copied "
                "cell); the last copy is graded, the others run as ordinary cells")
    tests = set(quiz.test_ids)
    for grade_id in quiz.cells_by_id:
        if grade_id in present:
            continue
        meta = nbgrader_meta(quiz.cells_by_id[grade_id])
        if grade_id in tests:
            add(MISSING_CELL, f"test cell {grade_id} is missing (deleted): it is put back and "
                "graded at autograde")
        elif meta.get("solution") and meta.get("grade"):
            add(MISSING_CELL, f"written answer {grade_id} is missing (deleted): it is put back "
                "empty and scores 0")
        elif meta.get("solution") and grade_id in damaged:
            continue  # runs as an ordinary cell: the answer still counts
        elif meta.get("solution"):
            question = next((q for q in quiz.auto_questions if grade_id in q.answer_ids), None)
            what = f" ({question.title})" if question else ""
            add(MISSING_CELL, f"answer cell {grade_id} is missing (deleted): its question"
                f"{what} scores 0 unless the student resubmits")
        elif meta.get("locked"):
            add(MISSING_CELL, f"locked cell {grade_id} is missing (deleted): it is put back at "
                "autograde")
    edited, retyped, repointed = [], [], []
    for grade_id in quiz.locked_ids:
        cell = present.get(grade_id)
        if cell is None:
            continue
        original = quiz.cells_by_id[grade_id]
        if cell.cell_type != original.cell_type:
            retyped.append(grade_id)
        elif cell.source.rstrip() != quiz.released_source(grade_id).rstrip():
            edited.append(grade_id)
        elif grade_id in tests and float(nbgrader_meta(cell).get("points", -1)) != float(
                nbgrader_meta(original).get("points", -2)):
            repointed.append(grade_id)
    for ids, what in ((edited, "edited"), (retyped, "changed to another cell type"),
                      (repointed, "given other points")):
        if ids:
            cells = f"locked cell {ids[0]} was" if len(ids) == 1 else \
                f"locked cells {', '.join(ids)} were"
            add(EDITED_LOCKED, f"{cells} {what}: the original is restored at autograde")
    return problems


def inspect_submission(course: Path, quiz_name: str, student: str) -> list[Problem]:
    course = Path(course)
    folder = submission_folder(course, student, quiz_name)
    expected = expected_notebooks(course, quiz_name)
    problems: list[Problem] = []
    if not folder.is_dir():
        return problems
    found = sorted(p.name for p in folder.glob("*.ipynb"))
    strays = [name for name in found if name[:-len(".ipynb")] not in expected]
    for notebook in expected:
        quiz = Quiz(quiz_name, course / "source", notebook)
        path = folder / f"{notebook}.ipynb"
        if path.is_file():
            try:
                nb = read_notebook(path)
            except ValueError as problem:
                problems.append(Problem(
                    student, quiz_name, CORRUPT,
                    f"{path.name} is corrupt: {problem}. nbgrader would fail this student's "
                    f"whole submission", True, notebook, path.name, "--set-aside-corrupt"))
                continue
            problems.extend(inspect_cells(nb, quiz, student, quiz_name, notebook))
            continue
        candidates = [name for name in strays if _has_quiz_cells(folder / name, quiz)]
        aside = [r for r in read_fixes(course, quiz_name) if r["student"] == student
                 and r["action"] == "set-aside" and r["from"] == f"{notebook}.ipynb"]
        if aside and not candidates:
            problems.append(Problem(
                student, quiz_name, CORRUPT,
                f"{notebook}.ipynb was corrupt and is set aside in {aside[-1]['to']}: not graded "
                "until the student submits a readable copy", True, notebook, f"{notebook}.ipynb"))
        elif len(candidates) == 1:
            problems.append(Problem(
                student, quiz_name, RENAMED,
                f"renamed notebook: {notebook}.ipynb is missing and {candidates[0]!r} holds the "
                "quiz; nbgrader would skip it", True, notebook, candidates[0], "--fix-renamed",
                candidates))
        elif candidates:
            problems.append(Problem(
                student, quiz_name, RENAMED,
                f"renamed notebook: {notebook}.ipynb is missing and {len(candidates)} notebooks "
                f"hold the quiz ({', '.join(map(repr, candidates))}); rename the one to grade "
                f"to {notebook}.ipynb", True, notebook, "", "", candidates))
        else:
            others = f" (found only {', '.join(map(repr, strays))})" if strays else ""
            problems.append(Problem(
                student, quiz_name, MISSING_NOTEBOOK,
                f"{notebook}.ipynb is missing{others}: nothing to grade", True, notebook))
    claimed = {c for p in problems for c in p.candidates}
    for name in strays:
        if name not in claimed:
            problems.append(Problem(student, quiz_name, EXTRA_NOTEBOOK,
                                    f"extra notebook {name!r} is not part of the quiz and is "
                                    "ignored", False, "", name))
    return problems


def inspect_quiz(course: Path, quiz: str) -> dict[str, list[Problem]]:
    return {student: inspect_submission(course, quiz, student)
            for student in submitted_students(course, quiz)}


# --- fixes --------------------------------------------------------------------------------------
def _log_fix(course: Path, record: dict) -> None:
    folder = Path(course) / SET_ASIDE
    folder.mkdir(exist_ok=True)
    record = {"time": datetime.now(UTC).isoformat(timespec="seconds"), **record}
    with open(folder / FIXES_LOG, "a", encoding="utf-8") as log:
        log.write(json.dumps(record) + "\n")


def read_fixes(course: Path, quiz: str | None = None) -> list[dict]:
    path = Path(course) / SET_ASIDE / FIXES_LOG
    if not path.is_file():
        return []
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
               if line.strip()]
    return [r for r in records if quiz is None or r["quiz"] == quiz]


def fix_renamed(course: Path, problem: Problem) -> str:
    """Rename the single notebook that holds the quiz back to the expected name."""
    folder = submission_folder(course, problem.student, problem.quiz)
    target = folder / f"{problem.notebook}.ipynb"
    (folder / problem.file).rename(target)
    _log_fix(course, {"student": problem.student, "quiz": problem.quiz, "action": "renamed",
                      "from": problem.file, "to": target.name})
    return f"renamed {problem.file!r} to {target.name!r}"


def set_aside_corrupt(course: Path, problem: Problem) -> str:
    """Move a corrupt notebook out of submitted/ so the rest of the submission grades."""
    source = submission_folder(course, problem.student, problem.quiz) / problem.file
    target_dir = Path(course) / SET_ASIDE / problem.student / problem.quiz
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / problem.file
    shutil.move(source, target)
    relative = target.relative_to(course)
    _log_fix(course, {"student": problem.student, "quiz": problem.quiz, "action": "set-aside",
                      "from": problem.file, "to": str(relative), "reason": problem.message})
    return f"moved corrupt {problem.file!r} to {relative}"


def apply_fixes(course: Path, problems: dict[str, list[Problem]], renamed: bool,
                corrupt: bool) -> list[str]:
    done = []
    for student_problems in problems.values():
        for problem in student_problems:
            if renamed and problem.kind == RENAMED and problem.fix:
                done.append(f"{problem.student}: {fix_renamed(course, problem)}")
            elif corrupt and problem.kind == CORRUPT:
                done.append(f"{problem.student}: {set_aside_corrupt(course, problem)}")
    return done


def as_dict(problem: Problem) -> dict:
    return asdict(problem)


def _shows(output, keys: list[str]) -> bool:
    texts = [output.get("text", ""), output.get("evalue", "")]
    texts += [v for v in output.get("data", {}).values() if isinstance(v, str)]
    squashed = _squash("\n".join(t for t in texts if isinstance(t, str)))
    return any(key in squashed for key in keys)


def runtime_notes(graded_notebook: Path) -> list[str]:
    """What happened while the notebook ran: timeouts, errors outside the tests, truncation."""
    nb = nbformat.read(graded_notebook, as_version=4)
    notes = []
    hidden = [key for cell in nb.cells
              if nbgrader_meta(cell).get("grade") and not nbgrader_meta(cell).get("solution")
              for key in _hidden_keys(cell.source, BEGIN_HIDDEN, END_HIDDEN)]
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        meta = nbgrader_meta(cell)
        where = meta.get("grade_id") or f"cell {index + 1} (added by the student)"
        is_test = bool(meta.get("grade")) and not meta.get("solution")
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                if output.ename == "KernelStopped":
                    if output.evalue.startswith("not run"):
                        continue
                    note = f"{where}: {output.evalue}; the cells after it were not run"
                elif output.ename in ("CellTimeoutError", "KeyboardInterrupt",
                                      "DeadKernelError"):
                    note = f"{where} timed out and was interrupted (an infinite loop?)"
                elif is_test:
                    continue  # a failed test: that is the score
                else:
                    note = f"{where} raised {output.ename}: {output.evalue[:100]}"
            elif output.output_type == "stream" and "Output truncated" in output.text:
                note = f"the output of {where} was truncated"
            elif not is_test and hidden and _shows(output, hidden):
                note = (f"the output of {where} shows hidden tests (removed from the "
                        "feedback)")
            else:
                continue
            if note not in notes:
                notes.append(note)
    return notes
