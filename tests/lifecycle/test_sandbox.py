"""Hostile submissions autograded in the sandbox (painlab.grading.sandbox) with nbgrader's real
command line: every attack of painlab.devtools.attacks, next to ordinary students.

One module-scoped run (about a minute): release quiz 00 into an exchange, place a perfect and a
blank submission and one perfect submission per attack, autograde, generate feedback, export.
The tests check that grades, the gradebook and the course files are what they would be without
the attacks, that no feedback or graded notebook shows the hidden tests, that nothing reached
a server listening on the instructor's loopback, and that the export names each attempt. A
control run with the sandbox off shows the same attack really reads the answers.
"""

import csv
import hashlib
import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest

from painlab.devtools import attacks, synthetic
from painlab.devtools.exchange import ClassRoom
from painlab.devtools.views import find_leaks
from painlab.grading import sandbox
from painlab.grading.course import COURSE_ID, cell_scores, command_environment
from painlab.grading.quizinfo import Quiz

pytestmark = pytest.mark.slow

QUIZ = "00-appraisal-basics"
TIMEOUT = 5
VICTIM = "s00-victim"
BLANK = "s00-blank"


def _require_sandbox():
    works, message = sandbox.availability()
    if not works:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must autograde in the sandbox: {message}")
        pytest.skip(message)


@dataclass
class Run:
    room: ClassRoom
    quiz: Quiz
    files: dict[str, dict[str, bytes]] = field(default_factory=dict)
    before: dict[str, str] = field(default_factory=dict)
    after: dict[str, str] = field(default_factory=dict)
    autograde_output: str = ""
    rows: dict[str, dict] = field(default_factory=dict)
    connections: list = field(default_factory=list)
    control_output: str = ""
    control_scores: dict[str, float] = field(default_factory=dict)
    autograde_seconds: float = 0.0

    @property
    def course(self) -> Path:
        return self.room.course


def snapshot(*folders: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """path -> sha256 of every file below the folders (the course files that must not change)."""
    digests = {}
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file() and not any(part in skip for part in path.parts):
                digests[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


def student_of(attack: str) -> str:
    if attack in attacks.FORGERIES:
        return f"f{list(attacks.FORGERIES).index(attack) + 1:02d}-{attack}"
    return f"s{list(attacks.ATTACKS).index(attack) + 1:02d}-{attack}"


def auto_score(course: Path, quiz: Quiz, student: str) -> float:
    scores = cell_scores(course, QUIZ, student)
    return round(sum(scores[q.grade_id][0] or 0 for q in quiz.auto_questions), 2)


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Run:
    _require_sandbox()
    room = ClassRoom(tmp_path_factory.mktemp("sandbox"), [QUIZ])
    room.nbgrader("generate_assignment", QUIZ)
    room.nbgrader("release_assignment", QUIZ)
    quiz = Quiz(QUIZ, room.course / "source")
    released = nbformat.read(room.course / "release" / QUIZ / f"{QUIZ}.ipynb", 4)
    result = Run(room, quiz)

    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.5)
    stop = threading.Event()

    def listen():
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
                result.connections.append(connection.recv(100))
                connection.close()
            except OSError:
                continue

    thread = threading.Thread(target=listen, daemon=True)
    thread.start()

    builder = synthetic.Builder(quiz, released)
    result.files[VICTIM] = builder.files(builder.perfect())
    result.files[BLANK] = builder.files(builder.fresh())
    places = {"course": str(room.course), "exchange": str(room.exchange), "victim": VICTIM,
              "port": listener.getsockname()[1]}
    for name, attack in {**attacks.ATTACKS, **attacks.FORGERIES}.items():
        result.files[student_of(name)] = attack.submission(quiz, released, **places)
    for student, files in result.files.items():
        folder = room.course / "submitted" / student / QUIZ
        folder.mkdir(parents=True)
        for name, content in files.items():
            (folder / name).write_bytes(content)

    watched = (room.course / "source", room.course / "release", room.course / "submitted",
               room.exchange, room.course / "nbgrader_config.py")
    result.before = snapshot(*watched)
    start = time.perf_counter()
    graded = room.nbgrader("autograde", QUIZ, f"--Execute.timeout={TIMEOUT}",
                           "--SandboxedExecute.sandbox=required", check=False)
    result.autograde_output = graded.output
    result.autograde_seconds = time.perf_counter() - start
    result.after = snapshot(*watched)
    room.nbgrader("generate_feedback", QUIZ)
    done = subprocess.run([sys.executable, "-m", "painlab.grading.export", QUIZ, "grades.csv"],
                          cwd=room.course, env=command_environment(), capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    with open(room.course / "grades.csv", newline="") as grades:
        result.rows = {row["student_id"]: row for row in csv.DictReader(grades)}
    stop.set()
    thread.join(timeout=5)
    listener.close()

    # Control: the same reading attack, autograded without the sandbox, in a copy of the course.
    control = ClassRoom(tmp_path_factory.mktemp("unsandboxed"), [QUIZ])
    control.nbgrader("generate_assignment", QUIZ)
    reader = attacks.ATTACKS["read-source"].submission(
        quiz, released, course=str(control.course), exchange=str(control.exchange),
        victim=VICTIM, port=1)
    # Control: the forgeries, scored in the student's kernel as nbgrader does on its own.
    placed = {"reader": reader, **{student_of(name): result.files[student_of(name)]
                                   for name in attacks.FORGERIES}}
    for student, files in placed.items():
        folder = control.course / "submitted" / student / QUIZ
        folder.mkdir(parents=True)
        for name, content in files.items():
            (folder / name).write_bytes(content)
    control.nbgrader("autograde", QUIZ, f"--Execute.timeout={TIMEOUT}",
                     "--SandboxedExecute.sandbox=off", "--TrustedScoring.enabled=False")
    result.control_output = (control.course / "graded" / "reader" / QUIZ /
                             f"{QUIZ}.ipynb").read_text(encoding="utf-8")
    result.control_scores = {name: auto_score(control.course, quiz, student_of(name))
                             for name in attacks.FORGERIES}
    return result


def test_every_submission_gets_the_grade_it_would_get_without_the_attack(run):
    wrong = []
    forged = {student_of(name) for name in attacks.FORGERIES}
    for student in run.files:
        scores = cell_scores(run.course, QUIZ, student)
        expected = 0.0 if student == BLANK or student in forged else run.quiz.auto_points
        got = auto_score(run.course, run.quiz, student)
        if got != pytest.approx(expected):
            wrong.append(f"{student}: {got} (expected {expected})")
        for grade_id, (score, max_score) in scores.items():
            assert score is None or score <= max_score, (student, grade_id, score)
    assert not wrong, "\n".join(wrong) + "\n" + run.autograde_output[-3000:]


def test_the_gradebook_holds_only_what_autograde_wrote(run):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{run.course / 'gradebook.db'}", course_id=COURSE_ID) as book:
        assert {s.id for s in book.students} == set(run.files)
        for student in run.files:
            submission = book.find_submission(QUIZ, student)
            assert submission.extension is None, student
            assert submission.max_score == run.quiz.auto_points + run.quiz.manual_points


def test_course_files_and_exchange_are_unchanged(run):
    changed = [path for path in run.before if run.after.get(path) != run.before[path]]
    added = sorted(set(run.after) - set(run.before))
    assert not changed and not added, (changed, added)
    assert not list(run.course.rglob("fill*.bin")) and not list(run.course.rglob("planted*"))


def test_no_graded_notebook_or_feedback_shows_the_answers(run):
    released = "\n".join(c.source for c in nbformat.read(
        run.course / "release" / QUIZ / f"{QUIZ}.ipynb", 4).cells)
    leaks = []
    for student, files in run.files.items():
        own = synthetic.notebook_text(files)
        graded = run.course / "graded" / student / QUIZ / f"{QUIZ}.ipynb"
        outputs = "\n".join(str(o) for c in nbformat.read(graded, 4).cells
                            for o in c.get("outputs", []))
        feedback = (run.course / "feedback" / student / QUIZ / f"{QUIZ}.html").read_text()
        # The graded notebook is the instructor's: a student cell that prints the kernel's
        # input history shows the hidden tests there, and only the feedback is cleaned.
        pages = [("feedback", feedback)]
        if student != student_of("read-history"):
            pages.append(("graded outputs", outputs))
        for where, text in pages:
            found = find_leaks(text, run.quiz, own, released)
            leaks += [f"{student} {where}: {leak}" for leak in found]
    assert not leaks, "\n".join(leaks[:20])


def test_without_the_sandbox_the_same_attack_reads_the_answers(run):
    assert "BEGIN HIDDEN TESTS" in run.control_output


def test_scored_in_the_students_kernel_the_forgeries_get_marks(run):
    """The control: nbgrader on its own reads the scores the student's code reports. Every
    forgery but the two without effect (print, sys.excepthook) gets marks for a blank quiz."""
    print(run.control_scores)
    harmless = {"print", "excepthook"}
    assert all(run.control_scores[name] == 0 for name in harmless), run.control_scores
    assert all(run.control_scores[name] > 0 for name in set(attacks.FORGERIES) - harmless), \
        run.control_scores
    assert max(run.control_scores.values()) == run.quiz.auto_points


def test_the_export_names_each_forgery(run):
    missing = []
    for name, forgery in attacks.FORGERIES.items():
        row = run.rows[student_of(name)]
        if forgery.reason and not any(word in row["reason"] for word in forgery.reason):
            missing.append(f"{name}: {row['reason']!r} names none of {forgery.reason}")
    assert not missing, "\n".join(missing)


def test_nothing_reached_the_instructors_loopback(run):
    assert run.connections == []


def test_the_export_names_what_each_submission_tried(run):
    missing = []
    for name, attack in attacks.ATTACKS.items():
        row = run.rows[student_of(name)]
        assert row["status"] == "needs-manual-grading", row
        if not any(word in row["reason"] for word in attack.reason):
            missing.append(f"{name}: {row['reason']!r} names none of {attack.reason}")
    assert not missing, "\n".join(missing)
    assert run.rows[VICTIM]["reason"] == "" and run.rows[BLANK]["reason"] == ""


def test_autograde_says_it_used_the_sandbox(run):
    assert "Student code runs in a sandbox" in run.autograde_output
    assert "NOT SANDBOXED" not in run.autograde_output


def test_autograde_time(run):
    """Two attacks cost a timeout each (the kernel that never answers and the stopped one)."""
    print(f"autograde of {len(run.files)} submissions: {run.autograde_seconds:.1f} s")
    assert run.autograde_seconds < 60 + 2 * (TIMEOUT + 5) + 3 * len(run.files)
