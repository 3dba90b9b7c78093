"""The verbs that record on an incident: the checklist, people, messages.

Nothing of the domain is imported here (use cases are named, choices and defaults
written out; `tests/test_verbs.py` holds them to the domain's), so the command line
can parse its arguments before loading the domain.
"""

from __future__ import annotations

from incident.app.params import Kind, Param
from incident.app.verb import BY, OPTIONAL_REASON, REASON, STEP, R, Verb

RECORDING_VERBS: tuple[Verb, ...] = (
    # --- the checklist -------------------------------------------------------------
    Verb(
        "check",
        "Check",
        "Mark a step done (a verification step carries its evidence).",
        R,
        (
            STEP,
            BY,
            Param("note", "what was done", metavar="TEXT"),
            Param("evidence", "what shows it, if not the probes' samples", metavar="TEXT"),
            Param(
                "override",
                "why to check it anyway: the samples contradict it or show nothing, "
                "or its artefact or message is not in the record",
                metavar="TEXT",
            ),
        ),
        use_case="incident.app.steps:check",
        key="space,x",
        footer=True,
        open_only=True,
    ),
    Verb(
        "skip",
        "Skip",
        "Skip a step, with a reason.",
        R,
        (STEP, REASON, BY),
        use_case="incident.app.steps:skip",
        key="s",
        open_only=True,
    ),
    Verb(
        "reopen",
        "Reopen",
        "Reopen a done or skipped step (a correction, recorded).",
        R,
        (STEP, REASON),
        use_case="incident.app.steps:reopen",
        key="u",
        open_only=True,
    ),
    Verb(
        "approve",
        "Approve",
        "Approve a gated step or a database tier, with who and why.",
        R,
        (
            Param(
                "target",
                "the gated step, or a database tier as tier:NAME (tier:restore-backup)",
                Kind.STEP,
                True,
                True,
                "STEP|TIER",
            ),
            Param(
                "by",
                "the approver, when someone else records their word (default: the approver "
                "is whoever runs this, e.g. with --as NAME from their own terminal)",
                Kind.NAME,
                metavar="NAME",
            ),
            REASON,
        ),
        use_case="incident.app.steps:approve",
        key="a",
        open_only=True,
    ),
    Verb(
        "decide",
        "Decide",
        "Record the decision to initiate the rollback: the phase 1 gate, approved and checked.",
        R,
        (
            REASON,
            Param(
                "by",
                "whose decision it is (default: you; the commander's word is --by THEIR-NAME)",
                Kind.NAME,
                metavar="NAME",
            ),
        ),
        use_case="incident.app.steps:decide",
        key="d",
        footer=True,
        open_only=True,
    ),
    Verb(
        "db-tier",
        "DB tier",
        "Choose the database rollback tier, with a reason.",
        R,
        (
            Param("tier", "none, down-migrations or restore-backup", Kind.CHOICE, True, True),
            REASON,
        ),
        use_case="incident.app.database_tiers:choose_tier",
        key="b",
        open_only=True,
    ),
    Verb(
        "trigger",
        "Mark trigger",
        "Mark a manual rollback trigger (core functionality broken) met or cleared.",
        R,
        (
            Param("trigger", "the trigger's id", Kind.CHOICE, True, True, "TRIGGER"),
            Param(
                "verdict",
                "met or cleared",
                Kind.CHOICE,
                True,
                True,
                "met|cleared",
                ("met", "cleared"),
            ),
            Param("note", "what shows it", metavar="TEXT"),
        ),
        use_case="incident.app.steps:mark_trigger",
        key="t",
        open_only=True,
    ),
    Verb(
        "run",
        "Run command",
        "Run a command step's shell command (or the chosen database tier's, on the database "
        "step), record its exit code and output, check it on 0.",
        R,
        (STEP, Param("yes", "do not ask for confirmation", Kind.FLAG, cli_only=True)),
        confirm="This runs the step's command on your machine, now.",
        open_only=True,
    ),
    # --- people and the record -----------------------------------------------------
    Verb(
        "note",
        "Note",
        "Add a note to the timeline (pinned notes are called out in the post-mortem).",
        R,
        (
            Param("text", "the note", Kind.LONG_TEXT, True, True, "TEXT"),
            Param("pin", "pin it for the post-mortem", Kind.FLAG),
        ),
        use_case="incident.app.people:note",
        key="n",
        footer=True,
    ),
    Verb(
        "page",
        "Page",
        "Record that a person or team was paged.",
        R,
        (
            Param("target", "who was paged", Kind.NAME, True, True, "WHO"),
            Param("note", "why, or how", metavar="TEXT"),
        ),
        use_case="incident.app.people:page",
        key="p",
        open_only=True,
    ),
    Verb(
        "assign",
        "Assign role",
        "Give a role to a person.",
        R,
        (
            Param("role", "one of the runbook's roles", Kind.CHOICE, True, True, "ROLE"),
            Param("person", "who takes it", Kind.NAME, True, True, "NAME"),
        ),
        use_case="incident.app.people:assign",
        key="r",
        open_only=True,
    ),
    Verb(
        "channel",
        "Set channel",
        "Name the incident channel, which checks the channel step: messages written from "
        "then on name it.",
        R,
        (
            Param(
                "channel",
                "where responders meet, e.g. #inc-checkout",
                Kind.LINE,
                True,
                True,
                "NAME",
            ),
        ),
        use_case="incident.app.people:set_channel",
        open_only=True,
    ),
    Verb(
        "handoff",
        "Hand off",
        "Hand incident command to someone else.",
        R,
        (
            Param("to", "the new incident commander", Kind.NAME, True, True, "NAME"),
            OPTIONAL_REASON,
        ),
        use_case="incident.app.people:hand_off",
        key="h",
        open_only=True,
    ),
    Verb(
        "severity",
        "Severity",
        "Change the incident's severity.",
        R,
        (
            Param("severity", "the new severity", Kind.TEXT, True, True, "SEV1..SEV4"),
            OPTIONAL_REASON,
        ),
        use_case="incident.app.lifecycle:severity",
        key="v",
        open_only=True,
    ),
    Verb(
        "baseline",
        "Baseline",
        "Record a probe's baseline: a value, or the median of its recent samples.",
        R,
        (
            Param("probe", "the probe's name", Kind.CHOICE, True, True, "PROBE"),
            Param(
                "value",
                "the baseline (default: the median of recent samples)",
                Kind.NUMBER,
                metavar="NUMBER",
            ),
        ),
        use_case="incident.app.health:baseline",
        open_only=True,
    ),
    # --- messages ------------------------------------------------------------------
    Verb(
        "send",
        "Compose",
        "Record a stakeholder message, from a template or as written; delivered to its webhooks.",
        R,
        (
            Param("template", "the runbook template", Kind.CHOICE, metavar="NAME"),
            Param("text", "the exact text (overrides the template)", Kind.LONG_TEXT),
            Param("channel", "where it was posted", Kind.LINE, metavar="NAME"),
            Param(
                "again",
                "send a message the runbook sends once (announce, paging, ...) although "
                "it was sent already",
                Kind.FLAG,
            ),
            Param("preview", "print the message, record nothing", Kind.FLAG, cli_only=True),
        ),
        use_case="incident.app.messages:send",
        key="c",
        footer=True,
    ),
    Verb(
        "status-page",
        "Status page updated",
        "Record that the status page was updated by hand (its target is down, or it has none).",
        R,
        (
            Param("note", "what was posted, or where", metavar="TEXT"),
            Param("by", "who updated it, when someone else records it", Kind.NAME, metavar="NAME"),
        ),
        use_case="incident.app.status_page:updated_by_hand",
        key="U",
    ),
    Verb(
        "decline",
        "Decline message",
        "Record that a message the runbook made due will not be sent, and why.",
        R,
        (
            Param("template", "the due message's template", Kind.CHOICE, True, True, "TEMPLATE"),
            Param("reason", "why it is not being sent", required=True, metavar="TEXT"),
        ),
        use_case="incident.app.messages:decline",
        open_only=True,
    ),
    Verb(
        "deliver",
        "Re-send failed",
        "Deliver the incident's messages to its webhooks, with retries.",
        R,
        (
            Param(
                "wait",
                "give up retrying after this many seconds (default 60)",
                Kind.SECONDS,
                cli_only=True,
                default=60.0,
            ),
            Param("resend_failed", "try messages that failed for good again", Kind.FLAG),
            Param(
                "attempts",
                "tries per message (default 8)",
                Kind.COUNT,
                metavar="N",
                cli_only=True,
            ),
        ),
        key="f",
    ),
    Verb(
        "close",
        "Close incident",
        "Close the incident (required steps still open, or a rollback trigger met or the "
        "bad release running, need force and a reason).",
        R,
        (
            Param("force", "close with required steps open or the service not stable", Kind.FLAG),
            OPTIONAL_REASON,
        ),
        use_case="incident.app.lifecycle:close",
        key="X",
        confirm="Close the incident? Closing ends the rollback's clocks.",
        open_only=True,
    ),
)
"""In the order help lists them: the checklist, people, messages."""
