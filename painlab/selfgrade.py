"""Grade your own quiz, with no instructor: the course's own nbgrader tests, run on your copy.

In a terminal (from the module's folder, on Binder or on your computer):

    painlab-selfgrade copy 00-appraisal-basics     # your blank copy: my-quizzes/00-appraisal-basics.ipynb
    painlab-selfgrade 00-appraisal-basics          # grade it, then read the explanations

In a notebook cell:

    from painlab.selfgrade import copy_my_quiz, grade_my_quiz
    copy_my_quiz("00-appraisal-basics")
    grade_my_quiz("00-appraisal-basics")

Grading builds a temporary nbgrader course (the quiz generated from its source, as an instructor
would release it), submits your notebook to it and runs ``nbgrader autograde``: the same hidden
tests and partial credit as in a class. Explanations (accepted verdicts and the evidence, the
reasoning behind the other answers, the rubric of written answers) are printed only after
grading. The solutions are in ``autograded/source/<quiz>/<quiz>.ipynb``: look whenever you choose.
"""

import argparse
import ast
import hashlib
import html
import os
import re
import shutil
import sys
import tempfile
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from painlab import paths

MY_QUIZZES = paths.ROOT / "my-quizzes"
STUDENT = "me"
CREDIT_WORDS = {1.0: "full credit", 0.5: "half credit"}


class SelfGradeError(Exception):
    """Something the learner can fix; the message says what."""


# --- the course, generated once per version of the quiz -----------------------------------------
def cache_dir() -> Path:
    base = os.environ.get("PAINLAB_CACHE") or os.environ.get("XDG_CACHE_HOME") or \
        Path.home() / ".cache"
    return Path(base) / "painlab" / "selfgrade"


def _fingerprint(quiz: str) -> str:
    import nbgrader

    digest = hashlib.sha256(nbgrader.__version__.encode())
    digest.update((paths.COURSE / "nbgrader_config.py").read_bytes())
    for path in sorted((paths.QUIZ_SOURCES / quiz).rglob("*")):
        if path.is_file() and ".ipynb_checkpoints" not in path.parts:
            digest.update(path.relative_to(paths.QUIZ_SOURCES).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def check_quiz_name(quiz: str) -> str:
    from painlab.grading.course import quiz_names

    names = quiz_names()
    if quiz not in names:
        raise SelfGradeError(f"There is no quiz {quiz!r}. The quizzes are: {', '.join(names)}.")
    return quiz


def generated_course(quiz: str) -> Path:
    """A course folder with the quiz generated (gradebook and released notebook), cached."""
    from painlab.grading.course import make_course_copy, run_nbgrader

    check_quiz_name(quiz)
    folder = cache_dir() / f"{quiz}-{_fingerprint(quiz)}"
    if (folder / "gradebook.db").is_file() and (folder / "release" / quiz).is_dir():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f"{quiz}-", dir=folder.parent))
    make_course_copy(building, [quiz])
    run_nbgrader(building, "generate_assignment", quiz)
    try:
        building.rename(folder)
    except OSError:  # built meanwhile by another process
        shutil.rmtree(building, ignore_errors=True)
    return folder


# --- copy ---------------------------------------------------------------------------------------
def my_copy_path(quiz: str) -> Path:
    return MY_QUIZZES / f"{quiz}.ipynb"


def copy_quiz(quiz: str, destination: Path | None = None, force: bool = False) -> Path:
    """Your own blank copy of a quiz, as released to a class. Never overwrites without force."""
    check_quiz_name(quiz)
    destination = Path(destination) if destination else my_copy_path(quiz)
    if destination.exists() and not force:
        raise SelfGradeError(
            f"{_show(destination)} already exists and may hold your answers, so it was left as "
            f"it is. To start again from a blank copy (your answers in it will be lost), use "
            f"`painlab-selfgrade copy {quiz} --force`.")
    course = generated_course(quiz)
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(course / "release" / quiz / f"{quiz}.ipynb", destination)
    return destination


# --- grade --------------------------------------------------------------------------------------
@dataclass
class QuestionResult:
    grade_id: str
    title: str
    points: float
    score: float | None  # None: a written answer, self-marked
    manual: bool
    problem: str = ""  # why a test failed (the form check's message, or an error)
    explanation: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        if self.manual:
            return "self-marked"
        if self.score is not None and self.score >= self.points:
            return "full marks"
        if self.score:
            return "partly right"
        return "no marks"


@dataclass
class Result:
    quiz: str
    notebook: Path
    questions: list[QuestionResult]
    notes: list[str]

    @property
    def auto_score(self) -> float:
        return round(sum(q.score or 0 for q in self.questions if not q.manual), 2)

    @property
    def auto_points(self) -> float:
        return sum(q.points for q in self.questions if not q.manual)

    @property
    def manual_points(self) -> float:
        return sum(q.points for q in self.questions if q.manual)

    @property
    def solutions(self) -> str:
        return _solutions(self.quiz)

    def __repr__(self) -> str:  # short: never a page of dataclass fields under the table
        return (f"<self-grading result of {self.quiz}: {_fmt(self.auto_score)} of "
                f"{_fmt(self.auto_points)} points marked automatically>")


def _show(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(paths.ROOT))
    except ValueError:
        return str(path)


def _fmt(number: float) -> str:
    return f"{number:g}"


def _credit(value: float) -> str:
    return CREDIT_WORDS.get(value, f"{value:g} of the credit")


def _student_literals(notebook, answer_ids: list[str]) -> dict:
    """Names the learner assigned to plain values in the answer cells (the last assignment
    wins), to show their verdicts next to the accepted ones."""
    from painlab.grading.quizinfo import nbgrader_meta

    values = {}
    for cell in notebook.cells:
        if nbgrader_meta(cell).get("grade_id") not in answer_ids:
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(
                    node.targets[0], ast.Name):
                try:
                    values[node.targets[0].id] = ast.literal_eval(node.value)
                except (ValueError, SyntaxError, TypeError):
                    values.pop(node.targets[0].id, None)
    return values


def explain(question, notebook=None) -> list[str]:
    """What the quiz source says about a question, for after grading."""
    if question.manual:
        return ["Marked by a person in a class; mark it yourself against this rubric:",
                question.rubric or "(no rubric recorded)"]
    lines = []
    keys = question.answer_keys
    if keys:
        yours = {}
        if notebook is not None:
            for value in _student_literals(notebook, question.answer_ids).values():
                if isinstance(value, dict):
                    yours.update(value)
        lines.append("Accepted answers and the evidence:")
        for key in keys.values():
            for item, entry in key.items():
                accepted = ", ".join(f"{label} ({_credit(credit)})"
                                     for label, credit in entry["accept"].items())
                mine = yours.get(item)
                you = f" You wrote {mine!r}." if isinstance(mine, str) else ""
                lines.append(f"{item}: accepted {accepted}.{you} Why: {entry.get('why', '')}")
    comments = question.hidden_comments
    if comments and not keys:
        lines.append("How it is worked out: " + " ".join(comments))
    if not lines:
        lines.append("No explanation is recorded for this question; see the solution.")
    return lines


def _problem(cell) -> str:
    for output in cell.get("outputs", []):
        if output.output_type == "error":
            if output.ename in ("AnswerFormError", "AssertionError"):
                return f"your answer is not in the right form: {output.evalue}"
            if output.ename == "NameError":
                return (f"{output.evalue}: run the answer cell above the check, and do not "
                        "rename or delete it")
            return f"the check failed with {output.ename}: {output.evalue}"
    return ""


def _solutions(quiz: str) -> str:
    return f"autograded/source/{quiz}/{quiz}.ipynb"


def _visible_tests(notebook, info) -> int:
    """How many of a quiz's test cells a notebook holds as released (same id, same code)."""
    from painlab.grading.quizinfo import nbgrader_meta

    cells = {nbgrader_meta(c).get("grade_id"): c for c in notebook.cells}
    return sum(1 for grade_id in info.test_ids if grade_id in cells
               and cells[grade_id].source.strip() == info.released_source(grade_id).strip())


def _check_it_is_this_quiz(submitted, quiz: str, notebook: Path) -> None:
    """Quizzes share grade ids (q1_answer...): tell a notebook of another quiz by its tests."""
    from painlab.grading.course import quiz_names
    from painlab.grading.quizinfo import Quiz

    matches = {name: _visible_tests(submitted, Quiz(name)) for name in quiz_names()}
    best = max(matches, key=matches.get)
    if best != quiz and matches[best] > matches[quiz]:
        raise SelfGradeError(
            f"{_show(notebook)} is a copy of quiz {best}, not of {quiz}. Grade it as that "
            f"quiz: `painlab-selfgrade {best} {_show(notebook)}`.")


def _answered_anything(submitted, released, info) -> bool:
    from painlab.grading.quizinfo import nbgrader_meta

    blank = {nbgrader_meta(c).get("grade_id"): c.source.strip() for c in released.cells
             if nbgrader_meta(c).get("solution")}
    return any(nbgrader_meta(c).get("grade_id") in blank
               and c.source.strip() != blank[nbgrader_meta(c).get("grade_id")]
               for c in submitted.cells)


def grade_quiz(quiz: str, notebook: Path | None = None, *, show_answers: bool = False,
               on_start=None) -> Result:
    """Grade a filled-in copy with the course's own tests in a temporary nbgrader course.

    A copy with nothing answered is refused (grading would only reveal the answers) unless
    ``show_answers``. ``on_start`` is called once the input is checked, just before nbgrader
    runs (the command line says then that grading takes a few seconds)."""
    import nbformat

    from painlab.grading.course import cell_scores, run_nbgrader, submit_as
    from painlab.grading.quizinfo import Quiz, nbgrader_meta
    from painlab.grading.submissions import inspect_cells, read_notebook, runtime_notes

    check_quiz_name(quiz)
    notebook = Path(notebook) if notebook else my_copy_path(quiz)
    if not notebook.is_file():
        hint = (f" Make your copy first: `painlab-selfgrade copy {quiz}`."
                if notebook == my_copy_path(quiz) else "")
        raise SelfGradeError(f"There is no notebook {_show(notebook)}.{hint}")
    try:
        submitted = read_notebook(notebook)
    except ValueError as problem:
        raise SelfGradeError(f"{_show(notebook)} cannot be graded: {problem}. If you saved it "
                             "from JupyterLab, open it there and save it again.") from None
    info = Quiz(quiz)
    ids = {nbgrader_meta(c).get("grade_id") for c in submitted.cells}
    if not ids & set(info.cells_by_id):
        raise SelfGradeError(f"{_show(notebook)} holds none of the cells of quiz {quiz}: is it "
                             f"the right notebook? Make a copy with `painlab-selfgrade copy "
                             f"{quiz}`.")
    _check_it_is_this_quiz(submitted, quiz, notebook)
    released = nbformat.read(generated_course(quiz) / "release" / quiz / f"{quiz}.ipynb",
                             as_version=4)
    if not show_answers and not _answered_anything(submitted, released, info):
        raise SelfGradeError(
            f"Nothing is answered yet in {_show(notebook)}, so grading it now would only show you "
            f"every answer and its explanation. Answer the questions and save the notebook "
            f"first. To study the worked answers before you try, open {_solutions(quiz)}, or "
            f"grade the blank copy anyway with `painlab-selfgrade {quiz} --show-answers` "
            f"(in a notebook: grade_my_quiz({quiz!r}, show_answers=True)).")
    notes = [p.message for p in inspect_cells(submitted, info, STUDENT, quiz, quiz)]
    if on_start is not None:
        on_start()

    with tempfile.TemporaryDirectory(prefix="selfgrade-") as temporary:
        course = Path(temporary) / "course"
        shutil.copytree(generated_course(quiz), course)
        submit_as(course, STUDENT, quiz, notebook)
        # Scored in the learner's own kernel, on purpose: only they could be fooled by a forged
        # score, and scoring apart would cost a second kernel (painlab.grading.scoring).
        run = run_nbgrader(course, "autograde", quiz, f"--student={STUDENT}",
                           "--TrustedScoring.enabled=False", check=False)
        graded_path = course / "graded" / STUDENT / quiz / f"{quiz}.ipynb"
        if not graded_path.is_file():
            raise SelfGradeError("nbgrader could not grade the notebook:\n" +
                                 run.output[-2000:])
        scores = cell_scores(course, quiz, STUDENT)
        graded = nbformat.read(graded_path, as_version=4)
        notes += runtime_notes(graded_path)
    cells = {nbgrader_meta(c).get("grade_id"): c for c in graded.cells}
    questions = []
    for question in info.questions:
        score, points = scores.get(question.grade_id, (0.0, question.points))
        if question.manual:
            problem = "no answer written yet" if score == 0 else ""
        else:
            problem = _problem(cells.get(question.grade_id, {}))
        questions.append(QuestionResult(
            question.grade_id, question.title, points,
            None if question.manual else float(score or 0), question.manual, problem,
            explain(question, submitted)))
    return Result(quiz, notebook, questions, notes)


# --- output -------------------------------------------------------------------------------------
# A link to a place in the quiz notebook, e.g. a rendered citation
# "[Hardy et al. 2012](#ref-hardy2012)": neither a terminal nor the notebook that shows the result
# can follow it, so it shows only its text.
_IN_PAGE_LINK = re.compile(r"\[([^\[\]]+)\]\(#[^()\s]*\)")


def _terminal(text: str) -> str:
    return _IN_PAGE_LINK.sub(r"\1", text)


def format_text(result: Result, width: int = 88) -> str:
    # Never break inside a word or at a hyphen: quiz names and paths ("03-nmda-ketamine") must
    # stay whole so they can be copied from the terminal.
    wrap = textwrap.TextWrapper(width=width, subsequent_indent="    ", break_on_hyphens=False,
                                break_long_words=False)
    out = [f"Quiz {result.quiz}: {_show(result.notebook)}, graded with the course's own tests.",
           "",
           f"Marked automatically: {_fmt(result.auto_score)} / {_fmt(result.auto_points)} points."]
    if result.manual_points:
        out.append(f"Written answers: {_fmt(result.manual_points)} points, marked by you with the "
                   "rubric below (a person marks them in a class).")
    for note in result.notes:
        out.append(wrap.fill(f"Note: {note}."))
    for q in result.questions:
        out.append("")
        score = "self-marked" if q.manual else f"{_fmt(q.score)} / {_fmt(q.points)}, {q.verdict}"
        out.append(f"{q.title}: {score}")
        if q.problem:
            out.append(wrap.fill(f"  Problem: {q.problem}"))
        for line in map(_terminal, q.explanation):
            if q.manual and "\n" in line:  # a rubric: keep its own line breaks
                out.append(textwrap.indent(line, "    "))
            else:
                out.append(wrap.fill("  " + line))
    out += ["", wrap.fill(f"The solutions, with the hidden tests and the rubrics, are in "
                          f"{result.solutions}. Open it whenever you choose: before you try, to "
                          "learn from the worked answers, or after, to compare.")]
    return "\n".join(out)


def _rubric_html(markdown: str) -> str:
    """A rubric from the quiz source (course text, not learner input) rendered as HTML."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    # No reference list is on the page of the result: a citation shows as text, not a dead link.
    return f"<div>{markdown2html_mistune(_terminal(markdown))}</div>"


def format_html(result: Result) -> str:
    e = html.escape
    rows = []
    for q in result.questions:
        score = "self-marked" if q.manual else f"{_fmt(q.score)} of {_fmt(q.points)}"
        details = "".join(_rubric_html(line) if q.manual and "\n" in line
                          else f"<p>{e(line)}</p>" for line in q.explanation)
        if q.problem:
            details = f"<p><strong>Problem:</strong> {e(q.problem)}</p>" + details
        rows.append(f"<tr><th scope='row' style='text-align:left;vertical-align:top'>"
                    f"{e(q.title)}</th><td style='vertical-align:top'>{e(score)}</td>"
                    f"<td style='vertical-align:top'><strong>{e(q.verdict)}</strong></td>"
                    f"<td style='text-align:left'>{details}</td></tr>")
    notes = "".join(f"<li>{e(n)}</li>" for n in result.notes)
    summary = (f"Marked automatically: <strong>{_fmt(result.auto_score)} of "
               f"{_fmt(result.auto_points)}</strong> points.")
    if result.manual_points:
        summary += (f" Written answers ({_fmt(result.manual_points)} points): mark them yourself "
                    "with the rubric.")
    return (f"<section aria-label='Self-grading result for {e(result.quiz)}'>"
            f"<p>{summary}</p>" + (f"<ul>{notes}</ul>" if notes else "") +
            f"<table><caption>Quiz {e(result.quiz)}: your result per question</caption>"
            "<thead><tr><th scope='col'>Question</th><th scope='col'>Points</th>"
            "<th scope='col'>Result</th><th scope='col'>Explanation</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
            f"<p>The solutions are in <code>{e(result.solutions)}</code>: open it whenever you "
            "choose.</p></section>")


# --- notebook API ---------------------------------------------------------------------------
def _display_html(text: str) -> None:
    from IPython.display import HTML, display

    display(HTML(text))


def copy_my_quiz(quiz: str, force: bool = False) -> None:
    """In a notebook: make your blank copy of a quiz and show a link to it. Returns nothing, so
    the cell shows only the message (the path is ``my_copy_path(quiz)``)."""
    existing = my_copy_path(quiz)
    if existing.exists() and not force:  # said in the notebook's terms, not the terminal's
        _display_html(f"<p role='status'><strong>Not copied.</strong> "
                      f"{html.escape(_show(existing))} already exists and may hold your answers, "
                      "so it was left as it is. To start again from a blank copy (your answers in "
                      f"it will be lost), run <code>copy_my_quiz({html.escape(repr(quiz))}, "
                      "force=True)</code>.</p>")
        return
    try:
        path = copy_quiz(quiz, force=force)
    except SelfGradeError as problem:
        _display_html(f"<p role='status'><strong>Not copied.</strong> {html.escape(str(problem))}"
                      "</p>")
        return
    link = os.path.relpath(path, Path.cwd())
    _display_html(f"<p role='status'>Your copy is ready: <a href='{html.escape(link)}' "
                  f"target='_blank'>{html.escape(_show(path))}</a>. Open it, answer, save, then "
                  f"run <code>grade_my_quiz({quiz!r})</code>.</p>")


def grade_my_quiz(quiz: str, notebook: str | Path | None = None,
                  show_answers: bool = False) -> None:
    """In a notebook: grade your copy and show the result as a table. Save the quiz first.
    Returns nothing, so the cell shows only the table (``grade_quiz`` returns the result)."""
    try:
        result = grade_quiz(quiz, Path(notebook) if notebook else None,
                            show_answers=show_answers)
    except SelfGradeError as problem:
        _display_html(f"<p role='alert'><strong>Not graded.</strong> "
                      f"{html.escape(str(problem))}</p>")
        return
    _display_html(format_html(result))


# --- command line -------------------------------------------------------------------------------
# argparse writes "usage: " before it.
USAGE = """
  painlab-selfgrade copy QUIZ [--force]   make your blank copy: my-quizzes/QUIZ.ipynb
  painlab-selfgrade QUIZ [NOTEBOOK]       grade your copy (default my-quizzes/QUIZ.ipynb)
  painlab-selfgrade QUIZ --show-answers   grade even a blank copy (shows every answer)
  painlab-selfgrade --list                the quizzes, and whether you have a copy"""
OPTIONS = ("-h", "--help", "--list", "--force", "--show-answers")


def _listing() -> str:
    from painlab.grading.course import quiz_names

    lines = ["Quizzes:"]
    for quiz in quiz_names():
        mine = my_copy_path(quiz)
        state = f"your copy: {_show(mine)}" if mine.is_file() else "no copy yet"
        lines.append(f"  {quiz}  ({state})")
    return "\n".join(lines)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0] in ("-h", "--help"):
        print("usage:" + USAGE + "\n\n" + _listing())
        return 0 if argv else 2
    unknown = [a for a in argv if a.startswith("-") and a not in OPTIONS]
    if unknown:
        import difflib

        close = difflib.get_close_matches(unknown[0], OPTIONS, n=1)
        hint = f" Did you mean {close[0]}?" if close else ""
        print(f"painlab-selfgrade: there is no option {unknown[0]}.{hint}\n\nusage:" + USAGE,
              file=sys.stderr)
        return 2
    if argv[0] == "--list":
        print(_listing())
        return 0
    try:
        if argv[0] == "copy":
            parser = argparse.ArgumentParser(prog="painlab-selfgrade copy")
            parser.add_argument("quiz")
            parser.add_argument("--force", action="store_true",
                                help="replace an existing copy (its answers are lost)")
            args = parser.parse_args(argv[1:])
            path = copy_quiz(args.quiz, force=args.force)
            print(f"Your copy is ready: {_show(path)}\nOpen it in JupyterLab, answer, save, then "
                  f"run: painlab-selfgrade {args.quiz}")
            return 0
        parser = argparse.ArgumentParser(prog="painlab-selfgrade", usage=USAGE)
        parser.add_argument("quiz")
        parser.add_argument("notebook", nargs="?", type=Path)
        parser.add_argument("--show-answers", action="store_true",
                            help="grade even a copy with nothing answered")
        args = parser.parse_args(argv)
        result = grade_quiz(args.quiz, args.notebook, show_answers=args.show_answers,
                            on_start=lambda: print(f"Grading {args.quiz} with nbgrader (about "
                                                   "10 seconds)...", flush=True))
        print(format_text(result))
        return 0
    except SelfGradeError as problem:
        print(f"painlab-selfgrade: {problem}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
