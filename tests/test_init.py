"""`lastgood init` as a user runs it: a runbook for their service, in one command.

Each run is in a scratch directory: a real process at a terminal and where the file
it writes is then validated and declared with, as the README says to; elsewhere the
CLI's `main` called in this process (`InProcessCli`). Prometheus is tried for real:
the one `.ci/run` installs, and a loopback port nobody listens on (what init says of
its answers is `tests/test_init_prometheus.py`).
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys

import pytest

from incident.app.verbs import BY_NAME
from incident.app.verbs_database import INIT_METHODS, INIT_MIGRATIONS
from runbooks import load_runbook
from runbooks.resolve import resolve_runbook
from runbooks.starter import RollbackMethod
from runbooks.starter_migrations import MigrationTool
from runbooks.unpointed import BUNDLED_PROBE_URLS
from tests.cli_helpers import ROOT, Cli, lastgood_command
from tests.http_servers import unused_port
from tests.init_helpers import SERVICE, URLS, init
from tests.prometheus_helpers import (  # the fixture is imported for pytest to find
    prometheus_stack_fixture,  # noqa: F401
)
from tui.cli.init_verb import MIGRATIONS, NAMESPACE, QUESTIONS


def test_the_verb_table_offers_exactly_the_methods_and_tools_there_are():
    assert tuple(RollbackMethod) == INIT_METHODS
    assert tuple(MigrationTool) == INIT_MIGRATIONS


@pytest.mark.parametrize(
    ("method", "extra", "command"),
    [
        (
            "kubectl",
            ["--namespace", "shop"],
            "kubectl rollout undo deployment/checkout -n shop",
        ),
        (
            "helm",
            ["--target", "checkout-web"],
            "helm rollback checkout-web -n default --wait --timeout 5m",
        ),
        (
            "argo-rollouts",
            [],
            "kubectl argo rollouts undo checkout -n default",
        ),
        ("load-balancer", ["--rollback-command", "./lb switch blue"], "./lb switch blue"),
        ("custom", ["--rollback-command", "make rollback"], "make rollback"),
    ],
)
def test_each_method_writes_a_commented_runbook_whose_rollback_step_runs_it(
    tmp_path, method, extra, command
):
    code, out, err = init(tmp_path, *SERVICE, *URLS, "--method", method, *extra)
    assert (code, err) == (0, "")
    assert f"rollback: {command}" in out
    text = (tmp_path / "lastgood.yaml").read_text()
    assert text.startswith("# The emergency rollback runbook for checkout")
    assert "\n# Where lastgood watches the service." in text
    runbook = load_runbook(tmp_path / "lastgood.yaml")
    (rollback,) = [step for step in runbook.steps() if step.patterns]
    assert (rollback.kind, rollback.command) == ("command", command)
    # a tool by its name, else the service: never `Roll back with custom` (review 4, 2)
    titles = {
        "kubectl": "Roll back with kubectl",
        "helm": "Roll back with helm",
        "argo-rollouts": "Roll back with Argo Rollouts",
        "load-balancer": "Roll back checkout at the load balancer",
        "custom": "Roll back checkout",
    }
    assert rollback.title == titles[method]
    reads_back = {
        "kubectl": "output matches /successfully rolled out/",
        "helm": "info.status == deployed",
        "argo-rollouts": "output matches /Healthy/",
    }
    if method in reads_back:
        assert rollback.verify is not None and rollback.verify.within_s == 300
        assert rollback.verify.expectation == reads_back[method]
        assert f"verified: {rollback.verify.command}" in out
    else:
        assert rollback.verify is None
    health, version, errors = runbook.probes
    assert (health.url, version.url) == (
        "https://checkout.example/healthz",
        "${CHECKOUT_URL:-https://checkout.example}/version",
    )
    assert errors.url.startswith("http://127.0.0.1:") and errors.query.startswith("sum(rate(")
    assert len(runbook.phases) == 4  # the guide's phases, as bundled
    # The guide's Phase 4 has no window ("Once the service is stable"): none written,
    # and the comment says the windows count from the declaration (review 7, F1 and F5).
    assert [phase.window is None for phase in runbook.phases] == [False, False, False, True]
    assert "[45, null]" not in text and "45, None" not in text
    assert "windows (minutes after the declaration; close-out\n# has none" in text


@pytest.mark.parametrize("name", ["$(id).yaml", "my runbook.yaml", "other.yaml"])
def test_the_commands_it_suggests_run_as_pasted_and_name_the_file_written(tmp_path, name):
    """`-o '$(id).yaml'` suggested `lastgood validate $(id).yaml`, which runs `id`; a
    space split the path; and the file's own header named lastgood.yaml whatever -o was."""
    code, out, err = init(tmp_path, *SERVICE, *URLS, "-o", name, process=True)
    assert (code, err) == (0, "")
    check = f"lastgood validate {shlex.quote(name)}"
    use = f"lastgood declare --runbook {shlex.quote('./' + name)}"
    assert f"\ncheck it:  {check}\n" in out
    start = use.replace("lastgood declare", "lastgood start")  # the TUI, named too
    assert f"\nuse it:    {start} opens the TUI on it\n" in out
    assert f"\n           {use} --title ... --severity SEV2 --commander NAME\n" in out
    assert (tmp_path / name).read_text().splitlines()[4:6] == [
        f"# Edit it freely, then check it:   {check}",
        f"# Use it when you declare:         {use} ...",
    ]
    lastgood = " ".join(shlex.quote(word) for word in lastgood_command())
    for pasted in (check, f"{use} --title T --severity SEV2 --commander Ada"):
        done = subprocess.run(
            ["sh", "-c", pasted.replace("lastgood", lastgood, 1)],
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": str(ROOT), "LASTGOOD_DB": str(tmp_path / "r.db")},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("INC-")  # declared on the file written
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, "r.db"])


def test_the_help_shows_the_defaults_applied_when_an_option_is_left_out():
    said = {param.name: param.help for param in BY_NAME["init"].params}
    defaults = {field: default for field, _, default in QUESTIONS}
    assert said["method"].endswith(f"(default: {defaults['method']})")
    assert said["version_field"].endswith(f"(default: {defaults['version_field']})")
    assert said["namespace"].endswith(f"(default: {NAMESPACE})")
    assert said["migrations"].endswith(f"(default: {MIGRATIONS})")
    assert said["output"].endswith("(default: lastgood.yaml)")
    shown = subprocess.run(
        [*lastgood_command(), "init", "--help"],
        env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert "how a release is rolled back (default: kubectl)" in shown
    assert "where to write it (default: lastgood.yaml)" in shown


def test_off_a_terminal_line_editing_is_not_loaded(tmp_path):
    """readline is for the questions; a script's `init` does not pay for loading it."""
    script = (
        "import sys; from tui.cli.main import main; "
        "code = main(sys.argv[1:]); print('readline' in sys.modules, code, file=sys.stderr)"
    )
    prometheus = f"http://127.0.0.1:{unused_port()}"
    done = subprocess.run(
        [sys.executable, "-c", script, "init", *SERVICE, *URLS, "--prometheus-url", prometheus],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stderr.splitlines()[-1] == "False 0"


def test_the_runbook_validates_and_a_declared_incident_uses_it(tmp_path):
    code, _, err = init(tmp_path, *SERVICE, *URLS, "--migrations", "alembic", process=True)
    assert (code, err) == (0, "")
    cli = Cli(tmp_path / "record.db")
    runbook = str(tmp_path / "lastgood.yaml")
    assert "ok (runbook 'checkout-rollback', 4 phases, 17 steps)" in cli.ok("validate", runbook)
    incident = cli.ok(
        "declare",
        "--runbook",
        runbook,
        "--title",
        "Checkout 500s",
        "--severity",
        "SEV2",
        "--commander",
        "Ada",
    ).strip()
    status = cli.ok("status", incident)
    assert "Roll back with kubectl" in status
    assert "record-running-version" in status
    guidance = {step.id: step.guidance for step in load_runbook(runbook).steps()}
    assert "the down-migrations tier runs `alembic downgrade" in guidance["database-rollback"]


FAKE_ALEMBIC = """\
#!/bin/sh
here=$(dirname "$0")
case "$1" in
  downgrade) echo "$2" > "$here/current"; echo "Running downgrade -> $2" ;;
  current) cat "$here/current" ;;
esac
"""


def test_with_alembic_the_down_migrations_tier_runs_alembic_downgrade(tmp_path):
    """The database step only named `alembic downgrade <last good revision>` in prose
    (ux_review8 #9); now the down-migrations tier runs it from the database step, the
    revision given when it runs, and reads it back with `alembic current`. Without the
    revision the shell refuses it and the step stays open. An `alembic` on PATH that
    keeps the revision in a file stands in for the tool."""
    code, out, err = init(tmp_path, *SERVICE, *URLS, "--migrations", "alembic", process=True)
    assert (code, err) == (0, "")
    assert '  down migrations: alembic downgrade "${ALEMBIC_DOWN_TO:?' in out
    runbook = tmp_path / "lastgood.yaml"
    assert "ALEMBIC_DOWN_TO=<last good revision> lastgood run ID database-rollback" in (
        runbook.read_text()
    )
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "alembic").write_text(FAKE_ALEMBIC)
    (tools / "alembic").chmod(0o755)
    cli = Cli(tmp_path / "record.db", actor="Ada")
    cli.env["PATH"] = f"{tools}{os.pathsep}{cli.env['PATH']}"
    cli.env.pop("ALEMBIC_DOWN_TO", None)
    incident = cli.ok(
        "declare", "--runbook", str(runbook), "--title", "Checkout 500s",
        "--severity", "SEV2", "--commander", "Ada",
    ).strip()  # fmt: skip
    cli.ok("db-tier", incident, "down-migrations", "--reason", "0042 has a down step")
    unset = cli.run("run", incident, "database-rollback", "--yes")
    assert unset.code == 1, unset
    assert "ALEMBIC_DOWN_TO: set it to the last good revision" in unset.out, unset
    assert not (tools / "current").exists()
    cli.env["ALEMBIC_DOWN_TO"] = "0041"
    ran = cli.run("run", incident, "database-rollback", "--yes")
    assert ran.code == 0, ran.err
    assert (tools / "current").read_text() == "0041\n"
    assert "Running downgrade -> 0041" in ran.out
    status = cli.ok("status", incident, "--json")
    steps = {step["id"]: step["state"] for step in json.loads(status)["steps"]}
    assert steps["database-rollback"] == "done"


def test_the_bundled_urls_named_are_the_bundled_runbooks():
    bundled = load_runbook(resolve_runbook("rollback"))
    assert {probe.name: probe.url for probe in bundled.probes} == BUNDLED_PROBE_URLS


def test_declaring_with_unpointed_probes_says_how_to_point_them(tmp_path):
    cli = Cli(tmp_path / "record.db")
    declared = cli.run(
        "declare", "--title", "Checkout 500s", "--severity", "SEV2", "--commander", "Ada"
    )
    assert declared.code == 0
    assert declared.err.splitlines()[1] == (  # after the new database's line
        "lastgood declare: the runbook's probes (health, version, error-rate) still point at "
        "the bundled 127.0.0.1 defaults: `lastgood init` writes a runbook for your service "
        "(then declare with --runbook ./lastgood.yaml)"
    )
    assert init(tmp_path, *SERVICE, *URLS)[0] == 0
    pointed = cli.run(
        "declare",
        "--runbook",
        str(tmp_path / "lastgood.yaml"),
        "--title",
        "T",
        "--severity",
        "SEV2",
        "--commander",
        "Ada",
    )
    assert pointed.code == 0 and "lastgood init" not in pointed.err
