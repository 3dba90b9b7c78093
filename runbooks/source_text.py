"""Reading a runbook file as text, refusing what is not a reasonable text file.

Every failure becomes a `Problem` at 1:1 (or at the offending character), with
the operating system's reason where there is one, never an exception.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

from runbooks.problems import Problem

MAX_BYTES = 1024 * 1024
"""Largest runbook file accepted (1 MiB); a runbook is a page or two of text."""

_BOM = b"\xef\xbb\xbf"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def line_col(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of `text[index]`."""
    line = text.count("\n", 0, index) + 1
    start = text.rfind("\n", 0, index) + 1
    return line, index - start + 1


def read_source(path: Path, file: str) -> tuple[str | None, list[Problem]]:
    """The file's text, or the problems that stop it from being read as a runbook."""
    try:
        info = os.stat(path)
    except (OSError, ValueError) as exc:
        return None, [_unreadable(file, exc)]
    if stat.S_ISDIR(info.st_mode):
        return None, [Problem(file, 1, 1, f"cannot read runbook: {os.strerror(errno.EISDIR)}")]
    if not stat.S_ISREG(info.st_mode):
        return None, [Problem(file, 1, 1, "cannot read runbook: not a regular file")]
    if info.st_size > MAX_BYTES:
        return None, [_too_large(file, info.st_size)]
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        return None, [_unreadable(file, exc)]
    if len(data) > MAX_BYTES:
        return None, [_too_large(file, max(len(data), info.st_size))]
    return decode_source(data, file)


def decode_source(data: bytes, file: str) -> tuple[str | None, list[Problem]]:
    """Decode UTF-8 (an initial byte-order mark is allowed), refusing binary content."""
    offset = len(_BOM) if data.startswith(_BOM) else 0
    try:
        text = data[offset:].decode("utf-8")
    except UnicodeDecodeError as exc:
        where = exc.start + offset
        return None, [Problem(file, 1, 1, f"not a text file (invalid UTF-8 at byte {where})")]
    nul = text.find("\0")
    if nul >= 0:
        line, col = line_col(text, nul)
        return None, [Problem(file, line, col, "not a text file (NUL byte)")]
    control = _CONTROL.search(text)
    if control is not None:
        line, col = line_col(text, control.start())
        code = ord(control.group())
        return None, [Problem(file, line, col, f"control character U+{code:04X} is not allowed")]
    return text, []


def _unreadable(file: str, exc: OSError | ValueError) -> Problem:
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return Problem(file, 1, 1, f"cannot read runbook: {reason}")


def _too_large(file: str, size: int) -> Problem:
    return Problem(file, 1, 1, f"file too large: {size} bytes (limit 1 MiB)")
