"""`lastgood status ID --json` read back: what the CLI tests compare before and after."""

from __future__ import annotations

import json

from tests.cli_helpers import Cli


def status(cli: Cli, incident_id: str) -> dict:
    return json.loads(cli.ok("status", incident_id, "--json"))
