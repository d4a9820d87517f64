"""Interactive diagrams for the cannabinoids lesson.

- ``occupancy_explorer()``: receptor occupancy of THC and CBD at CB1 and CB2 from Ki (sourced).
- ``cbd_modulation_explorer()``: CBD lowering THC's effect at CB1 (illustrative sizes).
- ``evidence_icon_array()``: benefit and harm in 100 people, with certainty (sourced).
- ``cannabis_laws_explorer()``: the law-and-opioid-deaths estimates as more data came (sourced).

Plotly and ipywidgets are imported inside the functions; prose comes from the content file.
"""

from painlab.content import lesson_content
from painlab.models import cannabinoids as model

STEM = "04-cannabinoids"


def _text(diagram: str) -> dict:
    return lesson_content(STEM)[diagram]


def _log_slider(label: str, value: float, min_exponent: float, max_exponent: float, unit: str):
    import ipywidgets as widgets

    from painlab.widgets.shared import make

    return make(widgets.FloatLogSlider, value=value, base=10, min=min_exponent, max=max_exponent,
                step=0.1, description=f"{label} ({unit})", readout_format=",.3r",
                continuous_update=True, style={"description_width": "300px"},
                layout={"width": "680px"})


# --- 1. occupancy ---------------------------------------------------------------------------
def describe_occupancy(concentration_nm: float) -> str:
    parts = [f"{drug} at {receptor} {100 * model.drug_occupancy(drug, receptor, concentration_nm):.0f}%"
             for drug, receptor in model.KI_NM]
    low, high = model.thc_smoked_peak_range_nm()
    return (f"Four S-shaped curves show the percentage of receptors occupied against the free "
            f"concentration from 0.1 nM to 100 µM on a log axis: THC at CB1 (Ki 25.1 nM, solid), "
            f"THC at CB2 (35.2 nM, dashed), CBD at rat CB1 (2210 nM, dotted) and CBD at CB2 "
            f"(2860 nM, dash-dot), with a thin black curve for THC at rat CB1 (42.6 nM) to compare "
            f"CBD with THC in the same species. Each curve passes 50% at its Ki. A shaded band "
            f"marks peak total plasma THC after smoking, {low:.0f} to {high:.0f} nM. At the chosen "
            f"{model.format_nm(concentration_nm)} nM the occupancies are: " + "; ".join(parts)
            + f" (THC at rat CB1 "
            f"{100 * model.occupancy(concentration_nm, model.THC_RAT_CB1_KI_NM):.0f}%). "
            + _text("occupancy")["caveat"])


def occupancy_explorer(concentration_nm: float = 100.0):
    """Occupancy of CB1 and CB2 by THC and CBD against concentration, from Ki."""
    from painlab.figures.cannabinoids import occupancy_base, occupancy_update
    from painlab.widgets.base import Diagram

    text = _text("occupancy")
    return Diagram(
        title=text["title"], intro=text["intro"],
        controls={"concentration_nm": _log_slider("Concentration", concentration_nm, -1, 5,
                                                  "nM")},
        base=occupancy_base, update=occupancy_update, describe=describe_occupancy)


# --- 2. CBD at CB1 (illustrative) ------------------------------------------------------------
def describe_modulation(cbd_nm: float) -> str:
    ki_alone = model.thc_cb1_apparent_ki_nm(0.0)
    ki = model.thc_cb1_apparent_ki_nm(cbd_nm)
    top = 100 * model.thc_cb1_effect(1e9, cbd_nm)
    at_200 = 100 * model.thc_cb1_effect(200.0, 0.0)
    at_200_cbd = 100 * model.thc_cb1_effect(200.0, cbd_nm)
    curves = ("Two curves show THC's effect at CB1, as a percentage of THC's own maximum, against "
              f"THC concentration on a log axis: THC alone (solid) and THC with CBD at {cbd_nm:g} nM "
              "(dashed with diamonds). ")
    if cbd_nm <= 0:  # no CBD: the two curves are one; "25.1 nM instead of 25.1 nM" says nothing
        return (curves + f"Without CBD the two curves coincide: THC's Ki is {ki_alone:.1f} nM, its "
                f"largest effect 100%, and at 200 nM THC the effect is {at_200:.0f}%. Move the "
                "slider to add CBD. " + _text("modulation")["caveat"])
    return (curves + f"With this much CBD, THC's apparent Ki is {ki:.1f} nM instead of "
            f"{ki_alone:.1f} nM and its largest effect is {top:.0f}% instead of 100%; at 200 nM "
            f"THC the effect is {at_200_cbd:.0f}% instead of {at_200:.0f}%. "
            + _text("modulation")["caveat"])


def cbd_modulation_explorer(cbd_nm: float = 1000.0):
    """THC's effect at CB1 with CBD as a negative allosteric modulator (ILLUSTRATIVE sizes)."""
    from painlab.figures.cannabinoids import modulation_base, modulation_update
    from painlab.widgets.base import Diagram, slider

    text = _text("modulation")
    return Diagram(
        title=text["title"], intro=text["intro"],
        controls={"cbd_nm": slider("CBD concentration", cbd_nm, 0, 10_000, 250, unit="nM",
                                   readout_format=".0f")},
        base=modulation_base, update=modulation_update, describe=describe_modulation)


# --- 3. icon arrays ---------------------------------------------------------------------------
ICON_CHOICES = {  # button label -> estimate key
    "pain: BMJ 2021": "wang-pain",
    "pain: nabiximols": "fisher-nabiximols",
    "pain: Cochrane 2018": "mucke-30",
    "pain: phase 2 cancer": "johnson-30",
    "harm: nervous system": "mucke-nervous",
    "harm: psychiatric": "mucke-psychiatric",
}


def describe_icons(outcome: str) -> str:
    estimate = model.ESTIMATES[ICON_CHOICES[outcome]]
    counts = model.icon_counts(estimate)
    number = "NNTB" if estimate.kind == "benefit" else "NNTH"
    low, high = estimate.number_needed_ci
    interval = "" if low != low else f" (95% CI {low:.0f} to {high:.0f})"
    rates = ("The review reports a pooled risk difference without a comparator rate, so only the "
             "extra people are marked."
             if estimate.control_percent is None else
             (f"{estimate.treatment_percent:.0f}% on treatment and "
              f"{estimate.control_percent:.0f}% on placebo had the outcome in this one trial; the "
              f"stars are the difference between the arms.")
             if estimate.certainty == "single trial" else
             f"{estimate.treatment_percent:.0f}% on treatment and {estimate.control_percent:.0f}% on "
             f"placebo had the outcome; the stars come from the pooled risk difference "
             f"({estimate.risk_difference:.2f}), which need not equal the difference of the two "
             f"percentages.")
    rd_low, rd_high = estimate.risk_difference_ci
    rd_interval = "" if rd_low != rd_low else f", 95% CI {rd_low:.2f} to {rd_high:.2f}"
    others = (f"{counts['rest']} open circles for the others"
              if estimate.control_percent is None else
              f"{counts['anyway']} filled circles for those who would have had it on placebo "
              f"too, {counts['rest']} open circles for the rest")
    return (f"An array of 100 icons for {estimate.outcome}: {counts['because']} stars for people "
            f"who had it because of the treatment (risk difference "
            f"{estimate.risk_difference:.2f}{rd_interval}), {others}. {rates} {number} "
            f"{estimate.number_needed}{interval}. Certainty of the evidence: "
            f"{estimate.certainty}. Status: {estimate.status}; {estimate.note}. "
            + _text("icons")["caveat"])


def evidence_icon_array(outcome: str = "pain: BMJ 2021"):
    """Icon arrays of benefit (NNTB) and harm (NNTH) from the reviews, with certainty."""
    from painlab.figures.cannabinoids import icon_base, icon_update
    from painlab.widgets.base import Diagram, choice

    text = _text("icons")
    return Diagram(
        title=text["title"], intro=text["intro"],
        controls={"outcome": choice("Outcome", list(ICON_CHOICES), outcome)},
        base=icon_base, update=lambda outcome: icon_update(ICON_CHOICES[outcome]),
        describe=describe_icons)


# --- 4. cannabis laws and opioid deaths -------------------------------------------------------
def describe_laws(step: str) -> str:
    shown = model.LAW_ESTIMATES[:model.LAW_STEPS[step]]
    rows = []
    for estimate in shown:
        low, high = estimate.ci
        side = ("excludes no difference" if model.ci_excludes_zero(estimate)
                else "includes no difference")
        rows.append(f"{estimate.label}, {estimate.years}: {estimate.percent:+.1f}% (95% CI "
                    f"{low:+.1f} to {high:+.1f}; the interval {side})")
    return (f"A plot of published estimates, each a square with a horizontal 95% confidence "
            f"interval, on an axis of percentage difference in state opioid overdose death rates "
            f"(negative: fewer deaths in states with the law). Showing '{step}': "
            + "; ".join(rows) + ". " + _text("laws")["caveat"])


def cannabis_laws_explorer(step: str = "to 2010 (2014 paper)"):
    """The association between medical cannabis laws and opioid deaths as more years were added."""
    from painlab.figures.cannabinoids import laws_base, laws_update
    from painlab.widgets.base import Diagram, choice

    text = _text("laws")
    return Diagram(
        title=text["title"], intro=text["intro"],
        controls={"step": choice("Analysis", list(model.LAW_STEPS), step)},
        base=laws_base, update=laws_update, describe=describe_laws)
