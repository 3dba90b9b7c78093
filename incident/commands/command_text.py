"""A command step's shell command as it runs: its placeholders filled from the incident.

The runbook's loader has refused what cannot be filled (`runbooks.command_text`); here
the values come from the incident, each shell-quoted, and a value the incident does not
have (declared without `--last-good`) refuses the run, or the declaration, in words
saying which.
"""

from __future__ import annotations

from collections.abc import Iterator

from msgspec.structs import replace

from incident.core.errors import CommandError
from incident.core.state import IncidentState
from runbooks.command_text import UnfilledCommand, command_placeholders, fill_command
from runbooks.model import CommandCheck, DeploymentPattern, Runbook, Step, StepKind

GIVEN_AT_DECLARATION: dict[str, tuple[str, str]] = {
    "channel": ("channel", "channel"),
    "from_version": ("from_version", "version being rolled back"),
    "last_good_version": ("last_good", "last-good version"),
    "pattern": ("pattern", "deployment pattern"),
}
"""The placeholders whose value is given, or not, at the declaration: the parameter
that gives it (for a face to name: `--last-good`) and what it is, in words."""


def command_values(state: IncidentState) -> dict[str, str]:
    """What each placeholder of a command is filled with ("" when the incident has none)."""
    return {
        "id": state.id,
        "title": state.title,
        "severity": state.severity,
        "issue": state.issue or state.title,
        "commander": state.commander,
        "channel": state.channel,
        "from_version": state.from_version,
        "last_good_version": state.last_good_version,
        "pattern": str(state.pattern) if state.pattern else "",
    }


def _filled(state: IncidentState, step: Step, command: str) -> str:
    try:
        return fill_command(command, command_values(state))
    except UnfilledCommand as problem:
        raise CommandError(_unfilled(step, str(problem))) from None


def _unfilled(step: Step, problem: str) -> str:
    for name, (_param, words) in GIVEN_AT_DECLARATION.items():
        if problem == f"'{{{name}}}' has no value":
            return (
                f"step '{step.id}' runs a command with {{{name}}}, and the incident was "
                f"declared without its {words}: run it by hand, then check the step"
            )
    return f"step '{step.id}': its command cannot be filled in: {problem}"


def as_run(state: IncidentState, step: Step) -> Step:
    """`step` with the command it runs: the database step takes its chosen tier's
    `command` and `verify` (ux_review8 #9: `alembic downgrade` had nowhere to be
    written); any other step, or the database step before a tier with a command is
    chosen, is itself."""
    if step.kind is not StepKind.DATABASE or state.tier_choice is None:
        return step
    tier = state.runbook.database_tier(state.tier_choice.tier)
    if tier is None or tier.command is None:
        return step
    return replace(step, command=tier.command, verify=tier.verify)


def filled_command(state: IncidentState, step: Step) -> str:
    """`step`'s command as it runs for this incident (`as_run`)."""
    step = as_run(state, step)
    return _filled(state, step, step.command or "")


def filled_check(state: IncidentState, step: Step) -> CommandCheck | None:
    """`step`'s verify block with its command as it runs for this incident (`as_run`)."""
    step = as_run(state, step)
    if step.verify is None:
        return None
    return replace(step.verify, command=_filled(state, step, step.verify.command))


def _commands_of(runbook: Runbook) -> Iterator[tuple[Step, str, list[str]]]:
    """Each step that runs a command, the name a message gives it, and its commands:
    a command step's own, and the database step's once per tier with a command."""
    tiers = [tier for tier in runbook.database_tiers if tier.command is not None]
    for step in runbook.steps():
        if step.kind is StepKind.DATABASE:
            for tier in tiers:
                checked = [tier.command or "", tier.verify.command if tier.verify else ""]
                yield step, f"{step.id} (tier {tier.id})", checked
        else:
            yield step, step.id, [step.command or "", step.verify.command if step.verify else ""]


def missing_at_declaration(
    runbook: Runbook, pattern: DeploymentPattern | None, given: dict[str, str]
) -> str | None:
    """What a declaration leaves out that the runbook's commands name
    (`{last_good_version}` with no last-good version), in one line for the face to say
    once the incident is declared, or None. Only the steps of the incident's deployment
    pattern count, and the database step's tiers. Said, not refused: a declaration
    starts the clock and must not wait on a version nobody knows yet; such a step's
    command is refused when run (`filled_command`), saying to run it by hand."""
    wanted: dict[str, list[str]] = {}
    for step, name_of_step, commands in _commands_of(runbook):
        if step.patterns and (pattern is None or pattern not in step.patterns):
            continue
        for name in dict.fromkeys(n for c in commands for n in command_placeholders(c)):
            if name in GIVEN_AT_DECLARATION and not given.get(name):
                wanted.setdefault(name, []).append(name_of_step)
    if not wanted:
        return None
    said = "; ".join(
        f"{{{name}}} in {', '.join(ids)}: no {GIVEN_AT_DECLARATION[name][1]} was given"
        for name, ids in wanted.items()
    )
    return f"the runbook's commands name what the declaration left out ({said}): run those by hand"


def unfilled_at_declaration(state: IncidentState) -> str | None:
    """`missing_at_declaration` for a declared incident (the screen's toast)."""
    given = {
        "channel": state.channel,
        "from_version": state.from_version,
        "last_good_version": state.last_good_version,
        "pattern": str(state.pattern) if state.pattern else "",
    }
    return missing_at_declaration(state.runbook, state.pattern, given)
