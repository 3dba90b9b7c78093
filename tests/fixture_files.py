"""What a read-only open must leave as it was: the fixtures directory, file by file."""

from __future__ import annotations

import hashlib
from pathlib import Path


def fingerprint(directory: Path) -> dict[str, str]:
    """Each file's digest by name; a directory (Python's bytecode cache, when a run
    imported the fixture's builder) only named, as one would be if opening made it."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "directory"
        for p in directory.iterdir()
    }
