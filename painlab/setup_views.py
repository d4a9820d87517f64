"""Switch this environment between the views of JupyterLab: self-study, student, instructor.

nbgrader installs instructor tools (formgrader, the create-assignment toolbar, the course list)
that students should not see. `python -m painlab.setup_views student` disables and locks them for
this environment (the sys.prefix level, so it applies to every user of the environment);
`python -m painlab.setup_views instructor` enables them again. `self-study` (Binder, `make lab`)
is the student view without nbgrader's Assignments tab: outside a class there is no exchange
folder, and the tab would only say "Error fetching courses!" and "The exchange directory does not
exist". The Validate button stays in every view. All views also switch on the course's own server
extension (painlab.server), put in place the lighter plotly.js it serves
(painlab.plotly_bundle), and write the helper package's bytecode (compile_package).

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
# Only a class has an exchange to fetch from and submit to. Without the assignment list (and the
# instructor tools) nbgrader's "Nbgrader" menu would be left in the menu bar, empty.
CLASS_LAB_PLUGINS = ["@jupyter/nbgrader:assignment-list", "@jupyter/nbgrader:menu"]
CLASS_SERVER_EXTENSIONS = ["nbgrader.server_extensions.assignment_list"]
# Off in every view: JupyterLab's first-run question about fetching Jupyter news covers the lower
# right of a diagram at 1024 px, and the course runs offline on many hubs.
QUIET_LAB_PLUGINS = ["@jupyterlab/apputils-extension:announcements"]
VIEWS = ("self-study", "student", "instructor")
# nbconvert's own order (HTMLExporter.default_config) without the widget views: an HTML export of
# an executed lesson (`jupyter execute`, then `jupyter nbconvert --to html`, or JupyterLab's
# File > Save and Export) shows each display's static copy. A widget view there needs the
# widgets' HTML manager from unpkg.com and a kernel, so offline every diagram and self-check was
# an empty box.
EXPORT_PRIORITY = ["application/javascript", "text/html", "text/markdown", "image/svg+xml",
                   "text/vnd.mermaid", "text/latex", "image/png", "image/jpeg", "text/plain"]
NBCONVERT_CONFIG_NAME = "jupyter_nbconvert_config.json"
# Loaded after nbgrader's own nbgrader.json (config.d files are read in name order).
SERVER_CONFIG_NAME = "zz-painlab-view.json"


def config_dir(prefix: str | Path = sys.prefix) -> Path:
    return Path(prefix) / "etc" / "jupyter"


def set_view(view: str, prefix: str | Path = sys.prefix, directory: Path | None = None) -> None:
    """Write the view into <prefix>/etc/jupyter, or into ``directory`` (e.g. the user's
    ~/.jupyter: an instructor on a shared JupyterHub environment enables the tools for
    themselves only; the user level overrides the environment's student view)."""
    if view not in VIEWS:
        raise ValueError(f"view must be one of {', '.join(VIEWS)}")
    student = view != "instructor"
    self_study = view == "self-study"
    target = Path(directory) if directory else config_dir(prefix)
    page_config_path = target / "labconfig" / "page_config.json"
    page_config = (json.loads(page_config_path.read_text()) if page_config_path.is_file() else {})
    for key in ("disabledExtensions", "lockedExtensions"):
        section = page_config.setdefault(key, {})
        for plugin in INSTRUCTOR_LAB_PLUGINS:
            # explicit False (as `jupyter labextension enable` writes) also overrides a
            # disabled entry at a lower-priority level, e.g. /usr/local/etc/jupyter
            section[plugin] = student
        for plugin in CLASS_LAB_PLUGINS:
            section[plugin] = self_study
    for plugin in QUIET_LAB_PLUGINS:
        page_config["disabledExtensions"][plugin] = True
    page_config_path.parent.mkdir(parents=True, exist_ok=True)
    page_config_path.write_text(json.dumps(page_config, indent=2) + "\n")

    server_config_path = target / "jupyter_server_config.d" / SERVER_CONFIG_NAME
    server_config_path.parent.mkdir(parents=True, exist_ok=True)
    extensions = {name: not student for name in INSTRUCTOR_SERVER_EXTENSIONS}
    extensions.update({name: not self_study for name in CLASS_SERVER_EXTENSIONS})
    extensions[COURSE_SERVER_EXTENSION] = True  # both views: the low-latency kernel websocket
    server_config_path.write_text(json.dumps(
        {"ServerApp": {"jpserver_extensions": extensions}}, indent=2) + "\n")

    nbconvert_path = target / NBCONVERT_CONFIG_NAME
    nbconvert = json.loads(nbconvert_path.read_text()) if nbconvert_path.is_file() else {}
    nbconvert.setdefault("NbConvertBase", {})["display_data_priority"] = EXPORT_PRIORITY
    nbconvert_path.write_text(json.dumps(nbconvert, indent=2) + "\n")


def current_view(prefix: str | Path = sys.prefix) -> str:
    page_config_path = config_dir(prefix) / "labconfig" / "page_config.json"
    if not page_config_path.is_file():
        return "instructor"
    disabled = json.loads(page_config_path.read_text()).get("disabledExtensions", {})
    if not all(disabled.get(p) for p in INSTRUCTOR_LAB_PLUGINS):
        return "instructor"
    return "self-study" if all(disabled.get(p) for p in CLASS_LAB_PLUGINS) else "student"


def main(argv=None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    user = "--user" in argv
    argv = [a for a in argv if a != "--user"]
    if len(argv) != 1 or argv[0] not in VIEWS:
        raise SystemExit("usage: python -m painlab.setup_views self-study|student|instructor "
                         "[--user]")
    if user:
        from jupyter_core.paths import jupyter_config_dir

        set_view(argv[0], directory=Path(jupyter_config_dir()))
        print(f"JupyterLab is set to the {argv[0]} view for you ({jupyter_config_dir()}).")
        return
    set_view(argv[0])
    print(f"JupyterLab is set to the {argv[0]} view in this environment.")
    from painlab.plotly_bundle import ensure

    print(ensure())
    compile_package()


def compile_package(package: Path | None = None) -> None:
    """Write the bytecode of the helper package beside its sources. pip writes it for installed
    packages but not for an editable install, and Python does not write it where it may not
    (PYTHONDONTWRITEBYTECODE, a read-only install, the autograding sandbox): there every kernel
    compiled the whole package again, about 40 ms of each lesson's first cell."""
    import compileall
    from py_compile import PycInvalidationMode

    from painlab import paths

    # checked against the sources' times, so an edited module is never run from old bytecode
    compileall.compile_dir(package or paths.ROOT / "painlab", quiet=1, optimize=0,
                           invalidation_mode=PycInvalidationMode.TIMESTAMP)


if __name__ == "__main__":
    main()
