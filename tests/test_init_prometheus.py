"""`lastgood init` and the Prometheus it is given: tried once, its answer said in one line.

A real Prometheus (the one `.ci/run` installs) and a loopback port nobody listens on.
What init writes is `tests/test_init.py`'s; here, what it says of the error query it
tries, and the `reduce` it writes for a query of several series.
"""

from __future__ import annotations

import pytest

from runbooks import load_runbook
from runbooks.model import Reduce
from tests.init_helpers import SERVICE, URLS, init
from tests.prometheus_helpers import (  # the fixture is imported for pytest to find
    PrometheusStack,
    prometheus_stack_fixture,  # noqa: F401
)


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
    "not reached" (a hostile review). `rate(` is refused before Prometheus is asked
    (`tests/test_init.py`); `rate(up)` is only Prometheus's to refuse (an instant vector
    where `rate` needs a range)."""
    code, out, _ = init(
        tmp_path, *SERVICE, *URLS, "--error-query", "rate(up)", prometheus=prometheus_stack.url
    )
    assert code == 0
    assert "Prometheus answered the error query with no number (Prometheus" in out
    assert "not reached" not in out


@pytest.mark.parametrize("path", ["/graph", "/api/v1"])
def test_a_prometheus_url_that_is_not_its_base_is_named_as_the_problem(
    tmp_path, prometheus_stack: PrometheusStack, path: str
):
    """A URL copied from the browser (`/graph`) or the API's (`/api/v1`) got a 404 from
    `/api/v1/query`, and init blamed the default query (review 4, finding 1)."""
    given = f"{prometheus_stack.url}{path}"
    code, out, _ = init(tmp_path, *SERVICE, *URLS, prometheus=given)
    assert code == 0
    assert (
        f"no Prometheus API at {given}: give the server's base URL, e.g. {prometheus_stack.url}"
    ) in out
    assert "check the query" not in out


TWO_SERIES = (
    'label_replace(vector(0.01), "pod", "a", "", "") '
    'or label_replace(vector(0.03), "pod", "b", "", "")'
)
"""An error query that gives two series, whatever Prometheus has scraped."""


def test_an_error_query_of_several_series_is_given_its_reduce(
    tmp_path, prometheus_stack: PrometheusStack
):
    """`--error-reduce` writes the probe's `reduce`: init had no way to, and wrote a
    probe that failed every poll until the YAML was edited (review 4, finding 3)."""
    code, out, _ = init(
        tmp_path,
        *SERVICE,
        *URLS,
        "--error-query",
        TWO_SERIES,
        "--error-reduce",
        "max",
        prometheus=prometheus_stack.url,
    )
    assert code == 0
    assert "Prometheus answered the error query: 0.03 (the trigger fires > 0.05)" in out
    errors = load_runbook(tmp_path / "lastgood.yaml").probe("error-rate")
    assert errors is not None and errors.reduce == Reduce.MAX


def test_without_a_reduce_several_series_name_the_option(
    tmp_path, prometheus_stack: PrometheusStack
):
    code, out, _ = init(
        tmp_path, *SERVICE, *URLS, "--error-query", TWO_SERIES, prometheus=prometheus_stack.url
    )
    assert code == 0
    assert (
        "Prometheus answered the error query with 2 series: give --error-reduce "
        "max|min|sum|avg to make them one"
    ) in out
    errors = load_runbook(tmp_path / "lastgood.yaml").probe("error-rate")
    assert errors is not None and errors.reduce is None


def test_an_unreachable_prometheus_is_said_and_the_runbook_still_written(tmp_path):
    code, out, _ = init(tmp_path, *SERVICE, *URLS)
    assert code == 0
    assert "Prometheus was not reached (connection refused)" in out
    assert (tmp_path / "lastgood.yaml").exists()
