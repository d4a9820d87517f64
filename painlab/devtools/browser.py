"""A real JupyterLab in headless Chromium: one place for the browser tests and the benchmark.

- ``LabServer`` starts ``jupyter lab`` on 127.0.0.1 with a free port and a random token, in a
  throw-away root folder (a copy of the lessons, so autosave or a "Save as CSV" click never writes
  into the repository), with its own runtime, config, settings and workspace folders, and no
  news, update checks or autosave. ``stop()`` shuts every kernel down, then the server.
- ``launch_chromium`` starts Debian's ``chromium`` through Playwright (Playwright cannot download
  a browser here; the background-networking flags keep Chromium from dialling out on a closed
  network).
- The page helpers open a notebook, run all cells and wait on JupyterLab's own state (kernel idle,
  every code cell numbered), never on fixed sleeps.

Playwright is a test extra: it is imported only by the functions that drive a browser.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from painlab import paths

INSTALL_HINT = "sudo apt-get install chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}

# User settings of the test server (JupyterLab reads <settings dir>/<package>/<plugin>.jupyterlab-settings).
LAB_SETTINGS = {
    # No "Would you like to receive official Jupyter news?" toast, no update check.
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false",
                                                    "checkForUpdates": False},
    # The served files are copies, but never write a notebook behind the test's back.
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    # Nothing else: the notebook keeps JupyterLab's default rendering ("contentVisibility",
    # off-screen cells are not painted), as students have it, so the timings are theirs.
}


def find_chromium() -> str | None:
    """Path of Debian's chromium (or chromium-browser), or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def launch_chromium(playwright, executable: str | None = None):
    """A headless Chromium browser (Playwright sync API)."""
    executable = executable or find_chromium()
    if executable is None:
        raise FileNotFoundError(f"chromium not found; install it with: {INSTALL_HINT}")
    return playwright.chromium.launch(executable_path=executable, headless=True,
                                      args=CHROMIUM_ARGS)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_code_notebook(path: Path, *sources: str) -> Path:
    """A notebook of code cells on the python3 kernel, for a page to open (tests, benchmark)."""
    import nbformat

    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(source) for source in sources],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}})
    nbformat.write(notebook, path)
    return Path(path)


def make_site(root: Path, lessons: list[Path] | None = None) -> Path:
    """The served folder: copies of the lessons (and the assets they link to)."""
    root = Path(root)
    (root / "lessons").mkdir(parents=True, exist_ok=True)
    for lesson in lessons if lessons is not None else lesson_notebooks():
        shutil.copy2(lesson, root / "lessons" / lesson.name)
    if paths.ASSETS.is_dir():
        shutil.copytree(paths.ASSETS, root / "assets", dirs_exist_ok=True)
    return root


def lesson_notebooks() -> list[Path]:
    """Every lesson notebook of the manifest (new lessons join automatically)."""
    from painlab import manifest

    return manifest.lesson_notebooks()


class LabServer:
    """``jupyter lab`` in a subprocess, isolated from the user's Jupyter state."""

    def __init__(self, root_dir: Path | None = None, *, work_dir: Path | None = None,
                 env: dict | None = None):
        self._own_work_dir = work_dir is None
        self._extra_env = dict(env or {})
        self.work_dir = Path(work_dir or tempfile.mkdtemp(prefix="painlab-lab-"))
        self.root_dir = Path(root_dir) if root_dir else make_site(self.work_dir / "site")
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.work_dir / "jupyter-lab.log"
        self.process: subprocess.Popen | None = None
        self._log = None

    # --- lifecycle ----------------------------------------------------------------------------
    def environment(self) -> dict:
        env = dict(os.environ)
        for name, sub in [("JUPYTER_RUNTIME_DIR", "runtime"), ("JUPYTER_CONFIG_DIR", "config"),
                          ("JUPYTERLAB_SETTINGS_DIR", "settings"),
                          ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"), ("IPYTHONDIR", "ipython")]:
            folder = self.work_dir / sub
            folder.mkdir(parents=True, exist_ok=True)
            env[name] = str(folder)
        # nbgrader and the kernels find this environment's executables first.
        env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
        env.pop("NBGRADER_EXECUTION", None)
        env.update(self._extra_env)
        return env

    def _write_settings(self, settings_dir: Path) -> None:
        for plugin, values in LAB_SETTINGS.items():
            target = settings_dir / f"{plugin}.jupyterlab-settings"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(values, indent=2))

    def start(self, timeout: float = 90) -> LabServer:
        env = self.environment()
        self._write_settings(Path(env["JUPYTERLAB_SETTINGS_DIR"]))
        command = [
            sys.executable, "-m", "jupyter", "lab", "--no-browser",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root_dir}",
            "--ServerApp.terminals_enabled=False",
            f"--LabApp.workspaces_dir={env['JUPYTERLAB_WORKSPACES_DIR']}",
            f"--LabApp.user_settings_dir={env['JUPYTERLAB_SETTINGS_DIR']}",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")  # containers and CI runners often run as root
        self._log = open(self.log_path, "w")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(command, cwd=self.root_dir, env=env, stdout=self._log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited ({self.process.returncode}):\n"
                                   + self.log_tail())
            try:
                self.api("GET", "/api/status", timeout=2)
                return self
            except (OSError, urllib.error.URLError):
                time.sleep(0.1)
        self.stop()
        raise TimeoutError(f"jupyter lab did not answer within {timeout} s:\n{self.log_tail()}")

    def stop(self) -> None:
        """Shut every kernel down, then the server (shutdown request, terminate, kill)."""
        if self.process is not None and self.process.poll() is None:
            leftovers = self._children()
            try:
                self.shutdown_kernels()
                self.api("POST", "/api/shutdown", timeout=5)
            except (OSError, urllib.error.URLError):
                pass
            for sig in (None, signal.SIGTERM, signal.SIGKILL):
                if sig is not None:
                    try:
                        os.killpg(self.process.pid, sig)  # the server and any kernel it left
                    except ProcessLookupError:
                        break
                try:
                    self.process.wait(timeout=10)
                    break
                except subprocess.TimeoutExpired:
                    continue
            for child in leftovers:  # kernels run in their own session: end any that survived
                try:
                    child.kill()
                except Exception:  # noqa: BLE001 (already gone)
                    pass
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._own_work_dir:
            shutil.rmtree(self.work_dir, ignore_errors=True)

    def __enter__(self) -> LabServer:
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    # --- REST API -----------------------------------------------------------------------------
    def api(self, method: str, path: str, body: dict | None = None, timeout: float = 10):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base_url + path, data=data, method=method,
                                         headers={"Authorization": f"token {self.token}",
                                                  "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            text = response.read().decode() or "null"
        return json.loads(text)

    def kernels(self) -> list[dict]:
        return self.api("GET", "/api/kernels")

    def shutdown_kernels(self, timeout: float = 20) -> None:
        """Close every session and kernel (kernels must not be left running)."""
        for session in self.api("GET", "/api/sessions"):
            self.api("DELETE", f"/api/sessions/{session['id']}", timeout=timeout)
        for kernel in self.kernels():
            self.api("DELETE", f"/api/kernels/{kernel['id']}", timeout=timeout)

    def _children(self) -> list:
        try:
            import psutil

            return psutil.Process(self.process.pid).children(recursive=True)
        except Exception:  # noqa: BLE001 (psutil missing or the server already gone)
            return []

    def kernel_pids(self) -> list[int]:
        """Process ids of the kernels this server started."""
        pids = []
        for child in self._children():
            try:
                if "ipykernel" in " ".join(child.cmdline()):
                    pids.append(child.pid)
            except Exception:  # noqa: BLE001 (exited meanwhile)
                pass
        return pids

    # --- URLs ---------------------------------------------------------------------------------
    def notebook_url(self, path: str) -> str:
        """Opens one notebook in a fresh, empty workspace (clean layout, nothing restored)."""
        workspace = "t" + uuid.uuid4().hex[:10]
        return f"{self.base_url}/lab/workspaces/{workspace}/tree/{path}?reset&token={self.token}"


# --- page helpers (Playwright sync API) -----------------------------------------------------
CELL_PROMPTS_DONE = """() => {
  const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')];
  return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
}"""
KERNEL_IDLE = """() => {
  const el = document.querySelector('.jp-Notebook-ExecutionIndicator');
  return !!el && el.getAttribute('data-status') === 'idle';
}"""


def open_notebook(page, server: LabServer, path: str, timeout: float = 60) -> None:
    """Open a notebook and wait until its kernel is connected and idle, as seen by the page and
    by the server (the page's indicator alone can say idle before the kernel is connected)."""
    page.goto(server.notebook_url(path))
    page.locator(".jp-NotebookPanel .jp-Notebook").first.wait_for(state="visible",
                                                                   timeout=timeout * 1000)
    deadline = time.monotonic() + timeout
    while not any(session["path"].endswith(path) and
                  session["kernel"]["execution_state"] == "idle"
                  for session in server.api("GET", "/api/sessions")):
        if time.monotonic() > deadline:
            raise TimeoutError(f"no idle kernel for {path} after {timeout} s")
        time.sleep(0.1)
    page.wait_for_function(KERNEL_IDLE, timeout=timeout * 1000)


def run_all_cells(page, timeout: float = 30) -> None:
    """Run > Run All Cells, from JupyterLab's main menu.

    The menu item stays disabled until the notebook is the current document and its kernel is
    connected; clicking it before then does nothing, so wait for it to be enabled, then for the
    first cell to start.
    """
    deadline = time.monotonic() + timeout
    enabled = page.locator(".lm-Menu-item:not(.lm-mod-disabled)", has_text="Run All Cells")
    while True:
        page.locator(".jp-NotebookPanel .jp-Notebook").first.click(position={"x": 5, "y": 5})
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        try:
            enabled.first.wait_for(state="visible", timeout=1000)
            break
        except Exception:  # noqa: BLE001 (menu opened before the notebook was ready)
            page.keyboard.press("Escape")
            if time.monotonic() > deadline:
                raise
            page.wait_for_timeout(250)
    enabled.first.click()
    page.wait_for_function("""() => [...document.querySelectorAll(
        '.jp-Notebook .jp-CodeCell .jp-InputPrompt')].some(p => /\\[(\\*|\\d+)\\]/.test(p.textContent))""",
                           timeout=timeout * 1000)


def wait_until_executed(page, timeout: float = 120) -> None:
    """Every code cell has an execution count and the kernel is idle."""
    page.wait_for_function(f"() => ({CELL_PROMPTS_DONE})() && ({KERNEL_IDLE})()",
                           timeout=timeout * 1000)


def screenshot_notebook(page, path: Path) -> Path:
    """The whole notebook in one picture: the viewport grows to the notebook's height."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    height = page.evaluate("""() => {
      const inner = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-inner')
                 || document.querySelector('.jp-NotebookPanel .jp-Notebook');
      const outer = document.querySelector('.jp-NotebookPanel .jp-Notebook');
      const chrome = outer.getBoundingClientRect().top;
      return Math.ceil(chrome + inner.scrollHeight + 40);
    }""")
    original = page.viewport_size
    page.set_viewport_size({"width": original["width"], "height": min(max(height, 600), 16000)})
    try:
        # Run All leaves the notebook scrolled to its end: show it from the top.
        page.evaluate("""() => document.querySelectorAll('.jp-NotebookPanel .jp-WindowedPanel-outer,'
                                + ' .jp-NotebookPanel .jp-Notebook').forEach(e => e.scrollTo(0, 0))""")
        page.wait_for_timeout(300)  # one layout pass after the resize and the scroll
        page.screenshot(path=str(path))
    finally:
        page.set_viewport_size(original)
    return path


# --- interactive displays --------------------------------------------------------------------
# Everything drawn in a plot (paths, point positions, texts): any redraw that changes what a
# student sees changes this string.
PLOT_SIGNATURE = """(root) => {
  const plot = root.querySelector('.js-plotly-plot');
  if (!plot) return null;
  return [...plot.querySelectorAll('path, text')]
    .map(e => e.getAttribute('d') || e.getAttribute('transform') || e.textContent).join('|');
}"""
# The first keyboard-operable control of a diagram: a slider handle, or a toggle button that is
# not the selected one.
FIRST_CONTROL = ".noUi-handle, .widget-toggle-button:not(.mod-active)"
ERROR_OUTPUTS = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
# Output of widget callbacks (e.g. a traceback raised by a slider's observer) does not go to a
# cell: JupyterLab logs it and shows this status-bar item, hidden while the log is empty.
LOG_CONSOLE_ITEM = ".jp-LogConsoleStatusItem:not(.lm-mod-hidden)"


def kernel_log(page) -> str:
    """What the kernel logged outside cells (callback output), read from JupyterLab's log
    console; empty if nothing. Waits for the kernel to be idle first, so every message that the
    last interaction produced has arrived."""
    page.wait_for_function(KERNEL_IDLE, timeout=60_000)
    item = page.locator(LOG_CONSOLE_ITEM)
    if item.count() == 0:
        return ""
    item.first.click()
    panel = page.locator(".jp-LogConsolePanel").first
    panel.wait_for(state="visible", timeout=10_000)
    return panel.inner_text() or item.first.get_attribute("title") or "(log console not empty)"


# Properties of plotted traces that are present but undefined in the browser: data the kernel has
# and the page lost (plotly 7.1's widget model turns a batch update's gaps into undefined).
MISSING_TRACE_DATA = """(root) => {
  const plot = root.querySelector('.js-plotly-plot');
  return ((plot && plot.data) || []).flatMap((trace, i) => Object.keys(trace)
    .filter(key => trace[key] === undefined)
    .map(key => `trace ${i} (${trace.name || trace.type}) has no ${key}`));
}"""


def missing_trace_data(locator) -> list[str]:
    return locator.evaluate(MISSING_TRACE_DATA)


def plot_signature(locator) -> str | None:
    return locator.evaluate(PLOT_SIGNATURE)


def press_first_control(page, diagram, presses: int = 3) -> str:
    """Operate a diagram's first control with the keyboard only; returns what was pressed.
    (The control is focused first, so a listener armed before this call sees only the keys.)"""
    control = diagram.locator(FIRST_CONTROL).first
    control.focus()
    if "noUi-handle" in (control.get_attribute("class") or ""):
        at_max = control.get_attribute("aria-valuenow") == control.get_attribute("aria-valuemax")
        key = "ArrowLeft" if at_max else "ArrowRight"
        for _ in range(presses):
            page.keyboard.press(key)
        return f"{key} x{presses} on a slider"
    page.keyboard.press("Enter")
    return f"Enter on the toggle button '{control.inner_text()}'"


def wait_for_plot_change(page, diagram, before: str, timeout: float = 10) -> None:
    page.wait_for_function(f"([root, before]) => ({PLOT_SIGNATURE})(root) !== before",
                           arg=[diagram.element_handle(), before], timeout=timeout * 1000)
