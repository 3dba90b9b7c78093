"""What a webhook receives is the text every face shows, not the bytes typed (ux_review17
#2): a title holding an ESC sequence reached Slack and a JSON receiver as a real ESC,
which a receiver printing it to a terminal acts on, while the TUI, `status` and the
report showed ␛. Slack's text also escapes `&`, `<` and `>`, so a `<!channel>` typed
into a title is read by the channel, not acted on by Slack. Real `lastgood` processes
delivering to a real receiver on loopback; the record keeps what was typed.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_helpers import Cli
from tests.cli_helpers import run_beside as run
from tests.webhook_receivers import WebhookReceiver

RUNBOOK = """\
runbook: text-is-data
title: Text is data
templates:
  announce: "Rolling back {title} now."
notify:
  targets:
    - {name: chat, kind: slack, url: "${HOOK}/chat"}
    - {name: feed, kind: json, url: "${HOOK}/feed"}
  send:
    announce: {to: [chat, feed], on: "step:decide"}
phases:
  - id: decide
    title: Decide
    window: [0, 5]
    steps:
      - {id: decide, title: Decide to roll back}
      - {id: announce, title: Announce, kind: communication, template: announce}
"""

TITLE = "Ledger \x1b[31mRED <!channel> & [bold]x[/]"
SHOWN = "Ledger \u241b[31mRED <!channel> & [bold]x[/]"


async def test_a_webhook_receives_the_text_as_shown_and_slack_its_escapes(
    tmp_path: Path,
) -> None:
    runbook = tmp_path / "runbook.yaml"
    runbook.write_text(RUNBOOK)
    cli = Cli(tmp_path / "incident.db", actor="ada")
    async with WebhookReceiver() as hook:
        cli.env["HOOK"] = hook.url().rstrip("/")
        declared = await run(
            cli, "declare", "--title", TITLE, "--severity", "SEV2", "--commander", "Ada",
            "--runbook", str(runbook),
        )  # fmt: skip
        assert declared.code == 0, declared.err
        incident_id = declared.out.splitlines()[0]
        assert (await run(cli, "check", incident_id, "decide")).code == 0
        sent = await run(cli, "send", incident_id, "--template", "announce")
        assert sent.code == 0, sent.err
        assert sent.err.count("Delivered to ") == 2, sent.err
        bodies = {r.path.rsplit("/", 1)[-1]: r.document for r in hook.requests}

    assert bodies["chat"] == {
        "text": "Rolling back Ledger \u241b[31mRED &lt;!channel&gt; &amp; [bold]x[/] now."
    }
    feed = bodies["feed"]
    assert isinstance(feed, dict)
    assert feed["text"] == f"Rolling back {SHOWN} now."
    assert feed["title"] == SHOWN
    assert "\x1b" not in json.dumps(bodies, ensure_ascii=False)
    record = json.loads(cli.ok("export", incident_id, "--format", "json"))
    declared_event = next(e for e in record["events"] if e["kind"] == "incident.declared")
    assert declared_event["payload"]["title"] == TITLE  # the record keeps what was typed
