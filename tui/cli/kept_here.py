"""What this machine's spool keeps for an incident, for `status` and `brief` to say.

A screen that ended during an outage leaves what the record refused in the spool
(`store.spool`, `incident.app.kept`) until a screen opens the incident again. Nothing
else says it is there: a script reading `status` would take the record as all there
is. One open of the incident's own file (its name is the incident's id and time),
which fails at once when nothing is kept; only a file that is there is decoded.
"""

from __future__ import annotations

import os
from pathlib import Path

from incident.core.state import IncidentState
from incident.core.text import visible


def kept_here(state: IncidentState, directory: Path | None = None) -> str | None:
    """`1 note and 1 check kept by a screen, recorded when a screen next opens it (PATH)`;
    None when nothing is kept. `directory`: the spool's (default: `default_spool_dir`)."""
    from store.spool import SpoolFile

    if directory is None:
        from store.paths import default_spool_dir

        directory = default_spool_dir()
    spool = SpoolFile.of(directory, state.id, state.declared_at)
    where = visible(str(spool.path))
    try:
        data = spool.read()
    except OSError as error:
        return f"kept by a screen, not readable: {where}: {visible(os.strerror(error.errno or 0))}"
    if data is None:
        return None
    from incident.app.kept import DamagedKept, decode, what_is_kept

    try:
        kept = decode(data, state)
    except DamagedKept as damaged:
        return f"{where} does not read as what a screen kept: {visible(str(damaged))}"
    if kept.empty:
        return None
    return f"{what_is_kept(kept)} kept by a screen, recorded when a screen next opens it ({where})"
