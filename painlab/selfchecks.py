"""The lessons' formative self-checks: read them from ``assets/checks/<stem>.yaml`` and give
feedback on an answer. The widget that shows one is ``painlab.widgets.self_check``."""

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from painlab import paths
from painlab.answers import AnswerFormError, check_choice, check_choices, check_number


@dataclass(frozen=True)
class Feedback:
    correct: bool
    message: str


@cache
def load_checks(lesson: str) -> dict[str, dict]:
    """A lesson's self-checks by id (read once per kernel; do not modify)."""
    questions = paths.read_yaml(Path(paths.ASSETS) / "checks" / f"{lesson}.yaml")
    return {q["id"]: q for q in questions}


def find_check(question_id: str) -> dict:
    lesson = question_id.split("/")[0]
    questions = load_checks(lesson)
    if question_id not in questions:
        raise KeyError(f"no self-check {question_id!r} in assets/checks/{lesson}.yaml")
    return questions[question_id]


def evaluate(question: dict, answer) -> Feedback:
    """Feedback for one answer to a self-check: says what is wrong, then explains."""
    kind = question["kind"]
    try:
        if kind == "choice":
            labels = [o["label"] for o in question["options"]]
            chosen = check_choice(answer, labels)
            option = next(o for o in question["options"] if o["label"] == chosen)
            correct = bool(option.get("correct"))
            message = option["why"]
        elif kind == "multi":
            labels = [o["label"] for o in question["options"]]
            chosen = check_choices(answer, labels)
            right = {o["label"] for o in question["options"] if o.get("correct")}
            correct = chosen == right
            wrong = [o for o in question["options"] if (o["label"] in chosen) != (o["label"] in right)]
            message = " ".join(f"({o['label']}) {o['why']}" for o in wrong) or "All correct."
        elif kind == "number":
            value = check_number(answer, unit=question.get("unit", ""))
            correct = math.isclose(value, question["answer"], rel_tol=question.get("rel_tol", 0.02))
            message = "Right." if correct else question.get(
                "hint", f"{value:g} is not it; look at how the quantity is defined.")
        else:
            raise ValueError(f"unknown self-check kind {kind!r}")
    except AnswerFormError as problem:
        return Feedback(False, str(problem))
    verdict = "Correct." if correct else "Not quite."
    return Feedback(correct, f"{verdict} {message} {question['explanation']}".strip())
