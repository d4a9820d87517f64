"""Grading the course with nbgrader: what an instructor runs.

- ``course``: the course folder, course copies, nbgrader's command line, scores from the gradebook;
- ``preprocessors``: autograde steps that keep one bad submission from hurting the others or the
  instructor (registered in ``autograded/nbgrader_config.py``);
- ``submissions`` and ``report``: the pre-grading report (``python -m painlab.grading.report``);
- ``export``: grades with a status and a reason (``python -m painlab.grading.export``);
- ``quizinfo``: what a quiz source holds (questions, keys, rubrics).

The harness that tests and measures grading (synthetic submissions, a whole class on one machine,
step timings, leak checks) is in ``painlab.devtools``.
"""
