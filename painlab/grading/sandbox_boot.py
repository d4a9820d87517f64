"""Start an IPython kernel inside the autograde sandbox, noting what the student's code tries.

    python -m painlab.grading.sandbox_boot -f <connection file> [kernel arguments]

The sandbox (``painlab.grading.sandbox``) enforces; this only observes. A Python audit hook
records attempts to open or list files outside the folders the kernel may read, to write
outside ``/tmp``, to use sockets, to start processes, to open an SQLite database or to signal
another process, as JSON lines in ``$PAINLAB_SANDBOX_LOG`` (the kernel manager reads them after
the kernel stops). Hostile code can silence its own notes, not change what the sandbox allows.
Kept free of imports beyond the standard library's basics: it runs before every kernel.
"""

import json
import os
import sys

MAX_NOTES = 100
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC
# Paths any Python process reads. The private /tmp is not among them: the course itself may live
# under the host's /tmp, so a read there is noted unless the file exists in the sandbox.
_ALWAYS_OK = ("/usr/", "/etc/", "/dev/null", "/dev/urandom", "/dev/random", "/dev/shm",
              "/proc/self/", "/proc/thread-self/", "/sys/devices/system/cpu",
              "/tmp/ipykernel_")


def install(log_path: str, allowed: list[str]) -> None:
    fd = os.open(log_path, os.O_WRONLY | os.O_APPEND)
    seen: set = set()
    # allowed: the working folder, the private socket folder, then the read-only folders
    allowed_dirs = tuple(a.rstrip("/") + "/" for a in allowed if a)
    readonly_dirs = allowed_dirs[2:]
    cwd = os.getcwd()
    state = {"busy": False, "ready": False}

    def note(kind: str, what: str) -> None:
        key = (kind, what)
        if key in seen or len(seen) >= MAX_NOTES:
            return
        seen.add(key)
        try:
            os.write(fd, (json.dumps({"kind": kind, "what": what[:300]}) + "\n").encode())
        except OSError:
            pass

    def inside(path: str) -> bool:
        path = path.rstrip("/") + "/"
        return path.startswith(_ALWAYS_OK) or path.startswith(allowed_dirs) or \
            path in ("/tmp/", "/proc/self/")

    def writable(path: str) -> bool:
        """In the sandbox's own writable places: /tmp and the working folder (the course
        may itself live under the host's /tmp, but its folders do not exist in here)."""
        folder = os.path.dirname(path)
        in_private = folder == cwd or folder.startswith(cwd + "/") or \
            folder == "/tmp" or folder.startswith("/tmp/")
        return in_private and os.access(folder, os.W_OK) and \
            not path.startswith(readonly_dirs)

    def absolute(path) -> str | None:
        if isinstance(path, int):
            return None
        if isinstance(path, bytes):
            path = path.decode("utf-8", "replace")
        path = os.fspath(path)
        return os.path.normpath(os.path.join(cwd, path))

    def hook(event: str, args: tuple) -> None:
        if state["busy"] or not state["ready"]:
            return
        state["busy"] = True
        try:
            if event == "open":
                path, mode, flags = (list(args) + [None, None])[:3]
                target = absolute(path)
                if target is None:
                    return
                writing = bool((isinstance(flags, int) and flags & _WRITE_FLAGS)
                               or (isinstance(mode, str) and set(mode) & set("wax+")))
                if writing:
                    if not writable(target):
                        note("write", target)
                elif not inside(target) and not (target.startswith("/tmp/")
                                                 and os.path.exists(target)):
                    note("read", target)
            elif event in ("os.listdir", "os.scandir"):
                target = absolute(args[0] if args and args[0] is not None else ".")
                if target and not inside(target) and target != cwd:
                    note("list", target)
            elif event in ("os.remove", "os.rename", "os.rmdir", "os.mkdir", "os.chmod",
                           "os.truncate", "shutil.rmtree", "os.symlink", "os.link"):
                target = absolute(args[0]) if args else None
                if target and not writable(target):
                    note("write", f"{event.split('.')[-1]} {target}")
            elif event in ("socket.connect", "socket.bind", "socket.sendto",
                           "socket.getaddrinfo", "socket.gethostbyname"):
                address = args[:2] if event == "socket.getaddrinfo" else \
                    args[1] if len(args) > 1 else args[0] if args else ""
                note("network", f"{event.split('.')[-1]} {address!r}")
            elif event in ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn",
                           "os.spawn", "os.fork", "os.forkpty", "pty.spawn"):
                what = args[1] if event == "subprocess.Popen" and len(args) > 1 else \
                    args[0] if args and event != "os.fork" else ""
                note("process", f"{event} {what!r}"[:200] if what else event)
            elif event == "sqlite3.connect":
                note("database", str(args[0]) if args else "")
            elif event in ("os.kill", "os.killpg"):
                if not (event == "os.kill" and args and args[0] == os.getpid()):
                    note("signal", f"{event} {args!r}")
        finally:
            state["busy"] = False

    sys.addaudithook(hook)
    return state


def main() -> None:
    log_path = os.environ.pop("PAINLAB_SANDBOX_LOG", "")
    allowed = os.environ.pop("PAINLAB_SANDBOX_ALLOWED", "").split(os.pathsep)
    state = install(log_path, allowed) if log_path else None
    from ipykernel import kernelapp

    app = kernelapp.IPKernelApp.instance()
    app.initialize(sys.argv[1:])
    if state is not None:
        state["ready"] = True  # the kernel is up: from now on, the code is the student's
    app.start()


if __name__ == "__main__":
    main()
