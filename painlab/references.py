"""The bibliography (CSL-JSON in assets/references.json) and citations.

Authors cite as ``[@chu2012]`` (several: ``[@chu2012; @lee2011]``). In the notebooks' markdown
these are rendered as author–year links by ``python -m painlab.citations`` (a test checks they
are); self-checks and content files keep ``[@key]``, rendered when displayed
(``render_citations``). A test checks that every cited key resolves.
"""

import json
import re
from functools import cache
from html import escape
from pathlib import Path

from painlab import paths

CITATION = re.compile(r"@([a-z][a-z0-9_]*[a-z0-9])")
CITATION_GROUP = re.compile(r"\[(@[^\]]+)\]")



@cache
def load_references(path: Path = paths.REFERENCES_FILE) -> dict[str, dict]:
    entries = json.loads(path.read_text(encoding="utf-8"))
    return {entry["id"]: entry for entry in entries}


# A rendered citation links to its reference's anchor (painlab.citations); code spans are text.
RENDERED_KEY = re.compile(r"\(#ref-([a-z][a-z0-9_]*[a-z0-9])\)")
CODE_SPAN = re.compile(r"`[^`\n]*`")


def cited_keys(text: str) -> list[str]:
    """Keys cited in markdown text, as ``[@key]`` or rendered (``[Lee et al. 2011](#ref-lee2011)``,
    painlab.citations), in order of first appearance; code spans do not count."""
    found: list[str] = []
    pattern = re.compile(rf"{CITATION_GROUP.pattern}|{RENDERED_KEY.pattern}")
    for match in pattern.finditer(CODE_SPAN.sub("", text)):
        keys = CITATION.findall(match.group(1)) if match.group(1) else [match.group(2)]
        found.extend(k for k in keys if k not in found)
    return found


def reference(key: str) -> dict:
    references = load_references()
    if key not in references:
        raise KeyError(f"unknown reference key {key!r}: add it to assets/references.json")
    return references[key]


def _authors(entry: dict, short: bool) -> str:
    authors, more = split_et_al(entry.get("author") or [])
    names = [a.get("literal") or f"{a.get('family', '')} {_initials(a.get('given', ''))}".strip()
             for a in authors]
    if not names:
        return ""
    if short:
        first = authors[0].get("literal") or authors[0].get("family", "")
        if more:
            return f"{first} et al."
        return first if len(names) == 1 else (
            f"{first} and {authors[1].get('family', '')}" if len(names) == 2 else f"{first} et al.")
    return ", ".join(names[:6]) + (", et al." if len(names) > 6 or more else "")


def split_et_al(authors: list[dict]) -> tuple[list[dict], bool]:
    """The named authors, and whether the list ends with ``{"literal": "et al."}``: an entry
    whose further authors were not confirmed (rendered "Fallon et al. 2018", "Fallon MT, et al.")."""
    if authors and authors[-1].get("literal") == "et al.":
        return authors[:-1], True
    return authors, False


def _initials(given: str) -> str:
    return "".join(part[0] for part in re.split(r"[\s.\-]+", given) if part)


def year(entry: dict) -> str:
    try:
        return str(entry["issued"]["date-parts"][0][0])
    except (KeyError, IndexError, TypeError):
        return "n.d."


def cite(key: str) -> str:
    """Short in-text form: 'Chu et al. 2012'."""
    entry = reference(key)
    return f"{_authors(entry, short=True)} {year(entry)}".strip()


def format_reference(key: str) -> str:
    """One reference in a Vancouver-like style, as HTML with a DOI or URL link."""
    entry = reference(key)
    pieces = [escape(_authors(entry, short=False)), f"({year(entry)}).",
              escape(entry.get("title", "")) + "."]
    venue = entry.get("container-title") or entry.get("publisher") or ""
    if venue:
        detail = escape(venue)
        if entry.get("volume"):
            detail += f" {escape(str(entry['volume']))}"
            if entry.get("issue"):
                detail += f"({escape(str(entry['issue']))})"
        if entry.get("page"):
            detail += f":{escape(str(entry['page']))}"
        pieces.append(f"<em>{detail}</em>.")
    if entry.get("DOI"):
        doi = escape(entry["DOI"])
        pieces.append(f"<a href='https://doi.org/{doi}'>doi:{doi}</a>")
    elif entry.get("URL"):
        url = escape(entry["URL"])
        pieces.append(f"<a href='{url}'>{url}</a>")
    return f"<li id='ref-{escape(key)}'><strong>{escape(cite(key))}.</strong> " + " ".join(
        p for p in pieces if p) + "</li>"


def render_citations(text: str) -> str:
    """'[@chu2012; @lee2011]' -> '(Chu et al. 2012; Lee et al. 2011)', for text shown outside
    the notebook's markdown (self-check feedback, widget descriptions)."""
    return CITATION_GROUP.sub(
        lambda group: "(" + "; ".join(cite(k) for k in CITATION.findall(group.group(1))) + ")", text)


def notebook_markdown(notebook: str) -> str:
    """All markdown of a lesson or quiz notebook, found by name (with or without .ipynb), plus
    the text of the lesson's self-checks and content file, which cite the same way."""
    stem = notebook.removesuffix(".ipynb")
    candidates = [paths.LESSONS / f"{stem}.ipynb", *paths.QUIZ_SOURCES.glob(f"*/{stem}.ipynb")]
    for path in candidates:
        if path.is_file():
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
            for extra in (paths.ASSETS / "checks" / f"{stem}.yaml", paths.CONTENT / f"{stem}.yaml"):
                if extra.is_file():  # the lesson's self-checks and content file cite the same way
                    text += "\n" + extra.read_text(encoding="utf-8")
            return text
    raise FileNotFoundError(f"no lesson or quiz notebook named {stem}.ipynb")


def bibliography_html(keys: list[str]) -> str:
    return "<ol class='painlab-references'>" + "".join(format_reference(k) for k in keys) + "</ol>"


def bibliography(notebook: str):
    """Display the references cited in a notebook's markdown, in order of first citation."""
    from IPython.display import HTML, display

    display(HTML(bibliography_html(cited_keys(notebook_markdown(notebook)))))
