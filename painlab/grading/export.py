"""Export grades to CSV with a status that tells "not graded, and why" from a real zero.

    cd autograded
    python -m painlab.grading.export 00-appraisal-basics grades.csv
    python -m painlab.grading.export all grades.csv          # every quiz in the gradebook

The columns are those of ``nbgrader export`` (same values, read from the same gradebook) plus:

- ``status``: ``graded``; ``needs-manual-grading`` (autograded, but a written answer still
  awaits a grader, so the score is provisional); ``partly-graded`` (a quiz with several
  notebooks, some not graded); ``not-graded`` (submitted, but nothing could be graded);
  ``not-submitted``.
- ``reason``: why, in words: a corrupt or renamed notebook, a deleted cell, a loop that timed
  out, a fix made by the pre-grading report...

nbgrader scores a submission it could not grade as 0, exactly like a wrong answer; filter on
``status`` before uploading grades anywhere.
"""

import argparse
import csv
import sys
from pathlib import Path

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
    if len(graded) < len(expected):
        status = "partly-graded"
    elif submission is not None and submission.needs_manual_grade:
        status = "needs-manual-grading"
    else:
        status = "graded"
    return status, "; ".join(reasons)


def export_rows(course: Path, quizzes: list[str] | None = None) -> list[dict]:
    from nbgrader.api import Gradebook, MissingEntry

    course = Path(course)
    rows = []
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", course_id=COURSE_ID) as gradebook:
        assignments = [a for a in gradebook.assignments if not quizzes or a.name in quizzes]
        missing = set(quizzes or []) - {a.name for a in assignments}
        if missing:
            raise SystemExit(f"not in the gradebook (run nbgrader generate_assignment first): "
                             f"{', '.join(sorted(missing))}")
        for assignment in assignments:
            expected = [nb.name for nb in assignment.notebooks]
            students = {s.id: s for s in gradebook.students}
            ids = sorted(set(students) | set(subs.submitted_students(course, assignment.name))
                         | set(subs.set_aside_students(course, assignment.name)))
            for student_id in ids:
                student = students.get(student_id)
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
    rows = export_rows(course, None if args.quiz == "all" else [args.quiz])
    write_csv(rows, args.output)
    counts = {}
    for row in rows:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    print(f"Wrote {len(rows)} rows to {args.output} ({summary}).")
    for row in rows:
        if row["status"] in ("not-graded", "partly-graded"):
            print(f"  {row['student_id']} ({row['assignment']}): {row['status']}: "
                  f"{row['reason']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
