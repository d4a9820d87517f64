"""Lesson 03: the NMDA receptor, ketamine's use-dependent block, and ketamine in plasma.

Pure numpy. Three models, each with what is sourced and what is not:

1. **Mg2+ block of the NMDA channel** (PINNED). The fraction of the NMDA conductance left unblocked
   by extracellular Mg2+ at membrane voltage V is the Jahr & Stevens (1990) gating function

       B(V, [Mg]) = 1 / (1 + [Mg]/3.57 mM * exp(-0.062 /mV * V))

   fitted to whole-cell NMDA currents of cultured hippocampal neurons at 1 uM - 10 mM Mg2+
   (J Neurosci 10:3178). At -60 mV and 1 mM Mg2+ it gives 0.080: about 8% of the channels conduct.
   The two constants are those that published neuron models attribute to the paper (e.g.
   1/(1 + 0.28/mM [Mg] exp(-0.062 V)) in ModelDB models citing Jahr & Stevens 1990); models that
   correct for a liquid-junction potential use 2.62 mM instead of 3.57 mM. The paper's own text
   was not seen. The unit test pins the function to these constants.

2. **Gating by the two co-agonists and ketamine's open-channel block** (ILLUSTRATIVE numbers,
   sourced mechanism). The channel opens only when glutamate (on GluN2) AND glycine or D-serine
   (on GluN1) are bound, so the two occupancies multiply. Their EC50s (2 uM glutamate, 1 uM
   glycine, Hill slope 1.5) are round numbers of the order reported for recombinant receptors,
   chosen for teaching, not fitted. Ketamine blocks in two ways (Orser 1997): it plugs the open
   pore at the phencyclidine site (use-dependent: block develops only while channels open), and
   it lowers the frequency of opening. The model has only the first. Its half-blocking
   concentration here, 1 uM, is a round number in the range Orser 1997's single-channel data
   imply (1 uM left 24-63% of channel opening); the second mechanism, the voltage dependence of
   ketamine's own block and its competition with Mg2+ are left out.
   Current = g_max x occupancies x B(V, Mg) x (1 - ketamine block) x (V - 0 mV), g_max = 1 nS.

3. **Ketamine in plasma** (clearance and volume PINNED, shape ILLUSTRATIVE). A two-compartment
   model whose total clearance (79 L/h per 70 kg) and volume of distribution (252 L per 70 kg)
   are the weighted means of a meta-analysis of 18 pharmacokinetic studies (Kamp 2020,
   Anesthesiology 133:1192). How the volume splits between a central and a peripheral compartment
   (70 L : 182 L) and the distribution clearance (150 L/h) are illustrative choices that give a
   distribution half-life of minutes and a terminal half-life of about 3 h (reported ~2-3 h;
   Yanagihara 2003: IV terminal half-life about 120 min). Oral bioavailability is 20% (racemic
   oral tablet, Yanagihara 2003); the absorption rate (1.5 /h) is illustrative. Subcutaneous
   infusions are treated as fully absorbed (an assumption). Norketamine is not modelled.
   Concentrations are total (bound + free) venous plasma ketamine, in ng/mL.

4. **Wind-up** (protocol and qualitative behaviour PINNED, numbers ILLUSTRATIVE). A train of
   identical C-fibre stimuli; each leaves a slow depolarisation of the dorsal-horn neuron that
   decays with a time constant of 6 s, and adds an NMDA part that grows as depolarisation relieves
   the Mg2+ block (the Jahr & Stevens function above, 1 mM Mg2+). The response to each stimulus
   (action potentials) is a fixed non-NMDA part, a part that grows with depolarisation, and an
   NMDA part; a fraction of the NMDA receptors can be blocked. What the unit tests pin:
   - the protocol of Dickenson & Sullivan 1987 (Neuropharmacology 26:1235): 16 stimuli at 0.5 Hz
     produce wind-up; the NMDA antagonist AP5 "produced minor changes" in the A- and C-fibre
     input but "reliably reduced" wind-up. In the model full block lowers the first response by
     13% and removes most of the wind-up;
   - frequency dependence, BORROWED from human psychophysics, not fitted to animal recordings
     (the rat study used 0.5 Hz only): second pain summated when heat pulses came every 3 s or
     more often (Price 1977, Pain 3:57), robustly at 0.33 Hz but not at 0.17 Hz (Staud 2007,
     Pain 129:130). In the model 0.33 Hz winds up and 0.1 and 0.17 Hz barely do.
   The "voltage" is a notional depolarisation variable that sets the Mg2+ unblock, not a
   recorded membrane potential (a neuron held 40 mV depolarised would stop firing); the
   "non-NMDA" slow step stands in for everything else that builds the cumulative depolarisation
   (L-type Ca2+ channels and Ca2+-activated cation currents in Aguiar 2010's model; other
   synaptic currents). Illustrative, not fitted to any recording: the time constant, the step
   sizes, the spike counts, the fold increase (about 2.6 after 16 stimuli at 0.5 Hz) and the
   wind-up left under full block (about 12%). Reported fold increases and how much an
   antagonist leaves vary between neurons, preparations and studies.

Also: risk difference, NNT/NNH and their Wald 95% confidence interval from two arms' event counts.
"""

from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np

# --- 1. Mg2+ block (Jahr & Stevens 1990) ---------------------------------------------------
JS_MG_HALF_MM = 3.57          # [Mg] giving half block at 0 mV
JS_SLOPE_PER_MV = 0.062       # e-fold change of block per 16 mV
NMDA_REVERSAL_MV = 0.0        # non-selective cation channel
G_MAX_NS = 1.0                # illustrative maximal conductance

# --- 2. co-agonists and ketamine (illustrative) --------------------------------------------
GLUTAMATE_EC50_UM = 2.0
GLYCINE_EC50_UM = 1.0
AGONIST_HILL = 1.5
KETAMINE_IC50_UM = 1.0
# Fraction of the remaining approach to steady-state block made in one activation with every
# channel open (illustrative; sets how many activations the block needs to build up).
KETAMINE_BLOCK_PER_OPENING = 0.25
# The ranges the gating simulator lets a student explore, (min, max) of each control: its
# sliders, and its fixed current axis, which holds every current these ranges can give.
SIMULATOR_RANGES = {"voltage_mV": (-100, 40), "glutamate_uM": (0, 100), "glycine_uM": (0, 30),
                    "mg_mM": (0, 2), "ketamine_uM": (0, 10)}

# --- 3. pharmacokinetics ----------------------------------------------------------------------
KETAMINE_MOLAR_MASS_G_PER_MOL = 237.7   # ketamine base, C13H16ClNO
CLEARANCE_L_PER_H_70KG = 79.0           # Kamp 2020, weighted mean
VOLUME_L_70KG = 252.0                   # Kamp 2020, weighted mean
CENTRAL_VOLUME_L_70KG = 70.0            # illustrative split
DISTRIBUTION_CLEARANCE_L_PER_H_70KG = 150.0   # illustrative
ORAL_BIOAVAILABILITY = 0.20             # Yanagihara 2003 (racemic oral tablet)
ORAL_ABSORPTION_PER_H = 1.5             # illustrative
TIME_STEP_H = 1 / 30                    # 2 minutes

# Concentration ranges reported in people (total plasma ketamine, ng/mL), with their sources.
BANDS_NG_PER_ML = {
    "psychedelic": (50.0, 200.0),     # Bowdle 1998: effects rise linearly over 50-200 ng/mL
    "analgesic": (70.0, 160.0),       # Zanos 2018, table 1: after IV 0.15 mg/kg and similar
    "anaesthetic": (1200.0, 2400.0),  # Zanos 2018, table 1: after IV induction, 1-2 mg/kg
}
HIROTA1999_MU_KI_UM = 42.0              # pKi 4.38 at mu-opioid receptors
HIROTA1999_KAPPA_KI_UM = 28.0           # pKi 4.55 at kappa


def _positive(name: str, value: float, allow_zero: bool = True) -> float:
    value = float(value)
    if not np.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        raise ValueError(f"{name} must be {'non-negative' if allow_zero else 'positive'}, "
                         f"not {value!r}")
    return value


def um_to_ng_per_ml(concentration_uM):
    """Micromolar to ng/mL of ketamine base (1 uM = 237.7 ng/mL)."""
    return np.asarray(concentration_uM) * KETAMINE_MOLAR_MASS_G_PER_MOL


def ng_per_ml_to_um(concentration_ng_per_ml):
    return np.asarray(concentration_ng_per_ml) / KETAMINE_MOLAR_MASS_G_PER_MOL


# --- 1 and 2: gating ------------------------------------------------------------------------
def mg_unblocked_fraction(voltage_mV, mg_mM):
    """Jahr & Stevens (1990): fraction of the NMDA conductance not blocked by Mg2+."""
    _positive("mg_mM", np.min(mg_mM))
    voltage = np.asarray(voltage_mV, dtype=float)
    return 1.0 / (1.0 + np.asarray(mg_mM) / JS_MG_HALF_MM * np.exp(-JS_SLOPE_PER_MV * voltage))


def agonist_occupancy(concentration_uM, ec50_uM):
    """Fraction of receptors with the agonist bound (Hill equation)."""
    c = np.asarray(concentration_uM, dtype=float)
    if np.any(c < 0):
        raise ValueError("agonist concentration_uM must be non-negative")
    return c ** AGONIST_HILL / (ec50_uM ** AGONIST_HILL + c ** AGONIST_HILL)


def open_fraction(glutamate_uM, glycine_uM):
    """Both co-agonists are needed: the occupancies multiply, so either at zero closes it."""
    return (agonist_occupancy(glutamate_uM, GLUTAMATE_EC50_UM)
            * agonist_occupancy(glycine_uM, GLYCINE_EC50_UM))


def ketamine_steady_block(ketamine_uM):
    """Fraction of channels blocked by ketamine once block has built up (channels opening)."""
    k = _positive("ketamine_uM", ketamine_uM)
    return k / (k + KETAMINE_IC50_UM)


def ketamine_block_by_activation(ketamine_uM, open_frac, activations: int = 20):
    """Fraction of receptors with ketamine trapped in the pore after each of ``activations``
    synaptic activations, starting from none: use dependence. Block approaches its steady state
    only in proportion to how many channels open; with no opening it never starts."""
    steady = ketamine_steady_block(ketamine_uM)
    open_frac = float(np.clip(open_frac, 0.0, 1.0))
    step = 1.0 - np.exp(-KETAMINE_BLOCK_PER_OPENING * open_frac * 4.0)
    n = np.arange(activations + 1)
    return steady * (1.0 - (1.0 - step) ** n)


def nmda_current_pA(voltage_mV, glutamate_uM, glycine_uM, mg_mM, ketamine_blocked=0.0):
    """NMDA current (pA; inward negative) for the given conditions and ketamine-blocked fraction."""
    voltage = np.asarray(voltage_mV, dtype=float)
    conductance = (G_MAX_NS * open_fraction(glutamate_uM, glycine_uM)
                   * mg_unblocked_fraction(voltage, mg_mM) * (1.0 - ketamine_blocked))
    return conductance * (voltage - NMDA_REVERSAL_MV)


@dataclass(frozen=True)
class GatingState:
    voltage_mV: float
    glutamate_uM: float
    glycine_uM: float
    mg_mM: float
    ketamine_uM: float

    @property
    def open_fraction(self) -> float:
        return float(open_fraction(self.glutamate_uM, self.glycine_uM))

    @property
    def mg_unblocked(self) -> float:
        return float(mg_unblocked_fraction(self.voltage_mV, self.mg_mM))

    @property
    def ketamine_blocked(self) -> float:
        """Block reached after 20 activations at these conditions (0 if channels never open)."""
        return float(ketamine_block_by_activation(self.ketamine_uM, self.open_fraction)[-1])

    @property
    def current_pA(self) -> float:
        return float(nmda_current_pA(self.voltage_mV, self.glutamate_uM, self.glycine_uM,
                                     self.mg_mM, self.ketamine_blocked))

    @property
    def current_without_mg_pA(self) -> float:
        return float(nmda_current_pA(self.voltage_mV, self.glutamate_uM, self.glycine_uM, 0.0))


# --- 3: pharmacokinetics ----------------------------------------------------------------------
@dataclass(frozen=True)
class Regimen:
    """A dosing regimen for a 70-kg adult, scaled by weight where it is given per kg.
    bolus_mg_per_kg: IV bolus at time 0; infusions: (start h, end h, mg/kg/h or mg/h);
    oral_mg_per_kg: oral doses at the given times."""

    label: str
    source: str
    hours: float = 24.0
    bolus_mg_per_kg: float = 0.0
    infusion_mg_per_kg_per_h: tuple = ()   # ((start_h, end_h, rate), ...)
    infusion_mg_per_h: tuple = ()          # fixed rate, not per kg
    oral_mg_per_kg: tuple = ()             # ((time_h, dose), ...)


REGIMENS = {
    "IV bolus": Regimen("IV bolus of 0.15 mg/kg", "eide1994", hours=8.0, bolus_mg_per_kg=0.15),
    "IV infusion": Regimen("IV infusion of 0.35 mg/kg/h for 4 h", "schwartzman2009", hours=8.0,
                           infusion_mg_per_kg_per_h=((0.0, 4.0, 0.35),)),
    "IV anaesthetic dose": Regimen("IV induction dose of 2 mg/kg", "ketalar", hours=8.0,
                                   bolus_mg_per_kg=2.0),
    "oral": Regimen("oral 0.5 mg/kg every 8 h", "", hours=24.0,
                    oral_mg_per_kg=((0.0, 0.5), (8.0, 0.5), (16.0, 0.5))),
    "SC (Hardy 2012)": Regimen("subcutaneous 100, then 300, then 500 mg/24 h", "hardy2012",
                               hours=72.0,
                               infusion_mg_per_h=((0.0, 24.0, 100 / 24), (24.0, 48.0, 300 / 24),
                                                  (48.0, 72.0, 500 / 24))),
}


def scaled_parameters(weight_kg: float) -> dict:
    """Clearances and volumes scaled linearly with weight from 70 kg (a simplification)."""
    w = _positive("weight_kg", weight_kg, allow_zero=False) / 70.0
    return {"cl": CLEARANCE_L_PER_H_70KG * w, "v1": CENTRAL_VOLUME_L_70KG * w,
            "v2": (VOLUME_L_70KG - CENTRAL_VOLUME_L_70KG) * w,
            "q": DISTRIBUTION_CLEARANCE_L_PER_H_70KG * w}


def _rate_matrix(weight_kg: float) -> np.ndarray:
    """First-order rate matrix (per h) on amounts [gut, central, peripheral]."""
    p = scaled_parameters(weight_kg)
    k10, k12, k21 = p["cl"] / p["v1"], p["q"] / p["v1"], p["q"] / p["v2"]
    ka = ORAL_ABSORPTION_PER_H
    return np.array([[-ka, 0.0, 0.0],
                     [ka, -(k10 + k12), k21],
                     [0.0, k12, -k21]])


def half_lives_h(weight_kg: float = 70.0) -> tuple[float, float]:
    """Distribution and terminal half-lives (h) of the two-compartment disposition."""
    rates = -np.linalg.eigvals(_rate_matrix(weight_kg)[1:, 1:]).real
    fast, slow = max(rates), min(rates)
    return float(np.log(2) / fast), float(np.log(2) / slow)


@cache
def _unit_responses(weight_kg: float, steps: int) -> tuple[np.ndarray, np.ndarray]:
    """Central amount (mg) at each step after 1 mg put into the central compartment (IV) or into
    the gut at step 0 (exact solution via the matrix exponential)."""
    values, vectors = np.linalg.eig(_rate_matrix(weight_kg))
    inverse = np.linalg.inv(vectors)
    t = np.arange(steps) * TIME_STEP_H
    # x(t) = V exp(L t) V^-1 x0, central row only
    expo = np.exp(np.outer(t, values.real))            # steps x 3
    central_row = vectors[1].real
    iv = expo @ (central_row * inverse[:, 1].real)
    oral = expo @ (central_row * inverse[:, 0].real)
    iv.setflags(write=False)
    oral.setflags(write=False)
    return iv, oral


def concentration_profile(regimen: Regimen, weight_kg: float = 70.0, dose_scale: float = 1.0):
    """Times (h) and plasma ketamine (ng/mL) for a regimen. Infusions enter step by step; an IV
    bolus and oral doses enter at once. Cached (a diagram's figure and its description ask for
    the same profile): do not modify the returned arrays."""
    _positive("dose_scale", dose_scale)
    return _profile(regimen, float(weight_kg), float(dose_scale))


@lru_cache(maxsize=64)
def _profile(regimen: Regimen, weight_kg: float, dose_scale: float):
    steps = int(round(regimen.hours / TIME_STEP_H)) + 1
    t = np.arange(steps) * TIME_STEP_H
    iv_input = np.zeros(steps)   # mg entering the central compartment at each step
    oral_input = np.zeros(steps)
    iv_input[0] += regimen.bolus_mg_per_kg * weight_kg
    for start, end, rate in regimen.infusion_mg_per_kg_per_h:
        iv_input[(t >= start) & (t < end)] += rate * weight_kg * TIME_STEP_H
    for start, end, rate in regimen.infusion_mg_per_h:
        iv_input[(t >= start) & (t < end)] += rate * TIME_STEP_H
    for time_h, dose in regimen.oral_mg_per_kg:
        oral_input[int(round(time_h / TIME_STEP_H))] += dose * weight_kg * ORAL_BIOAVAILABILITY
    iv_response, oral_response = _unit_responses(float(weight_kg), steps)
    amount_mg = (np.convolve(iv_input, iv_response)[:steps]
                 + np.convolve(oral_input, oral_response)[:steps]) * dose_scale
    v1 = scaled_parameters(weight_kg)["v1"]
    conc = amount_mg / v1 * 1000.0   # mg/L -> ng/mL
    t.setflags(write=False)
    conc.setflags(write=False)
    return t, conc


def steady_state_ng_per_ml(rate_mg_per_h: float, weight_kg: float = 70.0) -> float:
    """Steady-state plasma concentration of a constant infusion: rate / clearance."""
    return _positive("rate_mg_per_h", rate_mg_per_h) / scaled_parameters(weight_kg)["cl"] * 1000.0


def time_in_band_h(t_h, conc_ng_per_ml, band) -> float:
    low, high = band
    inside = (np.asarray(conc_ng_per_ml) >= low) & (np.asarray(conc_ng_per_ml) <= high)
    return float(inside.sum() * TIME_STEP_H)


# --- trial arithmetic ------------------------------------------------------------------------
@dataclass(frozen=True)
class TwoArms:
    """Event counts in a treatment and a control arm, with the risk difference (treatment minus
    control), its Wald 95% CI, and the number needed to treat or harm."""

    events_treatment: int
    n_treatment: int
    events_control: int
    n_control: int

    def __post_init__(self):
        for name in ("n_treatment", "n_control"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")
        for events, n, name in ((self.events_treatment, self.n_treatment, "events_treatment"),
                                (self.events_control, self.n_control, "events_control")):
            if not 0 <= events <= n:
                raise ValueError(f"{name} must be between 0 and the arm size")

    @property
    def risk_treatment(self) -> float:
        return self.events_treatment / self.n_treatment

    @property
    def risk_control(self) -> float:
        return self.events_control / self.n_control

    @property
    def difference(self) -> float:
        return self.risk_treatment - self.risk_control

    @property
    def difference_ci(self) -> tuple[float, float]:
        p1, p2 = self.risk_treatment, self.risk_control
        se = np.sqrt(p1 * (1 - p1) / self.n_treatment + p2 * (1 - p2) / self.n_control)
        return float(self.difference - 1.959964 * se), float(self.difference + 1.959964 * se)

    @property
    def number_needed(self) -> float:
        return float("inf") if self.difference == 0 else 1.0 / abs(self.difference)

    def number_needed_text(self, good_outcome: bool = True) -> str:
        """'NNT 25 (NNTB 6 to infinity to NNTH 11)': Altman's way when the CI crosses zero."""
        low, high = self.difference_ci
        benefit, harm = ("NNTB", "NNTH") if good_outcome else ("NNTH", "NNTB")
        name = benefit if self.difference > 0 else harm
        if low > 0 or high < 0:
            a, b = sorted((1 / abs(low), 1 / abs(high)))
            return f"{name} {self.number_needed:.0f} (95% CI {a:.0f} to {b:.0f})"
        return (f"{name} {self.number_needed:.0f} (95% CI {benefit} {1 / high:.0f} to infinity "
                f"to {harm} {1 / abs(low):.0f})")


# --- 4. wind-up (protocol pinned, numbers illustrative) ----------------------------------------
# The voltages are notional (they set the Mg2+ unblock), not a recorded membrane potential.
WINDUP_REST_MV = -70.0                 # illustrative starting value
WINDUP_CEILING_MV = -20.0              # the notional depolarisation saturates towards this
WINDUP_SLOW_DECAY_S = 6.0              # decay of the slow potential left by each stimulus
WINDUP_SLOW_STEP_MV = 3.0              # non-NMDA share of the notional depolarisation, per stimulus
WINDUP_NMDA_STEP_MV = 100.0            # NMDA share per stimulus if fully unblocked (notional)
WINDUP_MG_MM = 1.0                     # extracellular Mg2+
WINDUP_BASE_SPIKES = 12.0              # non-NMDA (AMPA) part of every response
WINDUP_SPIKES_PER_MV = 0.25            # extra spikes per mV of accumulated depolarisation
WINDUP_NMDA_SPIKES = 40.0              # NMDA part of the response if fully unblocked
# Published protocols the lesson refers to.
DICKENSON1987_STIMULI, DICKENSON1987_FREQUENCY_HZ = 16, 0.5
PRICE1977_LONGEST_SUMMATING_INTERVAL_S = 3.0
STAUD2007_SUMMATING_HZ, STAUD2007_NOT_SUMMATING_HZ = 1 / 3, 1 / 6


@lru_cache(maxsize=512)
def _wind_up(frequency_Hz: float, stimuli: int, nmda_block_fraction: float) -> tuple:
    interval_s = 1.0 / frequency_Hz
    retained = np.exp(-interval_s / WINDUP_SLOW_DECAY_S)
    span = WINDUP_CEILING_MV - WINDUP_REST_MV
    accumulated, responses, voltages = 0.0, [], []
    for k in range(stimuli):
        if k:
            accumulated *= retained
        voltage = WINDUP_REST_MV + span * (1.0 - np.exp(-accumulated / span))
        nmda = float(mg_unblocked_fraction(voltage, WINDUP_MG_MM)) * (1.0 - nmda_block_fraction)
        responses.append(WINDUP_BASE_SPIKES + WINDUP_SPIKES_PER_MV * (voltage - WINDUP_REST_MV)
                         + WINDUP_NMDA_SPIKES * nmda)
        voltages.append(voltage)
        accumulated += WINDUP_SLOW_STEP_MV + WINDUP_NMDA_STEP_MV * nmda
    return tuple(responses), tuple(voltages)


def wind_up_train(frequency_Hz: float, stimuli: int, nmda_block_fraction: float = 0.0):
    """Action potentials evoked by each stimulus of a train of ``stimuli`` identical C-fibre
    stimuli at ``frequency_Hz``, with ``nmda_block_fraction`` of the NMDA receptors blocked.

    >>> r = wind_up_train(0.5, 16)           # Dickenson & Sullivan's protocol
    >>> round(float(r[-1] / r[0]), 1)        # illustrative fold increase
    2.6
    >>> slow = wind_up_train(0.1, 16)        # one stimulus every 10 s
    >>> round(float(slow[-1] / slow[0]), 2)
    1.05
    """
    frequency = _positive("frequency_Hz", frequency_Hz, allow_zero=False)
    if frequency > 20:
        raise ValueError(f"frequency_Hz must be at most 20 (a C-fibre train), not {frequency!r}")
    n = int(round(float(stimuli)))
    if n < 1 or n > 100:
        raise ValueError(f"stimuli must be between 1 and 100, not {stimuli!r}")
    block = float(nmda_block_fraction)
    if not 0.0 <= block <= 1.0:
        raise ValueError(f"nmda_block_fraction must be between 0 and 1, not {block!r}")
    return np.array(_wind_up(frequency, n, round(block, 6))[0])


def wind_up_depolarisation_mV(frequency_Hz: float, stimuli: int,
                              nmda_block_fraction: float = 0.0):
    """The notional depolarisation variable (mV) just before each stimulus of the train: it sets
    the Mg2+ unblock in the model; it is not a recorded membrane potential."""
    wind_up_train(frequency_Hz, stimuli, nmda_block_fraction)  # validates
    return np.array(_wind_up(float(frequency_Hz), int(round(float(stimuli))),
                             round(float(nmda_block_fraction), 6))[1])


def wind_up_spikes(responses_spikes) -> float:
    """Wind-up as often quantified: the spikes above the first response, summed over the train."""
    r = np.asarray(responses_spikes, dtype=float)
    return float((r - r[0]).sum())


@dataclass(frozen=True)
class WindUp:
    """One train, with and without the chosen NMDA block."""

    frequency_Hz: float
    stimuli: int
    nmda_block_fraction: float

    @property
    def control(self):
        return wind_up_train(self.frequency_Hz, self.stimuli, 0.0)

    @property
    def blocked(self):
        return wind_up_train(self.frequency_Hz, self.stimuli, self.nmda_block_fraction)

    @property
    def fold_control(self) -> float:
        return float(self.control[-1] / self.control[0])

    @property
    def fold_blocked(self) -> float:
        return float(self.blocked[-1] / self.blocked[0])

    @property
    def first_response_change(self) -> float:
        """Relative change of the first response under the block (negative: smaller)."""
        return float(self.blocked[0] / self.control[0] - 1.0)

    @property
    def wind_up_remaining(self) -> float:
        """Fraction of the control wind-up left under the block (nan if there is none)."""
        control = wind_up_spikes(self.control)
        return wind_up_spikes(self.blocked) / control if control > 0.5 else float("nan")
