"""The baselines Check health needs, asked for on the command line at the declaration.

The lines are the application layer's (`incident.app.baseline_offer`); here only the
network is wired in: with the release time known, each Prometheus probe without a
baseline is asked what it read then (one query each, bounded by the probe's own
timeout), so the line offers that value.
"""

from __future__ import annotations

import asyncio

from incident.core.state import IncidentState


def baseline_lines(state: IncidentState) -> list[str]:
    """One line per probe without a baseline, with the value at the release time
    where Prometheus has one."""
    from incident.app.baseline_offer import baseline_offers, baseline_prompts, wants_values

    if not wants_values(state):
        return baseline_prompts(state)
    from tui.net.client import close_client, make_client
    from tui.net.impact_query import probe_value_at

    async def offers() -> list[str]:
        client = make_client(max_connections=2)
        try:
            return await baseline_offers(state, probe_value_at(client))
        finally:
            await close_client(client)

    return asyncio.run(offers())
