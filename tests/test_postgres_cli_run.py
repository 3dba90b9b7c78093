"""`lastgood run` on a PostgreSQL record: the command step's shell is not given the
database's URL and no secret it prints is recorded; a result the record cannot take is
said to have run, with the line that records it by hand."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_helpers import Cli, declare
from tests.leaky_runbook import LEAKY, OPS_TOKEN, PROBE_KEY
from tests.one_line import one_line
from tests.postgres_server import PASSWORD, PASSWORD_ROLE, Cluster
from tests.store_backends import postgres_backend


def test_run_gives_the_command_no_database_url_and_records_no_secret_it_prints(
    tmp_path: Path, pg_url: str, pg_cluster: Cluster
) -> None:
    """The step's shell inherited $LASTGOOD_DB (password and all) and its output was
    printed and recorded as it was: in the append-only record, for good."""
    backend = postgres_backend(pg_cluster, pg_url)
    url = pg_cluster.tcp_url(backend.database, PASSWORD_ROLE, PASSWORD)
    runbook = tmp_path / "leaky.yaml"
    runbook.write_text(LEAKY)
    cli = Cli(url, actor="ada")  # type: ignore[arg-type]  # LASTGOOD_DB holds the URL
    cli.env.update(OPS_TOKEN=OPS_TOKEN, PROBE_KEY=PROBE_KEY, DEPLOY_DB_URL=url)
    incident_id = declare(cli, "--runbook", str(runbook))
    ran = cli.run("run", incident_id, "redeploy", "--yes")
    assert ran.code == 0, ran.err
    assert "db=\n" in ran.out  # the command was not given the database's URL
    assert "tok=***\n" in ran.out and "key=***\n" in ran.out
    assert "--url postgresql://lastgood_pw:***@127.0.0.1:" in ran.out
    exported = cli.ok("export", incident_id, "--format", "json")
    assert "rolled out with ***" in exported  # the verify command's evidence too
    for secret in (OPS_TOKEN, PROBE_KEY, PASSWORD):
        assert secret not in ran.out + ran.err + exported
        assert backend.owner_sql(
            f"SELECT count(*) FROM events WHERE payload LIKE '%{secret}%'"
        ) == ("0")


def test_run_whose_result_cannot_be_recorded_says_the_command_ran_and_how_to_record_it(
    tmp_path: Path, pg_url: str, pg_cluster: Cluster
) -> None:
    """The step's command stops the server; recording its result then fails. That exited
    2, which says nothing was recorded, and nothing said the rollback had run."""
    import shlex

    from tests.postgres_server import BIN

    data = pg_cluster.directory / "data"
    stop = [str(BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]
    if pg_cluster.owner is not None:
        stop = ["runuser", "-u", pg_cluster.owner, "--", *stop]
    runbook = tmp_path / "stops.yaml"
    runbook.write_text(
        "runbook: stops\ntitle: The record goes away as the rollback runs\nphases:\n"
        "  - id: execute\n    title: Execute\n    steps:\n"
        "      - id: redeploy\n        title: Redeploy\n        kind: command\n"
        f"        command: {json.dumps(shlex.join(stop) + ' >/dev/null && echo rolled-back')}\n"
    )
    cli = Cli(pg_url, actor="ada")  # type: ignore[arg-type]
    incident_id = declare(cli, "--runbook", str(runbook))
    try:
        ran = cli.run("run", incident_id, "redeploy", "--yes")
    finally:
        pg_cluster.start()
    assert ran.code == 3, (ran.out, ran.err)
    assert ran.out == "rolled-back\n"
    line = one_line(ran.err)
    assert line.startswith("lastgood run: the command ran (exit 0) but was not recorded: ")
    assert "cannot append" in line, line
    by_hand = line.split("do not run it again, record it with `", 1)[1].rstrip("`")
    assert by_hand.startswith(f"lastgood check {incident_id} redeploy --evidence ")
    status = json.loads(cli.ok("status", incident_id, "--json"))
    assert {s["id"]: s["state"] for s in status["steps"]}["redeploy"] == "open"
    cli.ok(*shlex.split(by_hand)[1:])  # as the line says
    status = json.loads(cli.ok("status", incident_id, "--json"))
    assert {s["id"]: s["state"] for s in status["steps"]}["redeploy"] == "done"
