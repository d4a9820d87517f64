"""The cannabinoids lesson's models, pinned to their published sources, and its diagrams."""

import math

import pytest

from painlab.figures.base import apply_update
from painlab.models import cannabinoids as model
from painlab.widgets import cannabinoids as widgets


# --- binding and occupancy (McPartland 2007; Azorlosa 1992) ------------------------------------
def test_ki_values_are_the_meta_analytic_means():
    # McPartland, Glass & Pertwee 2007, Br J Pharmacol 152:583, table of meta-analytic Ki.
    assert model.ki_nm("THC", "CB1") == 25.1
    assert model.ki_nm("THC", "CB2") == 35.2
    assert model.ki_nm("CBD", "CB1") == 2210.0 and model.KI_SPECIES[("CBD", "CB1")] == "rat"
    assert model.ki_nm("CBD", "CB2") == 2860.0
    with pytest.raises(ValueError, match="no Ki for drug 'CBN'"):
        model.ki_nm("CBN", "CB1")


def test_occupancy_is_half_at_ki_and_follows_mass_action():
    for (drug, receptor), ki in model.KI_NM.items():
        assert model.drug_occupancy(drug, receptor, ki) == pytest.approx(0.5)
        assert model.drug_occupancy(drug, receptor, 9 * ki) == pytest.approx(0.9)
        assert model.concentration_for_occupancy(0.9, ki) == pytest.approx(9 * ki)
    assert model.occupancy(0.0, 25.1) == 0.0
    with pytest.raises(ValueError, match="concentration_nm must be at least 0"):
        model.occupancy(-1.0, 25.1)
    with pytest.raises(ValueError, match="ki must be a positive"):
        model.occupancy(1.0, 0)


def test_cbd_is_50_to_80_times_weaker_than_thc_in_the_same_species():
    # McPartland 2007, table 3: THC 42.6 nM at rat CB1 (the species of CBD's only CB1 value);
    # comparing across species is what that paper warns against.
    assert model.THC_RAT_CB1_KI_NM == 42.6
    assert model.ki_nm("CBD", "CB1") / model.THC_RAT_CB1_KI_NM == pytest.approx(51.9, abs=0.1)
    assert model.ki_nm("CBD", "CB2") / model.ki_nm("THC", "CB2") == pytest.approx(81.3, abs=0.1)


def test_smoked_thc_peak_plasma_range():
    # Azorlosa et al. 1992, J Pharmacol Exp Ther 261:114: maximal plasma THC 57 to 268 ng/mL.
    assert model.THC_SMOKED_PEAK_PLASMA_NG_PER_ML == (57.0, 268.0)
    low, high = model.thc_smoked_peak_range_nm()
    assert low == pytest.approx(181, abs=1) and high == pytest.approx(852, abs=1)
    # At those (total plasma) concentrations THC would fill most CB1 sites, CBD-level Ki few.
    assert model.drug_occupancy("THC", "CB1", low) > 0.85


def test_cbd_allosteric_model_lowers_potency_and_efficacy():
    # Illustrative sizes; only the direction is sourced (Laprairie 2015).
    assert model.thc_cb1_effect(1e9) == pytest.approx(1.0, abs=1e-6)
    assert model.thc_cb1_effect(25.1) == pytest.approx(0.5)
    with_cbd = model.thc_cb1_effect(1e9, cbd_nm=1e9)
    assert with_cbd == pytest.approx(model.CBD_EFFICACY_FACTOR, abs=1e-3)
    assert model.thc_cb1_apparent_ki_nm(1e9) == pytest.approx(25.1 / model.CBD_AFFINITY_FACTOR,
                                                              rel=1e-3)
    assert model.thc_cb1_effect(200, 1000) < model.thc_cb1_effect(200, 0)
    with pytest.raises(ValueError, match="negative allosteric modulator"):
        model.thc_cb1_effect(10, 10, alpha=2.0)


# --- clinical estimates ------------------------------------------------------------------------
def test_mucke_2018_numbers_as_published():
    benefit = model.ESTIMATES["mucke-30"]
    assert (benefit.treatment_percent, benefit.control_percent) == (39, 33)
    assert benefit.risk_difference == 0.09 and benefit.risk_difference_ci == (0.03, 0.15)
    assert benefit.number_needed == 11 and benefit.number_needed_ci == (7, 33)
    assert benefit.certainty == "moderate" and benefit.status == "superseded"
    # 1/0.09 = 11.1: the review's 11 came from the unrounded difference.
    assert abs(benefit.number_needed_from_rd - benefit.number_needed) <= 1
    nervous = model.ESTIMATES["mucke-nervous"]
    assert (nervous.treatment_percent, nervous.control_percent, nervous.risk_difference) == (
        61, 29, 0.38)
    assert nervous.number_needed == 3 and nervous.number_needed_ci == (2, 6)
    psychiatric = model.ESTIMATES["mucke-psychiatric"]
    assert (psychiatric.treatment_percent, psychiatric.control_percent) == (17, 5)
    assert psychiatric.number_needed == 10 and psychiatric.number_needed_ci == (7, 16)
    assert nervous.certainty == psychiatric.certainty == "low"


def test_current_reviews_as_published():
    wang = model.ESTIMATES["wang-pain"]  # Wang 2021 BMJ: RD 10% (5-15%), moderate certainty
    assert wang.risk_difference == 0.10 and wang.risk_difference_ci == (0.05, 0.15)
    assert wang.certainty == "moderate" and wang.control_percent is None
    assert wang.number_needed == wang.number_needed_from_rd == 10
    assert wang.number_needed_ci == (math.ceil(1 / 0.15), round(1 / 0.05))
    fisher = model.ESTIMATES["fisher-nabiximols"]  # Fisher 2021: RD 0.06 (0.01-0.12), very low
    assert fisher.risk_difference == 0.06 and fisher.risk_difference_ci == (0.01, 0.12)
    assert fisher.certainty == "very low" and fisher.number_needed == 17
    johnson = model.ESTIMATES["johnson-30"]  # Johnson 2010: 43% vs 21% responders, phase 2
    assert (johnson.treatment_percent, johnson.control_percent) == (43, 21)
    assert johnson.number_needed == 5 and johnson.status == "not confirmed"


def test_icon_counts_use_the_pooled_difference():
    counts = model.icon_counts(model.ESTIMATES["mucke-30"])
    assert counts == {"anyway": 33, "because": 9, "rest": 58}
    for estimate in model.ESTIMATES.values():
        assert sum(model.icon_counts(estimate).values()) == 100


# --- cannabis laws -----------------------------------------------------------------------------
def test_law_estimates_as_published():
    # Bachhuber 2014 JAMA Intern Med 174:1668; Shover 2019 PNAS 116:12624, table 1.
    by_label = {e.label: e for e in model.LAW_ESTIMATES}
    assert by_label["Original analysis"].percent == -24.8
    assert by_label["Original analysis"].ci == (-37.5, -9.5)
    assert by_label["Replication, same years"].ci == (-35.7, -3.0)
    extension = by_label["Same model, 7 more years"]
    assert (extension.percent, extension.ci, extension.years) == (22.7, (2.0, 47.6), "1999-2017")
    assert by_label["Medical cannabis law only"].ci == (1.2, 62.4)
    assert not model.ci_excludes_zero(by_label["Recreational and medical law"])
    assert model.ci_excludes_zero(extension)
    assert max(model.LAW_STEPS.values()) == len(model.LAW_ESTIMATES)


# --- diagrams ----------------------------------------------------------------------------------
DIAGRAMS = [
    (widgets.occupancy_explorer, {"concentration_nm": 2210.0}),
    (widgets.cbd_modulation_explorer, {"cbd_nm": 5000.0}),
    (widgets.evidence_icon_array, {"outcome": "harm: nervous system"}),
    (widgets.cannabis_laws_explorer, {"step": "by type of law (2019)"}),
]


@pytest.mark.parametrize("factory,change", DIAGRAMS, ids=lambda x: getattr(x, "__name__", ""))
def test_every_diagram_builds_updates_and_describes(factory, change):
    diagram = factory()
    before = diagram.description()
    figure = diagram.static_figure()
    assert figure.layout.title.text and figure.layout.xaxis.title.text
    diagram.set(**change)
    assert diagram.description() != before
    apply_update(figure, diagram._update(**diagram.values()))  # plotly validates the update


def test_descriptions_carry_the_numbers():
    assert "CBD at CB1 50%" in widgets.describe_occupancy(2210.0)
    assert "NNTH 3 (95% CI 2 to 6)" in widgets.describe_icons("harm: nervous system")
    assert "+22.7% (95% CI +2.0 to +47.6" in widgets.describe_laws("to 2017 (2019)")
    assert "illustrative" in widgets.describe_modulation(1000).lower()


def test_modulation_description_without_cbd_compares_nothing_with_itself():
    """At 0 nM CBD the old text read "Ki is 25 nM instead of 25.1 nM ... 100% instead of 100%"."""
    text = widgets.describe_modulation(0)
    assert "instead of" not in text and "coincide" in text and "25.1 nM" in text
    assert "instead of 25.1 nM" in widgets.describe_modulation(1000)
