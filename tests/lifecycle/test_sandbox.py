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
        # Scored apart, the test cells run in the student's kernel without their hidden
        # tests: not even a cell that prints the kernel's input history shows them.
        for where, text in (("feedback", feedback), ("graded outputs", outputs)):
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
        if attack.reason and not any(word in row["reason"] for word in attack.reason):
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


# --- scoring apart, run directly (SandboxedExecute then TrustedScoring, no nbgrader command) ---
PARTIAL = {"q1_answer": 'verdicts = {"S002-06": "misleading", "S002-08": "false", '
                        '"S004-03": "false", "S000-02": "oversimplified"}',
           "q6_answer": 'true_statements = {"a", "b", "d"}'}

# Takes over every kernel whose connection file it can find (scoring kernels included), and
# makes every scorer give full marks and every check pass.
TAKEOVER = '''
import glob, os, tempfile
from jupyter_client import BlockingKernelClient
from ipykernel.connect import get_connection_file
PATCH = """
import painlab.answers, painlab.quiz
def full(*args, points=None, **kwargs):
    return points if points is not None else args[-1]
for m in (painlab.answers, painlab.quiz):
    for n in dir(m):
        if n.startswith("score_"): setattr(m, n, full)
        elif n.startswith("check_"): setattr(m, n, lambda *a, **k: None)
"""
mine = os.path.realpath(get_connection_file())
tmp = tempfile.gettempdir()
found = glob.glob(os.path.join(tmp, "*.json")) + glob.glob(os.path.join(tmp, "*", "*.json"))
for path in found:
    if os.path.realpath(path) == mine:
        continue
    try:
        kc = BlockingKernelClient(connection_file=path)
        kc.load_connection_file()
        kc.start_channels()
        kc.execute(PATCH)
        kc.get_shell_msg(timeout=5)
        kc.stop_channels()
    except Exception:
        pass
'''

# Prints the kernel's whole input history, plain and in simple encodings.
HISTORY_DUMP = '''
import base64, codecs, zlib
ip = get_ipython()
history = "\\n".join(list(In) + list(ip.history_manager.input_hist_raw)
                     + [line for _, _, line in ip.history_manager.get_range(raw=True)])
print(history)
print(codecs.encode(history, "rot13"))
print(base64.b64encode(history.encode()).decode())
print(history.encode().hex())
print(history[::-1])
print(base64.b64encode(zlib.compress(history.encode())).decode())
'''


def _variant(quiz: Quiz, answers: dict[str, str], blank: bool = False, first: str = "",
             after_last_test: str = ""):
    """The source notebook as autograde sees it: answers (solutions, blank templates or
    ``answers``) in the answer cells, the tests with their hidden parts."""
    import copy

    from nbformat.v4 import new_code_cell

    nb = copy.deepcopy(quiz.notebook)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("solution"):
            before, _, rest = cell.source.partition("### BEGIN SOLUTION")
            solution = rest.partition("### END SOLUTION")[0]
            cell.source = answers.get(meta["grade_id"], before if blank else solution)
    if first:
        nb.cells.insert(1, new_code_cell(first))
    if after_last_test:
        last = max(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get(
            "grade") and not c.metadata["nbgrader"].get("solution") and c.cell_type == "code")
        nb.cells.insert(last + 1, new_code_cell(after_last_test))
    return nb


def _grade_directly(nb, folder: Path, student: str, sandbox_mode: str, **settings):
    """(scores apart per test cell, the graded notebook, seconds, TrustedScoring's notes)."""
    from nbgrader import utils
    from traitlets.config import Config

    from painlab.grading import scoring

    c = Config()
    c.Execute.timeout = 30
    c.Execute.shutdown_kernel = "immediate"
    c.Execute.extra_arguments = ["--HistoryManager.hist_file=:memory:",
                                 "--InteractiveShell.xmode=Minimal"]
    c.SandboxedExecute.sandbox = sandbox_mode
    c.Autograde.autograde_preprocessors = ["painlab.grading.sandbox.SandboxedExecute",
                                           "painlab.grading.scoring.TrustedScoring"]
    for key, value in settings.items():
        section, name = key.split("__")
        c[section][name] = value
    work = folder / student
    work.mkdir(parents=True)
    resources = {"metadata": {"path": str(work)},
                 "nbgrader": {"student": student, "assignment": QUIZ, "notebook": QUIZ,
                              "db_url": f"sqlite:///{folder / 'gradebook.db'}"}}
    start = time.perf_counter()
    nb, resources = sandbox.SandboxedExecute(config=c).preprocess(nb, resources)
    nb, resources = scoring.TrustedScoring(config=c).preprocess(nb, resources)
    seconds = time.perf_counter() - start
    scores = {cell.metadata.nbgrader.grade_id: utils.determine_grade(cell)[0] or 0
              for cell in nb.cells if scoring.is_test_cell(cell)}
    notes = scoring.read_notes(folder, QUIZ, student, QUIZ)
    return scores, nb, seconds, notes


@pytest.fixture(scope="module")
def source_quiz():
    return Quiz(QUIZ)


def test_the_scoring_kernel_listens_on_private_unix_sockets():
    from painlab.grading.scoring import ScoringKernel

    kernel = ScoringKernel([])
    try:
        assert kernel.km.transport == "ipc"
        assert Path(kernel.km.connection_file).parent == Path(kernel.folder)
        assert os.stat(kernel.folder).st_mode & 0o777 == 0o700
    finally:
        kernel.shutdown()


# Tries to plant a file in the kernel's private folder and to remove the attempts log there (which
# the grader reads back after the kernel stops: a link in its place would make it read a host file).
PLANT_IN_PRIVATE_FOLDER = """
import pathlib
from ipykernel.connect import get_connection_file
private = pathlib.Path(get_connection_file()).parent
for name, attempt in (("plant", lambda: (private / "planted").write_text("x")),
                      ("unlink", lambda: (private / "attempts.jsonl").unlink())):
    try:
        attempt()
        print(name, "done")
    except OSError as problem:
        print(name, "refused", type(problem).__name__)
"""


def test_the_kernel_cannot_change_its_private_folder(tmp_path, source_quiz):
    """Once the student's kernel answers, its private folder (sockets, connection file, attempts
    log) belongs to the grader: the kernel can neither add a file nor remove one there."""
    _require_sandbox()
    if not sandbox._privileged():
        pytest.skip("unprivileged sandbox: the kernel owns its folder, like its user")
    nb = _variant(source_quiz, {}, first=PLANT_IN_PRIVATE_FOLDER)
    _scores, graded, _seconds, _notes = _grade_directly(nb, tmp_path, "planter", "required")
    printed = "".join(o.get("text", "") for o in graded.cells[1].outputs)
    assert "plant refused" in printed and "unlink refused" in printed, printed


def test_an_unsandboxed_submission_cannot_forge_its_own_or_later_scores(tmp_path, source_quiz):
    """A sandboxed run leaves a shared scoring kernel; an unsandboxed submission then tries to
    take over every kernel it can find; the blank submission graded after it gets 0."""
    _require_sandbox()
    full = source_quiz.auto_points
    honest, *_ = _grade_directly(_variant(source_quiz, {}), tmp_path, "honest", "required")
    attacker, *_, notes = _grade_directly(_variant(source_quiz, {}, blank=True, first=TAKEOVER),
                                          tmp_path, "attacker", "off")
    after, *_ = _grade_directly(_variant(source_quiz, {}, blank=True), tmp_path, "after",
                                "required")
    assert sum(honest.values()) == pytest.approx(full)
    assert sum(attacker.values()) == 0 and sum(after.values()) == 0, (attacker, after)
    from painlab.grading.scoring import describe_notes

    assert "WITHOUT the sandbox" in describe_notes(notes)


def test_honest_grades_are_those_of_the_students_kernel(tmp_path, source_quiz):
    """Perfect, blank and partial answers: scored apart exactly as nbgrader scores them in the
    student's own kernel with the hidden tests."""
    _require_sandbox()
    for name, answers, blank in (("perfect", {}, False), ("blank", {}, True),
                                 ("partial", PARTIAL, False)):
        apart, *_ = _grade_directly(_variant(source_quiz, answers, blank), tmp_path, name,
                                    "required")
        own, *_ = _grade_directly(_variant(source_quiz, answers, blank), tmp_path,
                                  name + "-own", "required", TrustedScoring__enabled=False)
        assert apart == pytest.approx(own), name
    assert sum(apart.values()) == pytest.approx(14.17, abs=0.01)


def test_no_hidden_test_reaches_the_students_outputs_in_any_encoding(tmp_path, source_quiz):
    import base64
    import codecs
    import re
    import zlib

    _require_sandbox()
    scores, nb, _, _ = _grade_directly(
        _variant(source_quiz, {}, after_last_test=HISTORY_DUMP), tmp_path, "dump", "required")
    assert sum(scores.values()) == pytest.approx(source_quiz.auto_points)
    text = "\n".join(o.get("text", "") for c in nb.cells if "nbgrader" not in c.metadata
                     for o in c.get("outputs", []))
    assert "check_verdicts" in text  # the dump ran and printed the visible checks
    decoded = [text, codecs.decode(text, "rot13"), text[::-1]]
    for word in re.findall(r"[A-Za-z0-9+/=]{40,}", text):
        for decode in (lambda w: base64.b64decode(w).decode(),
                       lambda w: zlib.decompress(base64.b64decode(w)).decode(),
                       lambda w: bytes.fromhex(w).decode()):
            try:
                decoded.append(decode(word))
            except Exception:  # noqa: BLE001 (not in that encoding)
                pass
    squashed = ["".join(ch for ch in d if ch.isalnum()) for d in decoded]
    keys = ["".join(ch for ch in line if ch.isalnum()) for line in source_quiz.hidden_lines()]
    leaks = [k for k in keys if len(k) >= 16 for s in squashed if k in s]
    assert len(decoded) > 5 and not leaks, leaks[:5]


def test_a_slow_capture_and_a_long_notebook_are_stopped(tmp_path, source_quiz):
    _require_sandbox()
    slow_capture = '''
import sys, types, time
fake = types.ModuleType("painlab.grading.plain")
def capture(namespace, names):
    time.sleep(20)
    return "{}"
fake.capture = capture
sys.modules["painlab.grading.plain"] = fake
'''
    scores, nb, seconds, _ = _grade_directly(_variant(source_quiz, {}, first=slow_capture),
                                             tmp_path, "slow-capture", "required",
                                             SandboxedExecute__capture_timeout=2)
    assert seconds < 10 and sum(scores.values()) == 0
    errors = [o.get("evalue", "") for c in nb.cells for o in c.get("outputs", [])
              if o.get("ename") == "KernelStopped"]
    assert any("hand over the answers" in e and not e.startswith("not run") for e in errors)

    sleepy = "import time\ntime.sleep(2)\n"
    nb = _variant(source_quiz, {})
    from nbformat.v4 import new_code_cell

    for _ in range(6):
        nb.cells.insert(1, new_code_cell(sleepy))
    scores, nb, seconds, _ = _grade_directly(nb, tmp_path, "long", "required",
                                             SandboxedExecute__notebook_timeout=5)
    assert seconds < 15 and sum(scores.values()) == 0
    errors = [o.get("evalue", "") for c in nb.cells for o in c.get("outputs", [])
              if o.get("ename") == "KernelStopped"]
    assert any("time budget" in e for e in errors), errors
    from painlab.grading.submissions import runtime_notes

    graded = tmp_path / "long.ipynb"
    nbformat.write(nb, graded)
    assert any("time budget" in note for note in runtime_notes(graded))  # named in the export


def test_an_invalid_output_does_not_stop_grading(tmp_path, source_quiz):
    _require_sandbox()
    bad_display = '''
ip = get_ipython()
original = ip.displayhook.write_format_data
def write(format_dict, md_dict=None):
    original({"text/plain": {"x": 1}}, md_dict)
ip.displayhook.write_format_data = write
1 + 1
'''
    scores, nb, *_ = _grade_directly(_variant(source_quiz, {}, first=bad_display), tmp_path,
                                     "bad-output", "required")
    assert sum(scores.values()) == pytest.approx(source_quiz.auto_points)
    assert any(o.get("ename") == "InvalidOutput" for o in nb.cells[1].outputs)
