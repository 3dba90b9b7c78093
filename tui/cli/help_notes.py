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

EPILOGS = {
    "send": (
        "An incident's templates are its runbook's: `lastgood send ID`, with neither "
        "--template nor --text, lists them. The bundled runbook's templates: "
        f"{', '.join(BUNDLED_TEMPLATES)}."
    ),
}
"""Each verb's paragraph after the options of its `--help`, by verb name."""
