"""Lesson 03: the NMDA gating model (Mg2+ block pinned to Jahr & Stevens 1990), ketamine's
use-dependent block, the plasma model (pinned to Kamp 2020 and Yanagihara 2003), trial arithmetic
(pinned to Hardy 2012), and the two diagrams. What the lesson says about them is pinned here, so a
change to a model that breaks the lesson's text fails a test."""

import math

import numpy as np
import pytest

from painlab.figures.base import apply_update
from painlab.figures.nmda_ketamine import (
    gating_base,
    gating_update,
    infusion_base,
    infusion_update,
    windup_base,
    windup_update,
)
from painlab.models import nmda_ketamine as m
from painlab.quiz import evaluate, load_checks
from painlab.widgets.nmda_ketamine import (
    describe_gating,
    describe_infusion,
    describe_windup,
    ketamine_infusion_model,
    nmda_gating_simulator,
    wind_up_diagram,
)


# --- Jahr & Stevens (1990) ---------------------------------------------------------------------
def test_mg_block_constants_are_jahr_and_stevens():
    assert m.JS_MG_HALF_MM == 3.57
    assert m.JS_SLOPE_PER_MV == 0.062


def test_unblocked_fraction_at_minus_60_mV_and_1_mM_is_8_percent():
    expected = 1 / (1 + (1 / 3.57) * math.exp(0.062 * 60))
    assert m.mg_unblocked_fraction(-60, 1.0) == pytest.approx(expected, rel=1e-12)
    assert m.mg_unblocked_fraction(-60, 1.0) == pytest.approx(0.0796, abs=5e-4)


@pytest.mark.parametrize("voltage,mg,expected", [
    (-40, 1.0, 0.2302),   # the quiz's value
    (0, 1.0, 0.7812),     # half block at 0 mV needs 3.57 mM
    (0, 3.57, 0.5),
    (-80, 1.2, 0.0200),
    (-60, 0.0, 1.0),      # no Mg2+, no block
])
def test_unblocked_fraction_table(voltage, mg, expected):
    assert m.mg_unblocked_fraction(voltage, mg) == pytest.approx(expected, abs=5e-4)


def test_depolarisation_relieves_the_block():
    voltages = np.linspace(-100, 40, 50)
    fractions = m.mg_unblocked_fraction(voltages, 1.0)
    assert np.all(np.diff(fractions) > 0)
    assert fractions[0] < 0.01 and fractions[-1] > 0.9


def test_negative_mg_is_named():
    with pytest.raises(ValueError, match="mg_mM"):
        m.mg_unblocked_fraction(-60, -1)


# --- co-agonists, current, ketamine --------------------------------------------------------------
def test_both_co_agonists_are_needed():
    assert m.open_fraction(100, 0) == 0.0
    assert m.open_fraction(0, 30) == 0.0
    assert m.open_fraction(10, 10) > 0.85
    assert m.nmda_current_pA(40, 100, 0, 0.0) == 0.0


def test_current_reverses_at_0_mV_and_is_inward_below():
    assert m.nmda_current_pA(0, 10, 10, 1.0) == 0.0
    assert m.nmda_current_pA(-30, 10, 10, 1.0) < 0 < m.nmda_current_pA(30, 10, 10, 1.0)


def test_iv_curve_with_mg_has_a_region_of_negative_slope():
    v = np.linspace(-100, 0, 101)
    current = m.nmda_current_pA(v, 10, 10, 1.0)
    most_inward = v[np.argmin(current)]
    assert -40 < most_inward < -15   # current grows as depolarisation relieves the block


def test_ketamine_block_is_use_dependent_and_saturates_at_steady_state():
    assert m.ketamine_steady_block(m.KETAMINE_IC50_UM) == pytest.approx(0.5)
    closed = m.ketamine_block_by_activation(2.0, 0.0)
    assert np.all(closed == 0.0)                     # no opening, no block
    opening = m.ketamine_block_by_activation(2.0, 0.9)
    assert opening[0] == 0.0 and np.all(np.diff(opening) > 0)
    assert opening[-1] == pytest.approx(m.ketamine_steady_block(2.0), rel=0.01)
    rarely = m.ketamine_block_by_activation(2.0, 0.1)
    assert rarely[5] < opening[5] / 2                # fewer openings, slower block


def test_orser_range_for_the_illustrative_ic50():
    # Orser 1997: 1 uM ketamine left 24% (cell-attached) to 63% (outside-out) of channel opening.
    left = 1 - m.ketamine_steady_block(1.0)
    assert 0.24 <= left <= 0.63


def test_default_state_matches_the_lesson():
    state = m.GatingState(-60, 10, 10, 1.0, 0.5)
    assert state.mg_unblocked == pytest.approx(0.0796, abs=5e-4)
    assert state.ketamine_blocked == pytest.approx(1 / 3, abs=0.01)
    assert state.current_pA == pytest.approx(-2.8, abs=0.05)
    assert state.current_without_mg_pA == pytest.approx(-53.4, abs=0.1)


# --- plasma model ---------------------------------------------------------------------------------
def test_clearance_and_volume_are_kamp_2020():
    p = m.scaled_parameters(70)
    assert p["cl"] == 79.0
    assert p["v1"] + p["v2"] == pytest.approx(252.0)


def test_terminal_half_life_is_in_the_reported_range():
    distribution, terminal = m.half_lives_h()
    assert 2.0 <= terminal <= 3.5      # ~2-3 h reported; IV t1/2beta ~120 min (Yanagihara 2003)
    assert distribution < 0.25


def test_auc_of_a_bolus_is_dose_over_clearance():
    regimen = m.Regimen("test", "", hours=48.0, bolus_mg_per_kg=1.0)
    t, conc = m.concentration_profile(regimen, 70)
    auc_mg_h_per_l = np.trapezoid(conc, t) / 1000
    assert auc_mg_h_per_l == pytest.approx(70 / 79, rel=0.02)


def test_oral_auc_reflects_20_percent_bioavailability():
    regimen = m.Regimen("test", "", hours=48.0, oral_mg_per_kg=((0.0, 1.0),))
    t, conc = m.concentration_profile(regimen, 70)
    assert np.trapezoid(conc, t) / 1000 == pytest.approx(0.20 * 70 / 79, rel=0.02)


def test_infusion_approaches_rate_over_clearance():
    regimen = m.Regimen("test", "", hours=30.0, infusion_mg_per_h=((0.0, 30.0, 20.0),))
    _t, conc = m.concentration_profile(regimen, 70)
    assert conc[-1] == pytest.approx(m.steady_state_ng_per_ml(20.0), rel=0.02)
    assert m.steady_state_ng_per_ml(20.0) == pytest.approx(253.2, abs=0.1)
    assert m.steady_state_ng_per_ml(10.0) == pytest.approx(126.6, abs=0.1)   # the quiz's value


def test_linear_kinetics_scale_with_dose():
    regimen = m.REGIMENS["IV infusion"]
    _t, full = m.concentration_profile(regimen, 70, 1.0)
    _t, half = m.concentration_profile(regimen, 70, 0.5)
    assert np.allclose(half, full / 2)


def test_regimen_numbers_the_lesson_quotes():
    peaks = {name: m.concentration_profile(r)[1].max() for name, r in m.REGIMENS.items()}
    assert peaks["IV bolus"] == pytest.approx(150, abs=2)        # 0.15 mg/kg x 70 kg / 70 L
    assert peaks["IV anaesthetic dose"] == pytest.approx(2000, abs=5)
    assert 200 < peaks["IV infusion"] < 240
    assert 20 < peaks["oral"] < 45                               # Zanos table: 45 +/- 10 ng/mL
    assert 250 < peaks["SC (Hardy 2012)"] < 275
    # the mu-opioid Ki is far above every sub-anaesthetic peak
    mu = float(m.um_to_ng_per_ml(m.HIROTA1999_MU_KI_UM))
    assert mu == pytest.approx(9983, abs=1)
    assert mu / peaks["IV infusion"] > 40


def test_bands_overlap_analgesia_and_psychedelic_effects():
    low_a, high_a = m.BANDS_NG_PER_ML["analgesic"]
    low_p, high_p = m.BANDS_NG_PER_ML["psychedelic"]
    assert low_p < low_a < high_a < high_p


def test_bad_inputs_are_named():
    with pytest.raises(ValueError, match="weight_kg"):
        m.scaled_parameters(0)
    with pytest.raises(ValueError, match="dose_scale"):
        m.concentration_profile(m.REGIMENS["oral"], 70, -1)
    with pytest.raises(ValueError, match="regimen"):
        infusion_update("rectal", 70, 100)


# --- trial arithmetic: Hardy 2012 -------------------------------------------------------------------
def test_hardy_2012_nnt_25_with_ci_from_6_to_infinity():
    hardy = m.TwoArms(29, 93, 25, 92)
    assert hardy.difference == pytest.approx(0.040, abs=0.001)
    assert hardy.number_needed == pytest.approx(25, abs=0.5)
    low, high = hardy.difference_ci
    assert low < 0 < high
    assert 1 / high == pytest.approx(6, abs=0.5)   # Hardy: NNT 25 (95% CI six to infinity)
    assert hardy.number_needed_text() == "NNTB 25 (95% CI NNTB 6 to infinity to NNTH 11)"


def test_sigtermans_nnh_about_2():
    # 76% vs 18% psychotomimetic effects: NNH = 1/0.58 = 1.7, i.e. about 2.
    assert 1 / (0.76 - 0.18) == pytest.approx(1.72, abs=0.01)


def test_two_arms_rejects_impossible_counts():
    with pytest.raises(ValueError, match="events_treatment"):
        m.TwoArms(10, 5, 1, 5)


# --- figures and diagrams ---------------------------------------------------------------------------
def test_gating_figure_updates_and_validates():
    fig = apply_update(gating_base(), gating_update(-40, 10, 10, 1.0, 2.0))
    assert len(fig.data) == 6
    assert fig.data[3].y[0] == pytest.approx(m.GatingState(-40, 10, 10, 1.0, 2.0).current_pA)
    assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text
    dashes = {trace.line.dash for trace in fig.data if trace.mode and "lines" in trace.mode}
    assert len(dashes) >= 3   # never colour alone


def test_infusion_figure_updates_and_validates():
    fig = apply_update(infusion_base(), infusion_update("SC (Hardy 2012)", 70, 100))
    assert fig.layout.yaxis.type == "log"
    assert max(fig.data[0].x) == pytest.approx(72.0, abs=0.2)
    assert "Hardy" not in fig.data[0].name and "subcutaneous" in fig.data[0].name
    assert len(fig.layout.shapes) == 7 and len(fig.layout.annotations) == 5


def test_descriptions_follow_the_controls():
    closed = describe_gating(-60, 0, 10, 1.0, 1.0)
    assert "stays shut" in closed and "glutamate" in closed
    assert "8.0%" in describe_gating(-60, 10, 10, 1.0, 0.5)
    text = describe_infusion("IV bolus", 70, 100)
    assert "150 ng/mL" in text and "mu-opioid" in text
    assert "anaesthetic induction" in describe_infusion("IV anaesthetic dose", 70, 100)


@pytest.mark.parametrize("factory", [nmda_gating_simulator, ketamine_infusion_model])
def test_diagrams_render_static_fallback_under_nbgrader(factory, under_nbgrader):
    diagram = factory()
    bundle = diagram._repr_mimebundle_()
    assert "What the diagram shows" in bundle["text/html"]
    assert "application/vnd.jupyter.widget-view+json" not in bundle


def test_diagram_controls_drive_the_description():
    diagram = ketamine_infusion_model()
    before = diagram.description()
    diagram.set(regimen="oral")
    assert diagram.description() != before and "oral" in diagram.description()


# --- self-checks ------------------------------------------------------------------------------------
def test_self_checks_have_feedback_for_every_option():
    checks = load_checks("03-nmda-ketamine")
    assert len(checks) >= 4
    for question in checks.values():
        if question["kind"] in ("choice", "multi"):
            for option in question["options"]:
                assert option.get("why"), (question["id"], option["label"])
        assert question.get("explanation")


def test_number_self_checks_accept_their_answer():
    for question in load_checks("03-nmda-ketamine").values():
        if question["kind"] == "number":
            assert evaluate(question, question["answer"]).correct


# --- quiz 03: the hidden tests accept the answers the answer key says they accept ----------------
def quiz_score(grade_id: str, answers: dict) -> float:
    """Run one test cell of quiz 03 (visible and hidden parts) on the given answers; returns the
    value of its last expression, the cell's partial credit."""
    import ast

    import nbformat

    from painlab import paths

    notebook = nbformat.read(paths.QUIZ_SOURCES / "03-nmda-ketamine" / "03-nmda-ketamine.ipynb",
                             as_version=4)
    source = next(c.source for c in notebook.cells
                  if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    source = "\n".join(line for line in source.splitlines() if not line.startswith("### "))
    tree = ast.parse(source)
    namespace = {**answers}
    exec("from painlab.quiz import check_choice, check_choices, check_labelled, check_number, "
         "check_verdicts", namespace)
    exec(compile(ast.Module(body=tree.body[:-1], type_ignores=[]), grade_id, "exec"), namespace)
    return eval(compile(ast.Expression(tree.body[-1].value), grade_id, "eval"), namespace)


Q2_RIGHT = {"risk_difference": 0.0401, "nnt": 24.9, "nntb_bound": 5.56, "interval_meaning": "b"}


@pytest.mark.parametrize("nnh,credit", [(1.724, 1), (1.7, 1), (1.72, 1), (2, 1), (2.0, 1),
                                        (1.5, 0), (3, 0), (0.58, 0)])
def test_nnh_of_17_or_2_earns_the_point(nnh, credit):
    assert quiz_score("q2_test", {**Q2_RIGHT, "nnh": nnh}) == pytest.approx(4 + credit)


@pytest.mark.parametrize("bound,credit", [(5.56, 1), (5.6, 1), (6, 1), (1 / 0.17, 1), (10, 0)])
def test_nntb_bound_accepts_5_6_and_6(bound, credit):
    answers = {**Q2_RIGHT, "nntb_bound": bound, "nnh": 1.72}
    assert quiz_score("q2_test", answers) == pytest.approx(4 + credit)


def test_use_dependence_answer_matches_the_model():
    more_open = m.ketamine_block_by_activation(1.0, m.open_fraction(10, 10), 3)[-1]
    fewer_open = m.ketamine_block_by_activation(1.0, m.open_fraction(1, 10), 3)[-1]
    assert more_open > 1.5 * fewer_open
    answers = {"fraction_unblocked": 0.23, "conducting": {"b", "d"}, "use_dependence": "a"}
    assert quiz_score("q1_test", answers) == pytest.approx(4)


# --- wind-up: protocol and qualitative effects pinned, numbers illustrative -----------------------
def test_windup_protocol_is_dickenson_and_sullivan_1987():
    """16 stimuli at 0.5 Hz produced wind-up in rat deep dorsal-horn neurones (Neuropharmacology
    26:1235, abstract); the diagram opens on that protocol."""
    assert (m.DICKENSON1987_STIMULI, m.DICKENSON1987_FREQUENCY_HZ) == (16, 0.5)
    train = m.WindUp(0.5, 16, 0.0)
    assert train.fold_control >= 2.0               # clear wind-up
    assert np.all(np.diff(train.control) > 0)      # each response larger than the one before
    diagram = wind_up_diagram()
    assert diagram.values() == {"frequency_Hz": 0.5, "stimuli": 16, "nmda_block_percent": 0}


def test_ap5_changes_first_response_little_and_reduces_windup():
    """Dickenson & Sullivan 1987: AP5 'produced minor changes in A and C fibre inputs' but
    'reliably reduced "wind up"'; Guirimand 2000: ketamine left the single-stimulus reflex
    threshold and recruitment curve unchanged but reduced its wind-up."""
    full = m.WindUp(0.5, 16, 1.0)
    assert -0.2 < full.first_response_change < 0        # the first response changes little
    assert full.wind_up_remaining < 0.25                  # most of the wind-up is gone
    assert full.fold_blocked < 1.3
    half = m.WindUp(0.5, 16, 0.5)
    assert full.wind_up_remaining < half.wind_up_remaining < 1.0   # graded with the block


@pytest.mark.parametrize("frequency_Hz", [0.1, m.STAUD2007_NOT_SUMMATING_HZ])
def test_little_windup_when_stimuli_are_more_than_3_s_apart(frequency_Hz):
    """Second pain summated only when heat pulses came every 3 s or more often (Price 1977);
    robust summation at 0.33 Hz but not at 0.17 Hz (Staud 2007)."""
    assert 1 / frequency_Hz > m.PRICE1977_LONGEST_SUMMATING_INTERVAL_S
    assert m.WindUp(frequency_Hz, 16, 0.0).fold_control < 1.15


def test_windup_at_0_33_hz_and_rising_with_frequency():
    assert 1 / m.STAUD2007_SUMMATING_HZ == pytest.approx(m.PRICE1977_LONGEST_SUMMATING_INTERVAL_S)
    folds = [m.WindUp(f, 16, 0.0).fold_control for f in (0.1, 1 / 6, 0.2, 1 / 3, 0.5, 1.0)]
    assert folds[3] >= 1.4
    assert folds == sorted(folds)


def test_windup_model_uses_the_jahr_stevens_block():
    """Before the first stimulus the neuron is at rest and Mg2+ blocks most NMDA channels."""
    v = m.wind_up_depolarisation_mV(0.5, 16)
    assert v[0] == m.WINDUP_REST_MV
    assert np.all(np.diff(v) > 0) and v[-1] < m.WINDUP_CEILING_MV
    assert float(m.mg_unblocked_fraction(v[0], 1.0)) < 0.05


def test_windup_input_errors_name_the_parameter():
    with pytest.raises(ValueError, match="frequency_Hz"):
        m.wind_up_train(0, 16)
    with pytest.raises(ValueError, match="stimuli"):
        m.wind_up_train(0.5, 0)
    with pytest.raises(ValueError, match="nmda_block_fraction"):
        m.wind_up_train(0.5, 16, 1.5)


def test_windup_figure_is_light_and_never_colour_alone():
    fig = windup_base()
    assert len(fig.data) == 3 and "xaxis2" not in fig.layout.to_plotly_json()
    dashes = {trace.line.dash for trace in fig.data}
    assert len(dashes) == 3
    assert "(model)" in fig.layout.yaxis.title.text
    update = windup_update(0.5, 16, 50)
    assert len(update.traces[1]["y"]) == 16 and "50%" in update.traces[0]["name"]
    apply_update(fig, update)


def test_windup_description_follows_the_controls():
    default = describe_windup(0.5, 16, 0)
    assert "2.61 times the first" in default and "coincide" in default
    blocked = describe_windup(0.5, 16, 100)
    assert "13% smaller" in blocked and "12% of the wind-up remains" in blocked
    slow = describe_windup(0.1, 16, 0)
    assert "little or no wind-up" in slow
    assert "1 stimulus at" in describe_windup(0.5, 1, 0)
    for text in (default, blocked, slow):
        assert "illustrative" in text and "neither is central sensitisation" in text


def test_windup_numbers_in_what_to_notice():
    """The numbers the lesson's 'What to notice' quotes for the wind-up diagram."""
    start = m.WindUp(0.5, 16, 0.0)
    assert (round(float(start.control[0]), 1), round(float(start.control[-1]), 1)) == (13.8, 36.0)
    assert round(start.fold_control, 1) == 2.6
    assert m.WindUp(0.1, 16, 0.0).fold_control < 1.05
    assert round(m.WindUp(1 / 3, 16, 0.0).fold_control, 1) == 1.6
    full = m.WindUp(0.5, 16, 1.0)
    assert round(-full.first_response_change, 2) == 0.13
    assert round(full.wind_up_remaining, 2) == 0.12
    assert round(m.WindUp(0.5, 16, 0.5).wind_up_remaining, 2) == 0.34


@pytest.mark.parametrize("frequency_Hz,stimuli", [(2.0, 2), (1.0, 2), (0.5, 3)])
def test_windup_description_gives_the_right_reason_for_a_short_fast_train(frequency_Hz, stimuli):
    """A short train at a fast rate rises little because it is short, not because the slow
    depolarisation has faded between stimuli."""
    text = describe_windup(frequency_Hz, stimuli, 0)
    assert "too short for much summation" in text
    assert "little or no wind-up" not in text and "largely faded" not in text


def test_windup_description_rate_sentence_follows_the_interval():
    assert "little or no wind-up" in describe_windup(0.2, 16, 0)       # one every 5 s
    assert "arrives before the slow depolarisation" in describe_windup(1 / 3, 16, 0)
