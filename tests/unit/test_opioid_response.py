"""Lesson 02: the opioid dose-response model (tolerance, OIH), its trajectories, figures, diagrams,
quiz vignettes and self-checks. The teaching behaviour is pinned here, so a change to the model
that breaks what the lesson says fails a test."""

import json
import math
import re
import subprocess
import sys

import numpy as np
import pytest

from painlab.content import lesson_content
from painlab.figures.base import apply_update
from painlab.figures.opioid_response import (
    DOSE_GRID_MG_PER_DAY,
    MECHANISM_STATES,
    SYNAPSE_PARTS,
    dose_response_base,
    dose_response_update,
    escalate_or_taper_base,
    escalate_or_taper_update,
    synapse_base,
    synapse_update,
    vignette_figure,
)
from painlab.models import opioid_response as m
from painlab.quiz import evaluate, load_checks
from painlab.references import CITATION, load_references
from painlab.widgets.opioid_response import (
    MECHANISM_TEXT,
    describe_dose_response,
    describe_escalate_or_taper,
    describe_mechanism,
    show_vignette,
)


def bisect_dose(target_relief, ed50, lo=1e-6, hi=1e6):
    """Solve relief_fraction(dose) = target by bisection on log dose (independent of the model's
    own inverse)."""
    for _ in range(200):
        mid = math.sqrt(lo * hi)
        if m.relief_fraction(mid, ed50) < target_relief:
            lo = mid
        else:
            hi = mid
    return math.sqrt(lo * hi)


# --- published value: Chu 2012 ----------------------------------------------------------------
def test_42_percent_potency_loss_is_a_1_724_fold_shift():
    assert m.potency_loss_to_fold_shift(0.42) == pytest.approx(1 / 0.58, rel=1e-12)
    assert m.potency_loss_to_fold_shift(0.42) == pytest.approx(1.724, abs=5e-4)
    assert m.potency_loss_to_fold_shift(0.30) == pytest.approx(1.4286, abs=1e-4)
    assert m.potency_loss_to_fold_shift(0.0) == 1.0
    assert m.fold_shift_to_potency_loss(1 / 0.58) == pytest.approx(0.42)


def test_in_the_model_a_parallel_shift_of_chu_size_needs_1_724_times_the_dose():
    # A property of the illustrative model (parallel shift, Emax unchanged), not a clinical
    # finding: Chu 2012 measured remifentanil's potency in a laboratory test, not oral doses.
    fold = m.potency_loss_to_fold_shift(m.CHU2012_REMIFENTANIL_POTENCY_LOSS)
    for dose in (20.0, 60.0, m.CHU2012_MORPHINE_MG_PER_DAY, 150.0):
        target = m.relief_fraction(dose, m.ED50_MG_PER_DAY)
        needed = bisect_dose(target, m.ED50_MG_PER_DAY * fold)
        assert needed / dose == pytest.approx(1.724, rel=1e-3)
        assert m.dose_for_relief(target, m.ED50_MG_PER_DAY * fold) == pytest.approx(needed, rel=1e-6)


def test_illustrative_rate_gives_a_shift_of_chu_size_after_one_month():
    ed50 = m.ed50_after(m.CHU2012_WEEKS, 40.0, m.ILLUSTRATIVE_TOLERANCE_RATE_PER_WEEK)
    assert ed50 / 40.0 == pytest.approx(1.724, rel=1e-3)


# --- the Emax model -----------------------------------------------------------------------------
def test_emax_model_known_points():
    assert m.relief_fraction(0.0) == 0.0
    assert m.relief_fraction(40.0, 40.0, emax=0.8) == pytest.approx(0.4)  # half of Emax at ED50
    assert m.relief_fraction(1e9) == pytest.approx(m.EMAX, rel=1e-6)
    assert m.pain_left_nrs(0.0) == pytest.approx(m.BASELINE_PAIN_NRS)
    assert m.pain_left_nrs(40.0) == pytest.approx(m.BASELINE_PAIN_NRS * (1 - m.EMAX / 2))


def test_relief_increases_with_dose_and_ed50_never_falls_with_weeks():
    doses = np.geomspace(0.5, 1000, 300)
    for ed50, hill in ((10, 0.8), (40, 1.5), (120, 3.0)):
        assert np.all(np.diff(m.relief_fraction(doses, ed50, hill=hill)) > 0)
    weeks = np.linspace(0, 104, 200)
    for rate in (0.0, 0.05, 0.3):
        assert np.all(np.diff(m.ed50_after(weeks, 40.0, rate)) >= 0)
    assert np.all(np.diff(m.ed50_after(weeks, 40.0, 0.1)) > 0)
    grid = np.linspace(0, 400, 50)
    assert np.all(np.diff(m.oih_sensitivity(grid, 12, 0.7)) > 0)
    assert np.all(np.diff(m.oih_sensitivity(150, weeks, 0.7)) > 0)


def test_tolerance_moves_the_curve_right_without_changing_its_floor():
    start = m.pain_left_nrs(DOSE_GRID_MG_PER_DAY, 0)
    later = m.pain_left_nrs(DOSE_GRID_MG_PER_DAY, 20, tolerance_rate_per_week=0.1)
    assert np.all(later >= start - 1e-12)
    assert np.all(np.diff(later) < 0)  # still falls with every dose increase
    assert m.pain_left_nrs(1e7, 20, tolerance_rate_per_week=0.1) == pytest.approx(
        m.pain_left_nrs(1e7, 0), rel=1e-3)  # same maximum effect, just further right


@pytest.mark.parametrize("weeks", [4, 12, 52])
@pytest.mark.parametrize("dose", [20, 60, 150, 300])
def test_with_tolerance_alone_a_dose_increase_lowers_pain(weeks, dose):
    kwargs = dict(tolerance_rate_per_week=0.15, oih_strength_at_100mg=0.0)
    assert m.pain_left_nrs(dose * 1.25, weeks, **kwargs) < m.pain_left_nrs(dose, weeks, **kwargs)


@pytest.mark.parametrize("dose", [120, 150, 180])
def test_with_oih_dominant_a_dose_increase_raises_pain(dose):
    kwargs = dict(tolerance_rate_per_week=0.02, oih_strength_at_100mg=0.7)
    before = m.pain_left_nrs(dose, 24, **kwargs)
    after = m.pain_left_nrs(dose * 1.25, 24, **kwargs)
    assert after > before + 0.3


def test_oih_curve_has_a_best_dose_and_tolerance_curve_does_not():
    oih = m.pain_left_nrs(DOSE_GRID_MG_PER_DAY, 24, tolerance_rate_per_week=0.02,
                          oih_strength_at_100mg=0.7)
    best = int(np.argmin(oih))
    assert 0 < best < len(oih) - 1
    assert 30 < DOSE_GRID_MG_PER_DAY[best] < 150
    tolerance = m.pain_left_nrs(DOSE_GRID_MG_PER_DAY, 24, tolerance_rate_per_week=0.1)
    assert int(np.argmin(tolerance)) == len(tolerance) - 1


# --- validation --------------------------------------------------------------------------------
@pytest.mark.parametrize("call, name", [
    (lambda: m.relief_fraction(-1.0), "dose_mg_per_day"),
    (lambda: m.relief_fraction(float("nan")), "dose_mg_per_day"),
    (lambda: m.relief_fraction("lots"), "dose_mg_per_day"),
    (lambda: m.relief_fraction(10.0, 0.0), "ed50_mg_per_day"),
    (lambda: m.relief_fraction(10.0, -5.0), "ed50_mg_per_day"),
    (lambda: m.relief_fraction(10.0, float("nan")), "ed50_mg_per_day"),
    (lambda: m.relief_fraction(10.0, emax=1.5), "emax"),
    (lambda: m.relief_fraction(10.0, hill=0), "hill"),
    (lambda: m.relief_fraction([10.0, -1.0]), "dose_mg_per_day"),
    (lambda: m.ed50_after(-1.0), "weeks"),
    (lambda: m.ed50_after(float("nan")), "weeks"),
    (lambda: m.ed50_after(4.0, 40.0, -0.1), "tolerance_rate_per_week"),
    (lambda: m.oih_sensitivity(100.0, 4.0, -0.5), "oih_strength_at_100mg"),
    (lambda: m.oih_sensitivity(100.0, 4.0, 0.5, 0.0), "oih_onset_weeks"),
    (lambda: m.pain_left_nrs(60.0, -2.0), "weeks"),
    (lambda: m.pain_left_nrs(60.0, baseline_pain_nrs=11.0), "baseline_pain_nrs"),
    (lambda: m.pain_left_nrs(float("inf")), "dose_mg_per_day"),
    (lambda: m.potency_loss_to_fold_shift(1.0), "potency_loss_fraction"),
    (lambda: m.potency_loss_to_fold_shift(42), "potency_loss_fraction"),
    (lambda: m.potency_loss_to_fold_shift(-0.1), "potency_loss_fraction"),
    (lambda: m.potency_loss_to_fold_shift(float("nan")), "potency_loss_fraction"),
    (lambda: m.dose_for_relief(0.9, emax=0.8), "relief"),
    (lambda: m.weekly_trajectory("tolerance", -1.0), "dose_change_fraction"),
    (lambda: m.weekly_trajectory("tolerance", float("nan")), "dose_change_fraction"),
    (lambda: m.weekly_trajectory("tolerence"), "scenario"),
    (lambda: m.weekly_trajectory("tolerance", change_week=30, weeks_total=20), "change_week"),
    (lambda: m.weekly_trajectory("tolerance", weeks_total=-1), "weeks_total"),
    (lambda: m.weekly_trajectory("tolerance", weeks_total=20.5), "weeks_total"),
    (lambda: m.scenario_parameters("oih", dose_mg_per_day=-10), "dose_mg_per_day"),
    (lambda: m.scenario_parameters("oih", prior_weeks=-1), "prior_weeks"),
    (lambda: m.scenario_parameters("tolerance", ed50_mg_per_day=0), "ed50_mg_per_day"),
    (lambda: m.vignette_trajectory(9), "number"),
])
def test_bad_parameters_raise_value_error_naming_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


# --- weekly trajectories: the four patterns ----------------------------------------------------
CHANGE = 8


def response(scenario, change):
    kept = m.weekly_trajectory(scenario, 0.0, change_week=CHANGE)
    changed = m.weekly_trajectory(scenario, change, change_week=CHANGE)
    return kept, changed


def weeks_to_regain(trajectory, level):
    """Weeks after the change until pain is back at or above ``level`` (inf if never)."""
    after = np.nonzero(trajectory.pain_nrs[CHANGE:] >= level - 1e-9)[0]
    return float(after[0]) if after.size else math.inf


def classify_response_to_increase(scenario) -> str:
    """What a dose increase of 50% does, read off the trajectory the way a clinician would."""
    kept, raised = response(scenario, 0.5)
    before = raised.pain_nrs[CHANGE - 1]
    soon = raised.mean_pain(CHANGE + 1, CHANGE + 3)
    if soon > before + 0.3:
        return "worse"
    regain = weeks_to_regain(raised, before)
    slope_before = (kept.pain_nrs[CHANGE - 1] - kept.pain_nrs[0]) / (CHANGE - 1)
    if slope_before < 0.01 and math.isinf(regain):
        return "better, and stays better"       # a stable patient (withdrawal scenario)
    return "better for a short while" if regain <= 8 else "better for months"


def test_scenarios_are_told_apart_by_their_response_to_a_dose_increase():
    responses = {s: classify_response_to_increase(s) for s in m.SCENARIOS}
    assert responses == {
        "tolerance": "better for months",
        "oih": "worse",
        "disease-progression": "better for a short while",
        "withdrawal": "better, and stays better",
    }


def test_tolerance_trajectory_increase_helps_and_taper_hurts():
    kept, raised = response("tolerance", 0.25)
    assert raised.mean_pain(CHANGE, CHANGE + 4) < kept.pain_nrs[CHANGE - 1]
    assert np.all(raised.pain_nrs[CHANGE:] < kept.pain_nrs[CHANGE:])
    _, tapered = response("tolerance", -0.25)
    assert tapered.mean_pain(CHANGE + 4, 20) > kept.mean_pain(CHANGE + 4, 20) + 0.2


def test_oih_trajectory_increase_hurts_and_taper_helps_after_the_first_weeks():
    kept, raised = response("oih", 0.25)
    assert raised.mean_pain(CHANGE + 1, CHANGE + 4) > kept.pain_nrs[CHANGE - 1] + 0.5
    assert np.all(raised.pain_nrs[CHANGE + 1:] > kept.pain_nrs[CHANGE + 1:])
    _, tapered = response("oih", -0.25)
    assert tapered.pain_nrs[CHANGE] > kept.pain_nrs[CHANGE]  # withdrawal and lost relief first
    assert tapered.mean_pain(CHANGE + 3, 20) < kept.mean_pain(CHANGE + 3, 20) - 0.2


def test_withdrawal_after_a_cut_is_a_transient_that_settles():
    kept, cut = response("withdrawal", -1 / 3)
    spike = cut.pain_nrs[CHANGE] - kept.pain_nrs[CHANGE]
    assert spike > 1.0
    assert cut.withdrawal_nrs[CHANGE + 4] < 0.1 * cut.withdrawal_nrs[CHANGE]
    assert cut.pain_nrs[CHANGE + 6] - kept.pain_nrs[CHANGE + 6] < 0.4 * spike
    assert np.all(np.diff(cut.pain_nrs[CHANGE:]) <= 1e-12)  # only settles after the peak
    assert not np.any(m.weekly_trajectory("withdrawal", 0.5).withdrawal_nrs)  # no cut, none


def test_disease_progression_keeps_rising_whatever_the_dose():
    kept, raised = response("disease-progression", 0.5)
    slope_before = np.polyfit(range(CHANGE), kept.pain_nrs[:CHANGE], 1)[0]
    slope_after = np.polyfit(range(CHANGE, 21), raised.pain_nrs[CHANGE:], 1)[0]
    assert slope_before > 0.08 and slope_after > 0.08
    assert raised.pain_nrs[CHANGE] < raised.pain_nrs[CHANGE - 1]


def test_trajectory_shapes_and_dose_steps():
    t = m.weekly_trajectory("oih", 0.5, change_week=5, weeks_total=12)
    assert t.week.tolist() == list(range(13))
    assert np.all(t.dose_mg_per_day[:5] == 120) and np.all(t.dose_mg_per_day[5:] == 180)
    assert np.all((t.pain_nrs >= 0) & (t.pain_nrs <= 10))
    same = m.weekly_trajectory("oih", 0.0)
    assert np.all(np.diff(same.dose_mg_per_day) == 0)


# --- quiz vignettes ----------------------------------------------------------------------------
# The quiz's answer key: vignette -> pattern (the quiz source holds the same key).
VIGNETTE_KEY = {1: "tolerance", 2: "oih", 3: "disease-progression", 4: "withdrawal"}


def test_quiz_vignettes_show_the_pattern_of_their_answer():
    for number, pattern in VIGNETTE_KEY.items():
        t = m.vignette_trajectory(number)
        before = t.pain_nrs[CHANGE - 1]
        change = m.VIGNETTES[number]["dose_change_fraction"]
        if pattern == "oih":
            assert change > 0 and t.mean_pain(CHANGE + 1, CHANGE + 3) > before + 0.5
        elif pattern == "withdrawal":
            assert change < 0 and t.pain_nrs[CHANGE] > before + 1.5
            assert t.pain_nrs[-1] < t.pain_nrs[CHANGE] - 1.0
        else:
            assert change > 0 and t.pain_nrs[CHANGE] < before
            regain = weeks_to_regain(t, before)
            assert (regain <= 8) if pattern == "disease-progression" else (regain > 8)


def test_vignette_stories_give_the_clinical_clues():
    stories = {n: story.lower() for n, story in
               lesson_content("02-tolerance-vs-oih")["vignettes"].items()}
    assert set(stories) == set(m.VIGNETTES)
    assert "same" in stories[1] and "new" not in stories[1].replace("no new", "")
    assert "spread" in stories[2] and "touch" in stories[2]
    assert "new" in stories[3] and "cancer" in stories[3]
    assert "reduced" in stories[4] and "yawning" in stories[4]
    for story in stories.values():
        assert "week 8" in story  # the week of the dose change in every plot


def test_show_vignette_is_light_under_nbgrader(under_nbgrader, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, raw=False: shown.append(obj))
    show_vignette(2)
    assert len(shown) == 1 and "Patient 2" in shown[0]["text/plain"]
    assert not any("plotly" in key for key in shown[0])


def test_show_vignette_outside_nbgrader_shows_story_plot_and_description(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, raw=False: shown.append(obj))
    show_vignette(4)
    assert len(shown) == 3
    figure = shown[1]["application/vnd.plotly.v1+json"]
    json.dumps(figure)  # serialisable as sent to the front end
    assert "What the plot shows" in shown[2]["text/plain"]
    with pytest.raises(ValueError, match="patient"):
        show_vignette(7)


def test_importing_the_vignette_helper_does_not_import_plotly_or_ipywidgets():
    code = ("import sys, painlab.widgets.opioid_response, painlab.quiz; "
            "print(any(m.split('.')[0] in ('plotly', 'ipywidgets') for m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"


def test_vignette_figure_has_units_and_both_axes():
    fig = vignette_figure(1)
    assert "mg/day" in fig.layout.yaxis2.title.text
    assert "0-10" in fig.layout.yaxis.title.text
    assert fig.data[0].line.dash != fig.data[1].line.dash


# --- figures -----------------------------------------------------------------------------------
def test_dose_response_figure_styles_and_update():
    fig = dose_response_base()
    start, now = fig.data[0], fig.data[1]
    assert start.line.color != now.line.color and start.line.dash != now.line.dash
    assert fig.data[2].marker.symbol != fig.data[3].marker.symbol
    assert "mg/day" in fig.layout.xaxis.title.text and "0-10" in fig.layout.yaxis.title.text
    update = dose_response_update(20, 0.1, 0.0, 60, log_axis=True)
    apply_update(fig, update)
    assert fig.data[3].y[0] == pytest.approx(m.pain_left_nrs(60, 20, tolerance_rate_per_week=0.1))
    assert fig.layout.xaxis.type == "log"
    apply_update(fig, dose_response_update(20, 0.1, 0.0, 60, log_axis=False))
    assert fig.layout.xaxis.type == "linear"
    assert "illustrative" in fig.layout.title.text


def test_escalate_panels_follow_the_choice():
    fig = escalate_or_taper_base()
    assert len(fig.data) == 6
    apply_update(fig, escalate_or_taper_update("increase 50%"))
    tolerance_kept, tolerance_raised, oih_kept, oih_raised = (np.array(fig.data[i].y)
                                                              for i in range(4))
    assert tolerance_raised[12] < tolerance_kept[12]
    assert oih_raised[12] > oih_kept[12]
    with pytest.raises(ValueError, match="dose_change"):
        escalate_or_taper_update("double it")


def test_synapse_states_mark_parts_with_lines_and_words():
    fig = synapse_base()
    for state, marks in MECHANISM_STATES.items():
        assert set(marks) <= set(SYNAPSE_PARTS)
        update = synapse_update(state)
        apply_update(fig, update)
        labels = " ".join(fig.data[-1].text).replace("<br>", " ")
        for _kind, label in marks.values():
            assert label in labels
        overlays = fig.data[len(SYNAPSE_PARTS):len(SYNAPSE_PARTS) + 3]
        assert {o.line.dash for o in overlays} == {None, "dash", "dot"}  # not colour alone
    assert "up-regulated" in " ".join(label for _, label in MECHANISM_STATES["OIH"].values())
    assert "active" in MECHANISM_STATES["acute opioid"]["mor"][1]
    with pytest.raises(ValueError, match="state"):
        synapse_update("addiction")


# --- diagrams ----------------------------------------------------------------------------------
# Every registered diagram's live update and static fallback: tests/unit/test_diagram.py.


def test_descriptions_give_the_numbers():
    text = describe_dose_response(12, 0.08, 0.0, 60)
    ed50 = m.ed50_after(12, 40, 0.08)
    assert f"{ed50:.0f} mg/day" in text and "tolerance alone" in text and "ILLUSTRATIVE" not in text
    assert "illustrative" in text
    text = describe_dose_response(24, 0.02, 0.7, 150)
    assert "more opioid leaves more pain" in text
    assert "taper" in describe_escalate_or_taper("taper 25%")
    assert "makes OIH worse" in describe_escalate_or_taper("increase 50%")
    for state in MECHANISM_STATES:
        assert "evidence" in describe_mechanism(state).lower() or "animal" in describe_mechanism(state)


def test_mechanism_texts_cite_keys_in_the_bibliography_and_name_the_evidence_level():
    references = load_references()
    for state, text in MECHANISM_TEXT.items():
        keys = CITATION.findall(" ".join(re.findall(r"\[(@[^\]]+)\]", text)))
        assert keys, state
        missing = [k for k in keys if k not in references]
        assert not missing, f"{state} cites unknown keys {missing}"
        assert re.search(r"animal|in vitro|human|trial|meta-analysis", text), state
    assert "weaker than often told" in MECHANISM_TEXT["OIH"]


# --- self-checks -------------------------------------------------------------------------------
CHECKS = load_checks("02-tolerance-vs-oih")


def test_between_four_and_eight_self_checks_with_the_right_ids():
    # at least four (the lesson standard); at most eight, so that checks do not crowd the text
    assert 4 <= len(CHECKS) <= 8
    assert all(qid.startswith("02-tolerance-vs-oih/") for qid in CHECKS)


@pytest.mark.parametrize("qid", sorted(CHECKS))
def test_self_check_right_answer_is_right_and_each_wrong_option_says_why(qid):
    question = CHECKS[qid]
    if question["kind"] == "number":
        assert evaluate(question, question["answer"]).correct
        assert not evaluate(question, 1.42).correct
        assert not evaluate(question, "1.72").correct  # a string is a form error
        return
    options = question["options"]
    right = [o for o in options if o.get("correct")]
    wrong = [o for o in options if not o.get("correct")]
    assert right and wrong
    for option in options:
        assert option["why"].strip()
    if question["kind"] == "choice":
        for option in right:
            assert evaluate(question, option["label"]).correct
        for option in wrong:
            feedback = evaluate(question, option["label"])
            assert not feedback.correct
            assert option["why"].strip() in feedback.message
    else:
        labels = {o["label"] for o in right}
        assert evaluate(question, labels).correct
        for option in wrong:
            feedback = evaluate(question, labels | {option["label"]})
            assert not feedback.correct and option["why"].strip() in feedback.message
        for option in right:
            feedback = evaluate(question, (labels - {option["label"]}) or {wrong[0]["label"]})
            assert not feedback.correct and option["why"].strip() in feedback.message


def test_self_checks_cite_keys_in_the_bibliography():
    references = load_references()
    text = json.dumps(CHECKS)
    keys = set(CITATION.findall(" ".join(re.findall(r"\[(@[^\]]+)\]", text))))
    assert keys
    assert not keys - set(references), keys - set(references)
