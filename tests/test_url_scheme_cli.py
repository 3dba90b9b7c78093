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
