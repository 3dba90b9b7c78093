"""The runbooks the benchmarks generate are valid, so a bench never times an error path."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

import pytest

from runbooks import load_runbook
from tests.cli_helpers import ROOT


def bench_module(name: str, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    return importlib.import_module(name)


def test_keypress_latency_runbooks_validate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The `on:` keys of `notify.send` survive PyYAML's round trip (it reads `on` as True)."""
    bench = bench_module("keypress_setup", monkeypatch)
    with_probes, bare = bench.runbooks(tmp_path, 8099, 200, 12)  # raises if either is invalid
    probes = load_runbook(with_probes)
    assert len(probes.probes) == 200
    assert len([rule for rule in probes.notify_rules if rule.on is not None]) == 5
    assert len(probes.phases[-1].steps) == 12
    assert load_runbook(bare).probes == ()
    assert len(load_runbook(bare).phases[-1].steps) == 12


@pytest.mark.parametrize("phases", [1, 7, 64])
def test_runbook_validate_bench_generates_valid_runbooks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, phases: int
) -> None:
    bench = bench_module("runbook_validate", monkeypatch)
    (tmp_path / "plan.md").write_text(bench.PLAN, encoding="utf-8")
    (tmp_path / "bench.yaml").write_text(bench.yaml_runbook(phases), encoding="utf-8")
    (tmp_path / "bench.md").write_text(bench.markdown_runbook(phases), encoding="utf-8")
    assert len(load_runbook(tmp_path / "bench.yaml").phases) == phases
    assert len(load_runbook(tmp_path / "bench.md").phases) == phases
