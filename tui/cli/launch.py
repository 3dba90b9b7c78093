"""The verbs that open a screen or run for a while: start, attach, serve, replay, demo,
monitor. Textual, textual-serve and httpx are imported only inside them, so the
other verbs start like a script.

This is the CLI's one door into the Textual app: import-linter holds the rest of
`tui.cli` to never importing `tui.app`, Textual or Rich (see pyproject.toml).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from incident.core.text import visible
from tui.cli.arguments import Arguments
from tui.cli.context import (
    chosen_db,
    chosen_runbook,
    db_location,
    incident_of,
    known_actor,
    open_file_at,
    open_log,
    open_log_at,
    open_session,
    require_incident,
    require_terminal,
    runbook_for,
)
from tui.cli.errors import CliError, store_status

if TYPE_CHECKING:
    from pathlib import Path

    from incident.core.state import IncidentState
    from incident.reports.drill_faults import Fault
    from tui.app.app import LastGoodApp
    from tui.app.refusal import Refusing
    from tui.demo.launch import DemoIncident


def raise_refusal(app: Refusing) -> None:
    """The app's one line when it closed without opening what it was asked to (no one
    named as coordinator, a record it cannot read), as this command's error and exit
    status: every verb that opens a screen says it the same way, and a record that
    cannot be read now (a PostgreSQL server gone after the opening) exits as every
    verb's does (`store_status`: 75), where the screens said 2."""
    if app.refusal is not None:
        cause = app.refusal_cause
        code = app.refusal_code if cause is None else store_status(cause)
        raise CliError(app.refusal, exit_code=code)


def cmd_start(args: Arguments) -> int:
    """Open the TUI; Textual is imported only here, so scripts stay fast.

    With `--incident` no runbook is loaded: the incident carries its own.
    """
    runbook = None if args.incident else runbook_for(chosen_runbook(args.runbook))
    require_terminal()
    from store.paths import default_spool_dir
    from tui.app.app import LastGoodApp

    location = db_location(args)
    with open_log_at(location, creating=not args.incident) as log:  # it may declare
        if args.incident:
            require_incident(log, args.incident)
        app = LastGoodApp(
            log,
            runbook,
            actor=known_actor(args),
            incident_id=args.incident,
            poll_probes=not args.no_probes,
            probes_in_child=str(location.resolve() if isinstance(location, Path) else location),
            record_location=str(location),
            kept_dir=default_spool_dir(),
        )
        app.run()
    raise_refusal(app)
    return 0


def cmd_demo(args: Arguments) -> int:
    """The demo records into `--db` or $LASTGOOD_DB when one is named, else into a
    scratch database whose path, and how to reopen the incident, it prints after."""
    from tui.demo.launch import scratch_db

    chosen = chosen_db(args)
    if not args.headless:
        require_terminal()  # before a scratch directory is made for nothing
    path = chosen or scratch_db()
    if args.headless:
        from tui.cli.context import known_actor
        from tui.demo.script import DEMO_ACTOR
        from tui.demo.script import run_demo as run_headless

        # The person named (--as, $LASTGOOD_USER, git), as every other verb records: the
        # record studied afterwards was written by "demo" whoever ran it (ux_review10 #5).
        actor = known_actor(args) or DEMO_ACTOR
        with open_file_at(path) as log:
            return run_headless(log, actor)
    from tui.demo.launch import demo_incident, farewell

    with open_file_at(path) as log, demo_incident(log) as demo:
        app = shop_app(args, demo)
        app.run()
    if demo.incident_id is None and chosen is None:
        import shutil

        shutil.rmtree(path.parent, ignore_errors=True)  # nothing recorded, nothing to find
    raise_refusal(app)
    print(visible(farewell(path, demo.incident_id, app.actor)), file=sys.stderr)
    return 0


def shop_app(args: Arguments, shop: DemoIncident) -> LastGoodApp:
    """The coordinator's screen on the demo's or a drill's shop, which its Production
    panel names; the commander is the coordinator, named now or asked for by the app
    first."""
    from tui.app.app import LastGoodApp

    actor = known_actor(args)
    return LastGoodApp(
        shop.log, shop.runbook, actor=actor, prepare=shop.declare, shop_url=shop.shop_url
    )


def open_drill(args: Arguments, fault: Fault) -> tuple[Path, IncidentState | None]:
    """The demo's screen on a drill of `fault`: where it was recorded, and its state
    when the TUI closed (None if the coordinator quit before it was declared)."""
    from incident.app.listing import incident_state
    from tui.demo.launch import demo_incident, scratch_db

    require_terminal()
    chosen = chosen_db(args)
    path = chosen or scratch_db()
    state = None
    with open_file_at(path) as log, demo_incident(log, fault, args.seed) as drill:
        app = shop_app(args, drill)
        app.run()
        if drill.incident_id is not None:
            state = incident_state(log, drill.incident_id)
    if state is None and chosen is None:
        import shutil

        shutil.rmtree(path.parent, ignore_errors=True)  # nothing recorded, nothing to find
    raise_refusal(app)
    return path, state


def cmd_monitor(args: Arguments) -> int:
    """Headless probes for a bastion or a pipeline: same polling, same record."""
    if args.open or args.id is None:  # every open incident, one child each
        from tui.cli.monitor_open import cmd_monitor_open

        return cmd_monitor_open(args)
    from tui.cli.monitor import run_monitor
    from tui.cli.monitor_signals import keys_gate

    gate = keys_gate(args.keys_first) if args.keys_first is not None else None
    db = db_location(args)
    with open_log_at(db, creating=False) as log:
        session = open_session(log, args.id)
        runbook = session.state.runbook
        if args.probes_only and not runbook.probes:
            raise CliError(f"runbook '{runbook.id}' defines no probes")
        if not runbook.probes and not runbook.notify_targets and not runbook.timed_rules():
            raise CliError(f"runbook '{runbook.id}' defines no probes and no messages to send")
        if session.state.is_closed:
            # Nothing to do, as when it closes under a running monitor: a unit
            # restarted after the close (a reboot) is not a failure.
            print(
                f"lastgood monitor: incident {args.id} is closed: nothing to watch", file=sys.stderr
            )
            return 0
        return run_monitor(
            session,
            db,
            duration_s=args.duration,
            as_json=args.json,
            probes_only=args.probes_only,
            exit_on_eof=args.exit_on_eof,
            keys_first=gate,
            poller=monitor_poller(args),
            record=str(log.path),  # a URL as the store shows it: without its password
        )


def monitor_poller(args: Arguments) -> str:
    """How the monitor's ticks name it: as the screen that started it names it
    ($LASTGOOD_POLLER, set for its child alone: `tui/app/probe_child.py`), else as the
    person running it (no one, if nothing names a person) and where."""
    from incident.app.probe_turn import POLLER_VARIABLE, poller_name

    if named := os.environ.get(POLLER_VARIABLE, "").strip():
        return named
    try:
        actor = known_actor(args)
    except CliError:  # a name no one goes by: the monitor still polls, unnamed
        actor = None
    return poller_name(actor, "monitor")


def cmd_attach(args: Arguments) -> int:
    """A second terminal on the same database: sees new events within a second."""
    require_terminal()
    from tui.app.follow_app import FollowApp

    with open_log_at(db_location(args), read_only=True) as log:
        require_incident(log, incident_of(log, args))
        app = FollowApp(log, args.id)
        app.run()
    raise_refusal(app)
    return 0


def cmd_serve(args: Arguments) -> int:
    """Each browser gets its own `lastgood attach` process: read-only by construction."""
    import os
    import shlex

    from tui.cli.follow_server import FollowServer, is_loopback
    from tui.cli.listening import listen_url, open_urls, shown_host

    location = db_location(args)
    with open_log_at(location, read_only=True) as log:
        require_incident(log, incident_of(log, args))
    if not 0 < args.port < 65536:
        raise CliError(f"--port: {args.port} is not a TCP port")
    if args.max_viewers < 1:
        raise CliError("--max-viewers must be at least 1")
    # The attach processes find the record in their environment: a PostgreSQL URL may
    # carry a password, which a command line would show to everyone on the machine.
    os.environ["LASTGOOD_DB"] = str(location)
    # textual-serve runs it through a shell: `exec`, so the process it signals and waits
    # for is the attach itself, not a shell that leaves it running when signalled.
    command = "exec " + shlex.join([sys.executable, "-m", "tui.cli", "attach", args.id])
    url = listen_url(args.host, args.port)
    # Flushed: to a file or a journal, where a browser can open it is said while it serves.
    where = open_urls(args.host, args.port, args.public_url)
    print(f"Serving {args.id} read-only at {where}", flush=True)
    if not is_loopback(args.host):
        print(
            f"lastgood serve: {shown_host(args.host)} is reachable beyond this machine and "
            "the view asks no password: anyone who reaches the port sees the incident "
            "(--host 127.0.0.1 keeps it here; put a proxy with access control in front)",
            file=sys.stderr,
        )
    server = FollowServer(
        command,
        host=args.host,
        port=args.port,
        title=f"lastgood · {args.id}",
        public_url=args.public_url,
        max_viewers=args.max_viewers,
    )
    try:
        server.serve()
    except OSError as error:  # taken between the check and the bind
        raise CliError(f"--port: cannot listen on {url}: {error.strerror}") from None
    print(server.stop_line(), file=sys.stderr, flush=True)
    return 0


def cmd_replay(args: Arguments) -> int:
    """Play the record back, read-only; `--json` prints one moment instead.

    The screen replays a `Recording`: the record indexed once (and verified in the
    same pass) and read back from the file as the replay moves, so a long incident
    is never held decoded; the file stays open, read-only, while the screen is up.
    """
    from tui.cli.reading import cmd_replay_json, replay_offset, replay_recording

    if args.json:
        return cmd_replay_json(args)
    offset = replay_offset(args)
    require_terminal()
    with open_log(args, read_only=True, snapshot=True) as log:
        recording, report = replay_recording(log, incident_of(log, args))
        from tui.app.replay_app import ReplayApp

        damage = None if report.ok else report
        try:  # the moment, as `replay --at --json` and Go to take it (`replay_moment`)
            app = ReplayApp(
                recording,
                speed=args.speed,
                playing=not args.paused,
                start_offset=offset,
                damage=damage,
            )
        except ValueError as error:
            raise CliError(f"--at {args.at}: {error}") from None
        app.run()
    return 0
