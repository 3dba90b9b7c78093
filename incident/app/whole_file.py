"""Writing a report, a timeline or a runbook to the path someone gave: whole or not at all.

A regular file is written beside itself and renamed over the old one, so a reader
never sees half of it and a failure leaves the old one as it was, with no scratch
file left behind; the new file keeps the old one's permissions, and a new one is
0600 whatever the umask, as the record is: an export is the whole record, and a
report, a timeline, a calendar file or a runbook may hold what it holds (who means
to share one chmods it). A symbolic link at the path, a dangling one included, is
refused (`LinkRefused`), never written through: a link planted in a shared directory
would have a report or a runbook written wherever it points. The scratch file is
made with O_EXCL|O_NOFOLLOW and the rename replaces the name itself, so a link put
there after the look is replaced, not followed. Anything else that is already there
and is not a directory (a FIFO, a terminal) has no file to replace, so it is
streamed into (opened with O_NOFOLLOW); renaming a scratch file over it once
replaced `/dev/full` with a regular file.

A path that names one of this process's own descriptors (`-`, `/dev/stdout`,
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

NEW_FILE_MODE = 0o600
"""A new file's mode, the record's."""


class LinkRefused(OSError):
    """The path given is a symbolic link: nothing is written through it."""

    def __init__(self, path: Path) -> None:
        super().__init__(errno.ELOOP, "a symbolic link: not written through it", str(path))

    def __str__(self) -> str:
        return f"{self.filename} is a symbolic link: not written through it"


def cannot_write(path: Path, error: OSError) -> str:
    """The one line every face says when `path` could not be written."""
    if isinstance(error, LinkRefused):
        return str(error)
    return f"{path}: cannot write: {error.strerror or error}"


def write_whole(path: Path, parts: Iterable[bytes], *, check: Check | None = None) -> None:
    """Write `parts` to `path` (see the module); OSError if it cannot be written."""
    descriptor = named_descriptor(path)
    if descriptor is not None:
        _streamed(parts, lambda: os.fdopen(os.dup(descriptor), "wb"), path.name, check)
        return
    mode = _mode(path)
    if mode is not None and stat.S_ISLNK(mode):
        raise LinkRefused(path)
    if mode is not None and stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if mode is not None and not stat.S_ISREG(mode):
        _streamed(parts, lambda: _open_no_link(path), path.name, check)
        return
    # mkstemp opens O_CREAT|O_EXCL|O_NOFOLLOW, 0600
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    scratch = Path(name)
    try:
        os.fchmod(handle, stat.S_IMODE(mode) if mode is not None else NEW_FILE_MODE)
        with os.fdopen(handle, "wb") as out:
            for part in parts:
                out.write(part)
        if check is not None:
            check(scratch)
        os.replace(scratch, path)
    except BaseException:
        scratch.unlink(missing_ok=True)
        raise


def is_kept_file(path: Path) -> bool:
    """Whether what is written to `path` stays there to be read again: a regular file, or
    none yet; not a stream, a device or a descriptor (`/dev/null`, `/dev/stdout`)."""
    if named_descriptor(path) is not None:
        return False
    try:  # a link is followed here: `write_whole` refuses it, naming it
        mode: int | None = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        mode = None
    return mode is None or stat.S_ISREG(mode)


def named_descriptor(path: Path) -> int | None:
    """The descriptor of this process that `path` names, if it names one; `-` is
    standard output, as Unix tools read it (`init -o - > mine.yaml` wrote a file named
    `-`, where `export -o -` printed)."""
    if os.fspath(path) == STDOUT_NAME:
        return STDOUT_FD
    text = os.path.abspath(path)
    if text in _STANDARD_STREAMS:
        return _STANDARD_STREAMS[text]
    for prefix in ("/dev/fd/", "/proc/self/fd/", f"/proc/{os.getpid()}/fd/"):
        number = text.removeprefix(prefix)
        if number != text and number.isdigit():
            return int(number)
    return None


STDOUT_FD = 1
STDOUT_NAME = "-"
"""The name every `-o` takes for standard output."""


def is_stdout(path: Path) -> bool:
    """Whether `path` is this process's stdout (`/dev/stdout`, `/dev/fd/1`): a verb
    writing there says what it wrote on stderr, so that stdout holds the file alone."""
    return named_descriptor(path) == STDOUT_FD


def _mode(path: Path) -> int | None:
    """`path`'s own mode, a link not followed; None if nothing is there."""
    try:
        return os.lstat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None


def _open_no_link(path: Path) -> BinaryIO:
    """`path` opened to write into, as it is: a link put there since is refused (ELOOP)."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_NOFOLLOW | os.O_NOCTTY)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise LinkRefused(path) from None
        raise
    return os.fdopen(descriptor, "wb")


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
