"""The citation and quote checks that every piece of teaching text passes: notebook markdown,
self-check files and content files alike."""

import re

from painlab.claims import load_claims, load_sources
from painlab.references import cited_keys, load_references

# “exact words” — claim S002-06   or   “exact words” — source S002
QUOTE = re.compile(r"“(.+?)” — (claim|source) (S\d{3}(?:-\d{2})?)")


def citation_problems(text: str, where: str) -> list[str]:
    known = load_references()
    return [f"{where} cites unknown key {key}" for key in cited_keys(text) if key not in known]


def quote_problems(text: str, where: str) -> list[str]:
    claims, sources = load_claims(), load_sources()
    problems = []
    for quote, kind, ref in QUOTE.findall(text):
        if kind == "claim":
            if ref not in claims:
                problems.append(f"{where}: unknown claim {ref}")
            elif quote != claims[ref].quote:
                problems.append(f"{where}: {ref} is not quoted exactly: “{quote}”")
        elif ref not in sources:
            problems.append(f"{where}: unknown source {ref}")
        elif quote not in sources[ref].text:
            problems.append(f"{where}: quote not in {ref}: “{quote}”")
    return problems


def strings_in(data, where: str = ""):
    """Every string in a parsed YAML document, with where it is (``vignettes.1.story``)."""
    if isinstance(data, str):
        yield where, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from strings_in(value, f"{where}.{key}" if where else str(key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from strings_in(value, f"{where}.{index}" if where else str(index))
