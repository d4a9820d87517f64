"""The instructor guide shows the hub's files as they are: one source for the guide and the test.

    python -m painlab.devtools.hubdocs          # rewrite the guide's copies from docs/hub/
    python -m painlab.devtools.hubdocs --check  # exit 1 where a copy differs

A line ``<!-- docs/hub/<file> -->`` in docs/instructor-guide.md is followed by a fenced block
holding that file; tests/unit/test_hub_docs.py fails when the two differ.
"""

import re
import sys
from pathlib import Path

from painlab import paths

GUIDE = paths.ROOT / "docs" / "instructor-guide.md"
INCLUDE = re.compile(r"^<!-- (docs/hub/[\w.-]+) -->\n```(\w*)\n(.*?)^```$", re.S | re.M)


def included(text: str) -> dict[str, str]:
    """file -> the text the guide shows for it."""
    return {m.group(1): m.group(3) for m in INCLUDE.finditer(text)}


def refreshed(text: str) -> str:
    def replace(match):
        body = (paths.ROOT / match.group(1)).read_text(encoding="utf-8")
        return f"<!-- {match.group(1)} -->\n```{match.group(2)}\n{body}```"

    return INCLUDE.sub(replace, text)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    text = GUIDE.read_text(encoding="utf-8")
    new = refreshed(text)
    if "--check" in argv:
        stale = [name for name, body in included(text).items()
                 if body != (paths.ROOT / name).read_text(encoding="utf-8")]
        print("stale: " + ", ".join(stale) if stale else "the guide shows docs/hub/ as it is")
        return 1 if stale else 0
    Path(GUIDE).write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
