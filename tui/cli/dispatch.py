"""Which code runs each `lastgood` command.

A verb with a use case in the table runs through `recording.cmd_record`; the rest
(opening a screen, reading, delivering) have a handler here. A test checks every
verb of the table has exactly one way to run.
"""

from __future__ import annotations

import gc
import importlib
import sys
from collections.abc import Callable

from incident.app.verbs import BY_NAME
from tui.cli.arguments import Arguments

Handler = Callable[[Arguments], int]


HANDLERS: dict[str, str] = {
    "declare": "tui.cli.recording:cmd_declare",
    "send": "tui.cli.recording:cmd_send",
    "run": "tui.cli.recording:cmd_run",
    "deliver": "tui.cli.comms_verbs:cmd_deliver",
    "measure-impact": "tui.cli.impact_verb:cmd_measure_impact",
    "status": "tui.cli.status_verbs:cmd_status",
    "brief": "tui.cli.brief_verb:cmd_brief",
    "list": "tui.cli.status_verbs:cmd_list",
    "export": "tui.cli.from_export:cmd_export",
    "timeline": "tui.cli.from_export:cmd_timeline",
    "ics": "tui.cli.reading:cmd_ics",
    "validate": "tui.cli.validate:cmd_validate",
    "init": "tui.cli.init_verb:cmd_init",
    "changes": "tui.cli.changes_verb:cmd_changes",
    "verify": "tui.cli.record_verbs:cmd_verify",
    "migrate": "tui.cli.migrate_verb:cmd_migrate",
    "replay": "tui.cli.launch:cmd_replay",
    "start": "tui.cli.launch:cmd_start",
    "demo": "tui.cli.launch:cmd_demo",
    "drill": "tui.cli.drill_verb:cmd_drill",
    "score": "tui.cli.drill_verb:cmd_score",
    "monitor": "tui.cli.launch:cmd_monitor",
    "attach": "tui.cli.launch:cmd_attach",
    "serve": "tui.cli.launch:cmd_serve",
}
"""The face verbs' handlers, `module:function`: only the one that runs is imported."""


def _load(target: str) -> Handler:
    module, name = target.split(":")
    _import_msgspec_alone()
    handler: Handler = getattr(importlib.import_module(module), name)
    return handler


def _import_msgspec_alone() -> None:
    """Import msgspec, which the domain's records are made of, without `typing_extensions`.

    msgspec reaches for `typing_extensions` first and falls back to `typing`, which
    on Python 3.11 has all it takes (`get_type_hints(include_extras=True)`,
    `Required`, `NotRequired`). Importing `typing_extensions` imports `inspect`:
    about 8 ms on every command, as long as Python takes to start in a virtualenv
    of its own. Textual imports it for itself, later and unhindered: it is hidden
    only while msgspec loads.
    """
    if "msgspec" in sys.modules or "typing_extensions" in sys.modules:
        return
    sys.modules["typing_extensions"] = None  # type: ignore[assignment]  # "not installed"
    try:
        import msgspec  # noqa: F401
    finally:
        del sys.modules["typing_extensions"]


def handler_for(name: str) -> Handler:
    """The handler of a face verb, else the table's use case through `cmd_record`."""
    if name in HANDLERS:
        return _load(HANDLERS[name])
    if not BY_NAME[name].use_case:
        raise LookupError(f"verb {name!r} has neither a use case nor a handler")
    return _load("tui.cli.recording:cmd_record")


COLLECTS_AFTER_FIRST_FRAME = frozenset({"start"})
"""Verbs whose app turns the garbage collector back on once its first screen is drawn
(`LastGoodApp`); every other verb gets it back before its handler runs."""


def dispatch(args: Arguments) -> int:
    """Run the verb's handler, the collector paused (by `main`) while its modules load.

    Importing the domain (and Textual) makes some 100,000 objects that live as long
    as the process and no garbage; the collections they set off walked them all, the
    last one whole, for 40-100 ms of `lastgood start` before its first frame. Frozen
    before the handler runs, they are not walked by its first collection either
    (some 17,000 objects, 3 ms of `status`).
    """
    handler = handler_for(args.command)
    if args.command not in COLLECTS_AFTER_FIRST_FRAME:
        gc.freeze()  # left out of every collection the handler sets off (`main` thaws them)
        gc.enable()
    return handler(args)
