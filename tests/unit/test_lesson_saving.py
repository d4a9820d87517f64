"""Saving a lesson in JupyterLab leaves the committed file as it was (git status clean, git pull
without conflicts), and reopening it shows the static fallbacks, not "model not found"
(painlab.lesson_saving, installed by the course's server extension)."""

import asyncio
import json
import logging
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import nbformat
import pytest
from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

from painlab import lesson_saving, server

from ..conftest import LESSONS, ROOT

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


# Coroutines run in one thread of their own: another test in the same process (the browser
# tests' Playwright) may leave an event loop running in this one, and the contents manager's
# SQLite objects must stay in the thread that made them.
_LOOP_THREAD = ThreadPoolExecutor(1)


def run(coroutine):
    return _LOOP_THREAD.submit(asyncio.run, coroutine).result()


@pytest.fixture
def served(tmp_path):
    """A server's contents manager over a copy of the module's lessons, with the hooks."""
    shutil.copytree(ROOT / "lessons", tmp_path / "lessons")
    manager = AsyncLargeFileManager(root_dir=str(tmp_path))
    lesson_saving.install(manager)
    return manager, tmp_path


def run_all_and_save(manager, path, edit=None):
    """What JupyterLab sends after Run All and an autosave: outputs with widget views,
    execution counts, the kernel's language_info, the widget state, per-cell flags."""
    model = run(manager.get(path))
    notebook = json.loads(json.dumps(model["content"]))
    for number, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] == "code":
            cell["execution_count"] = number
            cell["metadata"]["trusted"] = True
            cell["metadata"]["scrolled"] = True
            cell["outputs"] = [
                {"output_type": "stream", "name": "stdout", "text": "printed\n"},
                {"output_type": "display_data", "metadata": {},
                 "data": {WIDGET_VIEW: {"model_id": f"m{number}", "version_major": 2,
                                        "version_minor": 0},
                          "text/html": f"<div class='painlab-static'>static {number}</div>",
                          "text/plain": f"diagram {number}"}}]
    notebook["metadata"]["language_info"] = {"name": "python", "version": "3.11.9",
                                             "codemirror_mode": {"name": "ipython"}}
    notebook["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {}}
    if edit:
        edit(notebook)
    sent = json.loads(json.dumps(notebook))  # the hook works on what is sent, not on this copy
    run(manager.save({"type": "notebook", "format": "json", "content": sent}, path))
    return notebook


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_saving_a_lesson_leaves_the_committed_file_unchanged(served, lesson):
    manager, root = served
    path = f"lessons/{lesson.name}"
    run_all_and_save(manager, path)
    assert (root / path).read_bytes() == lesson.read_bytes()
    saved = json.loads(lesson_saving.outputs_file(root / path).read_text())
    assert saved and all(WIDGET_VIEW not in output.get("data", {})
                         for entry in saved.values() for output in entry["outputs"])


def test_reopened_lesson_shows_the_static_fallbacks(served):
    manager, _root = served
    path = f"lessons/{LESSONS[0].name}"
    run_all_and_save(manager, path)
    reopened = run(manager.get(path))["content"]
    code = [cell for cell in reopened.cells if cell.cell_type == "code"]
    assert code and all(cell.outputs for cell in code)
    for cell in code:
        data = cell.outputs[-1]["data"]
        assert WIDGET_VIEW not in data  # no "Error displaying widget: model not found"
        assert "painlab-static" in data["text/html"]
        assert cell.metadata["trusted"] is True
        assert all(output.get("execution_count") is None for output in cell.outputs)
    nbformat.validate(reopened)


def test_an_edited_cell_gets_no_stale_output(served):
    manager, root = served
    path = f"lessons/{LESSONS[0].name}"
    run_all_and_save(manager, path)  # outputs saved for the original cell

    def edit(notebook):  # the learner changes a cell and saves before running it
        first = next(cell for cell in notebook["cells"] if cell["cell_type"] == "code")
        first["source"], first["outputs"] = "1 + 1", []
        edited_ids.append(first["id"])

    edited_ids = []
    run_all_and_save(manager, path, edit)
    on_disk = nbformat.read(root / path, as_version=4)
    assert all(not cell.get("outputs") for cell in on_disk.cells)  # edits are kept, not outputs
    assert "1 + 1" in [cell.source for cell in on_disk.cells]
    reopened = run(manager.get(path))["content"]
    edited = next(cell for cell in reopened.cells if cell.get("id") == edited_ids[0])
    assert edited.source == "1 + 1" and not edited.outputs


def test_other_notebooks_keep_their_outputs(served):
    manager, root = served
    shutil.copy(LESSONS[0], root / "lessons" / "my-copy.ipynb")
    run_all_and_save(manager, "lessons/my-copy.ipynb")
    copy = nbformat.read(root / "lessons" / "my-copy.ipynb", as_version=4)
    assert any(cell.get("outputs") for cell in copy.cells)


def test_the_server_extension_installs_the_hooks():
    calls = []
    manager = SimpleNamespace(register_pre_save_hook=calls.append, get=lambda path, **kw: {},
                              _get_os_path=lambda path: path)
    web_app = SimpleNamespace(settings={server.SETTING: ZMQChannelsWebsocketConnection,
                                        "base_url": "/"}, add_handlers=lambda *a: None)
    server._load_jupyter_server_extension(SimpleNamespace(
        web_app=web_app, log=logging.getLogger("test"), contents_manager=manager))
    assert len(calls) == 1 and manager.get.__name__ == "get"


def test_saved_outputs_and_verdicts_are_ignored_by_git():
    for name in ["lessons/.saved-outputs/00-start-here.json", "lessons/my-verdicts.csv",
                 "my-verdicts.csv"]:
        done = subprocess.run(["git", "check-ignore", "-q", name], cwd=ROOT)
        assert done.returncode == 0, f"{name} is not ignored by git"
