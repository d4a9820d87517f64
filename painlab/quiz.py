"""What a quiz imports: answer checks, scorers and the verdict scale, under their released names.

Released quizzes say ``from painlab.quiz import check_verdicts`` (and so on); those names stay
here. The code lives in its own modules: ``painlab.answers`` (form checks and scorers),
``painlab.verdicts`` (the verdict scale) and ``painlab.selfchecks`` (the lessons' self-checks).
Importing this module loads only the standard library and those modules, so autograding stays fast;
``self_check`` (a widget) is loaded only when it is asked for.
"""

from importlib import import_module

from painlab.answers import (
    AnswerFormError,
    check_choice,
    check_choices,
    check_label,
    check_labelled,
    check_number,
    check_verdicts,
    normalise_label,
    score_choices,
    score_labelled,
    score_number,
    score_verdicts,
)
from painlab.selfchecks import Feedback, evaluate, find_check, load_checks
from painlab.verdicts import VERDICTS, show_verdict_scale

__all__ = ["VERDICTS", "AnswerFormError", "Feedback", "check_choice", "check_choices", "check_label",
           "check_labelled", "check_number", "check_verdicts", "evaluate", "find_check",
           "load_checks", "normalise_label", "score_choices", "score_labelled", "score_number",
           "score_verdicts", "show_verdict_scale"]


def __getattr__(name):
    # The self-check widget needs ipywidgets: loaded only when a lesson asks for it.
    if name == "self_check":
        return import_module("painlab.widgets.self_check").self_check
    raise AttributeError(f"module 'painlab.quiz' has no attribute {name!r}")
