"""Writing a report, a timeline or a runbook to the path someone gave: whole or not at all.

A regular file is written beside itself and renamed over the old one, so a reader
never sees half of it and a failure leaves the old one as it was, with no scratch
file left behind; the new file keeps the old one's permissions (a new one gets the
usual ones, as the umask says). A symbolic link is written through: the file it
names changes and the link stays. Anything else that is already there and is not a
directory (a FIFO, a terminal) has no file to replace, so it is streamed into;
renaming a scratch file over it once replaced `/dev/full` with a regular file.

A path that names one of this process's own descriptors (`/dev/stdout`,
`/dev/fd/1`, `/proc/self/fd/1`) is written to that descriptor, as the shell opened
it: followed to the file behind it, `lastgood ics ID -o /dev/stdout >> log` renamed
a fresh file over the log, and what it held was lost; into a pipe, it named no file
at all and failed.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

TYPE_CHECKING = False  # `typing` waits until the arguments are parsed (see `incident.app.params`)

if TYPE_CHECKING:
    from typing import BinaryIO

Check = Callable[[Path], None]
"""Looks at the finished scratch file before it lands; raises to keep it from landing."""

_STANDARD_STREAMS = {"/dev/stdin": 0, "/dev/stdout": 1, "/dev/stderr": 2}


def write_whole(path: Path, parts: Iterable[bytes], *, check: Check | None = None) -> None:
    """Write `parts` to `path` (see the module); OSError if it cannot be written."""
    descriptor = named_descriptor(path)
    if descriptor is not None:
        _streamed(parts, lambda: os.fdopen(os.dup(descriptor), "wb"), path.name, check)
        return
    mode = _mode(path)
    if mode is not None and stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if mode is not None and not stat.S_ISREG(mode):
        _streamed(parts, lambda: path.open("wb"), path.name, check)
        return
    target = path.resolve() if path.is_symlink() else path
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    scratch = Path(name)
    try:
        os.fchmod(handle, stat.S_IMODE(mode) if mode is not None else 0o666 & ~_umask())
        with os.fdopen(handle, "wb") as out:
            for part in parts:
                out.write(part)
        if check is not None:
            check(scratch)
        os.replace(scratch, target)
    except BaseException:
        scratch.unlink(missing_ok=True)
        raise


def is_kept_file(path: Path) -> bool:
    """Whether what is written to `path` stays there to be read again: a regular file, or
    none yet; not a stream, a device or a descriptor (`/dev/null`, `/dev/stdout`)."""
    if named_descriptor(path) is not None:
        return False
    mode = _mode(path)
    return mode is None or stat.S_ISREG(mode)


def named_descriptor(path: Path) -> int | None:
    """The descriptor of this process that `path` names, if it names one."""
    text = os.path.abspath(path)
    if text in _STANDARD_STREAMS:
        return _STANDARD_STREAMS[text]
    for prefix in ("/dev/fd/", "/proc/self/fd/", f"/proc/{os.getpid()}/fd/"):
        number = text.removeprefix(prefix)
        if number != text and number.isdigit():
            return int(number)
    return None


STDOUT_FD = 1


def is_stdout(path: Path) -> bool:
    """Whether `path` is this process's stdout (`/dev/stdout`, `/dev/fd/1`): a verb
    writing there says what it wrote on stderr, so that stdout holds the file alone."""
    return named_descriptor(path) == STDOUT_FD


def _mode(path: Path) -> int | None:
    """`path`'s mode, links followed; None if nothing is there (a dangling link included).
    A link that loops is an OSError, ELOOP."""
    try:
        return os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _streamed(
    parts: Iterable[bytes], opened: Callable[[], BinaryIO], name: str, check: Check | None
) -> None:
    """`parts` into the stream `opened` gives; with a `check`, made whole and checked in
    a scratch file first, so a refused one sends nothing."""
    if check is not None:
        with tempfile.TemporaryDirectory(prefix="lastgood-") as scratch_dir:
            scratch = Path(scratch_dir) / (name or "output")
            _stream(parts, lambda: scratch.open("wb"))
            check(scratch)
            with scratch.open("rb") as done:
                _stream(iter(lambda: done.read(1 << 16), b""), opened)
        return
    _stream(parts, opened)


def _stream(parts: Iterable[bytes], opened: Callable[[], BinaryIO]) -> None:
    with opened() as out:
        for part in parts:
            out.write(part)
