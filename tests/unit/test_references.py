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
    keys = cited_keys(notebook_markdown(notebook.name))
    missing = [k for k in keys if k not in load_references()]
    assert not missing, f"{notebook.name} cites unknown keys: {missing}"


def test_formatting():
    assert cite("hardy2012") == "Hardy et al. 2012"
    html = format_reference("hardy2012")
    assert "doi.org/10.1200/JCO.2012.42.1081" in html
    assert bibliography_html(["hardy2012", "chu2012"]).count("<li") == 2
    with pytest.raises(KeyError, match="unknown reference key 'nobody1999'"):
        cite("nobody1999")
