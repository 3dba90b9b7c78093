"""The runbook model: the plan an incident follows, as immutable values.

A runbook is loaded once (from YAML or Markdown), validated, and then snapshotted
into the incident's first event, so an incident keeps following the plan it was
declared with even if the file on disk changes afterwards.
"""

from __future__ import annotations

from enum import StrEnum

from msgspec import Struct, field

from runbooks.notify_model import RESOLUTION_TEMPLATE as RESOLUTION_TEMPLATE
from runbooks.notify_model import Cadence as Cadence
from runbooks.notify_model import Moment as Moment
from runbooks.notify_model import MomentKind as MomentKind
from runbooks.notify_model import NotifyTarget as NotifyTarget
from runbooks.notify_model import SendMode as SendMode
from runbooks.notify_model import SendRule as SendRule
from runbooks.notify_model import StatusPage as StatusPage
from runbooks.variable_use import VariableUse as VariableUse


class StepKind(StrEnum):
    """What the coordinator does to complete a step."""

    CHECK = "check"
    """A manual action confirmed by ticking it."""
    APPROVAL = "approval"
    """A gate: it stays blocked until someone holding `approver` approves it."""
    COMMUNICATION = "communication"
    """A message rendered from one of the runbook's templates."""
    VERIFICATION = "verification"
    """A check backed by a health probe's evidence."""
    COMMAND = "command"
    """A shell command, run only when the coordinator confirms."""
    DATABASE = "database"
    """The choice between the runbook's database rollback tiers."""


class DeploymentPattern(StrEnum):
    """How the release was deployed, which decides how it is rolled back."""

    BLUE_GREEN = "blue-green"
    ROLLING = "rolling"
    RECREATE = "recreate"


class TriggerKind(StrEnum):
    """How a rollback trigger is decided."""

    METRIC = "metric"
    """A probe's value compared with a threshold (error rate > 5%)."""
    CONSECUTIVE_FAILURES = "consecutive_failures"
    """N failed health checks in a row."""
    MANUAL = "manual"
    """A human judgement (core functionality broken)."""


class ProbeKind(StrEnum):
    """What a probe asks of production."""

    HTTP = "http"
    VERSION = "version"
    PROMETHEUS = "prometheus"


class Reduce(StrEnum):
    """How a Prometheus probe folds several series into its one value.

    Prometheus returns series in no fixed order, so "the first one" would switch
    between polls: a probe either gets one series or states one of these.
    """

    MAX = "max"
    MIN = "min"
    SUM = "sum"
    AVG = "avg"


class DataLoss(StrEnum):
    """How much data a database rollback tier can lose."""

    NONE = "none"
    POSSIBLE = "possible"
    CERTAIN = "certain"


TEMPLATE_PLACEHOLDERS: frozenset[str] = frozenset(
    {
        "id",
        "title",
        "severity",
        "issue",
        "eta",
        "commander",
        "channel",
        "from_version",
        "last_good_version",
        "pattern",
        "elapsed",
        "time",
        "phase",
        "next_update",
        "next_update_sentence",
        "status",
        "rollback_sentence",
        "service_now",
        "version_now",
    }
)
"""Placeholders a communication template may use; anything else is a runbook error.
The README's Placeholders table says what each is filled with
(`incident.comms.templates.template_context`): `{time}` is the clock time the message is
written (`12:18 UTC`), what stakeholders read; `{elapsed}` is T+, for those who know
T+0."""

DEFAULT_ROLES: tuple[str, ...] = (
    "incident-commander",
    "deployment-coordinator",
    "comms-lead",
    "ops",
    "leadership",
)
"""Roles every runbook knows, whether or not it lists them."""


DECLARATION_FIELDS: tuple[str, ...] = ("commander", "channel")
"""The declaration's fields a step may say it is done by (`Step.done_by_declaration`):
naming the incident commander assigns one; naming the channel, created before the
declaration, is the channel created. Each is a `Declared` field of the same name."""


class Window(Struct, frozen=True):
    """A phase's target window in minutes after the declaration (placed on the T+
    clock by `incident.core.phase_windows`); `end_min` None means open-ended."""

    start_min: int
    end_min: int | None


class Step(Struct, frozen=True):
    """One thing to do in a phase."""

    id: str
    title: str
    phase_id: str
    kind: StepKind = StepKind.CHECK
    guidance: str = ""
    owner: str | None = None
    """The role expected to do it."""
    required: bool = True
    approver: str | None = None
    """Role whose approval unblocks the step (approval gates)."""
    template: str | None = None
    """Template id, for communication steps."""
    probe: str | None = None
    """Probe name, for verification steps."""
    evidence: str | None = None
    """What the probe must show for the step to count as verified."""
    command: str | None = None
    """Shell command, for command steps; run only on confirmation."""
    patterns: tuple[DeploymentPattern, ...] = ()
    """Deployment patterns this step applies to; empty means all."""
    verify: CommandCheck | None = None
    """For a command step: how to read back that the command took."""
    done_by_declaration: str | None = None
    """The declaration's field (one of `DECLARATION_FIELDS`) whose value, given when the
    incident is declared, does this step: it is recorded done then, by whoever declared
    (`incident.commands.declared_steps`). None: the step is done during the incident."""

    @property
    def requires_approval(self) -> bool:
        return self.approver is not None


class CommandCheck(Struct, frozen=True):
    """How a command step reads back that its command took: another command, run
    until its output shows what is expected or the deadline passes.

    Exactly one expectation: `regex` (searched in the merged output), `json_path`
    with `equals` (the output is JSON; the value at the dotted path, as text), or
    else `exit_code` (0 by default)."""

    command: str
    exit_code: int = 0
    regex: str | None = None
    json_path: str | None = None
    equals: str | None = None
    within_s: float = 300.0
    """Give up once this long has passed since the first try."""
    every_s: float = 5.0
    """Wait this long between tries."""

    @property
    def expectation(self) -> str:
        """What must show, in the words the evidence uses."""
        if self.regex is not None:
            return f"output matches /{self.regex}/"
        if self.json_path is not None:
            return f"{self.json_path} == {self.equals}"
        return f"exit {self.exit_code}"


class Phase(Struct, frozen=True):
    """A stage of the rollback with its time window, the steps done in it."""

    id: str
    title: str
    window: Window | None
    summary: str = ""
    steps: tuple[Step, ...] = ()


class Trigger(Struct, frozen=True):
    """A condition that, when met, says: roll back now."""

    id: str
    title: str
    kind: TriggerKind
    probe: str | None = None
    op: str | None = None
    """One of >, >=, <, <=, ==, != for metric triggers."""
    threshold: float | None = None
    for_samples: int = 1
    """Consecutive samples over threshold before the trigger is met."""
    count: int | None = None
    """Consecutive failures, for consecutive_failures triggers."""


class DatabaseTier(Struct, frozen=True):
    """One of the guide's three ways to deal with the database."""

    id: str
    title: str
    risk: str
    data_loss: DataLoss
    guidance: str = ""
    approver: str | None = None
    """Role whose approval is required before this tier may be executed."""
    command: str | None = None
    """Shell command that carries the tier out, run from the database step once the
    tier is chosen (and approved), as a command step runs its own; None: done by hand."""
    verify: CommandCheck | None = None
    """How to read back that `command` took, as a command step's `verify`."""


class Probe(Struct, frozen=True):
    """A question asked of production on an interval.

    The URL and header values may reference `${ENV_VAR}`; they are expanded only at
    request time and never stored in the record.
    """

    name: str
    kind: ProbeKind
    url: str
    expect_status: int = 200
    json_field: str | None = None
    query: str | None = None
    interval_s: float = 5.0
    timeout_s: float = 2.0
    headers: tuple[tuple[str, str], ...] = ()
    threshold: float | None = None
    """Value above which the probe's panel shows a breach (display only)."""
    unit: str = ""
    baseline: float | None = None
    """The healthy value ("error rates returning to baseline levels"), if known upfront."""
    reduce: Reduce | None = None
    """Prometheus only: how several series become one value; None means exactly one."""
    uses: tuple[VariableUse, ...] = ()
    """Where the runbook uses each variable it reads (`VariableUse`), set when it is
    built; none for a probe made alone (`lastgood init`'s, `impact --prometheus`'s):
    its own request decides."""


class PatternInfo(Struct, frozen=True):
    """How the runbook names and explains one deployment pattern."""

    id: DeploymentPattern
    title: str
    description: str = ""


class Runbook(Struct, frozen=True):
    """The whole plan an incident follows, as validated from its file or its snapshot."""

    id: str
    title: str
    phases: tuple[Phase, ...]
    description: str = ""
    roles: tuple[str, ...] = DEFAULT_ROLES
    patterns: tuple[PatternInfo, ...] = ()
    default_pattern: DeploymentPattern | None = None
    triggers: tuple[Trigger, ...] = ()
    database_tiers: tuple[DatabaseTier, ...] = ()
    templates: tuple[tuple[str, str], ...] = ()
    """(template id, text) pairs, in file order."""
    probes: tuple[Probe, ...] = ()
    cadence: Cadence = field(default_factory=Cadence)
    notify_targets: tuple[NotifyTarget, ...] = ()
    notify_rules: tuple[SendRule, ...] = ()
    """Per template: the targets its messages go to, and the moment they are due."""
    status_page: StatusPage | None = None
    """The page people read for the incident's status, and the target that posts to it."""
    no_status_page: bool = False
    """`status_page: none`: the team has no status page, and says so; the resolution's
    message alone then communicates it (without `status_page:` nothing is said)."""
    source: str = ""
    """Where the runbook was loaded from, for messages."""

    def steps(self) -> tuple[Step, ...]:
        return tuple(step for phase in self.phases for step in phase.steps)

    def step(self, step_id: str) -> Step | None:
        for step in self.steps():
            if step.id == step_id:
                return step
        return None

    def phase(self, phase_id: str) -> Phase | None:
        for phase in self.phases:
            if phase.id == phase_id:
                return phase
        return None

    def template(self, template_id: str) -> str | None:
        return dict(self.templates).get(template_id)

    def database_tier(self, tier_id: str) -> DatabaseTier | None:
        for tier in self.database_tiers:
            if tier.id == tier_id:
                return tier
        return None

    def targets_for(self, template_id: str | None) -> tuple[NotifyTarget, ...]:
        """The webhook targets a message from `template_id` goes to (none for free text)."""
        names = next((r.targets for r in self.notify_rules if r.template == template_id), ())
        page = self.status_page
        if page is not None and page.target and page.takes(template_id):
            names = (*names, page.target)
        return tuple(t for t in self.notify_targets if t.name in names)

    def timed_rules(self) -> tuple[SendRule, ...]:
        """The rules that make a message due at a moment, in file order."""
        return tuple(rule for rule in self.notify_rules if rule.on is not None)

    def sent_once(self, template_id: str | None) -> bool:
        """Whether a rule makes `template_id` due at a moment that comes once per
        incident (declared, a step or a phase done): a second message from it tells
        stakeholders the same news again."""
        return any(
            rule.template == template_id and rule.on is not None and rule.on.once
            for rule in self.notify_rules
        )

    def to_responders(self, template_id: str | None) -> bool:
        """Whether the runbook says a message from `template_id` goes to the responders
        (`cadence.to_responders`), not to stakeholders: no update to them."""
        return template_id is not None and template_id in self.cadence.to_responders

    def probe(self, name: str) -> Probe | None:
        for probe in self.probes:
            if probe.name == name:
                return probe
        return None
