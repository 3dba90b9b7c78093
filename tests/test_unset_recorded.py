"""Why a probe whose `${NAME}` the monitor's environment lacks goes unpolled, said
where the coordinator reads it (ux_review14 #9).

The monitor said on stderr `(that probe is not polled, until set)`, which cannot
happen while it runs (its environment does not change), and `status` said only
`not polled yet`, the reason known to nobody but whoever reads the monitor's journal.
Now the monitor says "until monitor is restarted with it set", its first tick records
which probes it leaves out and why (`ProbeSamples.unset`), and `status` and `brief`
say `not polled: $NAME not set where X's monitor (…) runs`. A real `monitor` polls a
real loopback server into a real SQLite file.
"""

from __future__ import annotations

import json
import signal
import socket
from pathlib import Path

from tests.cli_helpers import Cli
from tests.monitor_process import running_monitor
from tests.test_monitor_slow_record import Builds
from tests.waiting import poll_until

WAIT_S = 60
RUNBOOK = """\
runbook: shop
title: Shop
probes:
  - {{name: health, kind: http, url: "http://${{LG_TEST_SHOP_HOST}}/healthz", interval_s: 1}}
  - {{name: version, kind: version, url: "{url}", interval_s: 1}}
triggers:
  - {{id: health-failing, title: Health failing, kind: consecutive_failures, probe: health,
     count: 3}}
phases:
  - id: execute
    title: Execute
    steps:
      - {{id: redeploy, title: Redeploy}}
"""


def test_status_says_which_variable_the_monitor_lacks_and_where(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "shop.db", actor="ada")
    cli.env = {k: v for k, v in cli.env.items() if not k.startswith("LG_TEST_")}
    with Builds() as builds:
        (tmp_path / "shop.yaml").write_text(RUNBOOK.format(url=builds.url))
        incident_id = cli.ok(
            *("declare", "--title", "Shop 500s", "--severity", "SEV2", "--commander", "Ada"),
            *("--runbook", str(tmp_path / "shop.yaml")),
        ).strip()
        with running_monitor(cli, incident_id, "--probes-only") as (process, out, err):
            poll_until(lambda: len(out.lines) >= 3, "three ticks recorded", WAIT_S)
            process.send_signal(signal.SIGINT)
            assert process.wait(WAIT_S) == 0, err.joined()
            said = err.joined()
    assert "(that probe is not polled, until monitor is restarted with it set)" in said, said
    poller = f"ada's monitor (pid {process.pid} on {socket.gethostname()})"
    why = f"not polled: $LG_TEST_SHOP_HOST not set where {poller} runs"
    status = cli.ok("status", incident_id)
    assert f"health-failing no data ({why})" in status, status
    brief = cli.ok("brief", incident_id)  # its line is cut to its width (its layout's)
    assert "no data (not polled: $LG_TEST_SHOP_HOST not set where ada's monitor" in brief, brief
    triggers = json.loads(cli.ok("brief", incident_id, "--json"))["triggers"]
    assert [t["reason"] for t in triggers if t["id"] == "health-failing"] == [why], triggers
    record = json.loads(cli.ok("export", incident_id, "--format", "json"))
    ticks = [e["payload"] for e in record["events"] if e["kind"] == "probe.samples"]
    assert ticks[0]["unset"] == {"health": ["LG_TEST_SHOP_HOST"]}, ticks[0]
    assert all("unset" not in tick for tick in ticks[1:]), ticks  # said once
    assert "ok," in cli.ok("verify", incident_id)
