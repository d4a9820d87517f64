"""What grading writes into the course folder stays out of git and is removed by `make clean`."""

import re
import subprocess

from painlab.grading import sandbox

from ..conftest import ROOT

# nbgrader's own folders and the course's additions (the report's set-aside/, the sandbox's log)
WRITTEN = ["release", "submitted", "graded", "feedback", "gradebook.db", "set-aside",
           sandbox.LOG_FOLDER]


def test_grading_output_is_ignored_by_git_and_cleaned():
    clean = re.search(r"^clean:\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(encoding="utf-8"),
                      re.M).group(1)
    for name in WRITTEN:
        path = f"autograded/{name}"
        ignored = subprocess.run(["git", "check-ignore", "-q", "--no-index", path + "/x"],
                                 cwd=ROOT).returncode == 0 or subprocess.run(
            ["git", "check-ignore", "-q", "--no-index", path], cwd=ROOT).returncode == 0
        assert ignored, f"{path} is not ignored by git"
        assert path in clean, f"make clean does not remove {path}"
