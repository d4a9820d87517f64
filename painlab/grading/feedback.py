"""Feedback reaches a student whose notebook the pre-grading report renamed.

nbgrader files released feedback under a hash of the *submitted* notebook's name, and a student's
``fetch_feedback`` (and the Assignments tab) looks for the names the student submitted. After
``python -m painlab.grading.report QUIZ --fix`` renames ``00-appraisal-basics-Copy1.ipynb`` to
``00-appraisal-basics.ipynb`` so that it can be graded, the feedback is generated as
``00-appraisal-basics.html`` and, released as it is, that student would never find it.

``ReleaseFeedbackUnderSubmittedNames`` (set as ``ExchangeFactory.release_feedback`` in the
course's nbgrader_config.py) first copies each such student's feedback to the name they submitted
(``feedback/<student>/<quiz>/00-appraisal-basics-Copy1.html``), as recorded in
``set-aside/fixes.jsonl``, then releases as nbgrader does. A student whose feedback folder has
no submission secret (their submission was placed in ``submitted/`` by hand, not collected from
the exchange) is left out with an error naming them; nbgrader's own release stopped there, and
nobody after them got feedback.
"""

import glob
import os
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


def unreleasable_students(coursedir) -> list[str]:
    """Students with generated feedback for the quiz but no submission secret or timestamp."""
    found = []
    pattern = coursedir.format_path(coursedir.feedback_directory, coursedir.student_id or "*",
                                    coursedir.assignment_id)
    for page in glob.glob(os.path.join(pattern, "*.html")):
        folder = Path(page).parent
        if not ((folder / "submission_secret.txt").is_file() and
                (folder / "timestamp.txt").is_file()):
            found.append(folder.parent.name)
    return sorted(set(found))


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
        # nbgrader files feedback under a hash of the submission's secret: a feedback folder
        # without one (a submission placed by hand, not collected from the exchange) made the
        # whole release fail at that student, and nobody after them got feedback.
        unreleasable = unreleasable_students(coursedir)
        for student in unreleasable:
            self.log.error("Feedback for %s not released: their submission did not come "
                           "through the exchange (no submission_secret.txt or timestamp.txt).",
                           student)
        excluded = coursedir.student_id_exclude
        if unreleasable:
            coursedir.student_id_exclude = ",".join(filter(None, [excluded, *unreleasable]))
        try:
            super().copy_files()
        finally:
            coursedir.student_id_exclude = excluded
