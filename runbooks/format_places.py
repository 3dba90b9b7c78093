"""The runbook format's places and values, in words: the table `runbooks.format_reference`
writes the reference from.

Each place names the key tuple its reader takes (`runbooks.build_context`); only the
words are written here, one per key, and `format_reference.reference_text` refuses a
key without words or words for a key the reader does not take.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from msgspec import Struct

from runbooks.build_context import (
    CADENCE_KEYS,
    NOTIFY_KEYS,
    OPS,
    PATTERN_KEYS,
    PHASE_KEYS,
    PROBE_KEYS,
    RUNBOOK_KEYS,
    SEND_KEYS,
    STATUS_PAGE_KEYS,
    STEP_KEYS,
    STEPS_FROM_KEYS,
    TARGET_KEYS,
    TIER_KEYS,
    TRIGGER_KEYS,
    VERIFY_KEYS,
)
from runbooks.build_notify import MOMENT_FORMS, TARGET_KINDS
from runbooks.limits import MAX_TITLE_CHARS
from runbooks.model import (
    DECLARATION_FIELDS,
    DEFAULT_ROLES,
    RESOLUTION_TEMPLATE,
    DataLoss,
    DeploymentPattern,
    ProbeKind,
    Reduce,
    SendMode,
    StepKind,
    TriggerKind,
)

Words = Mapping[str, tuple[str, str]]
"""Key -> (required: `yes`, `` or when, what it takes)."""


class Place(Struct, frozen=True):
    """One mapping of a runbook: where it is written, the keys its reader takes."""

    heading: str
    where: str
    keys: tuple[str, ...]
    words: Words


def codes(values: Iterable[str]) -> str:
    return ", ".join(f"`{value}`" for value in values)


ROLE = "a role: one of the runbook's `roles` or a default one"

PLACES: tuple[Place, ...] = (
    Place(
        "The runbook",
        "the top level of the file",
        RUNBOOK_KEYS,
        {
            "runbook": ("yes", "the runbook's id (letters, digits, `-`, `_`, `.`; up to 64)"),
            "title": ("yes", f"one line, at most {MAX_TITLE_CHARS} characters"),
            "description": ("", "prose"),
            "roles": (
                "",
                "a list of role ids, added to the default roles "
                f"({codes(DEFAULT_ROLES)}); `owner` and `approver` name one of them",
            ),
            "default_pattern": ("", "a pattern defined under `patterns`"),
            "patterns": (
                "",
                f"a mapping of deployment pattern ({codes(DeploymentPattern)}) to a pattern",
            ),
            "triggers": ("", "a list of rollback triggers"),
            "database_tiers": ("", "a list of database tiers (needed by a `database` step)"),
            "templates": (
                "",
                "a mapping of template id to its text, with `{placeholders}` (below)",
            ),
            "cadence": ("", "the stakeholder update cadence"),
            "probes": ("", "a list of probes"),
            "notify": ("", "where messages are delivered, and when they are due"),
            "status_page": (
                "",
                "the page people read for the incident's status, or `none`: the team has "
                "none, and the resolution's message alone communicates it",
            ),
            "phases": ("yes", "a list of at least one phase"),
        },
    ),
    Place(
        "A pattern",
        "each value under `patterns:` (its key is `blue-green`, `rolling` or `recreate`)",
        PATTERN_KEYS,
        {"title": ("yes", "one line"), "description": ("", "prose")},
    ),
    Place(
        "A phase",
        "each entry of `phases:`",
        PHASE_KEYS,
        {
            "id": ("yes", "the phase's id, unique in the runbook"),
            "title": ("yes", "one line"),
            "window": (
                "",
                "`[start, end]` in minutes after the declaration; `end` may be `null` "
                "(open-ended); leave it out for no window (close-out)",
            ),
            "summary": ("", "prose"),
            "steps": ("yes, or `steps_from`", "a list of steps"),
            "steps_from": (
                "",
                "a Markdown checklist whose `- [ ]` tasks become plain `check` steps after "
                "`steps`: a file name, or `{file: ..., section: ...}` (a heading or a list "
                "of headings) for a file with tasks under several headings",
            ),
        },
    ),
    Place(
        "`steps_from` as a mapping",
        "`steps_from: {file: ..., section: ...}`",
        STEPS_FROM_KEYS,
        {
            "file": ("yes", "the Markdown file, relative to the runbook's directory"),
            "section": ("", "a heading of the file (without its window), or a list of them"),
        },
    ),
    Place(
        "A step",
        "each entry of a phase's `steps:`",
        STEP_KEYS,
        {
            "id": ("yes", "the step's id, unique in the runbook and not a database tier's"),
            "title": ("yes", "one line"),
            "kind": ("", "the step kind (below); default `check`"),
            "guidance": ("", "prose shown with the step; no placeholders"),
            "owner": ("", f"who does it: {ROLE}"),
            "required": ("", "`true` (default) or `false`: an optional step"),
            "approver": ("`approval` steps", f"whose approval unblocks it: {ROLE}"),
            "template": ("`communication` steps", "the id of a template under `templates`"),
            "probe": (
                "",
                "`verification` steps only: the probe whose readings are its evidence; "
                "without one the evidence is typed when the step is checked",
            ),
            "evidence": (
                "",
                "`verification` steps only: prose saying what the evidence should show, "
                "for the people reading the runbook. It is not an expression and is not "
                "evaluated: a version probe's step is judged against the incident's last "
                "good version, a number probe's against its baseline and threshold",
            ),
            "command": (
                "`command` steps",
                "one shell command, run only on confirmation; it takes the command "
                "placeholders (below), each value quoted for the shell",
            ),
            "patterns": (
                "",
                "the deployment patterns the step applies to (a list, or one); "
                "default every pattern",
            ),
            "verify": ("", "`command` steps only: how to read back that the command took"),
            "done_by_declaration": (
                "",
                f"`check` steps only: the declaration's field that does the step, one of "
                f"{codes(DECLARATION_FIELDS)}. Declaring with it given records the step "
                "done, by whoever declared, at the declaration's time, with the reason "
                "(`done by the declaration: commander Ada`); left empty, the step stays "
                "open. Not with `approver`",
            ),
        },
    ),
    Place(
        "A command step's `verify`",
        "`verify:` of a `command` step or of a database tier",
        VERIFY_KEYS,
        {
            "command": ("yes", "the shell command to run until it shows what is expected"),
            "exit_code": ("", "0-255; the expectation when no other is given (default 0)"),
            "regex": ("", "a regular expression searched in the output"),
            "json_path": (
                "with `equals`",
                "a dotted path of fields and list indexes into the JSON output "
                "(`status.phase`, `items.0.id`)",
            ),
            "equals": ("with `json_path`", "the value expected there, compared as written"),
            "within_s": ("", "seconds to keep trying (default 300)"),
            "every_s": ("", "seconds between tries (default 5, at most `within_s`)"),
        },
    ),
    Place(
        "A probe",
        "each entry of `probes:`",
        PROBE_KEYS,
        {
            "name": ("yes", "the probe's name, unique; steps and triggers name it"),
            "kind": ("yes", f"one of {codes(ProbeKind)}"),
            "url": (
                "yes",
                "the URL polled (for `prometheus`, the server); may read the environment "
                "with `${NAME}` or `${NAME:-default}`",
            ),
            "expect_status": ("", "`http` and `version`: the status that is healthy (default 200)"),
            "json_field": (
                "",
                "`http` and `version`: a dotted path into the JSON answer; a number part "
                "indexes a list (`data.result.0.metric.version`); no `$`, `[0]` or `*`. A "
                "`version` probe without one reads the body's first line",
            ),
            "query": ("`prometheus` probes", "the PromQL query: a scalar or exactly one series"),
            "reduce": (
                "",
                f"`prometheus` only: how several series make one ({codes(Reduce)})",
            ),
            "interval_s": ("", "seconds between polls (default 5)"),
            "timeout_s": ("", "seconds a poll may take (default 2)"),
            "headers": ("", "a mapping of header name to value; values may read `${NAME}`"),
            "threshold": (
                "",
                "the panel's breach line; taken from the probe's metric trigger when left "
                "out, and must equal it when written",
            ),
            "unit": ("", "shown after the value (`ratio` shows a percentage)"),
            "baseline": ("", "the healthy value, if known before the incident"),
        },
    ),
    Place(
        "A trigger",
        "each entry of `triggers:`",
        TRIGGER_KEYS,
        {
            "id": ("yes", "the trigger's id, unique"),
            "title": ("yes", "one line"),
            "kind": ("yes", f"one of {codes(TriggerKind)}"),
            "probe": (
                "`metric`, `consecutive_failures`",
                "the probe it reads (a numeric one for `metric`)",
            ),
            "op": ("`metric` triggers", f"one of {codes(OPS)}"),
            "threshold": (
                "`metric` triggers",
                "the number the probe's value is compared with (a `unit: ratio` probe's 5% "
                "is 0.05; above 1 it could never fire and is refused)",
            ),
            "for_samples": ("", "`metric` only: samples in a row before it is met (default 1)"),
            "count": ("`consecutive_failures`", "failed polls in a row before it is met"),
        },
    ),
    Place(
        "A database tier",
        "each entry of `database_tiers:`",
        TIER_KEYS,
        {
            "id": ("yes", "the tier's id, unique (`approve tier:ID` names it)"),
            "title": ("yes", "one line"),
            "risk": ("yes", "prose: what choosing it risks"),
            "data_loss": ("yes", f"one of {codes(DataLoss)}"),
            "guidance": ("", "prose shown when tiers are chosen"),
            "approver": ("", f"whose approval the tier needs before it is taken: {ROLE}"),
            "command": (
                "",
                "one shell command that carries the tier out, as a `command` step's (the "
                "command placeholders, below): once the tier is chosen (and approved), "
                "running the `database` step runs it and checks the step on exit 0",
            ),
            "verify": ("", "with `command`: how to read back that it took, as a step's `verify`"),
        },
    ),
    Place(
        "The cadence",
        "`cadence:`",
        CADENCE_KEYS,
        {
            "first_update_min": ("", "minutes to the first stakeholder update (default 5)"),
            "every_min": ("", "minutes between updates after it (default 20)"),
            "to_responders": (
                "",
                "template ids whose messages go to the responders, not stakeholders",
            ),
        },
    ),
    Place(
        "Notify",
        "`notify:`",
        NOTIFY_KEYS,
        {
            "targets": ("", "a list of webhook targets"),
            "send": (
                "",
                "a mapping of template id to a list of target names, or to a send rule",
            ),
        },
    ),
    Place(
        "A notify target",
        "each entry of `notify.targets:`",
        TARGET_KEYS,
        {
            "name": ("yes", "the target's name, unique; send rules name it"),
            "kind": ("yes", f"one of {codes(TARGET_KINDS)}"),
            "url": ("yes", "the webhook URL; may read `${NAME}`"),
            "headers": ("", "a mapping of header name to value; values may read `${NAME}`"),
        },
    ),
    Place(
        "A send rule",
        "each value under `notify.send:` written as a mapping",
        SEND_KEYS,
        {
            "to": ("", "a list of target names"),
            "on": ("with `mode`", f"the moment the message is due: {MOMENT_FORMS}"),
            "mode": ("", f"one of {codes(SendMode)} (default `confirm`)"),
        },
    ),
    Place(
        "The status page",
        "`status_page:`",
        STATUS_PAGE_KEYS,
        {
            "url": (
                "yes",
                "the page people read (http or https, written out: no `${NAME}`); shown to "
                "the coordinator and in the report, never posted to",
            ),
            "target": (
                "",
                "a notify target (under `notify.targets`) that posts updates to the page; "
                "without one, the page is updated by hand and the guidance says so",
            ),
            "send": (
                "",
                f"a list of template ids posted to the page (default `{RESOLUTION_TEMPLATE}`, "
                "the resolution)",
            ),
        },
    ),
)
"""Every mapping the YAML reader takes, in the order a runbook is written."""

STEP_KINDS: dict[StepKind, str] = {
    StepKind.CHECK: "done when someone checks it",
    StepKind.APPROVAL: "blocked until its `approver` role approves it",
    StepKind.COMMUNICATION: "done when its `template`'s message is sent",
    StepKind.VERIFICATION: "done on evidence: its `probe`'s readings, or evidence typed",
    StepKind.COMMAND: "runs its `command` on confirmation (and its `verify`)",
    StepKind.DATABASE: (
        "choose a database tier (one such step; needs `database_tiers`), then run the "
        "tier's `command` if it has one"
    ),
}
PROBE_KINDS: dict[ProbeKind, str] = {
    ProbeKind.HTTP: "healthy while the URL answers `expect_status`; a `json_field` reads a value",
    ProbeKind.VERSION: "reads the running version (`json_field`, or the body's first line)",
    ProbeKind.PROMETHEUS: "reads the number `query` gives, from the Prometheus at `url`",
}
TRIGGER_KINDS: dict[TriggerKind, str] = {
    TriggerKind.METRIC: "met when `probe`'s value `op` `threshold`, `for_samples` in a row",
    TriggerKind.CONSECUTIVE_FAILURES: "met after `count` failed polls of `probe` in a row",
    TriggerKind.MANUAL: "met when the coordinator marks it",
}
