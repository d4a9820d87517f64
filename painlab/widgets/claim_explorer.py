"""The claim explorer: read a source with its claims highlighted, record your own verdicts.

Verdicts are kept in ``my-verdicts.csv`` next to the notebook (ignored by git). The explorer
loads that file when it starts, so the table carries over between sessions, and saving merges
into it: a verdict saved from another notebook or an earlier session is never lost, and one
recorded now replaces the saved verdict of the same claim.
"""

import csv
from html import escape
from pathlib import Path

import ipywidgets as widgets

from painlab.claims import (
    claims_for,
    highlight_source,
    load_claims,
    load_sources,
    quote_html,
    source_header_html,
)
from painlab.runtime import under_nbgrader
from painlab.verdicts import VERDICTS, verdict_descriptions
from painlab.widgets.shared import make
from painlab.widgets.text import readable

DEFAULT_SAVE_PATH = Path("my-verdicts.csv")
LABEL_STYLE = {"description_width": "150px"}
AUTO_WIDTH = {"width": "auto"}  # the whole label stays visible


class ClaimExplorer:
    """Holds the learner's verdicts; the widget is a view on it (tests drive it directly)."""

    def __init__(self, source_id: str = "S000", save_path: Path = DEFAULT_SAVE_PATH):
        self.sources = load_sources()
        self.claims = load_claims()
        self.verdicts: dict[str, tuple[str, str]] = {}  # claim id -> (verdict, reason)
        self.save_path = Path(save_path)
        self.source_id = source_id
        self.loaded = self.load() if self.save_path.is_file() else 0

    # --- model ----------------------------------------------------------------------------
    def record(self, claim_id: str, verdict: str, reason: str = "") -> str:
        if claim_id not in self.claims:
            raise ValueError(f"unknown claim id {claim_id!r}")
        if verdict not in VERDICTS:
            raise ValueError(f"{verdict!r} is not a verdict; choose one of {', '.join(VERDICTS)}")
        self.verdicts[claim_id] = (verdict, reason.strip())
        if not reason.strip():
            return (f"Recorded {verdict!r} for {claim_id}, without a reason. Add the evidence "
                    "that made you decide and record it again, so you can defend the verdict "
                    "later.")
        return f"Recorded {verdict!r} for {claim_id}."

    def rows(self) -> list[dict]:
        return [{"claim": cid, "source": self.claims[cid].source_id, "topic": self.claims[cid].topic,
                 "quote": self.claims[cid].quote, "verdict": v, "reason": r}
                for cid, (v, r) in sorted(self.verdicts.items())]

    def save(self, path: Path | None = None) -> Path:
        """Write every verdict into the file, merged with what it already holds."""
        path = Path(path or self.save_path)
        if path.is_file():
            mine = dict(self.verdicts)
            self.load(path)
            self.verdicts.update(mine)
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=["claim", "source", "topic", "quote",
                                                        "verdict", "reason"])
            writer.writeheader()
            writer.writerows(self.rows())
        return path

    def load(self, path: Path | None = None) -> int:
        """Load verdicts saved earlier, so work carries over between sessions."""
        path = Path(path or self.save_path)
        with open(path, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["claim"] in self.claims and row["verdict"] in VERDICTS:
                    self.verdicts[row["claim"]] = (row["verdict"], row["reason"])
        return len(self.verdicts)

    def table_html(self) -> str:
        if not self.verdicts:
            return "<p><em>No verdicts recorded yet.</em></p>"
        body = "".join(
            f"<tr><td>{escape(r['claim'])}</td><td style='text-align:left'>{escape(r['quote'])}</td>"
            f"<td>{escape(r['verdict'])}</td><td style='text-align:left'>{escape(r['reason'])}</td></tr>"
            for r in self.rows())
        return ("<table class='painlab-verdicts'><caption>Your verdicts</caption><thead><tr>"
                "<th>Claim</th><th>Quote</th><th>Verdict</th><th>Your reason</th></tr></thead>"
                f"<tbody>{body}</tbody></table>")

    # --- view -----------------------------------------------------------------------------
    def static_html(self) -> str:
        source = self.sources[self.source_id]
        return (source_header_html(source) + highlight_source(source, claims_for(source_id=source.id))
                + "<p>The claim explorer lets you pick any source, see each registered claim "
                  "highlighted and labelled with its id, and record your verdicts in a table you "
                  "can save. Open this notebook in JupyterLab and run the cell to use it.</p>")

    def widget(self) -> widgets.VBox:
        source_menu = make(
            widgets.Dropdown, options=[(f"{s.id}: {s.title}", s.id) for s in self.sources.values()],
            value=self.source_id, description="Source", style=LABEL_STYLE,
            layout={"width": "760px"})
        header, text = make(widgets.HTML), make(widgets.HTML, layout={"max_width": "860px"})
        claim_menu = make(widgets.Dropdown, description="Claim", style=LABEL_STYLE,
                          layout={"width": "760px"})
        quote = make(widgets.HTML)
        verdict = make(widgets.ToggleButtons, options=list(VERDICTS), value=None,
                       description="Your verdict", style=LABEL_STYLE,
                       tooltips=list(verdict_descriptions().values()))
        reason = make(widgets.Textarea, placeholder="Your reason: which evidence, which technique?",
                      description="Reason", style=LABEL_STYLE,
                      layout={"width": "760px", "height": "70px"})
        record_button = make(widgets.Button, description="Record verdict", icon="plus",
                             button_style="primary", layout=AUTO_WIDTH)
        save_button = make(widgets.Button, description="Save table as CSV", icon="save",
                           layout=AUTO_WIDTH)
        status = make(widgets.HTML,
                      f"<p role='status'>Loaded your {verdicts_count(self.loaded)} saved in "
                      f"<code>{escape(str(self.save_path))}</code>; saving adds to them.</p>"
                      if self.loaded else "")
        table = make(widgets.HTML, self.table_html())

        def show_source(*_):
            self.source_id = source_menu.value
            source = self.sources[self.source_id]
            claims = claims_for(source_id=self.source_id)
            header.value = readable(source_header_html(source))
            claim_menu.options = [(f"{c.id}: {c.summary or c.quote[:70]}", c.id) for c in claims]
            claim_menu.value = claims[0].id if claims else None
            show_claim()

        def show_claim(*_):
            selected = claim_menu.value
            source = self.sources[self.source_id]
            text.value = readable(highlight_source(source, claims_for(source_id=self.source_id),
                                                   selected))
            quote.value = readable(quote_html(self.claims[selected])) if selected else ""
            saved = self.verdicts.get(selected)
            verdict.value = saved[0] if saved else None
            reason.value = saved[1] if saved else ""

        def on_record(_):
            if claim_menu.value is None or verdict.value is None:
                status.value = "<p role='status'>Choose a claim and a verdict first.</p>"
                return
            message = self.record(claim_menu.value, verdict.value, reason.value)
            status.value = f"<p role='status'>{escape(message)}</p>"
            table.value = self.table_html()

        def on_save(_):
            path = self.save()
            table.value = self.table_html()
            status.value = (f"<p role='status'>Saved {verdicts_count(len(self.verdicts))} to "
                            f"<code>{escape(str(path))}</code> (next to this notebook).</p>")

        source_menu.observe(show_source, names="value")
        claim_menu.observe(show_claim, names="value")
        record_button.on_click(on_record)
        save_button.on_click(on_save)
        show_source()
        self._controls = dict(source=source_menu, claim=claim_menu, verdict=verdict,
                              reason=reason, record=record_button, save=save_button,
                              status=status, table=table, text=text)
        from painlab.widgets.keyboard import KeyboardSupport

        box = make(widgets.VBox, [source_menu, header, text, claim_menu, quote, verdict, reason,
                                  make(widgets.HBox, [record_button, save_button]), status, table,
                                  make(KeyboardSupport)])
        box.add_class("painlab-claim-explorer")
        return box

    def _repr_mimebundle_(self, include=None, exclude=None):
        fallback = {"text/html": self.static_html(),
                    "text/plain": "Claim explorer (needs JupyterLab with widgets)."}
        if under_nbgrader():
            return fallback
        bundle = dict(self.widget()._repr_mimebundle_(include=include, exclude=exclude) or {})
        bundle.update(fallback)
        return bundle


def verdicts_count(number: int) -> str:
    return f"{number} verdict" if number == 1 else f"{number} verdicts"


def claim_explorer(source_id: str = "S000") -> ClaimExplorer:
    """Display with the cell's last line: pick a source, read it, record verdicts, save them."""
    return ClaimExplorer(source_id)
