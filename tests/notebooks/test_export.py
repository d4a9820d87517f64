"""An HTML export of an executed lesson, as a learner makes it (`jupyter execute`, then
`jupyter nbconvert --to html`), shows every diagram, self-check and the claim explorer as its
static copy, without the network: widget views there need the widgets' HTML manager from a CDN
and a kernel, and showed as empty boxes."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from painlab import setup_views
from painlab.devtools.notebooks import interactive_calls

from ..conftest import LESSONS

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
STATIC_CLASS = {"painlab-diagram": "painlab-static", "painlab-self-check": "painlab-check",
                "painlab-claim-explorer": "painlab-source"}


@pytest.mark.parametrize("lesson", LESSONS[:1], ids=lambda p: p.stem)
def test_offline_html_export_shows_the_static_copies(tmp_path, lesson):
    setup_views.set_view("self-study", tmp_path / "prefix")
    env = {**os.environ, "JUPYTER_CONFIG_PATH": str(tmp_path / "prefix" / "etc" / "jupyter"),
           "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    copy = tmp_path / lesson.name
    shutil.copy(lesson, copy)
    for command in (["jupyter", "execute", "--inplace", copy.name],
                    ["jupyter", "nbconvert", "--to", "html", copy.name]):
        done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, done.stderr
    page = copy.with_suffix(".html").read_text(encoding="utf-8")
    assert '<script type="application/vnd.jupyter.widget-view+json"' not in page
    calls = interactive_calls(lesson)
    for css in set(css for _name, css in calls):
        expected = sum(1 for _name, c in calls if c == css)
        shown = re.findall(rf"class=[\"']{STATIC_CLASS[css]}[\"' ]", page)
        assert len(shown) >= expected, css
    assert "painlab-offline-note" in page  # says why a figure is missing when offline
