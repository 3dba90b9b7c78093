"""A runbook file over the size limit is refused at once: the size is checked before
reading, and no more than the limit and one byte is ever read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import IO, Any

import pytest

from runbooks import source_text, validate_runbook_file
from runbooks.limits import MAX_BYTES
from tests.cli_helpers import ROOT, lastgood_command

TWO_GIB = 2 * 1024**3

_MEASURE = """\
import json, resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=60)
peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"code": done.returncode, "out": done.stdout, "err": done.stderr,
                  "peak_kib": peak_kib}))
"""
"""Runs a command as its only child and reports the child's peak resident memory."""


def run_measured(*args: str) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *args],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=90, check=True,
    )  # fmt: skip
    result: dict[str, Any] = json.loads(done.stdout)
    return result


@pytest.mark.parametrize("suffix", [".yaml", ".md"])
def test_sparse_2gib_file_is_refused_without_being_read(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"huge{suffix}"
    with open(path, "wb") as handle:
        handle.truncate(TWO_GIB)  # sparse: no disk used, reads as 2 GiB of NUL bytes
    result = run_measured(*lastgood_command(), "validate", str(path))
    assert result["code"] == 2
    assert result["out"] == ""
    assert result["err"] == f"{path}:1:1: file too large: {TWO_GIB} bytes (limit 1 MiB)\n"
    # Python with the CLI imported is some tens of MiB; reading the file would be 2 GiB.
    assert result["peak_kib"] < 150 * 1024, result["peak_kib"]


def test_dev_zero_is_refused_without_being_read(tmp_path: Path) -> None:
    result = run_measured(*lastgood_command(), "validate", "/dev/zero")
    assert result["err"] == "/dev/zero:1:1: cannot read runbook: not a regular file\n"
    assert result["code"] == 2
    assert result["peak_kib"] < 150 * 1024, result["peak_kib"]


class _Recording:
    """A file handle that counts the bytes handed out."""

    def __init__(self, handle: IO[bytes], sizes: list[int]) -> None:
        self.handle, self.sizes = handle, sizes

    def __enter__(self) -> _Recording:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.sizes.append(len(data))
        return data


def test_file_that_grew_after_stat_is_read_only_to_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The size on disk is checked first; if the file grows between that check and the
    read (or its size lies), the read still stops one byte past the limit."""
    path = tmp_path / "growing.yaml"
    path.write_bytes(b"# growing\n" * (3 * MAX_BYTES // 10))
    real = os.stat(path)
    sizes: list[int] = []

    def stat_before_it_grew(where: object) -> SimpleNamespace:
        return SimpleNamespace(st_mode=real.st_mode, st_size=100)

    def recording_open(where: Path, mode: str) -> _Recording:
        return _Recording(open(where, mode), sizes)

    fake_os = SimpleNamespace(stat=stat_before_it_grew, strerror=os.strerror)
    monkeypatch.setattr(source_text, "os", fake_os)
    monkeypatch.setattr(source_text, "open", recording_open, raising=False)
    found = validate_runbook_file(path)
    assert [str(p) for p in found] == [
        f"{path}:1:1: file too large: more than {MAX_BYTES} bytes (limit 1 MiB)"
    ]
    assert sum(sizes) == MAX_BYTES + 1
