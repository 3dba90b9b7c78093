"""What a verb's `lastgood VERB --help` says below its options, where the table's words end.

The verb table's help is every face's (an option here, a field's hint in the TUI);
what only a command-line user needs to be told lives here, one paragraph per verb.
It is read with the parser, before anything else of the domain is loaded: a name it
gives that the domain could look up is written here, and a test holds it equal.
"""

from __future__ import annotations

BUNDLED_TEMPLATES = ("announce", "initiating", "paging", "resolved", "update")
"""The bundled `rollback` runbook's message templates, named without loading the runbook
(its YAML would cost `send --help` the runbook loader: `tests/test_cli_startup.py`);
`tests/test_send_templates_named.py` holds them equal to the runbook's."""

MONITOR_EXIT = (
    "Exit status, for a service's unit: 0 when it stopped as asked (Ctrl-C, SIGTERM, "
    "SIGHUP, --for) or had nothing to do (the incident closed, before it started or "
    "while it ran); 2 when it is refused for good (a usage error, no such incident or "
    "database, not a lastgood database, a runbook with nothing to watch, a permission "
    "denied, a role that cannot deliver), or a second signal left samples unrecorded; "
    "75 (EX_TEMPFAIL) when the record cannot be reached now (another writer's lock held "
    "past 10 s, PostgreSQL down or not answering, a full disk), at the start or as it "
    "stopped with samples not recorded for that reason; 1 when the record's chain or "
    "file is damaged; 141 when its stdout's reader left (it stops as for SIGTERM). A "
    "unit restarts it on 75 (Restart=on-failure) and not on 1 or 2 "
    "(RestartPreventExitStatus=1 2): README, Running monitor unattended."
)
"""`monitor`'s exit statuses, as the README's "Running monitor unattended" gives them."""

EPILOGS = {
    "monitor": MONITOR_EXIT,
    "send": (
        "An incident's templates are its runbook's: `lastgood send ID`, with neither "
        "--template nor --text, lists them. The bundled runbook's templates: "
        f"{', '.join(BUNDLED_TEMPLATES)}."
    ),
}
"""Each verb's paragraph after the options of its `--help`, by verb name."""
