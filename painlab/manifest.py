"""The course manifest (lessons/lessons.yaml): the one list of lessons and of the displays each
one registers. The package's exports, the claim topics, the README and SELF-STUDY tables, the
benchmark and the browser tests all read it, so a lesson is added in one place."""

from dataclasses import dataclass, field
from functools import cache

from painlab import paths

DISPLAY_KINDS = ("diagram", "explorer", "self-check", "quiz-display")
STATUSES = ("available", "planned")
# The CSS class of each kind's root widget: tests find displays in the browser by it.
CSS_CLASS = {"diagram": "painlab-diagram", "explorer": "painlab-claim-explorer",
             "self-check": "painlab-self-check"}


# Course-wide public names (not owned by one lesson) -> the module that defines each.
CORE_EXPORTS = {
    "claim_explorer": "painlab.widgets.claim_explorer",
    "show_source": "painlab.claims",
    "show_claim": "painlab.claims",
    "show_claims": "painlab.claims",
    "load_claims": "painlab.claims",
    "bibliography": "painlab.references",
    "cite": "painlab.references",
    "self_check": "painlab.widgets.self_check",
    "show_verdict_scale": "painlab.verdicts",
    "copy_my_quiz": "painlab.selfgrade",
    "grade_my_quiz": "painlab.selfgrade",
    "potency_loss_to_fold_shift": "painlab.models.opioid_response",
}
# The course-wide interactive displays and their kind (lesson displays: lessons.yaml).
CORE_DISPLAYS = {"claim_explorer": "explorer", "self_check": "self-check"}


class ManifestError(ValueError):
    """The manifest breaks a rule; the message names the lesson and the field."""


def module_for_stem(stem: str) -> str:
    """The naming rule from lesson stem to Python module name.

    >>> module_for_stem("03-nmda-ketamine")
    'nmda_ketamine'
    """
    number, _, words = stem.partition("-")
    if not (number.isdigit() and len(number) == 2 and words):
        raise ManifestError(f"lesson stem {stem!r} must look like 'NN-words-with-dashes'")
    return words.replace("-", "_")


@dataclass(frozen=True)
class Lesson:
    stem: str
    title: str
    teaches: str
    topic: str
    quiz: str | None
    status: str
    module: str
    displays: dict = field(default_factory=dict)

    @property
    def notebook(self):
        return paths.LESSONS / f"{self.stem}.ipynb"

    @property
    def quiz_notebook(self):
        """The quiz's nbgrader source notebook (None for a lesson without a quiz)."""
        return paths.QUIZ_SOURCES / self.quiz / f"{self.quiz}.ipynb" if self.quiz else None

    @property
    def checks_file(self):
        return paths.ASSETS / "checks" / f"{self.stem}.yaml"

    @property
    def content_file(self):
        return paths.CONTENT / f"{self.stem}.yaml"

    @property
    def available(self) -> bool:
        return self.status == "available"

    def display_module(self, name: str) -> str:
        """The module that defines display ``name`` of this lesson."""
        package = "quizviews" if self.displays[name] == "quiz-display" else "widgets"
        return f"painlab.{package}.{self.module}"


def parse_manifest(raw: dict, where: str = "lessons.yaml") -> tuple[Lesson, ...]:
    lessons = []
    for entry in raw["lessons"]:
        stem = entry.get("stem", "?")
        missing = {"stem", "title", "teaches", "topic", "quiz", "status"} - set(entry)
        if missing:
            raise ManifestError(f"{where}: lesson {stem} lacks {', '.join(sorted(missing))}")
        if entry["status"] not in STATUSES:
            raise ManifestError(f"{where}: lesson {stem}: status {entry['status']!r} is not one of "
                                f"{', '.join(STATUSES)}")
        displays = dict(entry.get("displays") or {})
        for name, kind in displays.items():
            if kind not in DISPLAY_KINDS:
                raise ManifestError(f"{where}: lesson {stem}: display {name} has kind {kind!r}, "
                                    f"not one of {', '.join(DISPLAY_KINDS)}")
        lessons.append(Lesson(stem=stem, title=entry["title"], teaches=entry["teaches"],
                              topic=entry["topic"], quiz=entry["quiz"], status=entry["status"],
                              module=entry.get("module") or module_for_stem(stem),
                              displays=displays))
    seen = {}
    for lesson in lessons:
        for name in lesson.displays:
            if name in seen:
                raise ManifestError(f"{where}: display {name} is registered by both {seen[name]} "
                                    f"and {lesson.stem}")
            seen[name] = lesson.stem
    return tuple(lessons)


@cache
def lessons() -> tuple[Lesson, ...]:
    """Every lesson of the course, in order."""
    return parse_manifest(paths.read_yaml(paths.MANIFEST_FILE), str(paths.MANIFEST_FILE.name))


def lesson(stem: str) -> Lesson:
    for candidate in lessons():
        if candidate.stem == stem:
            return candidate
    raise KeyError(f"no lesson {stem!r} in {paths.MANIFEST_FILE.name}")


def lesson_displays() -> dict[str, str]:
    """Every registered lesson display: public name -> the module that defines it."""
    return {name: lesson.display_module(name) for lesson in lessons() for name in lesson.displays}


def display_kinds() -> dict[str, str]:
    """Every registered display: public name -> kind."""
    return {name: kind for lesson in lessons() for name, kind in lesson.displays.items()}


def lesson_notebooks() -> list:
    """The notebook of every lesson of the manifest that has one yet, in course order."""
    return [lesson.notebook for lesson in lessons() if lesson.notebook.exists()]


def quiz_notebooks() -> list:
    """The quiz source notebook of every lesson that has one yet, in course order."""
    return [lesson.quiz_notebook for lesson in lessons()
            if lesson.quiz and lesson.quiz_notebook.exists()]


def exports() -> dict[str, str]:
    """Every name ``from painlab import <name>`` resolves -> the module that defines it."""
    return {**CORE_EXPORTS, **lesson_displays()}


def interactive() -> dict[str, str]:
    """Every interactive display (diagram, explorer, self-check) -> the CSS class of its root
    widget. Tests demand a text description under each and find each in the browser by it."""
    kinds = {**CORE_DISPLAYS, **display_kinds()}
    return {name: CSS_CLASS[kind] for name, kind in kinds.items() if kind in CSS_CLASS}


# --- the tables of README.md and SELF-STUDY.md, generated from the manifest ---------------------
def readme_table(all_lessons=None) -> str:
    """The lesson table of README.md."""
    rows = ["| Notebook | What it teaches | Quiz | Status |", "|---|---|---|---|"]
    for lesson in all_lessons or lessons():
        quiz = f"`{lesson.quiz}`" if lesson.quiz else ""
        rows.append(f"| `lessons/{lesson.stem}.ipynb` | {lesson.teaches} | {quiz} | "
                    f"{lesson.status} |".replace("|  |", "| |"))
    return "\n".join(rows)


def selfstudy_table(all_lessons=None) -> str:
    """The quiz table of SELF-STUDY.md: the quizzes of the available lessons."""
    rows = ["| Quiz | After lesson |", "|---|---|"]
    rows += [f"| `{lesson.quiz}` | `lessons/{lesson.stem}.ipynb` |"
             for lesson in all_lessons or lessons() if lesson.quiz and lesson.available]
    return "\n".join(rows)


TABLES = {"README.md": readme_table, "SELF-STUDY.md": selfstudy_table}


def replace_table(text: str, table: str) -> str:
    """``text`` with its first markdown table whose header matches ``table``'s replaced."""
    lines = text.split("\n")
    header = table.split("\n", 1)[0]
    start = lines.index(header)
    end = start
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    return "\n".join(lines[:start] + table.split("\n") + lines[end:])


def write_tables(root=None) -> list[str]:
    """Rewrite the tables of README.md and SELF-STUDY.md from the manifest; returns the files
    that changed."""
    changed = []
    for name, render in TABLES.items():
        path = (root or paths.ROOT) / name
        text = path.read_text(encoding="utf-8")
        new = replace_table(text, render())
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(name)
    return changed


if __name__ == "__main__":
    # python -m painlab.manifest: rewrite the README and SELF-STUDY tables after editing the manifest
    print("updated: " + (", ".join(write_tables()) or "nothing (tables already match)"))
