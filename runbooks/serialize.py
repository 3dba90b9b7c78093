"""A runbook as plain JSON-ready data in the YAML format's shape, and back.

An incident snapshots its runbook into its first event with `runbook_to_data`,
and `runbook_from_data` rebuilds exactly the same runbook from that snapshot,
through the same validation as a file.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TypeAlias

from runbooks.build import build_runbook
from runbooks.build_status_page import NO_STATUS_PAGE
from runbooks.fields import Reporter
from runbooks.model import (
    CommandCheck,
    DatabaseTier,
    Phase,
    Probe,
    ProbeKind,
    Runbook,
    SendRule,
    Step,
    Trigger,
)
from runbooks.problems import Problem, RunbookError

JSONValue: TypeAlias = str | int | float | bool | list["JSONValue"] | dict[str, "JSONValue"] | None


def runbook_to_data(runbook: Runbook) -> dict[str, JSONValue]:
    """Plain data that `runbook_from_data` turns back into an equal runbook.

    Steps that came from `steps_from` Markdown are written inline, with their ids.
    """
    data: dict[str, JSONValue] = {
        "runbook": runbook.id,
        "title": runbook.title,
        "description": runbook.description,
        "roles": list(runbook.roles),
    }
    if runbook.default_pattern is not None:
        data["default_pattern"] = runbook.default_pattern.value
    if runbook.patterns:
        data["patterns"] = {
            info.id.value: {"title": info.title, "description": info.description}
            for info in runbook.patterns
        }
    data["triggers"] = [_trigger(trigger) for trigger in runbook.triggers]
    data["database_tiers"] = [_tier(tier) for tier in runbook.database_tiers]
    data["templates"] = {template_id: text for template_id, text in runbook.templates}
    if runbook.notify_targets or runbook.notify_rules:
        data["notify"] = {
            "targets": [
                {
                    "name": t.name,
                    "kind": t.kind,
                    "url": t.url,
                    **({"headers": dict(t.headers)} if t.headers else {}),
                }
                for t in runbook.notify_targets
            ],
            "send": {rule.template: _send_rule(rule) for rule in runbook.notify_rules},
        }
    if (page := runbook.status_page) is not None:  # left out when none: older snapshots
        status_page: dict[str, JSONValue] = {"url": page.url}
        if page.target:
            status_page |= {"target": page.target, "send": list(page.send)}
        data["status_page"] = status_page
    elif runbook.no_status_page:
        data["status_page"] = NO_STATUS_PAGE
    cadence: dict[str, JSONValue] = {
        "first_update_min": runbook.cadence.first_update_min,
        "every_min": runbook.cadence.every_min,
    }
    if runbook.cadence.to_responders:  # left out when empty: older snapshots read the same
        cadence["to_responders"] = list(runbook.cadence.to_responders)
    data["cadence"] = cadence
    data["probes"] = [_probe(probe) for probe in runbook.probes]
    data["phases"] = [_phase(phase) for phase in runbook.phases]
    return data


def runbook_from_data(data: Mapping[str, object], source: str) -> Runbook:
    """The runbook `data` describes; `RunbookError` if it is not a valid runbook.

    Problems are placed at 1:1 of `source`, with the data path in the message.
    """
    file = source or "<data>"
    reporter = Reporter(file, None)
    base_dir = Path(source).parent if source else Path(".")
    try:
        runbook = build_runbook(data, reporter, base_dir, source)
    except Exception as exc:  # a bug must still surface as a runbook problem
        message = f"internal error while reading runbook data: {type(exc).__name__}: {exc}"
        raise RunbookError([Problem(file, 1, 1, message)]) from exc
    if runbook is None or reporter.problems:
        problems = reporter.problems or [Problem(file, 1, 1, "invalid runbook data")]
        raise RunbookError(dict.fromkeys(problems))
    return runbook


def _send_rule(rule: SendRule) -> JSONValue:
    if rule.on is None:
        return list(rule.targets)
    return {"to": list(rule.targets), "on": str(rule.on), "mode": rule.mode.value}


def _without_none(data: dict[str, JSONValue]) -> dict[str, JSONValue]:
    return {key: value for key, value in data.items() if value is not None}


def _trigger(trigger: Trigger) -> dict[str, JSONValue]:
    return _without_none(
        {
            "id": trigger.id,
            "title": trigger.title,
            "kind": trigger.kind.value,
            "probe": trigger.probe,
            "op": trigger.op,
            "threshold": trigger.threshold,
            "for_samples": trigger.for_samples if trigger.op is not None else None,
            "count": trigger.count,
        }
    )


def _tier(tier: DatabaseTier) -> dict[str, JSONValue]:
    return _without_none(
        {
            "id": tier.id,
            "title": tier.title,
            "risk": tier.risk,
            "data_loss": tier.data_loss.value,
            "guidance": tier.guidance,
            "approver": tier.approver,
            "command": tier.command,
            "verify": None if tier.verify is None else _verify(tier.verify),
        }
    )


def _probe(probe: Probe) -> dict[str, JSONValue]:
    prometheus = probe.kind is ProbeKind.PROMETHEUS
    return _without_none(
        {
            "name": probe.name,
            "kind": probe.kind.value,
            "url": probe.url,
            "expect_status": None if prometheus else probe.expect_status,
            "json_field": probe.json_field,
            "query": probe.query,
            "reduce": probe.reduce.value if probe.reduce is not None else None,
            "interval_s": probe.interval_s,
            "timeout_s": probe.timeout_s,
            "headers": {name: value for name, value in probe.headers} or None,
            "threshold": probe.threshold,
            "unit": probe.unit,
            "baseline": probe.baseline,
        }
    )


def _phase(phase: Phase) -> dict[str, JSONValue]:
    data: dict[str, JSONValue] = {"id": phase.id, "title": phase.title}
    if phase.window is not None:
        data["window"] = [phase.window.start_min, phase.window.end_min]
    data["summary"] = phase.summary
    data["steps"] = [_step(step) for step in phase.steps]
    return data


def _step(step: Step) -> dict[str, JSONValue]:
    return _without_none(
        {
            "id": step.id,
            "title": step.title,
            "kind": step.kind.value,
            "guidance": step.guidance,
            "owner": step.owner,
            "required": step.required,
            "approver": step.approver,
            "template": step.template,
            "probe": step.probe,
            "evidence": step.evidence,
            "command": step.command,
            "patterns": [pattern.value for pattern in step.patterns] or None,
            "verify": None if step.verify is None else _verify(step.verify),
            "done_by_declaration": step.done_by_declaration,  # None: left out, as before
        }
    )


def _verify(check: CommandCheck) -> dict[str, JSONValue]:
    data: dict[str, JSONValue] = {"command": check.command}
    if check.regex is not None:
        data["regex"] = check.regex
    elif check.json_path is not None:
        data["json_path"], data["equals"] = check.json_path, check.equals
    else:
        data["exit_code"] = check.exit_code
    data["within_s"], data["every_s"] = check.within_s, check.every_s
    return data
