"""The sandbox's pieces that need no kernel: its command line, its checks and its report."""

import shutil
from pathlib import Path

import pytest

from painlab.grading import sandbox


def command(tmp_path: Path, **traits) -> list[str]:
    manager = sandbox.SandboxKernelManager(**traits)
    manager._log_file = manager._private_dir() / "attempts.jsonl"
    manager._log_file.touch()
    work = tmp_path / "course" / "graded" / "s1" / "quiz"
    work.mkdir(parents=True)
    (work / "quiz.ipynb").write_text("{}")
    (work / "data.csv").write_text("x\n")
    try:
        return manager.sandbox_command(["python", "-m", "ipykernel_launcher", "-f", "k.json"],
                                       work, {"JUPYTERHUB_API_TOKEN": "secret",
                                              "NBGRADER_EXECUTION": "autograde",
                                              "JPY_PARENT_PID": "4242"})
    finally:
        shutil.rmtree(manager._private_dir(), ignore_errors=True)


def test_the_kernel_gets_no_network_no_notebook_and_a_clean_environment(tmp_path):
    argv = command(tmp_path, memory_mb=512, max_processes=16)
    joined = " ".join(argv)
    assert "--unshare-net" in argv and "--unshare-pid" in argv and "--clearenv" in argv
    assert "secret" not in joined and "NBGRADER_EXECUTION autograde" in joined
    # grading started from a notebook: the kernel would take the sandbox's init for a dead parent
    assert "JPY_PARENT_PID" not in joined
    assert "quiz.ipynb" not in joined and "data.csv" in joined
    course, work = tmp_path / "course", tmp_path / "course" / "graded" / "s1" / "quiz"
    bound = [Path(argv[i + 1]) for i, a in enumerate(argv) if a in ("--ro-bind", "--bind")]
    inside = [p for p in bound if p.is_relative_to(course)]
    assert inside == [work / "data.csv"], inside  # of the course, only the submission's files
    assert "--nproc=16" in argv and f"--as={512 * 2**20}" in argv
    assert argv[-4:-2] == ["painlab.grading.sandbox_boot", "--quiet"]


def test_it_refuses_an_environment_that_holds_the_submission(tmp_path):
    manager = sandbox.SandboxKernelManager(extra_ro_binds=[str(tmp_path)])
    manager._log_file = manager._private_dir() / "attempts.jsonl"
    try:
        with pytest.raises(RuntimeError, match="holds the submission"):
            manager.sandbox_command(["python", "-m", "ipykernel_launcher"], tmp_path / "x", {})
    finally:
        shutil.rmtree(manager._private_dir(), ignore_errors=True)


def test_the_report_names_each_kind_of_attempt():
    line = sandbox.describe_attempts([
        {"kind": "read", "what": "/course/source/q/q.ipynb"},
        {"kind": "database", "what": "../../gradebook.db"},
        {"kind": "network", "what": "connect ('1.1.1.1', 80)"}])
    assert line.startswith("the sandbox blocked attempts to read files outside its submission")
    assert "open a database (../../gradebook.db)" in line and "use the network" in line
    assert sandbox.describe_attempts([]) == ""


def test_the_check_says_whether_this_machine_can_sandbox(capsys):
    works, message = sandbox.availability()
    assert sandbox.main([]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK: " if works else "NO SANDBOX: ") and message in out


class _QueueingKernel:
    """A stand-in kernel client: records the requests sent, answers captures from ``replies``."""

    def __init__(self, replies):
        self.sent, self.replies = [], list(replies)

    def execute(self, code, **options):
        self.sent.append(options.get("user_expressions") and "capture" or code)
        return f"msg{len(self.sent)}"


def _capturing_step(monkeypatch, replies):
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    def quiz(source, grade_id, test):
        cell = new_code_cell(source)
        cell.metadata["nbgrader"] = {"grade": test, "grade_id": grade_id, "locked": True,
                                     "solution": False, "schema_version": 3}
        return cell

    answer = new_code_cell("x = 2")
    answer.metadata["nbgrader"] = {"grade": False, "grade_id": "q1_answer", "locked": False,
                                   "solution": True, "schema_version": 3}
    step = sandbox.SandboxedExecute(sandbox="off")
    step.nb = new_notebook(cells=[answer, new_markdown_cell("text"), new_code_cell("  "),
                                  quiz("check(x)", "q1_test", True), quiz("y = 1", "other", False)])
    step.kc = _QueueingKernel(replies)
    step._plan = {"q1_test": ["x"]}
    step._queued, step._captures, step._early, step._stopped = None, {}, None, ""
    step._started, step.notebook_timeout = 0.0, 0
    answered = iter(replies)
    monkeypatch.setattr(step, "_reply_within", lambda msg_id, seconds: next(answered))
    return step


def _reply(status, text="{}"):
    answers = {"status": "ok", "data": {"text/plain": repr(text)}}
    return {"content": {"status": status, "user_expressions": {"answers": answers}
                        if status == "ok" else {}}}


def test_a_test_s_capture_is_queued_behind_the_cell_before_it(monkeypatch):
    step = _capturing_step(monkeypatch, [_reply("ok", '{"values": {}}')])
    step._queue_capture(0)  # the answer cell was sent: the next cell to run is the test
    assert step.kc.sent == ["capture"] and step._queued == ("q1_test", "msg1")
    step._capture_answers(step.nb.cells[3])
    assert step.kc.sent == ["capture"]  # no second request: the queued answer was used
    assert step._captures == {"q1_test": '{"values": {}}'}
    step._queue_capture(3)  # after the test: the next cell is no test, nothing is queued
    assert step.kc.sent == ["capture"] and step._queued is None


def test_a_queued_capture_that_was_aborted_is_asked_again(monkeypatch):
    step = _capturing_step(monkeypatch, [_reply("aborted"), _reply("ok", '{"values": {}}')])
    step._queue_capture(0)
    step._capture_answers(step.nb.cells[3])
    assert step.kc.sent == ["capture", "capture"]
    assert step._captures == {"q1_test": '{"values": {}}'}


def test_a_killed_kernel_is_polled_for_in_milliseconds(monkeypatch):
    """jupyter_client polls a killed kernel every 0.1 s; the sandbox's manager every 5 ms (a
    sandbox is gone within milliseconds, and each notebook's stop waited for a whole poll)."""
    import asyncio

    manager = sandbox.SandboxKernelManager()
    alive = iter([True, True, False])
    slept = []

    async def is_alive():
        return next(alive)

    async def sleep(seconds):
        slept.append(seconds)

    monkeypatch.setattr(manager, "_async_is_alive", is_alive)
    monkeypatch.setattr(asyncio, "sleep", sleep)
    # Driven by hand, with no event loop (another test's loop may be running in this thread):
    # nothing it awaits suspends, so one step runs it to the end.
    with pytest.raises(StopIteration):
        manager._async_wait().send(None)
    assert slept == [0.005, 0.005]
