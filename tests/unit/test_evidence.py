import json
import math

import pytest

from painlab.figures.evidence import icon_array_update
from painlab.models.evidence import (
    TrialComparison,
    icon_array_counts,
    number_needed_to_harm,
    number_needed_to_treat,
)
from painlab.widgets.evidence import describe_trial, nnt_explorer


def test_nnt_matches_hardy_2012():
    # Hardy et al. 2012, J Clin Oncol: 31% vs 27% responders, reported NNT 25.
    assert number_needed_to_treat(0.31, 0.27) == 25


def test_nnt_rounds_up_to_whole_people():
    # Ashar et al. 2022: 33/50 vs 10/51 pain-free or nearly: 1/0.464 = 2.16 -> 3 people.
    assert number_needed_to_treat(33 / 50, 10 / 51) == 3


def test_nnh_matches_sigtermans_2009():
    # Sigtermans et al. 2009: psychotomimetic effects 76% vs 18% -> 1/0.58 = 1.72 -> 2.
    assert number_needed_to_harm(0.76, 0.18) == 2


def test_no_difference_gives_infinite_nnt():
    assert math.isinf(number_needed_to_treat(0.3, 0.3))


def test_worse_treatment_is_not_an_nnt():
    with pytest.raises(ValueError, match="number needed to harm"):
        number_needed_to_treat(0.2, 0.3)
    with pytest.raises(ValueError, match="no NNH"):
        number_needed_to_harm(0.1, 0.3)


@pytest.mark.parametrize("bad", [-0.1, 1.5, float("nan"), "a lot", None])
def test_rates_must_be_proportions(bad):
    with pytest.raises(ValueError, match="treatment_rate"):
        TrialComparison(bad, 0.2)


def test_relative_change_is_larger_than_absolute_when_control_rate_low():
    comparison = TrialComparison(0.04, 0.02)
    assert comparison.relative_change == pytest.approx(1.0)
    assert comparison.absolute_difference == pytest.approx(0.02)
    assert math.isinf(TrialComparison(0.1, 0.0).relative_risk)


@pytest.mark.parametrize("treatment,control", [(0.31, 0.27), (0.0, 0.0), (1.0, 0.0), (0.2, 0.5)])
def test_icon_array_counts_add_up(treatment, control):
    counts = icon_array_counts(treatment, control)
    assert sum(counts.values()) == 100
    assert counts["helped"] == max(round(treatment * 100) - round(control * 100), 0)


def test_icon_array_update_places_every_person_once():
    update = icon_array_update(0.31, 0.27)
    points = {(x, y) for trace in update.traces for x, y in zip(trace["x"], trace["y"], strict=True)}
    assert len(points) == 100
    assert "NNT 25" in update.layout["title_text"]


def test_icon_array_title_gives_no_nnt_when_the_comparator_does_better():
    """5% against 29%: the treatment loses one responder per 5 treated; 'NNT 5' would read as a
    benefit (the text description already said so, the title did not)."""
    title = icon_array_update(0.05, 0.29).layout["title_text"]
    assert "NNT" not in title and "1 fewer improved per 5 treated" in title


def test_description_names_the_numbers():
    text = describe_trial(0.31, 0.27)
    assert "4 percentage points" in text and "25" in text and "+15%" in text
    assert "adds nothing" in describe_trial(0.3, 0.3)
    assert "comparator does better" in describe_trial(0.2, 0.3)


def test_description_with_nobody_improving_on_the_comparator():
    """At 0% on the comparator there is no relative change; the text must still make sense."""
    text = describe_trial(0.2, 0.0)
    assert "no relative change" in text and "only the absolute difference" in text
    assert "sounds larger" not in text and "The relative change cannot" not in text
    assert "20 percentage points" in text and "about 5 people" in text


def test_explorer_defaults_and_update():
    diagram = nnt_explorer()
    assert diagram.values() == {"treatment_percent": 31, "control_percent": 27}
    diagram.widget()
    diagram.set(treatment_percent=47)
    assert "NNT 5" in json.loads(diagram._plot.figure_json)["layout"]["title"]["text"]
    assert "20 percentage points" in diagram._description.value
