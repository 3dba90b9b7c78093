"""A person's name holding a control character is refused where it is typed, by a real
`lastgood` process, in one line that names the field and shows where the character is.

The record held a commander `Ada␛[31mRED␛[0m` that no later `--as Ada` is, and a name
holding a newline split a document's line. Every field that names a person (or the
team paged) refuses each escape of `tests.hostile.ESCAPES`: exit 2, one line on
stderr, no traceback, no raw control byte, and nothing recorded.

The two incidents the verbs name are declared once for the module, in-process
(`InProcessCli`), and each test works on a copy of that file: what each test is
about is the one refused call, which runs as a process; the reads before and after
it (export, list) run in-process, the same `main`.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from incident.core.text import first_control, visible
from tests.cli_helpers import Cli, InProcessCli, declare
from tests.hostile import ESCAPES, raw_controls


@dataclass(frozen=True)
class Incidents:
    open: str
    """Declared, nothing else done."""
    closed: str
    """Closed at once, for the post-mortem's verbs."""


@dataclass(frozen=True)
class NameField:
    verb: str
    shown_as: str
    """How the refusal names the field."""
    args: Callable[[Incidents, str], tuple[str, ...]]
    listed: bool = False
    """A comma-separated list: the name is typed after a good one."""


def _meeting() -> str:
    """A start the post-mortem may have: after the resolution, within 48 h of it."""
    return (datetime.now(UTC) + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")


FIELDS = [
    NameField("note", "--as", lambda i, name: ("--as", name, "note", i.open, "n")),
    NameField("note", "$LASTGOOD_USER", lambda i, name: ("note", i.open, "n")),
    NameField(
        "declare",
        "--commander",
        lambda i, name: (
            "declare",
            *("--title", "t", "--severity", "SEV2", "--commander", name),
        ),
    ),
    NameField("assign", "NAME", lambda i, name: ("assign", i.open, "comms-lead", name)),
    NameField("page", "WHO", lambda i, name: ("page", i.open, name)),
    NameField("handoff", "NAME", lambda i, name: ("handoff", i.open, name)),
    NameField(
        "approve",
        "--by",
        lambda i, name: ("approve", i.open, "decide-rollback", "--by", name, "--reason", "r"),
    ),
    NameField("decide", "--by", lambda i, name: ("decide", i.open, "--reason", "r", "--by", name)),
    NameField("check", "--by", lambda i, name: ("check", i.open, "assess-severity", "--by", name)),
    NameField(
        "skip",
        "--by",
        lambda i, name: ("skip", i.open, "create-channel", "--reason", "r", "--by", name),
    ),
    NameField("action", "--owner", lambda i, name: ("action", i.closed, "a", "--owner", name)),
    NameField(
        "report-status", "--owner", lambda i, name: ("report-status", i.closed, "--owner", name)
    ),
    NameField(
        "report-status",
        "--reviewers",
        lambda i, name: ("report-status", i.closed, "--reviewers", name),
        listed=True,
    ),
    NameField(
        "schedule-postmortem",
        "--attendees",
        lambda i, name: ("schedule-postmortem", i.closed, "--at", _meeting(), "--attendees", name),
        listed=True,
    ),
]


def _incidents(cli: Cli) -> Incidents:
    closed = declare(cli)
    cli.ok("close", closed, "--force", "--reason", "over")
    return Incidents(open=declare(cli), closed=closed)


@pytest.fixture(scope="module")
def declared(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Incidents]:
    """A record holding the two incidents, declared once for the module by Ada; no
    connection is left open on it, so the file is whole (its WAL checkpointed)."""
    db = tmp_path_factory.mktemp("names") / "names.db"
    incidents = _incidents(InProcessCli(db, actor="Ada"))
    assert not db.with_name(db.name + "-wal").exists()
    return db, incidents


def _copy(declared: tuple[Path, Incidents], tmp_path: Path) -> tuple[InProcessCli, Incidents]:
    """This test's copy of the declared record, and an in-process `lastgood` on it."""
    db = tmp_path / "names.db"
    shutil.copy(declared[0], db)
    return InProcessCli(db, actor="Ada"), declared[1]


def _events(cli: Cli, incidents: Incidents) -> list[object]:
    return [
        json.loads(cli.ok("export", incident_id, "--format", "json"))["events"]
        for incident_id in (incidents.open, incidents.closed)
    ]


def _ids(cli: Cli) -> list[str]:
    return [listed["id"] for listed in json.loads(cli.ok("list", "--json"))]


ESCAPE_LABELS = list(ESCAPES)
CASES = [(field, ESCAPE_LABELS[n % len(ESCAPE_LABELS)]) for n, field in enumerate(FIELDS)]
"""Each field with one escape, in turn, so that every escape is typed into some field by a
real process (15 processes, not 180: `tests/test_names_rule.py` holds the rule itself to
every escape, and `tests.hostile.ESCAPES` is longer than it is wide)."""
assert {label for _, label in CASES} == set(ESCAPES)


@pytest.mark.parametrize(
    ("field", "label"), CASES, ids=[f"{f.verb} {f.shown_as} {label}" for f, label in CASES]
)
def test_each_name_field_refuses_a_control_character(
    tmp_path: Path, declared: tuple[Path, Incidents], field: NameField, label: str
) -> None:
    cli, incidents = _copy(declared, tmp_path)
    before = _events(cli, incidents)
    ids_before = _ids(cli)
    name = f"Bo {ESCAPES[label]} Smith"
    at = first_control(name)
    assert at is not None
    typed = f"Cy,{name}" if field.listed else name
    by = Cli(cli.db, actor=name if field.shown_as == "$LASTGOOD_USER" else "Ada")
    refused = by.run(*field.args(incidents, typed))

    assert refused.code == 2, refused
    assert refused.err.startswith(f"lastgood {field.verb}: "), refused.err
    assert refused.err.count("\n") == 1 and "Traceback" not in refused.err, refused.err
    assert field.shown_as in refused.err, refused.err
    assert (
        f"the name holds a control character ({visible(name[at])} at character {at + 1}): "
        "type it as plain text"
    ) in refused.err, refused.err
    assert raw_controls(refused.err.encode()) == []
    assert refused.out == ""
    assert _events(cli, incidents) == before
    assert _ids(cli) == ids_before  # no incident declared either


def test_a_name_with_joiners_is_a_name(tmp_path: Path) -> None:
    """What `visible` keeps is not refused: the zero-width joiner of an emoji sequence or
    the non-joiner of a Persian name."""
    cli = Cli(tmp_path / "names.db", actor="Ada")
    incident_id = declare(InProcessCli(cli.db, actor="Ada"))
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"
    cli.ok("assign", incident_id, "comms-lead", persian)
    cli.ok("page", incident_id, "ops \U0001f469\u200d\U0001f4bb")
    roles = json.loads(InProcessCli(cli.db).ok("status", incident_id, "--json"))["roles"]
    assert persian in roles.values()
