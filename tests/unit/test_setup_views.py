"""The student and instructor views of JupyterLab (painlab.setup_views), in a temporary prefix.

The last two tests ask the real `jupyter labextension list` and `jupyter server extension list`
what they read, with JUPYTER_CONFIG_PATH pointing at the temporary prefix's etc/jupyter (which
takes precedence over this environment's own etc/jupyter, whatever view that is in)."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from painlab import setup_views

INSTRUCTOR_ONLY = ["@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
                   "@jupyter/nbgrader:course-list"]
FOR_EVERYONE = ["@jupyter/nbgrader:validate-assignment"]
# not in self-study: no exchange there, and so nothing for nbgrader's menu to hold (it was an
# empty "Nbgrader" menu in the menu bar)
FOR_A_CLASS = ["@jupyter/nbgrader:assignment-list", "@jupyter/nbgrader:menu"]
SERVER_INSTRUCTOR = ["nbgrader.server_extensions.formgrader",
                     "nbgrader.server_extensions.course_list"]
SERVER_EVERYONE = ["nbgrader.server_extensions.validate_assignment"]
SERVER_CLASS = ["nbgrader.server_extensions.assignment_list"]


def page_config(prefix: Path) -> dict:
    return json.loads((prefix / "etc/jupyter/labconfig/page_config.json").read_text())


def server_config(prefix: Path) -> dict:
    path = prefix / "etc/jupyter/jupyter_server_config.d" / setup_views.SERVER_CONFIG_NAME
    extensions = json.loads(path.read_text())["ServerApp"]["jpserver_extensions"]
    assert extensions.pop("painlab.server") is True  # the course's extension, in both views
    return extensions


def test_student_view_disables_and_locks_instructor_tools(tmp_path):
    setup_views.set_view("student", tmp_path)
    config = page_config(tmp_path)
    for plugin in INSTRUCTOR_ONLY:
        assert config["disabledExtensions"][plugin] is True
        assert config["lockedExtensions"][plugin] is True
    for plugin in FOR_EVERYONE + FOR_A_CLASS:
        assert not config["disabledExtensions"].get(plugin)
    assert server_config(tmp_path) == {**{name: False for name in SERVER_INSTRUCTOR},
                                       **{name: True for name in SERVER_CLASS}}
    assert setup_views.current_view(tmp_path) == "student"


def test_self_study_view_also_hides_the_assignments_tab(tmp_path):
    """Outside a class there is no exchange: the Assignments tab would only show "Error fetching
    courses!" and "The exchange directory does not exist" (Binder, make lab)."""
    setup_views.set_view("self-study", tmp_path)
    config = page_config(tmp_path)
    for plugin in INSTRUCTOR_ONLY + FOR_A_CLASS:
        assert config["disabledExtensions"][plugin] is True
    for plugin in FOR_EVERYONE:
        assert not config["disabledExtensions"].get(plugin)
    assert server_config(tmp_path) == {name: False for name in SERVER_INSTRUCTOR + SERVER_CLASS}
    assert setup_views.current_view(tmp_path) == "self-study"
    setup_views.set_view("student", tmp_path)  # a class on the same machine gets it back
    assert not any(page_config(tmp_path)["disabledExtensions"][p] for p in FOR_A_CLASS)
    assert setup_views.current_view(tmp_path) == "student"


def test_binder_and_make_lab_use_the_self_study_view():
    root = Path(setup_views.__file__).resolve().parent.parent
    assert "python -m painlab.setup_views self-study" in (root / "postBuild").read_text()
    done = subprocess.run(["make", "-n", "lab"], cwd=root, capture_output=True, text=True)
    assert "painlab.setup_views self-study" in done.stdout, done.stdout


def test_instructor_view_enables_them_again(tmp_path):
    setup_views.set_view("student", tmp_path)
    setup_views.set_view("instructor", tmp_path)
    config = page_config(tmp_path)
    for plugin in INSTRUCTOR_ONLY:
        assert not config["disabledExtensions"].get(plugin)
        assert not config.get("lockedExtensions", {}).get(plugin)
    assert server_config(tmp_path) == {name: True for name in SERVER_INSTRUCTOR + SERVER_CLASS}
    assert setup_views.current_view(tmp_path) == "instructor"


@pytest.mark.parametrize("view", setup_views.VIEWS)
def test_no_news_question_in_any_view(tmp_path, view):
    """The first-run "fetch Jupyter news?" question covered part of a diagram at 1024 px."""
    setup_views.set_view(view, tmp_path)
    assert page_config(tmp_path)["disabledExtensions"][
        "@jupyterlab/apputils-extension:announcements"] is True


def test_other_page_settings_survive(tmp_path):
    path = tmp_path / "etc/jupyter/labconfig/page_config.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"disabledExtensions": {"some:other-plugin": True},
                                "exposeAppInBrowser": True}))
    setup_views.set_view("student", tmp_path)
    setup_views.set_view("instructor", tmp_path)
    config = page_config(tmp_path)
    assert config["disabledExtensions"]["some:other-plugin"] is True
    assert config["exposeAppInBrowser"] is True


def test_command_line(tmp_path, monkeypatch, capsys):
    original = setup_views.set_view
    monkeypatch.setattr(setup_views, "set_view", lambda view: original(view, tmp_path))
    setup_views.main(["student"])
    assert "student view" in capsys.readouterr().out
    assert setup_views.current_view(tmp_path) == "student"
    with pytest.raises(SystemExit):
        setup_views.main(["teacher"])


def test_the_package_bytecode_is_written_where_python_would_not(tmp_path, monkeypatch):
    """Kernels import the helper package from its bytecode even under PYTHONDONTWRITEBYTECODE
    (and in the read-only sandbox), where each would otherwise compile every module again."""
    import importlib.util

    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    sources = [package / "__init__.py", package / "sub" / "module.py"]
    for source in sources:
        source.write_text("VALUE = 1\n")
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    setup_views.compile_package(package)
    for source in sources:
        assert Path(importlib.util.cache_from_source(str(source))).is_file(), source


def environment(prefix: Path, user_dir: Path | None = None) -> dict:
    env = dict(os.environ)
    env["JUPYTER_CONFIG_PATH"] = str(prefix / "etc" / "jupyter")
    env["JUPYTER_CONFIG_DIR"] = str(user_dir or prefix / "user-config")  # no personal settings
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env["PATH"]
    return env


def run(env: dict, *command: str) -> str:
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return re.sub(r"\x1b\[[0-9;]*m", "", done.stdout + done.stderr)


def jupyter(env: dict, *args: str) -> str:
    return run(env, str(Path(sys.executable).parent / "jupyter"), *args)


def disabled_lab_plugins(listing: str) -> set[str]:
    if "Disabled extensions:" not in listing:
        return set()
    section = listing.split("Disabled extensions:", 1)[1]
    return {line.split()[0] for line in section.splitlines() if line.strip().startswith("@")}


def server_states(listing: str, config_dir: Path) -> dict[str, str]:
    """`jupyter server extension list` prints one section per config dir (user, sys-prefix,
    system; it ignores JUPYTER_CONFIG_PATH): read the section of ``config_dir``."""
    section = listing.split(f"Config dir: {config_dir}", 1)[1].split("Config dir:", 1)[0]
    return dict(re.findall(r"^\s*(nbgrader\.server_extensions\.\w+)\s+(enabled|disabled)\s*$",
                           section, re.M))


# What the Jupyter server itself loads: ServerApp.find_server_extensions merges every config
# path in priority order, JUPYTER_CONFIG_PATH above this environment's etc/jupyter.
EFFECTIVE = """
import json
from jupyter_server.serverapp import ServerApp
app = ServerApp()
app.find_server_extensions()
print(json.dumps({k: v for k, v in app.jpserver_extensions.items()
                  if k.startswith(("nbgrader", "painlab"))}))
"""


@pytest.mark.slow
@pytest.mark.parametrize("view", ["self-study", "student", "instructor"])
def test_jupyterlab_reads_the_view(tmp_path, view):
    if view == "instructor":
        setup_views.set_view("student", tmp_path)  # switching back must work
    setup_views.set_view(view, tmp_path)
    env = environment(tmp_path)
    lab = jupyter(env, "labextension", "list")
    disabled = disabled_lab_plugins(lab)
    config_dir = tmp_path / "etc" / "jupyter"
    listed = server_states(jupyter(environment(tmp_path, user_dir=config_dir), "server",
                                   "extension", "list"), config_dir)
    loaded = json.loads(run(env, sys.executable, "-c", EFFECTIVE).strip().splitlines()[-1])
    instructor = view == "instructor"
    if instructor:
        assert not set(INSTRUCTOR_ONLY) & disabled, lab
    else:
        assert set(INSTRUCTOR_ONLY) <= disabled, lab
        assert "locked" in lab
    assert not set(FOR_EVERYONE) & disabled
    assert bool(set(FOR_A_CLASS) & disabled) == (view == "self-study")
    state = "enabled" if instructor else "disabled"
    assert {listed[name] for name in SERVER_INSTRUCTOR} == {state}, listed
    assert {loaded[name] for name in SERVER_INSTRUCTOR} == {instructor}, loaded
    assert {loaded[name] for name in SERVER_EVERYONE} == {True}, loaded
    assert {loaded[name] for name in SERVER_CLASS} == {view != "self-study"}, loaded
    assert loaded["painlab.server"] is True, loaded


@pytest.fixture
def hub_environment(tmp_path):
    """A scratch Python environment standing in for a JupyterHub's shared environment: its own
    sys.prefix/etc/jupyter, where `python -m painlab.setup_views student` writes on a hub."""
    from painlab.grading.course import scratch_environment

    prefix = tmp_path / "hub-env"
    return prefix, scratch_environment(prefix)


@pytest.mark.slow
def test_instructor_view_for_one_user_overrides_the_locked_student_view(tmp_path,
                                                                        hub_environment):
    """On a hub, the shared environment has the (locked) student view; an instructor enables
    the tools for themselves only with `python -m painlab.setup_views instructor --user`."""
    prefix, python = hub_environment
    env = dict(os.environ)
    env.pop("JUPYTER_CONFIG_PATH", None)
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")  # the lab extensions
    # Hub users do not own the shared environment, so jupyter_core ranks their ~/.jupyter
    # above it; we own the scratch one, so that ranking has to be asked for.
    env["JUPYTER_PREFER_ENV_PATH"] = "0"
    student = {**env, "JUPYTER_CONFIG_DIR": str(tmp_path / "student" / ".jupyter")}
    instructor = {**env, "JUPYTER_CONFIG_DIR": str(tmp_path / "instructor" / ".jupyter")}

    def lab_disabled(who):
        return disabled_lab_plugins(run(who, str(python), "-m", "jupyterlab.labextensions",
                                        "list"))

    def servers(who):
        return json.loads(run(who, str(python), "-c", EFFECTIVE).strip().splitlines()[-1])

    run(env, str(python), "-m", "painlab.setup_views", "student")
    assert setup_views.current_view(prefix) == "student"
    run(instructor, str(python), "-m", "painlab.setup_views", "instructor", "--user")
    assert set(INSTRUCTOR_ONLY) <= lab_disabled(student)
    assert {servers(student)[name] for name in SERVER_INSTRUCTOR} == {False}
    assert not set(INSTRUCTOR_ONLY) & lab_disabled(instructor)
    assert {servers(instructor)[name] for name in SERVER_INSTRUCTOR} == {True}
