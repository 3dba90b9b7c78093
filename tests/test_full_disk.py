"""A record on a full disk: readers still read it, a writer says the disk is full, and
recording resumes once there is room, with nothing lost or recorded twice.

Before, `status`, `verify` and `export` of a cleanly closed record said "cannot
open: disk I/O error" (SQLite could not make its `-shm`), and so did a writer,
which pointed at failing hardware when the disk was only full (a storage review).
"""

from __future__ import annotations

from pathlib import Path

from tests.cli_helpers import Cli
from tests.full_disk import fill, remount_read_only, small_disk


def declared_on(disk: Path) -> tuple[Cli, str]:
    """A record on `disk` holding one declared incident, and the incident's id."""
    cli = Cli(disk / "r.db", actor="Ada")
    declared = ("--title", "Checkout 5xx", "--severity", "SEV2", "--commander", "Ada")
    return cli, cli.ok("declare", *declared).strip()


def test_a_full_disk_is_read_refused_in_words_then_written_once_freed(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk") as disk:
        cli, incident_id = declared_on(disk)
        filler = fill(disk)

        assert "Checkout 5xx" in cli.ok("status", incident_id)
        assert "ok, 2 events" in cli.ok("verify", incident_id)
        assert "# " in cli.ok("export", incident_id)

        refused = cli.run("note", incident_id, "LB drained")
        assert refused.code == 75  # EX_TEMPFAIL: it may work later, as it does below
        assert refused.err == (
            f"lastgood note: {cli.db}: cannot open: the disk is full (disk I/O error)\n"
        )

        filler.unlink()
        cli.ok("note", incident_id, "LB drained")
        assert "ok, 3 events" in cli.ok("verify", incident_id)


def test_a_record_on_a_read_only_mount_is_read_and_a_writer_says_why_not(tmp_path: Path) -> None:
    """A writer said SQLite's "unable to open database file"."""
    with small_disk(tmp_path / "disk") as disk:
        cli, incident_id = declared_on(disk)
        remount_read_only(disk)
        assert "ok, 2 events" in cli.ok("verify", incident_id)
        refused = cli.run("note", incident_id, "LB drained")
        assert (refused.code, refused.err) == (
            2,
            f"lastgood note: {cli.db}: cannot open for writing: its directory is read-only "
            "(unable to open database file)\n",
        )
