"""Opioid dose-response with tolerance and opioid-induced hyperalgesia (OIH). ILLUSTRATIVE.

What comes from data and what does not
--------------------------------------
- The *shape* is standard pharmacology: relief follows an Emax (Hill) curve of dose, and
  surmountable tolerance is a rightward shift of that curve, i.e. a larger ED50 (Colvin et al.
  2019, Lancet; Williams et al. 2013, Pharmacol Rev). Tolerance can also lower the maximal effect
  (insurmountable tolerance) when receptor reserve is small, as receptor-alkylation studies with
  morphine suggest in mice (Pawar et al. 2007, Eur J Pharmacol); this model does not show that
  case. How much tolerance develops depends on efficacy and protocol, in mice (Duttaroy & Yoburn
  1995, Anesthesiology).
- One *experimental* number sets the size of the model's shift. After one month of
  sustained-release oral morphine (mean 78 mg/day), people with chronic low-back pain had lost on
  average 42% of the analgesic potency of remifentanil, an intravenous opioid given in a
  laboratory pain test, without measurable OIH; on their titrated, stable dose their clinical
  pain fell by 44% (Chu et al. 2012, Pain 153:1583). If Emax is unchanged, a 42% loss of potency
  is an ED50 1/(1 - 0.42) = 1.724 times larger (``potency_loss_to_fold_shift``): a derived
  number, not a measured one. The trial did not measure the oral morphine dose patients need for
  the same relief, so the model's clinical axis (pain against mg/day of oral morphine
  equivalents) borrows only the *size* of an experimental shift.
- Everything else (ED50 of 40 mg/day, Emax 0.8, Hill slope 1.5, how fast tolerance and OIH grow,
  the size of the OIH effect and its dose exponent, the OIH lag, withdrawal transients, disease
  progression) is ILLUSTRATIVE: chosen so the curves show the qualitative patterns that reviews
  describe (Lee et al. 2011, Pain Physician 14:145; Angst & Clark 2006, Anesthesiology 104:570),
  with no source for the values and not fitted to any patient data. Nobody knows how common
  clinical OIH is (Lee 2011: "Findings of the clinical prevalence of OIH are not available").

The model
---------
relief(D)     = Emax * D^n / (ED50^n + D^n)                      fraction of pain removed, 0-1
ED50(t)       = ED50_0 * (1 + tolerance_rate_per_week * t)        linear rightward shift (tolerance)
OIH(D, t)     = oih_strength_at_100mg * (D / 100)^oih_dose_exponent * (1 - exp(-t / oih_onset_weeks))
pain_left     = baseline_pain_nrs * (1 + OIH) * (1 - relief)     0-10 numeric rating scale (NRS)

D is the daily dose in mg/day of oral morphine equivalents (MME); t is weeks on opioids. The linear
ED50 form was chosen because it is the simplest that gives a steadily growing shift; the default
rate ``ILLUSTRATIVE_TOLERANCE_RATE_PER_WEEK`` is chosen so that about four weeks give a shift of the
same size as Chu 2012's experimental one. Tolerance here depends on time only, not on dose: in
animals its size depends on exposure, on the agonist's intrinsic efficacy and on the dosing
protocol (Duttaroy & Yoburn 1995), so escalating the dose never speeds tolerance in this model.
Nothing is known about the shape over months, and the model says nothing about that. OIH rises
with the square of the dose by default (``OIH_DOSE_EXPONENT``): an arbitrary choice, so that OIH
matters mainly at high doses. No study gives the shape of its dose dependence in chronic oral use;
Fletcher & Martinez 2014 compared high with low intraoperative doses, which says nothing about the
functional form.

Weekly trajectories (``weekly_trajectory``) add three illustrative processes, each documented in
``TrajectoryParameters``: a lag before OIH follows a new dose, a withdrawal transient after a dose
reduction in a physically dependent person, and a steady rise of the underlying pain (disease
progression). None of their time constants has a source. Units are in every parameter name.
"""

import math
from dataclasses import asdict, dataclass, replace

import numpy as np

# --- illustrative defaults (not data; see the module docstring) -------------------------------
ED50_MG_PER_DAY = 40.0          # dose giving half the maximum relief, before tolerance (mg/day MME)
EMAX = 0.8                      # largest fraction of pain an opioid can remove (unitless, 0-1)
HILL = 1.5                      # steepness of the dose-response curve (unitless, > 0)
BASELINE_PAIN_NRS = 7.0         # pain without opioid (0-10 NRS)
OIH_ONSET_WEEKS = 4.0           # time constant with which OIH develops (weeks)
OIH_DOSE_EXPONENT = 2.0         # how steeply OIH grows with dose (unitless, >= 0)

# --- from an experiment (Chu et al. 2012), NOT clinical dose requirements ----------------------
# Loss of the analgesic potency of IV remifentanil in a laboratory pain test after one month of
# oral morphine; a pharmacodynamic measure of tolerance, not the oral dose patients need.
CHU2012_REMIFENTANIL_POTENCY_LOSS = 0.42
CHU2012_WEEKS = 4.3                       # "1 month" of morphine, in weeks (30 days / 7)
CHU2012_MORPHINE_MG_PER_DAY = 78.0        # mean end-of-titration oral morphine dose in the trial


def _finite(name: str, value, *, minimum: float | None = None, positive: bool = False,
            maximum: float | None = None) -> np.ndarray | float:
    """Validate a scalar or array parameter; raise ValueError naming the parameter."""
    if type(value) in (float, int, np.float64):  # fast path for plain numbers
        number = float(value)
        if math.isnan(number):
            raise ValueError(f"{name} must not be NaN")
        if math.isinf(number):
            raise ValueError(f"{name} must be finite, got {value!r}")
        if positive and number <= 0:
            raise ValueError(f"{name} must be greater than zero, got {value!r}")
        if minimum is not None and number < minimum:
            raise ValueError(f"{name} must be at least {minimum:g}, got {value!r}")
        if maximum is not None and number > maximum:
            raise ValueError(f"{name} must be at most {maximum:g}, got {value!r}")
        return number
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if array.size == 0:
        raise ValueError(f"{name} is empty")
    if np.isnan(array).any():
        raise ValueError(f"{name} must not be NaN")
    if np.isinf(array).any():
        raise ValueError(f"{name} must be finite, got {value!r}")
    if positive and (array <= 0).any():
        raise ValueError(f"{name} must be greater than zero, got {value!r}")
    if minimum is not None and (array < minimum).any():
        raise ValueError(f"{name} must be at least {minimum:g}, got {value!r}")
    if maximum is not None and (array > maximum).any():
        raise ValueError(f"{name} must be at most {maximum:g}, got {value!r}")
    return float(array) if array.ndim == 0 else array


def relief_fraction(dose_mg_per_day, ed50_mg_per_day: float = ED50_MG_PER_DAY,
                    emax: float = EMAX, hill: float = HILL):
    """Fraction of pain removed (0 to ``emax``) at a daily dose: the Emax (Hill) model.

    dose_mg_per_day: daily dose, mg/day oral morphine equivalents (scalar or array, >= 0).
    ed50_mg_per_day: dose that gives half of ``emax`` (mg/day, > 0).
    emax: maximum fraction of pain removed (unitless, 0 < emax <= 1).
    hill: Hill slope (unitless, > 0).

    >>> relief_fraction(30.0, ed50_mg_per_day=30.0, emax=0.8)  # at the ED50: half of Emax
    0.4
    """
    dose = _finite("dose_mg_per_day", dose_mg_per_day, minimum=0.0)
    ed50 = _finite("ed50_mg_per_day", ed50_mg_per_day, positive=True)
    emax = _finite("emax", emax, positive=True, maximum=1.0)
    hill = _finite("hill", hill, positive=True)
    ratio = np.power(np.asarray(dose, dtype=float) / ed50, hill)
    result = emax * ratio / (1.0 + ratio)
    return float(result) if np.ndim(result) == 0 else result


def dose_for_relief(relief: float, ed50_mg_per_day: float = ED50_MG_PER_DAY,
                    emax: float = EMAX, hill: float = HILL) -> float:
    """The daily dose (mg/day) that gives a fraction ``relief`` of pain removed (inverse Hill).

    ``relief`` must lie in [0, emax): relief at or above Emax cannot be reached at any dose.
    """
    relief = _finite("relief", relief, minimum=0.0)
    ed50 = _finite("ed50_mg_per_day", ed50_mg_per_day, positive=True)
    emax = _finite("emax", emax, positive=True, maximum=1.0)
    hill = _finite("hill", hill, positive=True)
    if relief >= emax:
        raise ValueError(f"relief must be below emax ({emax:g}); no dose gives {relief:g}")
    return float(ed50 * (relief / (emax - relief)) ** (1.0 / hill))


def ed50_after(weeks, ed50_mg_per_day: float = ED50_MG_PER_DAY,
               tolerance_rate_per_week: float = 0.0):
    """ED50 (mg/day) after ``weeks`` on opioids: ED50_0 * (1 + tolerance_rate_per_week * weeks).

    weeks: time on opioids (weeks, >= 0; scalar or array).
    tolerance_rate_per_week: fractional rise of ED50 per week (1/week, >= 0). ILLUSTRATIVE; the
        value ``ILLUSTRATIVE_TOLERANCE_RATE_PER_WEEK`` gives, at 4.3 weeks, a shift of the same
        size as the remifentanil potency shift measured in a laboratory test by Chu 2012 (1.72-fold
        if Emax is unchanged). It is not a measured change in a clinical dose requirement.
    """
    weeks = _finite("weeks", weeks, minimum=0.0)
    ed50 = _finite("ed50_mg_per_day", ed50_mg_per_day, positive=True)
    rate = _finite("tolerance_rate_per_week", tolerance_rate_per_week, minimum=0.0)
    result = ed50 * (1.0 + rate * np.asarray(weeks, dtype=float))
    return float(result) if np.ndim(result) == 0 else result


def oih_sensitivity(dose_mg_per_day, weeks, oih_strength_at_100mg: float = 0.0,
                    oih_onset_weeks: float = OIH_ONSET_WEEKS,
                    oih_dose_exponent: float = OIH_DOSE_EXPONENT):
    """Fractional rise in pain sensitivity caused by opioid exposure (unitless, >= 0). ILLUSTRATIVE.

    OIH = oih_strength_at_100mg * (dose / 100 mg/day)^oih_dose_exponent
          * (1 - exp(-weeks / oih_onset_weeks)):
    it grows with dose and with time on opioids, and levels off. 0.5 means pain is felt 50% more
    strongly than without the opioid's pronociceptive effect.

    dose_mg_per_day: daily dose (mg/day oral morphine equivalents, >= 0).
    weeks: time on opioids (weeks, >= 0).
    oih_strength_at_100mg: the rise at 100 mg/day once fully developed (unitless, >= 0).
    oih_onset_weeks: time constant of its development (weeks, > 0).
    oih_dose_exponent: how steeply it grows with dose (unitless, >= 0; 1 = in proportion).
    """
    dose = _finite("dose_mg_per_day", dose_mg_per_day, minimum=0.0)
    weeks = _finite("weeks", weeks, minimum=0.0)
    strength = _finite("oih_strength_at_100mg", oih_strength_at_100mg, minimum=0.0)
    onset = _finite("oih_onset_weeks", oih_onset_weeks, positive=True)
    exponent = _finite("oih_dose_exponent", oih_dose_exponent, minimum=0.0)
    exposure = 1.0 - np.exp(-np.asarray(weeks, dtype=float) / onset)
    result = strength * np.power(np.asarray(dose, dtype=float) / 100.0, exponent) * exposure
    return float(result) if np.ndim(result) == 0 else result


def pain_left_nrs(dose_mg_per_day, weeks=0.0, *, baseline_pain_nrs: float = BASELINE_PAIN_NRS,
                  ed50_mg_per_day: float = ED50_MG_PER_DAY, tolerance_rate_per_week: float = 0.0,
                  oih_strength_at_100mg: float = 0.0, oih_onset_weeks: float = OIH_ONSET_WEEKS,
                  oih_dose_exponent: float = OIH_DOSE_EXPONENT, emax: float = EMAX,
                  hill: float = HILL):
    """Pain left (0-10 NRS) on a steady daily dose after ``weeks`` on opioids. ILLUSTRATIVE.

    pain = baseline_pain_nrs * (1 + OIH(dose, weeks)) * (1 - relief(dose, ED50(weeks))),
    capped at 10 (the top of the scale). With ``oih_strength_at_100mg = 0`` only tolerance acts
    and pain falls with every dose increase; with strong OIH the curve turns up at high doses.
    """
    baseline = _finite("baseline_pain_nrs", baseline_pain_nrs, minimum=0.0, maximum=10.0)
    ed50 = ed50_after(weeks, ed50_mg_per_day, tolerance_rate_per_week)
    relief = relief_fraction(dose_mg_per_day, ed50, emax, hill)
    oih = oih_sensitivity(dose_mg_per_day, weeks, oih_strength_at_100mg, oih_onset_weeks,
                          oih_dose_exponent)
    result = np.minimum(baseline * (1.0 + np.asarray(oih)) * (1.0 - np.asarray(relief)), 10.0)
    return float(result) if np.ndim(result) == 0 else result


def potency_loss_to_fold_shift(potency_loss_fraction: float) -> float:
    """ED50 fold-shift for a fractional loss of potency: fold = 1 / (1 - loss).

    Potency is 1/ED50, so losing a fraction L of it multiplies ED50 by 1/(1 - L), provided the
    maximal effect is unchanged (a parallel shift). Chu et al. 2012's 42% loss of remifentanil's
    potency in a laboratory pain test is then a 1.724-fold shift of that experimental curve; it is
    not a clinical dose requirement.
    potency_loss_fraction: 0 <= loss < 1 (a fraction, not a percentage).

    >>> round(potency_loss_to_fold_shift(0.42), 3)  # 42% less potent: 1.72 times the dose
    1.724
    >>> potency_loss_to_fold_shift(0.5)  # half the potency: twice the dose, not 1.5 times
    2.0
    """
    loss = _finite("potency_loss_fraction", potency_loss_fraction, minimum=0.0)
    if loss >= 1.0:
        raise ValueError("potency_loss_fraction must be below 1 (a fraction such as 0.42, not 42)")
    return 1.0 / (1.0 - loss)


def fold_shift_to_potency_loss(fold_shift: float) -> float:
    """Inverse of ``potency_loss_to_fold_shift``: loss = 1 - 1/fold (fold >= 1).

    >>> fold_shift_to_potency_loss(2.0)  # a doubled ED50 is a 50% loss of potency, not 100%
    0.5
    """
    fold = _finite("fold_shift", fold_shift, minimum=1.0)
    return 1.0 - 1.0 / fold


# Linear tolerance rate (ILLUSTRATIVE) chosen so that one month gives a shift of the same size as
# Chu 2012's experimental remifentanil shift; applied to the model's clinical curve, it mirrors the
# size of that shift and measures nothing about oral doses.
ILLUSTRATIVE_TOLERANCE_RATE_PER_WEEK = (
    potency_loss_to_fold_shift(CHU2012_REMIFENTANIL_POTENCY_LOSS) - 1.0) / CHU2012_WEEKS


# --- weekly trajectories -----------------------------------------------------------------------
@dataclass(frozen=True)
class TrajectoryParameters:
    """One illustrative patient, week by week. Every number here is ILLUSTRATIVE.

    dose_mg_per_day: dose before the change (mg/day MME).
    prior_weeks: weeks on opioids before week 0 of the plot (weeks).
    baseline_pain_nrs: pain without opioid at week 0 (0-10 NRS).
    progression_nrs_per_week: rise of the underlying pain per week, i.e. disease progression
        (NRS/week; 0 = stable disease).
    ed50_mg_per_day, emax, hill: the Emax model (see ``relief_fraction``).
    tolerance_rate_per_week: see ``ed50_after``.
    oih_strength_at_100mg, oih_onset_weeks, oih_dose_exponent: see ``oih_sensitivity``.
    oih_lag_weeks: time constant with which OIH follows a *changed* dose (weeks; 0 = at once).
        Assumption with no source: no human data give the time course in chronic use, and after
        high-dose intraoperative remifentanil hyperalgesia is seen within an hour (Fletcher 2014).
    withdrawal_nrs: scale of withdrawal pain (NRS) in a physically dependent person: each week
        the extra pain is withdrawal_nrs times the fraction of the dose the body is adapted to
        that it no longer gets. Nothing is added after a dose increase.
    withdrawal_adapt_weeks: time constant with which the body adapts to a lower dose (weeks).
        Assumption with no source: withdrawal after a partial reduction settles within days to a
        few weeks on a steady dose; the weekly averages do not show swings within a day, such as
        withdrawal at the end of a dosing interval.
    """

    dose_mg_per_day: float = 60.0
    prior_weeks: float = 12.0
    baseline_pain_nrs: float = BASELINE_PAIN_NRS
    progression_nrs_per_week: float = 0.0
    ed50_mg_per_day: float = ED50_MG_PER_DAY
    emax: float = EMAX
    hill: float = HILL
    tolerance_rate_per_week: float = 0.0
    oih_strength_at_100mg: float = 0.0
    oih_onset_weeks: float = OIH_ONSET_WEEKS
    oih_dose_exponent: float = OIH_DOSE_EXPONENT
    oih_lag_weeks: float = 1.0
    withdrawal_nrs: float = 4.0
    withdrawal_adapt_weeks: float = 0.7

    def validate(self) -> "TrajectoryParameters":
        _finite("dose_mg_per_day", self.dose_mg_per_day, minimum=0.0)
        _finite("prior_weeks", self.prior_weeks, minimum=0.0)
        _finite("baseline_pain_nrs", self.baseline_pain_nrs, minimum=0.0, maximum=10.0)
        _finite("progression_nrs_per_week", self.progression_nrs_per_week, minimum=0.0)
        _finite("ed50_mg_per_day", self.ed50_mg_per_day, positive=True)
        _finite("emax", self.emax, positive=True, maximum=1.0)
        _finite("hill", self.hill, positive=True)
        _finite("tolerance_rate_per_week", self.tolerance_rate_per_week, minimum=0.0)
        _finite("oih_strength_at_100mg", self.oih_strength_at_100mg, minimum=0.0)
        _finite("oih_onset_weeks", self.oih_onset_weeks, positive=True)
        _finite("oih_dose_exponent", self.oih_dose_exponent, minimum=0.0)
        _finite("oih_lag_weeks", self.oih_lag_weeks, minimum=0.0)
        _finite("withdrawal_nrs", self.withdrawal_nrs, minimum=0.0)
        _finite("withdrawal_adapt_weeks", self.withdrawal_adapt_weeks, positive=True)
        return self


# Four ways in which "the opioid is not working any more" (all ILLUSTRATIVE). Physical dependence
# is expected in everyone on regular opioids, so every scenario has some withdrawal after a cut.
SCENARIOS: dict[str, TrajectoryParameters] = {
    # Tolerance only: the dose-response curve moves right over the weeks; same pain, less relief.
    "tolerance": TrajectoryParameters(dose_mg_per_day=60.0, prior_weeks=8.0,
                                      tolerance_rate_per_week=0.08),
    # OIH dominant: mild tolerance, strong pronociceptive sensitisation that grows with dose.
    "oih": TrajectoryParameters(dose_mg_per_day=120.0, prior_weeks=16.0,
                                tolerance_rate_per_week=0.02, oih_strength_at_100mg=0.7),
    # Disease progression: the pain-causing disease grows; the opioid still works as before.
    "disease-progression": TrajectoryParameters(dose_mg_per_day=60.0, prior_weeks=8.0,
                                                progression_nrs_per_week=0.25,
                                                baseline_pain_nrs=5.0, ed50_mg_per_day=60.0),
    # Withdrawal after a dose reduction: a transient that settles on the new, steady dose.
    "withdrawal": TrajectoryParameters(dose_mg_per_day=90.0, prior_weeks=26.0,
                                       ed50_mg_per_day=25.0, withdrawal_nrs=10.0,
                                       withdrawal_adapt_weeks=1.0),
}
# The dose changes offered in the "escalate or taper?" diagram: label -> fractional change.
DOSE_CHANGES = {"taper 25%": -0.25, "keep": 0.0, "increase 25%": 0.25, "increase 50%": 0.5}


@dataclass(frozen=True)
class Trajectory:
    """Week-by-week output; every array has one entry per week, 0..weeks_total."""

    week: np.ndarray
    dose_mg_per_day: np.ndarray
    pain_nrs: np.ndarray
    relief_fraction: np.ndarray
    oih_sensitivity: np.ndarray
    withdrawal_nrs: np.ndarray
    baseline_pain_nrs: np.ndarray
    change_week: int

    def mean_pain(self, first_week: int, last_week: int) -> float:
        """Mean pain (NRS) over weeks first_week..last_week inclusive."""
        mask = (self.week >= first_week) & (self.week <= last_week)
        return float(self.pain_nrs[mask].mean())


def weekly_trajectory(parameters: TrajectoryParameters | str, dose_change_fraction: float = 0.0,
                      *, change_week: int = 8, weeks_total: int = 20) -> Trajectory:
    """Weekly pain (0-10 NRS) of one illustrative patient whose dose changes at ``change_week``.

    parameters: a ``TrajectoryParameters`` or a scenario name from ``SCENARIOS``.
    dose_change_fraction: -0.25 = taper by 25%, 0 = keep, 0.5 = increase by 50% (> -1).
    change_week, weeks_total: whole weeks (0 <= change_week <= weeks_total).

    Each week (a weekly average, so between-dose swings within a day are not shown):
    ED50 grows with total weeks on opioids; OIH follows the dose with a lag of ``oih_lag_weeks``;
    the underlying pain rises by ``progression_nrs_per_week``; after a reduction, withdrawal adds
    ``withdrawal_nrs`` times the fraction of the dose the body is still adapted to but no longer
    gets, which fades with ``withdrawal_adapt_weeks``.
    """
    if isinstance(parameters, str):
        if parameters not in SCENARIOS:
            raise ValueError(f"scenario must be one of {', '.join(SCENARIOS)}, got {parameters!r}")
        parameters = SCENARIOS[parameters]
    p = parameters.validate()
    change = _finite("dose_change_fraction", dose_change_fraction)
    if change <= -1.0:
        raise ValueError("dose_change_fraction must be above -1 (a taper to zero is not modelled)")
    for name, value in (("change_week", change_week), ("weeks_total", weeks_total)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            raise ValueError(f"{name} must be a whole number of weeks, got {value!r}")
        if value < 0:
            raise ValueError(f"{name} must not be negative, got {value!r}")
    if change_week > weeks_total:
        raise ValueError(f"change_week ({change_week}) must not be after weeks_total "
                         f"({weeks_total})")

    week = np.arange(weeks_total + 1)
    dose = np.where(week < change_week, p.dose_mg_per_day, p.dose_mg_per_day * (1.0 + change))
    weeks_on = p.prior_weeks + week
    ed50 = ed50_after(weeks_on, p.ed50_mg_per_day, p.tolerance_rate_per_week)
    relief = relief_fraction(dose, ed50, p.emax, p.hill)
    baseline = np.minimum(p.baseline_pain_nrs + p.progression_nrs_per_week * week, 10.0)

    oih_keep = math.exp(-1.0 / p.oih_lag_weeks) if p.oih_lag_weeks > 0 else 0.0
    adapt_keep = math.exp(-1.0 / p.withdrawal_adapt_weeks)
    oih_dose = np.empty_like(dose)
    withdrawal = np.zeros_like(dose)
    adapted, lagged = float(dose[0]), float(dose[0])
    for i, today in enumerate(dose):
        lagged = today + (lagged - today) * oih_keep       # OIH follows the dose with a lag
        oih_dose[i] = lagged
        adapted = today + (adapted - today) * adapt_keep   # adaptation to the new dose
        if adapted > today and adapted > 0:
            withdrawal[i] = p.withdrawal_nrs * (adapted - today) / adapted
    oih = oih_sensitivity(oih_dose, weeks_on, p.oih_strength_at_100mg, p.oih_onset_weeks,
                          p.oih_dose_exponent)
    pain = np.clip(baseline * (1.0 + oih) * (1.0 - relief) + withdrawal, 0.0, 10.0)
    return Trajectory(week=week, dose_mg_per_day=dose, pain_nrs=pain, relief_fraction=relief,
                      oih_sensitivity=oih, withdrawal_nrs=withdrawal, baseline_pain_nrs=baseline,
                      change_week=int(change_week))


def scenario_parameters(name: str, **overrides) -> TrajectoryParameters:
    """A scenario's parameters with some replaced, e.g. ``scenario_parameters('oih', dose_mg_per_day=90)``."""
    if name not in SCENARIOS:
        raise ValueError(f"scenario must be one of {', '.join(SCENARIOS)}, got {name!r}")
    return replace(SCENARIOS[name], **overrides).validate()


# --- quiz vignettes --------------------------------------------------------------------------
# The numbers behind each quiz patient: the trajectory parameters and the dose change at week 8.
# The stories (the clinical clues) are prose, in assets/content/02-tolerance-vs-oih.yaml; which
# pattern each shows is the quiz's answer and is kept in the quiz source.
VIGNETTES: dict[int, dict] = {
    1: dict(parameters=asdict(SCENARIOS["tolerance"]), dose_change_fraction=0.5),
    2: dict(parameters=asdict(SCENARIOS["oih"]), dose_change_fraction=0.25),
    3: dict(parameters=asdict(SCENARIOS["disease-progression"]), dose_change_fraction=0.5),
    4: dict(parameters=asdict(SCENARIOS["withdrawal"]), dose_change_fraction=-1.0 / 3.0),
}


def vignette_trajectory(number: int) -> Trajectory:
    """The weekly trajectory behind quiz vignette ``number`` (dose change at week 8)."""
    if number not in VIGNETTES:
        raise ValueError(f"number must be one of {', '.join(map(str, VIGNETTES))}, got {number!r}")
    vignette = VIGNETTES[number]
    return weekly_trajectory(TrajectoryParameters(**vignette["parameters"]),
                             vignette["dose_change_fraction"], change_week=8, weeks_total=20)
