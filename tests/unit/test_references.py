"""The bibliography, and citations in every notebook."""

import json
import re

import pytest

from painlab import paths
from painlab.references import (
    bibliography_html,
    cite,
    cited_keys,
    format_reference,
    load_references,
    notebook_markdown,
)

from ..conftest import ALL_NOTEBOOKS
from ..textchecks import citation_problems


def test_every_entry_has_a_doi_or_url_and_a_year():
    for key, entry in load_references().items():
        assert re.fullmatch(r"[a-z][a-z0-9_]*[a-z0-9]", key), key
        assert entry.get("DOI") or entry.get("URL"), f"{key} has neither DOI nor URL"
        assert entry.get("title"), key
        assert entry["issued"]["date-parts"][0][0], key
        if entry.get("DOI"):
            assert entry["DOI"].startswith("10."), key


def test_ids_are_unique():
    entries = json.loads(paths.REFERENCES_FILE.read_text(encoding="utf-8"))
    ids = [e["id"] for e in entries]
    assert len(ids) == len(set(ids))


def test_cited_keys_parsing():
    text = "Tolerance [@chu2012; @colvin2019] and OIH [@lee2011]. Email a@b.c is no citation."
    assert cited_keys(text) == ["chu2012", "colvin2019", "lee2011"]


@pytest.mark.parametrize("notebook", ALL_NOTEBOOKS, ids=lambda p: p.stem)
def test_every_citation_resolves(notebook):
    import nbformat

    if notebook.parent == paths.LESSONS or notebook.parent.parent == paths.QUIZ_SOURCES:
        text = notebook_markdown(notebook.name)  # with the lesson's self-checks and content
    else:  # a template
        text = "\n".join(c.source for c in nbformat.read(notebook, as_version=4).cells
                         if c.cell_type == "markdown")
    assert citation_problems(text, notebook.name) == []


def test_formatting():
    assert cite("hardy2012") == "Hardy et al. 2012"
    html = format_reference("hardy2012")
    assert "doi.org/10.1200/JCO.2012.42.1081" in html
    assert bibliography_html(["hardy2012", "chu2012"]).count("<li") == 2
    with pytest.raises(KeyError, match="unknown reference key 'nobody1999'"):
        cite("nobody1999")


def test_an_author_list_that_ends_with_et_al_is_cited_as_et_al():
    # fallon2018: one confirmed author, the co-authors not confirmed; kim2008: twelve authors
    from painlab.citations import reference_markdown

    assert cite("fallon2018") == "Fallon et al. 2018"
    assert "Fallon MT, et al. (2018)" in format_reference("fallon2018")
    assert "Fallon MT, et al. (2018)" in reference_markdown("fallon2018")
    assert cite("kim2008") == "Kim et al. 2008"
    assert "Kharazia V, et al. (2008)" in reference_markdown("kim2008")
