"""Pure numpy models. Units are in the names; sources are in the docstrings."""
