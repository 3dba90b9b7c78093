"""`lastgood init`'s answers: a URL left out (`--no-health-probe`, `--no-version-probe`,
`--no-prometheus`) makes a runbook without that probe; a bad answer, an empty URL
option among them, gets one line naming it and no file; a runbook written is kept.
"""

from __future__ import annotations

import pytest

from runbooks import load_runbook
from tests.cli_helpers import Cli
from tests.init_helpers import SERVICE, URLS, init
from tests.prometheus_helpers import (  # the fixture is imported for pytest to find
    prometheus_stack_fixture,  # noqa: F401
)


def test_a_service_without_http_endpoints_gets_a_runbook_that_validates(tmp_path):
    """A batch worker has no health or version URL: the author deleted by hand the
    probes and what read them (ux_review8 #1). `--no-health-probe` and
    `--no-version-probe` leave them out, init says so, and what is written validates."""
    worker = [*("--service", "mailer-worker", "--method", "custom")]
    blank = [*("--no-health-probe", "--no-version-probe")]
    command = ["--rollback-command", "kubectl -n batch rollout undo cronjob/mailer"]
    code, out, err = init(tmp_path, *worker, *blank, *command, process=True)
    assert (code, err) == (0, "")
    assert "no health probe: its trigger (3 failed checks in a row) is left out" in out
    assert "no version probe: Confirm version takes the version seen" in out
    validated = Cli(tmp_path / "unused.db").run("validate", str(tmp_path / "lastgood.yaml"))
    assert validated.code == 0, validated.err
    assert "ok (runbook 'mailer-worker-rollback', 4 phases, 17 steps)" in validated.out
    text = (tmp_path / "lastgood.yaml").read_text(encoding="utf-8")
    assert "# No health URL was given" in text and "# No version URL was given" in text
    runbook = load_runbook(tmp_path / "lastgood.yaml")
    assert [probe.name for probe in runbook.probes] == ["error-rate"]
    assert [trigger.id for trigger in runbook.triggers] == ["error-rate", "core-broken"]
    steps = {step.id: step for step in runbook.steps()}
    assert (steps["confirm-version"].probe, steps["confirm-version"].evidence) == (None, None)
    assert steps["check-health"].probe == "error-rate"
    recorded = steps["record-running-version"]
    assert (recorded.kind.value, recorded.command) == ("check", None)


def test_a_blank_health_url_keeps_the_version_probe_and_its_curl(tmp_path):
    args = [*SERVICE, "--no-health-probe", "--version-url", "https://checkout.example/v"]
    code, out, err = init(tmp_path, *args)
    assert (code, err) == (0, ""), out
    runbook = load_runbook(tmp_path / "lastgood.yaml")
    assert [probe.name for probe in runbook.probes] == ["version", "error-rate"]
    steps = {step.id: step for step in runbook.steps()}
    assert steps["confirm-version"].probe == "version"
    assert steps["record-running-version"].command == "curl -fsS https://checkout.example/v"


def test_no_prometheus_leaves_its_probe_out_off_a_terminal(tmp_path):
    """Off a terminal Prometheus could not be left out at all: its empty URL was refused
    and no option said 'none'."""
    code, out, err = init(tmp_path, *SERVICE, *URLS, "--no-prometheus")
    assert (code, err) == (0, ""), out
    assert "no Prometheus probe: the error-rate probe and its trigger are left out" in out
    runbook = load_runbook(tmp_path / "lastgood.yaml")
    assert [probe.name for probe in runbook.probes] == ["health", "version"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--service", "checkout"], "--health-url, --version-url needed"),
        (
            [*SERVICE, "--no-health-probe", "--no-version-probe", "--version-field", "v"],
            "lastgood init: --version-field needs a version URL\n",
        ),
        (["--service", "check out", *URLS], "--service 'check out': use letters"),
        (
            [*SERVICE, *URLS, "--method", "custom"],
            "lastgood init: --rollback-command needed: the custom method runs it\n",
        ),
        ([*SERVICE, *URLS, "--namespace", "Prod_1"], "--namespace 'Prod_1': a Kubernetes name"),
        (
            ["--service", "Checkout_1", *URLS],
            "lastgood init: --service 'Checkout_1' is no Kubernetes name (lower case, digits, "
            "'-'): give --target\n",
        ),
        (
            [*SERVICE, "--health-url", "checkout/healthz", "--version-url", "https://v"],
            "--health-url: URL 'checkout/healthz' needs a scheme",
        ),
        ([*SERVICE, *URLS, "--method", "ssh"], "invalid choice: 'ssh'"),
        (  # the runbook's own refusal blamed the file init was writing, and `\e`
            [*SERVICE, "--health-url", "https://h/\x1b[31m", "--version-url", "https://v"],
            "lastgood init: --health-url: control character U+001B (ESC) at position 11; "
            "runbook text is shown to people and must be printable",
        ),
        (
            [*SERVICE, *URLS, "--method", "custom", "--rollback-command", "echo ok \u202e#"],
            "--rollback-command: bidirectional control U+202E at position 9",
        ),
        (  # `rm -rf /tmp/x<ZWSP>` in the runbook would read as it is not
            [*SERVICE, *URLS, "--method", "custom", "--rollback-command", "./lb.sh\u200b blue"],
            "--rollback-command: invisible character U+200B at position 8: "
            "a reviewer reading the command would not see it",
        ),
        (  # the runbook ran `kubectl rollout undo deployment/checkout`, exit 0
            [*SERVICE, *URLS, "--rollback-command", "./switch-lb.sh blue"],
            "lastgood init: --rollback-command needs --method load-balancer or custom\n",
        ),
        (
            [*SERVICE, *URLS, "--method", "helm", "--rollback-command", "./switch-lb.sh blue"],
            "lastgood init: --rollback-command needs --method load-balancer or custom\n",
        ),
        (
            [
                *SERVICE,
                *URLS,
                "--method",
                "custom",
                "--rollback-command",
                "make rollback",
                "--target",
                "foo",
                "--namespace",
                "prod",
            ],
            "lastgood init: --target and --namespace need --method kubectl, helm or "
            "argo-rollouts\n",
        ),
        (
            [
                *SERVICE,
                *URLS,
                "--method",
                "load-balancer",
                "--rollback-command",
                "./lb",
                "--namespace",
                "prod",
            ],
            "lastgood init: --namespace needs --method kubectl, helm or argo-rollouts\n",
        ),
        (
            [*SERVICE, *URLS, "--prometheus-url", ""],
            "lastgood init: --prometheus-url: the URL is empty (give --no-prometheus to leave "
            "it out)\n",
        ),
        (  # accepted off a terminal, leaving the probe out, while --prometheus-url "" was
            # refused: in a script an empty URL is a variable left unset more often
            [*SERVICE, "--health-url", "", "--version-url", "https://v"],
            "lastgood init: --health-url: the URL is empty (give --no-health-probe to leave "
            "it out)\n",
        ),
        (
            [*SERVICE, "--health-url", "https://h", "--version-url", " "],
            "lastgood init: --version-url: the URL is empty (give --no-version-probe to leave "
            "it out)\n",
        ),
        (
            [*SERVICE, *URLS, "--no-health-probe"],
            "lastgood init: --health-url and --no-health-probe: give one\n",
        ),
        (
            [*SERVICE, *URLS, "--no-prometheus", "--error-query", "sum(up)"],
            "lastgood init: --error-query needs a Prometheus URL\n",
        ),
        ([*SERVICE, *URLS, "--target", " "], "lastgood init: --target must not be empty\n"),
        (  # a runbook `validate` refuses: Prometheus would refuse it on every poll
            [*SERVICE, *URLS, "--error-query", "sum(rate(http_requests_total[1m])"],
            "lastgood init: --error-query has a '(' that is never closed\n",
        ),
        (
            [*SERVICE, *URLS, "--error-query", "# the 5xx ratio"],
            "lastgood init: --error-query is only a comment: Prometheus has nothing to evaluate\n",
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
    assert (code, err) == (
        2,
        "lastgood init: lastgood.yaml already exists: choose another file, or overwrite it "
        "(--force)\n",
    )
    assert edited.read_text() == "# the team's edited runbook\n"
    assert init(tmp_path, *SERVICE, *URLS, "--force")[0] == 0
    assert edited.read_text().startswith("# The emergency rollback runbook for checkout")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lastgood.yaml"]  # no scratch left
