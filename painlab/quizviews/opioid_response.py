"""Quiz displays for the tolerance-versus-OIH quiz: the patient vignettes.

The model (numpy) is imported only where a plot is drawn: under nbgrader a vignette is its story
alone, read from the lesson's content file.
"""

from painlab.runtime import under_nbgrader


def describe_vignette(number: int) -> str:
    from painlab.models import opioid_response as model

    trajectory = model.vignette_trajectory(number)
    change = trajectory.change_week
    before = trajectory.dose_mg_per_day[change - 1]
    after = trajectory.dose_mg_per_day[change]
    pain = trajectory.pain_nrs
    return (f"Weekly pain (0-10) and daily dose over {trajectory.week[-1]} weeks. The dose is "
            f"{before:.0f} mg/day until week {change - 1} and {after:.0f} mg/day from week "
            f"{change}. Pain: week 0 {pain[0]:.1f}; week {change - 1} {pain[change - 1]:.1f}; "
            f"week {change} {pain[change]:.1f}; week {change + 1} {pain[change + 1]:.1f}; "
            f"week {change + 4} {pain[change + 4]:.1f}; week {trajectory.week[-1]} "
            f"{pain[-1]:.1f}. (Illustrative model.)")


def show_vignette(number: int) -> None:
    """Display quiz patient ``number``: the story, then a static plot of weekly pain and dose with
    a text description. Under nbgrader only the story is shown (fast, nothing heavy)."""
    import json
    from html import escape

    from IPython.display import display

    from painlab.content import lesson_content

    stories = lesson_content("02-tolerance-vs-oih")["vignettes"]  # one per model vignette (a test)
    if number not in stories:
        raise ValueError(f"there is no patient {number!r}; choose one of "
                         f"{', '.join(map(str, stories))}")
    story = " ".join(stories[number].split())
    display({"text/plain": f"Patient {number}. {story}",
             "text/html": f"<p class='painlab-vignette'><strong>Patient {number}.</strong> "
                          f"{escape(story)}</p>"}, raw=True)
    if under_nbgrader():
        return
    from painlab.figures.base import static_html
    from painlab.figures.opioid_response import vignette_figure

    figure = vignette_figure(number)
    description = describe_vignette(number)
    display({"application/vnd.plotly.v1+json": json.loads(figure.to_json()),
             "text/html": static_html(figure),
             "text/plain": description}, raw=True)
    display({"text/plain": f"What the plot shows: {description}",
             "text/html": f"<p class='painlab-description'><strong>What the plot shows:</strong> "
                          f"{escape(description)}</p>"}, raw=True)
