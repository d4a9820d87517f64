"""The NNT explorer: two event rates -> icon array, absolute and relative differences, NNT."""

from painlab.figures.evidence import icon_array_base, icon_array_update
from painlab.models.evidence import TrialComparison
from painlab.widgets.base import Diagram, slider


def describe_trial(treatment_rate: float, control_rate: float) -> str:
    comparison = TrialComparison(treatment_rate, control_rate)
    difference = comparison.absolute_difference
    if abs(difference) < 1e-9:
        return (f"Both arms improve at {control_rate:.0%}: the treatment adds nothing on this "
                "outcome, and no number of people treated gives one extra responder.")
    if difference < 0:
        return (f"The comparator does better ({control_rate:.0%}) than the treatment "
                f"({treatment_rate:.0%}): the treatment costs one responder for every "
                f"{comparison.number_needed:.0f} people treated.")
    relative = comparison.relative_change
    if relative == float("inf"):
        relative_text = ("There is no relative change to quote: nobody improved on the "
                         "comparator, and a change relative to zero is not defined. Here only "
                         "the absolute difference says how much the treatment adds.")
    else:
        relative_text = (f"The relative change is {relative:+.0%}, which sounds larger than the "
                         "absolute difference whenever the comparator rate is low.")
    return (f"{treatment_rate:.0%} improve on the treatment and {control_rate:.0%} on the "
            f"comparator. The absolute difference is {difference * 100:.0f} percentage points, "
            f"so about {comparison.number_needed:.0f} people must be treated for one extra person "
            f"to improve (the NNT). {relative_text} In the icon "
            f"array, stars mark the people who improved because of the treatment; filled "
            f"circles those who would have improved anyway; open circles those who did not.")


def nnt_explorer(treatment_percent: float = 31, control_percent: float = 27) -> Diagram:
    """Icon array explorer; the default rates are Hardy et al. 2012 (31% vs 27%, NNT 25)."""
    controls = {
        "treatment_percent": slider("Improved on treatment", treatment_percent, 0, 100, 1,
                                    unit="% of arm", readout_format=".0f"),
        "control_percent": slider("Improved on comparator", control_percent, 0, 100, 1,
                                  unit="% of arm", readout_format=".0f"),
    }
    return Diagram(
        title="From two percentages to a number needed to treat",
        intro="Move the sliders (or Tab to one and use the arrow keys).",
        controls=controls,
        base=icon_array_base,
        update=lambda treatment_percent, control_percent: icon_array_update(
            treatment_percent / 100, control_percent / 100),
        describe=lambda treatment_percent, control_percent: describe_trial(
            treatment_percent / 100, control_percent / 100),
    )
