"""Content files (assets/content/<stem>.yaml): the prose that code displays passes the same
citation and quote checks as the notebooks, and belongs to a lesson of the manifest."""

import pytest

from painlab import content, manifest, paths

from ..textchecks import citation_problems, quote_problems, strings_in

CONTENT_FILES = sorted(paths.CONTENT.glob("*.yaml"))
CHECK_FILES = sorted((paths.ASSETS / "checks").glob("*.yaml"))


def text_problems(path) -> list[str]:
    data = paths.read_yaml(path)
    problems = []
    for where, text in strings_in(data):
        label = f"{path.relative_to(paths.ROOT)} {where}"
        problems += citation_problems(text, label) + quote_problems(text, label)
    return problems


@pytest.mark.parametrize("path", CONTENT_FILES + CHECK_FILES, ids=lambda p: p.parent.name + "/" + p.stem)
def test_content_and_check_files_cite_and_quote_correctly(path):
    assert text_problems(path) == []


@pytest.mark.parametrize("path", CONTENT_FILES + CHECK_FILES, ids=lambda p: p.parent.name + "/" + p.stem)
def test_content_and_check_files_belong_to_a_lesson(path):
    assert path.stem in {lesson.stem for lesson in manifest.lessons()}, (
        f"{path.name}: no lesson {path.stem} in lessons/lessons.yaml")


def test_a_wrong_quote_or_an_unknown_key_is_found(tmp_path):
    bad = tmp_path / "09-x.yaml"
    bad.write_text('labels:\n  a: "As shown [@nosuchkey2099]."\n'
                   '  b: "“Ketamine is never addictive.” — claim S002-06"\n', encoding="utf-8")
    problems = _problems_outside(bad)
    assert any("cites unknown key nosuchkey2099" in p for p in problems)
    assert any("S002-06 is not quoted exactly" in p for p in problems)


def _problems_outside(path):
    problems = []
    for where, text in strings_in(paths.read_yaml(path)):
        problems += citation_problems(text, where) + quote_problems(text, where)
    return problems


def test_lesson_content_reads_the_file_and_names_a_missing_one(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "CONTENT", tmp_path)
    content.lesson_content.cache_clear()
    try:
        (tmp_path / "09-x.yaml").write_text("title: Hello\n", encoding="utf-8")
        assert content.lesson_content("09-x") == {"title": "Hello"}
        with pytest.raises(FileNotFoundError, match="lesson '10-y' has no content file"):
            content.lesson_content("10-y")
    finally:
        content.lesson_content.cache_clear()
