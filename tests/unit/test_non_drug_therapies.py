"""Lesson 05's data: each effect estimate pinned to the number its source reports, the SMD and MID
arithmetic, and the fear-avoidance cycle with its content labels."""

import pytest

from painlab.content import lesson_content
from painlab.models import non_drug_therapies as ndt
from painlab.references import load_references

STEM = "05-non-drug-therapies"

# key: (estimate, ci_low, ci_high, n_studies, n_participants, certainty, reference), as published
# (signs turned so that negative = less pain with the therapy; see the model's docstring)
PUBLISHED = {
    # Vickers 2012 abstract: "0.23 (95% C.I. 0.13, 0.33), 0.16 (0.07, 0.25) and 0.15 (0.07, 0.24)
    # standard deviations lower than sham"; vs no acupuncture 0.55 (0.51, 0.58), 0.57 (0.50, 0.64),
    # 0.42 (0.37, 0.46); 29 trials, 17,922 patients
    "acupuncture-sham-back-neck": (-0.23, -0.33, -0.13, 29, 17922, "not graded", "vickers2012"),
    "acupuncture-sham-osteoarthritis": (-0.16, -0.25, -0.07, 29, 17922, "not graded", "vickers2012"),
    "acupuncture-sham-headache": (-0.15, -0.24, -0.07, 29, 17922, "not graded", "vickers2012"),
    "acupuncture-none-back-neck": (-0.55, -0.58, -0.51, 29, 17922, "not graded", "vickers2012"),
    "acupuncture-none-osteoarthritis": (-0.57, -0.64, -0.50, 29, 17922, "not graded", "vickers2012"),
    "acupuncture-none-headache": (-0.42, -0.46, -0.37, 29, 17922, "not graded", "vickers2012"),
    # Kamper 2015: vs usual care SMD 0.21 (0.04 to 0.37), 16 trials, moderate quality;
    # vs physical treatment 0.51 (-0.01 to 1.04), 19 trials, low quality
    "multidisciplinary-usual-care": (-0.21, -0.37, -0.04, 16, None, "moderate", "kamper2015"),
    "multidisciplinary-physical": (-0.51, -1.04, 0.01, 19, None, "low", "kamper2015"),
    # Williams 2020 (secondary summary, EBM Guidelines): CBT at treatment end, pain vs TAU -0.22
    # (-0.33 to -0.10; 29 studies, 2572), vs active control -0.09 (-0.17 to -0.01; 23, 3235)
    "cbt-usual-care": (-0.22, -0.33, -0.10, 29, 2572, "GRADE rating not seen", "williams2020"),
    "cbt-active-control": (-0.09, -0.17, -0.01, 23, 3235, "GRADE rating not seen", "williams2020"),
    # Hayden 2021 summary-of-findings tables: pain (0-100) 15 better (12 to 18), 35 studies, 2746,
    # moderate; vs other conservative treatments 9 better (6 to 13), 64 studies, 6295, low
    "exercise-no-treatment": (-1.5, -1.8, -1.2, 35, 2746, "moderate", "hayden2021"),
    "exercise-other-conservative": (-0.9, -1.3, -0.6, 64, 6295, "low", "hayden2021"),
    # Kutner 2008: immediate pain -1.87 vs -0.97, mean difference 0.90; sustained BPI mean 0.07 (-0.23, 0.37)
    "massage-touch-immediate": (-0.90, None, None, 1, 298, "not graded", "kutner2008"),
    "massage-touch-sustained": (0.07, -0.23, 0.37, 1, 348, "not graded", "kutner2008"),
}

# Ashar 2022 group means (secondary summary) and Ashar 2025 adjusted means (news report):
# (PRT, placebo, usual care)
ASHAR_MEANS = {"post": (1.18, 2.84, 3.13), "1y": (1.51, 2.79, 3.00), "5y": (1.93, 3.19, 2.60)}


@pytest.mark.parametrize("key", sorted(PUBLISHED))
def test_each_estimate_is_the_published_number(key):
    item = ndt.effect(key)
    estimate, low, high, studies, participants, certainty, reference = PUBLISHED[key]
    assert (item.estimate, item.ci_low, item.ci_high) == (estimate, low, high)
    assert (item.n_studies, item.n_participants) == (studies, participants)
    assert (item.certainty, item.reference) == (certainty, reference)


@pytest.mark.parametrize("time_point", sorted(ASHAR_MEANS))
def test_prt_differences_are_the_differences_of_the_reported_means(time_point):
    prt, placebo, usual_care = ASHAR_MEANS[time_point]
    assert ndt.effect(f"prt-placebo-{time_point}").estimate == pytest.approx(prt - placebo, abs=1e-9)
    assert ndt.effect(f"prt-usual-care-{time_point}").estimate == pytest.approx(prt - usual_care, abs=1e-9)
    for key in (f"prt-placebo-{time_point}", f"prt-usual-care-{time_point}"):
        assert not ndt.effect(key).has_interval  # the trial's own intervals were not seen


def test_prt_responders_are_the_published_counts():
    assert ndt.ASHAR2022_PAIN_FREE == {"PRT": (33, 50), "placebo": (10, 51), "usual care": (5, 50)}
    assert [round(100 * a / n) for a, n in ndt.ASHAR2022_PAIN_FREE.values()] == [66, 20, 10]
    assert ndt.ASHAR2025_PAIN_FREE_PERCENT == {"PRT": 55, "placebo": 26, "usual care": 36}


def test_every_estimate_is_pinned_or_derived_here():
    prt = {f"prt-{c}-{t}" for c in ("placebo", "usual-care") for t in ASHAR_MEANS}
    assert {e.key for e in ndt.EFFECTS} == set(PUBLISHED) | prt
    assert len({e.key for e in ndt.EFFECTS}) == len(ndt.EFFECTS)


def test_every_reference_exists():
    keys = set(load_references())
    used = {e.reference for e in ndt.EFFECTS} | {ref for _, ref in ndt.NARRATIVE_FINDINGS.values()}
    used |= {ref for t in ndt.THERAPY_TARGETS for ref in t.references}
    used |= {ref for _, ref in ndt.LINK_EVIDENCE.values()}
    assert used <= keys, used - keys


def test_comparators_are_classified():
    kinds = {e.comparator: e.comparator_kind for e in ndt.EFFECTS}
    assert kinds["sham acupuncture"] == kinds["simple touch"] == "active"
    assert kinds["open-label placebo injection"] == kinds["physical treatment"] == "active"
    assert kinds["no acupuncture"] == kinds["usual care"] == "inactive"


def test_active_comparators_give_smaller_effects_for_acupuncture():
    """The lesson's point about comparators, in the data: sham shrinks the effect to about 0.2 SD."""
    for condition in ("back-neck", "osteoarthritis", "headache"):
        sham, none = ndt.effect(f"acupuncture-sham-{condition}"), ndt.effect(f"acupuncture-none-{condition}")
        assert abs(sham.estimate) < abs(none.estimate) / 2


def test_smd_conversion_reproduces_kamper_half_point():
    assert ndt.KAMPER2015_IMPLIED_SD_POINTS == pytest.approx(0.5 / 0.21)
    assert ndt.smd_to_points(0.21, ndt.KAMPER2015_IMPLIED_SD_POINTS) == pytest.approx(0.5)
    assert ndt.points_to_smd(0.5, ndt.KAMPER2015_IMPLIED_SD_POINTS) == pytest.approx(0.21)


def test_effect_in_points_converts_only_smds():
    item = ndt.effect("multidisciplinary-usual-care")
    assert ndt.effect_in_points(item, 2.0) == pytest.approx((-0.42, -0.74, -0.08))
    massage = ndt.effect("massage-touch-immediate")
    assert ndt.effect_in_points(massage, 2.0) == (-0.90, None, None)


def test_mid_and_immpact_thresholds_are_the_published_ones():
    assert ndt.MID_POINTS == 1.0                                   # Wang 2021
    assert (ndt.IMMPACT_MINIMAL_PERCENT, ndt.IMMPACT_MODERATE_PERCENT,
            ndt.IMMPACT_SUBSTANTIAL_PERCENT) == (10.0, 30.0, 50.0)  # Dworkin 2008
    assert ndt.immpact_category(50) == "substantial"
    assert ndt.immpact_category(30) == "moderately important"
    assert ndt.immpact_category(10) == "minimally important"


@pytest.mark.parametrize("args, verdict", [
    ((-1.5, -2.0, -1.2), "whole interval beyond the MID"),
    ((-1.2, -1.8, -0.6), "benefit beyond the MID, but the interval includes smaller effects"),
    ((-0.5, -0.9, -0.1), "benefit below the MID"),
    ((-0.5, -1.2, 0.1), "interval includes no effect"),
    ((0.1, -0.2, 0.4), "harm or no effect"),
    ((-0.4,), "benefit below the MID"),
    ((-1.0,), "benefit at or beyond the MID (no interval)"),
])
def test_compare_with_mid(args, verdict):
    assert ndt.compare_with_mid(*args) == verdict


@pytest.mark.parametrize("call, message", [
    (lambda: ndt.smd_to_points(0.2, 0), "sd_points must be a finite number greater than zero"),
    (lambda: ndt.smd_to_points("x", 2), "smd must be a number"),
    (lambda: ndt.compare_with_mid(-0.5, -1.0), "give both ci_low_points and ci_high_points"),
    (lambda: ndt.compare_with_mid(-0.5, -0.4, -0.1), "lies outside its interval"),
    (lambda: ndt.effect("nothing"), "no effect estimate 'nothing'"),
    (lambda: ndt.target("nothing"), "no therapy 'nothing'"),
    (lambda: ndt.next_step("recovery"), "step must be one of"),
])
def test_bad_input_is_named(call, message):
    with pytest.raises((ValueError, KeyError), match=message):
        call()


def test_an_estimate_outside_its_interval_is_refused():
    with pytest.raises(ValueError, match="outside its interval"):
        ndt.EffectEstimate("x", "t", "c", "active", "pain", "end", "SMD", 0.5, -0.2, 0.1, 1, 10,
                           "low", "kamper2015", "here")


def test_the_cycle_is_closed_and_ordered():
    steps = ndt.FEAR_AVOIDANCE_STEPS
    assert steps[0] == "pain_experience" and len(steps) == 5
    assert [ndt.next_step(s) for s in steps] == list(steps[1:]) + [steps[0]]
    assert ndt.RECOVERY_ROUTE[0] == steps[0]


def test_each_therapy_targets_known_steps_and_its_estimates_exist():
    for item in ndt.THERAPY_TARGETS:
        assert item.steps
        for key in item.effect_keys:
            ndt.effect(key)
    assert ndt.target("somatic_tracking").evidence_level == "not tested on its own"
    assert ndt.target("massage").steps == ("pain_experience",)


def test_every_step_and_therapy_has_content():
    text = lesson_content(STEM)["fear_avoidance"]
    for step in ndt.FEAR_AVOIDANCE_STEPS + ndt.RECOVERY_ROUTE:
        assert text["steps"][step]["label"] and text["steps"][step]["explanation"], step
    for item in ndt.THERAPY_TARGETS:
        entry = text["therapies"][item.therapy]
        assert entry["label"] and entry["aims"] and entry["evidence"], item.therapy
    forest = lesson_content(STEM)["forest"]
    assert set(forest["comparator_kinds"]) == set(ndt.COMPARATOR_KINDS)


# --- figures and diagrams ------------------------------------------------------------------------

from painlab.figures.non_drug_therapies import (  # noqa: E402
    cycle_base,
    cycle_update,
    forest_base,
    forest_rows,
    forest_update,
)
from painlab.widgets.non_drug_therapies import (  # noqa: E402
    describe_cycle,
    describe_forest,
)

# Every registered diagram's live update and static fallback: tests/unit/test_diagram.py.


def test_forest_update_places_every_estimate_once_with_its_interval():
    update = forest_update(2.0, "all")
    xs = sorted(x for trace in update.traces for x in trace["x"])
    expected = sorted(ndt.effect_in_points(e, 2.0)[0] for e in ndt.EFFECTS)
    assert xs == pytest.approx(expected)
    first = update.traces[0]  # active comparators with an interval
    i = first["text"].index(next(t for t in first["text"] if t.startswith("Acupuncture vs sham")))
    assert first["x"][i] - first["error_x"]["arrayminus"][i] == pytest.approx(-0.66)  # -0.33 * 2
    assert len(update.layout["yaxis"]["ticktext"]) == len(ndt.EFFECTS)
    assert {e.comparator_kind for e in forest_rows("inactive")} == {"inactive"}
    fig = forest_base()
    assert fig.layout.xaxis.title.text.startswith("Difference in pain (points")
    assert {trace.marker.symbol for trace in fig.data} == {"diamond", "circle", "diamond-open",
                                                           "circle-open"}
    with pytest.raises(ValueError, match="comparators must be one of"):
        forest_rows("sham")


def test_forest_description_gives_points_intervals_and_the_mid():
    text = describe_forest(2.4, "all")
    assert "SD of 2.4 points" in text and "-1 point marks the minimal important difference" in text
    # acupuncture vs sham for back and neck pain: -0.23 * 2.4 = -0.55 (-0.79 to -0.31)
    assert "Acupuncture vs sham acupuncture (pain (back and neck pain)" in text
    assert "-0.55 points (-0.79 to -0.31): benefit below the MID" in text
    assert "-1.66 points (no interval seen): benefit at or beyond the MID (no interval)" in text
    assert "(Ashar et al. 2022)" in text and "[@" not in text
    assert describe_forest(2.4, "inactive").count(" vs ") == len(forest_rows("inactive"))


def test_cycle_highlights_the_targeted_steps():
    positions_traces = cycle_update("massage").traces
    assert len(positions_traces[1]["x"]) == 1  # massage: the pain experience only
    assert len(cycle_update("cbt").traces[1]["x"]) == 4
    fig = cycle_base()
    assert len(fig.data) == 5  # the boxes, the highlighted boxes, the labels and two arrow traces
    cycle_arrows, route_arrows = (fig.data[3].x, fig.data[4].x)
    assert cycle_arrows.count(None) == 5 and route_arrows.count(None) == 2  # arrows: 5 + 2


@pytest.mark.parametrize("therapy", [t.therapy for t in ndt.THERAPY_TARGETS])
def test_cycle_description_names_steps_evidence_and_the_weak_link(therapy):
    text = describe_cycle(therapy)
    item = ndt.target(therapy)
    assert "Pain experience → Catastrophising → Pain-related fear" in text
    assert f"({item.evidence_level})" in text
    assert "very low certainty (Martinez-Calderon et al. 2019)" in text
    assert "[@" not in text


# --- self-checks ---------------------------------------------------------------------------------
from painlab.quiz import evaluate, load_checks  # noqa: E402

CHECKS = load_checks(STEM)


def test_between_four_and_six_self_checks_with_the_right_ids():
    assert 4 <= len(CHECKS) <= 6
    assert all(qid.startswith(f"{STEM}/") for qid in CHECKS)


def test_the_number_check_is_the_model_conversion():
    question = CHECKS[f"{STEM}/smd-to-points"]
    assert question["answer"] == pytest.approx(abs(ndt.smd_to_points(-0.23, 2.4)))
    assert evaluate(question, 0.55).correct
    assert not evaluate(question, 0.23 / 2.4).correct  # dividing instead of multiplying


@pytest.mark.parametrize("qid", sorted(q for q in CHECKS if CHECKS[q]["kind"] != "number"))
def test_self_check_right_answer_is_right_and_each_wrong_option_says_why(qid):
    question = CHECKS[qid]
    options = question["options"]
    right = [o for o in options if o.get("correct")]
    wrong = [o for o in options if not o.get("correct")]
    assert right and wrong and all(o["why"].strip() for o in options)
    if question["kind"] == "choice":
        assert len(right) == 1 and evaluate(question, right[0]["label"]).correct
        for option in wrong:
            feedback = evaluate(question, option["label"])
            assert not feedback.correct and option["why"].strip() in feedback.message
    else:
        labels = {o["label"] for o in right}
        assert evaluate(question, labels).correct
        for option in wrong:
            feedback = evaluate(question, labels | {option["label"]})
            assert not feedback.correct and option["why"].strip() in feedback.message
