"""Adding a lesson is the list in docs/authoring.md and nothing else.

This test adds a throw-away lesson, ``98-throwaway-topic``, in a temporary folder: exactly the
files the guide's checklist names (manifest entry, notebook from the template, model, figure,
widget and quiz-display modules, content file, self-checks, a quiz from the template; a real
lesson also adds its claims and references to the shared registry files). Then everything that
lists lessons must find it without any other change: the package's
exports and display registry, the claim topics, the README and SELF-STUDY tables, the content and
self-check loaders and their checks, the registration check, the benchmark's diagrams, the browser
tests' notebooks, the notebook tests' lists and the grading tools.
"""

import shutil
import sys
import textwrap
from importlib import import_module

import nbformat
import pytest
import yaml

import painlab
from painlab import claims, content, manifest, paths, selfchecks

from ..conftest import LESSON_TEMPLATE, QUIZ_TEMPLATE
from ..textchecks import citation_problems, quote_problems, strings_in
from .test_manifest import unregistered_displays

STEM, MODULE, QUIZ, TOPIC = "98-throwaway-topic", "throwaway_topic", "98-throwaway-quiz", "throwaway"

# What the checklist of docs/authoring.md touches, relative to the project root.
TOUCHED = [
    "lessons/lessons.yaml",
    f"lessons/{STEM}.ipynb",
    f"painlab/models/{MODULE}.py",
    f"painlab/figures/{MODULE}.py",
    f"painlab/widgets/{MODULE}.py",
    f"painlab/quizviews/{MODULE}.py",
    f"assets/content/{STEM}.yaml",
    f"assets/checks/{STEM}.yaml",
    f"autograded/source/{QUIZ}/{QUIZ}.ipynb",
    "README.md",
    "SELF-STUDY.md",
]

MODEL = '''"""An illustrative model for the throw-away lesson."""


def doubled(value_mg: float) -> float:
    """Twice the value.

    >>> doubled(2.0)
    4.0
    """
    return 2.0 * value_mg
'''
FIGURE = '''"""Model output -> figure."""

import plotly.graph_objects as go

from painlab.figures.base import FigureUpdate, new_figure
from painlab.models.throwaway_topic import doubled


def line_base() -> go.Figure:
    fig = new_figure("Doubled", "Value (mg)", "Twice the value (mg)")
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, doubled(1.0)], mode="lines"))
    return fig


def line_update(value: float) -> FigureUpdate:
    return FigureUpdate(traces=[{"x": [0, value], "y": [0, doubled(value)]}])
'''
WIDGET = '''"""The throw-away lesson's diagram."""

from painlab.content import lesson_content


def describe_line(value: float) -> str:
    label = lesson_content("98-throwaway-topic")["line"]["label"]
    return f"{label} {value:g} mg."


def line_explorer(value: float = 1.0):
    from painlab.figures.throwaway_topic import line_base, line_update
    from painlab.widgets.base import Diagram, slider

    return Diagram(title="Doubled", controls={"value": slider("Value", value, 0, 10, 1, unit="mg")},
                   base=line_base, update=line_update, describe=describe_line)
'''
QUIZVIEW = '''"""The throw-away quiz's display: nothing heavy at import."""


def show_case(number: int) -> None:
    from IPython.display import display

    display({"text/plain": f"Case {number}."}, raw=True)
'''
CONTENT = {"line": {"label": "The line shows twice the value [@hardy2012]; the value is"}}
CHECKS = [{"id": f"{STEM}/double", "kind": "number", "prompt": "What is twice 2 mg?",
           "answer": 4, "unit": "mg", "explanation": "Twice 2 is 4."}]


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A copy of the project's lists and assets in ``tmp_path``, with the throw-away lesson added
    by the checklist, and the package pointed at it."""
    root = tmp_path / "project"
    for folder in ("lessons", "assets"):
        shutil.copytree(paths.ROOT / folder, root / folder)
    shutil.copytree(paths.QUIZ_SOURCES, root / "autograded" / "source")
    for name in ("README.md", "SELF-STUDY.md"):
        shutil.copy(paths.ROOT / name, root / name)

    # 1. the manifest entry
    raw = yaml.safe_load((root / "lessons" / "lessons.yaml").read_text())
    raw["lessons"].append({"stem": STEM, "title": "A throw-away lesson", "teaches": "nothing",
                           "topic": TOPIC, "quiz": QUIZ, "status": "available",
                           "displays": {"line_explorer": "diagram", "show_case": "quiz-display"}})
    (root / "lessons" / "lessons.yaml").write_text(yaml.safe_dump(raw, sort_keys=False))
    # 2. the notebook, from the template, calling the lesson's own diagram
    lesson = nbformat.read(LESSON_TEMPLATE, as_version=4)
    for cell in lesson.cells:
        cell.source = (cell.source.replace("nnt_explorer", "line_explorer")
                       .replace("00-start-here", STEM).replace("relative-vs-absolute", "double"))
    nbformat.write(lesson, root / "lessons" / f"{STEM}.ipynb")
    # 3. model, figure, widget and quiz-display modules (on the package's search path)
    package = tmp_path / "package"
    for folder, text in (("models", MODEL), ("figures", FIGURE), ("widgets", WIDGET),
                         ("quizviews", QUIZVIEW)):
        (package / folder).mkdir(parents=True)
        (package / folder / f"{MODULE}.py").write_text(textwrap.dedent(text))
        subpackage = import_module(f"painlab.{folder}")
        monkeypatch.setattr(subpackage, "__path__", [*subpackage.__path__, str(package / folder)])
    # 4. content file and self-checks
    (root / "assets" / "content").mkdir(exist_ok=True)
    (root / "assets" / "content" / f"{STEM}.yaml").write_text(yaml.safe_dump(CONTENT))
    (root / "assets" / "checks" / f"{STEM}.yaml").write_text(yaml.safe_dump(CHECKS))
    # 5. the quiz, from the template
    quiz_folder = root / "autograded" / "source" / QUIZ
    quiz_folder.mkdir()
    shutil.copy(QUIZ_TEMPLATE, quiz_folder / f"{QUIZ}.ipynb")

    for name, value in {"ROOT": root, "ASSETS": root / "assets", "LESSONS": root / "lessons",
                        "MANIFEST_FILE": root / "lessons" / "lessons.yaml",
                        "CONTENT": root / "assets" / "content",
                        "COURSE": root / "autograded",
                        "QUIZ_SOURCES": root / "autograded" / "source"}.items():
        monkeypatch.setattr(paths, name, value)
    caches = [manifest.lessons, content.lesson_content, selfchecks.load_checks]
    for cached in caches:
        cached.cache_clear()
    # 6. the tables, regenerated from the manifest
    assert sorted(manifest.write_tables()) == ["README.md", "SELF-STUDY.md"]
    yield root, package
    for cached in caches:
        cached.cache_clear()
    for folder in ("models", "figures", "widgets", "quizviews"):
        sys.modules.pop(f"painlab.{folder}.{MODULE}", None)


def test_everything_finds_the_new_lesson(project):
    root, package = project
    from painlab.devtools import bench, browser
    from painlab.devtools.notebooks import interactive_calls
    from painlab.grading.course import quiz_names
    from painlab.grading.quizinfo import Quiz

    lesson = manifest.lesson(STEM)
    assert lesson.module == MODULE == manifest.module_for_stem(STEM)
    # the package's public names and the display registry
    assert painlab.line_explorer.__module__ == f"painlab.widgets.{MODULE}"
    assert painlab.show_case.__module__ == f"painlab.quizviews.{MODULE}"
    assert manifest.interactive()["line_explorer"] == "painlab-diagram"
    assert unregistered_displays(manifest.lessons(), package) == []
    # the claim topics
    assert TOPIC in claims.topics()
    # README and SELF-STUDY tables
    assert f"| `lessons/{STEM}.ipynb` | nothing | `{QUIZ}` | available |" in (
        root / "README.md").read_text()
    assert f"| `{QUIZ}` | `lessons/{STEM}.ipynb` |" in (root / "SELF-STUDY.md").read_text()
    # content, self-checks and their checks
    assert "twice the value" in content.lesson_content(STEM)["line"]["label"]
    assert selfchecks.evaluate(selfchecks.find_check(f"{STEM}/double"), 4).correct
    for path in (lesson.content_file, lesson.checks_file):
        for where, text in strings_in(paths.read_yaml(path)):
            assert citation_problems(text, where) + quote_problems(text, where) == []
    # the diagram works and describes itself from the content file
    diagram = painlab.line_explorer().set(value=3)
    assert diagram.description() == ("The line shows twice the value [@hardy2012]; the value is "
                                      "3 mg.")
    # the benchmark, the browser tests and the notebook tests
    assert "line_explorer" in bench.diagram_factories()
    assert lesson.notebook in browser.lesson_notebooks() == manifest.lesson_notebooks()
    assert ("line_explorer", "painlab-diagram") in interactive_calls(lesson.notebook)
    assert lesson.quiz_notebook in manifest.quiz_notebooks()
    # the grading tools
    assert QUIZ in quiz_names()
    assert Quiz(QUIZ).auto_points == 9


def test_the_checklist_in_the_authoring_guide_names_every_touched_file():
    guide = (paths.ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
    checklist = guide[guide.index("## Checklist"):]
    also = ["assets/claims.yaml", "assets/references.json", "tests/unit/test_<module>.py"]
    generic = set(also) | {p.replace(STEM, "<stem>").replace(MODULE, "<module>").replace(QUIZ, "<quiz>")
               for p in TOUCHED}
    missing = [p for p in sorted(generic) if f"`{p}`" not in checklist]
    assert not missing, f"docs/authoring.md's checklist does not name {missing}"
