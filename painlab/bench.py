"""What users wait for, measured: `make bench` (or `python -m painlab.bench [--quick]`).

Prints a table, each row as median and 95th percentile over repeated runs beside its floor
measured in the same run, and writes it with the machine's description to BENCHMARKS.md.
Progress goes to stderr, one line per measurement.
"""

import argparse
import datetime
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from painlab import INTERACTIVE, paths

RESULTS_FILE = paths.ROOT / "BENCHMARKS.md"


@dataclass
class Row:
    name: str
    samples: list[float]
    unit: str
    floor_name: str = ""
    floor: float | None = None
    target: str = ""
    meets: bool | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def progress(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def timed(function, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return samples


# --- headless execution and kernel memory ------------------------------------------------------
def execute_notebook(path: Path, env: dict | None = None) -> float:
    """Run a notebook on a fresh kernel; returns the kernel's peak resident memory in MB."""
    import nbclient
    import nbformat
    import psutil

    notebook = nbformat.read(path, as_version=4)
    peak = [0.0]
    done = threading.Event()

    def watch():
        me = psutil.Process()
        while not done.is_set():
            for child in me.children(recursive=True):
                try:
                    if "ipykernel" in " ".join(child.cmdline()):
                        peak[0] = max(peak[0], child.memory_info().rss / 2**20)
                except psutil.Error:
                    pass
            time.sleep(0.05)

    watcher = threading.Thread(target=watch, daemon=True)
    saved = dict(os.environ)
    os.environ.update(env or {})
    watcher.start()
    try:
        nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}}).execute()
    finally:
        done.set()
        watcher.join()
        os.environ.clear()
        os.environ.update(saved)
    return peak[0]


def empty_notebook(folder: Path) -> Path:
    import nbformat

    path = folder / "empty.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("")]), path)
    return path


def bench_execution(repeat: int, work: Path) -> list[Row]:
    rows = []
    floor = timed(lambda: execute_notebook(empty_notebook(work)), repeat)
    progress(f"kernel floor (empty notebook): {statistics.median(floor):.2f} s")
    floor_median = statistics.median(floor)
    rows.append(Row("kernel start + empty notebook (floor)", floor, "s"))
    targets = [(p, {}) for p in sorted(paths.LESSONS.glob("*.ipynb"))]
    targets += [(p, {"NBGRADER_EXECUTION": "autograde"})
                for p in sorted(paths.QUIZ_SOURCES.glob("*/*.ipynb"))]
    memory_rows = []
    for path, env in targets:
        peaks = []
        samples = timed(lambda path=path, env=env, peaks=peaks: peaks.append(
            execute_notebook(path, env)),
                        repeat)
        kind = "lesson" if path.parent == paths.LESSONS else "quiz source"
        median = statistics.median(samples)
        progress(f"execute {kind} {path.stem}: {median:.2f} s, kernel peak {max(peaks):.0f} MB")
        rows.append(Row(f"execute {kind} {path.stem}", samples, "s", "kernel floor", floor_median,
                        "<= 2x floor", median <= 2 * floor_median))
        if kind == "lesson":
            memory_rows.append(Row(f"kernel peak memory, {path.stem}", peaks, "MB",
                                   target="<= 250 MB", meets=max(peaks) <= 250))
    return rows + memory_rows


# --- in-kernel update of each diagram -----------------------------------------------------------
def diagram_factories() -> dict:
    import painlab

    return {name: getattr(painlab, name) for name, css in INTERACTIVE.items()
            if css == "painlab-diagram"}


def two_values(control):
    if hasattr(control, "options") and control.options:
        values = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return values[0], values[-1]
    return control.min, control.max


def floor_diagram():
    """The cheapest possible diagram: one slider moving one point. Its update time is the
    floor of the widget pipeline (model, figure update, comm message)."""
    import plotly.graph_objects as go

    from painlab.figures.base import FigureUpdate, new_figure
    from painlab.widgets.base import Diagram, slider

    def base():
        fig = new_figure("Floor", "x (unit)", "y (unit)")
        fig.add_trace(go.Scatter(x=[0], y=[0], mode="markers"))
        return fig

    return Diagram(title="Floor", controls={"value": slider("Value", 0, 0, 10, 1)}, base=base,
                   update=lambda value: FigureUpdate(traces=[{"y": [value]}]),
                   describe=lambda value: f"One point at {value}.")


def update_samples(diagram, repeat: int) -> list[float]:
    diagram.widget()
    name, control = next(iter(diagram.controls.items()))
    low, high = two_values(control)
    samples = []
    for index in range(repeat):
        value = high if index % 2 == 0 else low
        start = time.perf_counter()
        diagram.set(**{name: value})
        samples.append(time.perf_counter() - start)
    return samples


def bench_updates(repeat: int) -> list[Row]:
    floor = update_samples(floor_diagram(), repeat * 20)
    floor_median = statistics.median(floor)
    rows = [Row("in-kernel update, one-point diagram (floor)", [s * 1000 for s in floor], "ms")]
    for name, factory in diagram_factories().items():
        samples = [s * 1000 for s in update_samples(factory(), repeat * 20)]
        median = statistics.median(samples)
        progress(f"in-kernel update {name}: {median:.2f} ms")
        rows.append(Row(f"in-kernel update, {name}", samples, "ms", "one-point diagram",
                        floor_median * 1000, "<= 5 ms median", median <= 5))
    return rows


# --- in Chromium ----------------------------------------------------------------------------------
ARM_REDRAW = """(root) => {
  const plot = root.querySelector('.js-plotly-plot');
  window.__redrawAt = 0;
  const observer = new MutationObserver(() => {
    if (!window.__redrawAt) { window.__redrawAt = performance.now(); observer.disconnect(); }
  });
  observer.observe(plot, {subtree: true, childList: true, attributes: true, characterData: true});
  window.__armAt = performance.now();
}"""


def bench_browser(repeat: int, work: Path) -> list[Row]:
    import nbformat
    from playwright.sync_api import sync_playwright

    from painlab import browser

    if browser.find_chromium() is None:
        progress(f"chromium not found: browser rows skipped ({browser.INSTALL_HINT})")
        return []
    site = browser.make_site(work / "site")
    floor_nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "from painlab.bench import floor_diagram\nfloor_diagram()")], metadata={"kernelspec": {
            "name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}})
    nbformat.write(floor_nb, site / "lessons" / "zz-floor.ipynb")
    rows = []
    with browser.LabServer(site, work_dir=work / "lab") as server, sync_playwright() as pw:
        chromium = browser.launch_chromium(pw)
        first_visible: dict[str, list[float]] = {}
        redraw: dict[str, list[float]] = {}
        notebooks = sorted((site / "lessons").glob("*.ipynb"))
        for notebook in notebooks:
            for run in range(repeat):
                page = chromium.new_page(viewport=browser.VIEWPORT)
                browser.open_notebook(page, server, f"lessons/{notebook.name}")
                start = time.perf_counter()
                browser.run_all_cells(page)
                page.locator(".painlab-diagram .js-plotly-plot .main-svg").first.wait_for(
                    state="visible", timeout=120_000)
                first_visible.setdefault(notebook.stem, []).append(time.perf_counter() - start)
                browser.wait_until_executed(page, timeout=180)
                diagrams = page.locator(".painlab-diagram")
                for index in range(diagrams.count()):
                    diagram = diagrams.nth(index)
                    diagram.scroll_into_view_if_needed()
                    for _ in range(3 if run == 0 else 2):
                        diagram.evaluate(ARM_REDRAW)
                        browser.press_first_control(page, diagram)
                        page.wait_for_function("() => window.__redrawAt > 0", timeout=10_000)
                        latency = page.evaluate("() => window.__redrawAt - window.__armAt")
                        redraw.setdefault(f"{notebook.stem} diagram {index + 1}", []).append(
                            latency)
                        page.wait_for_timeout(150)  # let the rest of the redraw settle
                page.close()
                server.shutdown_kernels()
            progress(f"chromium {notebook.stem}: first diagram after "
                     f"{statistics.median(first_visible[notebook.stem]):.2f} s")
        chromium.close()
    floor_visible = statistics.median(first_visible.pop("zz-floor"))
    floor_redraw = statistics.median(redraw.pop("zz-floor diagram 1"))
    rows.append(Row("chromium: Run All -> one-point diagram visible (floor)",
                    [floor_visible], "s"))
    for stem, samples in first_visible.items():
        rows.append(Row(f"chromium: Run All -> first diagram visible, {stem}", samples, "s",
                        "one-point diagram", floor_visible, "<= 2.5 s",
                        statistics.median(samples) <= 2.5))
    rows.append(Row("chromium: key press -> redraw, one-point diagram (floor)",
                    [floor_redraw], "ms"))
    for name, samples in redraw.items():
        ordered = Row(name, samples, "ms")
        rows.append(Row(f"chromium: key press -> redraw, {name}", samples, "ms",
                        "one-point diagram", floor_redraw, "<= 60 ms median, <= 100 ms p95",
                        ordered.median <= 60 and ordered.p95 <= 100))
    return rows


# --- nbgrader --------------------------------------------------------------------------------------
def bench_autograde(repeat: int, work: Path, kernel_floor: float) -> list[Row]:
    from painlab.grading.course import make_course_copy, quiz_names, run_nbgrader, submit_as

    course = make_course_copy(work / "course")
    fixed = timed(lambda: run_nbgrader(course, "db", "student", "list"), repeat)
    fixed_median = statistics.median(fixed)
    progress(f"nbgrader fixed cost: {fixed_median:.2f} s")
    rows = [Row("nbgrader fixed cost per command (`nbgrader db student list`)", fixed, "s")]
    for quiz in quiz_names():
        run_nbgrader(course, "generate_assignment", quiz, "--force")
        submit_as(course, "bench", quiz, course / "source" / quiz / f"{quiz}.ipynb")
        samples = timed(lambda quiz=quiz: run_nbgrader(
            course, "autograde", quiz, "--student", "bench", "--force", "--create"), repeat)
        per_notebook = [s - fixed_median for s in samples]
        median = statistics.median(per_notebook)
        progress(f"autograde {quiz}: {statistics.median(samples):.2f} s "
                 f"({median:.2f} s beyond the fixed cost)")
        rows.append(Row(f"autograde one submission of {quiz}, beyond the fixed cost",
                        per_notebook, "s", "kernel floor", kernel_floor, "<= 1.3x floor",
                        median <= 1.3 * kernel_floor))
    return rows


# --- report ----------------------------------------------------------------------------------------
def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        import psutil

        memory = f", {psutil.virtual_memory().total / 2**30:.0f} GiB memory"
    except ImportError:
        pass
    return (f"{cpu}, {os.cpu_count()} cores{memory}, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}")


def table(rows: list[Row]) -> str:
    lines = ["| measurement | median | p95 | n | floor | x floor | target | meets? |",
             "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        digits = 1 if row.unit in ("ms", "MB") else 2
        floor = f"{row.floor:.{digits}f} {row.unit} ({row.floor_name})" if row.floor else ""
        ratio = f"{row.median / row.floor:.2f}" if row.floor else ""
        meets = "" if row.meets is None else ("yes" if row.meets else "**no**")
        lines.append(f"| {row.name} | {row.median:.{digits}f} {row.unit} | "
                     f"{row.p95:.{digits}f} {row.unit} | {len(row.samples)} | {floor} | {ratio} | "
                     f"{row.target} | {meets} |")
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (default 3)")
    parser.add_argument("--quick", action="store_true", help="one run each, for a smoke test")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium rows")
    parser.add_argument("--output", type=Path, default=RESULTS_FILE)
    args = parser.parse_args(argv)
    repeat = 1 if args.quick else args.repeat
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="painlab-bench-") as folder:
        work = Path(folder)
        rows = bench_execution(repeat, work)
        kernel_floor = rows[0].median
        rows += bench_updates(repeat)
        if not args.no_browser:
            rows += bench_browser(max(repeat - 1, 1), work)
        rows += bench_autograde(repeat, work, kernel_floor)
    report = (f"# Benchmarks\n\nMeasured by `make bench` (`python -m painlab.bench "
              f"--repeat {repeat}`) on {datetime.date.today().isoformat()}.\n\n"
              f"Machine: {machine()}.\n\n{table(rows)}\n\n"
              "Notes: *x floor* is the median divided by the floor's median. Autograde time is "
              "the `nbgrader autograde` command for one submission minus nbgrader's fixed cost "
              "per command. Redraw latency is measured in the page, from just before the key "
              "press to the first change of the plot's DOM.\n")
    args.output.write_text(report, encoding="utf-8")
    print(table(rows))
    progress(f"done in {time.perf_counter() - started:.0f} s; written to {args.output.name}")


if __name__ == "__main__":
    main()
