"""Where the log lives when nobody says otherwise."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path


def _home(environ: Mapping[str, str]) -> Path:
    home = environ.get("HOME", "")
    return Path(home) if home else Path.home()


def default_db_path(env: Mapping[str, str] | None = None) -> Path:
    """`LASTGOOD_DB`, else `$XDG_DATA_HOME/lastgood`, else `~/.local/share/lastgood`.

    `env` is injectable so tests (and a CLI that wants to explain its choice)
    need not touch the process environment; `HOME` is read from it too, for
    the same reason. Empty variables count as unset and a relative
    `XDG_DATA_HOME` is ignored, as the XDG Base Directory specification asks.
    """
    environ = os.environ if env is None else env
    explicit = environ.get("LASTGOOD_DB", "")  # a `~` in it is the face's to refuse
    if explicit:
        return Path(explicit)
    xdg = environ.get("XDG_DATA_HOME", "")
    data_home = Path(xdg) if xdg and Path(xdg).is_absolute() else None
    if data_home is None:
        data_home = _home(environ) / ".local" / "share"
    return data_home / "lastgood" / "lastgood.db"


def default_spool_dir(env: Mapping[str, str] | None = None) -> Path:
    """Where a screen keeps what the record could not take (`store.spool`):
    `$XDG_STATE_HOME/lastgood/spool`, else `~/.local/state/lastgood/spool`, by the
    rule `default_db_path` reads `XDG_DATA_HOME` with. Not beside the record: a
    record on PostgreSQL has no directory here, and one on a dead mount no room."""
    environ = os.environ if env is None else env
    xdg = environ.get("XDG_STATE_HOME", "")
    state_home = Path(xdg) if xdg and Path(xdg).is_absolute() else None
    if state_home is None:
        state_home = _home(environ) / ".local" / "state"
    return state_home / "lastgood" / "spool"
