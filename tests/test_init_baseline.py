"""`lastgood init` and the error rate's baseline, which Check health compares with.

"Error rates returning to baseline levels" needs the error ratio while healthy; init
wrote no `baseline:` and asked for none (ux_review15 #1). Now it asks at a terminal,
with what a real Prometheus answers now as the default, takes `--error-baseline`, and
otherwise says in the runbook and in its report how to set one.
"""

from __future__ import annotations

from runbooks import load_runbook
from tests.http_servers import unused_port
from tests.init_helpers import SERVICE, URLS, init
from tests.prometheus_helpers import (  # the fixture is imported for pytest to find
    PrometheusStack,
    prometheus_stack_fixture,  # noqa: F401
)
from tests.test_init_terminal import FIRST_ANSWERS, answered_at_a_terminal


def test_the_option_writes_the_probes_baseline(tmp_path):
    code, out, err = init(tmp_path, *SERVICE, *URLS, "--error-baseline", "0.002")
    assert code == 0, err
    assert "baseline: error ratio 0.002 while healthy (Check health compares with it)" in out
    errors = load_runbook(tmp_path / "lastgood.yaml").probe("error-rate")
    assert errors is not None and errors.baseline == 0.002


def test_without_one_the_runbook_and_the_report_say_how_to_set_it(tmp_path):
    code, out, err = init(tmp_path, *SERVICE, *URLS)
    assert code == 0, err
    assert "no error-rate baseline: Check health will ask what was seen" in out
    text = (tmp_path / "lastgood.yaml").read_text()
    assert "# The error-rate probe has no baseline, its error ratio while healthy" in text
    errors = load_runbook(tmp_path / "lastgood.yaml").probe("error-rate")
    assert errors is not None and errors.baseline is None


def test_a_baseline_without_prometheus_or_out_of_range_is_refused(tmp_path):
    code, _, err = init(tmp_path, *SERVICE, *URLS, "--no-prometheus", "--error-baseline", "0.01")
    assert (code, err.strip().splitlines()[-1]) == (
        2,
        "lastgood init: --error-baseline needs a Prometheus URL",
    )
    code, _, err = init(tmp_path, *SERVICE, *URLS, "--error-baseline", "4")
    assert code == 2 and "--error-baseline '4': a ratio from 0 to 1 (0.002 for 0.2%)" in err
    assert not (tmp_path / "lastgood.yaml").exists()


def test_at_a_terminal_prometheus_now_is_the_default(tmp_path, prometheus_stack: PrometheusStack):
    code, screen = answered_at_a_terminal(
        tmp_path,
        [
            *FIRST_ANSWERS,
            ("Prometheus URL", prometheus_stack.url),
            ("Error-ratio query", "vector(0.0042)"),
            ("Rollback method", ""),
            ("Deployment / release / rollout [payments]", ""),
            ("Namespace [default]", ""),
            ("Migration tool", ""),
            ("Error-rate baseline", "12"),
            ("Error-rate baseline", ""),
            ("Status page URL", "none"),
        ],
    )
    assert code == 0, screen
    assert "Prometheus reads 0.0042 now" in screen
    assert "error-rate baseline '12': a ratio from 0 to 1" in screen
    errors = load_runbook(tmp_path / "lastgood.yaml").probe("error-rate")
    assert errors is not None and errors.baseline == 0.0042


def test_at_a_terminal_none_leaves_it_out(tmp_path):
    code, screen = answered_at_a_terminal(
        tmp_path,
        [
            *FIRST_ANSWERS,
            ("Prometheus URL", f"http://127.0.0.1:{unused_port()}"),
            ("Error-ratio query", ""),
            ("Rollback method", ""),
            ("Deployment / release / rollout [payments]", ""),
            ("Namespace [default]", ""),
            ("Migration tool", ""),
            ("Error-rate baseline", ""),
            ("Status page URL", "none"),
        ],
    )
    assert code == 0, screen
    assert "Error-rate baseline, the error ratio while healthy (0-1; none:" in screen
    errors = load_runbook(tmp_path / "lastgood.yaml").probe("error-rate")
    assert errors is not None and errors.baseline is None
