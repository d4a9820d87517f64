"""The display helpers lessons call: sources, claims, bibliography, self-checks, claim explorer."""

import csv

import pytest
from IPython.core.interactiveshell import InteractiveShell

from painlab.claims import load_claims, show_claim, show_claims, show_source
from painlab.quiz import find_check, self_check, show_verdict_scale
from painlab.references import bibliography, render_citations
from painlab.widgets.claim_explorer import ClaimExplorer, claim_explorer
from painlab.widgets.self_check import static_html

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


@pytest.fixture
def displayed(monkeypatch):
    """Collect what IPython.display.display would show."""
    shown = []
    shell = InteractiveShell.instance()
    monkeypatch.setattr(shell.display_pub, "publish", lambda data, **kw: shown.append(data))
    return shown


def html_of(shown) -> str:
    return "".join(item.get("text/html", "") for item in shown)


def test_show_source_highlights_its_claims(displayed):
    show_source("S004")
    html = html_of(displayed)
    assert "[S004-03]" in html and "Nearly 2% of cancer patients" in html
    assert "Kind of site" in html


def test_show_claim_and_claims(displayed):
    show_claim("S002-06")
    assert "“Ketamine is not addictive.”" in html_of(displayed)
    show_claims("tolerance-oih")
    assert html_of(displayed).count("<blockquote") == 1 + len(
        [c for c in load_claims().values() if c.topic == "tolerance-oih"])


def test_bibliography_lists_cited_references(displayed):
    bibliography("00-start-here")
    html = html_of(displayed)
    assert "doi.org/10.1200/JCO.2012.42.1081" in html  # Hardy 2012
    assert html.count("<li") >= 5


def test_render_citations():
    assert render_citations("shown [@hardy2012; @wang2021].") == (
        "shown (Hardy et al. 2012; Wang et al. 2021).")


def test_verdict_scale_table(displayed):
    show_verdict_scale()
    html = html_of(displayed)
    assert html.count("<tr>") == 6 and "<caption>" in html
    assert "well-run trials in the relevant patients" in html  # the content file's text


def test_self_check_widget_gives_feedback():
    check = self_check("00-start-here/relative-vs-absolute")
    box = check.widget()
    assert "painlab-self-check" in box._dom_classes
    check.button.click()
    # nothing chosen yet: said in the learner's words, not Python's ("replace ... with")
    assert "Choose one of the options first" in check.feedback.value
    assert "..." not in check.feedback.value
    check.control.value = "a"
    check.button.click()
    assert "✘" in check.feedback.value and "larger-sounding" in check.feedback.value
    check.control.value = "b"
    check.button.click()
    assert "✔" in check.feedback.value


def test_number_self_check_reads_text():
    check = self_check("00-start-here/nnt-from-difference")
    check.widget()
    check.control.value = "ten"
    check.button.click()
    assert "number" in check.feedback.value
    check.control.value = "10"
    check.button.click()
    assert "✔" in check.feedback.value


def test_self_check_static_fallback_hides_answer_in_details(under_nbgrader):
    bundle = self_check("00-start-here/call-to-action")._repr_mimebundle_()
    assert WIDGET_MIME not in bundle
    assert "<details>" in bundle["text/html"] and "Answer: (a), (b)" in bundle["text/html"]
    assert "(Wang et al. 2021)" in static_html(find_check("00-start-here/nnt-from-difference"))


def test_unknown_self_check_is_named():
    with pytest.raises(KeyError, match="no self-check '00-start-here/nope'"):
        find_check("00-start-here/nope")


def test_claim_explorer_records_saves_and_loads(tmp_path):
    explorer = ClaimExplorer(save_path=tmp_path / "v.csv")
    assert "without a reason" in explorer.record("S002-06", "false", "  ")
    assert explorer.verdicts["S002-06"] == ("false", "")  # recorded, as the message says
    assert explorer.record("S002-06", "false", "Schedule III (DEA 1999)") == (
        "Recorded 'false' for S002-06.")
    with pytest.raises(ValueError, match="'flase' is not a verdict"):
        explorer.record("S002-06", "flase", "x")
    with pytest.raises(ValueError, match="unknown claim id"):
        explorer.record("S999-01", "false", "x")
    path = explorer.save()
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert rows[0]["claim"] == "S002-06" and rows[0]["quote"] == "Ketamine is not addictive."
    again = ClaimExplorer(save_path=path)
    assert again.load() == 1 and "Schedule III" in again.table_html()


def test_claim_explorer_keeps_verdicts_saved_earlier(tmp_path):
    """After a restart, or from another lesson's explorer, saving adds to the saved table."""
    path = tmp_path / "my-verdicts.csv"
    first = ClaimExplorer(save_path=path)
    first.record("S002-06", "false", "Schedule III (DEA 1999)")
    first.save()
    other_lesson = ClaimExplorer(save_path=path)  # started before the next save
    later = ClaimExplorer(save_path=path)  # a new session loads what was saved
    assert later.loaded == 1 and "Schedule III" in later.table_html()
    later.record("S004-03", "unsupported", "No source")
    later.save()
    other_lesson.record("S002-06", "misleading", "changed my mind")
    other_lesson.save()
    rows = {row["claim"]: row["verdict"] for row in csv.DictReader(path.open(encoding="utf-8"))}
    assert rows == {"S002-06": "misleading", "S004-03": "unsupported"}
    widget_view = ClaimExplorer(save_path=path)
    widget_view.widget()
    assert "Loaded your 2 verdicts" in widget_view._controls["status"].value


def test_claim_explorer_widget_flow(tmp_path):
    explorer = ClaimExplorer(save_path=tmp_path / "v.csv")
    explorer.widget()
    controls = explorer._controls
    controls["source"].value = "S004"
    assert controls["claim"].value == "S004-01" and "[S004-03]" in controls["text"].value
    controls["claim"].value = "S004-03"
    controls["record"].click()
    assert "Choose a claim and a verdict" in controls["status"].value
    controls["verdict"].value = "unsupported"
    controls["reason"].value = "No source; 10-20% in reviews"
    controls["record"].click()
    assert "S004-03" in controls["table"].value
    controls["save"].click()
    assert (tmp_path / "v.csv").is_file() and "Saved 1 verdict to" in controls["status"].value


def test_claim_explorer_fallback(under_nbgrader):
    bundle = claim_explorer("S001")._repr_mimebundle_()
    assert WIDGET_MIME not in bundle and "[S001-06]" in bundle["text/html"]
