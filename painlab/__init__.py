"""painlab: the helper package of the refractory-pain teaching module.

Lesson cells import what they display from here, e.g. ``from painlab import claim_explorer``.
Every such name is registered in one place: ``painlab.manifest.CORE_EXPORTS`` for the course-wide
ones, ``lessons/lessons.yaml`` for each lesson's displays. Names are resolved lazily, so a quiz
importing ``painlab.quiz`` under nbgrader pays for neither plotly nor ipywidgets.
"""

import sys
from importlib import import_module
from pathlib import Path

__version__ = "0.1.0"

# nbformat (used here by self-grading and the grading tools) imports jsonschema, which compiles an
# IRI grammar at import time if the optional package rfc3987-syntax is installed (jupyter-events
# pulls it in): about a second, for a format check that no notebook uses (jsonschema issue #1428).
# jsonschema treats the package as optional, so a kernel that imports painlab first skips it.
# Only where it is not loaded yet: never unload something another library already uses.
if "rfc3987_syntax" not in sys.modules:
    sys.modules["rfc3987_syntax"] = None


_HERE = Path(__file__).parent


def __getattr__(name):
    # ``from painlab import paths`` asks for the attribute before it imports the submodule: a
    # submodule's name is answered at once, so that such imports (in painlab.quiz, under
    # nbgrader) do not read the manifest and its YAML.
    if name != "__all__" and (name.startswith("__") or (_HERE / f"{name}.py").is_file()
                              or (_HERE / name).is_dir()):
        raise AttributeError(f"module 'painlab' has no attribute {name!r}")
    # Read lazily: a quiz that imports painlab.quiz under nbgrader never reads the manifest.
    manifest = import_module("painlab.manifest")
    if name == "_EXPORTS":
        return manifest.exports()
    if name == "INTERACTIVE":
        return manifest.interactive()
    if name == "__all__":
        return sorted(manifest.exports())
    exports = manifest.CORE_EXPORTS if name in manifest.CORE_EXPORTS else manifest.exports()
    if name in exports:
        if (manifest.display_kinds().get(name) == "diagram"
                and not import_module("painlab.runtime").under_nbgrader()):
            # A lesson imports its diagrams in its first cell: the browser can start loading
            # plotly.js now, while the kernel runs the cells before the first diagram. (Under
            # nbgrader there is no browser: not even the plot view's module is imported.)
            import_module("painlab.widgets.plot_view").preload_plotly_js()
        return getattr(import_module(exports[name]), name)
    raise AttributeError(f"module 'painlab' has no attribute {name!r}")
