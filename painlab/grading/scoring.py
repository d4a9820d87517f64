"""Score every test cell outside the student's kernel, so a submission cannot forge its grade.

nbgrader grades a test cell by what it output in the student's kernel: an error scores 0, a
number is partial credit, no output (or anything that is not a number) scores full. The student's
code runs first in that kernel and can change all of it: replace a scorer in ``painlab.quiz``,
put a fake module in ``sys.modules``, shadow a check with a global, swallow every failed test with
an IPython exception handler, change what the display hook shows, or hand the tests answer
objects that compare equal to anything. The sandbox (``painlab.grading.sandbox``) keeps that code
away from the course; this keeps it away from the score:

1. While the student's notebook runs (``SandboxedExecute``), just before each test cell the
   values of the names that cell reads are captured as plain data (``painlab.grading.plain``:
   JSON of numbers, strings, bools, lists, tuples, sets and dicts, with size caps; anything
   else becomes an inert stand-in that every check rejects).
2. ``TrustedScoring`` (the next autograde step) then runs the quiz's own cells (set-up and
   test cells, restored from the gradebook) in a scoring kernel that no student code has
   touched, with those values put in before each test, and writes that kernel's outputs into the
   test cells. nbgrader's ``SaveAutoGrades`` grades those, exactly as it grades any output.
   Quiz cells that only call a quiz display (``show_vignette(1)``: a name imported from
   ``painlab.quizviews`` and bound nowhere else, constant arguments) are not run there: they
   bind nothing a test could read, and their outputs were never kept (``scoring_cells``).
3. Where the student's kernel reported a different grade for a test, or the capture saw
   tampering (a replaced scorer, builtin, display hook or exception handling), it is written to
   ``sandbox-log/<student>/<quiz>/<notebook>.scoring.json``; the grade export names it.

Honest submissions get the same outputs, grades and feedback as before: the scoring kernel runs
the same cells with the same values, with the same kernel arguments (minimal tracebacks).

The scoring kernel listens on Unix sockets in a private (0700) folder of the grader's, which a
sandboxed kernel cannot see. It is started once per nbgrader process and reused while the
notebooks run in the sandbox: before each notebook its namespace is emptied (``reset``), and it
only ever runs the quiz's cells and plain data, never a line the student wrote.
``TrustedScoring.reuse_kernel = False`` starts a fresh one for each notebook (about a second
more per notebook).

Where the time goes: the student's kernel (start in the sandbox, then the notebook) is most of
a notebook's cost, so the scoring kernel waits as little as it can.

- All the quiz cells of a notebook are sent at once, each test preceded by the silent request
  that puts its answers in, and the outputs are then collected in order, each request within
  ``TrustedScoring.timeout`` of the one before (``ScoringKernel.send`` / ``collect``: messages
  are kept apart by the request they answer; a failing cell does not make the kernel drop the
  requests after it). The kernel runs them one after the other, exactly as cell by cell. Should
  an answer fail to go in (never for answers the grader itself could decode), the notebook is
  scored again cell by cell in a fresh kernel, where that test is not run.
  ``TrustedScoring.pipeline = False`` always scores cell by cell.
- The capture before each test is itself queued behind the cell before the test
  (``SandboxedExecute``), so the student's kernel hands the answers over as soon as that cell is
  done, and a notebook's answers cost no extra round trips.
- In the sandbox, with a reused kernel, those requests go out while the notebook still runs:
  each test as soon as its answers are captured, with the quiz cells before it
  (``EarlyScoring``), so the scoring kernel runs them while the student's kernel runs the
  cells after. ``TrustedScoring`` then sends the rest and collects as above; what was sent
  early is used only if it is exactly what it would have sent (same quiz cells, same answers,
  in order), otherwise the notebook is scored again cell by cell in a fresh kernel.
- Right after a notebook is scored, the reset and the quiz's set-up cells (those before the
  first test) for the next notebook are sent without waiting, so the kernel does them while the
  next notebook runs in the sandbox (``ScoringKernel.prepare``). They are used only if the next
  notebook's quiz cells hash the same (``quiz_key``: grade ids, kinds and sources); otherwise,
  or when the kernel does not answer, it is emptied again as before, or a fresh kernel is
  started. Either way every notebook is scored after a reset that followed the notebook before.
  ``TrustedScoring.prepare_next = False`` resets when the notebook comes instead.

This protects the score only when the student's code ran in the sandbox. Unsandboxed, that code
runs as the grader's own user and can reach anything the grader can, a scoring kernel included.
So a notebook that ran unsandboxed never meets a scoring kernel that outlives it: the shared one
is shut down before its code runs (``shutdown_shared``), it is scored in a fresh kernel started
after its own has stopped, and the log and the export say that its scores are not protected.

Test cells run in the student's kernel without their hidden tests (``visible_part``): the
scores come from the scoring kernel, and the hidden tests never enter the student's kernel
(whose history a later cell could print, encoded, into its own feedback).
"""

import ast
import atexit
import copy
import hashlib
import json
import os
import queue
import shutil
import tempfile
import time
from pathlib import Path

from nbformat.v4 import output_from_msg
from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Bool, Integer, List, Unicode

from painlab.grading.preprocessors import is_trusted_cell
from painlab.grading.quizinfo import split_region

__all__ = ["TrustedScoring", "capture_plan", "scoring_cells", "quiz_key", "read_notes",
           "describe_notes", "RESOURCE", "visible_part", "shutdown_shared"]

RESOURCE = "painlab_scoring"  # key of the captures in nbconvert's resources
NOTES_SUFFIX = ".scoring.json"
LOG_FOLDER = "sandbox-log"
_CAPTURE = ("__import__('painlab.grading.plain', fromlist=['capture'])"
            ".capture(globals(), {names!r})")
_RESTORE = ("__import__('painlab.grading.plain', fromlist=['restore'])"
            ".restore(globals(), {text!r}, {names!r})")
_RESET = "get_ipython().reset(new_session=True)"
BEGIN_HIDDEN, END_HIDDEN = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"


# --- which names each test reads ------------------------------------------------------------
def _bound_name(node) -> str | None:
    """The name an AST node binds (an assignment target, an import, a definition, an
    argument), or None."""
    if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
        return node.id
    if isinstance(node, ast.alias):
        return (node.asname or node.name).split(".")[0]
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return node.name
    if isinstance(node, ast.arg):
        return node.arg
    return None


def _names(source: str) -> tuple[set[str], set[str]]:
    """(names read, names bound) anywhere in a cell's code."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set(), set()
    read, bound = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            read.add(node.id)
        elif (name := _bound_name(node)) is not None:
            bound.add(name)
    return read, bound


def is_test_cell(cell) -> bool:
    return cell.cell_type == "code" and utils.is_grade(cell) and not utils.is_solution(cell)


def capture_plan(nb) -> dict[str, list[str]]:
    """grade_id of each test cell -> the names to capture before it: those it reads that no
    quiz cell defines (the quiz's own names come from its cells in the scoring kernel)."""
    trusted = [c for c in nb.cells if c.cell_type == "code" and is_trusted_cell(c)]
    defined = set()
    for cell in trusted:
        defined |= _names(cell.source)[1]
    plan = {}
    for cell in trusted:
        if is_test_cell(cell):
            read = _names(cell.source)[0]
            plan[cell.metadata["nbgrader"]["grade_id"]] = sorted(read - defined)
    return plan


def visible_part(source: str) -> str:
    """A test cell without its hidden tests (the lines between the hidden-test delimiters,
    the delimiters included): what runs in the student's kernel."""
    return split_region(source, BEGIN_HIDDEN, END_HIDDEN)[0]


def _quiz_views(cells) -> set[str]:
    """Names that the quiz cells bind only by importing them from ``painlab.quizviews``."""
    imported, elsewhere = set(), set()
    for cell in cells:
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        views = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and (
                    node.module == "painlab.quizviews" or
                    node.module.startswith("painlab.quizviews.")):
                views |= {id(a) for a in node.names}
                imported |= {a.asname or a.name for a in node.names}
        for node in ast.walk(tree):
            if id(node) not in views and (name := _bound_name(node)) is not None:
                elsewhere.add(name)
    return imported - elsewhere - {"*"}


def _display_only(source: str, views: set[str]) -> bool:
    """Whether a cell only calls quiz displays (``show_vignette(1)``) with constant arguments:
    it binds nothing, and a quiz display only displays (docs/authoring.md)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    if not tree.body:
        return False
    for statement in tree.body:
        call = statement.value if isinstance(statement, ast.Expr) else None
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and
                call.func.id in views and
                all(isinstance(a, ast.Constant) for a in call.args) and
                all(k.arg and isinstance(k.value, ast.Constant) for k in call.keywords)):
            return False
    return True


def scoring_cells(nb) -> list:
    """The quiz cells the scoring kernel runs, in order: every test cell and every other quiz
    cell except those that only call a quiz display (their outputs were never kept, and no
    test reads anything they bind, since they bind nothing)."""
    cells = [c for c in nb.cells
             if c.cell_type == "code" and is_trusted_cell(c) and c.source.strip()]
    views = _quiz_views(cells)
    return [c for c in cells if is_test_cell(c) or not _display_only(c.source, views)]


def quiz_key(nb) -> str:
    """A hash of the quiz cells (grade ids, kinds and sources): two notebooks with the same key
    run the same code in the scoring kernel."""
    digest = hashlib.sha256()
    for cell in nb.cells:
        if cell.cell_type == "code" and is_trusted_cell(cell):
            part = [cell.metadata["nbgrader"]["grade_id"], is_test_cell(cell), cell.source]
            digest.update(json.dumps(part).encode("utf-8") + b"\0")
    return digest.hexdigest()


def setup_prefix(cells: list) -> list:
    """The cells before the first test (``scoring_cells``): the same for every notebook of a
    quiz, so they can run before the notebook is ready."""
    prefix = []
    for cell in cells:
        if is_test_cell(cell):
            break
        prefix.append(cell)
    return prefix


def answers_text(text: str | None) -> str:
    """A test's captured answers, or no answers at all when the capture could not be read."""
    return json.dumps({"values": {}}) if text is None else text


def restore_code(text: str | None, names: list[str]) -> str:
    """The silent request that puts a test's captured answers in the scoring kernel before the
    test runs."""
    return _RESTORE.format(text=answers_text(text), names=names)


def capture_code(names: list[str]) -> str:
    """The expression evaluated in the student's kernel (a user expression) before a test."""
    return _CAPTURE.format(names=list(names))


def parse_capture(reply: dict) -> str | None:
    """The JSON text of a capture from the kernel's execute reply, or None."""
    try:
        result = reply["content"]["user_expressions"]["answers"]
        if result.get("status") != "ok":
            return None
        text = result["data"]["text/plain"]
    except (KeyError, TypeError, AttributeError):
        return None
    if not isinstance(text, str) or len(text) > 4_000_000:
        return None
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError, TypeError):
        return None
    return value if isinstance(value, str) else None


# --- the scoring kernel ---------------------------------------------------------------------
class ScoringKernel:
    """An IPython kernel that runs only the quiz's cells and plain data."""

    def __init__(self, extra_arguments: list[str], kernel_name: str = "python3"):
        from jupyter_client.manager import KernelManager

        # Unix sockets and the connection file in a private folder (mkdtemp: mode 0700), not
        # TCP on loopback with its connection file in the shared temporary folder.
        self.folder = tempfile.mkdtemp(prefix="painlab-scoring-")
        os.chmod(self.folder, 0o700)
        self.km = KernelManager(kernel_name=kernel_name, transport="ipc",
                                client_class="painlab.grading.kernel_ready.ReadyBlockingClient",
                                ip=os.path.join(self.folder, "k"),
                                connection_file=os.path.join(self.folder, "kernel.json"))
        env = dict(os.environ)
        env.setdefault("NBGRADER_EXECUTION", "autograde")
        self.km.start_kernel(extra_arguments=list(extra_arguments), cwd=self.folder, env=env)
        self._pending: dict[str, dict] = {}
        self.prepared: tuple[str, list[str]] | None = None
        self.kc = self.km.client()
        self.kc.start_channels()
        try:
            self.kc.wait_for_ready(timeout=120)
        except BaseException:  # dead or silent: stop it and remove its folder, then report
            self.shutdown()
            raise

    def alive(self) -> bool:
        try:
            return self.km.is_alive()
        except Exception:  # noqa: BLE001
            return False

    def send(self, code: str, silent: bool = False) -> str:
        """Queue ``code`` without waiting (its outputs are kept apart by ``collect``). A failing
        cell does not make the kernel drop the requests queued after it (stop_on_error)."""
        msg_id = self.kc.execute(code, silent=silent, store_history=not silent,
                                 allow_stdin=False, stop_on_error=False)
        self._pending[msg_id] = {"outputs": [], "idle": False, "reply": None}
        return msg_id

    def _file(self, msg, shell: bool) -> None:
        """Keep a message with the request it answers (one sent by ``send``), else drop it."""
        request = self._pending.get(msg["parent_header"].get("msg_id"))
        if request is None:
            return
        if shell:
            request["reply"] = msg["content"]
            return
        kind = msg["msg_type"]
        if kind == "status" and msg["content"].get("execution_state") == "idle":
            request["idle"] = True
        elif kind == "clear_output":
            request["outputs"] = []
        elif kind in ("stream", "display_data", "execute_result", "error"):
            request["outputs"].append(output_from_msg(msg))

    def collect(self, msg_id: str, timeout: float) -> tuple[list, dict]:
        """(outputs as nbformat outputs, the execute reply's content) of a request sent by
        ``send``, waiting at most ``timeout`` seconds from now. The kernel answers in the order
        the requests were sent; messages of later requests that arrive meanwhile are kept."""
        request = self._pending[msg_id]
        deadline = time.monotonic() + timeout
        for get, done in ((self.kc.get_iopub_msg, "idle"), (self.kc.get_shell_msg, "reply")):
            while not request[done]:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError
                try:
                    msg = get(timeout=min(left, 1.0))
                except queue.Empty:
                    if not self.alive():
                        raise RuntimeError("the scoring kernel died") from None
                    continue
                self._file(msg, shell=done == "reply")
        del self._pending[msg_id]
        return request["outputs"], request["reply"]

    def run(self, code: str, timeout: float, silent: bool = False) -> tuple[list, dict]:
        """(outputs as nbformat outputs, the execute reply's content)."""
        return self.collect(self.send(code, silent=silent), timeout)

    def prepare(self, key: str, sources: list[str]) -> None:
        """Empty the namespace and run ``sources`` (the quiz's set-up) for the next notebook,
        without waiting: the kernel does it while that notebook runs in the sandbox. ``key``
        names the quiz cells it was prepared for (``take_prepared``)."""
        ids = [self.send(_RESET, silent=True)] + [self.send(code) for code in sources]
        self.prepared = (key, ids)

    def take_prepared(self, key: str, timeout: float) -> int:
        """Wait for what ``prepare`` sent: the number of set-up cells already run for a notebook
        whose quiz cells hash to ``key``, or -1 (another quiz: nothing is run yet, and the
        namespace is to be reset again). Raises when the kernel fails to answer or to reset."""
        if self.prepared is None:
            return -1
        prepared_key, ids = self.prepared
        self.prepared = None
        _, reply = self.collect(ids[0], timeout)
        for msg_id in ids[1:]:
            self.collect(msg_id, timeout)
        if reply.get("status") != "ok":
            raise RuntimeError("the scoring kernel could not be reset")
        return len(ids) - 1 if prepared_key == key else -1

    def reset(self, timeout: float) -> None:
        _, reply = self.run(_RESET, timeout, silent=True)
        if reply.get("status") != "ok":
            raise RuntimeError("the scoring kernel could not be reset")

    def shutdown(self) -> None:
        try:
            self.kc.stop_channels()
            self.km.shutdown_kernel(now=True)
        except Exception:  # noqa: BLE001 (already gone)
            pass
        shutil.rmtree(self.folder, ignore_errors=True)


_KERNELS: dict[tuple, ScoringKernel] = {}


def shutdown_shared() -> None:
    """Stop every shared scoring kernel (before unsandboxed student code runs: it could reach
    them)."""
    for kernel in list(_KERNELS.values()):
        kernel.shutdown()
    _KERNELS.clear()


_shutdown_all = shutdown_shared
atexit.register(shutdown_shared)


def _error(name: str, value: str):
    from nbformat.v4 import new_output

    return new_output("error", ename=name, evalue=value, traceback=[f"{name}: {value}"])


def _grade(cell, outputs) -> str:
    probe = copy.deepcopy(cell)
    probe.outputs = outputs
    try:
        score, _ = utils.determine_grade(probe)
    except (ValueError, KeyError, TypeError, AttributeError) as problem:
        return f"invalid ({problem})"
    return "none" if score is None else f"{score:g}"


class _Unrestored(Exception):
    """A test's answers could not be put in the scoring kernel, with the test already queued."""


class TrustedScoring(NbGraderPreprocessor):
    """Runs the quiz's cells in a scoring kernel with the answers captured from the student's
    kernel, and writes its outputs into the test cells (see the module's docs). Register it in
    ``Autograde.autograde_preprocessors`` right after ``SandboxedExecute``."""

    enabled = Bool(True, help="Score test cells outside the student's kernel.").tag(config=True)
    reuse_kernel = Bool(True, help="Reuse one scoring kernel (emptied before each notebook) "
                                   "for all the notebooks of one nbgrader run.").tag(config=True)
    timeout = Integer(30, help="Seconds each quiz cell may take in the scoring kernel.").tag(
        config=True)
    prepare_next = Bool(True, help="After each notebook, empty the reused scoring kernel and "
                                   "run the quiz's set-up for the next notebook at once (it "
                                   "overlaps that notebook's run in the sandbox).").tag(
        config=True)
    pipeline = Bool(True, help="Send all the quiz cells of a notebook to the scoring kernel "
                               "at once and then collect the outputs, instead of waiting for "
                               "each cell before sending the next.").tag(config=True)
    extra_arguments = List(Unicode(), default_value=None, allow_none=True,
                           help="Kernel arguments (default: those of Execute).").tag(config=True)

    def _kernel_arguments(self) -> list[str]:
        if self.extra_arguments is not None:
            return list(self.extra_arguments)
        from nbgrader.preprocessors import Execute

        own = self.config.get("SandboxedExecute", {}).get("extra_arguments")
        return list(own if own is not None else Execute(config=self.config).extra_arguments)

    def _kernel(self, reuse: bool = True, key: str = "") -> tuple[ScoringKernel, int]:
        """A scoring kernel with an empty namespace, and how many set-up cells of the quiz
        whose cells hash to ``key`` it has already run (``ScoringKernel.prepare``)."""
        args = tuple(self._kernel_arguments())
        reuse = reuse and self.reuse_kernel
        kernel = _KERNELS.get(args) if reuse else None
        if kernel is not None and kernel.alive():
            try:
                done = kernel.take_prepared(key, self.timeout)
                if done < 0:
                    kernel.reset(self.timeout)
                return kernel, max(done, 0)
            except (RuntimeError, TimeoutError):
                pass
        if kernel is not None:
            kernel.shutdown()
            _KERNELS.pop(args, None)
        kernel = ScoringKernel(list(args))
        if reuse:
            _KERNELS[args] = kernel
        return kernel, 0

    def preprocess(self, nb, resources):
        if not self.enabled:
            return nb, resources
        info = resources.get(RESOURCE)
        if not isinstance(info, dict):
            self.log.warning("Test cells scored in the student's kernel: no answers were "
                             "captured (is painlab.grading.sandbox.SandboxedExecute the "
                             "execute step?)")
            return nb, resources
        captures = info.get("captures", {})
        self._plan = capture_plan(nb)
        notes = {"tampering": [], "answers": [], "differences": []}
        sandboxed = info.get("sandboxed") is True
        if not sandboxed:
            # Its code ran with the grader's permissions: a kernel it could have reached is
            # not used, and none it scores in is used again.
            notes["unprotected"] = True
            student = resources.get("nbgrader", {}).get("student", "this notebook")
            self.log.warning("%r ran UNSANDBOXED: its code could reach the course and the "
                             "scoring itself, so its scores are NOT protected against forgery "
                             "(SandboxedExecute.sandbox = 'required' refuses to grade like "
                             "this)", student)
            shutdown_shared()
        key = quiz_key(nb)
        cells = scoring_cells(nb)
        early = info.pop("early", None)  # not kept in the resources: it holds the kernel
        if sandboxed and isinstance(early, EarlyScoring) and early.usable(key):
            kernel, done, sent = early.kernel, early.done, early.sent
        else:
            if isinstance(early, EarlyScoring):
                early.discard()
            kernel, done = self._kernel(reuse=sandboxed, key=key)
            sent = {}
        try:
            kernel, broken = self._score(cells, kernel, captures, notes, done, sandboxed, sent)
        finally:
            if not (sandboxed and self.reuse_kernel):
                kernel.shutdown()
        if sandboxed and self.reuse_kernel and not broken and self.prepare_next:
            # The next notebook is most likely the same quiz: empty the namespace and run the
            # set-up now, while that notebook runs in the sandbox (checked against its key).
            kernel.prepare(key, [c.source for c in setup_prefix(cells)])
        self._write_notes(resources, notes)
        return nb, resources

    def _score(self, cells: list, kernel: ScoringKernel, captures: dict, notes: dict,
               done: int = 0, sandboxed: bool = True,
               early: dict | None = None) -> tuple[ScoringKernel, bool]:
        """Run ``cells`` (``scoring_cells``; the first ``done`` have already run, and ``early``
        were already sent: EarlyScoring) in ``kernel`` and write the test outputs. Returns the
        kernel scored in and whether it broke."""
        if self.pipeline:
            before = copy.deepcopy(notes)
            try:
                return kernel, self._score_cells(cells, kernel, captures, notes, done, True,
                                                 early)
            except _Unrestored:
                # Never for answers the grader could decode. Score again exactly as when each
                # cell waits for the one before: a fresh kernel, no test after a failed restore.
                self.log.warning("An answer could not be restored: scoring again cell by cell")
                notes.clear()
                notes.update(before)
                kernel.shutdown()
                _KERNELS.clear()
                kernel, done = self._kernel(reuse=sandboxed)
        return kernel, self._score_cells(cells, kernel, captures, notes, done, False)

    @staticmethod
    def _send_all(steps: list, kernel: ScoringKernel, early: dict) -> list:
        """The (restore, run) request ids of ``steps``: those EarlyScoring already sent (a
        prefix of the steps, with the same restore code), then the rest, sent now."""
        sent = []
        for cell, grade_id, _test, restore in steps:
            if len(sent) < len(early):
                code, ids = early.get(grade_id, (None, None))
                if ids is None or code != restore:
                    # Never seen: the kernel may have run the requests in another order.
                    raise _Unrestored
                sent.append(ids)
                continue
            sent.append((kernel.send(restore, silent=True) if restore is not None else None,
                         kernel.send(cell.source)))
        if len(sent) < len(early):
            raise _Unrestored
        return sent

    def _score_cells(self, cells: list, kernel: ScoringKernel, captures: dict, notes: dict,
                     done: int, pipelined: bool, early: dict | None = None) -> bool:
        from painlab.grading import plain

        steps = []  # (cell, grade_id, test, restore code or None)
        for index, cell in enumerate(cells):
            grade_id = cell.metadata["nbgrader"]["grade_id"]
            test = is_test_cell(cell)
            if test and grade_id not in captures:
                continue  # the student's kernel stopped before it: its output says why
            if index < done:
                continue  # a set-up cell already run (ScoringKernel.prepare)
            restore = None
            if test:
                text = captures[grade_id]
                if text is None:
                    notes["answers"].append(f"{grade_id}: the answers could not be read")
                names = self._plan.get(grade_id, [])
                restore = restore_code(text, names)
                _, found, tampered = plain.decode(answers_text(text), names)
                notes["answers"] += [f"{grade_id}: {n}" for n in found]
                notes["tampering"] += [t for t in tampered if t not in notes["tampering"]]
            steps.append((cell, grade_id, test, restore))
        # Pipelined, every request is queued now (or was, by EarlyScoring, while the notebook
        # ran) and the kernel runs them one after the other while the replies are read (each
        # still within its own timeout); cell by cell, a test is sent only once its answers
        # are in.
        sent = self._send_all(steps, kernel, early or {}) if pipelined else []

        broken = ""
        for number, (cell, grade_id, test, restore) in enumerate(steps):
            if broken:
                if test:
                    cell.outputs = [_error("ScoringError", broken)]
                continue
            try:
                if pipelined:
                    restore_id, run_id = sent[number]
                else:
                    restore_id = None if restore is None else kernel.send(restore, silent=True)
                    run_id = None
                if restore_id is not None:
                    _, restored = kernel.collect(restore_id, self.timeout)
                    if restored.get("status") != "ok":
                        if pipelined:
                            raise _Unrestored
                        notes["answers"].append(f"{grade_id}: the answers could not be put "
                                                "in the scoring kernel")
                        self.log.error("%s: the answers could not be restored", grade_id)
                        cell.outputs = [_error("ScoringError", "the answers could not be put "
                                                               "in the scoring kernel")]
                        continue
                if run_id is None:
                    run_id = kernel.send(cell.source)
                outputs, reply = kernel.collect(run_id, self.timeout)
            except (TimeoutError, RuntimeError) as problem:
                broken = ("the quiz's scoring kernel " + ("timed out" if isinstance(
                    problem, TimeoutError) else "stopped") + " on " + grade_id)
                self.log.error("%s", broken)
                kernel.shutdown()
                _KERNELS.clear()
                if test:
                    cell.outputs = [_error("ScoringError", broken)]
                continue
            if not test:
                continue
            if reply.get("status") == "error" and not any(
                    o.output_type == "error" and o.get("ename") == reply.get("ename")
                    for o in outputs):  # as nbgrader's Execute records an unshown error
                outputs.append(_error(reply.get("ename", "Error"), reply.get("evalue", "")))
            for output in outputs:
                if output.output_type == "execute_result":
                    output.execution_count = cell.get("execution_count")
            # The student's kernel ran only the test's visible checks: where they failed there,
            # the same checks on the same answers fail here, so credit here means the kernel
            # reported other answers than it checked.
            before, after = _grade(cell, cell.outputs), _grade(cell, outputs)
            if before == "0" and after != "0":
                notes["differences"].append(f"{grade_id}: its visible checks failed in its own "
                                            f"kernel, {after} scored apart")
            cell.outputs = outputs
        return bool(broken)

    def _write_notes(self, resources, notes: dict) -> None:
        info = resources.get("nbgrader", {})
        student, quiz, notebook = (info.get(k) for k in ("student", "assignment", "notebook"))
        db_url = info.get("db_url", "")
        if not (student and quiz and notebook and db_url.startswith("sqlite:///")):
            return
        target = notes_path(Path(db_url[len("sqlite:///"):]).parent, quiz, student, notebook)
        if any(notes.values()):
            for line in notes["tampering"] + notes["differences"]:
                self.log.warning("%r: %r", student, line)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(notes, indent=1), encoding="utf-8")
        else:
            target.unlink(missing_ok=True)


class EarlyScoring:
    """Sends a notebook's quiz cells to the scoring kernel while the notebook still runs in
    the sandbox (``SandboxedExecute``): as soon as a test's answers are captured, the quiz cells
    before it and the test, its answers put in first. ``TrustedScoring`` then sends the rest
    and collects every output as when it sends them all at once (``pipeline``): the kernel runs
    the same requests in the same order, only while the student's kernel is still busy. Only
    for sandboxed notebooks, with a reused scoring kernel."""

    def __init__(self, scorer: TrustedScoring, nb, plan: dict[str, list[str]]):
        self.scorer = scorer
        self.key = quiz_key(nb)
        self.plan = plan
        self.cells = scoring_cells(nb)
        self.kernel: ScoringKernel | None = None
        self.done = 0        # set-up cells the kernel had already run (ScoringKernel.prepare)
        self.sent: dict[str, tuple] = {}  # grade_id -> (restore code, (restore id, run id))
        self.position = 0    # the next of self.cells to send
        self.stalled = False  # a test came without its answers: nothing more is sent early
        self.failed = False

    def captured(self, grade_id: str, text: str | None) -> None:
        """The answers of test ``grade_id`` are in: send the quiz cells up to it, and it."""
        if self.stalled or self.failed:
            return
        try:
            if self.kernel is None:
                # At the first capture, not when the notebook starts: the set-up sent ahead
                # for it (ScoringKernel.prepare) has run by then, so this does not wait.
                self.kernel, self.done = self.scorer._kernel(reuse=True, key=self.key)
            while self.position < len(self.cells):
                cell = self.cells[self.position]
                cell_id = cell.metadata["nbgrader"]["grade_id"]
                test = is_test_cell(cell)
                if test and cell_id != grade_id:
                    self.stalled = True  # its answers never came (the kernel stopped)
                    return
                self.position += 1
                if self.position <= self.done:
                    continue
                restore = restore_code(text, self.plan.get(cell_id, [])) if test else None
                ids = (self.kernel.send(restore, silent=True) if test else None,
                       self.kernel.send(cell.source))
                self.sent[cell_id] = (restore, ids)
                if test:
                    return
        except Exception:  # noqa: BLE001 (a kernel that cannot take requests)
            self.discard()

    def usable(self, key: str) -> bool:
        """Whether TrustedScoring may go on from what was sent (same quiz cells, no failure)."""
        return (self.kernel is not None and not self.failed and key == self.key
                and self.kernel.alive())

    def discard(self) -> None:
        """Nothing sent early is used: the kernel it went to is stopped, never reused."""
        self.failed = True
        if self.kernel is not None:
            self.kernel.shutdown()
            _KERNELS.clear()
            self.kernel = None


def notes_path(course: Path, quiz: str, student: str, notebook: str) -> Path:
    return Path(course) / LOG_FOLDER / student / quiz / f"{notebook}{NOTES_SUFFIX}"


def read_notes(course: Path, quiz: str, student: str, notebook: str) -> dict:
    try:
        notes = json.loads(notes_path(course, quiz, student, notebook).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return notes if isinstance(notes, dict) else {}


def describe_notes(notes: dict, limit: int = 3) -> str:
    """One line for the grade export."""
    def listed(items):
        items = [str(i) for i in items]
        more = f" and {len(items) - limit} more" if len(items) > limit else ""
        return ", ".join(items[:limit]) + more

    parts = []
    if notes.get("unprotected"):
        parts.append("graded WITHOUT the sandbox: its code ran with your permissions, so these "
                     "scores are not protected against forgery")
    if notes.get("tampering"):
        parts.append("code in the notebook tampered with grading (its kernel reported: " +
                     listed(notes["tampering"]) + ")")
    if notes.get("differences"):
        parts.append("its own kernel disagreed with the scoring apart (" +
                     listed(notes["differences"]) + "); the grade is the one scored apart")
    if notes.get("answers"):
        parts.append("answers that are not plain data (" + listed(notes["answers"]) + ")")
    return "; ".join(parts)

