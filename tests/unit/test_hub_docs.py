"""The instructor guide's hub section is the hub the hub test runs: the guide includes
docs/hub/ word for word (python -m painlab.devtools.hubdocs rewrites its copies)."""

import ast
import re

import yaml

from painlab import paths
from painlab.devtools import hubdocs

HUB = paths.ROOT / "docs" / "hub"
FILES = ["docs/hub/setup-course.sh", "docs/hub/jupyterhub_config.py", "docs/hub/z2jh-values.yaml"]


def test_the_guide_shows_every_hub_file_as_it_is():
    shown = hubdocs.included(hubdocs.GUIDE.read_text(encoding="utf-8"))
    assert sorted(shown) == sorted(FILES)
    for name in FILES:
        assert shown[name] == (paths.ROOT / name).read_text(encoding="utf-8"), (
            f"{name} differs from its copy in the guide: run python -m painlab.devtools.hubdocs")


def test_the_hub_files_agree_on_the_course():
    config = (HUB / "jupyterhub_config.py").read_text(encoding="utf-8")
    ast.parse(config)
    setup = (HUB / "setup-course.sh").read_text(encoding="utf-8")
    values = yaml.safe_load((HUB / "z2jh-values.yaml").read_text(encoding="utf-8"))
    groups = re.search(r'GROUPS_ALLOWED="([^"]+)"', setup).group(1).split()
    for group in groups:
        assert f'"{group}"' in config
    assert "ENV=$PREFIX/opt/refractory-pain/env" in setup
    assert 'ENV = f"{PREFIX}/opt/refractory-pain/env"' in config
    exchange = re.search(r"^EXCHANGE=\$PREFIX(\S+)$", setup, re.M).group(1)
    mounts = values["singleuser"]["storage"]["extraVolumeMounts"]
    assert [m["mountPath"] for m in mounts] == [exchange]
    assert 'COURSE_ID=refractory-pain' in setup
    # the students' environment is built from the students' copy, never the checkout
    assert '-e "$COPY[hub]"' in setup and "distribution" in setup
    assert "c.ExchangeCollect.check_owner = True" in setup
    assert values["hub"]["config"]["Authenticator"]["admin_users"] == []
