"""`lastgood init` as a user runs it: a runbook for their service, in one command.

Each run is in a scratch directory: a real process at a terminal and where the file
it writes is then validated and declared with, as the README says to; elsewhere the
CLI's `main` called in this process (`InProcessCli`). Prometheus is tried for real:
the one `.ci/run` installs, and a loopback port nobody listens on.
"""

from __future__ import annotations

import os
import pty
import select
import shlex
import subprocess
from pathlib import Path

import pytest

from incident.app.verbs_other import INIT_METHODS, INIT_MIGRATIONS
from runbooks import load_runbook
from runbooks.resolve import resolve_runbook
from runbooks.starter import MigrationTool, RollbackMethod
from runbooks.unpointed import BUNDLED_PROBE_URLS
from tests.cli_helpers import ROOT, Cli, InProcessCli, lastgood_command
from tests.http_servers import unused_port
from tests.prometheus_helpers import (  # the fixture is imported for pytest to find
    PrometheusStack,
    prometheus_stack_fixture,  # noqa: F401
)

SERVICE = ["--service", "checkout"]
URLS = [
    *("--health-url", "https://checkout.example/healthz"),
    *("--version-url", "${CHECKOUT_URL:-https://checkout.example}/version"),
]


def init(
    tmp_path: Path, *args: str, prometheus: str | None = None, process: bool = False
) -> tuple[int, str, str]:
    """`lastgood init ARGS` in `tmp_path`, off a terminal (stdin is empty): the CLI's
    `main` in this process, or with `process` a separate one as a user runs it."""
    url = prometheus or f"http://127.0.0.1:{unused_port()}"
    command = [*args, "--prometheus-url", url]
    if process:
        done = subprocess.run(
            [*lastgood_command(), "init", *command],
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        return done.returncode, done.stdout, done.stderr
    cli = InProcessCli(tmp_path / "unused.db")
    cli.env = {**os.environ, "PYTHONPATH": str(ROOT)}  # no $LASTGOOD_DB, as above
    cli.cwd = tmp_path
    result = cli.run("init", *command)
    return result.code, result.out, result.err


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


@pytest.mark.parametrize("name", ["$(id).yaml", "my runbook.yaml", "other.yaml"])
def test_the_commands_it_suggests_run_as_pasted_and_name_the_file_written(tmp_path, name):
    """`-o '$(id).yaml'` suggested `lastgood validate $(id).yaml`, which runs `id`; a
    space split the path; and the file's own header named lastgood.yaml whatever -o was."""
    code, out, err = init(tmp_path, *SERVICE, *URLS, "-o", name, process=True)
    assert (code, err) == (0, "")
    check = f"lastgood validate {shlex.quote(name)}"
    use = f"lastgood declare --runbook {shlex.quote('./' + name)}"
    assert f"\ncheck it:  {check}\n" in out
    assert f"\nuse it:    {use} --title ... --severity SEV2 --commander NAME\n" in out
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
    assert "alembic downgrade <last good revision>" in guidance["database-rollback"]


def test_prometheus_is_tried_once_and_its_answer_shown(tmp_path, prometheus_stack: PrometheusStack):
    code, out, _ = init(
        tmp_path,
        *SERVICE,
        *URLS,
        "--error-query",
        "vector(0.0042)",
        prometheus=prometheus_stack.url,
    )
    assert code == 0
    assert "Prometheus answered the error query: 0.0042" in out


def test_a_query_prometheus_refuses_is_not_called_unreachable(
    tmp_path, prometheus_stack: PrometheusStack
):
    """A real Prometheus answered a query it could not parse, and init said it was
    "not reached" (a hostile review)."""
    code, out, _ = init(
        tmp_path, *SERVICE, *URLS, "--error-query", "rate(", prometheus=prometheus_stack.url
    )
    assert code == 0
    assert "Prometheus answered the error query with no number (Prometheus" in out
    assert "not reached" not in out


def test_an_unreachable_prometheus_is_said_and_the_runbook_still_written(tmp_path):
    code, out, _ = init(tmp_path, *SERVICE, *URLS)
    assert code == 0
    assert "Prometheus was not reached (connection refused)" in out
    assert (tmp_path / "lastgood.yaml").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--service", "checkout"], "--health-url, --version-url needed"),
        (["--service", "check out", *URLS], "service name 'check out': use letters"),
        ([*SERVICE, *URLS, "--method", "custom"], "rollback command: one line, needed"),
        ([*SERVICE, *URLS, "--namespace", "Prod_1"], "namespace 'Prod_1': a Kubernetes name"),
        (
            [*SERVICE, "--health-url", "checkout/healthz", "--version-url", "https://v"],
            "health URL: URL 'checkout/healthz' needs a scheme",
        ),
        ([*SERVICE, *URLS, "--method", "ssh"], "invalid choice: 'ssh'"),
        (  # the runbook's own refusal blamed the file init was writing, and `\e`
            [*SERVICE, "--health-url", "https://h/\x1b[31m", "--version-url", "https://v"],
            "lastgood init: health URL: control character U+001B (ESC) at position 11; "
            "runbook text is shown to people and must be printable",
        ),
        (
            [*SERVICE, *URLS, "--method", "custom", "--rollback-command", "echo ok \u202e#"],
            "rollback command: bidirectional control U+202E at position 9",
        ),
    ],
)
def test_bad_answers_get_one_line_and_no_file(tmp_path, args, message):
    code, _out, err = init(tmp_path, *args)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not list(tmp_path.iterdir())


def test_an_existing_runbook_is_kept_unless_overwritten(tmp_path):
    edited = tmp_path / "lastgood.yaml"
    edited.write_text("# the team's edited runbook\n")
    code, _, err = init(tmp_path, *SERVICE, *URLS)
    assert code == 2
    assert "lastgood.yaml already exists" in err
    assert edited.read_text() == "# the team's edited runbook\n"
    assert init(tmp_path, *SERVICE, *URLS, "--force")[0] == 0
    assert edited.read_text().startswith("# The emergency rollback runbook for checkout")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lastgood.yaml"]  # no scratch left


def answered_at_a_terminal(tmp_path: Path, answers: list[tuple[str, str]]) -> tuple[int, str]:
    """`lastgood init` on a real pseudo-terminal, each answer typed once its question
    shows: the exit status and everything the terminal showed."""
    questions = iter(answers)
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [*lastgood_command(), "init"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT), "TERM": "dumb"},
        stdin=follower,
        stdout=follower,
        stderr=follower,
    )
    os.close(follower)
    screen = ""
    expected = next(questions, None)
    try:
        while expected is not None:
            ready, _, _ = select.select([leader], [], [], 30)
            assert ready, f"no question {expected[0]!r} within 30 s; screen: {screen!r}"
            screen += os.read(leader, 4096).decode(errors="replace")
            if expected[0] in screen.rsplit("\n", 1)[-1]:
                os.write(leader, f"{expected[1]}\n".encode())
                screen += "\n"
                expected = next(questions, None)
        code = process.wait(timeout=60)
        while select.select([leader], [], [], 0)[0]:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal's other end is closed: all was read
                break
            if not chunk:
                break
            screen += chunk.decode(errors="replace")
    finally:
        process.kill()
        os.close(leader)
    return code, screen


FIRST_ANSWERS = [
    ("Service name", "payments"),
    ("Health URL", "http://127.0.0.1:8080/healthz"),
    ("Version URL", "http://127.0.0.1:8080/version"),
    ("JSON field", ""),
]


def test_at_a_terminal_it_asks_for_what_the_options_leave_out(tmp_path):
    """A real pseudo-terminal: the questions appear, Enter takes the default."""
    code, screen = answered_at_a_terminal(
        tmp_path,
        [
            *FIRST_ANSWERS,
            ("Prometheus URL", f"http://127.0.0.1:{unused_port()}"),
            ("Error-ratio query", ""),
            ("Rollback method", "helm"),
            ("Deployment / release / rollout [payments]", ""),
            ("Namespace [default]", "pay"),
            ("Migration tool", "django"),
        ],
    )
    assert code == 0, screen
    runbook = load_runbook(tmp_path / "lastgood.yaml")
    (rollback,) = [step for step in runbook.steps() if step.patterns]
    assert rollback.command == "helm rollback payments -n pay --wait --timeout 5m"
    assert runbook.probes[1].json_field == "version"
    assert "manage.py migrate" in {s.id: s.guidance for s in runbook.steps()}["database-rollback"]


def test_an_unknown_method_typed_at_a_terminal_is_one_line_and_writes_nothing(tmp_path):
    code, screen = answered_at_a_terminal(
        tmp_path,
        [
            *FIRST_ANSWERS,
            ("Prometheus URL", f"http://127.0.0.1:{unused_port()}"),
            ("Error-ratio query", ""),
            ("Rollback method", "helmm\x1b[2J"),
        ],
    )
    assert code == 2, screen
    last = screen.replace("\r\n", "\n").rstrip("\n").rsplit("\n", 1)[-1]
    assert last == (
        "lastgood init: rollback method 'helmm\\x1b[2J' is not one of "
        "kubectl, helm, argo-rollouts, load-balancer, custom"
    ), screen
    assert "\x1b" not in last
    assert list(tmp_path.iterdir()) == []


def test_the_bundled_urls_named_are_the_bundled_runbooks():
    bundled = load_runbook(resolve_runbook("rollback"))
    assert {probe.name: probe.url for probe in bundled.probes} == BUNDLED_PROBE_URLS


def test_declaring_with_unpointed_probes_says_how_to_point_them(tmp_path):
    cli = Cli(tmp_path / "record.db")
    declared = cli.run(
        "declare", "--title", "Checkout 500s", "--severity", "SEV2", "--commander", "Ada"
    )
    assert declared.code == 0
    assert declared.err.splitlines()[0] == (
        "lastgood declare: the runbook's probes (health, version, error-rate) still point at "
        "the bundled 127.0.0.1 defaults: `lastgood init` writes a runbook for your service "
        "(then declare with --runbook ./lastgood.yaml)"
    )
    assert init(tmp_path, *SERVICE, *URLS)[0] == 0
    pointed = cli.run(
        "declare", "--runbook", str(tmp_path / "lastgood.yaml"), "--title", "T", "--severity",
        "SEV2", "--commander", "Ada",
    )  # fmt: skip
    assert pointed.code == 0 and "lastgood init" not in pointed.err
