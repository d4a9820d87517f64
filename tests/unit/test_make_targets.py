"""What a new user meets first: `make lab` and `make help`.

`make lab` serves the whole module (so my-quizzes/, SELF-STUDY.md, assets/sources/ and
autograded/ are reachable in the file browser, which starts in lessons/, and every relative link
of a lesson resolves) and opens lesson 00 in it; users add their own JupyterLab flags
without losing --allow-root."""

import re
import shlex
import subprocess
from pathlib import Path

import nbformat
import pytest

from ..conftest import ALL_NOTEBOOKS, ROOT

MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)")


def make_n(*args: str) -> str:
    done = subprocess.run(["make", "-n", *args], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def lab_command(*args: str) -> list[str]:
    lines = [line for line in make_n("lab", *args).splitlines() if "jupyter lab" in line]
    assert len(lines) == 1, lines
    return shlex.split(lines[0])


def option(command: list[str], name: str) -> str | None:
    for word in command:
        if word.startswith(f"{name}="):
            return word.split("=", 1)[1]
    return None


def test_make_lab_serves_the_module_and_opens_lesson_00():
    command = lab_command()
    assert Path(option(command, "--ServerApp.root_dir")).resolve() == ROOT
    opened = option(command, "--LabApp.default_url")
    assert opened == "/lab/tree/lessons/00-start-here.ipynb"
    assert (ROOT / opened.removeprefix("/lab/tree/")).is_file()
    # no positional notebook: that would make its folder the root of the file browser
    assert not [word for word in command if word.endswith(".ipynb") and not word.startswith("-")]


@pytest.mark.parametrize("notebook", ALL_NOTEBOOKS, ids=lambda p: p.stem)
def test_relative_links_stay_inside_what_make_lab_serves(notebook):
    served = Path(option(lab_command(), "--ServerApp.root_dir")).resolve()
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for target in MARKDOWN_LINK.findall(cell.source):
            if re.match(r"[a-z]+:|#", target):
                continue
            path = (notebook.parent / target.split("#")[0]).resolve()
            assert path.exists(), f"{notebook.name}: broken link {target}"
            assert path.is_relative_to(served), f"{notebook.name}: {target} is outside the server"


def test_own_lab_flags_keep_allow_root():
    command = lab_command("LAB_FLAGS=--port=8899 --no-browser")
    assert "--port=8899" in command and "--no-browser" in command
    root_flag = subprocess.run(["make", "-s", "-f", "-", "show"], cwd=ROOT, text=True,
                               input="include Makefile\nshow:\n\t@echo '$(ROOT_FLAG)'\n",
                               capture_output=True).stdout.strip()
    if root_flag:  # running as root: the flag must survive the user's own flags
        assert root_flag in command


def test_make_help_names_every_target():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    # every .PHONY line: a target declared further down the Makefile counts too
    phony = " ".join(re.findall(r"^\.PHONY:(.*)$", makefile, re.M)).split()
    shown = subprocess.run(["make", "help"], cwd=ROOT, capture_output=True, text=True).stdout
    for target in phony:
        if target != "help":
            assert re.search(rf"^make {re.escape(target)}\b", shown, re.M), target
    for doc in ["README.md", "SELF-STUDY.md", "docs/instructor-guide.md"]:
        for target in re.findall(r"`make ([a-z-]+)", (ROOT / doc).read_text(encoding="utf-8")):
            assert target in phony, f"{doc} names make {target}"
    assert "LAB_FLAGS" in shown
