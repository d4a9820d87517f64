"""The source texts and the claim registry."""

import filecmp
import shutil
from pathlib import Path

import pytest
import yaml

from painlab import paths
from painlab.claims import (
    TOPICS,
    RegistryError,
    claims_for,
    highlight_source,
    load_claims,
    load_sources,
    parse_claims,
    validate_registry,
)

SHARED_SOURCES = paths.ROOT.parent / "shared" / "sources"


def test_registry_is_valid_and_complete():
    claims = load_claims()
    assert len(claims) >= 50
    for source_id in load_sources():
        assert len(claims_for(source_id=source_id)) >= 8, source_id
    assert {c.topic for c in claims.values()} == set(TOPICS)
    assert len(claims_for(topic="tolerance-oih")) >= 4


def test_registry_holds_no_verdicts():
    raw = yaml.safe_load(paths.CLAIMS_FILE.read_text(encoding="utf-8"))
    for entry in raw["claims"]:
        assert set(entry) <= {"id", "source", "topic", "quote", "summary"}, entry["id"]


def test_every_source_has_metadata():
    sources = load_sources()
    assert sorted(sources) == ["S000", "S001", "S002", "S003", "S004"]
    for source in sources.values():
        assert source.site_kind and source.promotes and source.title
        for call in source.calls_to_action:
            assert call in source.text


@pytest.mark.skipif(not SHARED_SOURCES.is_dir(), reason="../shared/sources is not beside the project")
def test_sources_are_byte_for_byte_copies():
    for original in sorted(SHARED_SOURCES.glob("*.txt")):
        assert filecmp.cmp(original, paths.SOURCES / original.name, shallow=False), original.name


def write_registry(tmp_path: Path, claims: list[dict]) -> list:
    sources = tmp_path / "sources"
    shutil.copytree(paths.SOURCES, sources)
    return parse_claims({"claims": claims}, "claims.yaml"), sources


GOOD = {"id": "S002-06", "source": "002_fefe1346ad5f8e5f.txt", "topic": "nmda-ketamine",
        "quote": "Ketamine is not addictive."}


@pytest.mark.parametrize("change,message", [
    ({"quote": "Ketamine is never addictive."}, "claim S002-06 .*002_fefe1346ad5f8e5f.txt.*verbatim"),
    ({"topic": "ketamine"}, "claim S002-06 .*topic 'ketamine' is not one of"),
    ({"id": "S2-6"}, "claim S2-6 .*id must look like"),
    ({"id": "S001-06"}, "claim S001-06 .*id says source 001"),
    ({"source": "002_missing.txt"}, "claim S002-06 .*source file not found"),
    ({"quote": "  "}, "empty quote"),
])
def test_broken_claims_are_named(tmp_path, change, message):
    claims, sources = write_registry(tmp_path, [{**GOOD, **change}])
    with pytest.raises(RegistryError, match=message):
        validate_registry(claims, sources)


def test_duplicate_ids_are_named(tmp_path):
    claims, sources = write_registry(tmp_path, [GOOD, GOOD])
    with pytest.raises(RegistryError, match="claim S002-06 .*duplicate id"):
        validate_registry(claims, sources)


def test_missing_field_is_named():
    with pytest.raises(RegistryError, match="claim S002-06: missing field.*quote"):
        parse_claims({"claims": [{k: v for k, v in GOOD.items() if k != "quote"}]})


def test_highlight_labels_every_claim_without_relying_on_colour():
    source = load_sources()["S002"]
    claims = claims_for(source_id="S002")
    html = highlight_source(source, claims, selected="S002-06")
    for claim in claims:
        assert f"[{claim.id}]" in html  # the id is written out, not only coloured
    assert html.count("<mark") == len(claims)
    assert "outline:2px solid" in html  # the selected claim is outlined


def test_highlight_escapes_source_html():
    source = load_sources()["S000"]
    html = highlight_source(source.__class__(**{**source.__dict__, "text": "<b>x</b> " + source.text}),
                            claims_for(source_id="S000"))
    assert "&lt;b&gt;x&lt;/b&gt;" in html
