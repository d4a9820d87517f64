"""Lesson 05 diagrams: the forest chart of effects on pain, and the fear-avoidance cycle."""

from painlab.content import lesson_content
from painlab.figures.non_drug_therapies import (
    COMPARATOR_FILTERS,
    STEM,
    cycle_base,
    cycle_update,
    forest_base,
    forest_rows,
    forest_update,
)
from painlab.models import non_drug_therapies as model
from painlab.references import render_citations
from painlab.widgets.base import Diagram, choice, slider


def describe_forest(sd_points: float, comparators: str = "all") -> str:
    text = lesson_content(STEM)["forest"]
    rows = forest_rows(comparators)
    parts = []
    for item in rows:
        estimate, low, high = model.effect_in_points(item, sd_points)
        interval = "no interval seen" if low is None else f"{low:.2f} to {high:.2f}"
        verdict = model.compare_with_mid(estimate, low, high)
        parts.append(f"{item.therapy} vs {item.comparator} ({item.outcome}, {item.time_point}; "
                     f"{item.certainty}): {estimate:+.2f} points ({interval}): {verdict}")
    shown = {"all": "all comparators", "active": "active comparators only",
             "inactive": "inactive comparators only"}[comparators]
    return (f"Forest chart of {len(rows)} published effects on pain ({shown}), in points of a 0-10 "
            f"scale; standardised mean differences are converted at an SD of {sd_points:.1f} points. "
            f"The dashed line at {-model.MID_POINTS:.0f} point marks the minimal important "
            f"difference. " + "; ".join(parts) + ". " + render_citations(text["no_interval"]))


def forest_chart(sd_points: float = 2.4, comparators: str = "all") -> Diagram:
    """Published effects on pain, with the MID marked; choose the SD and the comparators."""
    controls = {
        "sd_points": slider("SD of the 0-10 pain scale", sd_points, 1.5, 3.0, 0.1, unit="points",
                            readout_format=".1f"),
        "comparators": choice("Comparators", list(COMPARATOR_FILTERS), comparators),
    }
    return Diagram(
        title="How large are the effects of non-drug therapies on pain?",
        intro="Move the slider or choose the comparators (Tab, then arrow keys or Enter).",
        controls=controls, base=forest_base, update=forest_update, describe=describe_forest)


def describe_cycle(therapy: str) -> str:
    text = lesson_content(STEM)["fear_avoidance"]
    item = model.target(therapy)
    labels = {step: text["steps"][step]["label"] for step in text["steps"]}
    cycle = " → ".join(labels[s] for s in model.FEAR_AVOIDANCE_STEPS)
    route = " → ".join(labels[s] for s in model.RECOVERY_ROUTE)
    entry = text["therapies"][therapy]
    steps = ", ".join(labels[s] for s in item.steps)
    link, link_reference = model.LINK_EVIDENCE[("pain_related_fear", "disuse_depression_disability")]
    return render_citations(
        f"The vicious cycle runs {cycle} → back to {labels[model.FEAR_AVOIDANCE_STEPS[0]]}; with "
        f"little fear the route is {route}. {entry['label']} aims at: {steps} (highlighted). "
        f"{entry['aims']} Evidence for the therapy ({item.evidence_level}): {entry['evidence']} "
        f"Evidence for the model's link from fear to disability: {link} [@{link_reference}].")


def fear_avoidance_cycle(therapy: str = "cbt") -> Diagram:
    """The fear-avoidance cycle; choose a therapy to see which steps it targets and its evidence."""
    therapies = lesson_content(STEM)["fear_avoidance"]["therapies"]
    options = [(therapies[t.therapy]["label"], t.therapy) for t in model.THERAPY_TARGETS]
    return Diagram(
        title="The fear-avoidance cycle and where each therapy aims",
        intro="Choose a therapy (Tab to the buttons, arrow keys or Enter to choose).",
        controls={"therapy": choice("Therapy", options, therapy)},
        base=cycle_base, update=cycle_update, describe=describe_cycle)
