"""`lastgood verify`: broken chains, non-canonical text and, with --expect-head, a cut tail."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import Cli, InProcessCli
from tests.test_damaged_record import four_events, tamper
from tui.cli.errors import CliError
from tui.cli.record_verbs import whole_head


@pytest.fixture
def recorded(tmp_path: Path) -> tuple[Cli, str, list[str]]:
    """An incident of four events, recorded in-process, and the hash of each."""
    cli = InProcessCli(tmp_path / "lastgood.db")
    return cli, *four_events(cli.db)


def test_the_printed_head_is_accepted_back(recorded: tuple[Cli, str, list[str]]) -> None:
    cli, incident_id, heads = recorded
    out = cli.ok("verify", incident_id, "--expect-head", heads[-1].upper())
    assert out == f"{incident_id}: ok, 4 events, head {heads[-1]}, the expected head\n"


def test_a_cut_tail_verifies_alone_but_not_against_the_kept_head(
    recorded: tuple[Cli, str, list[str]],
) -> None:
    cli, incident_id, heads = recorded
    tamper(cli.db, "DELETE FROM events WHERE incident_id = ? AND seq > 2", incident_id)
    assert cli.run("verify", incident_id).code == 0  # the chain alone cannot tell
    result = cli.run("verify", incident_id, "--expect-head", heads[-1])
    assert result.code == 1
    assert result.out == (
        f"{incident_id}: NOT THE EXPECTED HEAD: the stored head is event 2 {heads[1]}, "
        f"not the expected {heads[-1]}, which is in no event: events were cut from the end "
        "or rewritten\n"
    )


def test_a_head_kept_earlier_says_how_many_came_after(
    recorded: tuple[Cli, str, list[str]],
) -> None:
    """The record still holds the kept head, and grew since: not a cut, so exit 0."""
    cli, incident_id, heads = recorded
    result = cli.run("verify", incident_id, "--expect-head", heads[1])
    assert result.code == 0
    assert result.out.splitlines()[0] == (
        f"{incident_id}: ok, 4 events, head {heads[-1]}, "
        "the expected head is event 2 (2 events after it)"
    )
    result = cli.run("verify", incident_id, "--expect-head", heads[2])
    first, *named = result.out.splitlines()
    assert first.endswith(", the expected head is event 3 (1 event after it)")
    assert [line.split(" · ")[0] for line in named] == ["  event 4"]  # named after it


def test_a_broken_chain_is_reported_before_any_head(recorded: tuple[Cli, str, list[str]]) -> None:
    cli, incident_id, heads = recorded
    tamper(
        cli.db,
        "UPDATE events SET payload = ' ' || payload WHERE incident_id = ? AND seq = 3",
        incident_id,
    )
    result = cli.run("verify", incident_id, "--expect-head", heads[-1])
    assert result.code == 1
    assert result.out.splitlines()[0] == (
        f"{incident_id}: BROKEN at event 3: payload is not its canonical encoding "
        "(key order, spacing or escapes) (2 events verified before it)"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--all", "--expect-head", "0" * 64), "--expect-head checks one incident"),
        (("{id}", "--expect-head", "abc"), "--expect-head: 'abc' is not a head hash"),
        (("{id}", "--expect-head", "0" * 11), "--expect-head: '00000000000' is not a head"),
    ],
)
def test_expect_head_usage_errors(
    recorded: tuple[Cli, str, list[str]], args: tuple[str, ...], message: str
) -> None:
    cli, incident_id, _ = recorded
    result = cli.run("verify", *(a.format(id=incident_id) for a in args))
    assert result.code == 2
    assert result.err.startswith(f"lastgood verify: {message}")
    assert result.err.count("\n") == 1


def test_the_twelve_digits_the_faces_print_are_taken_back(
    recorded: tuple[Cli, str, list[str]],
) -> None:
    """ux_review10 #8: the CLI, the toasts and the post-mortem screen print the head as
    12 hex digits, and `--expect-head` refused them ("not a head hash (64 hex digits)")."""
    cli, incident_id, heads = recorded
    out = cli.ok("verify", incident_id, "--expect-head", heads[-1][:12])
    assert out == f"{incident_id}: ok, 4 events, head {heads[-1]}, the expected head\n"
    out = cli.ok("verify", incident_id, "--expect-head", heads[1][:20].upper())
    assert out.splitlines()[0].endswith(", the expected head is event 2 (2 events after it)")
    (verdict,) = json.loads(cli.ok("verify", incident_id, "--expect-head", heads[1][:12], "--json"))
    assert (verdict["expected_head"], verdict["expected_seq"]) == (heads[1], 2)


def test_a_prefix_no_event_starts_is_a_cut_tail_in_one_line(
    recorded: tuple[Cli, str, list[str]],
) -> None:
    cli, incident_id, heads = recorded
    tamper(cli.db, "DELETE FROM events WHERE incident_id = ? AND seq > 2", incident_id)
    result = cli.run("verify", incident_id, "--expect-head", heads[-1][:12])
    assert result.code == 1
    assert result.out == (
        f"{incident_id}: NOT THE EXPECTED HEAD: the stored head is event 2 {heads[1]}, "
        f"not the expected {heads[-1][:12]}, which starts no event's hash: events were cut "
        "from the end or rewritten\n"
    )


def test_a_prefix_two_events_start_is_refused_in_one_line(
    recorded: tuple[Cli, str, list[str]],
) -> None:
    """Two hashes sharing 12 digits never happen by chance: made so by hand here, and the
    head looked up in the file itself (the chain, now broken, is said before any head)."""
    cli, incident_id, heads = recorded
    shared = heads[2][:12]
    tamper(
        cli.db,
        f"UPDATE events SET hash = '{shared}' || substr(hash, 13) WHERE incident_id = ? "
        "AND seq = 1",
        incident_id,
    )
    with SqliteEventLog.open(cli.db, read_only=True) as log:
        assert whole_head(log, incident_id, heads[3][:12]) == heads[3]
        assert whole_head(log, incident_id, "0" * 12) == "0" * 12  # starts none: as given
        with pytest.raises(CliError) as refused:
            whole_head(log, incident_id, shared)
    assert str(refused.value) == (
        f"--expect-head: '{shared}' starts the hashes of more than one event of "
        f"{incident_id}: give more of its digits"
    )


def test_one_event_is_said_in_the_singular_and_json_keeps_its_number(tmp_path: Path) -> None:
    """`verify`'s line keeps its shape (`ID: ok, N event(s), head H`), in good English."""
    cli = Cli(tmp_path / "one.db")
    plan = tmp_path / "plan.md"  # a step no declaration does: the declaration is all
    plan.write_text("# Plan\n\n## Roll back\n\n- [ ] Roll back\n", encoding="utf-8")
    incident_id = cli.ok(
        "declare", "--title", "t", "--severity", "SEV3", "--commander", "Ada",
        "--runbook", str(plan),
    ).strip()  # fmt: skip
    out = cli.ok("verify", incident_id)
    assert re.fullmatch(
        rf"{incident_id}: ok, 1 event, head [0-9a-f]{{64}} \(consistent; .*\)\n", out
    )
    (verdict,) = json.loads(cli.ok("verify", incident_id, "--json"))
    assert verdict["events"] == 1 and verdict["ok"] is True
    cli.ok("note", incident_id, "second")
    assert ": ok, 2 events, head " in cli.ok("verify", incident_id)


def test_one_event_verified_before_a_break_is_said_in_the_singular(
    recorded: tuple[Cli, str, list[str]],
) -> None:
    cli, incident_id, _ = recorded
    tamper(
        cli.db,
        "UPDATE events SET payload = ' ' || payload WHERE incident_id = ? AND seq = 2",
        incident_id,
    )
    result = cli.run("verify", incident_id)
    assert result.code == 1
    assert result.out.splitlines()[0].endswith("(1 event verified before it)"), result.out


def test_the_head_a_checked_export_quotes_verifies_at_once_and_after_more_is_recorded(
    tmp_path: Path,
) -> None:
    """`export -o FILE --check-step` writes the report, then records the check that
    names it: the record is one event past the head the report quotes. `verify
    --expect-head` with that head must not call the record cut (it exited 1 at once);
    it says how many events came after it, and exits 1 only once the head is gone."""
    cli = Cli(tmp_path / "lastgood.db")
    incident_id = cli.ok(
        "declare", "--title", "t", "--severity", "SEV2", "--commander", "Ada"
    ).strip()
    cli.ok("note", incident_id, "before the export")
    report = tmp_path / "report.md"
    cli.ok("export", incident_id, "-o", str(report), "--check-step")
    text = report.read_text(encoding="utf-8")
    quoted = re.search(r"head hash `([0-9a-f]{64})`", text)
    assert quoted is not None
    head = quoted.group(1)
    count = int(re.search(r"\| Record \| (\d+) events?,", text).group(1))  # type: ignore[union-attr]

    result = cli.run("verify", incident_id, "--expect-head", head)
    assert result.code == 0, result
    (stored,) = re.findall(r"head ([0-9a-f]{64}),", result.out)
    assert result.out.splitlines()[0] == (
        f"{incident_id}: ok, {count + 1} events, head {stored}, "
        f"the expected head is event {count} (1 event after it)"
    )
    # What the report says to run prints what the report says it prints.
    command = re.search(r"run `(lastgood verify [^`]+)`", text).group(1)  # type: ignore[union-attr]
    assert command == f"lastgood verify {incident_id} --expect-head {head}"
    cli.ok("note", incident_id, "after the export")
    later = cli.run(*command.split()[1:])
    assert later.code == 0
    first = later.out.splitlines()[0]
    assert first.endswith(f"the expected head is event {count} (2 events after it)")
    (verdict,) = json.loads(cli.ok("verify", incident_id, "--expect-head", head, "--json"))
    assert verdict["ok"] is True and verdict["problem"] is None
    assert (verdict["expected_head"], verdict["expected_seq"]) == (head, count)

    tamper(cli.db, "DELETE FROM events WHERE incident_id = ? AND seq >= ?", incident_id, count)
    cut = cli.run("verify", incident_id, "--expect-head", head)
    assert cut.code == 1
    assert f"not the expected {head}, which is in no event" in cut.out
    (verdict,) = json.loads(cli.run("verify", incident_id, "--expect-head", head, "--json").out)
    assert verdict["ok"] is False and verdict["expected_seq"] is None
