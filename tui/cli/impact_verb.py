"""`lastgood measure-impact`: failed requests and their share of traffic, from Prometheus.

The one recording verb that asks the network before it records: the application
layer's `measure_impact` runs with the HTTP client of `tui.net` (loaded only here).
The record's failures (another writer's lock held while Prometheus answered) are said
by `open_log`, with every verb's exit statuses (`tui.cli.errors.store_status`).
"""

from __future__ import annotations

import asyncio

from incident.app.impact import measure_impact
from incident.app.outcome import Done
from incident.app.verbs import BY_NAME
from incident.commands import CommandError
from runbooks.checks import url_problem
from runbooks.model import ProbeKind
from tui.cli.arguments import Arguments
from tui.cli.context import actor_name, open_log, open_session, refused
from tui.cli.errors import CliError
from tui.cli.recording import say


def cmd_measure_impact(args: Arguments) -> int:
    from tui.net.client import close_client, make_client
    from tui.net.impact_query import instant_query, prometheus_at

    if args.prometheus and (problem := url_problem(args.prometheus)):
        raise CliError(f"--prometheus: {problem}")  # as a runbook's URL would be told
    actor = actor_name(args)
    with open_log(args) as log:
        session = open_session(log, args.id)
        if args.prometheus:
            server = prometheus_at(args.prometheus)
        else:
            probes = [p for p in session.state.runbook.probes if p.kind == ProbeKind.PROMETHEUS]
            if not probes:
                raise CliError(
                    f"runbook '{session.state.runbook.id}' has no prometheus probe: "
                    "give --prometheus URL"
                )
            server = probes[0]

        async def run() -> Done:
            client = make_client(max_connections=2)
            try:
                query = instant_query(client, server)
                done = await measure_impact(
                    session, actor, failed=args.failed, total=args.total, query=query
                )
            finally:
                await close_client(client)
            return done

        try:
            done = asyncio.run(run())
        except CommandError as error:
            raise refused(error, BY_NAME["measure-impact"]) from None
        say(session, done)
    return 0
