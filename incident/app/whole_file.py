"""Writing a report, a timeline or a runbook to the path someone gave: whole or not at all.

A regular file is written beside itself and renamed over the old one, so a reader
never sees half of it and a failure leaves the old one as it was, with no scratch
file left behind. A symbolic link is written through: the file it names changes and
the link stays. Anything else that is already there and is not a directory (a FIFO,
a terminal, `/dev/stdout`) has no file to replace, so it is streamed into; renaming a
scratch file over it once replaced `/dev/full` with a regular file.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

Check = Callable[[Path], None]
"""Looks at the finished scratch file before it lands; raises to keep it from landing."""


def write_whole(path: Path, parts: Iterable[bytes], *, check: Check | None = None) -> None:
    """Write `parts` to `path` (see the module); OSError if it cannot be written."""
    target = path.resolve() if path.is_symlink() else path
    if _is_stream(target):
        if check is None:
            _stream(parts, target)
            return
        with tempfile.TemporaryDirectory(prefix="lastgood-") as scratch_dir:
            scratch = Path(scratch_dir) / target.name
            _stream(parts, scratch)
            check(scratch)
            with scratch.open("rb") as done:
                _stream(iter(lambda: done.read(1 << 16), b""), target)
        return
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    scratch = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            for part in parts:
                out.write(part)
        if check is not None:
            check(scratch)
        os.replace(scratch, target)
    except BaseException:
        scratch.unlink(missing_ok=True)
        raise


def _is_stream(path: Path) -> bool:
    """Whether `path` is there and is neither a regular file nor a directory."""
    try:
        mode = path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _stream(parts: Iterable[bytes], path: Path) -> None:
    with path.open("wb") as out:
        for part in parts:
            out.write(part)
