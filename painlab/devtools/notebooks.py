"""What a lesson notebook displays, read from its code cells (without running it)."""

import re
from pathlib import Path

import nbformat

from painlab import manifest


def interactive_calls(notebook: Path) -> list[tuple[str, str]]:
    """(function name, CSS class) of each interactive display, in notebook order."""
    interactive = manifest.interactive()
    calls = []
    for cell in nbformat.read(notebook, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        for match in re.finditer(r"\b([a-z_]+)\(", cell.source):
            if match.group(1) in interactive:
                calls.append((match.group(1), interactive[match.group(1)]))
    return calls
