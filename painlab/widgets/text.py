"""Text shown inside widgets."""


def readable(html: str, *, attributes: str = "", style: str = "") -> str:
    """Text for an ipywidgets HTML widget, at a reading line height: ipywidgets sets 28 px (to line
    text up with controls), which makes paragraphs look double-spaced."""
    return f"<div {attributes} style='line-height:1.5;{style}'>{html}</div>"
