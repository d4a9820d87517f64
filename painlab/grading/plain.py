"""Answers as plain data: what leaves a student's kernel to be scored elsewhere.

Autograde scores each test cell in a kernel of its own (``painlab.grading.scoring``), not in
the student's. Just before a test cell runs in the student's kernel, ``capture`` writes the
values of the names that cell reads as JSON, and ``restore`` rebuilds them in the scoring
kernel. Only plain data crosses: ``None``, ``...``, bools, ints, floats, strings, and lists,
tuples, sets, frozensets and dicts of them. Anything else (a function, a numpy array, an
object of the student's own class) arrives as a stand-in with the same type name and ``repr``
and no behaviour: every check rejects it as it would reject the original, and no scorer gives
it credit. Subclasses of the plain types (``numpy.float64``, or a ``str`` subclass whose
``__eq__`` says yes to everything) arrive as their plain base value, which is all an honest
answer needs.

``capture`` runs in the student's kernel, so the student can change what it reports: only into
other plain data, which is what writing a different answer would do. ``restore`` trusts
nothing in the text: sizes, depth and types are checked, and what does not fit becomes a
stand-in. ``tampering`` notes what code in the kernel did to grading itself (replaced a
scorer, a builtin, the display hook, exception handling) so the instructor's export can say
so; it is a report, not a defence (a student can hide from it; the scores do not depend on it).

Standard library only: ``capture`` is imported into every student's kernel at autograde.
"""

import json
import math
import sys

__all__ = ["capture", "restore", "decode", "tampering", "MAX_CHARS", "MISSING"]

MAX_CHARS = 200_000  # of one capture's JSON
MAX_ITEMS = 10_000  # elements in one answer, all levels together
MAX_DEPTH = 10
MAX_STRING = 10_000
MAX_INT_DIGITS = 100
REPR_CHARS = 200
UNDEFINED = "undefined"  # the tag of a name the kernel did not define (a string is ["str", ...])
NOTE_CHARS = 200  # of one note that comes from the student's kernel


class _Missing:
    """What ``decode`` gives for a name the student's kernel did not define (not a string, so an
    answer "undefined" stays an answer)."""

    __slots__ = ()

    def __repr__(self):
        return "<undefined>"


MISSING = _Missing()
_PLAIN_TYPES = (bool, int, float, str, list, tuple, set, frozenset, dict)


class _TooBig(Exception):
    pass


def _type_name(value) -> str:
    try:
        return str(type.__getattribute__(type(value), "__name__"))[:80]
    except Exception:  # noqa: BLE001 (anything the student's class does)
        return "object"


def _safe_repr(value) -> str:
    try:
        text = repr(value)
        return text if isinstance(text, str) and type(text) is str else object.__repr__(value)
    except Exception:  # noqa: BLE001
        return object.__repr__(value)


def _encode(value, budget: list, depth: int, notes: list, name: str):
    budget[0] -= 1
    if budget[0] < 0 or depth > MAX_DEPTH:
        raise _TooBig
    if value is None:
        return None
    if value is Ellipsis:
        return ["ellipsis"]
    kind = type(value)  # the real type (isinstance can be lied to with a __class__ property)
    if kind is bool:
        return bool(value)
    base = next((t for t in _PLAIN_TYPES if issubclass(kind, t)), None)
    if base is None:
        text = _safe_repr(value)[:REPR_CHARS]
        notes.append(f"{name} is a {_type_name(value)}, not plain data")
        return ["opaque", _type_name(value), text]
    if kind is not base:
        notes.append(f"{name} is a {_type_name(value)} (a subclass of {base.__name__}): "
                     f"read as a plain {base.__name__}")
    if base is int:
        digits = int.__repr__(value)
        if len(digits) > MAX_INT_DIGITS:
            raise _TooBig
        return ["int", digits]
    if base is float:
        return ["float", float.__repr__(value)]
    if base is str:
        text = str.__str__(value)
        if len(text) > MAX_STRING:
            raise _TooBig
        return ["str", text]
    if base is dict:
        return ["dict", [[_encode(k, budget, depth + 1, notes, name),
                          _encode(v, budget, depth + 1, notes, name)]
                         for k, v in dict.items(value)]]
    items = {list: list.__iter__, tuple: tuple.__iter__, set: set.__iter__,
             frozenset: frozenset.__iter__}[base](value)
    return [base.__name__, [_encode(item, budget, depth + 1, notes, name) for item in items]]


def capture(namespace: dict, names) -> str:
    """JSON of the plain-data values of ``names`` in ``namespace`` (the kernel's globals),
    with notes on what had to be changed, and what ``tampering`` finds."""
    values, notes = {}, []
    for name in names:
        if not isinstance(name, str):
            continue
        if name not in namespace:
            values[name] = [UNDEFINED]
            continue
        try:
            values[name] = _encode(namespace[name], [MAX_ITEMS], 0, notes, name)
        except (_TooBig, RecursionError):
            notes.append(f"{name} is too large to grade")
            values[name] = ["opaque", _type_name(namespace[name]), "<too large to grade>"]
            continue
        except Exception:  # noqa: BLE001 (a hostile object's methods)
            notes.append(f"{name} could not be read")
            values[name] = ["opaque", _type_name(namespace[name]), "<too large to grade>"]
    try:
        tampered = tampering(namespace)
    except Exception as problem:  # noqa: BLE001
        tampered = [f"the check for tampering failed ({_type_name(problem)})"]
    return json.dumps({"values": values, "notes": notes[:20], "tampering": tampered[:20]})


# --- the scoring side: nothing in the text is trusted -----------------------------------------
class _Count:
    def __init__(self):
        self.left = MAX_ITEMS


def _opaque(type_name, text):
    """A value with the original's type name and repr, and no behaviour of its own."""
    name = type_name if isinstance(type_name, str) and type_name.isidentifier() else "object"
    shown = text if isinstance(text, str) else "<unknown>"
    shown = shown[:REPR_CHARS]
    return type(name, (), {"__repr__": lambda self: shown, "__slots__": (),
                           "__module__": "submission"})()


def _decode(node, count: _Count, depth: int):
    count.left -= 1
    if count.left < 0 or depth > MAX_DEPTH:
        raise ValueError("too large")
    if node is None or node is True or node is False:
        return node
    if not isinstance(node, list) or not node or not isinstance(node[0], str):
        raise ValueError("malformed")
    tag, rest = node[0], node[1:]
    if tag == "ellipsis" and not rest:
        return Ellipsis
    if tag == "int" and len(rest) == 1 and isinstance(rest[0], str) and \
            len(rest[0]) <= MAX_INT_DIGITS + 1:
        return int(rest[0])
    if tag == "float" and len(rest) == 1 and isinstance(rest[0], str) and len(rest[0]) < 40:
        return float(rest[0])
    if tag == "str" and len(rest) == 1 and isinstance(rest[0], str) and \
            len(rest[0]) <= MAX_STRING:
        return rest[0]
    if tag == "opaque" and len(rest) == 2:
        return _opaque(*rest)
    if len(rest) != 1 or not isinstance(rest[0], list):
        raise ValueError("malformed")
    items = rest[0]
    if tag == "dict":
        result = {}
        for pair in items:
            if not isinstance(pair, list) or len(pair) != 2:
                raise ValueError("malformed")
            result[_decode(pair[0], count, depth + 1)] = _decode(pair[1], count, depth + 1)
        return result
    kinds = {"list": list, "tuple": tuple, "set": set, "frozenset": frozenset}
    if tag in kinds:
        return kinds[tag](_decode(item, count, depth + 1) for item in items)
    raise ValueError("malformed")


def clean_note(text) -> str:
    """A note from the student's kernel as it may reach a terminal, a log or a spreadsheet:
    printable characters only (no escape sequences, no line breaks), and short."""
    text = "".join(ch if ch.isprintable() else " " for ch in str(text)[:NOTE_CHARS * 2])
    text = " ".join(text.split())
    return text[:NOTE_CHARS] + ("..." if len(text) > NOTE_CHARS else "")


def decode(text, names=None) -> tuple[dict, list[str], list[str]]:
    """(name -> value, or MISSING; notes; tampering) from ``capture``'s text, for ``names``
    only (default: every name in it). A value that cannot be read becomes a stand-in; text that
    cannot be read at all gives no values. The notes come from the student's kernel and are
    cleaned (``clean_note``)."""
    if not isinstance(text, str) or len(text) > MAX_CHARS:
        return {}, ["the answers could not be read (too large)"], []
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return {}, ["the answers could not be read"], []
    if not isinstance(data, dict) or not isinstance(data.get("values"), dict):
        return {}, ["the answers could not be read"], []
    values = {}
    wanted = None if names is None else set(names)
    for name, node in data["values"].items():
        if not (isinstance(name, str) and name.isidentifier()) or name.startswith("__") or \
                (wanted is not None and name not in wanted):
            continue
        if node == [UNDEFINED]:
            values[name] = MISSING
            continue
        try:
            values[name] = _decode(node, _Count(), 0)
        except (ValueError, TypeError, RecursionError, OverflowError):
            values[name] = _opaque("object", "<an answer that could not be read>")
    def strings(key):
        found = data.get(key)
        return [clean_note(s) for s in found[:20]] if isinstance(found, list) else []
    return values, strings("notes"), strings("tampering")


def restore(namespace: dict, text: str, names=None) -> None:
    """Put the captured answers of ``names`` (those the test reads) into the scoring kernel's
    globals; any other name in the text is ignored. An undefined one is removed, so the test
    fails with the NameError it would have raised in the student's kernel."""
    values, _, _ = decode(text, names)
    for name in names if names is not None else ():
        if name not in values:
            namespace.pop(name, None)  # not captured at all: no stale value from a test before
    for name, value in values.items():
        if value is MISSING:
            namespace.pop(name, None)
        else:
            namespace[name] = value


# --- tampering: a report for the instructor, not a defence ----------------------------------
_BUILTINS = ("print", "round", "float", "int", "len", "sum", "max", "min", "abs", "isinstance",
             "sorted", "set", "dict", "str", "list", "tuple", "bool", "any", "all", "repr",
             "__import__", "getattr", "hasattr", "iter", "next", "type")
_MATH = ("isclose", "isfinite")


def _from_notebook(obj) -> bool:
    """Whether a function was written in the notebook (not in a module on disk)."""
    code = getattr(obj, "__code__", None) or getattr(getattr(obj, "__func__", None),
                                                     "__code__", None)
    if code is None:
        return False
    filename = code.co_filename
    return filename.startswith(("<ipython-input", "<string>", "<stdin>")) or \
        "/ipykernel_" in filename or getattr(obj, "__module__", "") == "__main__"


def tampering(namespace: dict) -> list[str]:
    notes = []
    import builtins

    for name in _BUILTINS:
        value = getattr(builtins, name, None)
        if _from_notebook(value) or (value is not None and not isinstance(value, type) and
                                     getattr(value, "__module__", "builtins") != "builtins"):
            notes.append(f"replaced builtins.{name}")
    for name in _MATH:
        if getattr(math, name, None) is not getattr(sys.modules.get("math"), name, None) or \
                _from_notebook(getattr(math, name, None)) or \
                type(getattr(math, name, None)).__name__ != "builtin_function_or_method":
            notes.append(f"replaced math.{name}")
    answers = sys.modules.get("painlab.answers")
    quiz = sys.modules.get("painlab.quiz")
    for label, module in (("painlab.answers", answers), ("painlab.quiz", quiz)):
        if module is None:
            continue
        if not str(getattr(module, "__file__", "") or "").endswith(
                label.replace(".", "/") + ".py"):
            notes.append(f"replaced the module {label}")
            continue
        for name in dir(module):
            if name.startswith(("score_", "check_")):
                function = getattr(module, name)
                code = getattr(function, "__code__", None)
                if code is None or not code.co_filename.endswith("painlab/answers.py"):
                    notes.append(f"replaced {label}.{name}")
    for name, value in list(namespace.items()):
        if name.startswith(("score_", "check_")) and callable(value) and _from_notebook(value):
            notes.append(f"a global {name} of its own")
    for label, hook in (("sys.excepthook", sys.excepthook), ("sys.displayhook", sys.displayhook)):
        if _from_notebook(hook) or _from_notebook(vars(type(hook)).get("__call__")):
            notes.append(f"replaced {label}")
    shell = namespace.get("get_ipython")
    shell = shell() if callable(shell) and not _from_notebook(shell) else None
    if shell is not None:
        if getattr(shell, "custom_exceptions", ()):
            notes.append("an IPython custom exception handler")
        hook = getattr(shell, "displayhook", None)
        if _from_notebook(vars(type(hook)).get("__call__")) or \
                any(_from_notebook(getattr(hook, n, None)) for n in ("__call__", "write_format_data",
                                                                    "compute_format_data")):
            notes.append("replaced IPython's display hook")
        if _from_notebook(getattr(shell, "_showtraceback", None)) or \
                _from_notebook(getattr(shell, "showtraceback", None)):
            notes.append("replaced IPython's traceback display")
        if getattr(shell, "ast_transformers", None):
            notes.append("an IPython AST transformer")
        if any(_from_notebook(f) for f in getattr(shell, "input_transformers_post", [])
               + getattr(shell, "input_transformers_cleanup", [])):
            notes.append("an IPython input transformer")
        callbacks = getattr(getattr(shell, "events", None), "callbacks", {}) or {}
        for event, functions in callbacks.items():
            if any(_from_notebook(f) for f in functions):
                notes.append(f"an IPython {event} callback")
    return notes
