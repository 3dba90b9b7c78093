"""`lastgood init` at a real pseudo-terminal: what the line editor and the terminal give.

Up recalls a refused answer (and offers a URL mended with its scheme), Ctrl-D stops
with nothing written, an existing file is refused before the first question, and with
stdout redirected the questions stay on the terminal. The terminal's driver and the
first questions' answers are `tests/test_init_terminal.py`'s.
"""

from __future__ import annotations

from runbooks import load_runbook
from tests.http_servers import unused_port
from tests.test_init_terminal import (
    CTRL_D,
    FIRST_ANSWERS,
    GUIDE_ANSWERS,
    LEFT,
    UP,
    answered_at_a_terminal,
)


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
