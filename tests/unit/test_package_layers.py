"""The package's import graph: no circle, and no import from a lower layer to a higher one.

docs/package-map.md explains the layers. Every import counts, also one inside a function (a lazy
import is still a dependency) and ``import_module("painlab....")`` with a literal name.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from painlab import paths

from ..conftest import QUIZ_SOURCES, QUIZ_TEMPLATE

PACKAGE = paths.ROOT / "painlab"

# Lowest first. A module may import from its own layer and from the layers below it.
LAYERS = [
    ("base", ["paths", "runtime"]),
    ("course data", ["manifest", "content", "references", "citations", "verdicts", "answers",
                     "models"]),
    ("figures and registries", ["style", "figures", "claims", "selfchecks"]),
    ("displays", ["widgets", "quizviews"]),
    ("grading", ["grading"]),
    ("commands", ["selfgrade", "setup_views", "server", "lesson_saving", "plotly_bundle"]),
    ("public names", ["painlab", "quiz"]),
    ("harness", ["devtools"]),
]


def module_name(path: Path) -> str:
    parts = path.relative_to(paths.ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def room(module: str) -> str:
    """The first part after ``painlab.``: the file or folder a module lives in."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "painlab"


def layer_of(module: str) -> int:
    for index, (_, rooms) in enumerate(LAYERS):
        if room(module) in rooms:
            return index
    raise AssertionError(f"{module} is in no layer: add painlab/{room(module)} to LAYERS in "
                         f"{Path(__file__).name} and to docs/package-map.md")


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports_of(path: Path, known: set[str]) -> set[str]:
    """The painlab modules a file imports (a name imported from a package resolves to its
    submodule when there is one)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in known else node.module)
        elif (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", ""))
              == "import_module" and node.args and isinstance(node.args[0], ast.Constant)):
            found.add(node.args[0].value)
    return {name for name in found if name == "painlab" or name.startswith("painlab.")}


def graph() -> dict[str, set[str]]:
    known = set(modules())
    return {name: imports_of(path, known) - {name} for name, path in modules().items()}


def test_every_module_is_in_a_layer():
    for name in modules():
        layer_of(name)


def test_no_import_from_a_lower_layer_to_a_higher_one():
    wrong = [f"{module} ({LAYERS[layer_of(module)][0]}) imports {target} "
             f"({LAYERS[layer_of(target)][0]})"
             for module, targets in graph().items() for target in sorted(targets)
             if layer_of(target) > layer_of(module)]
    assert not wrong, "\n".join(wrong)


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node):
        state[node] = 1
        path.append(node)
        for target in sorted(edges.get(node, ())):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_import_graph_has_no_circle():
    # The package's __init__ is imported by every submodule anyway; it imports nothing itself.
    edges = {m: {t for t in ts if t != "painlab"} for m, ts in graph().items()}
    cycle = find_cycle(edges)
    assert cycle is None, " -> ".join(cycle)


def test_the_cycle_finder_finds_a_circle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_layer_check_sees_a_lazy_upward_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from painlab.widgets.base import Diagram\n"
                      "    import_module('painlab.devtools.bench')\n")
    assert imports_of(sample, {"painlab.widgets.base"}) == {"painlab.widgets.base",
                                                            "painlab.devtools.bench"}


def test_nothing_in_the_package_imports_the_quiz_facade():
    """painlab.quiz keeps released quizzes' names; the package itself uses the real modules."""
    users = [m for m, targets in graph().items() if "painlab.quiz" in targets]
    assert users == []


HEAVY = ("plotly", "ipywidgets", "anywidget", "numpy", "nbformat", "nbgrader")


def quiz_code_cells(notebook: Path) -> list[str]:
    import nbformat

    return [cell.source for cell in nbformat.read(notebook, as_version=4).cells
            if cell.cell_type == "code"]


@pytest.mark.parametrize("notebook", QUIZ_SOURCES + [QUIZ_TEMPLATE], ids=lambda p: p.stem)
def test_a_quiz_under_autograde_loads_nothing_heavy(notebook, tmp_path):
    """Every code cell of the quiz's solution runs in a fresh interpreter as under autograde;
    then neither plotly nor ipywidgets (nor anything else heavy but numpy, which models use)
    may be loaded."""
    quiz = notebook.stem
    cells = quiz_code_cells(notebook)
    script = tmp_path / "quiz.py"
    script.write_text(
        "import sys\n"
        f"for source in {cells!r}:\n"
        "    exec(compile(source, 'cell', 'exec'), globals())\n"
        f"heavy = sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY) - {'numpy'}!r})\n"
        "open('heavy.txt', 'w').write(','.join(heavy))\n", encoding="utf-8")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                            cwd=tmp_path,
                            env={**_env(), "NBGRADER_EXECUTION": "autograde"}, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    heavy = (tmp_path / "heavy.txt").read_text()
    assert heavy == "", f"{quiz} loads {heavy} under autograde"


def test_the_quiz_modules_alone_load_nothing_heavy():
    quizviews = sorted(f"painlab.quizviews.{p.stem}" for p in (PACKAGE / "quizviews").glob("*.py")
                       if p.stem != "__init__")
    code = ("import sys, painlab.quiz, painlab.answers, painlab.verdicts, painlab.selfchecks"
            + "".join(f", {m}" for m in quizviews)
            + f"; print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY) - {'numpy'}!r}))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=_env(), check=True)
    assert result.stdout.strip() == "[]"


def _env() -> dict:
    import os

    return dict(os.environ)
