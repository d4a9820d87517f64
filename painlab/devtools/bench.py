"""What users wait for, measured: `make bench` (or `python -m painlab.devtools.bench [--quick]`).

Some rows only: `--parts updates,chromium --lessons 01,05` (parts: execution, updates, chromium,
autograde; lessons by stem prefix, with their quizzes and diagrams; floors always measured), for
comparing a change with the code before it in the same conditions; such a run prints its table
and writes no file unless given --output.

Prints a table, each row as median and 95th percentile over repeated runs beside its floor
measured in the same run, and writes it with the machine's description to BENCHMARKS.md.
Progress goes to stderr, one line per measurement. A measurement that fails (a kernel timing out
on a busy machine) is tried once more, then reported as failed in its own row; the rest of the
table is still measured. The slowest rows take fewer runs than --repeat (Run All in Chromium at
most 3 per lesson, autograde at most 2 per quiz), so that six lessons and their quizzes stay near
ten minutes at the default --repeat 5 (about 160 s execution, 20 s in-kernel updates, 260 s
Chromium, 200 s autograde, estimated from the two-lesson run).
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

from painlab import manifest, paths

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
    error: str = ""  # a measurement that failed even when retried: why, shown in its row

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def failed_row(name: str, unit: str, problem: BaseException, target: str = "") -> Row:
    text = f"{type(problem).__name__}: {problem}".splitlines()[0][:120].replace("|", "/")
    return Row(name, [], unit, target=target, error=text)


RETRIES = 1  # a measurement that fails (a timeout on a busy machine) is tried once more


def attempt(what: str, function, retries: int = RETRIES):
    """``function()``, tried again up to ``retries`` times when it raises; the last problem is
    raised. A busy machine can time a kernel out once; that is no reason to lose the table."""
    for number in range(retries + 1):
        try:
            return function()
        except Exception as problem:
            progress(f"{what} failed ({type(problem).__name__}: {str(problem)[:100]})"
                     + ("; trying again" if number < retries else "; reported in its row"))
            if number == retries:
                raise
    raise AssertionError("unreachable")


def section(what: str, function, *args) -> list[Row]:
    """One part of the table; if it fails as a whole, one row says so and the rest is still
    measured."""
    try:
        return function(*args)
    except Exception as problem:
        progress(f"{what} failed: {type(problem).__name__}: {problem}")
        return [failed_row(what, "s", problem)]


def progress(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def timed(function, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return samples


# --- which rows: all by default, or some parts and lessons (--parts, --lessons) -------------------
PARTS = ("execution", "updates", "chromium", "autograde")


@dataclass
class Selection:
    """The lessons whose rows are measured (stem prefixes such as "01" or "05-non"; empty: all).
    A lesson's quiz and its diagrams go with it; floors are always measured."""

    lessons: tuple[str, ...] = ()

    def takes(self, stem: str) -> bool:
        return not self.lessons or any(stem.startswith(prefix) for prefix in self.lessons)

    def lesson_notebooks(self) -> list[Path]:
        return [p for p in manifest.lesson_notebooks() if self.takes(p.stem)]

    def quiz_names(self) -> list[str]:
        return sorted(lesson.quiz for lesson in manifest.lessons()
                      if lesson.quiz and lesson.quiz_notebook.exists() and self.takes(lesson.stem))

    def diagram_names(self) -> list[str]:
        chosen = {name for lesson in manifest.lessons() if self.takes(lesson.stem)
                  for name in lesson.displays}
        return [name for name in diagram_factories() if name in chosen]


ALL = Selection()


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
    from painlab.devtools.browser import write_code_notebook

    return write_code_notebook(folder / "empty.ipynb", "")


def bench_execution(repeat: int, work: Path, selection: Selection = ALL) -> list[Row]:
    """Round-robin (floor, every lesson, every quiz; again), so that a slow spell of the machine
    falls on all of them alike rather than on whichever ran then."""
    execute_notebook(empty_notebook(work))  # warm-up: the first kernel start reads cold files
    floor_name = "kernel start + empty notebook (floor)"
    targets = [(floor_name, empty_notebook(work), {})]
    targets += [(f"execute lesson {p.stem}", p, {}) for p in selection.lesson_notebooks()]
    targets += [(f"execute quiz source {p.stem}", p, {"NBGRADER_EXECUTION": "autograde"})
                for p in manifest.quiz_notebooks() if p.stem in selection.quiz_names()]
    seconds: dict[str, list[float]] = {name: [] for name, _path, _env in targets}
    peaks: dict[str, list[float]] = {name: [] for name, _path, _env in targets}
    failed: dict[str, Exception] = {}

    def run(path, env):
        start = time.perf_counter()
        peak = execute_notebook(path, env)
        return time.perf_counter() - start, peak

    for round_number in range(1, repeat + 1):
        for name, path, env in targets:
            if name in failed:
                continue
            try:
                took, peak = attempt(f"execute {path.stem}", lambda path=path, env=env: run(path, env))
            except Exception as problem:
                failed[name] = problem
                continue
            seconds[name].append(took)
            peaks[name].append(peak)
        progress(f"execution round {round_number}/{repeat}: "
                 + ", ".join(f"{name.split()[-1]} {seconds[name][-1]:.2f} s" for name, *_ in targets
                             if name not in failed))
    if floor_name in failed:
        raise failed[floor_name]
    floor = statistics.median(seconds[floor_name])
    rows = [Row(floor_name, seconds[floor_name], "s")]
    memory_rows = []
    for name, path, _env in targets[1:]:
        if name in failed:
            rows.append(failed_row(name, "s", failed[name], "<= 2x floor"))
            continue
        median = statistics.median(seconds[name])
        rows.append(Row(name, seconds[name], "s", "kernel floor", floor, "<= 2x floor",
                        median <= 2 * floor))
        if path.parent == paths.LESSONS:
            memory_rows.append(Row(f"kernel peak memory, {path.stem}", peaks[name], "MB",
                                   target="<= 250 MB", meets=max(peaks[name]) <= 250))
    return rows + memory_rows


# --- in-kernel update of each diagram -----------------------------------------------------------
def diagram_factories() -> dict:
    import painlab

    return {name: getattr(painlab, name) for name, css in manifest.interactive().items()
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
    """Seconds per ``Diagram.set`` of its first control (model, figure update, comm message)."""
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


def noop_update_samples(repeat: int) -> list[float]:
    """Seconds to send a plot view a near-empty figure: the floor of any figure update."""
    import plotly.graph_objects as go

    from painlab.widgets.plot_view import PlotView

    view = PlotView(go.Figure())
    tiny = ['{"data": []}', '{"data": [], "layout": {}}']  # alternate, so each one is sent
    samples = []
    for index in range(repeat):
        start = time.perf_counter()
        view.figure_json = tiny[index % 2]
        samples.append(time.perf_counter() - start)
    return samples


def kernel_update_samples(repeat: int, names: list[str] | None = None) -> dict[str, list[float]]:
    """Runs inside a kernel: milliseconds per update of the floors and of the named diagrams
    (default: every diagram)."""
    factories = {"noop": None, "one-point diagram": floor_diagram, **diagram_factories()}
    results = {}
    for name in names or list(factories):
        if name == "noop":
            results[name] = [s * 1000 for s in noop_update_samples(repeat)]
        else:
            results[name] = [s * 1000 for s in update_samples(factories[name](), repeat)]
    return results


UPDATE_TIMEOUT = 120  # seconds for one diagram's updates in the kernel; a retry follows


class KernelSession:
    """A kernel for the in-kernel rows; restarted after a failure."""

    def __init__(self):
        self.manager = self.client = None

    def run(self, code: str, timeout: float) -> str:
        from jupyter_client.manager import start_new_kernel

        if self.client is None:
            self.manager, self.client = start_new_kernel(kernel_name="python3")
        output: list[str] = []
        errors: list[str] = []

        def hook(msg):
            if msg["msg_type"] == "stream":
                output.append(msg["content"].get("text", ""))
            elif msg["msg_type"] == "error":
                errors.append(f"{msg['content']['ename']}: {msg['content']['evalue']}")

        try:
            self.client.execute_interactive(code, timeout=timeout, output_hook=hook)
        except Exception:
            self.close()  # a timed-out kernel may still be busy: the retry gets a fresh one
            raise
        if errors:
            raise RuntimeError(errors[0])
        return "".join(output)

    def close(self):
        if self.client is not None:
            self.client.stop_channels()
            self.manager.shutdown_kernel(now=True)
        self.manager = self.client = None


def bench_updates(repeat: int, selection: Selection = ALL) -> list[Row]:
    """Measured in a real kernel, so each update also serialises and sends its comm message.
    Each diagram is measured by its own request: one that times out is retried on a fresh
    kernel, then reported in its row, and the others are still measured."""
    import json

    names = ["noop", "one-point diagram", *selection.diagram_names()]
    kernel = KernelSession()
    results: dict[str, list[float] | Exception] = {}
    try:
        kernel.run("from painlab.devtools.bench import kernel_update_samples", UPDATE_TIMEOUT)
        for name in names:
            code = ("import json; from painlab.devtools.bench import kernel_update_samples; "
                    f"print(json.dumps(kernel_update_samples({repeat * 20}, [{name!r}])))")
            try:
                results[name] = attempt(f"in-kernel update {name}", lambda code=code, name=name: json.loads(
                    kernel.run(code, UPDATE_TIMEOUT))[name])
            except Exception as problem:
                results[name] = problem
    finally:
        kernel.close()
    noop = results.pop("noop")
    if isinstance(noop, Exception):
        rows = [failed_row("in-kernel update, near-empty plot view (floor)", "ms", noop)]
        floor = None
    else:
        floor = statistics.median(noop)
        rows = [Row("in-kernel update, near-empty plot view (floor)", noop, "ms")]
    for name, samples in results.items():
        target = "" if name == "one-point diagram" else "<= 5 ms median"
        if isinstance(samples, Exception):
            rows.append(failed_row(f"in-kernel update, {name}", "ms", samples, target))
            continue
        median = statistics.median(samples)
        progress(f"in-kernel update {name}: {median:.2f} ms")
        rows.append(Row(f"in-kernel update, {name}", samples, "ms", "near-empty plot view", floor,
                        target, None if not target else median <= 5))
    return rows


# --- in Chromium ----------------------------------------------------------------------------------
# Armed before each key press: records the key's time, then the first change of the target element
# (plotly draws an update in one synchronous pass: the first mutation is also plotly_afterplot),
# then the next animation frame, when the change is on screen.
ARM = """([root, selector]) => {
  const target = root.querySelector(selector);
  const bench = window.__bench = {keyAt: 0, changeAt: 0, paintAt: 0};
  document.addEventListener('keydown', () => { bench.keyAt = performance.now(); },
                            {capture: true, once: true});
  const observer = new MutationObserver(() => {
    if (!bench.keyAt || bench.changeAt) return;
    bench.changeAt = performance.now();
    observer.disconnect();
    requestAnimationFrame(() => { bench.paintAt = performance.now(); });
  });
  observer.observe(target, {subtree: true, childList: true, attributes: true,
                            characterData: true});
}"""
PAINTED = "() => window.__bench.paintAt > 0"
LATENCY = "() => window.__bench.paintAt - window.__bench.keyAt"
SNAPSHOT = """(root) => {
  const plot = root.querySelector('.js-plotly-plot');
  (window.__snapshots = window.__snapshots || []).push(
    structuredClone({data: plot.data, layout: plot.layout}));
}"""
# plotly.js alone (no kernel, no widget): Plotly.react between two states, to the next frame.
REACT_TIMES = """async ([states, count, width, height]) => {
  const div = document.createElement('div');
  div.style.cssText = `position:fixed;left:0;top:0;width:${width}px;height:${height}px;z-index:9999`;
  document.body.appendChild(div);
  const frame = () => new Promise(resolve => requestAnimationFrame(resolve));
  const copy = s => structuredClone(s);
  await Plotly.newPlot(div, copy(states[0]).data, copy(states[0]).layout);
  const times = [];
  for (let i = 0; i < count; i++) {
    const state = copy(states[(i + 1) % 2]);
    const start = performance.now();
    await Plotly.react(div, state.data, state.layout);
    await frame();
    times.push(performance.now() - start);
  }
  Plotly.purge(div);
  div.remove();
  return times;
}"""
FLOOR_NOTEBOOK = [
    # ipywidgets round trip with no plot: slider -> kernel -> label
    "import ipywidgets as w\n"
    "s = w.IntSlider(description='Floor')\n"
    "l = w.Label('0')\n"
    "l.add_class('bench-label')\n"
    "s.observe(lambda change: setattr(l, 'value', str(change.new)), 'value')\n"
    "w.VBox([s, l]).add_class('bench-link')",
    # the cheapest diagram: one slider, one point
    "from painlab.devtools.bench import floor_diagram\nfloor_diagram()",
]


PAGE_REPEAT = 3


def bench_browser(repeat: int, work: Path, selection: Selection = ALL) -> list[Row]:
    from playwright.sync_api import sync_playwright

    from painlab.devtools import browser

    if browser.find_chromium() is None:
        progress(f"chromium not found: browser rows skipped ({browser.INSTALL_HINT})")
        return []
    site = browser.make_site(work / "site", selection.lesson_notebooks())
    browser.write_code_notebook(site / "lessons" / "zz-floor.ipynb", *FLOOR_NOTEBOOK)
    presses = 10 * repeat
    # Run All is the slowest row (a page and a kernel per run): at most PAGE_REPEAT runs a lesson.
    page_repeat = min(repeat, PAGE_REPEAT)
    lesson_notebooks = sorted((site / "lessons").glob("*.ipynb"))
    failures: dict[str, Exception] = {}
    first_visible: dict[str, list[float]] = {}
    redraw: dict[str, list[float]] = {}
    plotly_only: dict[str, list[float]] = {}
    with browser.LabServer(site, work_dir=work / "lab") as server, sync_playwright() as pw:
        chromium = browser.launch_chromium(pw)
        def visit(notebook, run):
            page = chromium.new_page(viewport=browser.VIEWPORT)
            try:
                browser.open_notebook(page, server, f"lessons/{notebook.name}")
                start = time.perf_counter()
                browser.run_all_cells(page)
                page.locator(".painlab-diagram .js-plotly-plot .main-svg").first.wait_for(
                    state="visible", timeout=120_000)
                took = time.perf_counter() - start
                browser.wait_until_executed(page, timeout=180)
                if run == 0:  # latency: one page is enough, many presses on it
                    page_redraw, page_plotly = {}, {}  # kept only when the whole page worked
                    _bench_page_redraws(page, notebook.stem, presses, page_redraw, page_plotly)
                    redraw.update(page_redraw)
                    plotly_only.update(page_plotly)
                first_visible.setdefault(notebook.stem, []).append(took)
            finally:
                page.close()
                server.shutdown_kernels()

        for notebook in lesson_notebooks:
            try:
                for run in range(page_repeat):
                    attempt(f"chromium {notebook.stem} run {run + 1}",
                            lambda notebook=notebook, run=run: visit(notebook, run))
            except Exception as problem:
                failures[notebook.stem] = problem
                continue
            progress(f"chromium {notebook.stem}: first diagram after "
                     f"{statistics.median(first_visible[notebook.stem]):.2f} s")
        chromium.close()
    if "zz-floor" in failures:
        raise failures["zz-floor"]
    floor_visible_samples = first_visible.pop("zz-floor")
    link_samples = redraw.pop("ipywidgets slider -> label")
    react_samples = plotly_only.pop("zz-floor diagram 1")
    floor_visible = statistics.median(floor_visible_samples)
    link_floor = statistics.median(link_samples)
    react_floor = statistics.median(react_samples)
    rows = [Row("chromium: Run All -> one-point diagram visible (floor)", floor_visible_samples,
                "s")]
    for stem, samples in first_visible.items():
        rows.append(Row(f"chromium: Run All -> first diagram visible, {stem}", samples, "s",
                        "one-point diagram", floor_visible, "<= 2.5 s",
                        statistics.median(samples) <= 2.5))
    for stem, problem in failures.items():
        rows.append(failed_row(f"chromium: {stem}", "s", problem, "<= 2.5 s"))
    rows.append(Row("chromium: key -> painted, ipywidgets slider -> label (floor)",
                    link_samples, "ms"))
    rows.append(Row("chromium: plotly.js redraw alone (no kernel), one-point diagram (floor)",
                    react_samples, "ms"))
    for name, samples in redraw.items():
        row = Row(name, samples, "ms")
        is_floor = name.startswith("zz-floor")
        label = "one-point diagram" if is_floor else name
        rows.append(Row(f"chromium: key -> redraw painted, {label}", samples, "ms",
                        "slider -> label", link_floor,
                        "" if is_floor else "<= 60 ms median, <= 100 ms p95",
                        None if is_floor else row.median <= 60 and row.p95 <= 100))
    for name, samples in plotly_only.items():
        rows.append(Row(f"chromium: plotly.js redraw alone (no kernel), {name}", samples, "ms",
                        "one-point diagram", react_floor))
    return rows


def _bench_page_redraws(page, stem, presses, redraw, plotly_only) -> None:
    from painlab.devtools import browser

    idle = browser.KERNEL_IDLE
    links = page.locator(".bench-link")
    if links.count():
        handle = links.first.locator(".noUi-handle").first
        handle.focus()
        for index in range(presses):
            page.evaluate(ARM, [links.first.element_handle(), ".bench-label"])
            page.keyboard.press("ArrowRight" if index % 2 == 0 else "ArrowLeft")
            page.wait_for_function(PAINTED, timeout=20_000)
            redraw.setdefault("ipywidgets slider -> label", []).append(page.evaluate(LATENCY))
            page.wait_for_function(idle, timeout=20_000)
    diagrams = page.locator(".painlab-diagram")
    page.add_script_tag(path=str(paths.PLOTLY_JS))  # window.Plotly, for the plotly-only rows
    for index in range(diagrams.count()):
        diagram = diagrams.nth(index)
        diagram.scroll_into_view_if_needed()
        name = f"{stem} diagram {index + 1}"
        page.evaluate("() => { window.__snapshots = []; }")
        diagram.evaluate(SNAPSHOT)
        for press in range(presses):
            page.evaluate(ARM, [diagram.element_handle(), ".js-plotly-plot"])
            browser.press_first_control(page, diagram, presses=1)
            page.wait_for_function(PAINTED, timeout=20_000)
            redraw.setdefault(name, []).append(page.evaluate(LATENCY))
            page.wait_for_function(idle, timeout=20_000)
            if press == 0:
                diagram.evaluate(SNAPSHOT)
        size = diagram.locator(".js-plotly-plot").first.bounding_box()
        plotly_only[name] = page.evaluate(REACT_TIMES, [
            page.evaluate("() => window.__snapshots"), presses,
            int(size["width"]), int(size["height"])])
        progress(f"chromium {name}: key -> redraw {statistics.median(redraw[name]):.0f} ms, "
                 f"plotly.js alone {statistics.median(plotly_only[name]):.0f} ms")


# --- nbgrader --------------------------------------------------------------------------------------
AUTOGRADE_CLASS = 4  # submissions graded in one command, to separate per-notebook from fixed cost
AUTOGRADE_REPEAT = 2  # at most, per quiz: two nbgrader commands (about 15 s) each time


def bench_autograde(repeat: int, work: Path, kernel_floor: float,
                    selection: Selection = ALL) -> list[Row]:
    """Autograde time per submission notebook is the slope: one command grading 1 submission,
    one grading AUTOGRADE_CLASS, (T_n - T_1) / (n - 1). What is left of T_1 is the command's
    fixed cost (start-up, imports, gradebook), reported beside `nbgrader db student list`."""
    from painlab.grading.course import make_course_copy, run_nbgrader

    course = make_course_copy(work / "course")
    run_nbgrader(course, "db", "student", "list")  # warm-up: the first command makes the gradebook
    listing = timed(lambda: run_nbgrader(course, "db", "student", "list"), repeat)
    progress(f"nbgrader db student list: {statistics.median(listing):.2f} s")
    rows = [Row("nbgrader start-up per command (`nbgrader db student list`)", listing, "s")]
    students = [f"bench{n}" for n in range(AUTOGRADE_CLASS)]
    for quiz in selection.quiz_names():
        try:
            rows += _bench_autograde_quiz(course, quiz, students, min(repeat, AUTOGRADE_REPEAT),
                                          kernel_floor, statistics.median(listing))
        except Exception as problem:
            rows.append(failed_row(f"autograde {quiz}: time per submission notebook", "s",
                                   problem, "<= 1.3x floor"))
    return rows


def _bench_autograde_quiz(course: Path, quiz: str, students: list[str], repeat: int,
                          kernel_floor: float, listing: float) -> list[Row]:
    from painlab.grading.course import run_nbgrader, submit_as

    rows = []
    run_nbgrader(course, "generate_assignment", quiz, "--force")
    for student in students:
        submit_as(course, student, quiz, course / "source" / quiz / f"{quiz}.ipynb")
    one: list[float] = []
    per_notebook: list[float] = []
    for _ in range(repeat):
        single = attempt(f"autograde {quiz}, one student", lambda: timed(lambda: run_nbgrader(
            course, "autograde", quiz, "--student", students[0], "--force", "--create"), 1)[0])
        several = attempt(f"autograde {quiz}, {len(students)} students", lambda: timed(
            lambda: run_nbgrader(course, "autograde", quiz, "--force", "--create"), 1)[0])
        one.append(single)
        per_notebook.append((several - single) / (AUTOGRADE_CLASS - 1))
    slope = statistics.median(per_notebook)
    fixed = [t - slope for t in one]
    progress(f"autograde {quiz}: {slope:.2f} s per notebook, "
             f"{statistics.median(fixed):.2f} s fixed per command")
    rows.append(Row(f"`nbgrader autograde` of one {quiz} submission, whole command", one, "s"))
    rows.append(Row(f"`nbgrader autograde` {quiz}: fixed cost per command", fixed, "s",
                    "db student list", listing))
    rows.append(Row(f"autograde {quiz}: time per submission notebook", per_notebook, "s",
                    "kernel floor", kernel_floor, "<= 1.3x floor", slope <= 1.3 * kernel_floor))
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


def _number(value: float, unit: str) -> str:
    if unit in ("ms", "MB"):
        return f"{value:.1f}" if abs(value) >= 1 else f"{value:.3f}"
    return f"{value:.2f}"


def table(rows: list[Row]) -> str:
    lines = ["| measurement | median | p95 | n | floor | x floor | target | meets? |",
             "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        if row.error:
            lines.append(f"| {row.name} | **failed**: {row.error} |  | 0 |  |  | {row.target} | "
                         "**no** |")
            continue
        floor = (f"{_number(row.floor, row.unit)} {row.unit} ({row.floor_name})"
                 if row.floor else "")
        ratio = f"{row.median / row.floor:.2f}" if row.floor else ""
        meets = "" if row.meets is None else ("yes" if row.meets else "**no**")
        lines.append(f"| {row.name} | {_number(row.median, row.unit)} {row.unit} | "
                     f"{_number(row.p95, row.unit)} {row.unit} | {len(row.samples)} | {floor} | "
                     f"{ratio} | {row.target} | {meets} |")
    return "\n".join(lines)


NOTES = """Notes.
- *x floor* is the median divided by the floor's median; p95 is the 95th percentile (with few
  samples, the largest). Each floor is measured in the same run.
- Execution: nbclient on a fresh kernel, floor a kernel start plus an empty notebook. Quiz sources
  run with `NBGRADER_EXECUTION` set, as under autograde. Peak memory: the kernel's RSS, polled
  every 50 ms during the lesson's execution. An execution p95 near 4 s is the kernel's graceful
  shutdown at the end, which now and then waits about 3 s for the kernel process to exit; an
  empty notebook does it too (3 of 40 runs on this machine), so it is not the lesson's.
- In-kernel update: `Diagram.set` of the diagram's first control inside a running kernel (model,
  figure update, serialising and sending the comm message); floor sending a plot view a
  near-empty figure.
- Chromium: JupyterLab in headless Chromium (software rendering, sharing the 2 cores with the
  server and the kernel), with JupyterLab's default notebook rendering, as students have it, and
  the course's server extension loaded. Run All -> first diagram: from clicking Run > Run
  All Cells to the first diagram's plot being visible. Key -> redraw: measured in the page with
  `performance.now()`, from the keydown event to the next animation frame after the plot's DOM
  changed (plotly draws an update in one synchronous pass, so this change is also its
  `plotly_afterplot`); floor the same path through a kernel for an ipywidgets slider -> label.
  plotly.js alone: `Plotly.react` between the diagram's states before and after a key press, in
  the same page, without kernel or widget.
- Spread: this machine is shared, and the same row can differ between runs (key -> redraw
  medians of one diagram by up to 20 ms an hour apart). Compare rows within one run.
- Autograde: the solution notebook submitted by 1 and by 4 students, each set graded by one
  `nbgrader autograde` command; time per notebook is (T_4 - T_1) / 3, the command's fixed cost
  T_1 minus that.
"""


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5,
                        help="runs per measurement (default 5; 20x as many in-kernel updates and "
                             "10x as many key presses; Run All at most 3, autograde at most 2)")
    parser.add_argument("--quick", action="store_true", help="one run each, for a smoke test")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium rows")
    parser.add_argument("--parts", default=",".join(PARTS),
                        help=f"which parts to measure, comma-separated (default all: "
                             f"{','.join(PARTS)}); a partial run writes no file unless --output")
    parser.add_argument("--lessons", default="",
                        help="only these lessons (stem prefixes, comma-separated, e.g. 01,05), "
                             "with their quizzes and diagrams; floors are always measured")
    parser.add_argument("--output", type=Path, default=None,
                        help="where the table goes (default BENCHMARKS.md for a full run)")
    args = parser.parse_args(argv)
    parts = [part.strip() for part in args.parts.split(",") if part.strip()]
    unknown = sorted(set(parts) - set(PARTS))
    if unknown:
        parser.error(f"unknown parts {', '.join(unknown)}; choose from {', '.join(PARTS)}")
    if args.no_browser and "chromium" in parts:
        parts.remove("chromium")
    selection = Selection(tuple(p.strip() for p in args.lessons.split(",") if p.strip()))
    partial = bool(selection.lessons) or set(parts) != set(PARTS)
    output = args.output or (None if partial else RESULTS_FILE)
    repeat = 1 if args.quick else args.repeat
    started = time.perf_counter()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="painlab-bench-") as folder:
        work = Path(folder)
        kernel_floor = None
        if "execution" in parts:
            rows += section("headless execution", bench_execution, repeat, work, selection)
            kernel_floor = rows[0].median if not rows[0].error else None
        if "updates" in parts:
            rows += section("in-kernel updates", bench_updates, repeat, selection)
        if "chromium" in parts:
            rows += section("chromium", bench_browser, repeat, work, selection)
        if "autograde" in parts:
            if kernel_floor is None:  # the autograde target is relative to the kernel floor
                kernel_floor = statistics.median(
                    timed(lambda: execute_notebook(empty_notebook(work)), repeat))
            rows += section("nbgrader autograde", bench_autograde, repeat, work, kernel_floor,
                            selection)
    command = "--quick" if args.quick else f"--repeat {repeat}"
    if partial:
        command += f" --parts {','.join(parts)}" + (
            f" --lessons {','.join(selection.lessons)}" if selection.lessons else "")
    report = (f"# Benchmarks\n\nMeasured by `make bench` (`python -m painlab.devtools.bench {command}`) "
              f"on {datetime.date.today().isoformat()}, in {time.perf_counter() - started:.0f} s."
              f"\n\nMachine: {machine()}.\n\n{table(rows)}\n\n{NOTES}")
    print(table(rows))
    if output is None:
        progress(f"done in {time.perf_counter() - started:.0f} s (a partial run: no file written)")
        return
    output.write_text(report, encoding="utf-8")
    progress(f"done in {time.perf_counter() - started:.0f} s; written to {output.name}")


if __name__ == "__main__":
    main()
