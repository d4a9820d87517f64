"""The students' copy of the module (python -m painlab.grading.distribution): lessons, assets,
the helper package and the released quizzes, and no answers anywhere in it."""

import os
import subprocess
import sys

import nbformat
import pytest

from painlab.grading import distribution
from painlab.grading.course import command_environment, quiz_names
from painlab.grading.quizinfo import Quiz

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    folder = tmp_path_factory.mktemp("students") / "refractory-pain"
    done = subprocess.run([sys.executable, "-m", "painlab.grading.distribution", str(folder)],
                          env=command_environment(), capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return folder


def test_it_holds_the_lessons_assets_package_and_released_quizzes(copy):
    assert (copy / "lessons" / "lessons.yaml").is_file()
    assert sorted(p.name for p in (copy / "lessons").glob("*.ipynb"))
    assert (copy / "assets" / "claims.yaml").is_file()
    assert (copy / "painlab" / "quiz.py").is_file() and (copy / "pyproject.toml").is_file()
    for quiz in quiz_names():
        released = copy / "quizzes" / quiz / f"{quiz}.ipynb"
        nbformat.validate(nbformat.read(released, 4))


def test_it_holds_no_quiz_source_solution_hidden_test_answer_key_or_rubric(copy):
    assert not (copy / "autograded").exists() and not (copy / "painlab" / "devtools").exists()
    assert not list(copy.rglob("nbgrader_config.py"))
    quizzes = [Quiz(q) for q in quiz_names()]
    assert distribution.leaks(copy, quizzes) == []
    text = "\n".join(p.read_text(encoding="utf-8", errors="replace")
                     for p in copy.rglob("*") if p.is_file() and p.suffix != ".pyc")
    taught = distribution.teaching_text()  # what a rubric shares with a lesson is no secret
    for quiz in quizzes:
        for question in quiz.manual_questions:
            for line in question.rubric.splitlines():
                if len(line.strip()) > 20 and line.strip() not in taught:
                    assert line.strip() not in text, line
        for question in quiz.questions:
            for answer_key in question.answer_keys.values():
                for claim, entry in answer_key.items():
                    if len(entry.get("why", "")) > 20 and entry["why"] not in taught:
                        assert entry["why"] not in text, claim


def test_the_leak_search_finds_a_quiz_source(copy, tmp_path):
    quiz = Quiz(quiz_names()[0])
    (tmp_path / "stray.ipynb").write_text(quiz.path.read_text(encoding="utf-8"))
    assert distribution.leaks(tmp_path, [quiz])


def test_the_package_imports_from_the_copy_without_the_checkout(copy):
    env = {**command_environment(), "PYTHONPATH": str(copy)}
    code = ("import painlab, painlab.paths, painlab.quiz, painlab.answers; "
            "from painlab import manifest; print(painlab.paths.ROOT)")
    done = subprocess.run([sys.executable, "-c", code], cwd=copy, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert os.path.samefile(done.stdout.strip(), copy)
