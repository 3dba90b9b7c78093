"""Which code runs each `lastgood` command.

A verb with a use case in the table runs through `recording.cmd_record`; the rest
(opening a screen, reading, delivering) have a handler here. A test checks every
verb of the table has exactly one way to run.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from incident.app.verbs import BY_NAME

Handler = Callable[[argparse.Namespace], int]


def _handlers() -> dict[str, Handler]:
    from tui.cli import comms_verbs, launch, reading, record_verbs, recording

    return {
        "declare": recording.cmd_declare,
        "send": recording.cmd_send,
        "run": recording.cmd_run,
        "deliver": comms_verbs.cmd_deliver,
        "status": reading.cmd_status,
        "list": reading.cmd_list,
        "export": reading.cmd_export,
        "timeline": reading.cmd_timeline,
        "ics": reading.cmd_ics,
        "validate": reading.cmd_validate,
        "verify": record_verbs.cmd_verify,
        "replay": launch.cmd_replay,
        "start": launch.cmd_start,
        "demo": launch.cmd_demo,
        "monitor": launch.cmd_monitor,
        "attach": launch.cmd_attach,
        "serve": launch.cmd_serve,
    }


def handler_for(name: str) -> Handler:
    """The handler of a face verb, else the table's use case through `cmd_record`."""
    handlers = _handlers()
    if name in handlers:
        return handlers[name]
    if BY_NAME[name].run is None:
        raise LookupError(f"verb {name!r} has neither a use case nor a handler")
    from tui.cli.recording import cmd_record

    return cmd_record


def dispatch(args: argparse.Namespace) -> int:
    return handler_for(args.command)(args)
