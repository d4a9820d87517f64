"""The instructor guide's troubleshooting quotes warnings as nbgrader prints them with the course's
configuration: a warning that names a preprocessor names the one the course runs."""

import re

from ..conftest import ROOT


def test_quoted_warnings_name_the_preprocessors_the_course_configures():
    guide = (ROOT / "docs" / "instructor-guide.md").read_text(encoding="utf-8")
    config = (ROOT / "autograded" / "nbgrader_config.py").read_text(encoding="utf-8")
    configured = set(re.findall(r'"[\w.]+\.(\w+)"', config))
    quoted = re.findall(r"not recognized by\s+`(\w+)`", guide)
    assert quoted, "the guide no longer quotes the display_data_priority warning"
    for name in quoted:
        assert name in configured, f"the guide quotes a warning about {name}, which the course does not run"
