"""`lastgood init` run off a terminal in a scratch directory: the tests' one way in."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.cli_helpers import ROOT, InProcessCli, lastgood_command
from tests.http_servers import unused_port
from tests.prometheus_helpers import (  # the fixture is imported for pytest to find
    prometheus_stack_fixture,  # noqa: F401
)

SERVICE = ["--service", "checkout"]
URLS = [
    *("--health-url", "https://checkout.example/healthz"),
    *("--version-url", "${CHECKOUT_URL:-https://checkout.example}/version"),
]


def init(
    tmp_path: Path, *args: str, prometheus: str | None = None, process: bool = False
) -> tuple[int, str, str]:
    """`lastgood init ARGS` in `tmp_path`, off a terminal (stdin is empty): the CLI's
    `main` in this process, or with `process` a separate one as a user runs it."""
    url = prometheus or f"http://127.0.0.1:{unused_port()}"
    given = "--prometheus-url" in args or "--no-prometheus" in args
    command = [*args] if given else [*args, "--prometheus-url", url]
    if process:
        done = subprocess.run(
            [*lastgood_command(), "init", *command],
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        return done.returncode, done.stdout, done.stderr
    cli = InProcessCli(tmp_path / "unused.db")
    cli.env = {**os.environ, "PYTHONPATH": str(ROOT)}  # no $LASTGOOD_DB, as above
    cli.cwd = tmp_path
    result = cli.run("init", *command)
    return result.code, result.out, result.err
