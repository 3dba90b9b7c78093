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


def test_a_refused_answer_is_asked_again_saying_up_recalls_it_and_it_does(tmp_path):
    """The question asked again showed its default, not what was typed, and nothing
    said that the up arrow brings the typed line back to mend; a mistyped method got
    no "did you mean" (ux_review11 #13). Enter on a refused default recalls nothing,
    and says nothing of it."""
    code, screen = answered_at_a_terminal(
        tmp_path,
        [
            *FIRST_ANSWERS,
            ("Prometheus URL", f"http://127.0.0.1:{unused_port()}"),
            ("Error-ratio query", ""),
            ("Rollback method", ""),  # kubectl, which --rollback-command does not fit
            ("Rollback method", "load-balancr"),
            ("Rollback method", f"{UP}{LEFT}e"),  # load-balancr, mended: load-balancer
            ("Migration tool", ""),
            *GUIDE_ANSWERS,
        ],
        "--rollback-command",
        "./switch-lb.sh blue",
    )
    assert code == 0, screen
    lines = screen.splitlines()
    assert (
        "rollback method 'load-balancr' is not one of kubectl, helm, argo-rollouts, "
        "load-balancer, custom (did you mean 'load-balancer'?)"
    ) in lines, screen
    asked = [line for line in lines if line.startswith("Rollback method")]
    default = "Rollback method (kubectl, helm, argo-rollouts, load-balancer, custom) [kubectl]"
    assert [line.split(": ", 1)[0] for line in asked] == [
        default,
        default,  # the default refused: nothing typed to recall
        f"{default} (↑ recalls what you typed)",
    ], screen
    (rollback,) = [s for s in load_runbook(tmp_path / "lastgood.yaml").steps() if s.patterns]
    assert rollback.command == "./switch-lb.sh blue"


def test_ctrl_d_stops_with_nothing_written(tmp_path):
    code, screen = answered_at_a_terminal(
        tmp_path, [("Service name", "payments"), ("Health URL", CTRL_D)]
    )
    assert code == 1, screen
    assert screen.rstrip("\n").splitlines()[-1] == (
        "lastgood init: aborted at end of input; nothing written"
    )
    assert "Version URL" not in screen
    assert list(tmp_path.iterdir()) == []


def test_an_existing_file_is_refused_before_the_first_question(tmp_path):
    (tmp_path / "lastgood.yaml").write_text("# the team's edited runbook\n")
    code, screen = answered_at_a_terminal(tmp_path, [])
    assert code == 2, screen
    assert screen == (
        "lastgood init: lastgood.yaml already exists: choose another file, or overwrite it "
        "(--force)\n"
    )
    assert (tmp_path / "lastgood.yaml").read_text() == "# the team's edited runbook\n"


def test_with_stdout_redirected_the_questions_are_on_the_terminal_and_lines_edit(tmp_path):
    """`lastgood init > out.txt`: the questions were written into out.txt and the
    terminal stayed blank; a mistyped answer could not be edited with the arrows."""
    with (tmp_path / "out.txt").open("wb") as out:
        code, screen = answered_at_a_terminal(
            tmp_path,
            [
                ("Service name", f"paymnts{LEFT * 3}e"),  # "payments", with line editing
                *FIRST_ANSWERS[1:],
                ("Prometheus URL", f"http://127.0.0.1:{unused_port()}"),
                ("Error-ratio query", ""),
                ("Rollback method", ""),
                ("Deployment / release / rollout [payments]", ""),
                ("Namespace [default]", ""),
                ("Migration tool", ""),
                *GUIDE_ANSWERS,
            ],
            stdout=out,
        )
    assert code == 0, screen
    said = (tmp_path / "out.txt").read_text()
    assert said.startswith(
        "runbook written to lastgood.yaml: the bundled rollback plan for payments\n"
    )
    assert "Service name" not in said and "written to" not in screen
    assert load_runbook(tmp_path / "lastgood.yaml").id == "payments-rollback"


def test_a_url_without_its_scheme_is_offered_mended_on_up(tmp_path):
    """`localhost:18081/healthz` was refused as a scheme named localhost (ux_review17 #6,
    #16): it needs a scheme, the line says the fix, and `↑` gives it to take."""
    code, screen = answered_at_a_terminal(
        tmp_path,
        [
            ("Service name", "payments"),
            ("Health URL", "localhost:18081/healthz"),
            ("Health URL", UP),
            ("Version URL", "http://127.0.0.1:8080/version"),
            ("JSON field", ""),
            ("Prometheus URL", f"http://127.0.0.1:{unused_port()}"),
            ("Error-ratio query", ""),
            ("Rollback method", "kubectl"),
            ("Deployment / release / rollout [payments]", ""),
            ("Namespace [default]", ""),
            ("Migration tool", ""),
            *GUIDE_ANSWERS,
        ],
    )
    assert code == 0, screen
    lines = screen.splitlines()
    assert (
        "health URL: URL 'localhost:18081/healthz' needs a scheme (http:// or https://): "
        "write 'http://localhost:18081/healthz'"
    ) in lines, screen
    # the prompt may show split where a read ended at its "blank: " (as the others do)
    assert "(↑ gives http://localhost:18081/healthz): " in screen, screen
    runbook = load_runbook(tmp_path / "lastgood.yaml")
    assert runbook.probe("health") is not None
    assert "url: http://localhost:18081/healthz" in (tmp_path / "lastgood.yaml").read_text()
