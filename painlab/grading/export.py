"""Export grades to CSV with a status that tells "not graded, and why" from a real zero.

    cd autograded
    nbgrader export                                          # grades.csv, every quiz
    python -m painlab.grading.export 00-appraisal-basics grades.csv
    python -m painlab.grading.export all grades.csv          # every quiz in the gradebook

``nbgrader export`` uses this export too: the course's nbgrader_config.py names
``StatusExportPlugin`` as its exporter (``--exporter=nbgrader.plugins.CsvExportPlugin`` gives
nbgrader's own CSV).

The columns are those of ``nbgrader export`` (same values, read from the same gradebook) plus:

- ``status``: ``graded``; ``needs-manual-grading`` (autograded, but a written answer still
  awaits a grader, so the score is provisional); ``partly-graded`` (a quiz with several
  notebooks, some not graded); ``not-graded`` (submitted, but nothing could be graded);
  ``not-submitted``.
- ``reason``: why, in words: a corrupt or renamed notebook, a deleted cell, a loop that timed
  out, a fix made by the pre-grading report...

A quiz that nobody has submitted yet (generated, perhaps released, nothing collected) is left out,
and the command says so: listing every student as ``not-submitted`` for a quiz the class has not
been given would be noise, or worse, zeros.

nbgrader scores a submission it could not grade as 0, exactly like a wrong answer; filter on
``status`` before uploading grades anywhere.
"""

import argparse
import csv
import sys
from pathlib import Path

from painlab.grading import sandbox, scoring
from painlab.grading import submissions as subs
from painlab.grading.course import COURSE_ID, default_course

NBGRADER_COLUMNS = ["assignment", "duedate", "timestamp", "student_id", "last_name",
                    "first_name", "email", "raw_score", "late_submission_penalty", "score",
                    "max_score"]
COLUMNS = NBGRADER_COLUMNS + ["status", "reason"]


def _text(value) -> str:
    return "" if value is None else str(value)


def _status(course: Path, quiz: str, student: str, expected: list[str], submission) -> tuple:
    folder = subs.submission_folder(course, student, quiz)
    fixes = [r for r in subs.read_fixes(course, quiz) if r["student"] == student]
    graded_dir = course / "graded" / student / quiz
    graded = [nb for nb in expected if (graded_dir / f"{nb}.ipynb").is_file()]
    problems = subs.inspect_submission(course, quiz, student) if folder.is_dir() else []
    reasons = []
    for record in fixes:
        if record["action"] == "renamed":
            reasons.append(f"notebook was renamed ({record['from']}); renamed back to "
                           f"{record['to']} before grading")
    if not folder.is_dir() and not fixes:
        return "not-submitted", "no submission collected"
    if not graded:
        blocking = [p.message for p in problems if p.blocks]
        if not blocking and any(r["action"] == "set-aside" for r in fixes):
            blocking = [f"corrupt notebook set aside in {r['to']}" for r in fixes
                        if r["action"] == "set-aside"]
        reasons += blocking or ["not autograded: run `nbgrader autograde`, and read its output "
                                "for this student"]
        return "not-graded", "; ".join(reasons)
    for p in problems:
        if p.blocks and p.notebook not in graded:
            reasons.append(p.message)
        elif not p.blocks:
            reasons.append(p.message)
    for nb in graded:
        reasons.extend(subs.runtime_notes(graded_dir / f"{nb}.ipynb"))
        attempts = sandbox.read_attempts(course, quiz, student, nb)
        if attempts:
            reasons.append(sandbox.describe_attempts(attempts))
        scored = scoring.describe_notes(scoring.read_notes(course, quiz, student, nb))
        if scored:
            reasons.append(scored)
    if len(graded) < len(expected):
        status = "partly-graded"
    elif submission is not None and submission.needs_manual_grade:
        status = "needs-manual-grading"
    else:
        status = "graded"
    return status, "; ".join(reasons)


def export_rows(course: Path, quizzes: list[str] | None = None,
                skipped: list[str] | None = None) -> list[dict]:
    from nbgrader.api import Gradebook

    course = Path(course)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", course_id=COURSE_ID) as gradebook:
        return gradebook_rows(gradebook, course, quizzes, skipped=skipped)


def gradebook_rows(gradebook, course: Path, quizzes: list[str] | None = None,
                   students: list[str] | None = None,
                   skipped: list[str] | None = None) -> list[dict]:
    """The rows for ``quizzes`` (default: all) and ``students`` (default: all), from an open
    gradebook of the course folder ``course``. Quizzes with no submission from anyone are left
    out and their names appended to ``skipped``."""
    from nbgrader.api import MissingEntry

    course = Path(course)
    only_students = set(students or [])
    rows = []
    assignments = [a for a in gradebook.assignments if not quizzes or a.name in quizzes]
    missing = set(quizzes or []) - {a.name for a in assignments}
    if missing:
        raise SystemExit(f"not in the gradebook (run nbgrader generate_assignment first): "
                         f"{', '.join(sorted(missing))}")
    for assignment in assignments:
        expected = [nb.name for nb in assignment.notebooks]
        roster = {s.id: s for s in gradebook.students}
        handed_in = (set(subs.submitted_students(course, assignment.name))
                     | set(subs.set_aside_students(course, assignment.name))
                     | {sub.student.id for sub in assignment.submissions})
        if not handed_in:
            if skipped is not None:
                skipped.append(assignment.name)
            continue
        ids = sorted(set(roster) | handed_in)
        for student_id in ids:
            if only_students and student_id not in only_students:
                continue
            student = roster.get(student_id)
            row = {"assignment": assignment.name, "duedate": assignment.duedate,
                   "student_id": student_id,
                   "last_name": student.last_name if student else None,
                   "first_name": student.first_name if student else None,
                   "email": student.email if student else None,
                   "max_score": assignment.max_score}
            try:
                submission = gradebook.find_submission(assignment.name, student_id)
            except MissingEntry:
                submission = None
                row.update(timestamp="", raw_score=0.0, late_submission_penalty=0.0,
                           score=0.0)
            else:
                penalty = submission.late_submission_penalty
                row.update(timestamp=submission.timestamp, raw_score=submission.score,
                           late_submission_penalty=penalty,
                           score=max(0.0, submission.score - penalty))
            row["status"], row["reason"] = _status(course, assignment.name, student_id,
                                                   expected, submission)
            rows.append({k: _text(row[k]) for k in COLUMNS})
    return rows


def write_csv(rows: list[dict], path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


def _export_plugin_base():
    from nbgrader.plugins import ExportPlugin

    return ExportPlugin


class StatusExportPlugin(_export_plugin_base()):
    """``nbgrader export`` with this module's columns: nbgrader's, plus ``status`` and ``reason``.
    Registered in the course's nbgrader_config.py (``c.ExportApp.plugin_class``); ``--to``,
    ``--assignment`` and ``--student`` work as with nbgrader's own exporter."""

    def export(self, gradebook) -> None:
        destination = Path(self.to or "grades.csv")
        skipped: list[str] = []
        rows = gradebook_rows(gradebook, default_course(),
                              [str(a) for a in self.assignment] or None,
                              [str(s) for s in self.student] or None, skipped)
        write_csv(rows, destination)
        self.log.info("Exported %d rows with status and reason to %s", len(rows), destination)
        for quiz in skipped:
            self.log.info("%s: left out, nobody has submitted it yet", quiz)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m painlab.grading.export",
        description="Export grades to CSV, with a status and a reason for every student.")
    parser.add_argument("quiz", help="quiz name, or 'all'")
    parser.add_argument("output", nargs="?", type=Path, default=Path("grades.csv"))
    parser.add_argument("--course", type=Path, default=None,
                        help="course folder (default: this folder if it holds "
                             "nbgrader_config.py, else the module's autograded/)")
    args = parser.parse_args(argv)
    course = (args.course or default_course()).resolve()
    if not (course / "gradebook.db").is_file():
        raise SystemExit(f"no gradebook in {course}: generate, collect and autograde first")
    skipped: list[str] = []
    rows = export_rows(course, None if args.quiz == "all" else [args.quiz], skipped)
    write_csv(rows, args.output)
    counts = {}
    for row in rows:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    print(f"Wrote {len(rows)} rows to {args.output} ({summary}).")
    for quiz in skipped:
        print(f"  {quiz}: left out, nobody has submitted it yet (not released, or not "
              f"collected: nbgrader collect {quiz}).")
    for row in rows:
        if row["status"] in ("not-graded", "partly-graded"):
            print(f"  {row['student_id']} ({row['assignment']}): {row['status']}: "
                  f"{row['reason']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
