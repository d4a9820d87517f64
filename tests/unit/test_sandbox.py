"""The sandbox's pieces that need no kernel: its command line, its checks and its report."""

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
        if not sandbox._privileged():
            import shutil

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
    with pytest.raises(RuntimeError, match="holds the submission"):
        manager.sandbox_command(["python", "-m", "ipykernel_launcher"], tmp_path / "x", {})


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
