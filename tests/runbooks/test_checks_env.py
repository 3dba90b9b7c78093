"""Runbook URLs may read the environment: `${NAME}` and `${NAME:-default}`."""

from __future__ import annotations

import pytest

from incident.core.secrets import MissingEnvironment, expand_env, secrets_for
from runbooks.checks import url_problem, with_defaults


def test_a_url_is_checked_as_its_default_would_be_sent():
    assert url_problem("${CHECKOUT:-https://checkout.example}/healthz") is None
    assert with_defaults("${A:-http://h}/p?k=${KEY}") == "http://h/p?k=${KEY}"
    assert url_problem("${CHECKOUT:-checkout.example}/healthz") == (
        "URL 'checkout.example/healthz' needs a scheme (http:// or https://)"
    )
    assert url_problem("${HEALTH_URL}") is None  # known only when it is sent


@pytest.mark.parametrize(
    ("env", "expanded"),
    [({}, "http://d/x"), ({"U": ""}, "http://d/x"), ({"U": "https://p"}, "https://p/x")],
)
def test_defaults_apply_when_unset_or_empty_as_in_the_shell(env, expanded):
    assert expand_env("${U:-http://d}/x", env) == expanded


def test_a_reference_without_default_still_needs_its_variable():
    with pytest.raises(MissingEnvironment, match="U is not set"):
        expand_env("${U}/x", {})


def test_only_values_from_the_environment_are_secrets_not_defaults():
    found = secrets_for(
        "${U:-http://public.example}/x?t=${TOKEN}", [], {"TOKEN": "tok-12345"}, webhook=False
    )
    assert found.values == ("tok-12345",)


def test_host_and_port_without_a_scheme_needs_one_and_says_the_fix():
    """`localhost:18081/healthz` read as a scheme named localhost (ux_review17 #6)."""
    assert url_problem("localhost:18081/healthz") == (
        "URL 'localhost:18081/healthz' needs a scheme (http:// or https://): "
        "write 'http://localhost:18081/healthz'"
    )
    assert url_problem("admin:s3cret@h:8080/x") == (
        "URL 'admin:…@h:8080/x' needs a scheme (http:// or https://): write 'http://admin:…@h:8080/x'"
    )
    assert (
        url_problem("mailto:ops")
        == "unsupported URL scheme 'mailto' in 'mailto:ops' (use http or https)"
    )
