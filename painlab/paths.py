"""Where the course's files are. The package is installed in editable mode from the course folder,
so everything is found relative to this file."""

from importlib.util import find_spec
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
SOURCES = ASSETS / "sources"
CLAIMS_FILE = ASSETS / "claims.yaml"
CONTENT = ASSETS / "content"
REFERENCES_FILE = ASSETS / "references.json"
LESSONS = ROOT / "lessons"
MANIFEST_FILE = LESSONS / "lessons.yaml"
COURSE = ROOT / "autograded"
QUIZ_SOURCES = COURSE / "source"
# plotly.js as shipped inside the installed plotly package (found without importing plotly), and
# where the course's server extension serves it, relative to the server's base URL.
PLOTLY_JS = Path(find_spec("plotly").origin).parent / "package_data" / "plotly.min.js"
PLOTLY_URL_DIR = "painlab/static"
PLOTLY_URL_PATH = f"{PLOTLY_URL_DIR}/{PLOTLY_JS.name}"


def read_yaml(path: Path):
    """A course YAML file, parsed with libyaml's C parser when PyYAML has it (about ten times
    faster than the pure-Python one: lessons read several such files while they run)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=loader)
