"""The self-grading result as text in a terminal, and as the table grade_my_quiz shows."""

from pathlib import Path

from painlab.selfgrade import QuestionResult, Result, format_html, format_text


def test_terminal_result_shows_citations_as_text_not_markdown_links():
    """A rubric cites as rendered markdown, "([Hardy et al. 2012](#ref-hardy2012))"; a terminal
    cannot follow the link, so the reader sees "(Hardy et al. 2012)"."""
    rubric = ("**Rubric.**\n1. The largest trial ([Hardy et al. 2012](#ref-hardy2012); "
              "[Cohen et al. 2018](#ref-cohen2018)), see [the guide](https://example.org/a).")
    result = Result("00-appraisal-basics", Path("my-quizzes/00-appraisal-basics.ipynb"),
                    [QuestionResult("q7", "Question 7", 4, None, True, "", ["Mark it:", rubric])],
                    [])
    text = format_text(result)
    page = format_html(result)  # grade_my_quiz's table, in a notebook without the reference list
    assert "#ref-" not in page and "Hardy et al. 2012; Cohen et al. 2018" in page
    assert "(Hardy et al. 2012; Cohen et al. 2018)" in text
    assert "](#" not in text
    assert "[the guide](https://example.org/a)" in text  # a web address stays usable


def test_copy_my_quiz_over_an_existing_copy_says_what_to_run_in_a_notebook(tmp_path, monkeypatch):
    """In a notebook the advice is a call to run, not a terminal command in raw backticks."""
    from painlab import selfgrade

    existing = tmp_path / "my-quizzes" / "00-appraisal-basics.ipynb"
    existing.parent.mkdir()
    existing.write_text("{}")
    shown = []
    monkeypatch.setattr(selfgrade, "my_copy_path", lambda quiz: existing)
    monkeypatch.setattr(selfgrade, "_display_html", shown.append)
    assert selfgrade.copy_my_quiz("00-appraisal-basics") is None
    assert "<code>copy_my_quiz(&#x27;00-appraisal-basics&#x27;, force=True)</code>" in shown[0]
    assert "`" not in shown[0] and existing.read_text() == "{}"
