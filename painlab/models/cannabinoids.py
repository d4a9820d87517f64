"""Cannabinoid receptor occupancy, CBD's allosteric effect at CB1, the clinical evidence as absolute
effects, and the published estimates linking medical cannabis laws to opioid deaths.

What comes from data and what does not
--------------------------------------
- **Binding constants (sourced).** Meta-analytic Ki values (McPartland, Glass & Pertwee 2007, Br J
  Pharmacol 152:583, doi:10.1038/sj.bjp.0707399, table 3): THC 25.1 nM at human CB1, 42.6 nM at
  rat CB1 and 35.2 nM at human CB2; CBD 2210 nM at *rat* CB1 (n = 6 studies; no value for human
  CB1) and 2860 nM at human CB2 (n = 1). Compare CBD with THC within one species: about 52-fold
  at rat CB1 and 81-fold at human CB2. The authors warn
  that sensitivity analyses did not support the numerical validity of the CBD values, so the CBD
  curves show an order of magnitude, not a measurement.
- **Occupancy (standard pharmacology).** At equilibrium, a ligand at free concentration C occupies
  the fraction C / (C + Ki) of its receptors (law of mass action, one site, no other ligand).
  Occupancy is not effect: THC is a *partial* agonist, whose effect depends on receptor density,
  coupling and endocannabinoid tone (Pertwee 2008, Br J Pharmacol 153:199).
- **Concentrations reached (sourced, with a caveat).** Peak *total plasma* THC right after smoking
  marijuana cigarettes (1.75% or 3.55% THC, 4 to 25 puffs) ranged from 57 to 268 ng/mL in seven
  men (Azorlosa et al. 1992, J Pharmacol Exp Ther 261:114). Converted with THC's molar mass
  (314.5 g/mol) that is about 180-850 nM. Plasma concentration is not the free concentration at a
  receptor in the spinal cord or brain, which these data do not give. We found no verified
  concentration for CBD at typical doses, so none is drawn.
- **CBD as a negative allosteric modulator at CB1 (ILLUSTRATIVE).** Laprairie et al. 2015 (Br J
  Pharmacol 172:4790) showed in cells that CBD lowers the potency *and* the efficacy of THC and
  2-AG at CB1, non-competitively. The curves here use two saturable factors, a simplified
  allosteric model: CBD fills the fraction f = B / (B + K_B) of allosteric sites; THC's affinity
  is multiplied by (1 - f + alpha f) and its maximal effect by (1 - f + beta f). The values
  K_B = 1 uM, alpha = 0.3 and beta = 0.5 are CHOSEN to show the shape; they are not fitted to
  Laprairie's data, and the form ignores receptor reserve.
- **Clinical estimates (sourced).** Each ``EvidenceEstimate`` carries its review, outcome, event
  rates, pooled risk difference, number needed and GRADE certainty as published (see
  ``ESTIMATES``). The Mücke 2018 Cochrane figures are superseded by Ates 2026 (CD012182.pub3),
  which found no high-quality evidence of benefit and gave no estimate we could verify: they are
  kept as history and labelled so.
- **Medical cannabis laws and opioid deaths (sourced).** Percentage differences in state opioid
  overdose death rates (95% CI) from Bachhuber et al. 2014 (JAMA Intern Med 174:1668) and Shover
  et al. 2019 (PNAS 116:12624, table 1).
"""

import math
from dataclasses import dataclass

import numpy as np

# --- binding constants (McPartland 2007, meta-analytic means) ---------------------------------
KI_NM = {
    ("THC", "CB1"): 25.1,    # human CB1
    ("THC", "CB2"): 35.2,    # human CB2
    ("CBD", "CB1"): 2210.0,  # rat CB1, n = 6; numerical validity not supported (authors)
    ("CBD", "CB2"): 2860.0,  # human CB2, n = 1; numerical validity not supported (authors)
}
KI_SPECIES = {("THC", "CB1"): "human", ("THC", "CB2"): "human", ("CBD", "CB1"): "rat",
              ("CBD", "CB2"): "human"}
KI_SOURCE = "McPartland 2007"
# THC at *rat* CB1 (n = 18), significantly weaker than at human CB1 (P = 0.010): the species that
# CBD's only meta-analytic CB1 value comes from. No meta-analytic CBD Ki exists for human CB1.
THC_RAT_CB1_KI_NM = 42.6

# --- concentrations reached (Azorlosa 1992) -----------------------------------------------------
THC_MOLAR_MASS_G_PER_MOL = 314.5
THC_SMOKED_PEAK_PLASMA_NG_PER_ML = (57.0, 268.0)  # range of peak total plasma THC after smoking

# --- CBD at CB1: ILLUSTRATIVE allosteric parameters --------------------------------------------
CBD_KB_NM = 1000.0       # allosteric dissociation constant (chosen, not fitted)
CBD_AFFINITY_FACTOR = 0.3  # alpha: THC affinity x alpha when the allosteric site is full (chosen)
CBD_EFFICACY_FACTOR = 0.5  # beta: THC maximal effect x beta when the site is full (chosen)
THC_CB1_EMAX = 1.0       # THC's own maximal effect, as 1 (a partial agonist: its scale, not 100%)


def _concentration(name: str, value) -> np.ndarray | float:
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number in nM, got {value!r}") from None
    if array.size == 0 or np.isnan(array).any() or np.isinf(array).any():
        raise ValueError(f"{name} must be a finite number in nM, got {value!r}")
    if (array < 0).any():
        raise ValueError(f"{name} must be at least 0 nM, got {value!r}")
    return float(array) if array.ndim == 0 else array


def format_nm(concentration_nm: float) -> str:
    """A concentration for people to read: three significant figures, no exponent (5010, 0.1)."""
    value = float(f"{concentration_nm:.3g}")
    return f"{value:,.0f}" if value >= 100 else f"{value:g}"


def ki_nm(drug: str, receptor: str) -> float:
    """The meta-analytic Ki (nM) of ``drug`` ('THC' or 'CBD') at ``receptor`` ('CB1', 'CB2')."""
    try:
        return KI_NM[(drug, receptor)]
    except KeyError:
        raise ValueError(f"no Ki for drug {drug!r} at receptor {receptor!r}; drugs: THC, CBD; "
                         f"receptors: CB1, CB2") from None


def occupancy(concentration_nm, ki: float):
    """Fraction of receptors occupied (0-1) at free concentration ``concentration_nm`` (nM) by a
    ligand of dissociation constant ``ki`` (nM): C / (C + Ki)."""
    concentration = _concentration("concentration_nm", concentration_nm)
    if not (isinstance(ki, (int, float)) and math.isfinite(ki) and ki > 0):
        raise ValueError(f"ki must be a positive number of nM, got {ki!r}")
    result = np.asarray(concentration) / (np.asarray(concentration) + ki)
    return float(result) if np.ndim(result) == 0 else result


def drug_occupancy(drug: str, receptor: str, concentration_nm):
    """Occupancy of ``receptor`` by ``drug`` at ``concentration_nm`` from the McPartland 2007 Ki."""
    return occupancy(concentration_nm, ki_nm(drug, receptor))


def concentration_for_occupancy(fraction: float, ki: float) -> float:
    """The concentration (nM) that occupies ``fraction`` of the receptors: Ki f / (1 - f)."""
    if not 0 <= fraction < 1:
        raise ValueError(f"fraction must be at least 0 and below 1, got {fraction!r}")
    return ki * fraction / (1 - fraction)


def ng_per_ml_to_nm(ng_per_ml: float, molar_mass_g_per_mol: float = THC_MOLAR_MASS_G_PER_MOL):
    """Mass concentration (ng/mL) to molar concentration (nM): ng/mL = ug/L; / (g/mol) -> umol/L."""
    return ng_per_ml / molar_mass_g_per_mol * 1000.0


def thc_smoked_peak_range_nm() -> tuple[float, float]:
    """Peak total plasma THC after smoking (Azorlosa 1992), in nM."""
    low, high = THC_SMOKED_PEAK_PLASMA_NG_PER_ML
    return ng_per_ml_to_nm(low), ng_per_ml_to_nm(high)


def thc_cb1_effect(thc_nm, cbd_nm: float = 0.0, kb_nm: float = CBD_KB_NM,
                   alpha: float = CBD_AFFINITY_FACTOR, beta: float = CBD_EFFICACY_FACTOR):
    """THC's effect at CB1 as a fraction of its own maximum, with CBD as a negative allosteric
    modulator. ILLUSTRATIVE: the form is the textbook one, the parameters are chosen.

    With f = B / (B + K_B) the fraction of allosteric sites that CBD fills, THC's apparent Ki is
    Ki / (1 - f + alpha f) (rising towards Ki / alpha as f -> 1) and its maximal effect is
    Emax (1 - f + beta f). The effect is taken proportional to occupancy (no receptor reserve),
    a simplification for a partial agonist.
    """
    thc = _concentration("thc_nm", thc_nm)
    cbd = _concentration("cbd_nm", cbd_nm)
    if not (0 < alpha <= 1 and 0 <= beta <= 1 and kb_nm > 0):
        raise ValueError("alpha must be in (0, 1], beta in [0, 1] and kb_nm > 0 for a negative "
                         "allosteric modulator")
    filled = cbd / (cbd + kb_nm)
    apparent_ki = KI_NM[("THC", "CB1")] / (1 - filled + alpha * filled)
    emax = THC_CB1_EMAX * (1 - filled + beta * filled)
    result = emax * np.asarray(thc) / (np.asarray(thc) + apparent_ki)
    return float(result) if np.ndim(result) == 0 else result


def thc_cb1_apparent_ki_nm(cbd_nm: float, kb_nm: float = CBD_KB_NM,
                           alpha: float = CBD_AFFINITY_FACTOR) -> float:
    filled = cbd_nm / (cbd_nm + kb_nm)
    return KI_NM[("THC", "CB1")] / (1 - filled + alpha * filled)


# --- the clinical evidence as absolute effects --------------------------------------------------
@dataclass(frozen=True)
class EvidenceEstimate:
    """One pooled (or single-trial) binary outcome, as published.

    control_percent / treatment_percent: event rates in the arms (% of people);
    risk_difference: the pooled risk difference as a proportion (meta-analyses pool differences
    within trials, so it need not equal treatment - control); number_needed and its CI as published;
    certainty: GRADE certainty as the authors rated it (or a plain-words label for a single trial).
    """

    key: str
    label: str
    source: str        # reference key in assets/references.json
    kind: str          # "benefit" or "harm"
    outcome: str
    control_percent: float | None
    treatment_percent: float | None
    risk_difference: float
    risk_difference_ci: tuple[float, float]
    number_needed: int
    number_needed_ci: tuple[float, float]
    certainty: str     # high | moderate | low | very low | single trial
    status: str        # "current", "superseded" or "not confirmed"
    note: str = ""

    @property
    def extra_per_100(self) -> int:
        """People per 100 treated with the outcome because of treatment (pooled RD x 100)."""
        return round(self.risk_difference * 100)

    @property
    def number_needed_from_rd(self) -> int:
        """1 / RD rounded up to a whole person (Cochrane convention)."""
        return math.ceil(round(1 / self.risk_difference, 9))


GRADE_SYMBOLS = {"high": "⊕⊕⊕⊕", "moderate": "⊕⊕⊕◯", "low": "⊕⊕◯◯", "very low": "⊕◯◯◯",
                 "single trial": "one trial, not graded"}
NAN = (math.nan, math.nan)

ESTIMATES = {
    estimate.key: estimate for estimate in [
        EvidenceEstimate(
            key="wang-pain", label="Pain relief reaching the minimally important difference",
            source="wang2021", kind="benefit",
            outcome="pain relief of at least 1 cm on a 10 cm scale (the minimally important "
                    "difference), chronic cancer and non-cancer pain, non-inhaled cannabis",
            control_percent=None, treatment_percent=None, risk_difference=0.10,
            risk_difference_ci=(0.05, 0.15), number_needed=10, number_needed_ci=(7, 20),
            certainty="moderate", status="current",
            note="modelled risk difference; NNT and its interval computed here as 1/RD"),
        EvidenceEstimate(
            key="fisher-nabiximols", label="Pain relief with nabiximols (IASP review)",
            source="fisher2021", kind="benefit",
            outcome="pain relief (a responder outcome: the review's primary outcomes were 30% and "
                    "50% reductions; which one this estimate uses was not verified), nabiximols "
                    "for more than 7 days",
            control_percent=None, treatment_percent=None, risk_difference=0.06,
            risk_difference_ci=(0.01, 0.12), number_needed=17, number_needed_ci=(9, 100),
            certainty="very low", status="current",
            note="6 trials, 1484 patients; NNT and its interval computed here as 1/RD"),
        EvidenceEstimate(
            key="mucke-30", label="At least 30% relief, neuropathic pain (superseded)",
            source="mucke2018", kind="benefit", outcome="at least 30% pain relief, neuropathic pain",
            control_percent=33, treatment_percent=39, risk_difference=0.09,
            risk_difference_ci=(0.03, 0.15), number_needed=11, number_needed_ci=(7, 33),
            certainty="moderate", status="superseded",
            note="superseded by the 2026 update, which found no high-quality evidence of benefit"),
        EvidenceEstimate(
            key="mucke-nervous", label="Nervous-system adverse events (superseded)",
            source="mucke2018", kind="harm", outcome="a nervous-system adverse event",
            control_percent=29, treatment_percent=61, risk_difference=0.38,
            risk_difference_ci=NAN, number_needed=3, number_needed_ci=(2, 6),
            certainty="low", status="superseded",
            note="superseded by the 2026 update, which again found more dizziness and drowsiness"),
        EvidenceEstimate(
            key="mucke-psychiatric", label="Psychiatric disorders (superseded)",
            source="mucke2018", kind="harm", outcome="a psychiatric disorder",
            control_percent=5, treatment_percent=17, risk_difference=0.10,
            risk_difference_ci=NAN, number_needed=10, number_needed_ci=(7, 16),
            certainty="low", status="superseded",
            note="superseded by the 2026 update"),
        EvidenceEstimate(
            key="johnson-30", label="At least 30% relief, cancer pain, phase 2 trial",
            source="johnson2010", kind="benefit",
            outcome="at least 30% pain relief over 2 weeks, THC:CBD extract, cancer pain despite "
                    "opioids",
            control_percent=21, treatment_percent=43, risk_difference=0.22,
            risk_difference_ci=NAN, number_needed=5, number_needed_ci=NAN,
            certainty="single trial", status="not confirmed",
            note="one 2-week phase 2 trial (60 vs 59 people); three phase 3 trials then failed; "
                 "difference and NNT computed here from the two percentages"),
    ]
}


def icon_counts(estimate: EvidenceEstimate, people: int = 100) -> dict:
    """Split ``people`` treated people by the outcome: 'anyway' (would have had it at the
    comparator's rate), 'because' (the extra people: pooled RD x people) and 'rest'. Where the
    review gives no comparator rate, 'anyway' is 0 and the rest are not split."""
    anyway = 0 if estimate.control_percent is None else round(estimate.control_percent / 100 * people)
    because = round(estimate.risk_difference * people)
    return {"anyway": anyway, "because": because, "rest": people - anyway - because}


# --- medical cannabis laws and opioid deaths ---------------------------------------------------
@dataclass(frozen=True)
class LawEstimate:
    """Percentage difference in the age-adjusted opioid overdose death rate in states with a law
    (against states without), with its 95% CI, as published."""

    label: str
    source: str
    years: str
    percent: float
    ci: tuple[float, float]


LAW_ESTIMATES = (
    LawEstimate("Original analysis", "bachhuber2014", "1999-2010", -24.8, (-37.5, -9.5)),
    LawEstimate("Replication, same years", "shover2019", "1999-2010", -21.1, (-35.7, -3.0)),
    LawEstimate("Same model, 7 more years", "shover2019", "1999-2017", 22.7, (2.0, 47.6)),
    LawEstimate("Medical cannabis law only", "shover2019", "1999-2017", 28.2, (1.2, 62.4)),
    LawEstimate("Recreational and medical law", "shover2019", "1999-2017", -14.7, (-43.6, 29.0)),
    LawEstimate("Low-THC-only law", "shover2019", "1999-2017", -7.1, (-29.1, 21.7)),
)
# How many of LAW_ESTIMATES each step of the story shows.
LAW_STEPS = {"to 2010 (2014 paper)": 1, "replicated (2019)": 2, "to 2017 (2019)": 3,
             "by type of law (2019)": 6}


def ci_excludes_zero(estimate: LawEstimate) -> bool:
    low, high = estimate.ci
    return low > 0 or high < 0
