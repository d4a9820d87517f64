import sys
from pathlib import Path

import pytest

from painlab import manifest

ROOT = Path(__file__).resolve().parent.parent
# Lessons and quizzes are those of the manifest (tests/unit/test_manifest.py checks that no
# notebook or quiz folder is missing from it).
LESSONS = manifest.lesson_notebooks()
QUIZ_SOURCES = manifest.quiz_notebooks()
# The templates a new lesson and quiz start from: checked and run like the real ones.
TEMPLATES = ROOT / "docs" / "templates"
LESSON_TEMPLATE = TEMPLATES / "lesson-template.ipynb"
QUIZ_TEMPLATE = TEMPLATES / "quiz-template" / "quiz-template.ipynb"
ALL_NOTEBOOKS = LESSONS + QUIZ_SOURCES + [LESSON_TEMPLATE, QUIZ_TEMPLATE]


def notebook_id(path: Path) -> str:
    return path.stem


@pytest.fixture
def under_nbgrader(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")


@pytest.fixture(scope="session")
def python_bin_dir() -> Path:
    return Path(sys.executable).parent
