"""Non-drug therapies for chronic pain: published effect estimates and the fear-avoidance cycle.

Two data structures and the arithmetic a student needs to read them.

1. ``EFFECTS``: effect estimates for the forest chart. Every number was seen in the source named
   in ``seen_in`` (an abstract, or a secondary summary where that is said). Nothing is estimated
   or read off a figure. Signs follow one convention: a negative value means less pain with the
   therapy than with the comparator.

   - Acupuncture vs sham and vs no acupuncture: Vickers et al. 2012 (Arch Intern Med), individual
     patient data from 29 RCTs, 17,922 patients; after excluding an outlying set of trials that
     strongly favoured acupuncture, the abstract reports pain at each trial's primary endpoint
     "0.23 (95% CI 0.13 to 0.33) ... standard deviations lower than sham controls" for back and
     neck pain, 0.16 (0.07 to
     0.25) for osteoarthritis, 0.15 (0.07 to 0.24) for chronic headache; against no-acupuncture
     controls 0.55 (0.51 to 0.58), 0.57 (0.50 to 0.64) and 0.42 (0.37 to 0.46). The 2018 update
     (39 trials, 20,827 patients) reports "close to 0.2" SD vs sham and "close to 0.5" vs no
     acupuncture, without per-condition intervals in its abstract.
   - Multidisciplinary biopsychosocial rehabilitation for chronic low back pain: Kamper et al. 2015
     (BMJ): vs usual care, pain SMD 0.21 (0.04 to 0.37), 16 trials, moderate-quality evidence,
     which the authors call "equivalent to 0.5 points in a 10 point pain scale"; vs physical
     treatment, 0.51 (-0.01 to 1.04), 19 trials, low-quality evidence. The abstract gives 6858
     participants for all 41 trials, not per comparison.
   - CBT, at the end of treatment (Williams et al. 2020, the Cochrane review of psychological
     therapies; 75 RCTs, 9401 participants): vs treatment as usual (TAU) or waiting list, pain SMD
     -0.22 (-0.33 to -0.10), 29 studies, 2572 participants; vs active control, -0.09 (-0.17 to
     -0.01), 23 studies, 3235 participants. Benefits over TAU were largely maintained at 6-12
     months' follow-up; those over active control were not. These SMDs were seen in a secondary
     summary of the review (EBM Guidelines); the review's GRADE rating of each was not seen, so
     the certainty is ``GRADE rating not seen``. (The 2012 version gave -0.21, -0.37 to -0.05,
     against TAU or waiting list, from 16 studies.)
   - Exercise for chronic non-specific low back pain (Hayden et al. 2021, Cochrane, 249 trials):
     at the earliest follow-up (closest to 3 months), pain on a 0-100 scale 15 points better (12
     to 18) than no treatment, usual care or placebo, 35 studies, 2746 participants, moderate
     certainty; 9 points better (6 to 13) than other conservative treatments, 64 studies, 6295
     participants, low certainty (summary-of-findings tables, PMC8477273). Here in points of 0-10
     (divided by 10). The review took 15 of 100 points as its clinically important difference.
   - Pain reprocessing therapy (PRT): Ashar et al. 2022, one RCT, 151 adults with primary chronic
     back pain of low to moderate intensity. Mean pain (0-10) seen in a secondary summary
     (PainPlus CPN): after treatment 1.18 (PRT), 2.84 (open-label placebo), 3.13 (usual care); at
     one year 1.51, 2.79, 3.00. Adjusted means at five years (Ashar et al. 2025, seen in a news
     report): 1.93, 3.19, 2.60. The differences below are differences of those group means,
     computed here; the trial's own between-group estimates and their confidence intervals were
     not seen, so no interval is given.
   - Massage vs simple touch in advanced cancer: Kutner et al. 2008, one RCT, 380 adults (298 in
     the immediate and 348 in the sustained analysis). Immediate change in pain (0-10) -1.87
     (massage) vs -0.97 (simple touch), "mean difference 0.90" (P < 0.001; no interval seen);
     over 3 weeks no between-group difference in BPI mean pain, 0.07 (-0.23 to 0.37), sign as
     reported.

   Certainty is the review's GRADE rating where it gave one; single trials and the individual
   patient data meta-analysis are ``not graded``. Mindfulness (Hilton et al. 2017: low-quality
   evidence of a small decrease in pain, 30 RCTs) and exercise across chronic pain conditions
   (Geneen et al. 2017: low-quality evidence across 21 Cochrane reviews) are in
   ``NARRATIVE_FINDINGS`` because no pooled number was seen.

2. ``FEAR_AVOIDANCE_STEPS`` and ``THERAPY_TARGETS``: the fear-avoidance model (Vlaeyen & Linton
   2000; Leeuw et al. 2007) as an ordered cycle, and which step each therapy aims at, with the
   level of evidence for the therapy and for the step's link to the next. The model is a
   hypothesis: the review of pain-related fear (Martinez-Calderon et al. 2019; 70 observational
   studies, 97% cross-sectional, 15,623 people) found that fear was *associated* with more pain
   and disability, that its *predictive* value was inconsistent, and that the quality of the
   evidence was very low. The labels and explanations are in
   ``assets/content/05-non-drug-therapies.yaml``.

Arithmetic
----------
An SMD is a difference in units of the outcome's standard deviation (SD). On a 0-10 scale it
becomes points by multiplying by the SD of that scale in the trials' population:
``smd_to_points(smd, sd_points)``. The SD is the reader's assumption and must be stated. Kamper
et al. 2015 re-expressed their SMD of 0.21 as 0.5 points, which implies an SD of 0.5/0.21, about
2.4 points (``KAMPER2015_IMPLIED_SD_POINTS``).

A minimal important difference (MID) of 1 point on a 0-10 scale is the one that Wang et al. 2021
(BMJ) used for pain (``MID_POINTS``). IMMPACT (Dworkin et al. 2008) gives benchmarks for one
patient's change: a 10-20% decrease is minimally important, at least 30% moderately important,
at least 50% substantial (``immpact_category``). Both are thresholds for people, not for
differences between group means: a small mean difference can hide some people who improve a lot
and many who do not, which is why responder analyses matter.
"""

from dataclasses import dataclass

# --- published numbers (see the module docstring for where each was seen) -------------------
MID_POINTS = 1.0                 # Wang 2021: 1 cm on a 10 cm scale, the minimally important difference
IMMPACT_MINIMAL_PERCENT = 10.0   # Dworkin 2008: 10-20% decrease is minimally important
IMMPACT_MODERATE_PERCENT = 30.0  # Dworkin 2008: at least 30% is moderately important
IMMPACT_SUBSTANTIAL_PERCENT = 50.0  # Dworkin 2008: at least 50% is substantial
KAMPER2015_SMD = 0.21            # Kamper 2015: pain SMD vs usual care
KAMPER2015_POINTS = 0.5          # Kamper 2015: "equivalent to 0.5 points in a 10 point pain scale"
KAMPER2015_IMPLIED_SD_POINTS = KAMPER2015_POINTS / KAMPER2015_SMD  # about 2.4 points

CERTAINTY_LEVELS = ("high", "moderate", "low", "very low", "not graded", "GRADE rating not seen")
COMPARATOR_KINDS = ("active", "inactive")
MEASURES = ("SMD", "MD (0-10 points)")


@dataclass(frozen=True)
class EffectEstimate:
    """One published effect on pain. Negative ``estimate`` = less pain with the therapy."""

    key: str
    therapy: str
    comparator: str
    comparator_kind: str          # "active" (sham, placebo, attention, another treatment) or "inactive"
    outcome: str
    time_point: str
    measure: str                  # "SMD" or "MD (0-10 points)"
    estimate: float
    ci_low: float | None          # 95% confidence interval, None where none was seen
    ci_high: float | None
    n_studies: int
    n_participants: int | None    # None where the source gave no number for this comparison
    certainty: str                # GRADE level, or "not graded"
    reference: str                # key in assets/references.json
    seen_in: str                  # where the number was seen

    def __post_init__(self):
        if self.comparator_kind not in COMPARATOR_KINDS:
            raise ValueError(f"comparator_kind must be one of {COMPARATOR_KINDS}, "
                             f"got {self.comparator_kind!r}")
        if self.measure not in MEASURES:
            raise ValueError(f"measure must be one of {MEASURES}, got {self.measure!r}")
        if self.certainty not in CERTAINTY_LEVELS:
            raise ValueError(f"certainty must be one of {CERTAINTY_LEVELS}, got {self.certainty!r}")
        if (self.ci_low is None) != (self.ci_high is None):
            raise ValueError(f"{self.key}: give both ends of the confidence interval or neither")
        if self.ci_low is not None and not self.ci_low <= self.estimate <= self.ci_high:
            raise ValueError(f"{self.key}: estimate {self.estimate} lies outside its interval")

    @property
    def has_interval(self) -> bool:
        return self.ci_low is not None


_VICKERS = "abstract (PMC3658605), after excluding an outlying set of trials"
_WILLIAMS_SECONDARY = "secondary summary of the 2020 Cochrane review (EBM Guidelines)"
_HAYDEN = "summary-of-findings tables (PMC8477273); 0-100 points divided by 10"
_ASHAR_SECONDARY = "group means in a secondary summary (PainPlus CPN); difference computed here"

EFFECTS: tuple[EffectEstimate, ...] = (
    EffectEstimate("acupuncture-sham-back-neck", "Acupuncture", "sham acupuncture", "active",
                   "pain (back and neck pain)", "trial primary endpoint", "SMD", -0.23, -0.33, -0.13,
                   29, 17922, "not graded", "vickers2012", _VICKERS),
    EffectEstimate("acupuncture-sham-osteoarthritis", "Acupuncture", "sham acupuncture", "active",
                   "pain (osteoarthritis)", "trial primary endpoint", "SMD", -0.16, -0.25, -0.07,
                   29, 17922, "not graded", "vickers2012", _VICKERS),
    EffectEstimate("acupuncture-sham-headache", "Acupuncture", "sham acupuncture", "active",
                   "pain (chronic headache)", "trial primary endpoint", "SMD", -0.15, -0.24, -0.07,
                   29, 17922, "not graded", "vickers2012", _VICKERS),
    EffectEstimate("acupuncture-none-back-neck", "Acupuncture", "no acupuncture", "inactive",
                   "pain (back and neck pain)", "trial primary endpoint", "SMD", -0.55, -0.58, -0.51,
                   29, 17922, "not graded", "vickers2012", _VICKERS),
    EffectEstimate("acupuncture-none-osteoarthritis", "Acupuncture", "no acupuncture", "inactive",
                   "pain (osteoarthritis)", "trial primary endpoint", "SMD", -0.57, -0.64, -0.50,
                   29, 17922, "not graded", "vickers2012", _VICKERS),
    EffectEstimate("acupuncture-none-headache", "Acupuncture", "no acupuncture", "inactive",
                   "pain (chronic headache)", "trial primary endpoint", "SMD", -0.42, -0.46, -0.37,
                   29, 17922, "not graded", "vickers2012", _VICKERS),
    EffectEstimate("multidisciplinary-usual-care", "Multidisciplinary rehabilitation", "usual care",
                   "inactive", "pain (chronic low back pain)", "long term", "SMD", -0.21, -0.37, -0.04,
                   16, None, "moderate", "kamper2015", "abstract (BMJ 2015;350:h444)"),
    EffectEstimate("multidisciplinary-physical", "Multidisciplinary rehabilitation", "physical treatment",
                   "active", "pain (chronic low back pain)", "long term", "SMD", -0.51, -1.04, 0.01,
                   19, None, "low", "kamper2015", "abstract (BMJ 2015;350:h444)"),
    EffectEstimate("cbt-usual-care", "CBT", "treatment as usual or waiting list", "inactive",
                   "pain (mixed chronic pain)", "end of treatment", "SMD", -0.22, -0.33, -0.10,
                   29, 2572, "GRADE rating not seen", "williams2020", _WILLIAMS_SECONDARY),
    EffectEstimate("cbt-active-control", "CBT", "active control", "active",
                   "pain (mixed chronic pain)", "end of treatment", "SMD", -0.09, -0.17, -0.01,
                   23, 3235, "GRADE rating not seen", "williams2020", _WILLIAMS_SECONDARY),
    EffectEstimate("exercise-no-treatment", "Exercise", "no treatment, usual care or placebo",
                   "inactive", "pain (chronic low back pain)", "about 3 months", "MD (0-10 points)",
                   -1.5, -1.8, -1.2, 35, 2746, "moderate", "hayden2021", _HAYDEN),
    EffectEstimate("exercise-other-conservative", "Exercise", "other conservative treatments",
                   "active", "pain (chronic low back pain)", "about 3 months", "MD (0-10 points)",
                   -0.9, -1.3, -0.6, 64, 6295, "low", "hayden2021", _HAYDEN),
    EffectEstimate("prt-placebo-post", "Pain reprocessing therapy", "open-label placebo injection",
                   "active", "pain (primary chronic back pain)", "end of treatment (4 weeks)",
                   "MD (0-10 points)", -1.66, None, None, 1, 101, "not graded", "ashar2022",
                   _ASHAR_SECONDARY),
    EffectEstimate("prt-usual-care-post", "Pain reprocessing therapy", "usual care", "inactive",
                   "pain (primary chronic back pain)", "end of treatment (4 weeks)",
                   "MD (0-10 points)", -1.95, None, None, 1, 100, "not graded", "ashar2022",
                   _ASHAR_SECONDARY),
    EffectEstimate("prt-placebo-1y", "Pain reprocessing therapy", "open-label placebo injection",
                   "active", "pain (primary chronic back pain)", "1 year", "MD (0-10 points)",
                   -1.28, None, None, 1, 101, "not graded", "ashar2022", _ASHAR_SECONDARY),
    EffectEstimate("prt-usual-care-1y", "Pain reprocessing therapy", "usual care", "inactive",
                   "pain (primary chronic back pain)", "1 year", "MD (0-10 points)",
                   -1.49, None, None, 1, 100, "not graded", "ashar2022", _ASHAR_SECONDARY),
    EffectEstimate("prt-placebo-5y", "Pain reprocessing therapy", "open-label placebo injection",
                   "active", "pain (primary chronic back pain)", "5 years", "MD (0-10 points)",
                   -1.26, None, None, 1, None, "not graded", "ashar2025",
                   "adjusted group means in a news report (Medscape); difference computed here"),
    EffectEstimate("prt-usual-care-5y", "Pain reprocessing therapy", "usual care", "inactive",
                   "pain (primary chronic back pain)", "5 years", "MD (0-10 points)",
                   -0.67, None, None, 1, None, "not graded", "ashar2025",
                   "adjusted group means in a news report (Medscape); difference computed here"),
    EffectEstimate("massage-touch-immediate", "Massage", "simple touch", "active",
                   "pain (advanced cancer)", "immediately after each session", "MD (0-10 points)",
                   -0.90, None, None, 1, 298, "not graded", "kutner2008", "abstract (PubMed 18794556)"),
    EffectEstimate("massage-touch-sustained", "Massage", "simple touch", "active",
                   "pain (advanced cancer, BPI mean)", "over 3 weeks", "MD (0-10 points)",
                   0.07, -0.23, 0.37, 1, 348, "not graded", "kutner2008",
                   "abstract (PubMed 18794556); sign as reported"),
)

NARRATIVE_FINDINGS: dict[str, tuple[str, str]] = {
    # therapy: (certainty, reference) for findings seen only as words, with no pooled number
    "Mindfulness": ("low", "hilton2017"),
    "Exercise and physical activity": ("low", "geneen2017"),
}

ASHAR2022_PAIN_FREE = {"PRT": (33, 50), "placebo": (10, 51), "usual care": (5, 50)}  # 0-1/10 after treatment
ASHAR2025_PAIN_FREE_PERCENT = {"PRT": 55, "placebo": 26, "usual care": 36}            # at 5 years


def effect(key: str) -> EffectEstimate:
    """The estimate with this key; KeyError names the known keys."""
    for item in EFFECTS:
        if item.key == key:
            return item
    raise KeyError(f"no effect estimate {key!r}; known: {', '.join(e.key for e in EFFECTS)}")


def _positive(name: str, value: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if not number > 0 or number == float("inf"):
        raise ValueError(f"{name} must be a finite number greater than zero, got {value!r}")
    return number


def _finite(name: str, value: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return number


def smd_to_points(smd: float, sd_points: float) -> float:
    """An SMD re-expressed in points of a 0-10 scale whose SD is ``sd_points``.

    Kamper 2015 called their SMD of 0.21 "equivalent to 0.5 points"; that implies an SD of
    about 2.4 points, and with it the conversion reproduces their half point:

    >>> round(KAMPER2015_IMPLIED_SD_POINTS, 2)
    2.38
    >>> round(smd_to_points(-0.21, KAMPER2015_IMPLIED_SD_POINTS), 2)
    -0.5

    Acupuncture vs sham for back and neck pain (SMD -0.23) is about half a point at the same SD,
    half the 1-point MID; vs no acupuncture (-0.55) it is about 1.3 points:

    >>> round(smd_to_points(-0.23, 2.38), 2), round(smd_to_points(-0.55, 2.38), 2)
    (-0.55, -1.31)
    """
    return _finite("smd", smd) * _positive("sd_points", sd_points)


def points_to_smd(points: float, sd_points: float) -> float:
    """A difference in points of a 0-10 scale expressed in SD units (the inverse of ``smd_to_points``).

    >>> round(points_to_smd(MID_POINTS, KAMPER2015_IMPLIED_SD_POINTS), 2)  # the 1-point MID as an SMD
    0.42
    """
    return _finite("points", points) / _positive("sd_points", sd_points)


def fraction_of_mid(points: float, mid_points: float = MID_POINTS) -> float:
    """How much of the minimal important difference a benefit of ``points`` reaches (size only).

    >>> fraction_of_mid(-0.5)   # Kamper 2015 vs usual care: half the 1-point MID
    0.5
    """
    return abs(_finite("points", points)) / _positive("mid_points", mid_points)


def compare_with_mid(estimate_points: float, ci_low_points: float | None = None,
                     ci_high_points: float | None = None, mid_points: float = MID_POINTS) -> str:
    """Where a between-group difference in points (negative = benefit) lies relative to the MID.

    One of ``"harm or no effect"``, ``"benefit below the MID"``, ``"benefit beyond the MID, but the
    interval includes smaller effects"``, ``"interval includes no effect"`` (point estimate a benefit,
    interval crossing zero), ``"whole interval beyond the MID"``, or, without an interval,
    ``"benefit at or beyond the MID (no interval)"``.

    >>> compare_with_mid(-0.5, -0.88, -0.10)          # multidisciplinary rehabilitation vs usual care
    'benefit below the MID'
    >>> compare_with_mid(-1.66)                       # PRT vs placebo after treatment, no interval seen
    'benefit at or beyond the MID (no interval)'
    >>> compare_with_mid(0.07, -0.23, 0.37)           # massage vs simple touch over 3 weeks
    'harm or no effect'
    """
    estimate = _finite("estimate_points", estimate_points)
    mid = _positive("mid_points", mid_points)
    if (ci_low_points is None) != (ci_high_points is None):
        raise ValueError("give both ci_low_points and ci_high_points, or neither")
    if estimate >= 0:
        return "harm or no effect"
    if ci_low_points is None:
        if -estimate >= mid:
            return "benefit at or beyond the MID (no interval)"
        return "benefit below the MID"
    low, high = sorted((_finite("ci_low_points", ci_low_points), _finite("ci_high_points", ci_high_points)))
    if not low <= estimate <= high:
        raise ValueError(f"estimate_points {estimate} lies outside its interval ({low}, {high})")
    if high >= 0:
        return "interval includes no effect"
    if -high >= mid:
        return "whole interval beyond the MID"
    if -estimate >= mid:
        return "benefit beyond the MID, but the interval includes smaller effects"
    return "benefit below the MID"


def immpact_category(percent_decrease: float) -> str:
    """IMMPACT's benchmark (Dworkin 2008) for one patient's decrease in 0-10 pain, in percent.

    >>> immpact_category(100 * (4.2 - 2.8) / 4.2)     # 4.2 -> 2.8 is a 33% decrease
    'moderately important'
    >>> immpact_category(5)
    'below the minimally important change'
    """
    percent = _finite("percent_decrease", percent_decrease)
    if percent >= IMMPACT_SUBSTANTIAL_PERCENT:
        return "substantial"
    if percent >= IMMPACT_MODERATE_PERCENT:
        return "moderately important"
    if percent >= IMMPACT_MINIMAL_PERCENT:
        return "minimally important"
    return "below the minimally important change"


def effect_in_points(item: EffectEstimate, sd_points: float) -> tuple[float, float | None, float | None]:
    """An estimate and its interval in 0-10 points (SMDs converted with ``sd_points``)."""
    if item.measure == "MD (0-10 points)":
        return item.estimate, item.ci_low, item.ci_high
    convert = lambda value: None if value is None else smd_to_points(value, sd_points)  # noqa: E731
    return convert(item.estimate), convert(item.ci_low), convert(item.ci_high)


# --- the fear-avoidance cycle (Vlaeyen & Linton 2000; Leeuw et al. 2007) ----------------------
# The vicious cycle, in order; after the last step the cycle returns to the first.
FEAR_AVOIDANCE_STEPS: tuple[str, ...] = (
    "pain_experience",
    "catastrophising",
    "pain_related_fear",
    "avoidance_hypervigilance",
    "disuse_depression_disability",
)
# The route the model proposes for people with little fear: pain -> confrontation -> recovery.
RECOVERY_ROUTE: tuple[str, ...] = ("pain_experience", "confrontation", "recovery")

# Evidence for the model's own links, separate from the evidence for any therapy.
LINK_EVIDENCE: dict[tuple[str, str], tuple[str, str]] = {
    # (from, to): (what was shown, reference)
    ("pain_related_fear", "disuse_depression_disability"): (
        "cross-sectional association; predictive value inconsistent; very low certainty",
        "martinezcalderon2019"),
    ("pain_related_fear", "pain_experience"): (
        "cross-sectional association with pain intensity; very low certainty", "martinezcalderon2019"),
}

EVIDENCE_LEVELS = (
    "pooled RCTs, moderate certainty",
    "pooled RCTs, low certainty",
    "pooled RCTs, small effects",
    "one RCT",
    "one RCT, short-lived effect",
    "not tested on its own",
)


@dataclass(frozen=True)
class TherapyTarget:
    """Which steps of the cycle a therapy aims at, and how strong the evidence for the therapy is."""

    therapy: str
    steps: tuple[str, ...]
    evidence_level: str
    effect_keys: tuple[str, ...]
    references: tuple[str, ...]

    def __post_init__(self):
        unknown = [s for s in self.steps if s not in FEAR_AVOIDANCE_STEPS + RECOVERY_ROUTE]
        if unknown:
            raise ValueError(f"{self.therapy}: unknown steps {unknown}")
        if self.evidence_level not in EVIDENCE_LEVELS:
            raise ValueError(f"{self.therapy}: evidence_level must be one of {EVIDENCE_LEVELS}")


THERAPY_TARGETS: tuple[TherapyTarget, ...] = (
    TherapyTarget("pain_reprocessing", ("catastrophising", "pain_related_fear"), "one RCT",
                  ("prt-placebo-post", "prt-usual-care-post", "prt-placebo-1y", "prt-usual-care-1y",
                   "prt-placebo-5y", "prt-usual-care-5y"), ("ashar2022", "ashar2025")),
    TherapyTarget("somatic_tracking", ("pain_related_fear",), "not tested on its own", (),
                  ("ashar2022",)),
    TherapyTarget("cbt", ("catastrophising", "pain_related_fear", "avoidance_hypervigilance",
                          "disuse_depression_disability"), "pooled RCTs, small effects",
                  ("cbt-usual-care", "cbt-active-control"), ("williams2020",)),
    TherapyTarget("mindfulness", ("catastrophising", "avoidance_hypervigilance"),
                  "pooled RCTs, low certainty", (), ("hilton2017",)),
    TherapyTarget("exercise", ("avoidance_hypervigilance", "disuse_depression_disability"),
                  "pooled RCTs, moderate certainty", ("exercise-no-treatment", "exercise-other-conservative"),
                  ("geneen2017", "hayden2021")),
    TherapyTarget("multidisciplinary", ("pain_related_fear", "avoidance_hypervigilance",
                                        "disuse_depression_disability"),
                  "pooled RCTs, moderate certainty",
                  ("multidisciplinary-usual-care", "multidisciplinary-physical"), ("kamper2015",)),
    TherapyTarget("acupuncture", ("pain_experience",), "pooled RCTs, small effects",
                  tuple(e.key for e in EFFECTS if e.therapy == "Acupuncture"),
                  ("vickers2012", "vickers2018")),
    TherapyTarget("massage", ("pain_experience",), "one RCT, short-lived effect",
                  ("massage-touch-immediate", "massage-touch-sustained"), ("kutner2008",)),
)


def target(therapy: str) -> TherapyTarget:
    """The target of ``therapy`` (an id of ``THERAPY_TARGETS``); KeyError names the known ids."""
    for item in THERAPY_TARGETS:
        if item.therapy == therapy:
            return item
    raise KeyError(f"no therapy {therapy!r}; known: {', '.join(t.therapy for t in THERAPY_TARGETS)}")


def next_step(step: str) -> str:
    """The step that follows ``step`` in the vicious cycle (the last returns to the first).

    >>> next_step("disuse_depression_disability")
    'pain_experience'
    """
    if step not in FEAR_AVOIDANCE_STEPS:
        raise ValueError(f"step must be one of {FEAR_AVOIDANCE_STEPS}, got {step!r}")
    index = FEAR_AVOIDANCE_STEPS.index(step)
    return FEAR_AVOIDANCE_STEPS[(index + 1) % len(FEAR_AVOIDANCE_STEPS)]
