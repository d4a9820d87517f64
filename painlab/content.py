"""A lesson's prose that code displays (diagram labels and explanations, vignette stories,
mechanism text), kept in assets/content/<stem>.yaml so it can be corrected without opening
Python. Numbers stay in the models; only text that interpolates them stays in code."""

from functools import cache

from painlab import paths


@cache
def lesson_content(stem: str) -> dict:
    """The content file of lesson ``stem`` as a dict (read once per kernel)."""
    path = paths.CONTENT / f"{stem}.yaml"
    if not path.exists():
        raise FileNotFoundError(f"lesson {stem!r} has no content file assets/content/{stem}.yaml")
    return paths.read_yaml(path) or {}
