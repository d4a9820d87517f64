"""Measure how long each grading step takes for a class, with nbgrader's real commands.

    python -m painlab.devtools.timing --students 20 [--quiz 00-appraisal-basics] [--bad]

Builds a temporary course with an exchange, releases the quiz, lets a synthetic class fetch and
submit (answers right, partly right or blank; with --bad also one of each bad submission),
then times the instructor's steps and prints a Markdown table (used in the instructor guide).
"""

import argparse
import csv
import itertools
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from painlab.devtools import synthetic
from painlab.devtools.exchange import ClassRoom
from painlab.grading.course import command_environment, quiz_names
from painlab.grading.quizinfo import Quiz

ORDINARY = ["perfect", "partly-right", "blank", "perfect", "partly-right"]
BAD = ["duplicate-id", "test-deleted", "tests-edited-pass", "import-error", "huge-output",
       "renamed", "corrupt", "infinite-loop"]


def measure(students: int, quiz: str, bad: bool, workers: int | None = None) -> list[tuple]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="painlab-timing-") as base:
        room = ClassRoom(Path(base), [quiz])
        course = room.course

        def timed(label, shown, function, *args, **kwargs):
            start = time.perf_counter()
            value = function(*args, **kwargs)
            rows.append((label, shown, time.perf_counter() - start))
            return value

        def module(*args):
            return subprocess.run([sys.executable, "-m", *args], cwd=course, check=True,
                                  env=command_environment(), capture_output=True, text=True)

        timed("generate", f"nbgrader generate_assignment {quiz}", room.nbgrader,
              "generate_assignment", quiz)
        timed("release", f"nbgrader release_assignment {quiz}", room.nbgrader,
              "release_assignment", quiz)
        released = nbformat.read(course / "release" / quiz / f"{quiz}.ipynb", 4)
        subs = {s.behaviour: s for s in synthetic.generic_submissions(Quiz(quiz), released)}
        plan = list(itertools.islice(itertools.cycle(ORDINARY), students))
        if bad:
            plan = BAD + plan[len(BAD):]
        ids = [f"student{i + 1:02d}" for i in range(len(plan))]
        with open(course / "students.csv", "w", newline="") as roster:
            writer = csv.writer(roster)
            writer.writerow(["id", "last_name", "first_name", "email"])
            writer.writerows([i, "Student", i, ""] for i in ids)
        timed("roster", "nbgrader db student import students.csv", room.nbgrader, "db",
              "student", "import", "students.csv")

        def session(account, behaviour):
            account.session([["fetch_assignment", quiz],
                             account.stage(quiz, subs[behaviour].files), ["submit", quiz]])

        timed("class fetches and submits (not instructor time)", "(synthetic students)",
              room.run_students, [(room.student(i), lambda a, b=b: session(a, b))
                                  for i, b in zip(ids, plan, strict=True)], workers)
        timed("collect", f"nbgrader collect {quiz}", room.nbgrader, "collect", quiz)
        timed("pre-grading report", f"python -m painlab.grading.report {quiz}", module,
              "painlab.grading.report", quiz)
        timed("report fixes", f"python -m painlab.grading.report {quiz} --fix", module,
              "painlab.grading.report", quiz, "--fix")
        timed("autograde", f"nbgrader autograde {quiz}", room.nbgrader, "autograde", quiz,
              check=not bad)
        timed("feedback", f"nbgrader generate_feedback {quiz}", room.nbgrader,
              "generate_feedback", quiz)
        timed("return feedback", f"nbgrader release_feedback {quiz}", room.nbgrader,
              "release_feedback", quiz)
        timed("export", f"python -m painlab.grading.export {quiz} grades.csv", module,
              "painlab.grading.export", quiz, "grades.csv")
    return rows


def table(rows: list[tuple], students: int, quiz: str) -> str:
    lines = [f"Class of {students} students, quiz {quiz}:", "",
             "| Step | Command | Time (s) |", "|---|---|---|"]
    lines += [f"| {label} | `{shown}` | {seconds:.1f} |" for label, shown, seconds in rows]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m painlab.devtools.timing")
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--quiz", default=quiz_names()[0])
    parser.add_argument("--bad", action="store_true",
                        help="include one of each bad submission (an infinite loop costs one "
                             "Execute.timeout)")
    args = parser.parse_args(argv)
    print(table(measure(args.students, args.quiz, args.bad), args.students, args.quiz))
    return 0


if __name__ == "__main__":
    sys.exit(main())
