"""Quiz displays for the refractory-pain quiz: treatment histories as text (no plot, nothing
heavy), shown the same way in JupyterLab, in exported copies and under nbgrader."""

from painlab.models import refractory_pain as model


def show_history(history_id: str) -> None:
    """Display quiz treatment history ``history_id``: the story and a table of its steps."""
    from html import escape

    from IPython.display import display

    hist = model.quiz_history(history_id)
    rows = "".join(
        f"<tr><td>{escape(model.STRATEGIES[s.strategy])}</td><td>{escape(s.what)}</td>"
        f"<td>{s.start_week:g}-{s.end_week:g}</td><td>{escape(model.STATUSES[s.status])}</td>"
        f"<td>{escape(s.adverse or '-')}</td></tr>" for s in hist.steps)
    head = "".join(f"<th scope='col' style='text-align:left'>{h}</th>" for h in
                   ("Strategy", "What was given", "Weeks", "Status", "Adverse effects"))
    plain = f"History {history_id}: {hist.title}. {hist.story} Steps: " + "; ".join(
        f"{model.STRATEGIES[s.strategy]}: {s.what}, weeks {s.start_week:g}-{s.end_week:g}, "
        f"{model.STATUSES[s.status]}" for s in hist.steps) + "."
    html = (f"<div class='painlab-vignette'><p><strong>History {escape(history_id)}: "
            f"{escape(hist.title)}.</strong> {escape(hist.story)}</p>"
            f"<table><caption>Treatment history {escape(history_id)}</caption><thead><tr>{head}"
            f"</tr></thead><tbody>{rows}</tbody></table></div>")
    display({"text/plain": plain, "text/html": html}, raw=True)
