"""A file system that is really full: a small tmpfs, filled to its last block.

SQLite says "database or disk is full" for a write that finds no room, but a reader
that must make its `-shm` first gets only "disk I/O error". A tmpfs of its own keeps
the rest of the machine's disk out of it. Mounting needs root (CAP_SYS_ADMIN), as
`.ci/run` has; without it the test fails saying so, never skips.
"""

from __future__ import annotations

import contextlib
import errno
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

SIZE = "1m"


@contextlib.contextmanager
def small_disk(mount_point: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs mounted at `mount_point` while inside."""
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={SIZE}", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.fail(
            f"mount -t tmpfs failed: {mounted.stderr.strip()} (the full-disk tests mount a "
            "small tmpfs: run them as root, as .ci/run does)",
            pytrace=False,
        )
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True, check=False)


def fill(disk: Path) -> Path:
    """Write a file until the disk refuses another block; the file, to free it later."""
    filler = disk / "filler"
    with open(filler, "wb", buffering=0) as out:
        block = b"\0" * 4096
        try:
            while out.write(block):
                pass
        except OSError as exc:
            if exc.errno != errno.ENOSPC:
                raise
    return filler


def remount_read_only(disk: Path) -> None:
    """Make the mounted `disk` read-only, as media mounted for evidence are."""
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True, capture_output=True)
