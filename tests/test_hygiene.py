"""Repository hygiene: clean notebooks, thin code cells, exact quotes, one environment, lint."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import nbformat
import pytest
import yaml
from packaging.requirements import Requirement

from painlab.devtools.notebooks import interactive_calls

from .conftest import ALL_NOTEBOOKS, LESSON_TEMPLATE, LESSONS, ROOT
from .textchecks import quote_problems


def tracked_files() -> list:
    try:
        listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                                check=True).stdout.split()
        return [ROOT / name for name in listed]
    except (OSError, subprocess.CalledProcessError):
        return [p for p in ROOT.rglob("*") if p.is_file() and ".venv" not in p.parts]


@pytest.mark.parametrize("notebook", ALL_NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_have_no_outputs(notebook):
    nb = nbformat.read(notebook, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs, f"{notebook.name}: strip outputs"
            assert cell.execution_count is None, f"{notebook.name}: clear execution counts"


@pytest.mark.parametrize("lesson", LESSONS + [LESSON_TEMPLATE], ids=lambda p: p.stem)
def test_lessons_are_thin_and_accessible(lesson):
    nb = nbformat.read(lesson, as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for source in code:
        lines = [line for line in source.splitlines() if line.strip()]
        assert len(lines) <= 2, f"{lesson.name}: code cells stay one or two lines:\n{source}"
        assert not re.search(r"^\s*(def|class|lambda)\b|^\s*import |^\s*from (?!painlab import )",
                             source, re.M), (
            f"{lesson.name}: lessons import only `from painlab import ...` and define nothing:"
            f"\n{source}")
    assert "not medical advice" in markdown.lower()
    assert "after this lesson you will be able to" in markdown.lower()
    diagrams = sum(1 for _name, css in interactive_calls(lesson) if css != "painlab-self-check")
    assert markdown.count("Text description") >= diagrams, (
        f"{lesson.name}: every interactive diagram needs a text description")
    for image in re.findall(r"!\[([^\]]*)\]\(", markdown):
        assert image.strip(), f"{lesson.name}: an image has no alt text"


@pytest.mark.parametrize("notebook", ALL_NOTEBOOKS, ids=lambda p: p.stem)
def test_quotes_in_notebooks_are_exact(notebook):
    nb = nbformat.read(notebook, as_version=4)
    problems = [problem for cell in nb.cells if cell.cell_type == "markdown"
                for problem in quote_problems(cell.source, notebook.name)]
    assert not problems, "\n".join(problems)


def pinned(requirements) -> dict:
    parsed = [Requirement(r) for r in requirements]
    return {r.name.lower(): str(r.specifier) for r in parsed}


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in environment["dependencies"] if isinstance(d, str)]
    pip_section = next(d["pip"] for d in environment["dependencies"] if isinstance(d, dict))
    assert pinned(pip_section) == pinned(project)
    assert "python=3.11" in conda and "pip" in conda
    assert "anywidget" in pinned(project)
    assert "conda-forge" in environment["channels"]
    assert not any(p.startswith(("-e", ".", "-r")) for p in pip_section), (
        "install the local package in postBuild, not from environment.yml")


def test_nbformat_validation_builds_no_grammars():
    """Every nbgrader command and Jupyter server imports jsonschema (through nbformat and
    jupyter-events); with rfc3987-syntax it built 38 parsers at import, about 1.1 s each time."""
    code = "import sys, nbformat.validator; print(sorted({'lark', 'rfc3987_syntax'} & set(sys.modules)))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout.strip()
    assert loaded == "[]"


def test_postbuild_installs_the_package():
    lines = (ROOT / "postBuild").read_text().splitlines()
    commands = [line for line in lines if line.strip() and not line.startswith("#")]
    assert commands[0] == "set -e"
    text = "\n".join(commands)
    assert "pip install" in text and "-e ." in text


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in readme and "make lab" in readme
    assert re.search(r"^make test$", ci, re.M)


def test_no_machine_paths_in_the_project():
    pattern = re.compile(r"/work/(main|shared)|/root/|\.library")
    for path in tracked_files():
        if path.suffix in {".png", ".db"} or not path.is_file() or path == Path(__file__):
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        assert not pattern.search(text), f"{path.relative_to(ROOT)} names a path of this machine"


def test_generated_nbgrader_folders_are_ignored():
    ignored = (ROOT / ".gitignore").read_text()
    for folder in ("release", "submitted", "graded", "feedback", "gradebook.db"):
        assert f"autograded/{folder}" in ignored


def test_ruff_is_clean():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "painlab", "tests", "lessons",
                             "autograded/source", "docs/templates"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr

