"""Citations in the notebooks' markdown, as readers see them: author–year links to a reference list.

Authors cite by key, ``[@lee2011; @colvin2019]``, as in every course text. JupyterLab's markdown
(and every nbconvert export) would show that raw, so the committed notebooks hold the rendered
form, made from the keys by this module and checked by a test against ``assets/references.json``:

    ([Lee et al. 2011](#ref-lee2011); [Colvin et al. 2019](#ref-colvin2019))

The key stays in the link target, so it remains the source of truth: running the conversion again
re-renders every citation from the current bibliography (a changed author or year follows), and
it converts any new ``[@key]`` an author wrote. Each notebook's "## References" markdown cell
(added at the end where there is none) is regenerated as the list of what the notebook cites, each
entry with the anchor the citations link to (``<a id="ref-lee2011"></a>``), so a citation leads to
its reference without running anything, in JupyterLab and in exports. The list also holds what
the lesson's self-checks and content file cite (their widgets show "(Lee et al. 2011)").

    python -m painlab.citations            # convert every lesson and quiz source in place
    python -m painlab.citations --check    # exit 1 if a notebook is not in the converted form

Text in code spans (`` `[@key]` ``) is left alone.
"""

import argparse
import re
import sys
from pathlib import Path

from painlab import paths
from painlab.references import (
    CITATION,
    CITATION_GROUP,
    CODE_SPAN,
    cite,
    cited_keys,
    reference,
    split_et_al,
    year,
)

RENDERED_ONE = r"\[[^\[\]]+\]\(#ref-([a-z][a-z0-9_]*[a-z0-9])\)"
RENDERED_GROUP = re.compile(rf"\(({RENDERED_ONE}(?:; {RENDERED_ONE})*)\)")
HEADING = "## References"
MARKER = {"painlab": {"generated": "references"}}


def render_group(keys: list[str]) -> str:
    return "(" + "; ".join(f"[{cite(key)}](#ref-{key})" for key in keys) + ")"


def _outside_code(text: str, function) -> str:
    pieces, last = [], 0
    for span in CODE_SPAN.finditer(text):
        pieces += [function(text[last:span.start()]), span.group(0)]
        last = span.end()
    return "".join(pieces + [function(text[last:])])


def render_text(text: str) -> str:
    """Raw ``[@key]`` groups and already rendered ones, (re)rendered from the bibliography."""
    def convert(part: str) -> str:
        part = RENDERED_GROUP.sub(
            lambda m: render_group(re.findall(r"\(#ref-([a-z0-9_]+)\)", m.group(0))), part)
        return CITATION_GROUP.sub(lambda m: render_group(CITATION.findall(m.group(1))), part)
    return _outside_code(text, convert)


keys_in = cited_keys  # keys cited in markdown, raw or rendered, in order of first appearance


def reference_markdown(key: str) -> str:
    """One entry of a notebook's reference list, in markdown, with its anchor."""
    entry = reference(key)
    authors, more = split_et_al(entry.get("author") or [])
    names = [a.get("literal") or " ".join(
        [a.get("family", ""), "".join(p[0] for p in re.split(r"[\s.\-]+", a.get("given", "")) if p)]
    ).strip() for a in authors]
    who = ", ".join(names[:6]) + (", et al." if len(names) > 6 or more else "")
    venue = entry.get("container-title") or entry.get("publisher") or ""
    detail = venue
    if venue and entry.get("volume"):
        detail += f" {entry['volume']}" + (f"({entry['issue']})" if entry.get("issue") else "")
    if venue and entry.get("page"):
        detail += f":{entry['page']}"
    link = (f"[doi:{entry['DOI']}](https://doi.org/{entry['DOI']})" if entry.get("DOI")
            else f"[{entry['URL']}]({entry['URL']})" if entry.get("URL") else "")
    parts = [f'<a id="ref-{key}"></a>**{cite(key)}.**', f"{who} ({year(entry)}).".strip(),
             f"{entry.get('title', '').rstrip('.')}.", f"*{detail}*." if detail else "", link]
    return " ".join(p for p in parts if p)


def references_cell_source(keys: list[str]) -> str:
    if not keys:
        return HEADING + "\n\nThis notebook cites no references."
    return HEADING + "\n\n" + "\n".join(f"{n}. {reference_markdown(k)}"
                                        for n, k in enumerate(keys, 1))


def _is_references_cell(cell) -> bool:
    return cell.cell_type == "markdown" and (
        cell.metadata.get("painlab", {}).get("generated") == "references"
        or cell.source.strip() == HEADING)


def companion_text(stem: str) -> str:
    """The text of a lesson's self-checks and content file, which cite the same way: their
    references join the notebook's list."""
    files = (paths.ASSETS / "checks" / f"{stem}.yaml", paths.CONTENT / f"{stem}.yaml")
    return "\n".join(f.read_text(encoding="utf-8") for f in files if f.is_file())


def convert_notebook(notebook, companion: str = "") -> bool:
    """Convert a notebook in place; True if anything changed. ``companion``: the text of its
    self-checks and content file, whose citations are listed after the notebook's own."""
    import nbformat

    changed = False
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and not _is_references_cell(cell):
            new = render_text(cell.source)
            if new != cell.source:
                cell.source, changed = new, True
    keys: list[str] = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and not _is_references_cell(cell):
            keys += [k for k in keys_in(cell.source) if k not in keys]
    keys += [k for k in keys_in(companion) if k not in keys]
    source = references_cell_source(keys)
    existing = [c for c in notebook.cells if _is_references_cell(c)]
    if existing:
        cell = existing[0]
        if cell.source != source or cell.metadata.get("painlab") != MARKER["painlab"]:
            cell.source, changed = source, True
            cell.metadata["painlab"] = dict(MARKER["painlab"])
    elif keys:
        cell = nbformat.v4.new_markdown_cell(source, metadata=dict(MARKER))
        notebook.cells.append(cell)
        changed = True
    return changed


def course_notebooks() -> list[Path]:
    """The lessons, the quiz sources, and the templates new lessons and quizzes start from."""
    templates = paths.ROOT / "docs" / "templates"
    return (sorted(paths.LESSONS.glob("*.ipynb")) + sorted(paths.QUIZ_SOURCES.glob("*/*.ipynb"))
            + sorted(templates.rglob("*.ipynb")))


def main(argv=None) -> int:
    import nbformat

    parser = argparse.ArgumentParser(prog="python -m painlab.citations",
                                     description="Render [@key] citations in the notebooks.")
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 if a notebook needs converting")
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args(argv)
    stale = []
    for path in args.notebooks or course_notebooks():
        notebook = nbformat.read(path, as_version=4)
        if convert_notebook(notebook, companion_text(Path(path).stem)):
            stale.append(path)
            if not args.check:
                nbformat.write(notebook, path)
    verb = "needs converting" if args.check else "converted"
    for path in stale:
        print(f"{path}: {verb}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
