"""The students' copy of the module for a graded class: everything but the answers.

    python -m painlab.grading.distribution <folder> [--zip]

Builds ``<folder>`` with the lessons, the assets, the helper package (installable from that
folder: ``pip install -e <folder>``, no checkout of the repository needed) and every quiz as
nbgrader releases it (``quizzes/<quiz>/<quiz>.ipynb``, generated from a temporary copy of the
course), and without ``autograded/`` (quiz sources: solutions, hidden tests, answer keys,
rubrics), the test and measurement harness or the tests. It then searches every file for the
quizzes' solution and hidden-test lines and stops with an error if one is there.

Put this folder, not the repository, where students' kernels can read it (a JupyterHub's
shared environment). Self-study keeps the whole repository on purpose: its learners grade
their own quizzes (``make selfgrade``) and read the answer keys afterwards.
"""

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from painlab import paths
from painlab.grading.course import make_course_copy, quiz_names, run_nbgrader
from painlab.grading.quizinfo import Quiz

# Files of the helper package that the students' copy leaves out: the harness of the tests and
# benchmarks (it builds submissions from the quiz sources) and build leftovers.
EXCLUDED = shutil.ignore_patterns("__pycache__", "*.pyc", "devtools", "*.egg-info")
MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS",
           "ANSWER_KEY")
# Python files may name the delimiters (the grading code does); notebooks and text may not.
TEXT_SUFFIXES = (".ipynb", ".md", ".yaml", ".yml", ".json", ".txt", ".html", ".csv")

STUDENT_README = """# Refractory pain: the students' copy

The lessons (`lessons/`), their assets and the helper package `painlab`, and the quizzes as
released to your class (`quizzes/`). Your instructor grades the quizzes: fetch and submit them
in JupyterLab's *Assignments* tab. This copy holds no answers.

    python -m pip install -e .
    python -m painlab.setup_views student
    jupyter lab lessons/00-start-here.ipynb
"""


def teaching_text() -> str:
    files = [*paths.LESSONS.glob("*.ipynb"), *paths.ASSETS.rglob("*.yaml"),
             *paths.ASSETS.rglob("*.txt")]
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted(files))


def leaks(folder: Path, quizzes: list[Quiz]) -> list[str]:
    """Solution or hidden-test lines, and grading markers, found in the folder's files."""
    lines = {line.strip() for quiz in quizzes
             for line in quiz.hidden_lines(min_chars=12) + quiz.solution_lines(min_chars=12)}
    # A line that the lessons or assets already teach (an answer key quoting a drug label the
    # lesson also quotes) is public, not an answer.
    taught = teaching_text()
    lines = {line for line in lines
             if line not in taught and line.replace('"', '\\"') not in taught}
    found = []
    for path in sorted(Path(folder).rglob("*")):
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        relative = path.relative_to(folder)
        for line in lines:
            # as written, or as JSON escapes it inside a notebook
            if line in text or line.replace('"', '\\"') in text:
                found.append(f"{relative}: {line[:80]}")
        if path.suffix in TEXT_SUFFIXES:
            found += [f"{relative}: marker {m}" for m in MARKERS if m in text]
    return found


def build(target: Path, quizzes: list[str] | None = None) -> Path:
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise SystemExit(f"{target} exists and is not empty")
    quizzes = quizzes or quiz_names()
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(paths.ROOT / "painlab", target / "painlab", ignore=EXCLUDED)
    shutil.copytree(paths.ASSETS, target / "assets", ignore=EXCLUDED)
    shutil.copytree(paths.LESSONS, target / "lessons", ignore=EXCLUDED)
    shutil.copy2(paths.ROOT / "pyproject.toml", target / "pyproject.toml")
    (target / "README.md").write_text(STUDENT_README, encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="painlab-release-") as scratch:
        course = make_course_copy(Path(scratch) / "course", quizzes)
        for quiz in quizzes:
            run_nbgrader(course, "generate_assignment", quiz, "--force")
            shutil.copytree(course / "release" / quiz, target / "quizzes" / quiz)
    found = leaks(target, [Quiz(q) for q in quizzes])
    if found:
        raise SystemExit("the students' copy would hold answers:\n  " + "\n  ".join(found))
    return target


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m painlab.grading.distribution",
                                     description="Build the students' copy of the module "
                                                 "(no quiz sources, solutions or answer keys).")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--quiz", action="append", help="only these quizzes (repeatable)")
    parser.add_argument("--zip", action="store_true", help="also write <folder>.zip")
    args = parser.parse_args(argv)
    folder = build(args.folder, args.quiz)
    released = len(list((folder / "quizzes").iterdir()))
    print(f"Students' copy in {folder}: lessons, assets, the painlab package and {released} "
          f"released {'quiz' if released == 1 else 'quizzes'}; no quiz sources.")
    if args.zip:
        archive = shutil.make_archive(str(folder), "zip", folder.parent, folder.name)
        print(f"Archive: {archive}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
