"""Evidence arithmetic for reading trial results: absolute and relative differences, NNT and NNH.

Definitions follow standard evidence-based-medicine usage (e.g. Cochrane Handbook, chapter 15):
the number needed to treat (NNT) is the reciprocal of the absolute risk difference, rounded *up* to
a whole person, and is always stated with its comparator, outcome, time frame and confidence
interval (Altman 1998, BMJ 317:1309: when the difference is not significant, the interval runs from
an NNT for benefit through infinity to an NNT for harm). It depends on the baseline risk (Cook &
Sackett 1995, BMJ 310:452).
"""

import math
from dataclasses import dataclass


def _check_proportion(name: str, value: float) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number between 0 and 1, got {value!r}") from None
    if math.isnan(value) or not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be a proportion between 0 and 1, got {value!r}")
    return value


@dataclass(frozen=True)
class TrialComparison:
    """One binary outcome in two arms, as proportions of each arm (0-1)."""

    treatment_rate: float
    control_rate: float

    def __post_init__(self):
        _check_proportion("treatment_rate", self.treatment_rate)
        _check_proportion("control_rate", self.control_rate)

    @property
    def absolute_difference(self) -> float:
        """Treatment rate minus control rate (proportion; positive = more events on treatment)."""
        return self.treatment_rate - self.control_rate

    @property
    def relative_risk(self) -> float:
        """Treatment rate divided by control rate (inf when the control rate is zero)."""
        if self.control_rate == 0:
            return math.inf
        return self.treatment_rate / self.control_rate

    @property
    def relative_change(self) -> float:
        """Relative risk minus one: +0.5 reads 'fifty per cent more often'."""
        return self.relative_risk - 1.0

    @property
    def number_needed(self) -> float:
        """People treated for one more (or one fewer) event: 1/|difference| rounded up; inf if 0."""
        difference = abs(self.absolute_difference)
        if difference < 1e-12:
            return math.inf
        # Round up, but not past float noise (1/0.04 is 25.000000000000004).
        return float(math.ceil(round(1.0 / difference, 9)))


def number_needed_to_treat(treatment_rate: float, control_rate: float) -> float:
    """NNT for a good outcome (e.g. >=30% pain relief): 1 / (treatment rate - control rate).

    Hardy et al. 2012 (J Clin Oncol; subcutaneous ketamine in cancer pain): 31% vs 27% responders
    gives 25, reported as "25 (95% CI, six to ∞)" because the difference was not significant.
    Returns inf when the arms do not differ. Raises ValueError when the treatment is worse,
    because the result is then a number needed to harm.

    >>> number_needed_to_treat(0.31, 0.27)  # 4 points more responders: treat 25 for one more
    25.0
    >>> number_needed_to_treat(0.5, 0.5)  # no difference: no number of patients is enough
    inf
    """
    comparison = TrialComparison(treatment_rate, control_rate)
    if comparison.absolute_difference < 0:
        raise ValueError("the treatment arm did worse than control: that is a number needed to "
                         "harm, use number_needed_to_harm")
    return comparison.number_needed


def number_needed_to_harm(treatment_rate: float, control_rate: float) -> float:
    """NNH for an adverse outcome: 1 / (harm rate on treatment - harm rate on control)."""
    comparison = TrialComparison(treatment_rate, control_rate)
    if comparison.absolute_difference < 0:
        raise ValueError("harms were rarer on treatment than on control: there is no NNH")
    return comparison.number_needed


def icon_array_counts(treatment_rate: float, control_rate: float, people: int = 100) -> dict:
    """Split `people` treated people into the share that had the good outcome on the comparator
    too, the extra share that had it on the treatment, and those who did not have it. These are
    proportions: a parallel-group trial cannot say which individuals were helped.

    Counts are whole people and add up to `people`.

    >>> icon_array_counts(0.31, 0.27)  # of 100 treated, 27 would have responded anyway
    {'anyway': 27, 'helped': 4, 'not_helped': 69}
    """
    comparison = TrialComparison(treatment_rate, control_rate)
    anyway = round(min(comparison.treatment_rate, comparison.control_rate) * people)
    with_treatment = round(comparison.treatment_rate * people)
    helped = max(with_treatment - anyway, 0)
    return {"anyway": anyway, "helped": helped, "not_helped": people - anyway - helped}
