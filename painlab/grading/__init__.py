"""Running nbgrader on this course: temporary course copies, the CLI, and reading grades."""
