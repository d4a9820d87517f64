"""The course manifest: one list of lessons that the package, the registry and the docs follow."""

import pytest

import painlab
from painlab import manifest, paths
from painlab.claims import TOPICS


def test_every_lesson_of_the_manifest_has_its_files():
    for lesson in manifest.lessons():
        if lesson.available:
            assert lesson.notebook.exists(), lesson.stem
            assert lesson.checks_file.exists(), lesson.stem
            assert lesson.quiz and (paths.QUIZ_SOURCES / lesson.quiz / f"{lesson.quiz}.ipynb").exists()
    stems = {lesson.stem for lesson in manifest.lessons()}
    assert {path.stem for path in paths.LESSONS.glob("*.ipynb")} <= stems, (
        "a lesson notebook is missing from lessons/lessons.yaml")
    quizzes = {lesson.quiz for lesson in manifest.lessons()}
    assert {path.parent.name for path in paths.QUIZ_SOURCES.glob("*/*.ipynb")} <= quizzes, (
        "a quiz is no lesson's quiz in lessons/lessons.yaml")


def test_every_registered_display_is_importable_from_painlab():
    for name, module in manifest.lesson_displays().items():
        assert callable(getattr(painlab, name)), (name, module)


def test_claim_topics_are_the_lessons_topics():
    assert TOPICS == tuple(dict.fromkeys(lesson.topic for lesson in manifest.lessons()))


def test_naming_rule():
    assert manifest.module_for_stem("05-non-drug-therapies") == "non_drug_therapies"
    with pytest.raises(manifest.ManifestError, match="'ketamine' must look like"):
        manifest.module_for_stem("ketamine")


@pytest.mark.parametrize("change,message", [
    ({"status": "done"}, "lesson 09-x: status 'done' is not one of"),
    ({"displays": {"x_explorer": "widget"}}, "display x_explorer has kind 'widget'"),
    ({"quiz": None}, None),
])
def test_broken_manifest_entries_are_named(change, message):
    entry = {"stem": "09-x", "title": "X", "teaches": "x", "topic": "general", "quiz": None,
             "status": "planned", **change}
    if message is None:
        assert manifest.parse_manifest({"lessons": [entry]})[0].module == "x"
        return
    with pytest.raises(manifest.ManifestError, match=message):
        manifest.parse_manifest({"lessons": [entry]})


def test_a_display_registered_twice_is_named():
    entry = {"stem": "09-x", "title": "X", "teaches": "x", "topic": "general", "quiz": None,
             "status": "planned", "displays": {"x_explorer": "diagram"}}
    with pytest.raises(manifest.ManifestError, match="x_explorer is registered by both"):
        manifest.parse_manifest({"lessons": [entry, {**entry, "stem": "10-y"}]})


# --- every public display is registered --------------------------------------------------------
# Modules of painlab/widgets that are not a lesson's: the diagram machinery and the course-wide
# displays (registered in manifest.CORE_DISPLAYS).
WIDGET_INFRASTRUCTURE = {"__init__", "base", "text", "plot_view", "keyboard", "shared", "self_check",
                         "claim_explorer"}


def public_functions(path) -> list[str]:
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.name for node in tree.body
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")]


def unregistered_displays(lessons, package_dir) -> list[str]:
    """Public functions of the lessons' display modules that the manifest does not register.
    ``describe_*`` (the text descriptions) are helpers, not displays."""
    problems = []
    modules = {lesson.module: lesson for lesson in lessons}
    for folder, kinds in (("widgets", {"diagram", "explorer"}), ("quizviews", {"quiz-display"})):
        for path in sorted((package_dir / folder).glob("*.py")):
            if folder == "widgets" and path.stem in WIDGET_INFRASTRUCTURE or path.stem == "__init__":
                continue
            lesson = modules.get(path.stem)
            if lesson is None:
                problems.append(f"painlab/{folder}/{path.name} belongs to no lesson of the manifest "
                                "(module = stem without NN-, - -> _; or the lesson's `module:`)")
                continue
            for name in public_functions(path):
                if name.startswith("describe_"):
                    continue
                if lesson.displays.get(name) not in kinds:
                    problems.append(f"{name} in painlab/{folder}/{path.name} is not registered as "
                                    f"{' or '.join(sorted(kinds))} under {lesson.stem} in "
                                    "lessons/lessons.yaml")
    return problems


def test_every_public_display_is_registered():
    assert unregistered_displays(manifest.lessons(), paths.ROOT / "painlab") == []


def test_an_unregistered_display_is_named(tmp_path):
    (tmp_path / "widgets").mkdir()
    (tmp_path / "quizviews").mkdir()
    (tmp_path / "widgets" / "x.py").write_text("def x_explorer():\n    pass\n\n\n"
                                              "def describe_x():\n    pass\n")
    (tmp_path / "widgets" / "stray.py").write_text("def y():\n    pass\n")
    entry = {"stem": "09-x", "title": "X", "teaches": "x", "topic": "general", "quiz": None,
             "status": "planned", "displays": {}}
    problems = unregistered_displays(manifest.parse_manifest({"lessons": [entry]}), tmp_path)
    assert len(problems) == 2
    assert "stray.py belongs to no lesson" in problems[0]
    assert "x_explorer in painlab/widgets/x.py is not registered" in problems[1]


def test_core_displays_are_defined_where_registered():
    for name in manifest.CORE_DISPLAYS:
        assert name in manifest.CORE_EXPORTS
    for name, module in manifest.CORE_EXPORTS.items():
        path = paths.ROOT / (module.replace(".", "/") + ".py")
        assert name in public_functions(path), f"{name} is not defined in {module}"


def test_every_display_a_lesson_calls_is_registered():
    """A lesson (or its quiz) that calls a painlab name must find it in the registry."""
    import re

    import nbformat

    exports = manifest.exports()
    for lesson in manifest.lessons():
        notebooks = [lesson.notebook]
        if lesson.quiz:
            notebooks.append(paths.QUIZ_SOURCES / lesson.quiz / f"{lesson.quiz}.ipynb")
        for notebook in notebooks:
            if not notebook.exists():
                continue
            for cell in nbformat.read(notebook, as_version=4).cells:
                for names in re.findall(r"^\s*from painlab import (\([^)]*\)|[^\n]+)", cell.source,
                                        re.M):
                    for name in filter(None, (n.strip(" ()\n") for n in names.split(","))):
                        assert name in exports, f"{notebook.name} imports unregistered {name}"


@pytest.mark.parametrize("name", sorted(manifest.TABLES))
def test_the_readme_and_self_study_tables_are_the_manifests(name):
    text = (paths.ROOT / name).read_text(encoding="utf-8")
    assert manifest.replace_table(text, manifest.TABLES[name]()) == text, (
        f"the table in {name} differs from lessons/lessons.yaml: run `python -m painlab.manifest`")


def test_replace_table_swaps_only_the_table():
    text = "intro\n\n| Quiz | After lesson |\n|---|---|\n| `old` | x |\n\nafter\n"
    new = manifest.replace_table(text, "| Quiz | After lesson |\n|---|---|\n| `new` | y |")
    assert new == "intro\n\n| Quiz | After lesson |\n|---|---|\n| `new` | y |\n\nafter\n"


def test_lesson_00_lists_each_lesson_with_its_manifest_status():
    import re

    import nbformat

    text = "\n".join(cell.source for cell in nbformat.read(paths.LESSONS / "00-start-here.ipynb", 4).cells
                     if cell.cell_type == "markdown")
    rows = dict(re.findall(r"^\| (\d\d) \| .* \| (available|planned) \|$", text, re.M))
    assert rows == {lesson.stem[:2]: lesson.status for lesson in manifest.lessons()}


def test_lesson_prose_leaves_which_lessons_exist_to_the_table():
    """Which lessons are written is the manifest's to say (the tables follow it); a sentence such
    as "the lessons on ketamine ... are still being written" goes stale the day one is merged."""
    import re

    import nbformat

    stale = re.compile(r"(still|yet to be|not yet|are)\s+(being\s+)?written|until\s+the\s+lessons", re.I)
    for lesson in manifest.lessons():
        path = paths.LESSONS / f"{lesson.stem}.ipynb"
        if not path.exists():
            continue
        for cell in nbformat.read(path, 4).cells:
            if cell.cell_type == "markdown":
                found = stale.search(cell.source)
                assert not found, f"{path.name}: '{found.group(0)}' (say it with the status table)"
