"""A whole class on one machine: a temporary course, a real nbgrader exchange folder, and student
accounts that fetch and submit with their own configuration.

Each student has a home folder with ``.jupyter/nbgrader_config.py`` (exchange root, course id and
student id) and runs nbgrader's real command line with ``HOME`` and ``JUPYTER_CONFIG_DIR``
pointing there, as a student on a JupyterHub would (where the student id is the login name).
Used by the lifecycle test and by ``python -m painlab.devtools.timing``.
"""

import json
import os
import shutil
import stat
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from painlab.grading.course import COURSE_ID, CommandResult, make_course_copy, run_nbgrader

# Runs nbgrader commands one after the other in this process, each through nbgrader's own
# command-line application; exits with the first non-zero status.
_SESSION = """
import json, sys
from jupyter_core.application import NoStart
from nbgrader.apps.nbgraderapp import NbGraderApp
status = 0
for argv in json.loads(sys.argv[1]):
    if argv[0] == "replace-notebooks":  # the student's work: staged files replace the fetched
        import pathlib, shutil
        folder, staged = pathlib.Path(argv[1]), pathlib.Path(".staged", argv[1])
        for old in folder.glob("*.ipynb"):
            old.unlink()
        for new in staged.iterdir():
            shutil.copy(new, folder / new.name)
        continue
    print("$ nbgrader " + " ".join(argv), flush=True)
    app = NbGraderApp.instance()
    try:
        app.initialize(argv)
        app.start()
        code = 0
    except NoStart:  # what launch_instance() does with it
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    if getattr(app, "subapp", None) is not None:
        type(app.subapp).clear_instance()
    NbGraderApp.clear_instance()
    status = status or code
sys.exit(status)
"""


def make_exchange(root: Path) -> Path:
    """The exchange folder: must exist and be writable by everyone (students write inbound)."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    root.chmod(stat.S_IRWXU | stat.S_IRWXG | stat.S_IRWXO)
    return root


class ClassRoom:
    """The instructor's temporary course plus the exchange, in ``base``."""

    def __init__(self, base: Path, quizzes: list[str] | None = None,
                 extra_config: str = ""):
        self.base = Path(base)
        self.course = make_course_copy(self.base / "course", quizzes)
        self.exchange = make_exchange(self.base / "exchange")
        self.homes = self.base / "homes"
        with open(self.course / "nbgrader_config.py", "a", encoding="utf-8") as config:
            config.write(f"\n# Added for this class on one machine.\n"
                         f"c.Exchange.root = {str(self.exchange)!r}\n{extra_config}")

    def nbgrader(self, *args: str, check: bool = True, timeout: float = 1200) -> CommandResult:
        result = run_nbgrader(self.course, *args, check=False, timeout=timeout)
        if check and result.returncode != 0:
            raise RuntimeError(f"nbgrader {' '.join(args)} failed ({result.returncode}):\n"
                               f"{result.output[-4000:]}")
        return result

    def student(self, student_id: str) -> "StudentAccount":
        return StudentAccount(self.homes / student_id, student_id, self.exchange)

    def run_students(self, work: Iterable[tuple["StudentAccount", Callable]],
                     workers: int | None = None) -> list:
        """Run each student's work (a function of the account) in parallel; nbgrader commands
        are separate processes, so threads are enough."""
        workers = workers or max(2, os.cpu_count() or 2)
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(job, account) for account, job in work]
            return [f.result() for f in futures]


class StudentAccount:
    """One student's home folder and nbgrader configuration."""

    def __init__(self, home: Path, student_id: str, exchange: Path, course_id: str = COURSE_ID):
        self.home = Path(home)
        self.student_id = student_id
        config_dir = self.home / ".jupyter"
        config_dir.mkdir(parents=True, exist_ok=True)
        (config_dir / "nbgrader_config.py").write_text(
            "c = get_config()  # noqa: F821\n"
            f"c.Exchange.root = {str(exchange)!r}\n"
            f"c.CourseDirectory.course_id = {course_id!r}\n"
            f"c.CourseDirectory.student_id = {student_id!r}\n", encoding="utf-8")

    @property
    def env(self) -> dict:
        return {"HOME": self.home, "JUPYTER_CONFIG_DIR": self.home / ".jupyter",
                "JUPYTER_DATA_DIR": self.home / ".local" / "share" / "jupyter",
                "JUPYTER_RUNTIME_DIR": self.home / ".local" / "share" / "jupyter" / "runtime",
                "JUPYTER_CONFIG_PATH": None, "JUPYTER_PATH": None}

    def nbgrader(self, *args: str, check: bool = True) -> CommandResult:
        """One nbgrader command as this student (e.g. ``fetch_feedback``)."""
        result = run_nbgrader(self.home, *args, check=False, env=self.env)
        if check and (result.returncode != 0 or "[ERROR]" in result.output
                      or "| ERROR]" in result.output):
            raise RuntimeError(f"{self.student_id}: nbgrader {' '.join(args)} failed:\n"
                               f"{result.output[-3000:]}")
        return result

    def folder(self, quiz: str) -> Path:
        """Where this student's copy of ``quiz`` is fetched."""
        return self.home / quiz

    def session(self, commands: list[list[str]], check: bool = True) -> CommandResult:
        """Several nbgrader commands in one Python process started with this student's
        environment: each runs nbgrader's command-line application (``NbGraderApp``, what the
        ``nbgrader`` script launches) with the same arguments, so a class pays the ~2.6 s start
        of nbgrader once per student instead of once per command."""
        import subprocess
        import sys

        from painlab.grading.course import command_environment

        environment = command_environment()
        for name, value in self.env.items():
            if value is None:
                environment.pop(name, None)
            else:
                environment[name] = str(value)
        completed = subprocess.run(
            [sys.executable, "-c", _SESSION, json.dumps(commands)], cwd=self.home,
            env=environment, capture_output=True, text=True, timeout=600)
        output = completed.stdout + completed.stderr
        if check and (completed.returncode != 0 or "| ERROR]" in output):
            raise RuntimeError(f"{self.student_id}: nbgrader session failed:\n{output[-3000:]}")
        return CommandResult(commands, completed.returncode, output)

    def stage(self, quiz: str, files: dict[str, bytes]) -> list[str]:
        """Prepare the student's work; the session command ["replace-notebooks", quiz] puts it
        in place of the fetched notebooks."""
        staged = self.home / ".staged" / quiz
        shutil.rmtree(staged, ignore_errors=True)
        staged.mkdir(parents=True)
        for name, content in files.items():
            (staged / name).write_bytes(content)
        return ["replace-notebooks", quiz]
