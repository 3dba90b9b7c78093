"""The line a read-only view (`status`, `brief`, `timeline`, `report`) prints above an
incident whose chain does not verify. Apart from `verify`'s own module: each view
prints it, and none needs what `verify` loads to find and describe the bad event.
"""

from __future__ import annotations

from incident.core.chain import ChainReport


def damage_warning(report: ChainReport) -> str:
    """The one line a read-only view prints above an incident whose chain does not verify."""
    return (
        f"WARNING: the record of {report.incident_id} is damaged at event "
        f"{report.first_bad_seq} ({report.problem}); run `lastgood verify "
        f"{report.incident_id}`; nothing can be recorded until it is resolved"
    )
