"""A real JupyterHub with system users: one instructor, four students, nbgrader's exchange.

The hub runs docs/hub/jupyterhub_config.py (PAM logins, one JupyterLab server per user running
as that user) on loopback, after docs/hub/setup-course.sh has built the students' copy, the
shared environment (Debian's python3), the exchange and the instructor's private course. The
test then drives a whole quiz through the hub's REST API and the users' own servers, the way
the Assignments tab and formgrader do:

- the instructor adds the roster, generates and releases quiz 00 (formgrader's API);
- each student logs in with their password, fetches, answers and submits (nbgrader's
  assignment-list API and the contents API); three of them submit hostile code: one reads the
  course source, one a classmate's work, one writes the gradebook;
- the instructor collects, autogrades each student (in the sandbox, as an ordinary user: an
  unprivileged bubblewrap), generates and releases feedback and exports the grades (in a
  kernel of their own server); students fetch their feedback.

It checks the grades, the gradebook, the feedback and the export, and that a student reaches
neither another student's work, the course source nor the gradebook: through the hub (their
token opens no other server and no formgrader) and through the file system (code in their
own kernel, running as their own user). Root only (it creates system users and runs the
hub); `make hub-deps` installs what it needs. Users, processes and the course's folders are
removed afterwards; the environment is kept for the next run.
"""

import csv
import fcntl
import io
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest

from painlab import paths
from painlab.devtools import attacks, synthetic
from painlab.devtools.views import find_leaks
from painlab.grading import distribution
from painlab.grading.course import COURSE_ID, cell_scores, quiz_names
from painlab.grading.quizinfo import Quiz

pytestmark = [pytest.mark.slow, pytest.mark.hub]

HUB_DIR = paths.ROOT / "docs" / "hub"
CONFIG = HUB_DIR / "jupyterhub_config.py"
SETUP = HUB_DIR / "setup-course.sh"
# The same layout as a real hub (/opt, /srv), under a folder of the test's own; the
# environment in it is kept between runs (a second run only updates it).
PREFIX = Path("/var/cache/refractory-pain-hub-test")
ENV = PREFIX / "opt" / "refractory-pain" / "env"
COPY = PREFIX / "srv" / "refractory-pain"
EXCHANGE = PREFIX / "srv" / "nbgrader" / "exchange"
QUIZ = "00-appraisal-basics"
MARK = "refractory-pain hub test"  # the GECOS field of the users this test creates
STUDENTS_GROUP, INSTRUCTORS_GROUP = "refractory-pain-students", "refractory-pain-instructors"
INSTRUCTOR = "rp-teacher"
VICTIM = "rp-ada"
# student -> what they submit (an attack of painlab.devtools.attacks, or one of this file's)
STUDENTS = {VICTIM: "perfect", "rp-ben": "read-source", "rp-cy": "read-classmate",
            "rp-di": "write-gradebook"}
ABSENT = "rp-eve"  # on the roster, never logs in
IMPOSTOR = "rp-di"  # also submits under the victim's name
# Every attack of painlab.devtools.attacks, placed straight into the instructor's submitted/
# folder (as if collected) and autograded by the instructor: the sandbox without root.
EXTRA_PREFIX = "rp-x-"
# Blank submissions that attack the score itself, where the course scores outside the
# student's kernel (painlab.grading.scoring): they must score 0.
FORGERIES = getattr(attacks, "FORGERIES", {})


def _extra_attacks() -> dict:
    return {**attacks.ATTACKS, **FORGERIES}
COURSE_DIR = Path("/home") / INSTRUCTOR / "refractory-pain-course"
TIMEOUT = 5

# A student who knows where their classmates and the exchange are on this hub.
READ_CLASSMATE = attacks.Attack("read-classmate", """
import glob
for pattern in ["/home/{victim}/{quiz}/*.ipynb", "/home/{victim}/.local/share/jupyter/*/*/*",
                "{exchange}/refractory-pain/inbound/*/*.ipynb", "{course}/submitted/*/*/*.ipynb",
                "{course}/graded/*/*/*.ipynb"]:
    for path in glob.glob(pattern):
        print(path, open(path).read())
for path in ["/home/{victim}/{quiz}/{quiz}.ipynb", "{course}/submitted/{victim}/{quiz}/{quiz}.ipynb"]:
    try:
        print(open(path).read())
    except OSError as problem:
        print("no classmate:", problem)
""", "first", ("read files outside", "list folders outside"),
    "reads a classmate's home, the exchange's submissions and the course's copies")


def _missing() -> str | None:
    if os.geteuid() != 0:
        return "the hub test needs root: it creates system users and runs JupyterHub as root"
    for command in ("useradd", "userdel", "groupadd", "groupdel", "chpasswd", "runuser"):
        if not shutil.which(command):
            return f"{command} not found: the hub test creates system users"
    if not shutil.which("configurable-http-proxy"):
        return "configurable-http-proxy not found (make hub-deps installs it with npm)"
    if not shutil.which("bwrap"):
        return "bubblewrap not found (make sandbox-deps installs it)"
    done = subprocess.run(["/usr/bin/python3", "-c", "import ensurepip"], capture_output=True)
    if done.returncode != 0:
        return "Debian's python3-venv is missing (make hub-deps installs it)"
    return None


def _require_hub():
    reason = _missing()
    if reason:
        if os.environ.get("CI") == "true" and os.geteuid() == 0:
            pytest.fail(f"CI must run the hub test: {reason}")
        pytest.skip(reason)


def _run(*command, check=True, **kw):
    done = subprocess.run(command, capture_output=True, text=True, **kw)
    if check and done.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, command))}: {done.stdout}{done.stderr}")
    return done


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- system users -------------------------------------------------------------------------------

def _processes_of(uid: int) -> list[int]:
    import psutil

    return [p.pid for p in psutil.process_iter(["uids"]) if p.info["uids"]
            and p.info["uids"].real == uid]


def _remove_user(name: str) -> None:
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        return
    if entry.pw_gecos != MARK:
        return
    for pid in _processes_of(entry.pw_uid):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    time.sleep(0.2)
    _run("userdel", "--remove", name, check=False)


def _users() -> list[str]:
    return [INSTRUCTOR, *STUDENTS]


def _create_users() -> dict[str, str]:
    """The instructor and students as system users with random passwords (names that are
    taken by anyone else make the test skip, never change)."""
    for name in _users():
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        if entry.pw_gecos != MARK:
            pytest.skip(f"the user {name} exists on this machine and is not the test's")
        _remove_user(name)  # left by an interrupted run
    for group in (STUDENTS_GROUP, INSTRUCTORS_GROUP):
        found = _run("getent", "group", group, check=False)
        if found.returncode == 0:
            members = [m for m in found.stdout.strip().split(":")[-1].split(",") if m]
            if set(members) - set(_users()):
                pytest.skip(f"the group {group} exists on this machine and is not the test's")
            _run("groupdel", group)
        _run("groupadd", group)
    passwords = {}
    for name in _users():
        group = INSTRUCTORS_GROUP if name == INSTRUCTOR else STUDENTS_GROUP
        _run("useradd", "--create-home", "--shell", "/bin/bash", "--comment", MARK,
             "--groups", group, name)
        passwords[name] = secrets.token_urlsafe(16)
        _run("chpasswd", input=f"{name}:{passwords[name]}\n")
    return passwords


def _remove_users() -> None:
    for name in _users():
        _remove_user(name)
    for group in (STUDENTS_GROUP, INSTRUCTORS_GROUP):
        _run("groupdel", group, check=False)


# --- talking to the hub -------------------------------------------------------------------------

class HubUser:
    """One person at the hub: logs in with their password, then works with an API token."""

    def __init__(self, base: str, name: str, password: str):
        import requests

        self.base, self.name, self.password = base, name, password
        self.session = requests.Session()
        self.token = ""

    def login(self, password: str | None = None):
        self.session.get(f"{self.base}/hub/login", timeout=30)
        xsrf = self.session.cookies.get("_xsrf", "")
        return self.session.post(f"{self.base}/hub/login",
                                 data={"username": self.name, "_xsrf": xsrf,
                                       "password": password or self.password},
                                 allow_redirects=False, timeout=60)

    def get_token(self) -> None:
        xsrf = self.session.cookies.get("_xsrf", "")
        answer = self.session.post(f"{self.base}/hub/api/users/{self.name}/tokens",
                                   json={"note": "hub test", "expires_in": 3600},
                                   headers={"X-XSRFToken": xsrf}, timeout=30)
        assert answer.status_code in (200, 201), answer.text
        self.token = answer.json()["token"]

    def request(self, method: str, path: str, **kw):
        import requests

        headers = {"Authorization": f"token {self.token}", **kw.pop("headers", {})}
        return requests.request(method, f"{self.base}/{path.lstrip('/')}", headers=headers,
                                timeout=kw.pop("timeout", 600), allow_redirects=False, **kw)

    def start_server(self) -> None:
        answer = self.request("POST", f"hub/api/users/{self.name}/server")
        assert answer.status_code in (201, 202), answer.text
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            model = self.request("GET", f"hub/api/users/{self.name}").json()
            server = model.get("servers", {}).get("")
            if server and server.get("ready"):
                return
            time.sleep(0.5)
        raise AssertionError(f"{self.name}'s server did not start")

    def server(self, method: str, path: str, **kw):
        return self.request(method, f"user/{self.name}/{path.lstrip('/')}", **kw)

    def action(self, path: str, **kw) -> dict:
        """A POST to an nbgrader handler of the user's server, which answers in JSON."""
        answer = self.server("POST", path, **kw)
        assert answer.status_code == 200, (path, answer.status_code, answer.text[-3000:])
        return answer.json()

    def run_code(self, code: str, timeout: float = 300) -> str:
        """Run code in a new kernel of the user's own server; its printed output."""
        import websocket

        kernel = self.server("POST", "api/kernels", json={"name": "python3"}).json()["id"]
        url = self.base.replace("http://", "ws://") + \
            f"/user/{self.name}/api/kernels/{kernel}/channels"
        connection = websocket.create_connection(
            url, header=[f"Authorization: token {self.token}"], timeout=timeout)
        msg_id, output = uuid.uuid4().hex, []
        try:
            connection.send(json.dumps({
                "header": {"msg_id": msg_id, "username": self.name, "session": uuid.uuid4().hex,
                           "msg_type": "execute_request", "version": "5.3"},
                "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                "content": {"code": code, "silent": False, "store_history": False,
                            "user_expressions": {}, "allow_stdin": False}}))
            while True:
                message = json.loads(connection.recv())
                if message.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind = message["header"]["msg_type"]
                if kind == "stream":
                    output.append(message["content"]["text"])
                elif kind == "error":
                    output.append("\n".join(message["content"]["traceback"]))
                elif kind == "status" and message["content"]["execution_state"] == "idle":
                    break
        finally:
            connection.close()
            self.server("DELETE", f"api/kernels/{kernel}")
        return "".join(output)


# --- the run ------------------------------------------------------------------------------------

@dataclass
class Run:
    quiz: Quiz
    users: dict[str, HubUser] = field(default_factory=dict)
    files: dict[str, dict[str, bytes]] = field(default_factory=dict)
    results: dict[str, dict] = field(default_factory=dict)
    autograde: dict[str, dict] = field(default_factory=dict)
    rows: dict[str, dict] = field(default_factory=dict)
    extra: dict[str, dict[str, bytes]] = field(default_factory=dict)
    before: dict[str, str] = field(default_factory=dict)
    after: dict[str, str] = field(default_factory=dict)
    connections: list = field(default_factory=list)
    feedback: dict[str, str] = field(default_factory=dict)
    probes: dict[str, str] = field(default_factory=dict)
    whoami: str = ""
    package_root: dict = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    hub_log: Path | None = None


def _submission(student: str, quiz: Quiz, released) -> dict[str, bytes]:
    behaviour = STUDENTS[student]
    if behaviour == "perfect":
        builder = synthetic.Builder(quiz, released)
        return builder.files(builder.perfect())
    attack = READ_CLASSMATE if behaviour == "read-classmate" else attacks.ATTACKS[behaviour]
    return attack.submission(quiz, released, course=str(COURSE_DIR), exchange=str(EXCHANGE),
                             victim=VICTIM, port=1)


PROBES = {  # what a student's own code tries on the hub machine, as that student's user
    "the course's quiz source": ("read", f"{COURSE_DIR}/source/{QUIZ}/{QUIZ}.ipynb"),
    "the gradebook": ("read", f"{COURSE_DIR}/gradebook.db"),
    "the course folder": ("list", str(COURSE_DIR)),
    "the instructor's home": ("list", f"/home/{INSTRUCTOR}"),
    "a classmate's quiz": ("read", f"/home/{VICTIM}/{QUIZ}/{QUIZ}.ipynb"),
    "a classmate's home": ("list", f"/home/{VICTIM}"),
    "the exchange's submissions": ("list", f"{EXCHANGE}/{COURSE_ID}/inbound"),
    "the exchange's feedback": ("list", f"{EXCHANGE}/{COURSE_ID}/feedback"),
    "writing into the release": ("write", f"{EXCHANGE}/{COURSE_ID}/outbound/{QUIZ}/x.ipynb"),
    "writing into the feedback": ("write", f"{EXCHANGE}/{COURSE_ID}/feedback/x.html"),
    "the course's exchange folder": ("write", f"{EXCHANGE}/{COURSE_ID}/x"),
}
PROBE_CODE = """
import json, os
results = {}
for name, (kind, path) in %r.items():
    try:
        if kind == "read":
            open(path, "rb").read(1)
        elif kind == "list":
            os.listdir(path)
        else:
            open(path, "w").write("x")
        results[name] = "allowed"
    except PermissionError:
        results[name] = "denied"
    except OSError as problem:
        results[name] = type(problem).__name__
print(json.dumps(results))
"""


@pytest.fixture(scope="module")
def hub(tmp_path_factory) -> Run:
    _require_hub()
    PREFIX.mkdir(parents=True, exist_ok=True)
    PREFIX.chmod(0o755)
    lock = open(PREFIX / ".lock", "w")
    fcntl.flock(lock, fcntl.LOCK_EX)  # one hub test at a time on a machine
    hub_process = None
    started = time.perf_counter()
    try:
        passwords = _create_users()
        step = time.perf_counter()
        env = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
               "LANG": "C.UTF-8",
               "HOME": "/root", "INSTRUCTOR": INSTRUCTOR, "COURSE_HUB_PREFIX": str(PREFIX),
               "QUIZZES": QUIZ}
        for name in ("PIP_INDEX_URL", "PIP_FIND_LINKS", "PIP_CONFIG_FILE", "PIP_CACHE_DIR"):
            if name in os.environ:
                env[name] = os.environ[name]
        setup = subprocess.run(["bash", str(SETUP)], env=env, capture_output=True, text=True,
                               timeout=1500)
        assert setup.returncode == 0, setup.stdout[-3000:] + setup.stderr[-5000:]
        assert "OK: bubblewrap" in setup.stdout and "in a user namespace" in setup.stdout, \
            setup.stdout
        result = Run(Quiz(QUIZ))
        result.seconds["setup"] = time.perf_counter() - step
        # The one change to the guide's set-up: a short cell timeout, so that the two attacks
        # that never answer cost seconds, not minutes.
        with open(f"/home/{INSTRUCTOR}/.jupyter/nbgrader_config.py", "a") as config:
            config.write(f"c.Execute.timeout = {TIMEOUT}\n")

        step = time.perf_counter()
        hub_dir = tmp_path_factory.mktemp("hub")
        port = _free_port()
        result.hub_log = hub_dir / "jupyterhub.log"
        hub_process = subprocess.Popen(
            [str(ENV / "bin" / "jupyterhub"), "-f", str(CONFIG),
             f"--JupyterHub.bind_url=http://127.0.0.1:{port}",
             f"--JupyterHub.hub_bind_url=http://127.0.0.1:{_free_port()}",
             f"--ConfigurableHTTPProxy.api_url=http://127.0.0.1:{_free_port()}"],
            cwd=hub_dir, env={**env, "PATH": f"{ENV}/bin:{env['PATH']}"},
            stdout=result.hub_log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        _wait_for_hub(base, hub_process, result.hub_log)
        for name in _users():
            user = HubUser(base, name, passwords[name])
            answer = user.login()
            assert answer.status_code == 302, (name, answer.status_code, answer.text[:500])
            user.get_token()
            result.users[name] = user
        result.users[INSTRUCTOR].start_server()
        result.seconds["hub start"] = time.perf_counter() - step
        _drive(result)
        result.seconds["total"] = time.perf_counter() - started
        yield result
    finally:
        if hub_process is not None:
            _stop(hub_process)
        _remove_users()
        shutil.rmtree(EXCHANGE, ignore_errors=True)
        shutil.rmtree(COPY, ignore_errors=True)
        fcntl.flock(lock, fcntl.LOCK_UN)
        lock.close()


def _wait_for_hub(base: str, process, log: Path) -> None:
    import requests

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError("the hub stopped:\n" + log.read_text()[-4000:])
        try:
            if requests.get(f"{base}/hub/api", timeout=5).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    raise AssertionError("the hub did not answer:\n" + log.read_text()[-4000:])


def _stop(process) -> None:
    """The hub stops the proxy and every user's server when it gets SIGTERM."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    except ProcessLookupError:
        pass


def _listen(connections: list):
    """A server on the instructor's loopback that notes whatever reaches it."""
    import threading

    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.5)
    done = threading.Event()

    def serve():
        while not done.is_set():
            try:
                connection, _ = listener.accept()
                connections.append(connection.recv(100))
                connection.close()
            except OSError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()

    def stop():
        done.set()
        thread.join(timeout=5)
        listener.close()

    return listener, stop


def _place_every_attack(run: Run, port: int) -> None:
    released = nbformat.read(COURSE_DIR / "release" / QUIZ / f"{QUIZ}.ipynb", 4)
    owner = pwd.getpwnam(INSTRUCTOR)
    for name, attack in _extra_attacks().items():
        student = EXTRA_PREFIX + name
        run.extra[student] = attack.submission(run.quiz, released, course=str(COURSE_DIR),
                                               exchange=str(EXCHANGE), victim=VICTIM,
                                               port=port)
        folder = COURSE_DIR / "submitted" / student / QUIZ
        folder.mkdir(parents=True)
        for file_name, content in run.extra[student].items():
            (folder / file_name).write_bytes(content)
        for path in (folder.parent, folder, *folder.iterdir()):
            os.chown(path, owner.pw_uid, owner.pw_gid)


def _snapshot(*folders: Path) -> dict[str, str]:
    import hashlib

    digests = {}
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")) if folder.is_dir() else [folder]:
            if path.is_file():
                digests[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


def _drive(run: Run) -> None:
    teacher = run.users[INSTRUCTOR]
    step = time.perf_counter()
    for student in [*STUDENTS, ABSENT]:
        answer = teacher.server("PUT", f"formgrader/api/student/{student}",
                                json={"first_name": student[3:].title(), "last_name": "Test",
                                      "email": f"{student}@example.org"})
        assert answer.status_code == 200, answer.text
    for action in ("assign", "release"):
        done = teacher.action(f"formgrader/api/assignment/{QUIZ}/{action}")
        assert done["success"], done
    run.seconds["generate and release"] = time.perf_counter() - step

    step = time.perf_counter()
    for student in STUDENTS:  # the victim first: there is something of theirs to steal
        user = run.users[student]
        user.start_server()
        listed = user.server("GET", "assignments", params={"course_id": COURSE_ID}).json()
        assert listed["success"] and [a["assignment_id"] for a in listed["value"]] == [QUIZ], \
            listed
        form = {"assignment_id": QUIZ, "course_id": COURSE_ID}
        fetched = user.action("assignments/fetch", data=form)
        assert fetched["success"], fetched
        model = user.server("GET", f"api/contents/{QUIZ}/{QUIZ}.ipynb").json()
        released = nbformat.from_dict(model["content"])
        run.files[student] = _submission(student, run.quiz, released)
        for name, content in run.files[student].items():
            answer = user.server("PUT", f"api/contents/{QUIZ}/{name}",
                                 json={"type": "notebook", "format": "json",
                                       "content": json.loads(content)})
            assert answer.status_code in (200, 201), answer.text
        submitted = user.action("assignments/submit", data=form)
        assert submitted["success"], submitted
    # One student also files their notebook under the victim's name, from their own kernel
    # (as they could from a terminal).
    run.results["impersonation"] = run.users[IMPOSTOR].run_code(
        "import subprocess\n"
        f"done = subprocess.run(['nbgrader', 'submit', {QUIZ!r}, '--course', {COURSE_ID!r}, "
        f"'--student', {VICTIM!r}], capture_output=True, text=True)\n"
        "print(done.returncode, done.stdout[-1000:], done.stderr[-2000:])\n")
    run.seconds["students fetch, answer, submit"] = time.perf_counter() - step

    step = time.perf_counter()
    collected = teacher.action(f"formgrader/api/assignment/{QUIZ}/collect")
    assert collected["success"], collected
    run.results["collect"] = collected
    listener, stop = _listen(run.connections)
    _place_every_attack(run, listener.getsockname()[1])
    watched = (COURSE_DIR / "source", COURSE_DIR / "release", COURSE_DIR / "submitted",
               EXCHANGE, COURSE_DIR / "nbgrader_config.py")
    run.before = _snapshot(*watched)
    for student in [*STUDENTS, *run.extra]:
        run.autograde[student] = teacher.action(
            f"formgrader/api/submission/{QUIZ}/{student}/autograde")
    run.after = _snapshot(*watched)
    stop()
    run.seconds["autograde"] = time.perf_counter() - step

    step = time.perf_counter()
    for action in ("generate_feedback", "release_feedback"):
        done = teacher.action(f"formgrader/api/assignment/{QUIZ}/{action}")
        assert done["success"], done
        run.results[action] = done
    exported = teacher.run_code(
        "import subprocess\n"
        f"done = subprocess.run(['nbgrader', 'export'], cwd={str(COURSE_DIR)!r}, "
        "capture_output=True, text=True)\n"
        "print(done.returncode)\n"
        f"print(open({str(COURSE_DIR / 'grades.csv')!r}).read())\n")
    status, _, table = exported.partition("\n")
    assert status.strip() == "0", exported
    run.rows = {row["student_id"]: row for row in csv.DictReader(io.StringIO(table))}
    for student in STUDENTS:
        user = run.users[student]
        done = user.action("assignments/fetch_feedback",
                           data={"assignment_id": QUIZ, "course_id": COURSE_ID})
        assert done["success"], done
        folder = user.server("GET", f"api/contents/{QUIZ}/feedback").json()["content"]
        pages = user.server("GET", f"api/contents/{folder[0]['path']}").json()["content"]
        page = user.server("GET", f"api/contents/{pages[0]['path']}",
                           params={"format": "text", "type": "file"}).json()
        run.feedback[student] = page["content"]
    run.seconds["feedback and export"] = time.perf_counter() - step

    prober = run.users["rp-ben"]
    run.probes = json.loads(prober.run_code(PROBE_CODE % (PROBES,)).strip().splitlines()[-1])
    run.whoami = prober.run_code("import os, pwd; print(pwd.getpwuid(os.getuid()).pw_name)").strip()
    run.package_root = json.loads(prober.run_code(
        "import json, painlab.paths as p\n"
        "print(json.dumps({'root': str(p.ROOT), 'sources': p.QUIZ_SOURCES.exists()}))")
        .strip().splitlines()[-1])


# --- the checks ---------------------------------------------------------------------------------

def test_every_student_gets_the_grade_their_answers_earn(hub):
    wrong = []
    for student in [*STUDENTS, *hub.extra]:
        scores = cell_scores(COURSE_DIR, QUIZ, student)
        got = round(sum(scores[q.grade_id][0] or 0 for q in hub.quiz.auto_questions), 2)
        forged = student.removeprefix(EXTRA_PREFIX) in FORGERIES
        expected = 0.0 if forged else hub.quiz.auto_points
        if got != pytest.approx(expected):
            wrong.append(f"{student}: {got} of {hub.quiz.auto_points} (expected {expected})")
        for grade_id, (score, max_score) in scores.items():
            assert score is None or score <= max_score, (student, grade_id, score)
    assert not wrong, "\n".join(wrong) + json.dumps(hub.autograde, indent=1)[-4000:]


def test_autograde_ran_in_the_unprivileged_sandbox(hub):
    for student, done in hub.autograde.items():
        assert done["success"], (student, done)
        log = done.get("log", "")
        assert "Student code runs in a sandbox" in log and "in a user namespace" in log, log
        assert "NOT SANDBOXED" not in log


def test_the_gradebook_holds_only_what_autograde_wrote(hub):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{COURSE_DIR / 'gradebook.db'}", course_id=COURSE_ID) as book:
        assert {s.id for s in book.students} == {*STUDENTS, ABSENT, *hub.extra}
        for student in [*STUDENTS, *hub.extra]:
            assert book.find_submission(QUIZ, student).extension is None, student


def test_feedback_reaches_each_student_without_the_answers(hub):
    released = "\n".join(c.source for c in nbformat.read(
        COURSE_DIR / "release" / QUIZ / f"{QUIZ}.ipynb", 4).cells)
    leaks = []
    for student, page in hub.feedback.items():
        own = synthetic.notebook_text(hub.files[student])
        leaks += [f"{student}: {leak}" for leak in find_leaks(page, hub.quiz, own, released)]
        assert "no source:" in page or STUDENTS[student] != "read-source", page[-2000:]
    assert not leaks, "\n".join(leaks[:20])


def test_the_export_grades_everyone_and_names_each_attempt(hub):
    assert set(hub.rows) == {*STUDENTS, ABSENT, *hub.extra}
    assert hub.rows[ABSENT]["status"] == "not-submitted"
    assert hub.rows[VICTIM]["reason"] == ""
    for student, behaviour in STUDENTS.items():
        row = hub.rows[student]
        assert row["status"] == "needs-manual-grading", row
        if behaviour != "perfect":
            attack = READ_CLASSMATE if behaviour == "read-classmate" else attacks.ATTACKS[behaviour]
            assert any(word in row["reason"] for word in attack.reason), (student, row)
    missing = []
    for name, attack in _extra_attacks().items():
        row = hub.rows[EXTRA_PREFIX + name]
        if attack.reason and not any(word in row["reason"] for word in attack.reason):
            missing.append(f"{name}: {row['reason']!r} names none of {attack.reason}")
    assert not missing, "\n".join(missing)


def test_the_sandbox_without_root_keeps_the_course_and_the_loopback_untouched(hub):
    changed = [path for path in hub.before if hub.after.get(path) != hub.before[path]]
    added = sorted(set(hub.after) - set(hub.before))
    assert not changed and not added, (changed, added)
    assert not list(COURSE_DIR.rglob("fill*.bin")) and not list(COURSE_DIR.rglob("planted*"))
    assert not list(Path(f"/home/{INSTRUCTOR}").glob("fill*.bin"))
    assert hub.connections == []


def test_feedback_of_submissions_placed_by_hand_is_held_back_without_stopping_the_class(hub):
    log = hub.results["release_feedback"].get("log", "")
    for student in hub.extra:
        assert f"Feedback for {student} not released" in log, log
    assert set(hub.feedback) == set(STUDENTS)


def test_collect_takes_each_students_own_submission(hub):
    for student in STUDENTS:
        assert (COURSE_DIR / "submitted" / student / QUIZ / f"{QUIZ}.ipynb").is_file()


def test_a_submission_under_a_classmates_name_is_not_collected(hub):
    assert hub.results["impersonation"].startswith("0 "), hub.results["impersonation"]
    log = hub.results["collect"].get("log", "")
    assert "Not collected" in log and f"belongs to {IMPOSTOR}" in log, log
    collected = (COURSE_DIR / "submitted" / VICTIM / QUIZ / f"{QUIZ}.ipynb").read_text()
    assert "UPDATE grade SET" not in collected  # the impostor's code
    assert hub.rows[VICTIM]["status"] == "needs-manual-grading"


def test_a_students_token_opens_no_other_server_and_no_formgrader(hub):
    ben = hub.users["rp-ben"]
    denied = {
        "a classmate's files": ben.request("GET", f"user/{VICTIM}/api/contents"),
        "a classmate's kernels": ben.request("GET", f"user/{VICTIM}/api/kernels"),
        "the instructor's formgrader": ben.request(
            "GET", f"user/{INSTRUCTOR}/formgrader/api/assignments"),
        "the instructor's files": ben.request(
            "GET", f"user/{INSTRUCTOR}/api/contents/refractory-pain-course/gradebook.db"),
        "a classmate at the hub": ben.request("GET", f"hub/api/users/{VICTIM}"),
        "a token for a classmate": ben.request("POST", f"hub/api/users/{VICTIM}/tokens",
                                               json={"note": "stolen"}),
        "a classmate's server": ben.request("DELETE", f"hub/api/users/{VICTIM}/server"),
    }
    let_in = {what: (r.status_code, r.text[:200]) for what, r in denied.items()
              if r.status_code not in (403, 404)}
    assert not let_in, let_in
    # the student's own server has no formgrader (the student view)
    assert ben.request("GET", "user/rp-ben/formgrader/api/assignments").status_code == 404
    # without a token, formgrader sends to the login page
    anonymous = HubUser(ben.base, "nobody", "")
    assert anonymous.request("GET", f"user/{INSTRUCTOR}/formgrader").status_code in (302, 403)
    # and the hub refuses a wrong password
    assert HubUser(ben.base, VICTIM, "").login("wrong").status_code != 302


def test_a_students_own_code_reaches_no_answers_and_no_classmate(hub):
    assert hub.whoami == "rp-ben"
    for name, (kind, path) in PROBES.items():
        if kind != "write":
            assert os.path.exists(path), f"{name}: {path} should exist for this check"
    allowed = {name: outcome for name, outcome in hub.probes.items() if outcome != "denied"}
    assert not allowed, allowed


def test_the_students_environment_holds_no_solutions(hub):
    assert Path(hub.package_root["root"]) == COPY and not hub.package_root["sources"]
    assert distribution.leaks(COPY, [Quiz(q) for q in quiz_names()]) == []
    # the helper package is installed from the copy (editable), not into the environment
    assert not [p for q in quiz_names() for p in ENV.rglob(f"{q}*.ipynb")]
    assert not list(ENV.rglob("painlab/grading/sandbox.py"))


def test_what_the_hub_test_costs(hub):
    print("hub test, seconds: " + ", ".join(f"{k} {v:.0f}" for k, v in hub.seconds.items()))
    assert hub.seconds["total"] < 900
