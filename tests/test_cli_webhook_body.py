"""A JSON webhook's body from the CLI as a team runs it: it says which template the
message came from and the incident's severity and title when it was written, and a
re-send after the severity changed says the same. A real receiver, on a SQLite file and
on this worker's real PostgreSQL cluster."""

from __future__ import annotations

from pathlib import Path

from tests.cli_helpers import InProcessCli, declared_beside, run_beside
from tests.store_backends import Backend, backend_fixture
from tests.webhook_receivers import WebhookReceiver, fail_first

__all__ = ["backend_fixture"]

RUNBOOK = """\
runbook: webhook-body
title: Webhook body
templates:
  initiating: "Initiating rollback due to {issue}."
  update: "Still rolling back {title}."
notify:
  targets:
    - {name: ops, kind: json, url: "${HOOK}"}
  send:
    initiating: {to: [ops], on: declared, mode: auto}
    update: [ops]
phases:
  - id: decide
    title: Decide
    steps:
      - {id: notify, title: Notify, kind: communication, template: initiating}
"""

TITLE = "Checkout <b>5xx</b> [bold]now[/bold]"


async def test_the_body_says_what_the_message_was_when_written_even_when_re_sent(
    tmp_path: Path, backend: Backend
) -> None:
    async with WebhookReceiver(fail_first(2)) as hook:
        runbook = tmp_path / "runbook.yaml"
        runbook.write_text(RUNBOOK)
        cli = InProcessCli(backend.location, actor="ada")  # type: ignore[arg-type]
        cli.env["HOOK"] = hook.url()
        incident_id = await declared_beside(
            cli,
            *("--title", TITLE, "--severity", "SEV2", "--commander", "Ada"),
            *("--issue", "checkout errors", "--runbook", str(runbook)),
        )
        failed = await run_beside(cli, "deliver", incident_id, "--attempts", "2", "--wait", "5")
        assert "FAILED after 2 tries" in failed.out, failed
        changed = await run_beside(cli, "severity", incident_id, "SEV1", "--reason", "spreading")
        assert changed.code == 0, changed.err
        sent = await run_beside(cli, "send", incident_id, "--template", "update")
        assert sent.code == 0, sent.err
        resent = await run_beside(cli, "deliver", incident_id, "--resend-failed", "--wait", "5")
        assert "every message is delivered" in resent.out, resent

    bodies: list[tuple[int | None, dict[str, object]]] = []
    for request in hook.requests:
        document = request.document
        assert isinstance(document, dict)
        assert isinstance(document.pop("created_at"), str)  # the message's time, as before
        bodies.append((request.answered, document))
    first = {
        "incident": incident_id,
        "text": "Initiating rollback due to checkout errors.",
        "key": f"{incident_id}:2:ops",
        "template": "initiating",
        "severity": "SEV2",
        "title": TITLE,
    }
    update = {
        "incident": incident_id,
        "text": f"Still rolling back {TITLE}.",
        "key": bodies[2][1]["key"],
        "template": "update",
        "severity": "SEV1",
        "title": TITLE,
    }
    assert bodies == [
        (500, first),
        (500, first),
        (200, update),
        (200, first),  # re-sent after the severity changed: as it was written
    ]
