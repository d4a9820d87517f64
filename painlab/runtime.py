"""Facts about where the code is running, so lessons degrade gracefully."""

import os


def under_nbgrader() -> bool:
    """True while nbgrader executes a notebook (autograde, validate, generate_assignment)."""
    return "NBGRADER_EXECUTION" in os.environ
