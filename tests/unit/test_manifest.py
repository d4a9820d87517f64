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
    assert {path.stem for path in paths.LESSONS.glob("[0-9][0-9]-*.ipynb")} <= stems


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
