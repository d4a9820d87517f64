"""Answer checks and scorers for the nbgrader quizzes.

Form checks (``check_verdicts``, ``check_choice``, ``check_number``...) run in a quiz's *visible*
tests: they raise ``AnswerFormError`` with a message that names the problem, and never reveal the
answer. They return nothing: a check is often a cell's last line, and nbgrader reads the value of a
test cell's last expression as its score (a returned number made Validate fail with "partial credit
cannot be greater than maximum points"). IPython shows a failed check as its message alone
(``AnswerFormError._render_traceback_``), not as a traceback into this module.
Scorers run in the *hidden* tests and return points for nbgrader's partial credit; a
scorer's ``points=`` is the cell's nbgrader points.
This module imports nothing heavy (standard library only), so autograding stays fast.
"""

import math

from painlab.verdicts import VERDICTS


class AnswerFormError(AssertionError):
    """An answer has the wrong form. Subclasses AssertionError so nbgrader shows it as a failed
    test, with just the message."""

    def _render_traceback_(self):
        # IPython shows this instead of a traceback into this module: the student needs the
        # message, not the frames of the check.
        return [f"AnswerFormError: {self}"]


def _fail(message: str):
    raise AnswerFormError(message)


def _not_answered(value) -> bool:
    return value is None or value is Ellipsis


def _suggest(word: str, options) -> str:
    import difflib  # only for a wrong answer: not loaded while a correct quiz is graded

    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" Did you mean {close[0]!r}?" if close else ""


def normalise_label(value) -> str:
    """'  False ' -> 'false': case and surrounding spaces never cost marks."""
    return value.strip().lower() if isinstance(value, str) else value


def check_label(value, options, what: str = "answer") -> str:
    """One label from a fixed list; returns it normalised."""
    options = list(options)
    if _not_answered(value):
        _fail(f"The {what} is still empty: replace ... with one of {', '.join(options)}.")
    if isinstance(value, bool):
        _fail(f"The {what} is {value!r}, a Python True/False, not a word: write it as a string "
              f"in quotes, one of {', '.join(repr(o) for o in options)}.")
    if not isinstance(value, str):
        _fail(f"The {what} must be a string in quotes, not a {type(value).__name__} ({value!r}).")
    label = normalise_label(value)
    if label not in options:
        _fail(f"{value!r} is not a valid {what}; choose one of "
              f"{', '.join(repr(o) for o in options)}.{_suggest(label, options)}")
    return label


def check_verdicts(answer, claim_ids, verdicts=VERDICTS) -> None:
    """A dict {claim id: verdict} with exactly the given claim ids."""
    claim_ids = list(claim_ids)
    if _not_answered(answer):
        _fail("The answer is still empty: write a dict such as {'" + claim_ids[0] +
              "': 'misleading', ...}.")
    if isinstance(answer, dict) and all(_not_answered(v) for v in answer.values()):
        _fail("No verdicts yet: replace each ... with a verdict in quotes, one of "
              + ", ".join(repr(v) for v in verdicts) + ".")
    if not isinstance(answer, dict):
        _fail(f"The answer must be a dict {{claim id: verdict}}, not a {type(answer).__name__}.")
    extra = [k for k in answer if k not in claim_ids]
    if extra:
        hint = _suggest(str(extra[0]), claim_ids) if isinstance(extra[0], str) else ""
        _fail(f"{extra[0]!r} is not one of the claim ids asked for here "
              f"({', '.join(claim_ids)}).{hint}")
    missing = [c for c in claim_ids if c not in answer]
    if missing:
        _fail(f"No verdict yet for {', '.join(missing)}.")
    for claim_id in claim_ids:
        check_label(answer[claim_id], verdicts, f"verdict for {claim_id}")


def check_choice(answer, options, what: str = "answer") -> None:
    """One option label (e.g. 'b' or 'tolerance') from a list."""
    check_label(answer, options, what)


def check_choices(answer, options, what: str = "answer") -> None:
    """A set (or list/tuple) of option labels, each from the list, at least one chosen."""
    if _not_answered(answer):
        _fail(f"The {what} is still empty: write a set such as {{'{list(options)[0]}'}}.")
    if isinstance(answer, str) or not isinstance(answer, set | frozenset | list | tuple):
        _fail(f"The {what} must be a set of labels in curly braces, e.g. "
              f"{{'{list(options)[0]}'}}, not a {type(answer).__name__}.")
    if not answer:
        _fail(f"The {what} is an empty set: choose at least one label.")
    for item in answer:
        check_label(item, options, f"label in the {what}")


def check_labelled(answer, keys, options, what: str = "answer") -> None:
    """A dict {key: label} with exactly the given keys, each label from the options."""
    keys = list(keys)
    if _not_answered(answer):
        _fail(f"The {what} is still empty: write a dict such as {{'{keys[0]}': ...}}.")
    if not isinstance(answer, dict):
        _fail(f"The {what} must be a dict, not a {type(answer).__name__}.")
    for key in answer:
        if key not in keys:
            _fail(f"{key!r} is not one of the keys asked for ({', '.join(map(str, keys))}).")
    missing = [k for k in keys if k not in answer]
    if missing:
        _fail(f"The {what} has no entry yet for {', '.join(map(str, missing))}.")
    for key in keys:
        check_label(answer[key], options, f"label for {key}")


def check_number(answer, what: str = "answer", unit: str = "") -> None:
    """A finite real number (int or float; not a string, not a bool)."""
    unit_text = f" in {unit}" if unit else ""
    if _not_answered(answer):
        _fail(f"The {what} is still empty: replace ... with a number{unit_text}.")
    if isinstance(answer, str):
        _fail(f"The {what} is written as text in quotes ({answer!r}): write the number itself, "
              f"without quotes or units, e.g. {what} = 2.5.")
    if isinstance(answer, bool) or not isinstance(answer, int | float):
        _fail(f"The {what} must be a number{unit_text}, such as 2.5, not {answer!r}.")
    if not math.isfinite(answer):
        _fail(f"The {what} must be a finite number, not {answer!r}.")


# --- scoring (hidden tests) ----------------------------------------------------------------
def score_verdicts(answer: dict, key: dict, points: float) -> float:
    """Points for verdicts. ``key`` maps claim id -> {"accept": {verdict: credit 0-1}, ...};
    each claim is worth an equal share of ``points``."""
    share = points / len(key)
    total = 0.0
    for claim_id, entry in key.items():
        verdict = normalise_label(answer.get(claim_id)) if isinstance(answer, dict) else None
        total += share * entry["accept"].get(verdict, 0.0)
    return round(total, 2)


def score_labelled(answer: dict, key: dict, points: float) -> float:
    """Equal share of points for each key whose label is accepted (a label or a set of labels)."""
    share = points / len(key)
    accepted = {k: {v} if isinstance(v, str) else set(v) for k, v in key.items()}
    return round(sum(share for k, labels in accepted.items()
                     if normalise_label(answer.get(k)) in labels), 2)


def score_choices(answer, correct: set, options, points: float) -> float:
    """Set answers: +1 for each correct label chosen, -1 for each wrong one, floored at zero."""
    chosen = {normalise_label(a) for a in answer}
    raw = len(chosen & correct) - len(chosen - correct)
    return round(max(raw, 0) / len(correct) * points, 2)


def score_number(answer, target: float, rel_tol: float, points: float) -> float:
    """Full points within a relative tolerance of the target, else none."""
    return float(points) if math.isclose(float(answer), target, rel_tol=rel_tol) else 0.0
