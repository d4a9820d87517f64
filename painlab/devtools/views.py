"""What graders and students see: formgrader's page for a submission, rendered without a server,
and the visible text of an HTML page (for leak and escaping checks)."""

from html.parser import HTMLParser
from pathlib import Path


def formgrader_html(course: Path, quiz: str, student: str, notebook: str | None = None) -> str:
    """The HTML formgrader serves for one submitted notebook: nbgrader's own exporter and
    'formgrade' template on the autograded notebook, as its SubmissionHandler does."""
    from nbconvert.exporters import HTMLExporter
    from nbgrader.server_extensions.formgrader import handlers
    from traitlets.config import Config

    notebook = notebook or quiz
    config = Config()
    config.HTMLExporter.template_name = "formgrade"
    config.HTMLExporter.extra_template_basedirs = [handlers.template_path]
    resources = {"assignment_id": quiz, "notebook_id": notebook, "submission_id": "preview",
                 "index": 0, "total": 1, "base_url": "", "student": student,
                 "last_name": None, "first_name": None, "notebook_path": ""}
    path = Path(course) / "graded" / student / quiz / f"{notebook}.ipynb"
    html, _ = HTMLExporter(config=config).from_filename(str(path), resources=resources)
    return html


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style",):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("style",) and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The text of a page as a reader (or a student with 'view source') would find it: tags
    removed, entities decoded, whitespace collapsed; script contents are kept."""
    parser = _Text()
    parser.feed(html)
    return " ".join("".join(parser.parts).split())


def squash(text: str) -> str:
    """Text without any whitespace, to find a code line however the page spaced its tokens."""
    return "".join(text.split())


def _alnum(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


def find_leaks(page_html: str, quiz, own_text: str = "", released_text: str = "",
               min_chars: int = 10) -> list[str]:
    """Hidden-test and solution lines of ``quiz`` (a quizinfo.Quiz) that a page shows.

    Lines are compared on their letters and digits only, so syntax highlighting, markdown
    rendering and entities cannot hide a leak. Solution lines the student wrote themselves
    (``own_text``) and lines the released notebook also holds are allowed."""
    page = _alnum(visible_text(page_html))
    own, released = _alnum(own_text), _alnum(released_text)
    leaks = []
    for kind, lines in (("hidden test", quiz.hidden_lines()),
                        ("solution", quiz.solution_lines())):
        for line in lines:
            key = _alnum(line)
            if len(key) < min_chars or key in released:
                continue
            if kind == "solution" and key in own:
                continue
            if key in page:
                leaks.append(f"{kind}: {line}")
    for marker in ("BEGIN HIDDEN TESTS", "BEGIN SOLUTION", "ANSWER_KEY"):
        if marker in visible_text(page_html) and marker not in own_text:
            leaks.append(f"marker: {marker}")
    return leaks
