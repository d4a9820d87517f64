"""Saving a lesson keeps the tracked file clean; reopening it shows what it showed before.

JupyterLab autosaves every two minutes. Written as is, a lesson notebook would then hold outputs,
execution counts, kernel metadata and the widgets' state: `git status` turns dirty and a later
`git pull` of a new version of the lesson conflicts. And the saved diagrams would reopen as
"Error displaying widget: model not found", because their widget models lived in a kernel that
has gone.

The course's server extension (painlab.server) therefore installs two hooks on the server's
contents manager, for the course's own lesson notebooks only: a notebook named after a lesson
of the manifest (``<stem>.ipynb``) in a folder called ``lessons``, wherever the module is (this
repository, or a copy that nbgitpuller keeps up to date on a hub). A copy saved under another
name is left alone:

- before a lesson is saved, its outputs move to a file next to it,
  ``lessons/.saved-outputs/<stem>.json`` (ignored by git), and the notebook itself is written
  without outputs, execution counts or widget state, with the notebook metadata and the metadata
  of every unchanged cell as they are on disk. Unless the learner edits a cell, the file stays
  byte for byte the committed lesson;
- when a lesson is opened, the saved outputs are put back into the cells they came from (matched
  by cell id and source), without the widget views: each diagram, self-check and the claim
  explorer shows its static fallback (the figure, with its text description, or the question
  and its folded answer) until Run All makes them live again.
"""

import json
import os
from inspect import iscoroutinefunction
from pathlib import Path

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
OUTPUTS_FOLDER = ".saved-outputs"


def lesson_names() -> set[str]:
    from painlab.manifest import lessons

    return {f"{lesson.stem}.ipynb" for lesson in lessons()}


def outputs_file(notebook: Path) -> Path:
    return notebook.parent / OUTPUTS_FOLDER / f"{notebook.stem}.json"


def static_outputs(outputs: list) -> list:
    """The outputs without widget views: what a front end can show with no kernel behind it."""
    kept = []
    for output in outputs:
        output = dict(output)
        if "data" in output:
            data = {k: v for k, v in output["data"].items() if k != WIDGET_VIEW}
            if not data:
                continue
            output["data"] = data
            output["metadata"] = {k: v for k, v in (output.get("metadata") or {}).items()
                                  if k != WIDGET_VIEW}
        if output.get("output_type") == "execute_result":
            output["execution_count"] = None
        kept.append(output)
    return kept


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def clean_for_saving(notebook: dict, on_disk: dict | None) -> dict:
    """Strip the notebook in place for saving; return the outputs taken out, by cell id."""
    saved: dict[str, dict] = {}
    disk_cells = {cell.get("id"): cell for cell in (on_disk or {}).get("cells", [])}
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "code":
            outputs = static_outputs(cell.get("outputs") or [])
            if outputs and cell.get("id"):
                saved[cell["id"]] = {"source": _source(cell), "outputs": outputs,
                                     "trusted": bool(cell.get("metadata", {}).get("trusted"))}
            cell["outputs"] = []
            cell["execution_count"] = None
        before = disk_cells.get(cell.get("id"))
        if before is not None and _source(before) == _source(cell):
            cell["metadata"] = {**before.get("metadata", {}),
                                # the server's own transient flag; removed before writing
                                **({"trusted": cell["metadata"]["trusted"]}
                                   if "trusted" in cell.get("metadata", {}) else {})}
    if on_disk is not None:
        notebook["metadata"] = on_disk.get("metadata", {})
    else:
        notebook.get("metadata", {}).pop("widgets", None)
    return saved


def restore_outputs(notebook, saved: dict) -> None:
    """Put saved static outputs back into the cells they came from (same id, same source)."""
    import nbformat

    for cell in notebook.cells:
        entry = saved.get(cell.get("id"))
        if cell.cell_type != "code" or not entry or entry.get("source") != cell.source:
            continue
        cell.outputs = [nbformat.from_dict(output) for output in entry["outputs"]]
        cell.metadata["trusted"] = bool(entry.get("trusted"))


class LessonOutputs:
    """The two hooks."""

    def __init__(self):
        self.names = lesson_names()

    def _lesson_path(self, contents_manager, path: str) -> Path | None:
        try:
            os_path = Path(contents_manager._get_os_path(path)).resolve()
        except Exception:  # noqa: BLE001 (a contents manager without files on disk)
            return None
        return os_path if os_path.name in self.names and os_path.parent.name == "lessons" else None

    def pre_save(self, model=None, path="", contents_manager=None, **_):
        if not model or model.get("type") != "notebook" or not model.get("content"):
            return
        notebook = self._lesson_path(contents_manager, path)
        if notebook is None:
            return
        try:
            on_disk = json.loads(notebook.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            on_disk = None
        saved = clean_for_saving(model["content"], on_disk)
        target = outputs_file(notebook)
        if saved:
            target.parent.mkdir(exist_ok=True)
            temporary = target.with_suffix(".tmp")
            temporary.write_text(json.dumps(saved), encoding="utf-8")
            os.replace(temporary, target)
        elif target.exists():
            target.unlink()

    def after_get(self, contents_manager, path: str, model: dict) -> dict:
        if model.get("type") != "notebook" or not model.get("content"):
            return model
        notebook = self._lesson_path(contents_manager, path)
        if notebook is None or not outputs_file(notebook).is_file():
            return model
        try:
            saved = json.loads(outputs_file(notebook).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return model
        restore_outputs(model["content"], saved)
        return model


def install(contents_manager) -> LessonOutputs:
    """Register the hooks on a Jupyter server's contents manager."""
    hooks = LessonOutputs()
    contents_manager.register_pre_save_hook(hooks.pre_save)
    original_get = contents_manager.get
    if iscoroutinefunction(original_get):
        async def get(path, *args, **kwargs):
            return hooks.after_get(contents_manager, path,
                                   await original_get(path, *args, **kwargs))
    else:
        def get(path, *args, **kwargs):
            return hooks.after_get(contents_manager, path, original_get(path, *args, **kwargs))
    get.__doc__ = original_get.__doc__
    contents_manager.get = get
    return hooks

