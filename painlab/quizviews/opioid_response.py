"""Quiz displays for the tolerance-versus-OIH quiz: the patient vignettes."""

from painlab.models import opioid_response as model
from painlab.runtime import under_nbgrader


def show_vignette(number: int) -> None:
    """Display quiz patient ``number``: the story, then a static plot of weekly pain and dose with
    a text description. Under nbgrader only the story is shown (fast, nothing heavy)."""
    import json
    from html import escape

    from IPython.display import display

    if number not in model.VIGNETTES:
        raise ValueError(f"there is no patient {number!r}; choose one of "
                         f"{', '.join(map(str, model.VIGNETTES))}")
    story = model.VIGNETTES[number]["story"]
    display({"text/plain": f"Patient {number}. {story}",
             "text/html": f"<p class='painlab-vignette'><strong>Patient {number}.</strong> "
                          f"{escape(story)}</p>"}, raw=True)
    if under_nbgrader():
        return
    from painlab.figures.base import static_html
    from painlab.figures.opioid_response import vignette_figure
    from painlab.widgets.opioid_response import describe_vignette

    figure = vignette_figure(number)
    description = describe_vignette(number)
    display({"application/vnd.plotly.v1+json": json.loads(figure.to_json()),
             "text/html": static_html(figure),
             "text/plain": description}, raw=True)
    display({"text/plain": f"What the plot shows: {description}",
             "text/html": f"<p class='painlab-description'><strong>What the plot shows:</strong> "
                          f"{escape(description)}</p>"}, raw=True)
