"""The NNT explorer: two event rates -> icon array, absolute and relative differences, NNT."""

from painlab.figures.evidence import WORDS, icon_array_base, icon_array_update
from painlab.models.evidence import TrialComparison
from painlab.widgets.base import Diagram, slider


def describe_trial(treatment_rate: float, control_rate: float) -> str:
    comparison = TrialComparison(treatment_rate, control_rate)
    difference = comparison.absolute_difference
    if abs(difference) < 1e-9:
        return f"Both arms improve at {control_rate:.0%}: {WORDS['no_difference']}"
    if difference < 0:
        return (f"The comparator does better ({control_rate:.0%}) than the treatment "
                f"({treatment_rate:.0%}): the treatment costs one responder for every "
                f"{comparison.number_needed:.0f} people treated.")
    relative = comparison.relative_change
    if relative == float("inf"):
        relative_text = WORDS["no_comparator"]
    else:
        relative_text = f"The relative change is {relative:+.0%}, {WORDS['relative_note']}"
    return (f"{treatment_rate:.0%} improve on the treatment and {control_rate:.0%} on the "
            f"comparator. The absolute difference is {difference * 100:.0f} percentage points, "
            f"so about {comparison.number_needed:.0f} people must be treated for one extra person "
            f"to improve (the NNT). {relative_text} {WORDS['icon_note']}")


def nnt_explorer(treatment_percent: float = 31, control_percent: float = 27) -> Diagram:
    """Icon array explorer; the default rates are Hardy et al. 2012 (31% vs 27%, NNT 25)."""
    controls = {
        "treatment_percent": slider("Improved on treatment", treatment_percent, 0, 100, 1,
                                    unit="% of arm", readout_format=".0f"),
        "control_percent": slider("Improved on comparator", control_percent, 0, 100, 1,
                                  unit="% of arm", readout_format=".0f"),
    }
    return Diagram(
        title=WORDS["title"],
        intro=WORDS["intro"],
        controls=controls,
        base=icon_array_base,
        update=lambda treatment_percent, control_percent: icon_array_update(
            treatment_percent / 100, control_percent / 100),
        describe=lambda treatment_percent, control_percent: describe_trial(
            treatment_percent / 100, control_percent / 100),
    )
