"""`init` says the error rate trails the health probe by its rate window (review11 #15).

A `rate(...[1m])` error ratio stays green for up to a minute after the service dies,
while the health probe is refused at once: "is it up" is the health probe's answer.
`init` says so in one line when it writes an error-rate probe, naming the window its
query has; without Prometheus it writes none, and says nothing of it.
"""

from __future__ import annotations

from tests.init_helpers import SERVICE, URLS, init

TRAILS = "the error rate trails by its rate window ([1m]): for 'is it up', trust the health probe"


def test_init_says_the_error_rate_trails_by_its_rate_window(tmp_path):
    code, out, err = init(tmp_path, *SERVICE, *URLS, process=True)
    assert code == 0, err
    assert f"  {TRAILS}\n" in out


def test_a_query_with_another_window_is_named_and_no_prometheus_says_nothing(tmp_path):
    query = "sum(rate(errors_total[5m])) / sum(rate(requests_total[5m]))"
    code, out, err = init(
        tmp_path, *SERVICE, *URLS, "--error-query", query, "-o", "five.yaml", process=True
    )
    assert code == 0, err
    assert "the error rate trails by its rate window ([5m])" in out
    code, out, err = init(tmp_path, *SERVICE, *URLS, "--no-prometheus", "-o", "none.yaml")
    assert code == 0, err
    assert "trails" not in out + err
