"""Switch this environment between the student view and the instructor view of JupyterLab.

nbgrader installs instructor tools (formgrader, the create-assignment toolbar, the course list)
that students should not see. `python -m painlab.setup_views student` disables and locks them for
this environment (the sys.prefix level, so it applies to every user of the environment, as on
Binder); `python -m painlab.setup_views instructor` enables them again. Both views also switch
on the course's own server extension (painlab.server: a low-latency kernel websocket).

It writes the same two files that `jupyter labextension disable --level=sys_prefix` and
`jupyter server extension disable --sys-prefix` write, in a fraction of the time.
"""

import json
import sys
from pathlib import Path

# The assignment list and the validate button stay on for everyone.
INSTRUCTOR_LAB_PLUGINS = [
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:course-list",
]
INSTRUCTOR_SERVER_EXTENSIONS = [
    "nbgrader.server_extensions.formgrader",
    "nbgrader.server_extensions.course_list",
]
# The course's own server extension (its module), on in both views.
COURSE_SERVER_EXTENSION = "painlab.server"
# Loaded after nbgrader's own nbgrader.json (config.d files are read in name order).
SERVER_CONFIG_NAME = "zz-painlab-view.json"


def config_dir(prefix: str | Path = sys.prefix) -> Path:
    return Path(prefix) / "etc" / "jupyter"


def set_view(view: str, prefix: str | Path = sys.prefix, directory: Path | None = None) -> None:
    """Write the view into <prefix>/etc/jupyter, or into ``directory`` (e.g. the user's
    ~/.jupyter: an instructor on a shared JupyterHub environment enables the tools for
    themselves only; the user level overrides the environment's student view)."""
    if view not in ("student", "instructor"):
        raise ValueError("view must be 'student' or 'instructor'")
    student = view == "student"
    target = Path(directory) if directory else config_dir(prefix)
    page_config_path = target / "labconfig" / "page_config.json"
    page_config = (json.loads(page_config_path.read_text()) if page_config_path.is_file() else {})
    for key in ("disabledExtensions", "lockedExtensions"):
        section = page_config.setdefault(key, {})
        for plugin in INSTRUCTOR_LAB_PLUGINS:
            # explicit False (as `jupyter labextension enable` writes) also overrides a
            # disabled entry at a lower-priority level, e.g. /usr/local/etc/jupyter
            section[plugin] = student
    page_config_path.parent.mkdir(parents=True, exist_ok=True)
    page_config_path.write_text(json.dumps(page_config, indent=2) + "\n")

    server_config_path = target / "jupyter_server_config.d" / SERVER_CONFIG_NAME
    server_config_path.parent.mkdir(parents=True, exist_ok=True)
    extensions = {name: not student for name in INSTRUCTOR_SERVER_EXTENSIONS}
    extensions[COURSE_SERVER_EXTENSION] = True  # both views: the low-latency kernel websocket
    server_config_path.write_text(json.dumps(
        {"ServerApp": {"jpserver_extensions": extensions}}, indent=2) + "\n")


def current_view(prefix: str | Path = sys.prefix) -> str:
    page_config_path = config_dir(prefix) / "labconfig" / "page_config.json"
    if not page_config_path.is_file():
        return "instructor"
    disabled = json.loads(page_config_path.read_text()).get("disabledExtensions", {})
    return "student" if all(disabled.get(p) for p in INSTRUCTOR_LAB_PLUGINS) else "instructor"


def main(argv=None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    user = "--user" in argv
    argv = [a for a in argv if a != "--user"]
    if len(argv) != 1 or argv[0] not in ("student", "instructor"):
        raise SystemExit("usage: python -m painlab.setup_views student|instructor [--user]")
    if user:
        from jupyter_core.paths import jupyter_config_dir

        set_view(argv[0], directory=Path(jupyter_config_dir()))
        print(f"JupyterLab is set to the {argv[0]} view for you ({jupyter_config_dir()}).")
        return
    set_view(argv[0])
    print(f"JupyterLab is set to the {argv[0]} view in this environment.")


if __name__ == "__main__":
    main()
