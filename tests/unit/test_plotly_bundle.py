"""plotly's basic bundle (painlab.plotly_bundle): fetched once, checked, served only where it is
in place and draws everything the course draws. The browser test
tests/browser/test_plot_view_in_browser.py compares what it draws with the full bundle."""

import hashlib
import io
import re
import tarfile
from pathlib import Path

import pytest

from painlab import paths, plotly_bundle
from painlab.devtools.bench import diagram_factories

PAINLAB = Path(plotly_bundle.__file__).parent


def tarball(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


@pytest.fixture
def fake_release(monkeypatch):
    """A bundle and its tarball, with its hash pinned for the installed plotly.js version."""
    bundle = f"/** plotly.js (basic - minified) v{paths.plotlyjs_version()} */ window.Plotly={{}};"
    bundle = bundle.encode()
    monkeypatch.setitem(plotly_bundle.PINNED_SHA256, paths.plotlyjs_version(),
                        hashlib.sha256(bundle).hexdigest())
    return bundle, tarball({plotly_bundle.FILE_IN_PACKAGE: bundle})


def test_the_installed_plotly_js_has_a_pinned_basic_bundle():
    """Upgrading plotly needs the hash of the matching basic bundle (npm's
    plotly.js-basic-dist-min, its plotly-basic.min.js) in PINNED_SHA256."""
    assert re.fullmatch(r"\d+\.\d+\.\d+", paths.plotlyjs_version())
    assert paths.plotlyjs_version() in plotly_bundle.PINNED_SHA256


def test_every_diagram_draws_only_trace_types_of_the_basic_bundle():
    for name, factory in diagram_factories().items():
        diagram = factory()
        diagram.widget()
        types = {trace.get("type", "scatter") for trace in diagram._state["data"]}
        assert types <= plotly_bundle.TRACE_TYPES, (name, types)


def test_no_course_code_builds_another_trace_type():
    """Figures outside the diagrams (static figures, quiz displays) are plotly objects too."""
    allowed = {name.capitalize() for name in plotly_bundle.TRACE_TYPES}
    built = set()
    for source in PAINLAB.rglob("*.py"):
        built |= set(re.findall(r"\bgo\.([A-Z]\w+)\(", source.read_text(encoding="utf-8")))
    assert built - {"Figure", "FigureWidget"} <= allowed, built


def test_without_the_basic_bundle_the_full_one_is_served(tmp_path):
    assert paths.browser_plotly_js(tmp_path) == paths.PLOTLY_FULL_JS
    basic = paths.basic_bundle_path(paths.plotlyjs_version(), tmp_path)
    basic.parent.mkdir(parents=True)
    basic.write_text("window.Plotly = {};")
    assert paths.browser_plotly_js(tmp_path) == basic


def test_ensure_fetches_checks_and_keeps_the_bundle(tmp_path, fake_release):
    bundle, release = fake_release
    fetched = []
    said = plotly_bundle.ensure(tmp_path, fetch=lambda url: fetched.append(url) or release)
    target = paths.basic_bundle_path(paths.plotlyjs_version(), tmp_path)
    assert target.read_bytes() == bundle and "basic bundle" in said
    assert fetched == [plotly_bundle.tarball_url(paths.plotlyjs_version())]
    assert fetched[0].startswith("https://registry.npmjs.org/plotly.js-basic-dist-min/-/")
    # once in place, never fetched again
    plotly_bundle.ensure(tmp_path, fetch=lambda url: pytest.fail("fetched again"))
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no partial file left


@pytest.mark.parametrize("problem", ["tampered", "missing", "offline", "not a tarball"])
def test_ensure_keeps_the_full_bundle_when_the_basic_one_cannot_be_trusted(
        tmp_path, fake_release, problem):
    bundle, release = fake_release

    def fetch(_url):
        if problem == "offline":
            raise OSError("no network")
        return {"tampered": tarball({plotly_bundle.FILE_IN_PACKAGE: bundle + b"alert(1)"}),
                "missing": tarball({"package/README.md": b"hello"}),
                "not a tarball": b"<html>proxy error</html>"}.get(problem, release)

    said = plotly_bundle.ensure(tmp_path, fetch=fetch)
    assert "full bundle" in said and "could not be put in place" in said, said
    assert paths.browser_plotly_js(tmp_path) == paths.PLOTLY_FULL_JS


def test_an_unpinned_plotly_js_version_is_never_fetched(tmp_path, monkeypatch):
    monkeypatch.setattr(plotly_bundle, "PINNED_SHA256", {})
    said = plotly_bundle.ensure(tmp_path, fetch=lambda url: pytest.fail("fetched"))
    assert "no hash is pinned" in said
    assert paths.browser_plotly_js(tmp_path) == paths.PLOTLY_FULL_JS
