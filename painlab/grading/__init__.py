"""Running nbgrader on this course: temporary course copies, the CLI, and reading grades.

- ``course``: course copies, nbgrader's command line, scores from the gradebook;
- ``preprocessors``: autograde steps that keep one bad submission from hurting the others or the
  instructor (registered in ``autograded/nbgrader_config.py``);
- ``submissions`` and ``report``: the pre-grading report (``python -m painlab.grading.report``);
- ``export``: grades with a status and a reason (``python -m painlab.grading.export``);
- ``quizinfo``: what a quiz source holds (questions, keys, rubrics);
- ``exchange``, ``synthetic``, ``timing``, ``views``: a whole class on one machine, synthetic
  submissions, step timings, and what graders and students see (for tests and measurements).
"""
