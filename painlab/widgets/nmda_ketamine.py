"""Interactive diagrams for lesson 03 (NMDA receptors and ketamine).

- ``nmda_gating_simulator()``: voltage, glutamate, glycine, Mg2+ and ketamine -> NMDA current,
  with the Jahr & Stevens (1990) Mg2+ block and ketamine's use-dependent block.
- ``wind_up_diagram()``: a train of C-fibre stimuli and the response of a model dorsal-horn
  neuron, with and without NMDA block.
- ``ketamine_infusion_model()``: plasma ketamine over time for a regimen, against the
  concentration ranges where analgesia, psychedelic effects and anaesthesia are reported.

Labels and explanations come from assets/content/03-nmda-ketamine.yaml; here only the sentences
that interpolate numbers. Plotly and ipywidgets are imported inside the functions.
"""

from painlab.content import lesson_content
from painlab.models import nmda_ketamine as model

STEM = "03-nmda-ketamine"


# --- 1. gating simulator ----------------------------------------------------------------------
def describe_gating(voltage_mV: float, glutamate_uM: float, glycine_uM: float, mg_mM: float,
                    ketamine_uM: float) -> str:
    state = model.GatingState(voltage_mV, glutamate_uM, glycine_uM, mg_mM, ketamine_uM)
    parts = [f"At {voltage_mV:.0f} mV with {glutamate_uM:g} µM glutamate, {glycine_uM:g} µM "
             f"glycine, {mg_mM:g} mM Mg²⁺ and {ketamine_uM:g} µM ketamine: "]
    if state.open_fraction < 0.005:
        missing = [name for name, value in (("glutamate", glutamate_uM),
                                            ("glycine", glycine_uM)) if value <= 0]
        parts.append(f"the channel stays shut because {' and '.join(missing) or 'agonist'} is "
                     f"missing; both co-agonists are needed. No current flows, and in this "
                     f"model ketamine cannot reach its site inside the closed pore, so the block "
                     f"stays at 0%. ")
    else:
        parts.append(
            f"{state.open_fraction:.0%} of the receptors have both co-agonists bound; Mg²⁺ leaves "
            f"{state.mg_unblocked:.1%} of the open channels conducting (Jahr & Stevens); after 20 "
            f"activations ketamine blocks {state.ketamine_blocked:.0%} of the receptors. The "
            f"current is {state.current_pA:.1f} pA, against {state.current_without_mg_pA:.1f} pA "
            f"with no Mg²⁺ and no ketamine. ")
    parts.append("Left: three current-voltage curves, dotted without Mg²⁺, dashed with Mg²⁺, "
                 "solid with Mg²⁺ and ketamine, and a diamond at the chosen voltage. Right: the "
                 "percentage of receptors blocked by ketamine after each activation (solid with "
                 "squares) and if every channel opened (dashed). ")
    return "".join(parts) + lesson_content(STEM)["gating"]["note"]


def nmda_gating_simulator(voltage_mV: float = -60, glutamate_uM: float = 10,
                          glycine_uM: float = 10, mg_mM: float = 1.0, ketamine_uM: float = 0.5):
    """The NMDA gating simulator (Mg2+ block pinned to Jahr & Stevens 1990)."""
    from painlab.figures.nmda_ketamine import gating_base, gating_update
    from painlab.widgets.base import Diagram, slider

    text = lesson_content(STEM)["gating"]
    ranges = model.SIMULATOR_RANGES
    controls = {
        "voltage_mV": slider("Membrane voltage", voltage_mV, *ranges["voltage_mV"], 5,
                             unit="mV", readout_format=".0f"),
        "glutamate_uM": slider("Glutamate", glutamate_uM, *ranges["glutamate_uM"], 1,
                               unit="µM", readout_format=".0f"),
        "glycine_uM": slider("Glycine (or D-serine)", glycine_uM, *ranges["glycine_uM"],
                             0.5, unit="µM", readout_format=".1f"),
        "mg_mM": slider("Extracellular Mg²⁺", mg_mM, *ranges["mg_mM"], 0.1, unit="mM",
                        readout_format=".1f"),
        "ketamine_uM": slider("Ketamine", ketamine_uM, *ranges["ketamine_uM"], 0.1,
                              unit="µM", readout_format=".1f"),
    }
    return Diagram(title=text["title"], intro=text["intro"], controls=controls,
                   base=gating_base, update=gating_update, describe=describe_gating)


# --- 2. infusion model ------------------------------------------------------------------------
def describe_infusion(regimen: str, weight_kg: float, dose_percent: float) -> str:
    chosen = model.REGIMENS[regimen]
    t, conc = model.concentration_profile(chosen, weight_kg, dose_percent / 100)
    peak = int(conc.argmax())
    bands = model.BANDS_NG_PER_ML
    analgesic = model.time_in_band_h(t, conc, bands["analgesic"])
    above_psychedelic = float((conc >= bands["psychedelic"][0]).sum() * model.TIME_STEP_H)
    mu_ratio = float(model.um_to_ng_per_ml(model.HIROTA1999_MU_KI_UM)) / conc[peak]
    text = (f"{chosen.label}, {weight_kg:.0f} kg, {dose_percent:.0f}% of the dose, shown over "
            f"{chosen.hours:.0f} h on a logarithmic concentration axis. The peak is "
            f"{conc[peak]:.0f} ng/mL ({float(model.ng_per_ml_to_um(conc[peak])):.2f} µM) at "
            f"{t[peak]:.1f} h (diamond); at the end it is {conc[-1]:.0f} ng/mL. The concentration "
            f"is in the range reported after analgesic doses (70-160 ng/mL) for {analgesic:.1f} h "
            f"and at or above 50 ng/mL, where psychedelic effects begin in volunteers, for "
            f"{above_psychedelic:.1f} h. ")
    if conc[peak] >= bands["anaesthetic"][0]:
        text += "The peak reaches the range seen after anaesthetic induction doses. "
    text += (f"The mu-opioid receptor Ki (about 10,000 ng/mL) is {mu_ratio:.0f} times the peak. "
             f"Shaded bands with written labels mark the ranges; dashed and dotted lines the "
             f"opioid-receptor Ki values. ")
    return text + lesson_content(STEM)["infusion"]["note"]


def ketamine_infusion_model(regimen: str = "IV infusion", weight_kg: float = 70,
                            dose_percent: float = 100):
    """Plasma ketamine for five regimens against reported concentration ranges (clearance and
    volume pinned to Kamp 2020; the rest illustrative)."""
    from painlab.figures.nmda_ketamine import infusion_base, infusion_update
    from painlab.widgets.base import Diagram, choice, slider

    text = lesson_content(STEM)["infusion"]
    controls = {
        "regimen": choice("Regimen", list(model.REGIMENS), regimen),
        "weight_kg": slider("Body weight", weight_kg, 40, 140, 5, unit="kg",
                            readout_format=".0f"),
        "dose_percent": slider("Dose", dose_percent, 25, 200, 25, unit="% of the regimen",
                               readout_format=".0f"),
    }
    return Diagram(title=text["title"], intro=text["intro"], controls=controls,
                   base=infusion_base, update=infusion_update, describe=describe_infusion)


# --- 3. wind-up -------------------------------------------------------------------------------
# Stimulus rates offered, as (button label, Hz): below, at and above the rate where temporal
# summation begins in people (every 3 s, 0.33 Hz), and the 0.5 Hz of the rat recordings.
WINDUP_FREQUENCIES = (("0.1 Hz", 0.1), ("0.2 Hz", 0.2), ("0.33 Hz", 1 / 3), ("0.5 Hz", 0.5),
                      ("1 Hz", 1.0), ("2 Hz", 2.0))


def describe_windup(frequency_Hz: float, stimuli: float, nmda_block_percent: float) -> str:
    text = lesson_content(STEM)["windup"]
    train = model.WindUp(frequency_Hz, int(round(stimuli)), nmda_block_percent / 100)
    control, blocked = train.control, train.blocked
    interval_s = 1 / frequency_Hz
    noun = "stimulus" if train.stimuli == 1 else "stimuli"
    parts = [f"{train.stimuli} {noun} at {frequency_Hz:.2g} Hz (one every {interval_s:.3g} s). "]
    if train.stimuli == 1:
        parts.append(f"A single stimulus evokes {control[0]:.1f} action potentials without "
                     f"block and {blocked[0]:.1f} with {nmda_block_percent:.0f}% of NMDA "
                     f"receptors blocked; wind-up needs a train. ")
    else:
        parts.append(
            f"Without NMDA block (dashed line, circles) the response rises from "
            f"{control[0]:.1f} to {control[-1]:.1f} action potentials, {train.fold_control:.2f} "
            f"times the first; {model.wind_up_spikes(control):.0f} spikes above the first "
            f"response in all. ")
        if nmda_block_percent > 0:
            remaining = train.wind_up_remaining
            parts.append(
                f"With {nmda_block_percent:.0f}% of NMDA receptors blocked (solid line, squares) "
                f"the first response is {abs(train.first_response_change):.0%} smaller "
                f"({blocked[0]:.1f}) and the last is {blocked[-1]:.1f}, "
                f"{train.fold_blocked:.2f} times the first")
            parts.append(f"; {remaining:.0%} of the wind-up remains. " if remaining == remaining
                         else ". ")
        else:
            parts.append("With no block the two lines coincide. ")
        # The reason depends on the rate (about every 3 s or faster summates), not on the size
        # of the rise: a short train at a fast rate rises little for another reason.
        summating_rate = interval_s <= model.PRICE1977_LONGEST_SUMMATING_INTERVAL_S + 1e-9
        parts.append(text["summating"] if summating_rate else text["not_summating"])
        if summating_rate and train.fold_control < 1.3:
            parts.append(" " + text["short_train"])
        parts.append(" ")
    parts.append("A dotted line marks the first response without block. ")
    return "".join(parts) + text["note"]


def wind_up_diagram(frequency_Hz: float = 0.5, stimuli: int = 16,
                    nmda_block_percent: float = 0):
    """Wind-up of a model dorsal-horn neuron during a train of C-fibre stimuli, with and without
    NMDA block (protocol and qualitative effects pinned to published studies; numbers
    illustrative)."""
    from painlab.figures.nmda_ketamine import WINDUP_MAX_STIMULI, windup_base, windup_update
    from painlab.widgets.base import Diagram, choice, slider

    text = lesson_content(STEM)["windup"]
    values = [value for _, value in WINDUP_FREQUENCIES]
    chosen = min(values, key=lambda value: abs(value - frequency_Hz))
    controls = {
        "frequency_Hz": choice(text["frequency_label"], list(WINDUP_FREQUENCIES), chosen),
        "stimuli": slider(text["stimuli_label"], stimuli, 1, WINDUP_MAX_STIMULI, 1,
                          readout_format=".0f"),
        "nmda_block_percent": slider(text["block_label"], nmda_block_percent, 0, 100, 10,
                                     unit="%", readout_format=".0f"),
    }
    return Diagram(title=text["title"], intro=text["intro"], controls=controls,
                   base=windup_base, update=windup_update, describe=describe_windup)
