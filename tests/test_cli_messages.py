"""Messages from the CLI as a team runs it: real receivers, a real file.

Each `lastgood` call runs in a thread, so the receivers (served from this test's event
loop) can answer while it runs: a separate process for the auto message and `monitor`,
the CLI's `main` in this process (`InProcessCli`) for declining and re-delivering.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from incident.core.limits import TEXT
from runbooks.limits import MAX_TEMPLATE_CHARS
from tests.cli_helpers import Cli, InProcessCli, Result
from tests.cli_helpers import run_beside as run
from tests.webhook_receivers import WebhookReceiver, fail_first, hang_forever

RUNBOOK = """\
runbook: cli-messages
title: CLI messages
templates:
  initiating: "Initiating rollback due to {issue}. ETA {eta}."
  announce: "Rolling back {title} now."
notify:
  targets:
    - {name: team, kind: slack, url: "${HOOK}"}
  send:
    initiating: {to: [team], on: declared, mode: auto}
    announce: {to: [team], on: "step:decide"}
phases:
  - id: decide
    title: Decide
    window: [0, 5]
    steps:
      - {id: decide, title: Decide to roll back, kind: approval, approver: incident-commander}
      - {id: announce, title: Announce, kind: communication, template: announce}
      - {id: notify, title: Notify stakeholders, kind: communication, template: initiating}
"""


def setup(tmp_path: Path, hook: WebhookReceiver, face: type[Cli] = Cli) -> tuple[Cli, str]:
    runbook = tmp_path / "runbook.yaml"
    runbook.write_text(RUNBOOK)
    cli = face(tmp_path / "incident.db", actor="ada")
    cli.env["HOOK"] = hook.url()
    return cli, str(runbook)


def arrived(hook: WebhookReceiver) -> list[tuple[str, int | None]]:
    """Each request's idempotency key and answer, for a failure's message: which
    message was sent how many times."""
    return [(request.key, request.answered) for request in hook.requests]


async def declare(cli: Cli, runbook: str) -> Result:
    return await run(
        cli,
        "declare",
        *("--title", "Checkout 5xx", "--severity", "SEV1", "--commander", "Ada"),
        *("--issue", "checkout errors", "--eta", "15", "--runbook", runbook),
    )


def events(cli: Cli, incident_id: str) -> list[dict[str, object]]:
    record = json.loads(cli.ok("export", incident_id, "--format", "json"))
    return list(record["events"])


async def test_declare_sends_and_delivers_the_auto_message_then_a_confirmed_one(
    tmp_path: Path,
) -> None:
    async with WebhookReceiver() as hook:
        cli, runbook = setup(tmp_path, hook)
        declared = await declare(cli, runbook)
        assert declared.code == 0, declared.err
        incident_id = declared.out.splitlines()[0]
        assert "Message sent automatically: Initiating rollback due to checkout errors." in (
            declared.err
        )
        assert "Delivered to team" in declared.err
        assert [r.document for r in hook.requests] == [
            {"text": declared.err.split("automatically: ")[1].splitlines()[0]}
        ]

        approved = await run(
            cli, "approve", incident_id, "decide", "--by", "Ada", "--reason", "5xx"
        )
        assert approved.code == 0, approved.err
        checked = await run(cli, "check", incident_id, "decide")
        assert checked.code == 0, checked.err
        assert (
            "due: the announce message (step:decide)\n"
            f"  send it: lastgood send {incident_id} --template announce\n" in checked.err
        )
        assert len(hook.requests) == 1  # a confirm rule sends nothing by itself

        sent = await run(cli, "send", incident_id, "--template", "announce")
        assert sent.code == 0, sent.err
        assert "Delivered to team" in sent.err
        assert hook.requests[-1].document == {"text": "Rolling back Checkout 5xx now."}
        assert len(hook.accepted_keys()) == len(set(hook.accepted_keys())) == 2

    recorded = events(cli, incident_id)
    messages = [e["payload"] for e in recorded if e["kind"] == "communication.sent"]
    assert [(m.get("moment"), m.get("auto")) for m in messages] == [
        ("declared", True),
        ("step:decide", None),
    ]
    checked_steps = [e["payload"]["step"] for e in recorded if e["kind"] == "step.checked"]
    assert checked_steps == ["notify", "decide", "announce"]
    assert [e["kind"] for e in recorded].count("notification.delivered") == 2
    assert "ok," in cli.ok("verify", incident_id)


async def test_decline_is_recorded_and_refused_when_nothing_is_due(tmp_path: Path) -> None:
    async with WebhookReceiver() as hook:
        cli, runbook = setup(tmp_path, hook, InProcessCli)
        incident_id = (await declare(cli, runbook)).out.splitlines()[0]
        early = await run(cli, "decline", incident_id, "announce", "--reason", "not yet")
        assert early.code == 2
        assert early.err.strip() == (
            "lastgood decline: no 'announce' message is due (due now: none)"
        )
        await run(cli, "approve", incident_id, "decide", "--by", "Ada", "--reason", "5xx")
        await run(cli, "check", incident_id, "decide")
        declined = await run(cli, "decline", incident_id, "announce", "--reason", "posted by hand")
        assert declined.code == 0, declined.err
        assert "not sending the announce message: posted by hand" in declined.out
        again = await run(cli, "decline", incident_id, "announce", "--reason", "posted")
        assert again.code == 2
        assert re.fullmatch(  # what settled it, as a send from the due dialog is refused
            r"lastgood decline: announce was declined by ada at T\+\d\d:\d\d "
            r"\(posted by hand\): it is not due any more",
            again.err.strip(),
        ), again.err
        assert len(hook.requests) == 1
    (payload,) = [e["payload"] for e in events(cli, incident_id) if e["kind"].endswith("declined")]
    assert (payload["template"], payload["reason"], payload["by"]) == (
        "announce",
        "posted by hand",
        "ada",
    )


async def test_deliver_retries_reports_failure_and_resends_it_once(tmp_path: Path) -> None:
    async with WebhookReceiver(fail_first(2)) as hook:
        cli, runbook = setup(tmp_path, hook, InProcessCli)
        declared = await declare(cli, runbook)
        incident_id = declared.out.splitlines()[0]
        assert "1 message not delivered yet" in declared.err

        failed = await run(cli, "deliver", incident_id, "--attempts", "2", "--wait", "5")
        assert failed.code == 1, (failed, arrived(hook))
        assert "Delivery to team FAILED after 2 tries: HTTP 500" in failed.out
        assert failed.err.strip() == (
            "lastgood deliver: 0 messages pending, 1 failed; "
            "--resend-failed tries the failed ones again"
        )

        resent = await run(cli, "deliver", incident_id, "--resend-failed", "--wait", "5")
        assert resent.code == 0, resent.err
        assert "Re-sending to team" in resent.out
        assert "every message is delivered" in resent.out
        assert len(hook.requests) == 3
        assert len(hook.accepted_keys()) == 1

    kinds = [e["kind"] for e in events(cli, incident_id) if e["kind"].startswith("notification.")]
    assert kinds == [
        "notification.queued",
        "notification.failed",
        "notification.requeued",
        "notification.delivered",
    ]


async def test_monitor_delivers_what_the_cli_could_not(tmp_path: Path) -> None:
    async with WebhookReceiver(fail_first(1)) as hook:
        cli, runbook = setup(tmp_path, hook)
        incident_id = (await declare(cli, runbook)).out.splitlines()[0]
        assert hook.accepted_keys() == []
        monitored = await run(cli, "monitor", incident_id, "--for", "3")
        assert monitored.code == 0, monitored.err
        assert "Delivered to team after 2 tries" in monitored.out
        assert len(hook.accepted_keys()) == 1


async def test_deliver_refuses_a_runbook_without_targets(tmp_path: Path) -> None:
    cli = InProcessCli(tmp_path / "bare.db")
    bare = tmp_path / "bare.md"
    bare.write_text("# Bare\n\n## Execute (T+0 to T+30 minutes)\n\n- [ ] Roll back\n")
    incident_id = cli.ok(
        "declare", "--title", "t", "--severity", "SEV3", "--commander", "A", "--runbook", str(bare)
    ).strip()
    refused = cli.run("deliver", incident_id)
    assert refused.code == 2
    assert refused.err.strip() == "lastgood deliver: runbook 'bare' defines no notify targets"


async def test_an_auto_message_longer_than_a_message_holds_is_sent_cut(tmp_path: Path) -> None:
    """`{issue}` eleven times with a 2,000-character issue made 22,139 characters: the
    declaration was recorded, then `declare` (and every later verb) exited 2."""
    async with WebhookReceiver() as hook:
        cli, runbook = setup(tmp_path, hook)
        eleven = '"' + "{issue} " * 11 + '"'
        Path(runbook).write_text(
            RUNBOOK.replace('"Initiating rollback due to {issue}. ETA {eta}."', eleven)
        )
        issue = "checkout errors " * 125  # 2,000 characters, 1,999 once stripped
        declared = await run(
            cli,
            "declare",
            *("--title", "Checkout 5xx", "--severity", "SEV1", "--commander", "Ada"),
            *("--issue", issue.strip(), "--runbook", runbook),
        )
        assert declared.code == 0, declared.err
        incident_id = declared.out.splitlines()[0]
        assert "Delivered to team" in declared.err
        noted = await run(cli, "note", incident_id, "replica lag back under 1s")
        assert noted.code == 0, noted.err

    (sent,) = [e["payload"] for e in events(cli, incident_id) if e["kind"] == "communication.sent"]
    text = str(sent["text"])  # type: ignore[index]
    assert len(text) == 20_000
    assert text.startswith(issue.strip() + " ")
    assert text.endswith(
        "\n… (cut here: the template made 22,000 characters; a message holds at most 20,000)"
    )
    assert hook.requests[0].document == {"text": text}


@pytest.mark.parametrize("written", [MAX_TEMPLATE_CHARS, MAX_TEMPLATE_CHARS + 1])
def test_validate_refuses_a_template_whose_own_text_is_longer_than_a_message(
    tmp_path: Path, written: int
) -> None:
    """Placeholders can make a message long, and it is cut when sent; a template whose
    own words are longer would be cut every time, so the runbook is refused."""
    runbook = tmp_path / "runbook.yaml"
    long_one = '"Rolling back {title}: ' + "x" * (written - len("Rolling back : ")) + '"'
    runbook.write_text(RUNBOOK.replace('"Rolling back {title} now."', long_one))
    checked = Cli(tmp_path / "incident.db").run("validate", str(runbook))
    if written <= TEXT.max_chars:
        assert checked.code == 0, checked.err
    else:
        assert checked.code == 2
        assert checked.err.splitlines()[0] == (
            f"{runbook}:5:13: template 'announce': 20,001 characters of text; "
            "a message holds at most 20,000"
        )


def test_a_template_is_held_to_what_a_message_holds() -> None:
    assert TEXT.max_chars == MAX_TEMPLATE_CHARS


async def test_deliver_does_not_say_delivered_while_the_record_says_pending(
    tmp_path: Path,
) -> None:
    """`deliver` judged by the outbox alone: with no outbox row left to send a message
    the record shows pending (here the row says delivered, as after a deliverer that
    died between the two), it said "every message is delivered" (a PostgreSQL review)."""
    import sqlite3

    async with WebhookReceiver(fail_first(1)) as hook:
        cli, runbook = setup(tmp_path, hook, InProcessCli)
        incident_id = (await declare(cli, runbook)).out.splitlines()[0]
        with sqlite3.connect(tmp_path / "incident.db") as raw:
            raw.execute("UPDATE outbox SET status = 'delivered', next_attempt_at = NULL")
        done = await run(cli, "deliver", incident_id, "--wait", "2")
        assert (done.code, done.err.strip()) == (
            1,
            "lastgood deliver: 1 message pending, 0 failed",
        )
        assert "every message is delivered" not in done.out
        assert len(hook.requests) == 1
    status = json.loads(cli.ok("status", incident_id, "--json"))
    assert status["deliveries"] == {"pending": 1, "delivered": 0, "failed": 0}


async def test_a_message_no_webhook_takes_says_it_is_recorded_only(tmp_path: Path) -> None:
    """`send --text` said only "message recorded as sent", and no webhook got it: the
    runbook routes templates, not free text (a fresh user's review). A routed template
    says nothing more; one the runbook routes nowhere says so too."""
    async with WebhookReceiver() as hook:
        cli, runbook = setup(tmp_path, hook, InProcessCli)
        incident_id = (await declare(cli, runbook)).out.splitlines()[0]
        before = len(hook.requests)
        free = await run(cli, "send", incident_id, "--text", "Bo here: still rolling back")
        assert free.code == 0, free.err
        assert "message recorded as sent" in free.out
        assert (
            "recorded only: no webhook takes free text "
            "(the runbook's notify.send routes none to it)"
        ) in free.out + free.err
        assert len(hook.requests) == before
        routed = await run(cli, "send", incident_id, "--template", "initiating", "--again")
        assert routed.code == 0, routed.err
        assert "recorded only" not in routed.out + routed.err


async def test_a_webhook_that_never_answers_leaves_the_message_queued(tmp_path: Path) -> None:
    """A receiver that accepts and never answers held `declare` (and every verb that
    delivers) for the deliverer's whole timeout (review9 #13). A verb tries once within
    `FOLLOW_UP_TIMEOUT_S`, says the message is queued and who retries it, and the
    outbox keeps it pending."""
    async with WebhookReceiver(hang_forever) as hook:
        cli, runbook = setup(tmp_path, hook)
        declared = await declare(cli, runbook)
        assert declared.code == 0, declared.err
        incident_id = declared.out.splitlines()[0]
        assert len(hook.requests) == 1 and hook.requests[0].answered is None
    assert "Delivery to team failed (TIMEOUT no answer within 1.0 s); will retry" in declared.err
    assert (
        "queued: 1 message not delivered yet (no answer within 1 s, or a failure said above); "
        f"`lastgood deliver {incident_id}` retries them" in declared.err
    ), declared.err
    status = json.loads(cli.ok("status", incident_id, "--json"))
    assert status["deliveries"] == {"pending": 1, "delivered": 0, "failed": 0}
