"""The verdict scale of the course: the five verdicts a claim can get and what each one takes.

Quizzes, the claim explorer and the lessons all use this one scale.
"""

# The verdict scale and what evidence each verdict needs.
VERDICTS = {
    "supported": "Good evidence (ideally systematic reviews or well-run trials in the relevant "
                 "patients) backs the claim as worded.",
    "oversimplified": "There is a true core, but the wording drops conditions, size of effect or "
                      "uncertainty that matter.",
    "unsupported": "No good evidence either way, or the evidence is too weak or indirect to "
                   "back the claim as worded.",
    "misleading": "Parts may be literally true, but the framing or an omission leads a reader "
                  "to a wrong conclusion.",
    "false": "Good evidence or an authoritative source (a drug label, a definition) "
             "contradicts the claim.",
}


def show_verdict_scale():
    """Display the verdict scale as a table."""
    from html import escape

    from IPython.display import HTML, display

    rows = "".join(f"<tr><th scope='row' style='text-align:left'>{escape(v)}</th>"
                   f"<td style='text-align:left'>{escape(d)}</td></tr>" for v, d in VERDICTS.items())
    header = "".join(f"<th style='text-align:left'>{name}</th>" for name in ("Verdict", "What it takes"))
    display(HTML(f"<table><caption>The verdict scale</caption><thead><tr>{header}</tr></thead>"
                 f"<tbody>{rows}</tbody></table>"))
