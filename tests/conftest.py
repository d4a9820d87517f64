import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "lessons").glob("*.ipynb"))
QUIZ_SOURCES = sorted((ROOT / "autograded" / "source").glob("*/*.ipynb"))
ALL_NOTEBOOKS = LESSONS + QUIZ_SOURCES


def notebook_id(path: Path) -> str:
    return path.stem


@pytest.fixture
def under_nbgrader(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")


@pytest.fixture(scope="session")
def python_bin_dir() -> Path:
    return Path(sys.executable).parent
