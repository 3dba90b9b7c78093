"""A runbook whose command step prints what it can see: the database's URL, a webhook's
token and a probe's key, each of which must be redacted before it is shown or recorded
(`tests/test_postgres_cli_run.py`, `tests/test_command_verify.py`)."""

from __future__ import annotations

OPS_TOKEN = "tok-SUPERSECRET-123"
PROBE_KEY = "prb-HIDDENKEY-456"
LEAKY = """\
runbook: leaky
title: A command that prints what it can see
notify:
  targets:
    - name: ops
      kind: json
      url: "http://127.0.0.1:9/hook"
      headers: {Authorization: "Bearer ${OPS_TOKEN}"}
probes:
  - {name: health, kind: http, url: "http://127.0.0.1:9/health?key=${PROBE_KEY}"}
phases:
  - id: execute
    title: Execute
    steps:
      - id: redeploy
        title: Redeploy the last good release
        kind: command
        command: >-
          echo "db=$LASTGOOD_DB"; echo "tok=$OPS_TOKEN"; echo "key=$PROBE_KEY";
          echo "+ migrate --url $DEPLOY_DB_URL"
        verify: {command: 'echo "rolled out with $OPS_TOKEN"', regex: "rolled out.*"}
"""
