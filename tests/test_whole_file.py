"""Writing to the path given with -o: whole or not at all, on real files, links and FIFOs."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from incident.app.whole_file import write_whole

REPORT = [b"# Incident report\n", b"line two\n"]


def listing(directory: Path) -> list[str]:
    return sorted(entry.name for entry in directory.iterdir())


def test_a_new_file_is_written_whole_and_nothing_else_is_left(tmp_path):
    write_whole(tmp_path / "report.md", iter(REPORT))
    assert (tmp_path / "report.md").read_bytes() == b"".join(REPORT)
    assert listing(tmp_path) == ["report.md"]


def test_a_directory_is_refused_and_no_scratch_file_is_left(tmp_path):
    (tmp_path / "out").mkdir()
    with pytest.raises(IsADirectoryError):
        write_whole(tmp_path / "out", iter(REPORT))
    assert listing(tmp_path) == ["out"] and listing(tmp_path / "out") == []


def test_a_failed_check_keeps_the_old_file_and_leaves_no_scratch(tmp_path):
    old = tmp_path / "lastgood.yaml"
    old.write_bytes(b"the team's runbook\n")

    def refuse(scratch: Path) -> None:
        assert scratch.read_bytes() == b"".join(REPORT)
        raise ValueError("does not load")

    with pytest.raises(ValueError, match="does not load"):
        write_whole(old, iter(REPORT), check=refuse)
    assert old.read_bytes() == b"the team's runbook\n"
    assert listing(tmp_path) == ["lastgood.yaml"]


def test_a_symbolic_link_is_written_through_and_stays_a_link(tmp_path):
    real = tmp_path / "reports" / "INC-1.md"
    real.parent.mkdir()
    real.write_bytes(b"older\n")
    link = tmp_path / "latest.md"
    link.symlink_to(real)
    write_whole(link, iter(REPORT))
    assert link.is_symlink() and link.resolve() == real
    assert real.read_bytes() == b"".join(REPORT)
    assert listing(tmp_path) == ["latest.md", "reports"] and listing(real.parent) == ["INC-1.md"]


@pytest.mark.parametrize("checked", [False, True])
def test_a_fifo_is_streamed_into_and_stays_a_fifo(tmp_path, checked):
    """Renaming a scratch file over it replaced it, as it replaced /dev/full for root."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    # The read end, open before the write and never blocking: the report fits in the
    # pipe's buffer, and a FIFO replaced by a file reads as empty rather than hanging.
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    seen: list[bytes] = []
    try:
        write_whole(
            fifo, iter(REPORT), check=(lambda s: seen.append(s.read_bytes())) if checked else None
        )
        received = os.read(reader, 1 << 16)
    finally:
        os.close(reader)
    assert received == b"".join(REPORT)
    assert seen == ([b"".join(REPORT)] if checked else [])
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert listing(tmp_path) == ["pipe"]
