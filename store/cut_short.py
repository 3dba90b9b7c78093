"""Whether a SQLite file is shorter than its own header says: cut off in a copy or a
transfer (an attachment, a `scp` interrupted, a disk filled while copying).

SQLite reports such a file only as "database disk image is malformed", as it reports a
page overwritten in place. The header tells the two apart: it keeps the page size and,
while the change counter agrees with the "version valid for" field, the number of pages
the file holds. A file shorter than that lost its tail; the likely cure is to ask for
it again, not to salvage it.
"""

from __future__ import annotations

import os
from pathlib import Path

HEADER = 100
"""The bytes of a SQLite file's header."""


def cut_short(path: Path) -> str | None:
    """What is missing from the file at `path`, as a clause for a damage line ("the file
    is 100,000 bytes, shorter than the 172,032 its header says ..."); None when it is as
    long as its header says, or its header does not say (an older writer's file, no
    header at all), or it cannot be read."""
    try:
        with path.open("rb") as file:
            header = file.read(HEADER)
            size = os.fstat(file.fileno()).st_size
    except OSError:
        return None
    expected = header_size(header)
    if expected is None or size >= expected:
        return None
    return (
        f"the file is {size:,} bytes, shorter than the {expected:,} its header says: "
        "it was cut short, in a copy or a transfer (ask for it again)"
    )


def header_size(header: bytes) -> int | None:
    """The file's size as its 100-byte header gives it (page size times page count), or
    None when the header is not a SQLite 3 one or its page count is not to be trusted."""
    if len(header) < HEADER or not header.startswith(b"SQLite format 3\x00"):
        return None
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    change_counter = header[24:28]
    pages = int.from_bytes(header[28:32], "big")
    valid_for = header[92:96]
    if not pages or change_counter != valid_for:
        return None  # "in-header database size" not kept (a writer older than 3.7.0)
    return page_size * pages
