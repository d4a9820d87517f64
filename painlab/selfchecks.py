"""The lessons' formative self-checks: read them from ``assets/checks/<stem>.yaml`` and give
feedback on an answer. The widget that shows one is ``painlab.widgets.self_check``."""

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from painlab import paths
from painlab.answers import AnswerFormError, check_choice, check_choices, check_number, normalise_label


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
    # In a self-check the learner clicks or types; say what to do in those words.
    if kind == "choice" and answer is None:
        return Feedback(False, "Choose one of the options first (click it, or Tab to the options "
                               "and use the arrow keys), then press Check my answer.")
    if kind == "multi" and not answer:
        return Feedback(False, "Tick at least one option first, then press Check my answer.")
    if kind == "number" and (answer is None or isinstance(answer, str)):
        unit = question.get("unit", "")
        if answer is None or not answer.strip():
            return Feedback(False, "Type a number in the box first, then press Check my answer.")
        return Feedback(False, f"“{answer}” is not a number the check can read: type the number "
                               "alone, with digits and a decimal point, e.g. 2.5"
                               + (f" (the unit, {unit}, is given already)." if unit else "."))
    try:
        if kind == "choice":
            labels = [o["label"] for o in question["options"]]
            check_choice(answer, labels)
            chosen = normalise_label(answer)
            option = next(o for o in question["options"] if o["label"] == chosen)
            correct = bool(option.get("correct"))
            message = option["why"]
        elif kind == "multi":
            labels = [o["label"] for o in question["options"]]
            check_choices(answer, labels)
            chosen = {normalise_label(a) for a in answer}
            right = {o["label"] for o in question["options"] if o.get("correct")}
            correct = chosen == right
            wrong = [o for o in question["options"] if (o["label"] in chosen) != (o["label"] in right)]
            message = " ".join(f"({o['label']}) {o['why']}" for o in wrong) or "All correct."
        elif kind == "number":
            check_number(answer, unit=question.get("unit", ""))
            value = float(answer)
            correct = math.isclose(value, question["answer"], rel_tol=question.get("rel_tol", 0.02))
            message = "Right." if correct else question.get(
                "hint", f"{value:g} is not it; look at how the quantity is defined.")
        else:
            raise ValueError(f"unknown self-check kind {kind!r}")
    except AnswerFormError as problem:
        return Feedback(False, str(problem))
    verdict = "Correct." if correct else "Not quite."
    return Feedback(correct, f"{verdict} {message} {question['explanation']}".strip())
