"""JupyterHub for the refractory-pain course on one machine, with its system users.

Run as root: `jupyterhub -f /etc/jupyterhub/jupyterhub_config.py` (a copy of this file), in a
folder of root's own (the hub keeps its database and cookie secret there), after
`setup-course.sh` has built the course's environment. Students and instructors log in with
their system password; each gets a JupyterLab server running as their own user.
tests/hub/test_hub.py runs this very file.
"""

import os

c = get_config()  # noqa: F821 (provided by JupyterHub)

# Where setup-course.sh puts the course. A real hub leaves COURSE_HUB_PREFIX unset (the
# system's /opt and /srv); the hub test puts the same layout under a folder of its own.
PREFIX = os.environ.get("COURSE_HUB_PREFIX", "")
ENV = f"{PREFIX}/opt/refractory-pain/env"

# Loopback only: put a TLS proxy (nginx, Caddy) in front of it, or give the hub a certificate
# (c.JupyterHub.ssl_cert and ssl_key) and a public address.
c.JupyterHub.bind_url = "http://127.0.0.1:8000"

# System users and their passwords (PAM); only the course's two groups may log in. Nobody is a
# hub admin: instructors need no access to students' servers.
c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.allowed_groups = {"refractory-pain-students", "refractory-pain-instructors"}
c.PAMAuthenticator.open_sessions = False
c.Authenticator.admin_users = set()

# Each user's JupyterLab runs as that user, from the course's environment (readable by
# everyone, holding the students' copy of the helper package, never the quiz sources), with a
# clean PATH (not root's) so that nbgrader finds its `alembic` and kernels start.
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [f"{ENV}/bin/jupyterhub-singleuser"]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.env_keep = ["LANG", "LC_ALL"]
c.Spawner.environment = {"PATH": f"{ENV}/bin:/usr/local/bin:/usr/bin:/bin"}
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120

# Servers left idle are not stopped by the hub itself; stop them all when it stops.
c.JupyterHub.cleanup_servers = True
