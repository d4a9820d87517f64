"""Interactive diagrams for the tolerance-versus-OIH lesson.

- ``dose_response_explorer()``: pain left against dose, at the start and after weeks on opioids.
- ``escalate_or_taper()``: a dose change under tolerance, OIH and disease progression side by side.
- ``mechanism_diagram()``: a dorsal-horn synapse whose parts light up for each state.

Plotly and ipywidgets are imported inside the functions. All model numbers are ILLUSTRATIVE
(painlab.models.opioid_response).
"""

import numpy as np

from painlab.content import lesson_content
from painlab.models import opioid_response as model

# The prose these diagrams display lives in assets/content/02-tolerance-vs-oih.yaml.
CONTENT = lesson_content("02-tolerance-vs-oih")
ILLUSTRATIVE_NOTE = CONTENT["illustrative_note"]
MECHANISM_TEXT = CONTENT["mechanism_text"]


# --- 1. dose-response explorer ---------------------------------------------------------------
def describe_dose_response(weeks: float, tolerance_rate: float, oih_strength: float,
                           dose: float, axis: str = "log") -> str:
    ed50_now = model.ed50_after(weeks, model.ED50_MG_PER_DAY, tolerance_rate)
    fold = ed50_now / model.ED50_MG_PER_DAY
    loss = model.fold_shift_to_potency_loss(fold)
    start = model.pain_left_nrs(dose, 0.0)
    now = model.pain_left_nrs(dose, weeks, tolerance_rate_per_week=tolerance_rate,
                              oih_strength_at_100mg=oih_strength)
    oih = model.oih_sensitivity(dose, weeks, oih_strength)
    text = (f"Two curves show the pain left (0-10) at each daily dose from 1 to 400 mg/day of "
            f"oral morphine equivalents, on a {axis} dose axis: the solid blue curve at the start, "
            f"the dashed vermillion curve after {weeks:g} weeks on opioids. The dose giving half "
            f"the maximum relief (ED50) has moved from {model.ED50_MG_PER_DAY:.0f} to "
            f"{ed50_now:.0f} mg/day, a {fold:.2f}-fold shift, which is a {loss:.0%} loss of "
            f"potency. At the current dose of {dose:.0f} mg/day (open circle at the start, diamond "
            f"now) the pain left is {start:.1f} at the start and {now:.1f} now. ")
    grid = np.geomspace(1.0, 400.0, 400)
    curve = model.pain_left_nrs(grid, weeks, tolerance_rate_per_week=tolerance_rate,
                                oih_strength_at_100mg=oih_strength)
    best = int(np.argmin(curve))
    if oih > 0.005:
        text += (f"Opioid-induced hyperalgesia makes pain {oih:.0%} more intense at this dose. The "
                 f"current curve is lowest at about {grid[best]:.0f} mg/day (pain "
                 f"{curve[best]:.1f}); {CONTENT['dose_response']['oih_present']}. ")
    else:
        relief_start = model.relief_fraction(dose)
        needed = model.dose_for_relief(relief_start, ed50_now) if relief_start > 0 else 0.0
        text += (f"{CONTENT['dose_response']['tolerance_only']}: about {needed:.0f} mg/day "
                 f"would now give the relief that {dose:.0f} mg/day gave at the start. ")
    return text + CONTENT["dose_response"]["model_limits"] + " " + ILLUSTRATIVE_NOTE


def dose_response_explorer(weeks: float = 12, tolerance_rate: float = 0.08,
                           oih_strength: float = 0.0, dose: float = 60):
    """Pain left against dose: original and current curves; sliders for weeks on opioids,
    tolerance rate, OIH strength and the current dose (all ILLUSTRATIVE)."""
    from painlab.figures.opioid_response import dose_response_base, dose_response_update
    from painlab.widgets.base import Diagram, choice, slider

    controls = {
        "weeks": slider("Weeks on opioids", weeks, 0, 52, 1, unit="weeks", readout_format=".0f"),
        "tolerance_rate": slider("Tolerance rate", tolerance_rate, 0, 0.3, 0.01,
                                 unit="ED50 rise per week"),
        "oih_strength": slider("OIH strength", oih_strength, 0, 2, 0.05,
                               unit="pain rise at 100 mg/day"),
        "dose": slider("Current dose", dose, 5, 400, 5, unit="mg/day morphine eq.",
                       readout_format=".0f"),
        "axis": choice("Dose axis", ["log", "linear"], "log"),
    }
    return Diagram(
        title=CONTENT["dose_response"]["title"],
        intro=CONTENT["dose_response"]["intro"],
        controls=controls,
        base=dose_response_base,
        update=lambda weeks, tolerance_rate, oih_strength, dose, axis: dose_response_update(
            weeks, tolerance_rate, oih_strength, dose, axis == "log"),
        describe=describe_dose_response,
    )


# --- 2. escalate or taper? --------------------------------------------------------------------
def describe_escalate_or_taper(dose_change: str) -> str:
    from painlab.figures.opioid_response import (
        CHANGE_WEEK,
        SCENARIO_LABELS,
        TRAJECTORY_WEEKS,
        panel_trajectories,
    )

    fraction = model.DOSE_CHANGES[dose_change]
    parts = []
    for scenario, kept, chosen in panel_trajectories(dose_change):
        before = kept.pain_nrs[CHANGE_WEEK - 1]
        after = chosen.mean_pain(CHANGE_WEEK + 2, CHANGE_WEEK + 5)
        if_kept = kept.mean_pain(CHANGE_WEEK + 2, CHANGE_WEEK + 5)
        parts.append(f"{SCENARIO_LABELS[scenario]}: pain was {before:.1f} the week before; "
                     f"in weeks {CHANGE_WEEK + 2}-{CHANGE_WEEK + 5} it averages {after:.1f} after "
                     f"the model's dose change and {if_kept:.1f} if the dose is kept")
    text = (f"Three panels show weekly pain (0-10) over {TRAJECTORY_WEEKS} weeks for three "
            f"illustrative patients whose opioid stops working as well: by tolerance, by "
            f"opioid-induced hyperalgesia and by disease progression. At week {CHANGE_WEEK} the "
            f"dose changes by '{dose_change}' (solid vermillion line with diamonds); the dashed "
            f"blue line with open circles shows the dose kept. " + ". ".join(parts) + ". ")
    words = CONTENT["escalate_or_taper"]
    if fraction < 0:
        text += words["taper_note"] + " "
    elif fraction > 0:
        text += words["increase_note"] + " "
    return text + words["limits"] + " " + ILLUSTRATIVE_NOTE


def escalate_or_taper(dose_change: str = "increase 25%"):
    """One patient pattern per panel; the learner chooses the dose change made at week 8."""
    from painlab.figures.opioid_response import escalate_or_taper_base, escalate_or_taper_update
    from painlab.widgets.base import Diagram, choice

    return Diagram(
        title=CONTENT["escalate_or_taper"]["title"],
        intro=CONTENT["escalate_or_taper"]["intro"],
        controls={"dose_change": choice("Model's dose change at week 8", list(model.DOSE_CHANGES),
                                        dose_change)},
        base=escalate_or_taper_base,
        update=escalate_or_taper_update,
        describe=describe_escalate_or_taper,
    )


# --- 3. mechanism diagram ---------------------------------------------------------------------
def describe_mechanism(state: str) -> str:
    from painlab.figures.opioid_response import MECHANISM_STATES, SHORT_NAMES

    marks = MECHANISM_STATES[state]
    outline = {"up": "solid outline", "down": "dashed outline", "doubtful": "dotted outline"}
    drawn = "; ".join(f"{SHORT_NAMES[key]} {label} ({outline[kind]})"
                      for key, (kind, label) in marks.items())
    return (f"Schematic of a dorsal-horn synapse: the nociceptor's central terminal (top) with "
            f"MORs and Ca2+ channels releases glutamate onto a dorsal-horn neuron (bottom) with "
            f"AMPA and NMDA receptors, PKC and dynorphin; descending fibres from the brainstem "
            f"(top right) and glia (right) act on it. Marked in the state '{state}': {drawn}. "
            + MECHANISM_TEXT[state])


def mechanism_diagram(state: str = "acute opioid"):
    """A dorsal-horn synapse; choose acute opioid, tolerance or OIH to see what changes."""
    from painlab.figures.opioid_response import MECHANISM_STATES, synapse_base, synapse_update
    from painlab.widgets.base import Diagram, choice

    return Diagram(
        title=CONTENT["mechanism"]["title"],
        intro=CONTENT["mechanism"]["intro"],
        controls={"state": choice("State", list(MECHANISM_STATES), state)},
        base=synapse_base,
        update=synapse_update,
        describe=describe_mechanism,
    )


# --- 4. quiz vignettes: quiz displays, in painlab.quizviews.opioid_response --------------------
# Released quizzes import show_vignette from here.
from painlab.quizviews.opioid_response import describe_vignette, show_vignette  # noqa: E402, F401
