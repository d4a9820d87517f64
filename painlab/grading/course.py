"""nbgrader's real command line, run on a copy of the course.

Used by the round-trip tests, the lifecycle tests, the benchmark and self-grading, so that every
one of them exercises the same commands an instructor types.
"""

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from painlab import paths

COURSE_ID = "refractory-pain"


def default_course() -> Path:
    """The course folder a command works on: this folder if it is a course root (holds
    nbgrader_config.py and source/), else the module's own autograded/."""
    here = Path.cwd()
    if (here / "nbgrader_config.py").is_file() and (here / "source").is_dir():
        return here
    return paths.COURSE


def quiz_names(source_dir: Path | None = None) -> list[str]:
    """Every quiz in autograded/source (new quizzes join automatically)."""
    return sorted(p.name for p in Path(source_dir or paths.QUIZ_SOURCES).iterdir()
                  if p.is_dir() and (p / f"{p.name}.ipynb").is_file())


def make_course_copy(destination: Path, quizzes: list[str] | None = None) -> Path:
    """A fresh course folder: the config and the quiz sources, nothing generated."""
    destination = Path(destination)
    (destination / "source").mkdir(parents=True, exist_ok=True)
    shutil.copy2(paths.COURSE / "nbgrader_config.py", destination / "nbgrader_config.py")
    for quiz in quizzes or quiz_names():
        shutil.copytree(paths.QUIZ_SOURCES / quiz, destination / "source" / quiz,
                        dirs_exist_ok=True)
    return destination


def command_environment() -> dict:
    """nbgrader calls `alembic` and starts kernels: put this environment's bin folder first."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


@dataclass
class CommandResult:
    args: list[str]
    returncode: int
    output: str


def run_nbgrader(course_dir: Path, *args: str, timeout: float = 600,
                 check: bool = True, env: dict | None = None) -> CommandResult:
    """Run `nbgrader <args>` in the course folder (or a student's home folder); raise with its
    output when it fails. ``env`` adds or overrides environment variables (a value of None
    removes one), e.g. a student's HOME and JUPYTER_CONFIG_DIR."""
    command = [sys.executable, "-m", "nbgrader", *args]
    environment = command_environment()
    for name, value in (env or {}).items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = str(value)
    completed = subprocess.run(command, cwd=course_dir, env=environment,
                               capture_output=True, text=True, timeout=timeout)
    result = CommandResult(command, completed.returncode, completed.stdout + completed.stderr)
    if check and completed.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed ({completed.returncode}):\n"
                           f"{result.output[-4000:]}")
    return result


def submit_as(course_dir: Path, student: str, quiz: str, notebook: Path) -> Path:
    """Place a notebook where `nbgrader autograde` looks for a student's submission."""
    target = Path(course_dir) / "submitted" / student / quiz
    target.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(notebook, target / f"{quiz}.ipynb"))


def cell_scores(course_dir: Path, quiz: str, student: str) -> dict[str, tuple[float | None, float]]:
    """grade_id -> (score, max score) for one student's submission, from the gradebook.

    The score is the manual score where a grader gave one, else the automatic one (None when a
    written answer awaits a grader).
    """
    from nbgrader.api import Gradebook

    url = f"sqlite:///{Path(course_dir) / 'gradebook.db'}"
    scores = {}
    with Gradebook(url, course_id=COURSE_ID) as gradebook:
        submission = gradebook.find_submission(quiz, student)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                score = grade.manual_score if grade.manual_score is not None else grade.auto_score
                scores[grade.name] = (score, grade.max_score)
    return scores


def autograded_cells(source_notebook: Path) -> dict[str, float]:
    """grade_id -> points of the cells nbgrader marks automatically (test cells)."""
    import nbformat

    notebook = nbformat.read(source_notebook, as_version=4)
    cells = {}
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution"):
            cells[meta["grade_id"]] = float(meta["points"])
    return cells


def scratch_environment(prefix: Path) -> Path:
    """A Python environment with this environment's packages but its own sys.prefix (a venv
    with a .pth file): stands in for a JupyterHub's shared environment, and lets commands that
    write to sys.prefix/etc/jupyter (the student and instructor views) run without changing
    this one. Returns its python."""
    import site
    import venv

    prefix = Path(prefix)
    venv.EnvBuilder(with_pip=False).create(prefix)
    python = prefix / "bin" / "python"
    target = subprocess.run([str(python), "-c", "import site; print(site.getsitepackages()[0])"],
                            capture_output=True, text=True, check=True).stdout.strip()
    (Path(target) / "painlab-parent-env.pth").write_text(
        "\n".join([*site.getsitepackages(), str(paths.ROOT)]) + "\n")
    return python
