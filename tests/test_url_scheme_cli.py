"""A URL written without its scheme gets one verdict and the fix, from `validate` and
`init`'s flags alike (ux_review17 #6): `localhost:18081/healthz` was refused as an
"unsupported URL scheme 'localhost'"; `127.0.0.1:18081/healthz` already "needs a scheme".
`${NAME}/path` is tests/test_env_url_cli.py's.
"""

from __future__ import annotations

from pathlib import Path

from tests.cli_helpers import ROOT, InProcessCli
from tests.init_helpers import SERVICE, init

BUNDLED = (ROOT / "runbooks" / "rollback.yaml").read_text(encoding="utf-8")
NEEDS = "URL 'localhost:18081/healthz' needs a scheme (http:// or https://): write 'http://localhost:18081/healthz'"


def test_validate_says_the_url_needs_a_scheme_and_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "localhost.yaml"
    path.write_text(
        BUNDLED.replace('url: "http://127.0.0.1:8080/healthz"', "url: localhost:18081/healthz"),
        encoding="utf-8",
    )
    result = InProcessCli(tmp_path / "x.db").run("validate", str(path))
    line = next(i for i, text in enumerate(BUNDLED.splitlines(), 1) if "8080/healthz" in text)
    assert (result.code, result.out) == (2, ""), result.out
    assert result.err == f"{path}:{line}:10: {NEEDS}\n"


def test_init_flags_say_the_same(tmp_path: Path) -> None:
    code, _, err = init(
        tmp_path, *SERVICE, "--health-url", "localhost:18081/healthz", "--no-version-probe"
    )
    assert code == 2
    assert err == f"lastgood init: --health-url: {NEEDS}\n"
    assert list(tmp_path.iterdir()) == []


def test_a_url_headed_by_a_variable_without_default_says_what_it_needs(tmp_path: Path) -> None:
    """`${PAY_URL}/healthz` was refused as needing a scheme, which it has, in the
    variable (ux_review17 #7): the line says what is needed, and that form validates."""
    path = tmp_path / "envurl.yaml"
    headed = BUNDLED.replace('url: "http://127.0.0.1:8080/healthz"', "url: ${PAY_URL}/healthz")
    path.write_text(headed, encoding="utf-8")
    cli = InProcessCli(tmp_path / "x.db")
    result = cli.run("validate", str(path))
    assert result.code == 2
    assert result.err.endswith(
        ": URL '${PAY_URL}/healthz' starts with ${PAY_URL}, which has no default, so its "
        "scheme is not known until it is sent: give the default with its scheme, "
        "'${PAY_URL:-http://host:port}/healthz', or read the whole URL, '${PAY_URL}'\n"
    ), result.err
    path.write_text(
        headed.replace("${PAY_URL}/healthz", '"${PAY_URL:-http://host:8080}/healthz"'),
        encoding="utf-8",
    )
    assert cli.run("validate", str(path)).code == 0
