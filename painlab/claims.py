"""The source texts under appraisal and the registry of their checkable claims.

The registry (assets/claims.yaml) holds ids, exact quotes and topics; never verdicts, which are
quiz answers. ``validate_registry`` enforces the rules and names the file and claim id of any
claim that breaks one.
"""

import re
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path

from painlab import manifest, paths


def topics() -> tuple[str, ...]:
    """The claim topics: each lesson of the manifest appraises the claims of one topic."""
    return tuple(dict.fromkeys(lesson.topic for lesson in manifest.lessons()))


TOPICS = topics()  # as the course stands when the package is imported
CLAIM_ID = re.compile(r"^S(\d{3})-(\d{2})$")


class RegistryError(ValueError):
    """A claim or source breaks a registry rule; the message names the file and the claim."""


@dataclass(frozen=True)
class Claim:
    id: str
    source: str
    topic: str
    quote: str
    summary: str = ""

    @property
    def source_id(self) -> str:
        return "S" + self.source[:3]


@dataclass(frozen=True)
class Source:
    id: str
    file: str
    title: str
    site_kind: str
    promotes: str
    text: str
    calls_to_action: tuple = ()


def read_source_text(file_name: str, sources_dir: Path = paths.SOURCES) -> str:
    # newline="" keeps the bytes as they are, so quotes are matched exactly.
    with open(sources_dir / file_name, encoding="utf-8", newline="") as handle:
        return handle.read()


@cache
def load_sources(sources_dir: Path = paths.SOURCES) -> dict[str, Source]:
    sources = {}
    for meta_path in sorted(sources_dir.glob("*.meta.yaml")):
        meta = paths.read_yaml(meta_path)
        sources[meta["id"]] = Source(
            id=meta["id"], file=meta["file"],
            title=meta.get("title") or f"(no headline; {meta['site_kind']})",
            site_kind=meta["site_kind"], promotes=meta["promotes"],
            calls_to_action=tuple(meta.get("calls_to_action") or ()),
            text=read_source_text(meta["file"], sources_dir))
    return sources


def parse_claims(raw: dict, registry_name: str = "claims.yaml") -> list[Claim]:
    if not isinstance(raw, dict) or not isinstance(raw.get("claims"), list):
        raise RegistryError(f"{registry_name}: expected a mapping with a 'claims' list")
    claims = []
    for position, entry in enumerate(raw["claims"], start=1):
        label = f"{registry_name}: claim {entry.get('id', f'#{position}')!s}"
        missing = {"id", "source", "topic", "quote"} - set(entry)
        if missing:
            raise RegistryError(f"{label}: missing field(s) {', '.join(sorted(missing))}")
        claims.append(Claim(id=str(entry["id"]), source=str(entry["source"]),
                            topic=str(entry["topic"]), quote=str(entry["quote"]),
                            summary=str(entry.get("summary", ""))))
    return claims


def validate_registry(claims: list[Claim], sources_dir: Path = paths.SOURCES,
                      registry_name: str = "claims.yaml") -> None:
    """Raise RegistryError naming the file and claim id of the first rule broken."""
    seen = set()
    for claim in claims:
        where = f"{registry_name}: claim {claim.id} ({claim.source})"
        match = CLAIM_ID.match(claim.id)
        if not match:
            raise RegistryError(f"{where}: id must look like S002-07")
        if claim.id in seen:
            raise RegistryError(f"{where}: duplicate id")
        seen.add(claim.id)
        if not claim.source.startswith(match.group(1) + "_"):
            raise RegistryError(f"{where}: id says source {match.group(1)} but the file differs")
        if claim.topic not in topics():
            raise RegistryError(f"{where}: topic {claim.topic!r} is not one of "
                                f"{', '.join(topics())}")
        if not (sources_dir / claim.source).is_file():
            raise RegistryError(f"{where}: source file not found in {sources_dir.name}/")
        if not claim.quote.strip():
            raise RegistryError(f"{where}: empty quote")
        if claim.quote not in read_source_text(claim.source, sources_dir):
            raise RegistryError(f"{where}: quote does not occur verbatim in the source: "
                                f"{claim.quote[:60]!r}")


@cache
def load_claims(registry: Path = paths.CLAIMS_FILE) -> dict[str, Claim]:
    """All claims by id, validated."""
    claims = parse_claims(paths.read_yaml(registry), registry.name)
    validate_registry(claims, registry.parent / "sources", registry.name)
    return {claim.id: claim for claim in claims}


def claims_for(*, source_id: str | None = None, topic: str | None = None) -> list[Claim]:
    return [c for c in load_claims().values()
            if (source_id is None or c.source_id == source_id)
            and (topic is None or c.topic == topic)]


# --- rendering ------------------------------------------------------------------------------
def highlight_source(source: Source, claims: list[Claim], selected: str | None = None) -> str:
    """The source text as HTML with each claim underlined, shaded and labelled with its id.

    Labels and underlines carry the information, so it does not depend on colour.
    """
    spans = sorted((source.text.index(c.quote), source.text.index(c.quote) + len(c.quote), c.id)
                   for c in claims)
    merged: list[list] = []  # [start, end, [ids]]; overlapping quotes share one mark
    for start, end, claim_id in spans:
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            merged[-1][2].append(claim_id)
        else:
            merged.append([start, end, [claim_id]])
    parts, cursor = [], 0
    for start, end, ids in merged:
        parts.append(escape(source.text[cursor:start]))
        is_selected = selected in ids
        style = ("background:#F0E442;outline:2px solid #000;" if is_selected
                 else "background:#DCEFFA;") + "text-decoration:underline;padding:0 1px;"
        label = "".join(f"<sup style='font-weight:bold;color:#0072B2'>[{i}]</sup>" for i in ids)
        parts.append(f"<mark aria-label='claim {' '.join(ids)}' style='{style}'>{label}"
                     f"{escape(source.text[start:end])}</mark>")
        cursor = end
    parts.append(escape(source.text[cursor:]))
    body = "".join(parts).replace("\n", "<br>\n")
    return (f"<div class='painlab-source' style='max-height:420px;overflow:auto;border:1px solid "
            f"#999;padding:8px;font-size:14px;line-height:1.5' tabindex='0' "
            f"aria-label='Source text {source.id}'>{body}</div>")


def source_header_html(source: Source) -> str:
    return (f"<p><strong>{escape(source.id)}: {escape(source.title)}</strong><br>"
            f"Kind of site: {escape(source.site_kind)}. Promotes: {escape(source.promotes)}."
            f"<br><em>Third-party text kept verbatim, including its errors.</em></p>")


def quote_html(claim: Claim) -> str:
    source = load_sources()[claim.source_id]
    return (f"<blockquote style='border-left:4px solid #0072B2;padding-left:10px;margin-left:0'>"
            f"“{escape(claim.quote)}”<br><small>Claim <strong>{claim.id}</strong>, "
            f"{escape(source.title)} ({escape(source.site_kind)})</small></blockquote>")


def show_source(source_id: str):
    """Display one source text with all its registered claims highlighted."""
    from IPython.display import HTML, display

    source = load_sources()[source_id]
    display(HTML(source_header_html(source)
                 + highlight_source(source, claims_for(source_id=source_id))))


def show_claim(claim_id: str):
    """Display one claim as a quote with its id and where it comes from."""
    from IPython.display import HTML, display

    display(HTML(quote_html(load_claims()[claim_id])))


def show_claims(topic: str):
    """Display every registered claim on a topic, as quotes."""
    from IPython.display import HTML, display

    display(HTML("".join(quote_html(c) for c in claims_for(topic=topic))))
