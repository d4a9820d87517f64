"""The instructor guide cannot rot: its commands are run, in order, as written.

Every ```bash block of docs/instructor-guide.md starts with `# tested` (run here) or with
`# not run by the tests: <reason>`. The tested blocks run one by one, each in a fresh bash
(`set -euo pipefail`), with HOME set to a temporary folder holding a copy of the course at
~/refractory-pain/autograded, and `python` from a scratch environment (same packages, its own
sys.prefix) so that `python -m painlab.setup_views ...` does not change this environment's view.
"""

import csv
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from painlab import paths
from painlab.grading.course import make_course_copy, scratch_environment
from painlab.setup_views import current_view

GUIDE = paths.ROOT / "docs" / "instructor-guide.md"
BLOCK = re.compile(r"^```bash\n(.*?)^```", re.S | re.M)


def blocks() -> list[str]:
    return BLOCK.findall(GUIDE.read_text(encoding="utf-8"))


def runnable_blocks() -> list[str]:
    return [b for b in blocks() if b.startswith("# tested\n")]


def test_every_block_is_tested_or_says_why_not():
    found = blocks()
    assert len(runnable_blocks()) >= 12
    for block in found:
        first = block.splitlines()[0]
        assert first == "# tested" or re.match(r"# not run by the tests: \S.{10,}", first), block
    text = GUIDE.read_text(encoding="utf-8")
    assert text.count("```bash") == len(found), "every bash block is closed"


def test_guide_covers_the_lifecycle():
    commands = "\n".join(runnable_blocks())
    for needed in ["nbgrader db student import students.csv", "nbgrader generate_assignment",
                   "nbgrader release_assignment", "nbgrader fetch_assignment", "nbgrader submit",
                   "nbgrader collect", "python -m painlab.grading.report", "--fix",
                   "nbgrader autograde", "nbgrader generate_feedback", "nbgrader release_feedback",
                   "nbgrader fetch_feedback", "nbgrader export",
                   "--exporter=nbgrader.plugins.CsvExportPlugin",
                   "--force", "python -m painlab.setup_views instructor",
                   "python -m painlab.setup_views student", "chmod ugo+rwx"]:
        assert needed in commands, needed


@pytest.mark.parametrize("target, expected", [
    ("grade-report QUIZ=00-appraisal-basics FIX=--fix",
     "python -m painlab.grading.report 00-appraisal-basics --fix"),
    ("instructor", "python -m painlab.setup_views instructor"),
    ("selfgrade QUIZ=00-appraisal-basics", "painlab-selfgrade 00-appraisal-basics"),
])
def test_make_targets_named_in_the_guides_exist(target, expected):
    done = subprocess.run(["make", "-n", *target.split()],
                          cwd=paths.ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert expected in done.stdout


@pytest.mark.slow
def test_guide_commands_run_in_order(tmp_path):
    home = tmp_path / "home"
    make_course_copy(home / "refractory-pain" / "autograded")
    python = scratch_environment(tmp_path / "env")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("JUPYTER_", "XDG_")) and k != "VIRTUAL_ENV"}
    env["HOME"] = str(home)
    env["PATH"] = os.pathsep.join([str(python.parent), str(Path(sys.executable).parent),
                                   env.get("PATH", "")])
    outputs = []
    for number, block in enumerate(runnable_blocks(), 1):
        done = subprocess.run(["bash", "-c", "set -euo pipefail\n" + block], cwd=home, env=env,
                              capture_output=True, text=True, timeout=300)
        output = done.stdout + done.stderr
        assert done.returncode == 0, f"block {number} failed:\n{block}\n{output[-3000:]}"
        assert "| ERROR]" not in output and "| CRITICAL]" not in output, \
            f"block {number}:\n{block}\n{output[-3000:]}"
        outputs.append(output)
    text = "\n".join(outputs)
    course = home / "refractory-pain" / "autograded"

    assert re.search(r"^2733 .*inbound$", text, re.M)  # the exchange's privacy modes
    assert "There are 2 students in the database" in text
    assert "Summary: 0 problem(s) block grading" in text
    quiz = "00-appraisal-basics"
    rows = {(r["student_id"], r["assignment"]): r
            for r in csv.DictReader(open(course / "grades.csv"))}
    assert rows[("test-student", quiz)]["status"] == "graded"
    assert float(rows[("test-student", quiz)]["score"]) == 0  # submitted blank
    assert rows[("ada", quiz)]["status"] == "not-submitted"
    # generated for every quiz, released only for quiz 00: the others are left out, and said so
    assert {assignment for _student, assignment in rows} == {quiz}
    assert "02-tolerance-vs-oih: left out, nobody has submitted it yet" in text
    theirs = {(r["student_id"], r["assignment"]): r
              for r in csv.DictReader(open(course / "nbgrader-grades.csv"))}
    assert theirs[("test-student", quiz)]["score"] == rows[("test-student", quiz)]["score"]
    assert list((home / "test-student" / "00-appraisal-basics" / "feedback").glob("*/*.html"))
    assert current_view(python.parent.parent) == "instructor"  # the guide's last switch


def test_guide_names_the_formgrader_screens_nbgrader_shows():
    """The screens the guide sends instructors to are those of the installed formgrader, and the
    warnings nbgrader prints in a normal run are explained."""
    from importlib.util import find_spec

    templates = Path(find_spec("nbgrader").origin).parent / "server_extensions" / "formgrader"
    shown = " ".join(p.read_text(encoding="utf-8") for p in templates.rglob("*.tpl"))
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split("## 7. Hand-grade", 1)[1].split("## 8.", 1)[0]
    named = re.findall(r"\*\*([A-Z][A-Za-z #]+?)\*\*", section)
    assert {"Manage Assignments", "Manual Grading", "Manage Students"} <= set(named), named
    assert "Manage Submissions" not in section and "Gradebook" not in section  # not in 0.9.6
    for name in named:
        if name not in ("Nbgrader", "Next"):
            assert name.replace("Nbgrader → ", "") in shown, f"formgrader shows no {name!r}"
    for warning in ["Attribute 'checksum' for cell", "display_data_priority",
                    "left out, nobody has submitted it yet"]:
        assert warning in text, warning
