"""Hand-grading in formgrader, as the instructor guide (section 7) describes it: an autograded
submission's written appraisal gets points and a comment in the browser, and the gradebook has
them; the student's answer is shown as text, never run as markup."""

import nbformat
import pytest
from nbgrader.api import Gradebook
from playwright.sync_api import expect

from painlab import setup_views
from painlab.devtools import browser
from painlab.devtools.synthetic import Builder
from painlab.grading.course import COURSE_ID, cell_scores, make_course_copy, run_nbgrader, submit_as
from painlab.grading.quizinfo import Quiz

pytestmark = [pytest.mark.browser, pytest.mark.slow]

QUIZ = "00-appraisal-basics"
STUDENT = "ada"
ANSWER = "The claim names no trial. <b>bold?</b> <img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def course(chromium_path, tmp_path_factory):
    """A course with one autograded submission whose written answer awaits a grader."""
    folder = make_course_copy(tmp_path_factory.mktemp("formgrader") / "course", [QUIZ])
    run_nbgrader(folder, "generate_assignment", QUIZ, "--force")
    quiz = Quiz(QUIZ)
    [written] = quiz.manual_questions
    grade_id = written.grade_id
    builder = Builder(quiz, nbformat.read(folder / "release" / QUIZ / f"{QUIZ}.ipynb",
                                          as_version=4))
    submission = builder.fresh()  # the blank release, with only the written answer filled in
    builder.cell(submission, grade_id).source = ANSWER
    draft = folder / "draft.ipynb"
    nbformat.write(submission, draft)
    submit_as(folder, STUDENT, QUIZ, draft)
    draft.unlink()
    run_nbgrader(folder, "autograde", QUIZ, "--create", "--force")
    assert cell_scores(folder, QUIZ, STUDENT)[grade_id][0] is None  # awaits a grader
    return folder, grade_id


@pytest.fixture(scope="module")
def instructor_server(course, tmp_path_factory):
    """JupyterLab on the course folder, with the instructor view for this server's user only."""
    folder, _grade_id = course
    # As on a shared hub: the environment keeps the student view, the user's own config (here
    # the server's config folder) enables the tools, and ranks above the environment's.
    server = browser.LabServer(folder, work_dir=tmp_path_factory.mktemp("instructor-lab"),
                               env={"JUPYTER_PREFER_ENV_PATH": "0"})
    setup_views.set_view("instructor", directory=server.work_dir / "config")
    server.start()
    yield server
    server.stop()


def test_a_written_answer_is_hand_graded_in_formgrader(page, instructor_server, course, artifacts):
    folder, grade_id = course
    server = instructor_server
    # Log in first, as the instructor does by opening JupyterLab (a token given to a formgrader
    # page itself sets the login cookie for that page's path only), then open the page that
    # Nbgrader > Formgrader > Gradebook shows in its panel.
    page.goto(f"{server.base_url}/api/status?token={server.token}")
    page.goto(f"{server.base_url}/formgrader/gradebook/{QUIZ}/{QUIZ}")
    submission_link = page.get_by_role("link", name="Submission #1")
    expect(submission_link).to_be_visible(timeout=30_000)
    submission_link.click()

    score = page.locator(f"input.score[id='{grade_id}']")
    expect(score).to_be_visible(timeout=30_000)
    # The student's markup is shown as text: no bold element, no image that could run code.
    answer = page.locator(".cell", has_text="The claim names no trial.").first
    expect(answer).to_contain_text("<b>bold?</b>")
    assert answer.locator("b, img").count() == 0

    score.fill("3.5")
    score.press("Tab")  # formgrader saves a score when the field changes
    comment = page.locator(f"textarea[id='{grade_id}-comment']")
    comment.fill("Names the missing evidence; no alternative explanation.")
    comment.press("Tab")
    # Both saves reached the server (formgrader's own API, as its page reads it back).
    page.wait_for_function(
        """async (grade) => {
          const get = async what => (await fetch(
            `${base_url}/api/${what}?submission_id=${submission_id}`)).json();
          const [grades, comments] = [await get('grades'), await get('comments')];
          return grades.some(g => g.name === grade && g.manual_score === 3.5)
              && comments.some(c => c.name === grade && /missing evidence/.test(c.manual_comment));
        }""", arg=grade_id, timeout=20_000)
    page.screenshot(path=str(artifacts / "formgrader-hand-graded.png"), full_page=True)

    assert cell_scores(folder, QUIZ, STUDENT)[grade_id] == (3.5, 4.0)
    with Gradebook(f"sqlite:///{folder / 'gradebook.db'}", course_id=COURSE_ID) as gradebook:
        comment = gradebook.find_comment(grade_id, QUIZ, QUIZ, STUDENT)
        assert comment.manual_comment.startswith("Names the missing evidence")
    # formgrader's page loads MathJax from a CDN; without a network (as here) that fails, and only
    # typesetting of maths is lost. The page's own errors from that are not the course's.
    page.javascript_errors[:] = [e for e in page.javascript_errors
                                 if "ERR_NAME_NOT_RESOLVED" not in e and "MathJax" not in e]
