"""Interactive diagrams for the refractory-pain lesson.

- ``pain_pathway_explorer()``: periphery -> dorsal horn -> ascending tracts -> thalamus -> cortex,
  with descending modulation (PAG, RVM); choosing an agent shows where it acts, how that action is
  known (people, animals, proposed) and what trials show. Agents are data: this lesson's come from
  assets/content/01-refractory-pain.yaml, and any lesson adds its own under ``pathway_agents`` in
  its content file (see painlab.models.refractory_pain.pathway_agents). A lesson can show only its
  agents: ``pain_pathway_explorer("ketamine", agents=["opioid", "ketamine"])``.
- ``refractory_explorer()``: a treatment history as a timeline, with the parts of an adequate
  trial that it shows or misses, under the definition of Currow 2012.

Plotly and ipywidgets are imported inside the functions.
"""

from painlab.models import refractory_pain as model


def _cited(text: str) -> str:
    from painlab.references import render_citations

    return render_citations(text)


# --- 1. the pain-pathway explorer -------------------------------------------------------------
def describe_pathway(agent: str) -> str:
    from painlab.figures.refractory_pain import NO_AGENT

    sites = model.pathway_sites()
    text = ("A schematic of the pain pathway: nociceptor endings in the periphery (bottom left) "
            "signal through the peripheral nerve and dorsal root ganglion to the dorsal horn of "
            "the spinal cord; ascending tracts carry the signal to the thalamus and the cortex "
            "(top). On the right, descending modulation runs from the cortex to the "
            "periaqueductal grey (PAG) and the rostral ventromedial medulla (RVM) and back to "
            "the dorsal horn. ")
    if agent == NO_AGENT:
        return text + "No agent is chosen."
    entry = model.pathway_agents()[agent]
    actions = "; ".join(f"{sites[site]['short']}: {where['action']} "
                        f"(evidence at this site: {model.EVIDENCE_LEVELS[where['evidence']]})"
                        for site, where in entry["sites"].items())
    text += (f"Chosen: {entry['name']}. It acts at {len(entry['sites'])} "
             f"site{'s' if len(entry['sites']) > 1 else ''}, outlined in the diagram: {actions}. "
             f"What trials show: {entry['clinical'].strip()} ")
    if entry.get("cellular"):
        text += entry["cellular"].strip()
    return _cited(text)


def pain_pathway_explorer(agent: str = "opioid", agents=None):
    """The pain pathway; choose an agent to see where it acts and with what evidence.

    agents: the agent ids to offer (default: every agent of every lesson)."""
    from painlab.figures.refractory_pain import NO_AGENT, pathway_base, pathway_update
    from painlab.widgets.base import Diagram, choice

    every = model.pathway_agents()
    offered = list(agents) if agents is not None else list(every)
    unknown = [a for a in offered if a not in every]
    if unknown:
        raise ValueError(f"unknown pathway agent {unknown[0]!r}; choose from {', '.join(every)}")
    if agent not in offered and agent != NO_AGENT:
        raise ValueError(f"agent must be one of {', '.join(offered)}, got {agent!r}")
    options = [(every[a]["name"].split(" (")[0], a) for a in offered] + [("none", NO_AGENT)]
    return Diagram(
        title="Where treatments act on the pain pathway, and how we know",
        intro=("Choose a treatment (Tab to the buttons, arrow keys or Enter to choose). The "
               "outline of each site where it acts says how that action is known; the text "
               "under the diagram says what trials show in patients."),
        controls={"agent": choice("Treatment", options, agent)},
        base=pathway_base,
        update=pathway_update,
        describe=describe_pathway,
    )


# --- 2. is this pain refractory? --------------------------------------------------------------
def _history(history: str, **added) -> model.History:
    extra = [r for r in model.ADDABLE if added.get(f"add_{r}")]
    base = model.history(history)
    return model.with_additions(base, extra) if extra else base


def _assessed(history: str, **added) -> tuple[model.History, model.Assessment]:
    hist = _history(history, **added)
    return hist, model.assess(hist)


def describe_refractory(history: str, **added) -> str:
    from painlab.content import lesson_content

    content = lesson_content("01-refractory-pain")
    labels = model.requirement_labels()
    hist, result = _assessed(history, **added)
    steps = "; ".join(
        f"{model.STRATEGIES[s.strategy]}: {s.what}, weeks {s.start_week:g}-{s.end_week:g}, "
        f"{model.STATUSES[s.status]}" + (f" (adverse effects: {s.adverse})" if s.adverse else "")
        for s in hist.steps)
    shown = [labels[r] for r, found in result.met.items() if found]
    missing = [labels[r] for r in result.missing]
    text = (f"A timeline of the treatment history '{hist.title}' ({hist.setting} pain, "
            f"{hist.mechanism}), one lane per strategy, weeks on the horizontal axis. Steps: "
            f"{steps}. A box beside the plot (or under it) names the history, gives both "
            f"verdicts and marks each part of an adequate trial. Shown: "
            f"{', '.join(shown) or 'none'}. Missing: {', '.join(missing) or 'none'}. Verdict "
            f"under the definition of Currow 2012: {model.verdict_text(result.verdict)}. Under "
            f"source S000's narrow definition (the highest safe dose of an opioid): "
            f"{model.verdict_text(result.narrow_verdict)}. ")
    return _cited(text + content["settings"][hist.setting].strip())


def _checklist_html(hist: model.History, assessment: model.Assessment) -> str:
    """The checklist beside the timeline: the history's name, the verdicts under both
    definitions, and each part of an adequate trial, shown or missing (in words and marks, not
    colour alone). HTML text rather than a plot annotation and title, so that it wraps to its box,
    screen readers read it as a list, and the plot has less to redraw on each change."""
    from html import escape

    labels = model.requirement_labels()
    # The marks are hidden from screen readers, which would read them out before the words.
    marks = {True: "<span aria-hidden='true'>✔ </span>shown",
             False: "<span aria-hidden='true'>✘ </span>MISSING"}
    items = "".join(f"<li style='margin:0 0 4px 0'><b>{marks[bool(steps)]}</b>: "
                    f"{escape(labels[requirement])}</li>"
                    for requirement, steps in assessment.met.items())
    # role='list': a list without bullets is no longer announced as a list by some screen readers
    return (f"<div class='painlab-checklist' style='border:1px solid #999;padding:2px 10px'>"
            f"<p><b>{escape(hist.title)}</b></p>"
            f"<p><b>Verdict:</b> {escape(model.verdict_text(assessment.verdict))}<br>"
            f"<i>Source S000's narrow definition:</i> "
            f"{escape(model.verdict_text(assessment.narrow_verdict))}</p>"
            f"<p><b>Parts of an adequate trial</b> (this lesson's reading of Currow 2012)</p>"
            f"<ul role='list' aria-label='Parts of an adequate trial' "
            f"style='list-style:none;padding:0;margin:0 0 8px 0'>{items}</ul></div>")


def refractory_explorer(history: str = "one-opioid"):
    """A treatment history as a timeline; add strategies and see which parts of an adequate trial
    are still missing."""
    import ipywidgets as widgets

    from painlab.figures.refractory_pain import timeline_base, timeline_update
    from painlab.widgets.base import Diagram, choice
    from painlab.widgets.shared import make

    labels = model.requirement_labels()
    options = [(h.title, key) for key, h in model.histories().items()]
    controls = {"history": choice("Treatment history", options, history)}
    for requirement in model.ADDABLE:
        controls[f"add_{requirement}"] = make(
            widgets.Checkbox, value=False, description=f"Add: {labels[requirement]}",
            indent=False, layout={"width": "680px"})

    def update(history, **added):
        return timeline_update(*_assessed(history, **added))

    def checklist(history, **added):
        return _checklist_html(*_assessed(history, **added))

    return Diagram(
        title="Is this pain refractory? A treatment history against the definition",
        intro=("Choose a history (Tab to the buttons, Enter to choose), then tick strategies to "
               "add them (Tab to a box, Space to tick). The checklist and the verdict follow."),
        controls=controls,
        base=timeline_base,
        update=update,
        describe=describe_refractory,
        panel=checklist,
    )
