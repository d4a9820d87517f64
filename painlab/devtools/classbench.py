"""How long a whole class takes to autograde, in the sandbox: a benchmark command, not a test.

    python -m painlab.devtools.classbench --students 300 [--workers 2] [--quiz Q ...] [--off]
                                          [--scoring-off]

Builds a temporary course with every quiz (or ``--quiz``), places one submission per student
and quiz (perfect, partly right or blank in turn, as a class would hand in), then runs
``nbgrader autograde`` for each quiz with the course configuration (sandbox on; ``--off``
switches it off for comparison; ``--scoring-off`` scores the tests in the student's kernel, as
nbgrader does on its own, instead of apart: ``painlab.grading.scoring``). ``--workers``
nbgrader processes share each quiz, the students
split by the last digit of their id (they write to the same gradebook). Progress goes to
stderr, one line per notebook as its kernel starts. At the end it prints the total, the cost per notebook
(wall time x workers / notebooks), the kernel floor (start and stop an empty sandboxed kernel,
measured first) and what is left over per notebook (running the cells, nbgrader's own work),
and the peak memory of all processes together (sampled every 0.2 s with psutil).
"""

import argparse
import itertools
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat

from painlab.devtools import synthetic
from painlab.grading.course import command_environment, make_course_copy, quiz_names
from painlab.grading.quizinfo import Quiz

PLAN = ["perfect", "partly-right", "blank", "perfect", "partly-right"]
_GRADED = re.compile(r"\| INFO\] Autograding (\S+)")


def kernel_floor(sandboxed: bool, repeats: int = 5) -> float:
    """Seconds to start a kernel, run one empty cell and stop it, as autograde does."""
    from nbclient import NotebookClient

    from painlab.grading.sandbox import SandboxKernelManager

    samples = []
    with tempfile.TemporaryDirectory(prefix="painlab-floor-") as folder:
        for _ in range(repeats):
            nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("pass")])
            kwargs = {"kernel_manager_class": SandboxKernelManager} if sandboxed else {}
            client = NotebookClient(nb, timeout=60, shutdown_kernel="immediate",
                                    resources={"metadata": {"path": folder}}, **kwargs)
            start = time.perf_counter()
            client.execute()
            samples.append(time.perf_counter() - start)
    samples.sort()
    return samples[len(samples) // 2]


class PeakMemory:
    """Peak of the summed resident memory of this process and all its descendants."""

    def __init__(self, interval: float = 0.2):
        import psutil

        self._psutil = psutil
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(interval,), daemon=True)

    def _run(self, interval):
        me = self._psutil.Process()
        while not self._stop.is_set():
            total = 0
            for process in [me, *me.children(recursive=True)]:
                try:
                    total += process.memory_info().rss
                except self._psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def place_class(course: Path, quizzes: list[str], students: int) -> list[str]:
    ids = [f"s{i + 1:03d}" for i in range(students)]
    for quiz_name in quizzes:
        quiz = Quiz(quiz_name, course / "source")
        released = nbformat.read(course / "release" / quiz_name / f"{quiz_name}.ipynb", 4)
        subs = {s.behaviour: s for s in synthetic.generic_submissions(quiz, released, PLAN)}
        for student, behaviour in zip(ids, itertools.cycle(PLAN)):
            folder = course / "submitted" / student / quiz_name
            folder.mkdir(parents=True, exist_ok=True)
            for name, content in subs[behaviour].files.items():
                (folder / name).write_bytes(content)
    return ids


def autograde(course: Path, quiz: str, workers: int, extra: list[str], total: int,
              done: list[int], started: float) -> None:
    digits = ["".join(str(d) for d in range(10) if d % workers == w) for w in range(workers)]
    processes = [subprocess.Popen(
        [sys.executable, "-m", "nbgrader", "autograde", quiz, f"--student=s*[{chosen}]", *extra],
        cwd=course, env=command_environment(), stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True) for chosen in digits]
    lock = threading.Lock()

    def follow(process):
        for line in process.stdout:
            if _GRADED.search(line):
                with lock:
                    done[0] += 1
                    elapsed = time.perf_counter() - started
                    rate = elapsed / done[0]
                    print(f"[{elapsed:7.1f} s] notebook {done[0]}/{total} started, "
                          f"{rate:.2f} s each, about {rate * (total - done[0]) / 60:.1f} min "
                          f"left", file=sys.stderr, flush=True)
        process.wait()

    threads = [threading.Thread(target=follow, args=(p,)) for p in processes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    failed = [p.returncode for p in processes if p.returncode]
    if failed:
        print(f"nbgrader autograde {quiz} exited with {failed}", file=sys.stderr)


def run(students: int, quizzes: list[str], workers: int, sandboxed: bool,
        scored_apart: bool = True) -> dict:
    floor = kernel_floor(sandboxed)
    print(f"kernel floor ({'sandboxed' if sandboxed else 'unsandboxed'}): {floor:.2f} s",
          file=sys.stderr)
    extra = [] if sandboxed else ["--SandboxedExecute.sandbox=off"]
    if not scored_apart:
        extra.append("--TrustedScoring.enabled=False")
    with tempfile.TemporaryDirectory(prefix="painlab-class-") as base:
        course = make_course_copy(Path(base) / "course", quizzes)
        for quiz in quizzes:
            subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", quiz],
                           cwd=course, env=command_environment(), check=True,
                           capture_output=True)
        place_class(course, quizzes, students)
        total = students * len(quizzes)
        done = [0]
        started = time.perf_counter()
        with PeakMemory() as memory:
            for quiz in quizzes:
                autograde(course, quiz, workers, extra, total, done, started)
        seconds = time.perf_counter() - started
    per_notebook = seconds * workers / max(done[0], 1)
    return {"students": students, "quizzes": len(quizzes), "notebooks": done[0],
            "workers": workers, "sandboxed": sandboxed, "scored_apart": scored_apart,
            "seconds": seconds,
            "per_notebook": per_notebook, "floor": floor, "over_floor": per_notebook - floor,
            "peak_mb": memory.peak / 2**20}


def report(result: dict, target_students: int = 300) -> str:
    scale = target_students / result["students"]
    projected = result["seconds"] * scale
    lines = [
        f"Class of {result['students']} students x {result['quizzes']} quizzes = "
        f"{result['notebooks']} notebooks, {result['workers']} nbgrader processes, sandbox "
        f"{'on' if result['sandboxed'] else 'off'}, tests scored "
        f"{'apart' if result.get('scored_apart', True) else 'in the student kernel'}:",
        f"  total autograde time     {result['seconds']:8.1f} s",
        f"  per notebook (x workers) {result['per_notebook']:8.2f} s",
        f"  kernel floor             {result['floor']:8.2f} s  (start, one empty cell, stop)",
        f"  over the floor           {result['over_floor']:8.2f} s  (the quiz's cells, "
        "nbgrader's preprocessors and gradebook writes)",
        f"  peak memory (all)        {result['peak_mb']:8.0f} MB",
        f"  projected for {target_students} students: {projected / 60:.1f} min "
        f"(plus about 3 s of nbgrader start per quiz and worker)",
    ]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m painlab.devtools.classbench")
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2, choices=range(1, 11))
    parser.add_argument("--quiz", action="append", help="only these quizzes (repeatable)")
    parser.add_argument("--off", action="store_true", help="autograde without the sandbox")
    parser.add_argument("--scoring-off", action="store_true",
                        help="score the tests in the student's kernel (no TrustedScoring)")
    args = parser.parse_args(argv)
    result = run(args.students, args.quiz or quiz_names(), args.workers, not args.off,
                 not args.scoring_off)
    print(report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
