"""Run `lastgood` as a user would: a separate process, the installed entry point."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def lastgood_command() -> list[str]:
    """The console script installed beside this interpreter, else the module."""
    script = Path(sys.executable).parent / "lastgood"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "tui.cli"]


@dataclass
class Result:
    code: int
    out: str
    err: str


class Cli:
    """A `lastgood` bound to one database file."""

    def __init__(self, db: Path, actor: str = "tester") -> None:
        self.db = db
        self.env = {
            **os.environ,
            "LASTGOOD_DB": str(db),
            "LASTGOOD_USER": actor,
            "PYTHONPATH": str(ROOT),
        }

    def run(self, *args: str, stdin: str | None = None) -> Result:
        done = subprocess.run(
            [*lastgood_command(), *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            input=stdin,
            timeout=60,
            check=False,
        )
        return Result(done.returncode, done.stdout, done.stderr)

    def ok(self, *args: str) -> str:
        result = self.run(*args)
        assert result.code == 0, f"lastgood {' '.join(args)} failed: {result.err}"
        return result.out
