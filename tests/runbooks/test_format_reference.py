"""The runbook format reference (`docs/RUNBOOK_FORMAT.md`, `lastgood validate --explain`)
names every key the YAML reader takes, says truly which are required, and is the file
in docs/ (ux_review8 #12: the format was learnt from `init`'s output and refusals)."""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from runbooks import build_context, inspect_runbook_file
from runbooks.format_reference import (
    PLACES,
    PROBE_KINDS,
    STEP_KINDS,
    TRIGGER_KINDS,
    reference_text,
)
from runbooks.model import ProbeKind, StepKind, TriggerKind
from tests.cli_helpers import ROOT, Cli

DOC = ROOT / "docs" / "RUNBOOK_FORMAT.md"


def test_every_key_tuple_of_the_reader_is_a_place_of_the_reference() -> None:
    read = {
        name: value
        for name, value in vars(build_context).items()
        if name.endswith("_KEYS") and isinstance(value, tuple)
    }
    assert len(read) >= 13
    told = [place.keys for place in PLACES]
    untold = sorted(name for name, keys in read.items() if keys not in told)
    assert untold == []


def test_the_reference_has_a_row_for_every_key_and_a_line_for_every_kind() -> None:
    text = reference_text()
    for place in PLACES:
        section = text.split(f"### {place.heading}\n", 1)[1].split("\n### ", 1)[0]
        for key in place.keys:
            assert f"| `{key}` |" in section, (place.heading, key)
    assert set(STEP_KINDS) == set(StepKind)
    assert set(PROBE_KINDS) == set(ProbeKind)
    assert set(TRIGGER_KINDS) == set(TriggerKind)
    assert "data.result.0.metric.version" in text  # json_field indexes a list
    assert "not an expression" in text  # evidence is prose


def test_a_key_without_words_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from runbooks import format_reference

    first = PLACES[0]
    words = dict(first.words)
    del words["title"]
    changed = (type(first)(first.heading, first.where, first.keys, words), *PLACES[1:])
    monkeypatch.setattr(format_reference, "PLACES", changed)
    with pytest.raises(ValueError, match="no words for \\['title'\\]"):
        format_reference.reference_text()


def test_docs_runbook_format_is_the_reference() -> None:
    expected = reference_text()
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    if os.environ.get("LASTGOOD_UPDATE_README") and text != expected:
        DOC.write_text(expected, encoding="utf-8")
        text = expected
    assert text == expected, "docs/RUNBOOK_FORMAT.md drifted: rerun with LASTGOOD_UPDATE_README=1"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/RUNBOOK_FORMAT.md)" in readme


FULL: dict[str, Any] = {
    "runbook": "svc",
    "title": "Svc",
    "patterns": {"rolling": {"title": "Rolling"}},
    "probes": [{"name": "health", "kind": "http", "url": "http://h/healthz"}],
    "triggers": [
        {
            "id": "down",
            "title": "Down",
            "kind": "consecutive_failures",
            "probe": "health",
            "count": 3,
        }
    ],
    "database_tiers": [{"id": "none", "title": "None", "risk": "r", "data_loss": "none"}],
    "templates": {"say": "Rolling back {title}."},
    "notify": {"targets": [{"name": "team", "kind": "slack", "url": "http://hook"}]},
    "status_page": {"url": "https://status.example.com"},
    "phases": [
        {
            "id": "act",
            "title": "Act",
            "steps": [
                {
                    "id": "undo",
                    "title": "Undo",
                    "kind": "command",
                    "command": "true",
                    "verify": {"command": "true"},
                },
                {"id": "db", "title": "DB", "kind": "database"},
            ],
        }
    ],
}
"""A runbook with each place the reference lists that has a required key."""

WHERE: dict[str, tuple[Any, ...]] = {
    "The runbook": (),
    "A pattern": ("patterns", "rolling"),
    "A phase": ("phases", 0),
    "A step": ("phases", 0, "steps", 0),
    "A command step's `verify`": ("phases", 0, "steps", 0, "verify"),
    "A probe": ("probes", 0),
    "A trigger": ("triggers", 0),
    "A database tier": ("database_tiers", 0),
    "A notify target": ("notify", "targets", 0),
    "The status page": ("status_page",),
}


def _problems(tmp_path: Path, data: dict[str, Any]) -> list[str]:
    path = tmp_path / "svc.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    _, problems = inspect_runbook_file(path)
    return [problem.message for problem in problems]


def test_the_keys_said_to_be_required_are_refused_when_left_out(tmp_path: Path) -> None:
    assert _problems(tmp_path, FULL) == []
    checked = 0
    for place in PLACES:
        required = [key for key in place.keys if place.words[key][0] == "yes"]
        if not required:
            continue
        assert place.heading in WHERE or place.heading == "`steps_from` as a mapping"
        if place.heading not in WHERE:
            continue
        for key in required:
            data = copy.deepcopy(FULL)
            mapping: Any = data
            for part in WHERE[place.heading]:
                mapping = mapping[part]
            del mapping[key]
            found = _problems(tmp_path, data)
            assert any(f"'{key}'" in message for message in found), (place.heading, key, found)
            checked += 1
    assert checked >= 20


def test_validate_explain_prints_the_reference_as_a_user_runs_it(tmp_path: Path) -> None:
    result = Cli(tmp_path / "unused.db").run("validate", "--explain")
    assert result.code == 0, result.err
    assert result.out == reference_text()
    bare = Cli(tmp_path / "unused.db").run("validate")
    assert bare.code == 2
    assert "--explain" in bare.err
