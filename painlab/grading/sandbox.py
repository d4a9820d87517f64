"""Autograde student code in a sandbox: Debian's bubblewrap (``bwrap``) around each kernel.

nbgrader runs every submission's code on the instructor's machine, with the instructor's
permissions. Unsandboxed, an answer cell can walk up from its working folder to ``source/``
(every solution and hidden test), other students' folders and ``gradebook.db``. This module
starts each autograde kernel inside a bubblewrap sandbox instead:

- the only files it sees are the system (``/usr``, a few files of ``/etc``), the Python
  environment and the helper package, read-only; its working folder (nbgrader's graded copy of
  the submission) is a private tmpfs with the submission's other files read-only and without
  the notebooks (the graded notebook holds the restored hidden tests); ``/tmp`` (also its home)
  is a private tmpfs of ``tmp_size_mb``; the course, ``release/``, other students, the
  gradebook, the exchange and the instructor's home do not exist in it;
- no network (its own empty network namespace; the kernel talks to nbgrader over Unix sockets
  in a private folder), its own process and IPC namespaces, and a clean environment (no
  tokens or variables of the instructor);
- resource limits (``prlimit``): processes (a fork bomb fails with ``BlockingIOError``),
  address space (``MemoryError``), file size, CPU seconds, open files;
- run as root (as CI does), bubblewrap drops to the unprivileged user ``nobody`` inside, so the
  process limit applies; run as an ordinary user, it uses an unprivileged user namespace.

Wired into nbgrader by its own configuration (``autograded/nbgrader_config.py``)::

    c.Autograde.autograde_preprocessors = ["painlab.grading.sandbox.SandboxedExecute", ...]
    c.SandboxedExecute.sandbox = "auto"      # "required": fail without bwrap; "off"

``SandboxedExecute`` is nbgrader's ``Execute`` (same timeout, retries, interrupt) with a kernel
manager that wraps the kernel command. With ``auto`` and no working bwrap, it warns on every
run and grades unsandboxed. ``python -m painlab.grading.sandbox --check`` says whether this
machine can sandbox. Inside the sandbox an audit hook (``painlab.grading.sandbox_boot``) notes
what the code tried (files outside its folder, network, processes, databases); the notes are
kept in ``sandbox-log/<student>/<quiz>/<notebook>.json`` in the course and named in the grade
export's ``reason``.
"""

import functools
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import ValidationError
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute
from traitlets import Bool, Enum, Integer, List, Unicode

from painlab.grading import scoring
from painlab.grading.plain import clean_note
from painlab.grading.preprocessors import is_trusted_cell

__all__ = ["SandboxKernelManager", "SandboxedExecute", "availability", "read_attempts",
           "LOG_FOLDER"]

LOG_FOLDER = "sandbox-log"
NOBODY = 65534
# Environment variables passed into the sandbox (everything else, tokens included, is dropped).
# Not JPY_PARENT_PID: a process id from outside means nothing in the sandbox's own process
# namespace, and ipykernel, seeing a parent other than the one named, takes the namespace's
# init for a dead parent and exits at once ("Kernel died before replying to kernel_info"). It is
# inherited whenever grading starts from a notebook (grade_my_quiz, `!nbgrader autograde`).
PASSED_ENV = ("NBGRADER_EXECUTION", "LANG", "LC_ALL", "LC_CTYPE",
              "JPY_SESSION_NAME", "PYDEVD_DISABLE_FILE_VALIDATION", "MPLBACKEND",
              "PYTHONHASHSEED")
ETC_FILES = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime",
             "/etc/alternatives", "/etc/fonts", "/etc/mime.types", "/etc/nsswitch.conf",
             "/etc/os-release")


def _bwrap() -> str | None:
    return shutil.which("bwrap") or (os.path.exists("/usr/bin/bwrap") and "/usr/bin/bwrap")


def _privileged() -> bool:
    return os.geteuid() == 0


@functools.cache
def availability() -> tuple[bool, str]:
    """(works, message): whether bubblewrap can start a sandbox on this machine, and why not."""
    bwrap = _bwrap()
    if not bwrap:
        return False, ("bubblewrap (bwrap) is not installed: student code would run with your "
                       "permissions. Install it with `sudo apt-get install bubblewrap`.")
    probe = [bwrap, *_namespace_args(), "--ro-bind", "/", "/", "--proc", "/proc",
             "--dev", "/dev", "true"]
    try:
        done = subprocess.run(probe, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as problem:
        return False, f"bubblewrap could not start: {problem}"
    if done.returncode != 0:
        return False, ("bubblewrap is installed but cannot create a sandbox here "
                       f"({done.stderr.strip()[:200]}). Unprivileged user namespaces may be "
                       "switched off (sysctl kernel.unprivileged_userns_clone=1, or on Ubuntu "
                       "an AppArmor profile for bwrap), or the container forbids them.")
    mode = "as root, dropping to the user nobody" if _privileged() else "in a user namespace"
    return True, f"bubblewrap {bwrap} works ({mode})"


def _namespace_args() -> list[str]:
    args = ["--die-with-parent", "--unshare-pid", "--unshare-net", "--unshare-ipc",
            "--unshare-uts", "--unshare-cgroup-try"]
    if not _privileged():
        args.append("--unshare-user")
    return args


def _system_binds() -> list[str]:
    args = ["--ro-bind", "/usr", "/usr"]
    for name in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(name):
            args += ["--symlink", os.readlink(name), name]
        elif os.path.isdir(name):
            args += ["--ro-bind", name, name]
    for name in ETC_FILES:
        args += ["--ro-bind-try", name, name]
    return args


def _python_roots() -> list[Path]:
    """Folders the kernel's Python needs, read-only: the environment, its base installation,
    every site-packages folder on sys.path, and the helper package (editable installs)."""
    roots = {Path(sys.prefix), Path(sys.base_prefix), Path(sys.executable).resolve().parent}
    for entry in sys.path:
        if entry and ("site-packages" in entry or "dist-packages" in entry) and \
                os.path.isdir(entry):
            roots.add(Path(entry))
    from painlab import paths

    roots.add((paths.ROOT / "painlab").resolve())
    for extra in (paths.ASSETS, paths.MANIFEST_FILE.parent):
        if extra.exists():
            roots.add(extra)
    resolved = set()
    for root in roots:
        resolved.add(root)
        resolved.add(root.resolve())
    # Drop those inside another one, and system folders already bound.
    kept = []
    for root in sorted(resolved, key=lambda p: len(p.parts)):
        if any(root.is_relative_to(k) for k in kept) or root.is_relative_to("/usr"):
            continue
        kept.append(root)
    return kept


class SandboxKernelManager(AsyncKernelManager):
    """A kernel manager that starts the kernel inside bubblewrap, over Unix sockets in a
    private folder (the sandbox has no network, not even the host's loopback)."""

    memory_mb = Integer(2048, help="Address-space limit of each kernel process (MB).").tag(
        config=True)
    max_processes = Integer(64, help="Processes the kernel may have (fork bombs).").tag(
        config=True)
    max_file_mb = Integer(16, help="Largest file the kernel may write (MB).").tag(config=True)
    tmp_size_mb = Integer(64, help="Size of the kernel's private /tmp, also its home (MB).").tag(
        config=True)
    cpu_seconds = Integer(600, help="CPU time of each kernel process (s).").tag(config=True)
    extra_ro_binds = List(Unicode(), help="More folders the kernel may read (e.g. data).").tag(
        config=True)

    attempt_sink: list | None = None

    def _private_dir(self) -> Path:
        if getattr(self, "_sandbox_dir", None) is None:
            self._sandbox_dir = Path(tempfile.mkdtemp(prefix="painlab-sandbox-"))
        return self._sandbox_dir

    async def _async_pre_start_kernel(self, **kw):
        private = self._private_dir()
        self.transport = "ipc"
        self.connection_file = str(private / "kernel.json")
        self.ip = str(private / "k")
        self._log_file = private / "attempts.jsonl"
        self._log_file.touch()
        # SIGINT to the process group would stop bubblewrap (and with it the kernel): ask the
        # kernel to interrupt itself over its control channel instead.
        self.kernel_spec.interrupt_mode = "message"
        kernel_cmd, kw = await super()._async_pre_start_kernel(**kw)
        cwd = Path(kw.get("cwd") or os.getcwd()).resolve()
        return self.sandbox_command(kernel_cmd, cwd, kw.get("env") or {}), kw

    def sandbox_command(self, kernel_cmd: list[str], cwd: Path, env: dict) -> list[str]:
        private = self._private_dir()
        roots = _python_roots() + [Path(p) for p in self.extra_ro_binds]
        for root in roots:
            if cwd != root and cwd.is_relative_to(root):
                raise RuntimeError(f"the sandbox would show the kernel {root}, which holds the "
                                   f"submission {cwd} (and so the course): install the "
                                   "environment outside the course folder")
        args = [_bwrap(), *_namespace_args(), "--hostname", "sandbox", *_system_binds(),
                "--proc", "/proc", "--dev", "/dev",
                "--perms", "1777", "--size", str(self.tmp_size_mb * 2**20), "--tmpfs", "/tmp"]
        # bubblewrap creates missing parent folders with mode 0700: make them traversable
        # (they hold nothing but the folders bound below).
        parents = sorted({parent for path in [*roots, cwd, private]
                          for parent in path.parents if parent != Path("/")
                          and not parent.is_relative_to("/usr")}, key=lambda p: len(p.parts))
        for parent in parents:
            if parent != Path("/tmp"):
                args += ["--perms", "0755", "--dir", str(parent)]
        for root in roots:
            args += ["--ro-bind", str(root), str(root)]
        # The working folder is nbgrader's graded copy of the submission, whose notebook already
        # holds the restored hidden tests: the kernel gets a private, writable, sized folder at
        # that path with the submission's other files (data a student added), read-only.
        args += ["--perms", "0777", "--size", str(self.tmp_size_mb * 2**20), "--tmpfs", str(cwd)]
        for entry in sorted(cwd.iterdir()) if cwd.is_dir() else []:
            if entry.suffix != ".ipynb" and not entry.name.startswith("."):
                args += ["--ro-bind", str(entry), str(entry)]
        args += ["--bind", str(private), str(private),
                 "--chdir", str(cwd), "--clearenv"]
        python_bin = str(Path(sys.executable).parent)
        environment = {"HOME": "/tmp", "PATH": f"{python_bin}:/usr/local/bin:/usr/bin:/bin",
                       "PAINLAB_SANDBOX_LOG": str(self._log_file),
                       "PAINLAB_SANDBOX_ALLOWED": os.pathsep.join(
                           [str(cwd), str(private), *map(str, roots)]),
                       "PYTHONDONTWRITEBYTECODE": "1"}
        environment.update({k: str(v) for k, v in env.items() if k in PASSED_ENV})
        for name, value in environment.items():
            args += ["--setenv", name, value]
        if _privileged():
            # bubblewrap keeps only these two capabilities, which setpriv uses to become nobody
            args += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--",
                     "setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
                     "--inh-caps=-all", "--bounding-set=-all"]
            for path in [private, *private.iterdir()]:
                os.chown(path, NOBODY, NOBODY)
        else:
            args.append("--")
        args += ["prlimit", f"--nproc={self.max_processes}",
                 f"--as={self.memory_mb * 2**20}", f"--fsize={self.max_file_mb * 2**20}",
                 f"--cpu={self.cpu_seconds}", "--nofile=256", "--core=0", "--"]
        python, rest = kernel_cmd[0], kernel_cmd[1:]
        if rest[:2] == ["-m", "ipykernel_launcher"]:
            rest = ["-m", "painlab.grading.sandbox_boot", "--quiet", *rest[2:]]
        return args + [python, *rest]

    def lock_private_dir(self) -> None:
        """Once the kernel answers, its sockets exist: it may no longer create files in its
        private folder (as root; an unprivileged kernel owns the folder, like its user)."""
        if _privileged() and getattr(self, "_sandbox_dir", None) is not None:
            private = self._sandbox_dir
            os.chown(private, 0, 0)
            private.chmod(0o755)

    def _collect_attempts(self) -> None:
        log = getattr(self, "_log_file", None)
        if log is None or self.attempt_sink is None:
            return
        try:
            lines = log.read_text(encoding="utf-8", errors="replace").splitlines()[:200]
        except OSError:
            return
        for line in lines:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if not isinstance(entry, dict):
                continue
            # Written inside the sandbox, so the student's code may write anything here: only
            # printable, short text goes on to the log and the export.
            entry = {"kind": clean_note(entry.get("kind", "other"))[:40],
                     "what": clean_note(entry.get("what", ""))}
            if entry not in self.attempt_sink:
                self.attempt_sink.append(entry)

    async def _async_wait(self, pollinterval: float = 0.1) -> None:
        # How jupyter_client waits for a killed kernel to be gone: it polls every 0.1 s, so each
        # notebook's stop cost a tenth of a second; a killed sandbox is gone within milliseconds.
        await super()._async_wait(pollinterval=min(pollinterval, 0.005))

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        self._collect_attempts()
        await super()._async_cleanup_resources(restart)
        if not restart and getattr(self, "_sandbox_dir", None) is not None:
            shutil.rmtree(self._sandbox_dir, ignore_errors=True)
            self._sandbox_dir = None


class SandboxedExecute(Execute):
    """nbgrader's Execute, with each kernel in a bubblewrap sandbox (see the module docs)."""

    sandbox = Enum(["auto", "required", "off"], default_value="auto",
                   help="auto: sandbox where bubblewrap works, else warn and run unsandboxed; "
                        "required: refuse to run student code unsandboxed; off: never.").tag(
        config=True)
    capture_answers = Bool(True, help="Capture the answers each test cell reads, as plain "
                                      "data, for TrustedScoring (the next autograde step).").tag(
        config=True)
    capture_timeout = Integer(5, help="Seconds the kernel may take to hand over the answers "
                                      "before a test cell (they are only data); past it the "
                                      "kernel is stopped.").tag(config=True)
    notebook_timeout = Integer(300, help="Seconds one notebook may run in all (cells and "
                                         "captures together); past it the kernel is stopped and "
                                         "the cells left are not run. 0: no limit.").tag(
        config=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sandboxed = False
        if self.sandbox == "off":
            self.log.warning("Sandbox off (SandboxedExecute.sandbox = 'off'): student code "
                             "runs with your permissions: it can read the course and forge "
                             "scores, its own and other students'.")
            return
        works, message = availability()
        if works:
            self.kernel_manager_class = SandboxKernelManager
            self.sandboxed = True
            self.log.info("Student code runs in a sandbox: %s", message)
        elif self.sandbox == "required":
            raise RuntimeError(f"No sandbox for student code: {message}")
        else:
            self.log.warning("NOT SANDBOXED: %s Student code runs with your permissions: it can "
                             "read the course and forge its own and other students' scores "
                             "(set SandboxedExecute.sandbox = 'required' to refuse to grade "
                             "without it).", message)

    def create_kernel_manager(self):
        km = super().create_kernel_manager()
        # the stock client is replaced (kernel_ready); a configured one (a gateway's) is kept
        if km.client_class == AsyncKernelManager.class_traits()["client_class"].default_value:
            km.client_class = "painlab.grading.kernel_ready.ReadyAsyncClient"
        if isinstance(km, SandboxKernelManager):
            km.attempt_sink = self._attempts
        return km

    async def async_start_new_kernel_client(self):
        client = await super().async_start_new_kernel_client()
        if isinstance(self.km, SandboxKernelManager):
            self.km.lock_private_dir()
        return client

    # nbclient's synchronous wrapper (what nbconvert's preprocess calls) wraps nbclient's own
    # coroutine, not an override: without this the folder above was never locked.
    start_new_kernel_client = run_sync(async_start_new_kernel_client)

    def _capture_answers(self, cell) -> None:
        """Just before a test cell runs: the values of the names it reads, as plain data, for
        the scoring kernel (painlab.grading.scoring). Whatever this kernel answers is only
        data, at worst other answers; no answer at all scores nothing."""
        grade_id = cell.metadata["nbgrader"]["grade_id"]
        if grade_id not in self._plan:
            return
        queued, self._queued = self._queued, None
        text = None
        reply = None
        try:
            msg_id = queued[1] if queued and queued[0] == grade_id else self._ask(grade_id)
            reply = self._reply_within(msg_id, min(self.capture_timeout, self._left()))
            if reply is not None and reply["content"].get("status") == "aborted":
                # queued behind a cell that failed and stopped the queue: ask again
                reply = self._reply_within(self._ask(grade_id),
                                           min(self.capture_timeout, self._left()))
            text = scoring.parse_capture(reply) if reply else None
        except Exception as problem:  # noqa: BLE001 (a kernel that does not answer)
            self.log.warning("Cell %s: the answers could not be read (%s)", grade_id,
                             type(problem).__name__)
        if reply is not None:
            self._captures[grade_id] = text
            if self._early is not None:
                began = time.monotonic()
                self._early.captured(grade_id, text)
                # The scoring kernel's time is not the notebook's (notebook_timeout).
                self._started += time.monotonic() - began
        else:  # not captured: TrustedScoring leaves this test's KernelStopped output as it is
            self._stop(f"the kernel did not hand over the answers before {grade_id} within "
                       f"{self.capture_timeout} s")

    def _ask(self, grade_id: str) -> str:
        """Send the request that captures the answers test ``grade_id`` reads."""
        return self.kc.execute("", silent=True, store_history=False, allow_stdin=False,
                               user_expressions={"answers": scoring.capture_code(
                                   self._plan[grade_id])})

    def _queue_capture(self, cell_index: int) -> None:
        """Right after a cell's request is sent: if the next cell to run is a test, its
        capture goes out now, queued behind that cell. The kernel answers it as soon as the
        cell is done, with the values the test will read, and the answer is waiting when the
        test comes (instead of one more round trip then)."""
        self._queued = None
        following = next((c for c in self.nb.cells[cell_index + 1:]
                          if c.cell_type == "code" and c.source.strip()), None)
        if following is not None and _is_quiz_test(following):
            grade_id = following.metadata["nbgrader"]["grade_id"]
            if grade_id in self._plan:
                try:
                    self._queued = (grade_id, self._ask(grade_id))
                except Exception:  # noqa: BLE001 (the test asks again when it comes)
                    self._queued = None

    def _reply_within(self, msg_id: str, seconds: float):
        """The shell reply to ``msg_id``, or None after ``seconds`` (nbclient's own wait
        counts in steps of shell_timeout_interval, 5 s)."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                msg = run_sync(self.kc.shell_channel.get_msg)(timeout=min(left, 0.5))
            except queue.Empty:
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg
        return None

    def _left(self) -> float:
        """Seconds left of the notebook's time budget (at least 1; inf without one)."""
        if not self.notebook_timeout:
            return float("inf")
        return max(1.0, self.notebook_timeout - (time.monotonic() - self._started))

    def _get_timeout(self, cell):
        timeout = super()._get_timeout(cell)
        if cell is None or not self.notebook_timeout:
            return timeout
        return max(1, int(min(timeout or float("inf"), self._left())))

    def _stop(self, why: str) -> None:
        self._stopped = why + " and was stopped"
        self.log.warning("%s", self._stopped)
        if self.km is not None:
            try:
                run_sync(self.km.shutdown_kernel)(now=True)
            except Exception:  # noqa: BLE001 (already dead)
                pass

    def preprocess_cell(self, cell, resources, index):
        """Run one cell; once the kernel has died or stopped answering, the cells left get an
        error output instead of stopping the whole notebook (nbgrader would then fail the
        student's submission): they score 0 and the export says why. Before a test cell, the
        answers it reads are captured for scoring outside this kernel."""
        if cell.cell_type != "code" or not cell.source.strip():
            return super().preprocess_cell(cell, resources, index)
        if self._stopped:
            cell.outputs = [_error_output("KernelStopped", "not run: " + self._stopped)]
            return cell, resources
        if self.notebook_timeout and time.monotonic() - self._started > self.notebook_timeout:
            self._stop(f"the notebook ran past its time budget "
                       f"(SandboxedExecute.notebook_timeout = {self.notebook_timeout} s)")
            cell.outputs = [_error_output("KernelStopped", self._stopped)]  # named in the export
            return cell, resources
        test = _is_quiz_test(cell)
        if self.capture_answers and test:
            self._capture_answers(cell)
            if self._stopped:
                cell.outputs = [_error_output("KernelStopped", self._stopped)]
                return cell, resources
        source = cell.source
        if test and self._scored_apart:
            # The scores come from the scoring kernel: the hidden tests never enter this one.
            cell.source = scoring.visible_part(source)
        try:
            return super().preprocess_cell(cell, resources, index)
        except ValidationError:
            # An output nbformat rejects (a display hook publishing a dict as text/plain):
            # that cell gets an error output, the rest of the notebook is graded.
            self.log.warning("Cell %s: an invalid output was replaced by an error", index)
            cell.outputs = [_error_output("InvalidOutput", "the cell produced an output that "
                                                           "is not valid in a notebook")]
            return cell, resources
        except (CellTimeoutError, DeadKernelError) as problem:
            if isinstance(problem, CellTimeoutError):
                self._stopped = ("the kernel stopped answering (it ignored the interrupt "
                                 "after Execute.timeout) and was stopped")
            else:
                self._stopped = "the kernel died (a resource limit, or the code ended it)"
            self.log.warning("Cell %s: %s", index, self._stopped)
            if self.km is not None:
                try:
                    run_sync(self.km.shutdown_kernel)(now=True)
                except Exception:  # noqa: BLE001 (already dead)
                    pass
            cell.outputs.append(_error_output("KernelStopped", self._stopped))
            return cell, resources
        finally:
            cell.source = source

    def _scores_apart(self, scorer) -> bool:
        """Whether TrustedScoring (``scorer``, as configured) runs after this step (then test
        cells need not run their hidden tests here, and must not: a later cell could print them
        from the history)."""
        if not self.capture_answers or not scorer.enabled:
            return False
        steps = self.config.get("Autograde", {}).get("autograde_preprocessors", [])
        return any("TrustedScoring" in (s if isinstance(s, str) else getattr(s, "__name__", ""))
                   for s in steps)

    def preprocess(self, nb, resources, *args, **kwargs):
        self._attempts = []
        self._stopped = ""
        self._captures = {}
        self._started = time.monotonic()
        self._plan = scoring.capture_plan(nb) if self.capture_answers else {}
        scorer = scoring.TrustedScoring(config=self.config)
        self._scored_apart = self._scores_apart(scorer)
        self._early = None
        self._queued = None
        if self.capture_answers and resources is not None:
            resources[scoring.RESOURCE] = {"captures": self._captures,
                                           "sandboxed": self.sandboxed}
            if self.sandboxed and self._scored_apart and scorer.pipeline and scorer.reuse_kernel:
                # Each test is scored while the rest of the notebook runs here.
                self._early = scoring.EarlyScoring(scorer, nb, self._plan)
                resources[scoring.RESOURCE]["early"] = self._early
        if not self.sandboxed:
            # Unsandboxed code runs as this user: no scoring kernel may exist while it runs.
            scoring.shutdown_shared()
        own_hook = self.on_cell_complete
        if self.capture_answers:
            def queue_capture(**kwargs):  # nbclient's hook: the cell's request has been sent
                self._queue_capture(kwargs["cell_index"])
                return own_hook(**kwargs) if own_hook is not None else None
            self.on_cell_complete = queue_capture
        try:
            return super().preprocess(nb, resources, *args, **kwargs)
        finally:
            self.on_cell_complete = own_hook
            if self.sandboxed:
                self._write_log(resources)

    def _write_log(self, resources) -> None:
        info = resources.get("nbgrader", {})
        student, quiz, notebook = (info.get(k) for k in ("student", "assignment", "notebook"))
        db_url = info.get("db_url", "")
        if not (student and quiz and notebook and db_url.startswith("sqlite:///")):
            return
        course = Path(db_url[len("sqlite:///"):]).parent
        target = course / LOG_FOLDER / student / quiz / f"{notebook}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps({"sandboxed": True, "attempts": self._attempts},
                                     indent=1), encoding="utf-8")


def _is_quiz_test(cell) -> bool:
    """A test cell of the quiz (not one a student made): its answers are captured before it."""
    return scoring.is_test_cell(cell) and is_trusted_cell(cell)


def _error_output(name: str, value: str):
    return new_output("error", ename=name, evalue=value, traceback=[f"{name}: {value}"])


def read_attempts(course: Path, quiz: str, student: str, notebook: str) -> list[dict] | None:
    """The sandbox's notes on one graded notebook (None: not graded in the sandbox)."""
    path = Path(course) / LOG_FOLDER / student / quiz / f"{notebook}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))["attempts"]
    except (OSError, ValueError, KeyError):
        return None


KIND_WORDS = {"read": "read files outside its submission", "list": "list folders outside its "
              "submission", "write": "write files outside its private /tmp",
              "network": "use the network", "process": "start processes",
              "database": "open a database", "signal": "signal other processes"}


def describe_attempts(attempts: list[dict], limit: int = 3) -> str:
    """One line for the grade export: what the submission tried, with examples."""
    by_kind: dict[str, list[str]] = {}
    for entry in attempts:
        by_kind.setdefault(entry.get("kind", "other"), []).append(str(entry.get("what", "")))
    parts = []
    for kind, whats in by_kind.items():
        shown = ", ".join(dict.fromkeys(whats[:limit]))
        more = f" and {len(whats) - limit} more" if len(whats) > limit else ""
        parts.append(f"{KIND_WORDS.get(kind, kind)} ({shown}{more})")
    return "the sandbox blocked attempts to " + "; ".join(parts) if parts else ""


def main(argv=None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m painlab.grading.sandbox",
                                     description="Can this machine sandbox autograding?")
    parser.add_argument("--check", action="store_true", help="exit 1 when it cannot")
    args = parser.parse_args(argv)
    works, message = availability()
    print(("OK: " if works else "NO SANDBOX: ") + message)
    if not works:
        print("Without the sandbox, student code runs with your permissions: it can read the "
              "hidden tests and the gradebook, and forge scores, its own and those of students "
              "graded after it; scoring apart (TrustedScoring) does not stop that. Grade a "
              "class only where this check says OK.")
    return 0 if works or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
