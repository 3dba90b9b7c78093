"""A step may not have a database tier's id, and `approve` names the `tier:` form.

orders.yaml had tier `restore-backup` (approver leadership) and an optional command step
`restore-backup` with the same approver; validate said ok. `approve ... restore-backup`
then approved the step, the tier stayed blocked, and the second `approve` was refused
as "already approved" without a word of `tier:restore-backup`, which the author found
by guessing from a README sample (ux_review8 #8). Run as a user runs it: `validate` on
files, `approve` on a real SQLite file.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import msgspec
import pytest

from incident import commands
from incident.commands import CommandError
from incident.core.clock import ManualClock
from runbooks.model import Runbook, Step
from tests.cli_helpers import InProcessCli, declare
from tests.incident_start import start

BUNDLED = Path(__file__).resolve().parent.parent / "runbooks" / "rollback.yaml"

RESTORE_STEP = """\
      - id: restore-backup
        title: Restore the backup (tier restore-backup only)
        kind: command
        command: pg_restore --help
        required: false
        approver: leadership
"""


def with_execute(text: str, before_steps: str = "", first_steps: str = "") -> str:
    """The bundled runbook with lines put in its execute phase: before its `steps:`
    (a `steps_from:`), or as its first steps."""
    execute = text.index("id: execute")
    steps = text.index("    steps:\n", execute)
    after = steps + len("    steps:\n")
    return text[:steps] + before_steps + text[steps:after] + first_steps + text[after:]


def line_of(text: str, needle: str, start: int = 0) -> int:
    return text[: text.index(needle, start)].count("\n") + 1


def test_validate_refuses_a_step_with_a_tier_id_in_one_line(tmp_path: Path) -> None:
    text = with_execute(BUNDLED.read_text(), first_steps=RESTORE_STEP)
    runbook = tmp_path / "orders.yaml"
    runbook.write_text(text)
    result = InProcessCli(tmp_path / "x.db").run("validate", str(runbook))
    assert result.code == 2
    tier_line = line_of(text, "  - id: restore-backup")
    step_line = line_of(text, "      - id: restore-backup")
    assert result.err.splitlines() == [
        f"{runbook}:{step_line}:13: step id 'restore-backup' is also database tier "
        f"'restore-backup' (line {tier_line}): `approve` would take 'restore-backup' for the "
        "step, the tier being tier:restore-backup; rename the step"
    ]
    assert result.out == ""


def test_a_markdown_task_named_like_a_tier_gets_another_id(tmp_path: Path) -> None:
    """A plan's "Restore backup" task would have taken the bundled tier's id: it is
    `restore-backup-2`, as it would be beside a YAML step of that id; an explicit
    `{#down-migrations}` is refused, naming the tier's line."""
    text = with_execute(BUNDLED.read_text(), before_steps="    steps_from: plan.md\n")
    (tmp_path / "orders.yaml").write_text(text)
    plan = tmp_path / "plan.md"
    plan.write_text("## Database\n\n- [ ] **Restore backup:** pg_restore the dump.\n")
    cli = InProcessCli(tmp_path / "orders.db")
    cli.cwd = tmp_path
    assert cli.run("validate", "orders.yaml").code == 0
    incident_id = declare(cli, "--runbook", "./orders.yaml")
    status = cli.ok("status", incident_id)
    assert "[ ] restore-backup-2: Restore backup" in status
    assert "restore-backup:" not in status

    plan.write_text("## Database\n\n- [ ] **Down:** alembic downgrade. {#down-migrations}\n")
    refused = cli.run("validate", "orders.yaml")
    assert refused.code == 2
    tier_line = line_of(text, "  - id: down-migrations")
    assert refused.err.splitlines() == [
        f"plan.md:3:1: step id 'down-migrations' is also database tier 'down-migrations' "
        f"(orders.yaml:{tier_line}): `approve` would take 'down-migrations' for the step, the "
        "tier being tier:down-migrations; rename the step"
    ]


def test_approve_help_and_refusal_name_the_tier_form(tmp_path: Path) -> None:
    cli = InProcessCli(tmp_path / "orders.db")
    help_text = " ".join(cli.ok("approve", "--help").split())
    assert "a database tier as tier:NAME (tier:restore-backup)" in help_text
    incident_id = declare(cli)
    typo = cli.run("approve", incident_id, "restor-backup", "--reason", "0042 dropped a column")
    assert typo.code == 2
    assert typo.err.splitlines() == [
        "lastgood approve: nothing called 'restor-backup' to approve (did you mean "
        "'tier:restore-backup'?); a database tier is tier:NAME"
    ]
    bogus = cli.run("approve", incident_id, "bogus", "--reason", "why")
    assert bogus.err.splitlines() == [
        "lastgood approve: nothing called 'bogus' to approve (gated: decide-rollback, "
        "tier:restore-backup); a database tier is tier:NAME"
    ]


def test_an_incident_declared_with_such_a_step_is_told_the_tier_form(
    small_runbook: Runbook, clock: ManualClock
) -> None:
    """An incident declared before validate refused it keeps its runbook: approving the
    name twice says which name the tier has."""
    execute = small_runbook.phases[1]
    step = Step(id="restore-backup", title="Restore", phase_id="execute", approver="leadership")
    phases = list(small_runbook.phases)
    phases[1] = msgspec.structs.replace(execute, steps=(*execute.steps, step))
    session = start(msgspec.structs.replace(small_runbook, phases=tuple(phases)), clock)
    session.run_many(
        lambda s: [commands.assign_role(s, "leadership", "Lee", actor="ada", clock=clock)]
    )
    approve = partial(commands.approve, by="Lee", actor="ada", clock=clock)
    session.run_many(lambda s: [approve(s, "restore-backup", reason="first")])
    with pytest.raises(CommandError) as refused:
        approve(session.state, "restore-backup", reason="the tier this time")
    assert str(refused.value).endswith("; the database tier is tier:restore-backup")
    assert str(refused.value).startswith("'restore-backup' was already approved by Lee")
