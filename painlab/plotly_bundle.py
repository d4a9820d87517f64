"""The lighter plotly.js the course's diagrams are drawn with: plotly's "basic" partial bundle.

Every course figure is made of scatter traces (a unit test checks), and plotly's basic bundle
draws scatter, bar and pie traces with all of plotly's core (axes, legends, annotations, shapes,
hover, the modebar, animation) exactly as the full bundle does (a browser test compares them). It
is a quarter of the size, 1.2 MB against 4.8 MB. In headless Chromium on the course's benchmark
machine, loading the full bundle blocks the page for about 0.9 s and the basic one for about
0.17 s, and that load is most of a lesson's wait for its first diagram.

The basic bundle is not on PyPI. ``python -m painlab.setup_views`` (run by every install: make,
Binder's postBuild, the conda and hub instructions) calls ``ensure``: it fetches the bundle once
from the npm registry, for the plotly.js version the installed plotly package ships, checks it
against the hash pinned here and keeps it in the environment. ``painlab.paths.PLOTLY_JS`` serves
it where it is in place, and plotly's full bundle where it is not (offline, or a plotly version
without a pinned hash), so nothing breaks without it; only the first diagram comes later.
"""

import hashlib
import io
import os
import sys
import tarfile
import urllib.request
from pathlib import Path

from painlab import paths

NPM_PACKAGE = "plotly.js-basic-dist-min"
FILE_IN_PACKAGE = "package/plotly-basic.min.js"
# The trace types the basic bundle has (plotly.js's lib/index-basic.js).
TRACE_TYPES = frozenset({"scatter", "bar", "pie"})
# sha256 of plotly-basic.min.js, per plotly.js version. A plotly upgrade needs its entry here
# (a unit test says so); until then the full bundle is served.
PINNED_SHA256 = {
    "4.1.1": "99784e3abfb07b142a15e521a439e6d9addceadb3f79553fd24c72774f0649ba",
}
REGISTRY = "https://registry.npmjs.org"
TIMEOUT_S = 15  # set-up waits at most this long without a network


def tarball_url(version: str) -> str:
    return f"{REGISTRY}/{NPM_PACKAGE}/-/{NPM_PACKAGE}-{version}.tgz"


def bundle_from_tarball(data: bytes, version: str) -> bytes:
    """The bundle inside an npm tarball, if its hash is the one pinned for ``version``."""
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        try:
            member = archive.extractfile(FILE_IN_PACKAGE)
        except KeyError:
            member = None
        if member is None:
            raise ValueError(f"{FILE_IN_PACKAGE} is not a file in the tarball")
        bundle = member.read()
    if hashlib.sha256(bundle).hexdigest() != PINNED_SHA256.get(version):
        raise ValueError(f"{FILE_IN_PACKAGE} does not have the hash pinned for plotly.js {version}")
    return bundle


def ensure(prefix: str | Path = sys.prefix, fetch=None) -> str:
    """Put the basic bundle in place for the installed plotly.js, unless it is there already.
    Returns one line saying which bundle the course's diagrams will be drawn with."""
    version = paths.plotlyjs_version()
    target = paths.basic_bundle_path(version, prefix)
    full = f"plotly's full bundle ({paths.PLOTLY_FULL_JS.stat().st_size / 1e6:.1f} MB)"
    if target.exists():
        return f"Diagrams are drawn with plotly.js {version}, basic bundle ({target})."
    if version not in PINNED_SHA256:
        return (f"Diagrams are drawn with {full}: no hash is pinned for the basic bundle of "
                f"plotly.js {version} (painlab/plotly_bundle.py).")
    fetch = fetch or _download
    try:
        bundle = bundle_from_tarball(fetch(tarball_url(version)), version)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{os.getpid()}")
        partial.write_bytes(bundle)
        partial.replace(target)  # whole or not at all: the server may be reading it
    except (OSError, ValueError, tarfile.TarError) as problem:
        return (f"Diagrams are drawn with {full}: the basic bundle could not be put in place "
                f"({type(problem).__name__}: {problem}). The first diagram of a lesson appears "
                f"later; run `python -m painlab.setup_views <view>` again with a network to fix it.")
    return f"Diagrams are drawn with plotly.js {version}, basic bundle (fetched to {target})."


def _download(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=TIMEOUT_S) as reply:
        return reply.read()
