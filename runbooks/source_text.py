"""Reading a runbook file as text, refusing what is not a reasonable text file.

Every failure becomes a `Problem` at 1:1 (or at the offending character or byte), with
the operating system's reason where there is one, never an exception.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from runbooks.limits import MAX_BYTES, MAX_BYTES_TEXT
from runbooks.printable import control_message, forbidden_in_files
from runbooks.problems import Problem

_BOM = b"\xef\xbb\xbf"


def line_col(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of `text[index]`."""
    line = text.count("\n", 0, index) + 1
    start = text.rfind("\n", 0, index) + 1
    return line, index - start + 1


def read_source(path: Path, file: str) -> tuple[str | None, list[Problem]]:
    """The file's text, or the problems that stop it from being read as a runbook.

    The size is checked before the file is opened and at most `MAX_BYTES + 1`
    bytes are read, so a huge (or sparse, or growing) file is refused at once.
    """
    try:
        info = os.stat(path)
    except (OSError, ValueError) as exc:
        return None, [_unreadable(file, exc)]
    if stat.S_ISDIR(info.st_mode):
        return None, [Problem(file, 1, 1, f"cannot read runbook: {os.strerror(errno.EISDIR)}")]
    if not stat.S_ISREG(info.st_mode):
        return None, [Problem(file, 1, 1, "cannot read runbook: not a regular file")]
    if info.st_size > MAX_BYTES:
        return None, [_too_large(file, str(info.st_size))]
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        return None, [_unreadable(file, exc)]
    if len(data) > MAX_BYTES:  # it grew since stat, or its size is not what stat says
        return None, [_too_large(file, f"more than {MAX_BYTES}")]
    return decode_source(data, file)


def decode_source(data: bytes, file: str) -> tuple[str | None, list[Problem]]:
    """Decode UTF-8 (an initial byte-order mark is allowed), refusing binary content."""
    offset = len(_BOM) if data.startswith(_BOM) else 0
    try:
        text = data[offset:].decode("utf-8")
    except UnicodeDecodeError as exc:
        where = exc.start + offset
        before = data[offset:where].decode("utf-8")  # what decoded, up to the bad byte
        line, col = line_col(before, len(before))
        message = f"not a text file (invalid UTF-8 at byte {where})"
        return None, [Problem(file, line, col, message)]
    nul = text.find("\0")
    if nul >= 0:
        line, col = line_col(text, nul)
        return None, [Problem(file, line, col, "not a text file (NUL byte)")]
    control = forbidden_in_files().search(text)
    if control is not None:
        line, col = line_col(text, control.start())
        return None, [Problem(file, line, col, control_message(control.group(), "in the file"))]
    return text, []


def _unreadable(file: str, exc: OSError | ValueError) -> Problem:
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return Problem(file, 1, 1, f"cannot read runbook: {reason}")


def _too_large(file: str, size: str) -> Problem:
    return Problem(file, 1, 1, f"file too large: {size} bytes (limit {MAX_BYTES_TEXT})")
