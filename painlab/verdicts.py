"""The verdict scale of the course: the five verdicts a claim can get and what each one takes.

Quizzes, the claim explorer and the lessons all use this one scale. The names are fixed here
(quizzes check answers against them, and importing this under autograde reads no file); what
each verdict takes is prose, in lesson 00's content file (``verdict_scale``).
"""

VERDICTS = ("supported", "oversimplified", "unsupported", "misleading", "false")


def verdict_descriptions() -> dict[str, str]:
    """Verdict -> what it takes, in the scale's order (from assets/content/00-start-here.yaml)."""
    from painlab.content import lesson_content

    described = lesson_content("00-start-here")["verdict_scale"]
    return {verdict: described[verdict] for verdict in VERDICTS}


def show_verdict_scale():
    """Display the verdict scale as a table."""
    from html import escape

    from IPython.display import HTML, display

    rows = "".join(f"<tr><th scope='row' style='text-align:left'>{escape(v)}</th>"
                   f"<td style='text-align:left'>{escape(d)}</td></tr>"
                   for v, d in verdict_descriptions().items())
    header = "".join(f"<th style='text-align:left'>{name}</th>" for name in ("Verdict", "What it takes"))
    display(HTML(f"<table><caption>The verdict scale</caption><thead><tr>{header}</tr></thead>"
                 f"<tbody>{rows}</tbody></table>"))
