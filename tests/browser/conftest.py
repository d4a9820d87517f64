"""One JupyterLab server and one headless Chromium for all browser tests.

Without Debian's chromium the tests skip with the install command; under CI=true a missing
browser is a failure, so CI can never pass without running them.
"""

import os
import re
from pathlib import Path

import pytest

from painlab import paths
from painlab.devtools import browser

ARTIFACTS = paths.ROOT / "test-artifacts" / "browser"
# Console errors that are not problems of the course, as (regular expression, why it is harmless).
# Empty: with news, update checks and terminals off in the server and background networking off in
# Chromium, a lesson run logs no console error at all. Add an entry only with its reason, and
# never a pattern as broad as "Failed to load resource" (that would hide a missing image).
HARMLESS_CONSOLE: list[tuple[str, str]] = []


def harmless(text: str) -> bool:
    return any(re.search(pattern, text) for pattern, _why in HARMLESS_CONSOLE)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = browser.find_chromium()
    if path is None:
        message = f"chromium not found: install it with `{browser.INSTALL_HINT}`"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " (CI must run the browser tests)")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def lab_server(chromium_path, tmp_path_factory):
    server = browser.LabServer(work_dir=tmp_path_factory.mktemp("lab"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = browser.launch_chromium(playwright, chromium_path)
        yield instance
        instance.close()


@pytest.fixture
def page(chromium, lab_server):
    """A fresh page that records JavaScript errors; the test fails on any it did not expect."""
    context = chromium.new_context(viewport=browser.VIEWPORT)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    page.on("console", lambda message: errors.append(f"console: {message.text}")
            if message.type == "error" and not harmless(message.text) else None)
    page.javascript_errors = errors
    yield page
    lab_server.shutdown_kernels()
    context.close()
    assert not errors, "JavaScript errors in the page:\n" + "\n".join(errors)


_screenshots_taken = []


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    _screenshots_taken.append(True)
    return ARTIFACTS


def pytest_terminal_summary(terminalreporter):
    if _screenshots_taken and any(ARTIFACTS.glob("*.png")):
        terminalreporter.write_line(f"browser screenshots: {ARTIFACTS}")
