"""painlab: the helper package of the refractory-pain teaching module.

Lesson cells import what they display from here, e.g. ``from painlab import claim_explorer``.
Names are resolved lazily so that a quiz importing ``painlab.quiz`` under nbgrader does not pay
for plotly and ipywidgets.
"""

import sys
from importlib import import_module

__version__ = "0.1.0"

# nbformat (used here by self-grading and the grading tools) imports jsonschema, which compiles an
# IRI grammar at import time if the optional package rfc3987-syntax is installed (jupyter-events
# pulls it in): about a second, for a format check that no notebook uses (jsonschema issue #1428).
# jsonschema treats the package as optional, so a kernel that imports painlab first skips it.
# Only where it is not loaded yet: never unload something another library already uses.
if "rfc3987_syntax" not in sys.modules:
    sys.modules["rfc3987_syntax"] = None

# Course-wide public names -> the module that defines each. Lesson displays are not listed here:
# each lesson registers its own in lessons/lessons.yaml (painlab.manifest), the one place a
# display is registered.
_CORE_EXPORTS = {
    "claim_explorer": "painlab.widgets.claim_explorer",
    "show_source": "painlab.claims",
    "show_claim": "painlab.claims",
    "show_claims": "painlab.claims",
    "load_claims": "painlab.claims",
    "bibliography": "painlab.references",
    "cite": "painlab.references",
    "self_check": "painlab.widgets.self_check",
    "show_verdict_scale": "painlab.verdicts",
    "copy_my_quiz": "painlab.selfgrade",
    "grade_my_quiz": "painlab.selfgrade",
    "potency_loss_to_fold_shift": "painlab.models.opioid_response",
}
# The course-wide interactive displays and their kind (lesson displays: the manifest).
_CORE_DISPLAYS = {"claim_explorer": "explorer", "self_check": "self-check"}


def _exports() -> dict[str, str]:
    manifest = import_module("painlab.manifest")

    return {**_CORE_EXPORTS, **manifest.lesson_displays()}


def _interactive() -> dict[str, str]:
    """Every interactive display -> the CSS class of its root widget. Tests use it to demand a
    text description under each diagram and to find each display in the browser."""
    manifest = import_module("painlab.manifest")

    kinds = {**_CORE_DISPLAYS, **manifest.display_kinds()}
    return {name: manifest.CSS_CLASS[kind] for name, kind in kinds.items()
            if kind in manifest.CSS_CLASS}


def __getattr__(name):
    # Read lazily: a quiz that imports painlab.quiz under nbgrader never reads the manifest.
    if name == "_EXPORTS":
        return _exports()
    if name == "INTERACTIVE":
        return _interactive()
    if name == "__all__":
        return sorted(_exports())
    exports = _CORE_EXPORTS if name in _CORE_EXPORTS else _exports()
    if name in exports:
        return getattr(import_module(exports[name]), name)
    raise AttributeError(f"module 'painlab' has no attribute {name!r}")
