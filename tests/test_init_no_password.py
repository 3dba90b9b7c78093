"""`lastgood init` refuses a password typed into a URL (ux_review12 #7): it was written
into the runbook file without a word, and every `declare` from it recorded it for good.
The way on is named: the same URL with the password as `${NAME}`, which init takes."""

from __future__ import annotations

from pathlib import Path

import pytest

from runbooks import load_runbook
from tests.http_servers import unused_port
from tests.init_helpers import SERVICE, URLS, init


@pytest.mark.parametrize(
    ("option", "variable"),
    [("--prometheus-url", "PROMETHEUS_PASSWORD"), ("--health-url", "HEALTH_PASSWORD")],
)
def test_a_password_in_a_url_is_refused_naming_the_variable_form(
    tmp_path: Path, option: str, variable: str
) -> None:
    port = unused_port()
    given = f"http://admin:promPass1234@127.0.0.1:{port}"
    urls = [a for a in URLS if a != "--health-url" and "healthz" not in a]
    code, out, err = init(tmp_path, *SERVICE, *urls, option, given)
    assert code == 2, (out, err)
    assert err.count("\n") == 1, err
    assert f"{option}: a password typed into the URL would be written into the runbook" in err
    assert f"'http://admin:${{{variable}}}@127.0.0.1:{port}' (in single quotes" in err
    assert "promPass1234" not in out + err
    assert not (tmp_path / "lastgood.yaml").exists()


def test_the_password_as_a_variable_is_written_as_written(tmp_path: Path) -> None:
    url = f"http://admin:${{PROMETHEUS_PASSWORD}}@127.0.0.1:{unused_port()}"
    code, out, err = init(tmp_path, *SERVICE, *URLS, "--prometheus-url", url)
    assert code == 0, (out, err)
    (errors,) = [
        p for p in load_runbook(tmp_path / "lastgood.yaml").probes if p.name == "error-rate"
    ]
    assert errors.url == url
