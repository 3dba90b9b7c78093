"""Which permission keeps this process from a record's file, said with whose it is.

The system says only "permission denied" (or SQLite "unable to open database file",
or "attempt to write a readonly database"), of whichever of the file, its `-wal` or a
directory on the way it met first. A service user owning the record and people on
the same machine is the usual set-up of a shared bastion, and what they need to read
is which of those refused, whose it is, its mode and who asked:
`…/lastgood.db: permission denied on its directory /var/lib/lastgood (owned by lgsvc,
group lgsvc, mode 0750; you are lgops)`.

Asked only once an opening failed, or (for a writer) of a file it cannot write: the
modes are read after the fact, to say why, never to decide in place of the system.
"""

from __future__ import annotations

import grp  # here, not where a refusal is said: a process may no longer read the library
import os
import pwd
import stat
from pathlib import Path

_EFFECTIVE = os.access in os.supports_effective_ids
"""Whether `os.access` can ask as the effective user, the one that opens files."""


def permission_denied(path: Path, *, writing: bool) -> str | None:
    """Why this process may not open `path` (absolute) to read, or to write as well
    (`writing`), by the modes of the directories on the way, the file and its `-wal`
    and `-shm`; None when the modes allow it (or the file system is read-only, which
    its own message says)."""
    directories = list(reversed(path.parents))
    for directory in directories:
        if not _can(directory, os.X_OK):
            if not _exists(directory):
                break  # the first one missing: created by a writer, refused to a reader
            return f"permission denied on its directory {directory} ({whose(directory)})"
    if not _exists(path):
        if not writing:
            return None
        existing = next((d for d in reversed(directories) if _exists(d)), None)
        if existing is not None and not _can(existing, os.W_OK | os.X_OK):
            return _unless_read_only(existing, f"permission denied on {_place(existing, path)}")
        return None
    needed = os.R_OK | os.W_OK if writing else os.R_OK
    if not _can(path, needed):
        said = "permission denied for writing" if _can(path, os.R_OK) else "permission denied"
        return _unless_read_only(path, f"{said} ({whose(path)})")
    for suffix in ("-wal", "-shm"):
        beside = Path(f"{path}{suffix}")
        if _exists(beside) and not _can(beside, needed):
            return _unless_read_only(beside, f"permission denied on {beside} ({whose(beside)})")
    if writing and not _exists(Path(f"{path}-wal")) and not _can(path.parent, os.W_OK):
        # SQLite makes its -wal beside the file as a writer opens it.
        return _unless_read_only(path.parent, f"permission denied on {_place(path.parent, path)}")
    return None


def whose(path: Path) -> str:
    """`owned by lgsvc, group lgsvc, mode 0750; you are lgops`: a file's owner, group and
    mode, and who this process is (by number where no name is known)."""
    try:
        seen = os.stat(path)
    except OSError as error:
        return f"{error.strerror or error}; you are {_user(os.geteuid())}"
    owner, group = _user(seen.st_uid), _group(seen.st_gid)
    mode = stat.S_IMODE(seen.st_mode)
    return f"owned by {owner}, group {group}, mode {mode:04o}; you are {_user(os.geteuid())}"


def _place(directory: Path, path: Path) -> str:
    what = "its directory" if directory == path.parent else "the directory"
    return f"{what} {directory} ({whose(directory)})"


def _unless_read_only(path: Path, said: str) -> str | None:
    """`said`, unless `path` is on a read-only file system: modes are not why."""
    try:
        if os.statvfs(path).f_flag & os.ST_RDONLY:
            return None
    except OSError:
        pass
    return said


def _can(path: Path, mode: int) -> bool:
    return os.access(path, mode, effective_ids=_EFFECTIVE)


def _exists(path: Path) -> bool:
    try:
        os.lstat(path)
    except FileNotFoundError:
        return False
    except OSError:
        return True  # there, or unknowable: its parent's mode is what refused
    return True


def _user(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def _group(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return f"gid {gid}"
