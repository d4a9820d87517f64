"""Citations in the notebooks read as author–year links to the notebook's own reference list
(painlab.citations), kept in sync with assets/references.json: the keys stay the source."""

import re

import nbformat
import pytest

from painlab import citations
from painlab.references import CITATION_GROUP, cite, load_references

from ..conftest import ALL_NOTEBOOKS


@pytest.mark.parametrize("notebook", ALL_NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_citations_are_rendered_from_the_bibliography(notebook):
    nb = nbformat.read(notebook, as_version=4)
    companion = citations.companion_text(notebook.stem)
    assert not citations.convert_notebook(nb, companion), (
        f"{notebook.name}: run `python -m painlab.citations` (raw [@key] or stale citations)")
    markdown = [c.source for c in nb.cells if c.cell_type == "markdown"]
    text = "\n".join(markdown)
    assert not CITATION_GROUP.search(citations.CODE_SPAN.sub("", text)), "raw [@key] left"
    cited = citations.keys_in("\n".join(m for m in markdown if not m.startswith("## References")))
    cited += [k for k in citations.keys_in(companion) if k not in cited]
    for label, key in re.findall(r"\[([^\[\]]+)\]\(#ref-([a-z0-9_]+)\)", text):
        assert key in load_references() and label == cite(key), (label, key)
    [references] = [c for c in nb.cells if c.cell_type == "markdown"
                    and c.metadata.get("painlab", {}).get("generated") == "references"]
    assert references.source.startswith("## References")
    anchors = re.findall(r'<a id="ref-([a-z0-9_]+)"></a>', references.source)
    assert anchors == cited, "every key cited (here, in its self-checks and content), and only those"


def test_rendering_is_idempotent_and_follows_the_bibliography():
    raw = "Tolerance [@chu2012; @colvin2019] and `[@hardy2012]` in code."
    once = citations.render_text(raw)
    assert once == ("Tolerance ([Chu et al. 2012](#ref-chu2012); [Colvin et al. 2019]"
                    "(#ref-colvin2019)) and `[@hardy2012]` in code.")
    assert citations.render_text(once) == once
    stale = once.replace("Chu et al. 2012", "Chu 2011")  # an entry corrected later
    assert citations.render_text(stale) == once
    assert citations.keys_in(once) == citations.keys_in(raw) == ["chu2012", "colvin2019"]


def test_check_mode_reports_a_notebook_to_convert(tmp_path, capsys):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("See [@chu2012].")])
    path = tmp_path / "new.ipynb"
    nbformat.write(notebook, path)
    assert citations.main(["--check", str(path)]) == 1
    assert citations.main([str(path)]) == 0 and citations.main(["--check", str(path)]) == 0
    converted = nbformat.read(path, as_version=4)
    assert "([Chu et al. 2012](#ref-chu2012))" in converted.cells[0].source
    assert '<a id="ref-chu2012"></a>' in converted.cells[-1].source
