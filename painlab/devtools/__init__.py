"""The course's test and measurement harness. Lessons, quizzes and graders never import it.

- ``bench``: what users wait for, measured (``make bench``, ``python -m painlab.devtools.bench``);
- ``browser``: JupyterLab in headless Chromium, for the browser tests and the benchmark;
- ``notebooks``: the lesson notebooks' display calls, for the hygiene and browser tests;
- ``synthetic``: synthetic submissions (right, blank, adversarial) built from a quiz source;
- ``exchange``: a whole class (instructor and students) on one machine;
- ``timing``: nbgrader's steps for a class, timed (``python -m painlab.devtools.timing``);
- ``views``: what graders and students see in formgrader and feedback (leak checks).
"""
