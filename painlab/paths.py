"""Where the course's files are. The package is installed in editable mode from the course folder,
so everything is found relative to this file."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
SOURCES = ASSETS / "sources"
CLAIMS_FILE = ASSETS / "claims.yaml"
REFERENCES_FILE = ASSETS / "references.json"
LESSONS = ROOT / "lessons"
COURSE = ROOT / "autograded"
QUIZ_SOURCES = COURSE / "source"
