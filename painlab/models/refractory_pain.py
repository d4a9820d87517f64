"""Refractory pain: the pain pathway as data, treatment histories, and the test of whether a
history meets the literature's definition of refractory pain. Pure Python; no plotting.

What comes from the literature and what does not
------------------------------------------------
- The definition applied is Currow, Spruyt & Hardy 2012 (J Palliat Med 15:5-6): refractory pain
  "has persisted over time despite an adequate trial of analgesic therapies and
  nonpharmacological approaches including the recognition and response to suffering", and the
  trial "must specify not only medication selection but also dose and duration of use"; the
  definition "need not set an arbitrary time" before pain is called refractory.
- The seven parts of an adequate trial (``REQUIREMENTS``) are this module's reading of that
  definition and of the reviews cited with each part in assets/content/01-refractory-pain.yaml
  (Afsharimani et al. 2015; Caraceni et al. 2012, the EAPC recommendations; Finnerup et al.
  2015). No consensus checklist exists; the list is a teaching device, not a clinical tool.
- Numbers: refractory cancer pain in 10-20% of patients (Afsharimani et al. 2015, Support Care
  Cancer 23:1473); pain prevalence in cancer (van den Beuken-van Everdingen et al. 2016, JPSM
  51:1070); chronic pain = more than 3 months (Treede et al. 2019, Pain 160:19); independent
  predictors of slower pain control in 1100 patients with advanced cancer (Fainsinger et al.
  2010, Eur J Cancer 46:2896). Each is pinned in tests/unit/test_refractory_pain.py.
- The histories are invented teaching cases.

The pathway (sites and agents) is read from the lesson's content file; other lessons add agents
under ``pathway_agents`` in their own content files (``pathway_agents()`` merges them).
"""

from dataclasses import dataclass, field, replace
from functools import cache

# --- numbers from the literature --------------------------------------------------------------
REFRACTORY_CANCER_PAIN_PERCENT = (10.0, 20.0)   # Afsharimani 2015: "occurs in 10-20% of patients"
SOURCE_004_PERCENT = 2.0                        # source S004's "Nearly 2%": no source, no population
CHRONIC_PAIN_MIN_MONTHS = 3                     # ICD-11: persists or recurs for more than 3 months
CANCER_PAIN_PREVALENCE_PERCENT = {              # van den Beuken-van Everdingen 2016
    "after curative treatment": 39.3,
    "during anticancer treatment": 55.0,
    "advanced, metastatic or terminal disease": 66.4,
    "moderate to severe pain (NRS >= 5), all patients": 38.0,
}
POOR_CONTROL_PREDICTORS = (                     # Fainsinger 2010, multivariate analysis (n = 1100)
    "younger age", "neuropathic pain", "incident pain", "psychological distress", "pain intensity")

# --- vocabularies -------------------------------------------------------------------------------
EVIDENCE_LEVELS = {
    "human": "shown in people",
    "animal": "shown in animals or cells only",
    "proposed": "proposed; little direct evidence",
}
STRATEGIES = {  # lane order of the timeline, top to bottom
    "opioid-titration": "Opioid titration",
    "opioid-rotation": "Opioid rotation",
    "route-change": "Change of route",
    "adjuvant": "Non-opioid or co-analgesic",
    "non-drug": "Non-drug care",
    "interventional": "Interventional or disease-directed",
    "specialist": "Specialist pain or palliative care",
    "reassessment": "Reassessment of cause",
}
STATUSES = {
    "completed": "given at an effective dose for long enough to judge",
    "dose-limited": "titrated until adverse effects stopped further increases",
    "stopped-early": "stopped before an adequate dose or duration",
    "considered": "reviewed by the team (done, or judged unsuitable)",
}
SETTINGS = ("cancer", "non-cancer")
MECHANISMS = ("nociceptive", "neuropathic", "nociplastic", "mixed")

# requirement id -> the strategies that can meet it and the statuses that count as adequate
REQUIREMENTS = {
    "titration": (("opioid-titration",), ("completed", "dose-limited")),
    "rotation_or_route": (("opioid-rotation", "route-change"), ("completed", "dose-limited")),
    "adjuvant": (("adjuvant",), ("completed", "dose-limited")),
    "non_drug": (("non-drug",), ("completed",)),
    "interventional": (("interventional",), ("completed", "considered")),
    "specialist": (("specialist",), ("completed",)),
    "reassessment": (("reassessment",), ("completed",)),
}
VERDICTS = ("meets-definition", "not-adequate-trial", "pain-controlled")
# The strategies a student can add to a history in the explorer, in the order of its checkboxes.
ADDABLE = ("titration", "rotation_or_route", "adjuvant", "non_drug", "interventional",
           "specialist", "reassessment")


# --- the pathway --------------------------------------------------------------------------------
def _content(stem: str = "01-refractory-pain") -> dict:
    from painlab.content import lesson_content

    return lesson_content(stem)


def verdict_text(verdict: str) -> str:
    """What a verdict of the history explorer says, in words (from the content file)."""
    return _content()["verdicts"][verdict]


def requirement_labels() -> dict[str, str]:
    """Part of an adequate trial -> how the explorer names it (from the content file)."""
    return {r["id"]: r["label"] for r in _content()["trial"]["requirements"]}


@cache
def pathway_sites() -> dict[str, dict]:
    """Site id -> {name, short, role}, in display order (from the content file)."""
    return {site["id"]: site for site in _content()["pathway"]["sites"]}


def validate_agent(agent: dict, where: str = "content file") -> dict:
    """Check one agent entry; raise ValueError naming the agent and the problem."""
    name = agent.get("id", "?")
    missing = {"id", "name", "kind", "lesson", "sites", "clinical"} - set(agent)
    if missing:
        raise ValueError(f"{where}: pathway agent {name} lacks {', '.join(sorted(missing))}")
    if agent["kind"] not in ("drug", "procedure", "non-drug"):
        raise ValueError(f"{where}: pathway agent {name}: kind {agent['kind']!r} is not one of "
                         "drug, procedure, non-drug")
    if not agent["sites"]:
        raise ValueError(f"{where}: pathway agent {name} acts at no site")
    for site, entry in agent["sites"].items():
        if site not in pathway_sites():
            raise ValueError(f"{where}: pathway agent {name}: unknown site {site!r}; choose one "
                             f"of {', '.join(pathway_sites())}")
        if entry.get("evidence") not in EVIDENCE_LEVELS:
            raise ValueError(f"{where}: pathway agent {name} at {site}: evidence "
                             f"{entry.get('evidence')!r} is not one of {', '.join(EVIDENCE_LEVELS)}")
        if not entry.get("action"):
            raise ValueError(f"{where}: pathway agent {name} at {site} has no action")
    return agent


@cache
def pathway_agents() -> dict[str, dict]:
    """Agent id -> entry: this lesson's agents, then those other lessons list under
    ``pathway_agents`` in their own content files (in course order)."""
    from painlab import manifest, paths

    agents: dict[str, dict] = {}
    for agent in _content()["pathway"]["agents"]:
        agents[agent["id"]] = validate_agent(agent, "01-refractory-pain.yaml")
    for lesson in manifest.lessons():
        if lesson.stem == "01-refractory-pain" or not lesson.content_file.exists():
            continue
        for agent in (paths.read_yaml(lesson.content_file) or {}).get("pathway_agents") or []:
            where = lesson.content_file.name
            validate_agent(agent, where)
            if agent["id"] in agents:
                raise ValueError(f"{where}: pathway agent {agent['id']} is already defined")
            agents[agent["id"]] = agent
    return agents


def agents_at(site: str) -> list[str]:
    """Ids of the agents that act at ``site``."""
    if site not in pathway_sites():
        raise ValueError(f"site must be one of {', '.join(pathway_sites())}, got {site!r}")
    return [key for key, agent in pathway_agents().items() if site in agent["sites"]]


# --- treatment histories ----------------------------------------------------------------------
@dataclass(frozen=True)
class Step:
    """One strategy tried. Weeks from the start of the history. ``label``: a short name for the
    timeline (``what`` when empty)."""

    strategy: str
    what: str
    start_week: float
    weeks: float
    status: str
    adverse: str = ""
    label: str = ""

    def __post_init__(self):
        if self.strategy not in STRATEGIES:
            raise ValueError(f"strategy must be one of {', '.join(STRATEGIES)}, got "
                             f"{self.strategy!r}")
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}, got {self.status!r}")
        for name in ("start_week", "weeks"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise ValueError(f"{name} must be a number of weeks >= 0, got {value!r}")

    @property
    def end_week(self) -> float:
        return self.start_week + self.weeks

    @property
    def short(self) -> str:
        return self.label or self.what


@dataclass(frozen=True)
class History:
    id: str
    title: str
    setting: str
    mechanism: str
    story: str
    pain_persists: bool
    steps: tuple[Step, ...] = field(default_factory=tuple)

    def __post_init__(self):
        if self.setting not in SETTINGS:
            raise ValueError(f"setting must be one of {', '.join(SETTINGS)}, got {self.setting!r}")
        if self.mechanism not in MECHANISMS:
            raise ValueError(f"mechanism must be one of {', '.join(MECHANISMS)}, got "
                             f"{self.mechanism!r}")

    @property
    def end_week(self) -> float:
        return max((s.end_week for s in self.steps), default=0.0)


def _history_from(entry: dict) -> History:
    steps = tuple(Step(**step) for step in entry["steps"])
    fields = {k: entry[k] for k in ("id", "title", "setting", "mechanism", "story",
                                     "pain_persists")}
    return History(**fields, steps=steps)


@cache
def histories() -> dict[str, History]:
    """The lesson's treatment histories by id (from the content file)."""
    return {entry["id"]: _history_from(entry) for entry in _content()["histories"]}


def history(history_id: str) -> History:
    if history_id not in histories():
        raise ValueError(f"history must be one of {', '.join(histories())}, got {history_id!r}")
    return histories()[history_id]


def with_additions(base: History, requirement_ids) -> History:
    """``base`` with a standard step added (after its last step) for each requirement id."""
    additions = _content()["additions"]
    steps = list(base.steps)
    start = base.end_week
    for requirement in requirement_ids:
        if requirement not in REQUIREMENTS:
            raise ValueError(f"requirement must be one of {', '.join(REQUIREMENTS)}, got "
                             f"{requirement!r}")
        steps.append(Step(start_week=start, **additions[requirement]))
    return replace(base, steps=tuple(steps))


@dataclass(frozen=True)
class Assessment:
    met: dict            # requirement id -> tuple of the steps that meet it (empty: missing)
    verdict: str         # one of VERDICTS
    narrow_verdict: str  # the same test under source S000's "highest safe dose" definition

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(r for r, steps in self.met.items() if not steps)


def assess(hist: History) -> Assessment:
    """Which parts of an adequate trial a history shows, and the verdict under the definition
    of Currow 2012 (see the module docstring) and under source S000's narrower definition
    (one opioid at the highest dose tolerated)."""
    met = {}
    for requirement, (strategies, statuses) in REQUIREMENTS.items():
        met[requirement] = tuple(s for s in hist.steps
                                 if s.strategy in strategies and s.status in statuses)
    if not hist.pain_persists:
        verdict = narrow = "pain-controlled"
    else:
        verdict = "meets-definition" if all(met.values()) else "not-adequate-trial"
        maxed = any(s.strategy == "opioid-titration" and s.status in ("completed", "dose-limited")
                    for s in hist.steps)
        narrow = "meets-definition" if maxed else "not-adequate-trial"
    return Assessment(met=met, verdict=verdict, narrow_verdict=narrow)


def expected_refractory_count(patients_with_cancer_pain: int) -> tuple[float, float]:
    """Range of patients expected to have refractory pain among ``patients_with_cancer_pain``,
    from the 10-20% of Afsharimani 2015 (an estimate from a review, not a measured rate)."""
    if isinstance(patients_with_cancer_pain, bool) or not isinstance(
            patients_with_cancer_pain, int) or patients_with_cancer_pain < 0:
        raise ValueError("patients_with_cancer_pain must be a whole number >= 0, got "
                         f"{patients_with_cancer_pain!r}")
    low, high = REFRACTORY_CANCER_PAIN_PERCENT
    return patients_with_cancer_pain * low / 100, patients_with_cancer_pain * high / 100


@cache
def quiz_histories() -> dict[str, History]:
    """The quiz's treatment histories by id (content file, key ``quiz_histories``)."""
    return {entry["id"]: _history_from(entry) for entry in _content()["quiz_histories"]}


def quiz_history(history_id: str) -> History:
    if history_id not in quiz_histories():
        raise ValueError(f"there is no quiz history {history_id!r}; choose one of "
                         f"{', '.join(quiz_histories())}")
    return quiz_histories()[history_id]
