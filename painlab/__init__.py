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

# public name -> module that defines it
_EXPORTS = {
    "claim_explorer": "painlab.widgets.claim_explorer",
    "show_source": "painlab.claims",
    "show_claim": "painlab.claims",
    "show_claims": "painlab.claims",
    "load_claims": "painlab.claims",
    "bibliography": "painlab.references",
    "cite": "painlab.references",
    "self_check": "painlab.quiz",
    "nnt_explorer": "painlab.widgets.evidence",
    "show_verdict_scale": "painlab.quiz",
    "copy_my_quiz": "painlab.selfgrade",
    "grade_my_quiz": "painlab.selfgrade",
    "dose_response_explorer": "painlab.widgets.opioid_response",
    "escalate_or_taper": "painlab.widgets.opioid_response",
    "mechanism_diagram": "painlab.widgets.opioid_response",
    "show_vignette": "painlab.widgets.opioid_response",
    "potency_loss_to_fold_shift": "painlab.models.opioid_response",
}

__all__ = sorted(_EXPORTS)

# The interactive displays a lesson can call, with the CSS class of their root widget. Tests use
# it to demand a text description under each diagram and to find each display in the browser.
INTERACTIVE = {
    "nnt_explorer": "painlab-diagram",
    "dose_response_explorer": "painlab-diagram",
    "escalate_or_taper": "painlab-diagram",
    "mechanism_diagram": "painlab-diagram",
    "claim_explorer": "painlab-claim-explorer",
    "self_check": "painlab-self-check",
}


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'painlab' has no attribute {name!r}")
