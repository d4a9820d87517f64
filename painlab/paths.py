"""Where the course's files are. The package is installed in editable mode from the course folder,
so everything is found relative to this file."""

import re
import sys
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
# plotly.js as shipped inside the installed plotly package (found without importing plotly).
PLOTLY_FULL_JS = Path(find_spec("plotly").origin).parent / "package_data" / "plotly.min.js"


def plotlyjs_version(bundle: Path = PLOTLY_FULL_JS) -> str:
    """The plotly.js version a bundle states in its first lines ("plotly.js v4.1.1")."""
    with open(bundle, "rb") as file:
        head = file.read(200).decode("ascii", "replace")
    found = re.search(r"plotly\.js[^\n]* v(\d+\.\d+\.\d+)", head)
    return found.group(1) if found else "unknown"


def basic_bundle_path(version: str, prefix: str | Path = sys.prefix) -> Path:
    """Where ``painlab.plotly_bundle.ensure`` keeps plotly's basic bundle for ``version``."""
    return Path(prefix) / "share" / "painlab" / f"plotly-basic-{version}.min.js"


def browser_plotly_js(prefix: str | Path = sys.prefix) -> Path:
    """The plotly.js the browser draws the course's figures with: the basic bundle where it is
    in place for the installed plotly.js (painlab.plotly_bundle), else plotly's full bundle."""
    basic = basic_bundle_path(plotlyjs_version(), prefix)
    return basic if basic.is_file() else PLOTLY_FULL_JS


# The browser's plotly.js, and where the course's server extension serves it, relative to the
# server's base URL.
PLOTLY_JS = browser_plotly_js()
PLOTLY_URL_DIR = "painlab/static"
PLOTLY_URL_PATH = f"{PLOTLY_URL_DIR}/{PLOTLY_JS.name}"


def read_yaml(path: Path):
    """A course YAML file, parsed with libyaml's C parser when PyYAML has it (about ten times
    faster than the pure-Python one: lessons read several such files while they run)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=loader)
