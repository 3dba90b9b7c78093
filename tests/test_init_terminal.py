"""`lastgood init` at a real pseudo-terminal, each answer typed once its question shows.

The questions are on stderr, each answer is checked as it is typed and asked again
with the reason, Ctrl-D stops with nothing written, and an existing file is found
before the first question. A review found every answer checked only after all ten
questions (and then all thrown away), the questions on stdout (`init > out.txt`
looked hung), no line editing, and Ctrl-D running through the remaining questions.
"""

from __future__ import annotations

import codecs
import fcntl
import os
import pty
import select
import struct
import subprocess
import termios
from pathlib import Path
from typing import IO

from runbooks import load_runbook
from runbooks.model import Reduce
from tests.cli_helpers import ROOT, lastgood_command
from tests.http_servers import unused_port
from tests.prometheus_helpers import (  # the fixture is imported for pytest to find
    PrometheusStack,
    prometheus_stack_fixture,  # noqa: F401
)
from tests.test_init_prometheus import TWO_SERIES

CTRL_D = "\x04"
"""Typed alone at a question: end of input."""
LEFT = "\x1b[D"
"""The left-arrow key, as a terminal sends it."""
UP = "\x1b[A"
"""The up-arrow key: the line typed before, from readline's history."""


def answered_at_a_terminal(
    tmp_path: Path,
    answers: list[tuple[str, str]],
    *args: str,
    stdout: IO[bytes] | None = None,
) -> tuple[int, str]:
    """`lastgood init ARGS` on a pseudo-terminal (stdout too, unless `stdout`): each
    answer typed (then Enter, but for Ctrl-D) once the terminal's last line is its
    question's prompt; the exit status and everything the terminal showed."""
    questions = iter(answers)
    leader, follower = pty.openpty()
    # 200 columns: the error query's default makes a prompt of 130, which a dumb
    # terminal of 80 would scroll sideways instead of wrapping
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))
    process = subprocess.Popen(
        [*lastgood_command(), "init", *args],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT), "TERM": "dumb"},
        stdin=follower,
        stdout=follower if stdout is None else stdout,
        stderr=follower,
    )
    os.close(follower)
    screen = ""
    # One decoder for the whole stream: a read may end inside a character (the `↑` of
    # a re-ask is three bytes), which decoding each read alone showed as three `�`.
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    expected = next(questions, None)
    try:
        while expected is not None:
            ready, _, _ = select.select([leader], [], [], 30)
            assert ready, f"no question {expected[0]!r} within 30 s; screen: {screen!r}"
            screen += decoder.decode(os.read(leader, 4096))
            last = screen.rsplit("\n", 1)[-1]
            if last.startswith(expected[0]) and last.endswith(": "):
                typed = expected[1]
                os.write(leader, (typed if typed == CTRL_D else f"{typed}\r").encode())
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
            screen += decoder.decode(chunk)
        screen += decoder.decode(b"", final=True)
    finally:
        process.kill()
        os.close(leader)
    return code, screen.replace("\r\n", "\n")


GUIDE_ANSWERS = [("Error-rate baseline", ""), ("Status page URL", "none")]
"""The questions asked last with Prometheus (`tui.cli.init_guide`), answered by default."""

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
            *GUIDE_ANSWERS,
        ],
    )
    assert code == 0, screen
    runbook = load_runbook(tmp_path / "lastgood.yaml")
    (rollback,) = [step for step in runbook.steps() if step.patterns]
    assert rollback.command == "helm rollback payments -n pay --wait --timeout 5m"
    assert runbook.probes[1].json_field == "version"
    assert "manage.py migrate" in {s.id: s.guidance for s in runbook.steps()}["database-rollback"]


def test_an_error_query_of_several_series_is_asked_how_to_make_them_one(
    tmp_path, prometheus_stack: PrometheusStack
):
    """Tried at the terminal before the runbook is written: several series are asked
    about, and the answer is the probe's `reduce` (review 4, finding 3)."""
    code, screen = answered_at_a_terminal(
        tmp_path,
        [
            *FIRST_ANSWERS,
            ("Prometheus URL", prometheus_stack.url),
            ("Error-ratio query", TWO_SERIES),
            ("Rollback method", ""),
            ("Deployment / release / rollout [payments]", ""),
            ("Namespace [default]", ""),
            ("Migration tool", ""),
            ("The error query gives 2 series: make them one with (max, min, sum, avg)", "sum"),
            *GUIDE_ANSWERS,
        ],
    )
    assert code == 0, screen
    errors = load_runbook(tmp_path / "lastgood.yaml").probe("error-rate")
    assert errors is not None and errors.reduce == Reduce.SUM
    assert "Prometheus answered the error query: 0.04 (the trigger fires > 0.05)" in screen


def test_a_blank_prometheus_url_writes_a_runbook_without_prometheus_that_validates(tmp_path):
    """Enter at "Prometheus URL" used to be refused (must not be empty): a service
    without Prometheus could not be given a runbook at the terminal. The question
    says a blank means no Prometheus probe; the error query is then not asked, and
    the runbook watches the health and version URLs only (its error-rate trigger goes
    with the probe, and Check health reads the health probe)."""
    code, screen = answered_at_a_terminal(
        tmp_path,
        [
            *FIRST_ANSWERS,
            ("Prometheus URL (blank: no Prometheus probe)", ""),
            ("Rollback method", ""),
            ("Deployment / release / rollout [payments]", ""),
            ("Namespace [default]", ""),
            ("Migration tool", ""),
            ("Status page URL", "none"),
        ],
    )
    assert code == 0, screen
    assert "Error-ratio query" not in screen
    assert "no Prometheus probe: the error-rate probe and its trigger are left out" in screen
    validated = subprocess.run(
        [*lastgood_command(), "validate", "lastgood.yaml"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert validated.returncode == 0, validated.stdout + validated.stderr
    runbook = load_runbook(tmp_path / "lastgood.yaml")
    assert [(p.name, p.kind.value) for p in runbook.probes] == [
        ("health", "http"),
        ("version", "version"),
    ]
    assert [t.id for t in runbook.triggers] == ["health-failing", "core-broken"]
    steps = {step.id: step for step in runbook.steps()}
    assert steps["check-health"].probe == "health"
    assert steps["confirm-version"].probe == "version"


def test_blank_health_and_version_urls_write_a_runbook_without_them_that_validates(tmp_path):
    """Enter at "Health URL" and "Version URL" was refused (must not be empty), so a
    batch worker could not be described (ux_review8 #1). Each question says what a
    blank means; the version's JSON field is then not asked."""
    code, screen = answered_at_a_terminal(
        tmp_path,
        [
            ("Service name", "mailer-worker"),
            ("Health URL (answers 200 while healthy; blank: no health probe)", ""),
            ("Version URL (JSON naming the running version; blank: no version probe)", ""),
            ("Prometheus URL (blank: no Prometheus probe)", ""),
            ("Rollback method", "custom"),
            ("Rollback command", "kubectl -n batch rollout undo cronjob/mailer"),
            ("Migration tool", ""),
            ("Status page URL", "none"),
        ],
    )
    assert code == 0, screen
    assert "JSON field" not in screen
    validated = subprocess.run(
        [*lastgood_command(), "validate", "lastgood.yaml"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert validated.returncode == 0, validated.stdout + validated.stderr
    runbook = load_runbook(tmp_path / "lastgood.yaml")
    assert runbook.probes == ()
    assert [t.id for t in runbook.triggers] == ["core-broken"]
    steps = {step.id: step for step in runbook.steps()}
    assert steps["check-health"].probe is None
    assert steps["confirm-version"].probe is None


def test_a_blank_prometheus_url_is_asked_again_when_an_error_query_was_given(tmp_path):
    code, screen = answered_at_a_terminal(
        tmp_path,
        [
            *FIRST_ANSWERS,
            ("Prometheus URL (blank: no Prometheus probe)", ""),
            ("Prometheus URL (blank: no Prometheus probe)", CTRL_D),
        ],
        "--error-query",
        "sum(rate(errors[1m]))",
    )
    assert code == 1, screen
    assert "--error-query needs a Prometheus URL" in screen.splitlines(), screen
    assert list(tmp_path.iterdir()) == []


def test_each_answer_is_checked_as_it_is_typed_and_asked_again_with_the_reason(tmp_path):
    code, screen = answered_at_a_terminal(
        tmp_path,
        [
            ("Service name", "check out"),
            ("Service name", "payments"),
            ("Health URL", "http://127.0.0.1:8080/healthz"),
            ("Version URL", "not a url"),
            ("Version URL", "http://127.0.0.1:8080/version"),
            ("JSON field", ""),
            ("Prometheus URL", "127.0.0.1:9090"),
            ("Prometheus URL", f"http://127.0.0.1:{unused_port()}"),
            ("Error-ratio query", ""),
            ("Rollback method", "helmm"),
            ("Rollback method", "kubectl"),
            ("Deployment / release / rollout [payments]", "Payments_1"),
            ("Deployment / release / rollout [payments]", ""),
            ("Namespace [default]", ""),
            ("Migration tool", ""),
            *GUIDE_ANSWERS,
        ],
    )
    assert code == 0, screen
    reasons = [
        "service name 'check out': use letters, digits, '.', '_' and '-' "
        "(at most 48, starting with a letter or digit)",
        "version URL: URL 'not a url' must not contain spaces",
        "Prometheus URL: URL '127.0.0.1:9090' needs a scheme (http:// or https://): "
        "write 'http://127.0.0.1:9090'",
        "rollback method 'helmm' is not one of kubectl, helm, argo-rollouts, load-balancer, "
        "custom (did you mean 'helm'?)",
        "target 'Payments_1': a Kubernetes name (lower case, digits, '-')",
    ]
    lines = screen.splitlines()
    for reason in reasons:
        assert reason in lines, screen
    assert "--prometheus-url" not in screen and "at a terminal" not in screen
    runbook = load_runbook(tmp_path / "lastgood.yaml")
    (rollback,) = [step for step in runbook.steps() if step.patterns]
    assert rollback.command == "kubectl rollout undo deployment/payments -n default"


def test_a_method_typed_that_would_not_run_the_rollback_command_given_is_asked_again(tmp_path):
    code, screen = answered_at_a_terminal(
        tmp_path,
        [
            *FIRST_ANSWERS,
            ("Prometheus URL", f"http://127.0.0.1:{unused_port()}"),
            ("Error-ratio query", ""),
            ("Rollback method", ""),
            ("Rollback method", "load-balancer"),
            ("Migration tool", ""),
            *GUIDE_ANSWERS,
        ],
        "--rollback-command",
        "./switch-lb.sh blue",
    )
    assert code == 0, screen
    assert "--rollback-command needs rollback method load-balancer or custom" in screen
    (rollback,) = [s for s in load_runbook(tmp_path / "lastgood.yaml").steps() if s.patterns]
    assert rollback.command == "./switch-lb.sh blue"
