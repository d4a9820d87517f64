"""The whole grading lifecycle over a real exchange, for every quiz, with a class of synthetic
students who submit every kind of bad notebook.

One module-scoped run (about 3 minutes on 2 cores) does what an instructor and the class do:
roster import, generate and release every quiz; each student fetches and submits with their own
HOME and nbgrader configuration; the instructor collects, runs the pre-grading report and its
fixes, autogrades once, generates feedback, enters a hand grade, autogrades part of the class a
second time and exports grades. The tests below then check the results.

Expected scores come from the quiz's points (painlab.grading.quizinfo), never from the grader.
"""

import csv
import json
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest

from painlab import paths
from painlab.devtools import synthetic
from painlab.devtools.exchange import ClassRoom
from painlab.devtools.views import find_leaks, formgrader_html, visible_text
from painlab.grading import export
from painlab.grading.course import COURSE_ID, cell_scores, command_environment, quiz_names
from painlab.grading.quizinfo import Quiz

pytestmark = pytest.mark.slow

QUIZ00 = "00-appraisal-basics"
TIMEOUT = 8  # Execute.timeout for this run: the infinite loop costs one of these per quiz
# Behaviours every quiz gets (new quizzes join automatically); the others run on quiz 00 only.
CORE = ["duplicate-id", "perfect", "blank", "partly-right", "test-deleted", "tests-edited-pass",
        "infinite-loop", "import-error", "huge-output", "renamed", "corrupt"]
# Type-specific submissions for quiz 00, with scores worked out by hand from its ANSWER_KEY and
# points: q1 verdicts 4, q2 techniques 4, q3 NNT 2, q4 NNH 1, q5 best evidence 1, q6 set 2,
# q8 NNT interval set 2 (16 autograded).
QUIZ00_SPECIFIC = {
    "list-for-dict": ({"q1_answer": 'verdicts = ["false", "false", "false", "oversimplified"]'},
                      16 - 4, "must be a dict"),
    "string-for-number": ({"q3_answer": 'difference_points = "46.4"\nnnt = 3'},
                          16 - 2, "write the number itself, without quotes"),
    "misspelled-verdict": ({"q1_answer": 'verdicts = {"S002-06": "flase", "S002-08": "false", '
                                         '"S004-03": "false", "S000-02": "oversimplified"}'},
                           16 - 4, "Did you mean 'false'?"),
    # adjacent verdicts earn partial credit on two of four claims: 4 * (0.5 + 1 + 1 + 0.75) / 4 = 3.25;
    # the other label for C is accepted in full; {"a", "b"} of {"a", "b", "c"}: 2/3 * 2 = 1.33.
    "adjacent-verdicts": ({"q1_answer": 'verdicts = {"S002-06": "misleading", "S002-08": "false",'
                                        ' "S004-03": "unsupported", "S000-02": "supported"}',
                           "q2_answer": 'techniques = {"A": "mechanism-as-proof", "B": "misnomer",'
                                        ' "C": "absolute-language", "D": "false-dichotomy"}',
                           "q6_answer": 'true_statements = {"a", "b"}'},
                          3.25 + 4 + 2 + 1 + 1 + 1.33 + 2, ""),
}
ABSENT = "s99-absent"


@dataclass
class Planned:
    student: str
    quiz: str
    sub: synthetic.Submission
    message: str = ""  # a visible-test message the feedback must show


@dataclass
class Run:
    room: ClassRoom
    quizzes: list[str]
    planned: list[Planned]
    times: dict[str, float] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)
    reports: dict[str, dict] = field(default_factory=dict)
    scores: dict[tuple[str, str], dict] = field(default_factory=dict)
    rescores: dict[tuple[str, str], dict] = field(default_factory=dict)
    csv_rows: list[dict] = field(default_factory=list)
    nbgrader_rows: list[dict] = field(default_factory=list)
    plugin_rows: list[dict] = field(default_factory=list)
    fetched_feedback: dict[str, list[str]] = field(default_factory=dict)

    @property
    def course(self) -> Path:
        return self.room.course

    def find(self, behaviour: str, quiz: str = QUIZ00) -> Planned:
        return next(p for p in self.planned if p.sub.behaviour == behaviour and p.quiz == quiz)


def python_module(course: Path, *args: str) -> subprocess.CompletedProcess:
    """Run one of the module's grading commands the way the instructor guide does."""
    return subprocess.run([sys.executable, "-m", *args], cwd=course, env=command_environment(),
                          capture_output=True, text=True, timeout=300)


def plan_class(room: ClassRoom, quizzes: list[str]) -> list[Planned]:
    planned = []
    behaviours = list(synthetic.GENERIC)
    for quiz_name in quizzes:
        quiz = Quiz(quiz_name, room.course / "source")
        released = nbformat.read(room.course / "release" / quiz_name / f"{quiz_name}.ipynb", 4)
        wanted = behaviours if quiz_name == QUIZ00 else CORE
        for sub in synthetic.generic_submissions(quiz, released, wanted):
            student = f"s{behaviours.index(sub.behaviour) + 1:02d}-{sub.behaviour}"
            planned.append(Planned(student, quiz_name, sub))
        if quiz_name == QUIZ00:
            for offset, (name, (answers, expected, message)) in enumerate(
                    QUIZ00_SPECIFIC.items()):
                content = synthetic.with_answers(quiz, released, answers)
                sub = synthetic.Submission(name, quiz_name, {f"{quiz_name}.ipynb": content},
                                           round(expected, 2), "needs-manual-grading")
                planned.append(Planned(f"s{len(behaviours) + offset + 1:02d}-{name}", quiz_name,
                                       sub, message))
    return planned


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Run:
    quizzes = quiz_names()
    room = ClassRoom(tmp_path_factory.mktemp("lifecycle"), quizzes)
    course = room.course
    result = Run(room, quizzes, [])
    clock = time.perf_counter

    def step(name, function, *args, **kwargs):
        start = clock()
        value = function(*args, **kwargs)
        result.times[name] = result.times.get(name, 0) + clock() - start
        return value

    for quiz in quizzes:
        step("generate_assignment", room.nbgrader, "generate_assignment", quiz)
        step("release_assignment", room.nbgrader, "release_assignment", quiz)
    result.planned = plan_class(room, quizzes)
    students = sorted({p.student for p in result.planned})
    with open(course / "students.csv", "w", newline="") as roster:
        writer = csv.writer(roster)
        writer.writerow(["id", "last_name", "first_name", "email"])
        for student in students + [ABSENT]:
            writer.writerow([student, student.split("-", 1)[1], "Synthetic",
                             f"{student}@example.org"])
    step("db student import", room.nbgrader, "db", "student", "import", "students.csv")

    work = {}
    for p in result.planned:
        work.setdefault(p.student, []).append(p)

    def student_session(account):
        """Fetch every quiz, do the work, submit each: one Python process per student, every
        command through nbgrader's command-line application with the student's config."""
        mine = work[account.student_id]
        commands = [["fetch_assignment", *[p.quiz for p in mine]]]
        for p in mine:
            commands += [account.stage(p.quiz, p.sub.files), ["submit", p.quiz]]
        account.session(commands)

    step("students fetch and submit", room.run_students,
         [(room.student(s), student_session) for s in students])
    for quiz in quizzes:
        step("collect", room.nbgrader, "collect", quiz)

    for quiz in quizzes:
        listed = step("report", python_module, course, "painlab.grading.report", quiz, "--json")
        assert listed.returncode == 0, listed.stderr
        result.reports[quiz] = json.loads(listed.stdout)[quiz]
        fixed = step("report --fix", python_module, course, "painlab.grading.report", quiz,
                     "--fix")
        assert fixed.returncode == 0, fixed.stderr
        result.outputs[f"report --fix {quiz}"] = fixed.stdout

    for quiz in quizzes:
        graded = step("autograde", room.nbgrader, "autograde", quiz,
                      f"--Execute.timeout={TIMEOUT}", check=False)
        result.outputs[f"autograde {quiz}"] = graded.output
    for p in result.planned:
        if p.sub.expected_auto is not None:
            result.scores[(p.student, p.quiz)] = cell_scores(course, p.quiz, p.student)

    for quiz in quizzes:
        step("generate_feedback", room.nbgrader, "generate_feedback", quiz)
    # Feedback returned, and fetched by a student whose notebook `report --fix` renamed and by
    # one who submitted under the right name.
    step("release_feedback", room.nbgrader, "release_feedback", QUIZ00)
    for behaviour in ("renamed", "perfect"):
        account = room.student(result.find(behaviour).student)
        step("fetch_feedback", account.nbgrader, "fetch_feedback", QUIZ00)
        result.fetched_feedback[behaviour] = sorted(
            page.name for page in (account.folder(QUIZ00) / "feedback").rglob("*.html"))

    # A hand grade for the perfect student's written answer, through the gradebook API.
    from nbgrader.api import Gradebook
    perfect = result.find("perfect")
    manual_id = Quiz(QUIZ00, course / "source").manual_questions[0].grade_id
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", course_id=COURSE_ID) as gradebook:
        grade = gradebook.find_grade(manual_id, QUIZ00, QUIZ00, perfect.student)
        grade.manual_score = 3.0
        gradebook.db.commit()

    # Autograde part of the class again (students s01-s09, perfect among them).
    again = step("autograde again (9 students)", room.nbgrader, "autograde", QUIZ00, "--force",
                 "--student=s0*", f"--Execute.timeout={TIMEOUT}", check=False)
    result.outputs["autograde again"] = again.output
    for p in result.planned:
        if p.quiz == QUIZ00 and p.student.startswith("s0") and p.sub.expected_auto is not None:
            result.rescores[(p.student, p.quiz)] = cell_scores(course, p.quiz, p.student)

    exported = step("export", python_module, course, "painlab.grading.export", "all",
                    "grades.csv")
    assert exported.returncode == 0, exported.stderr
    result.outputs["export"] = exported.stdout
    with open(course / "grades.csv", newline="") as grades:
        result.csv_rows = list(csv.DictReader(grades))
    # nbgrader's own CSV exporter, to compare with (the course's `nbgrader export` is ours)
    step("nbgrader export", room.nbgrader, "export", "--to=nbgrader-grades.csv",
         "--exporter=nbgrader.plugins.CsvExportPlugin")
    step("nbgrader export, course exporter", room.nbgrader, "export", "--to=status-grades.csv")
    with open(course / "status-grades.csv", newline="") as grades:
        result.plugin_rows = list(csv.DictReader(grades))
    with open(course / "nbgrader-grades.csv", newline="") as grades:
        result.nbgrader_rows = list(csv.DictReader(grades))

    lines = [f"{name:<30} {seconds:6.1f} s" for name, seconds in result.times.items()]
    lines.append(f"{'total':<30} {sum(result.times.values()):6.1f} s "
                 f"({len(students)} students, {len(result.planned)} submissions, "
                 f"{len(quizzes)} quizzes)")
    artifacts = paths.ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "lifecycle-times.txt").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return result


def auto_total(scores: dict, quiz: Quiz) -> float:
    return round(sum(scores[q.grade_id][0] or 0 for q in quiz.auto_questions), 2)


# --- the class is graded, each submission exactly ----------------------------------------------
def test_every_quiz_and_behaviour_is_in_the_class(run):
    assert set(run.quizzes) == set(quiz_names())
    for quiz in run.quizzes:
        behaviours = {p.sub.behaviour for p in run.planned if p.quiz == quiz}
        assert set(CORE) <= behaviours, quiz
    assert {p.sub.behaviour for p in run.planned if p.quiz == QUIZ00} >= set(synthetic.GENERIC)


@pytest.mark.parametrize("quiz_index", range(len(quiz_names())))
def test_expected_autograded_scores(run, quiz_index):
    quiz_name = run.quizzes[quiz_index]
    quiz = Quiz(quiz_name, run.course / "source")
    wrong = []
    for p in run.planned:
        if p.quiz != quiz_name or p.sub.expected_auto is None:
            continue
        got = auto_total(run.scores[(p.student, p.quiz)], quiz)
        if got != pytest.approx(p.sub.expected_auto, abs=0.011):
            wrong.append(f"{p.student}: expected {p.sub.expected_auto}, got {got} "
                         f"({run.scores[(p.student, p.quiz)]})")
    assert not wrong, "\n".join(wrong)


def test_only_unfixable_submissions_fail_autograde(run):
    for quiz in run.quizzes:
        output = run.outputs[f"autograde {quiz}"]
        failed = set(re.findall(rf"error processing assignment '{re.escape(quiz)}' for student "
                                r"'([^']+)'", output))
        assert failed <= {p.student for p in run.planned
                          if p.quiz == quiz and p.sub.behaviour == "renamed-twice"}, output[-3000:]
        assert "old version" not in output, output[-3000:]


def test_no_bad_submission_stops_the_others(run):
    for p in run.planned:
        graded = run.course / "graded" / p.student / p.quiz / f"{p.quiz}.ipynb"
        assert graded.is_file() == (p.sub.expected_auto is not None), p


def test_report_lists_every_problem_before_grading(run):
    expected_kinds = {"renamed": "renamed", "renamed-twice": "renamed", "corrupt": "corrupt",
                      "duplicate-id": "duplicate-id", "test-deleted": "missing-cell",
                      "answer-deleted": "missing-cell", "tests-edited-pass": "edited-locked",
                      "test-edited-assert": "edited-locked"}
    for p in run.planned:
        problems = run.reports[p.quiz]["problems"][p.student]
        kinds = {problem["kind"] for problem in problems}
        if p.sub.behaviour in expected_kinds:
            assert expected_kinds[p.sub.behaviour] in kinds, (p.student, problems)
        elif p.sub.behaviour in ("perfect", "blank", "partly-right", "html-injection"):
            assert not problems, (p.student, problems)
    for quiz in run.quizzes:
        fixed = run.outputs[f"report --fix {quiz}"]
        assert "renamed" in fixed and "moved corrupt" in fixed, fixed


# --- feedback ---------------------------------------------------------------------------------
def test_feedback_reaches_a_student_whose_notebook_was_renamed(run):
    """nbgrader files feedback under the submitted notebook's name; after `report --fix` renamed
    it, the student still finds the feedback (painlab.grading.feedback)."""
    assert f"{QUIZ00}-Copy1.ipynb" in run.find("renamed").sub.files  # what the student sent
    assert run.fetched_feedback["renamed"] == [f"{QUIZ00}-Copy1.html"]
    assert run.fetched_feedback["perfect"] == [f"{QUIZ00}.html"]


def feedback_pages(run):
    for p in run.planned:
        page = run.course / "feedback" / p.student / p.quiz / f"{p.quiz}.html"
        if p.sub.expected_auto is not None:
            assert page.is_file(), page
            yield p, page.read_text(encoding="utf-8")


def test_feedback_reveals_no_hidden_tests_or_solutions(run):
    quizzes = {q: Quiz(q, run.course / "source") for q in run.quizzes}
    released = {q: "\n".join(c.source for c in nbformat.read(
        run.course / "release" / q / f"{q}.ipynb", 4).cells) for q in run.quizzes}
    leaks = []
    for p, html in feedback_pages(run):
        own = synthetic.notebook_text(p.sub.files)
        found = find_leaks(html, quizzes[p.quiz], own, released[p.quiz])
        if re.search(r"score_\w+\(", html.replace("<span", "")) and "score_" not in own:
            found.append("a scorer call")
        leaks += [f"{p.student}/{p.quiz}: {leak}" for leak in found]
    assert not leaks, "\n".join(leaks[:20])


def test_the_leak_check_would_see_a_leak(run):
    """The same search finds the hidden tests in a page made without ClearHiddenTests."""
    from nbconvert.exporters import HTMLExporter

    perfect = run.find("perfect")
    graded = run.course / "graded" / perfect.student / QUIZ00 / f"{QUIZ00}.ipynb"
    html, _ = HTMLExporter().from_filename(str(graded))
    leaks = find_leaks(html, Quiz(QUIZ00, run.course / "source"))
    assert any(leak.startswith("hidden test") for leak in leaks)
    assert "marker: ANSWER_KEY" in leaks


def test_release_reveals_no_hidden_tests_or_solutions(run):
    for quiz_name in run.quizzes:
        quiz = Quiz(quiz_name, run.course / "source")
        for path in [run.course / "release" / quiz_name / f"{quiz_name}.ipynb",
                     run.room.exchange / COURSE_ID / "outbound" / quiz_name / f"{quiz_name}.ipynb"]:
            text = path.read_text(encoding="utf-8")
            for line in quiz.hidden_lines() + quiz.solution_lines():
                assert json.dumps(line)[1:-1] not in text, (path, line)


def test_failed_visible_tests_show_the_form_message_only(run):
    for p, html in feedback_pages(run):
        if p.message:
            text = visible_text(html)
            assert "AnswerFormError" in text and p.message in text, (p.student, p.message)
            assert "Traceback" not in text, p.student


def test_student_html_is_escaped_in_feedback_and_formgrader(run):
    injected = [p for p in run.planned if p.sub.behaviour == "html-injection"]
    assert injected
    for p in injected:
        feedback = (run.course / "feedback" / p.student / p.quiz / f"{p.quiz}.html").read_text()
        graded = nbformat.read(run.course / "graded" / p.student / p.quiz / f"{p.quiz}.ipynb", 4)
        formgrader = formgrader_html(run.course, p.quiz, p.student)
        for where, html in (("feedback", feedback), ("formgrader", formgrader)):
            assert "<script>alert(1)</script>" not in html, where
            assert not re.search(r"<img[^>]*onerror", html, re.I), where
            assert not re.search(r"href=[\"']?\s*javascript:", html, re.I), where
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, where
            assert "onerror=alert(1)" in html, where  # shown as text, for the grader to read
        stored = [c.source for c in graded.cells if "alert(1)" in c.source]
        assert stored and all("<" not in s for s in stored), stored


# --- grades -----------------------------------------------------------------------------------
def test_autograding_twice_gives_the_same_grades(run):
    manual_id = Quiz(QUIZ00, run.course / "source").manual_questions[0].grade_id
    perfect = run.find("perfect").student
    assert len(run.rescores) >= 8
    for key, after in run.rescores.items():
        before = run.scores[key]
        if key[0] == perfect:
            before = {**before, manual_id: (3.0, before[manual_id][1])}
        assert after == before, key


def test_a_hand_grade_survives_a_second_autograde(run):
    manual_id = Quiz(QUIZ00, run.course / "source").manual_questions[0].grade_id
    perfect = run.find("perfect").student
    assert run.rescores[(perfect, QUIZ00)][manual_id] == (3.0, 4.0)


def test_export_matches_the_gradebook_and_nbgrader_export(run):
    from nbgrader.api import Gradebook, MissingEntry

    rows = {(r["student_id"], r["assignment"]): r for r in run.csv_rows}
    theirs = {(r["student_id"], r["assignment"]): r for r in run.nbgrader_rows}
    assert set(theirs) <= set(rows)
    with Gradebook(f"sqlite:///{run.course / 'gradebook.db'}", course_id=COURSE_ID) as gradebook:
        for (student, quiz), row in rows.items():
            try:
                score = gradebook.find_submission(quiz, student).score
            except MissingEntry:
                score = 0.0
            assert float(row["score"]) == pytest.approx(score), (student, quiz)
            for column in export.NBGRADER_COLUMNS:
                if (student, quiz) in theirs:
                    assert row[column] == theirs[(student, quiz)][column], (student, column)


def test_nbgrader_export_writes_the_status_export(run):
    """The course's `nbgrader export` (StatusExportPlugin) gives the same rows as
    `python -m painlab.grading.export all`."""
    assert run.plugin_rows and run.plugin_rows == run.csv_rows
    assert {"status", "reason"} <= set(run.plugin_rows[0])


def test_export_tells_not_graded_from_a_real_zero(run):
    rows = {(r["student_id"], r["assignment"]): r for r in run.csv_rows}
    for p in run.planned:
        row = rows[(p.student, p.quiz)]
        expected_status = p.sub.expected_status
        if p.student == run.find("perfect").student and p.quiz == QUIZ00:
            expected_status = "needs-manual-grading"  # a re-autograde asks to review hand grades
        assert row["status"] == expected_status, (p.student, p.quiz, row)
        if p.sub.reason:
            assert p.sub.reason.lower() in row["reason"].lower(), (p.student, row["reason"])
    for quiz in run.quizzes:
        absent = rows[(ABSENT, quiz)]
        assert absent["status"] == "not-submitted" and float(absent["score"]) == 0
    blank = rows[(run.find("blank").student, QUIZ00)]
    corrupt = rows[(run.find("corrupt").student, QUIZ00)]
    assert float(blank["score"]) == float(corrupt["score"]) == 0  # same number, different status
    assert blank["status"] == "graded" and corrupt["status"] == "not-graded"


def test_steps_were_timed(run):
    # Durations are reported (the instructor guide's table), not asserted: speed belongs in the
    # benchmark, and a loaded machine must not fail the suite.
    assert run.times["autograde"] > 0
    assert all(seconds > 0 for seconds in run.times.values()), run.times
