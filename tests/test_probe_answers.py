"""Reading Prometheus answers, on fixed bodies: one series, or a stated reduction."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from incident.core.samples import Outcome
from incident.health.probe_answers import (
    REDUCE_HINT,
    interpret_prometheus,
    no_prometheus_api,
    reduce_values,
)
from runbooks.model import Reduce


def vector(*values: str) -> bytes:
    result = [
        {"metric": {"instance": f"web-{i}"}, "value": [1764320400.0, value]}
        for i, value in enumerate(values)
    ]
    document = {"status": "success", "data": {"resultType": "vector", "result": result}}
    return json.dumps(document).encode()


def test_one_series_is_its_value() -> None:
    reading = interpret_prometheus(200, vector("0.031"))
    assert (reading.outcome, reading.value, reading.detail) == (Outcome.OK, 0.031, "")


def test_several_series_without_a_reduction_are_an_error_naming_the_count() -> None:
    reading = interpret_prometheus(200, vector("1", "5", "3"))
    assert (reading.outcome, reading.value) == (Outcome.ERROR, None)
    assert reading.detail == "3 series; add `reduce: max|min|sum|avg` to the probe"
    assert REDUCE_HINT in reading.detail


@pytest.mark.parametrize(
    ("reduce", "value"),
    [(Reduce.MAX, 5.0), (Reduce.MIN, 1.0), (Reduce.SUM, 9.0), (Reduce.AVG, 3.0)],
)
def test_each_reduction(reduce: Reduce, value: float) -> None:
    reading = interpret_prometheus(200, vector("1", "5", "3"), reduce)
    assert (reading.outcome, reading.value, reading.detail) == (Outcome.OK, value, "")


@given(
    values=st.lists(
        st.floats(allow_infinity=False, min_value=-1e9, max_value=1e9) | st.just(math.nan),
        min_size=1,
        max_size=8,
    ),
    reduce=st.sampled_from(Reduce),
    data=st.data(),
)
def test_a_reduction_does_not_depend_on_the_order_of_the_series(
    values: list[float], reduce: Reduce, data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(values))
    first = interpret_prometheus(200, vector(*map(repr, values)), reduce)
    again = interpret_prometheus(200, vector(*map(repr, shuffled)), reduce)
    assert (first.outcome, first.detail) == (again.outcome, again.detail)
    if first.value is None or again.value is None:
        assert first.value is again.value is None
    else:
        assert first.value == pytest.approx(again.value, rel=1e-12, abs=1e-9)


def test_nan_series_are_left_out_and_all_nan_is_no_data() -> None:
    assert reduce_values([math.nan, 2.0, 7.0], Reduce.MIN) == 2.0
    assert reduce_values([math.nan, 2.0, 7.0], Reduce.AVG) == 4.5
    reading = interpret_prometheus(200, vector("NaN", "NaN"), Reduce.MAX)
    assert (reading.outcome, reading.detail) == (Outcome.NO_DATA, "query returned NaN")


def test_an_infinite_result_is_no_data() -> None:
    reading = interpret_prometheus(200, vector("+Inf", "1"), Reduce.SUM)
    assert (reading.outcome, reading.detail) == (Outcome.NO_DATA, "query returned +Inf")


def test_a_reduction_of_one_series_or_a_scalar_is_the_value() -> None:
    assert interpret_prometheus(200, vector("4"), Reduce.AVG).value == 4.0
    scalar = {"status": "success", "data": {"resultType": "scalar", "result": [0, "42"]}}
    assert interpret_prometheus(200, json.dumps(scalar).encode(), Reduce.SUM).value == 42.0


def test_no_series_is_no_data_with_or_without_a_reduction() -> None:
    for reduce in (None, Reduce.MAX):
        reading = interpret_prometheus(200, vector(), reduce)
        assert (reading.outcome, reading.detail) == (Outcome.NO_DATA, "query returned no series")


def test_one_malformed_series_spoils_a_reduction() -> None:
    body = json.loads(vector("1", "2"))
    body["data"]["result"][1] = {"metric": {}}
    reading = interpret_prometheus(200, json.dumps(body).encode(), Reduce.MAX)
    assert reading.outcome == Outcome.BAD_JSON
    assert reading.detail.startswith("malformed sample")
    bad = interpret_prometheus(200, vector("1", "many"), Reduce.MAX)
    assert (bad.outcome, bad.detail) == (Outcome.BAD_JSON, "sample value 'many' is not a number")
    separated = interpret_prometheus(200, vector("1_0"))  # float() reads it as ten
    assert (separated.outcome, separated.detail) == (
        Outcome.BAD_JSON,
        "sample value '1_0' is not a number",
    )


@pytest.mark.parametrize(
    ("reduce", "outcome", "value", "detail"),
    [
        (Reduce.AVG, Outcome.OK, 1e308, ""),
        (Reduce.MAX, Outcome.OK, 1e308, ""),
        (Reduce.SUM, Outcome.NO_DATA, None, "query returned +Inf"),
    ],
)
def test_series_too_large_to_add_up_are_a_reading_not_an_overflow(
    reduce: Reduce, outcome: Outcome, value: float | None, detail: str
) -> None:
    """Two series of 1e308: their sum passes the largest float (fsum alone raised)."""
    reading = interpret_prometheus(200, vector("1e308", "1e308"), reduce)
    assert (reading.outcome, reading.value, reading.detail) == (outcome, value, detail)


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (b'{"version": NaN}', "field 'version' is NaN, not a version"),
        (b'{"version": Infinity}', "field 'version' is Infinity, not a version"),
        (b'{"version": 1e999}', "field 'version' is Infinity, not a version"),
        (b'{"version": true}', "field 'version' is true, not a version"),
    ],
)
def test_a_version_field_that_names_no_release_is_bad_json(body: bytes, said: str) -> None:
    """They were OK readings of 'NaN', 'Infinity' and 'true' (a hostile review)."""
    from incident.health.probe_answers import interpret
    from runbooks.model import Probe, ProbeKind

    probe = Probe(name="version", kind=ProbeKind.VERSION, url="http://x/", json_field="version")
    reading = interpret(probe, 200, body)
    assert (reading.outcome, reading.detail, reading.text) == (Outcome.BAD_JSON, said, None)


def test_a_version_field_may_be_a_number() -> None:
    from incident.health.probe_answers import interpret
    from runbooks.model import Probe, ProbeKind

    probe = Probe(name="version", kind=ProbeKind.VERSION, url="http://x/", json_field="build")
    assert interpret(probe, 200, b'{"build": 4217}').text == "4217"


def test_a_404_from_the_query_path_is_the_urls_fault() -> None:
    """The prometheus probe's poll detail, as `monitor` and the panel show it: a 404 is
    the URL's (review 4, finding 1); a bad query is Prometheus's 400 or 422."""
    reading = interpret_prometheus(404, b"404 page not found\n")
    assert (reading.outcome, reading.detail) == (
        Outcome.HTTP_STATUS,
        "HTTP 404 (expected 200): no Prometheus API at this URL: give the server's base URL",
    )
    assert interpret_prometheus(503, b"").detail == "HTTP 503 (expected 200)"


def test_no_prometheus_api_names_the_url_and_the_base_it_likely_meant() -> None:
    said = "no Prometheus API at {}: give the server's base URL"
    assert no_prometheus_api("http://h:9090/graph") == said.format("http://h:9090/graph") + (
        ", e.g. http://h:9090"
    )
    assert no_prometheus_api("https://ops.example/prometheus/api/v1/") == said.format(
        "https://ops.example/prometheus/api/v1/"
    ) + (", e.g. https://ops.example/prometheus")
    assert no_prometheus_api("http://h:8080/app") == said.format("http://h:8080/app") + (
        ", e.g. http://h:8080"
    )
    assert no_prometheus_api("http://h:8080") == said.format("http://h:8080")
    # a password is never shown
    assert no_prometheus_api("http://ada:s3cret@h:9090/graph") == said.format(
        "http://ada:…@h:9090/graph"
    ) + (", e.g. http://ada:…@h:9090")
