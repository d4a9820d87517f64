"""Feedback reaches a student whose notebook the pre-grading report renamed.

nbgrader files released feedback under a hash of the *submitted* notebook's name, and a student's
``fetch_feedback`` (and the Assignments tab) looks for the names the student submitted. After
``python -m painlab.grading.report QUIZ --fix`` renames ``00-appraisal-basics-Copy1.ipynb`` to
``00-appraisal-basics.ipynb`` so that it can be graded, the feedback is generated as
``00-appraisal-basics.html`` and, released as it is, that student would never find it.

``ReleaseFeedbackUnderSubmittedNames`` (set as ``ExchangeFactory.release_feedback`` in the
course's nbgrader_config.py) first copies each such student's feedback to the name they submitted
(``feedback/<student>/<quiz>/00-appraisal-basics-Copy1.html``), as recorded in
``set-aside/fixes.jsonl``, then releases as nbgrader does.
"""

import shutil
from pathlib import Path

from nbgrader.exchange.default.release_feedback import ExchangeReleaseFeedback

from painlab.grading.submissions import read_fixes


def feedback_copies(course: Path, quiz: str, feedback_folder) -> list[tuple[Path, Path]]:
    """(generated feedback, copy under the submitted name) for each renamed notebook of a quiz.
    ``feedback_folder(student)`` is that student's feedback folder for the quiz."""
    copies = []
    for fix in read_fixes(course, quiz):
        if fix.get("action") != "renamed":
            continue
        folder = Path(feedback_folder(fix["student"]))
        generated = folder / f"{Path(fix['to']).stem}.html"
        submitted = folder / f"{Path(fix['from']).stem}.html"
        if generated.is_file() and generated != submitted:
            copies.append((generated, submitted))
    return copies


class ReleaseFeedbackUnderSubmittedNames(ExchangeReleaseFeedback):
    def copy_files(self):
        coursedir = self.coursedir
        for generated, submitted in feedback_copies(
                Path(coursedir.root), coursedir.assignment_id,
                lambda student: coursedir.format_path(coursedir.feedback_directory, student,
                                                      coursedir.assignment_id)):
            shutil.copyfile(generated, submitted)
            self.log.info("Feedback of renamed notebook %s also released as %s (the name the "
                          "student submitted)", generated, submitted.name)
        super().copy_files()
