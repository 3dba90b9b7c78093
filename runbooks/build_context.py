"""Shared state and helpers for building a runbook from plain data.

`BuildContext` holds what the parts of a runbook need from each other (the roles,
patterns, templates and probes defined so far, the step ids in use) and the
helpers that report references to them; `SectionRules` and `PhaseRules` read the
sections on top of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from runbooks.checks import first_at
from runbooks.data_path import INVALID, DataPath
from runbooks.fields import Fields, Reporter, parse_choice
from runbooks.limits import MAX_CADENCE_MIN as MAX_CADENCE_MIN
from runbooks.limits import MAX_COUNT as MAX_COUNT
from runbooks.limits import MAX_SECONDS as MAX_SECONDS
from runbooks.limits import MAX_WINDOW_MIN as MAX_WINDOW_MIN
from runbooks.limits import MIN_INTERVAL_S as MIN_INTERVAL_S
from runbooks.limits import MIN_TIMEOUT_S as MIN_TIMEOUT_S
from runbooks.model import (
    DEFAULT_ROLES,
    DeploymentPattern,
    PatternInfo,
    ProbeKind,
)

RUNBOOK_KEYS = (
    "runbook",
    "title",
    "description",
    "roles",
    "default_pattern",
    "patterns",
    "triggers",
    "database_tiers",
    "templates",
    "cadence",
    "probes",
    "notify",
    "status_page",
    "phases",
)
NOTIFY_KEYS = ("targets", "send")
SEND_KEYS = ("to", "on", "mode")
STATUS_PAGE_KEYS = ("url", "target", "send")
TARGET_KEYS = ("name", "kind", "url", "headers")
PATTERN_KEYS = ("title", "description")
TRIGGER_KEYS = ("id", "title", "kind", "probe", "op", "threshold", "for_samples", "count")
TIER_KEYS = ("id", "title", "risk", "data_loss", "guidance", "approver", "command", "verify")
CADENCE_KEYS = ("first_update_min", "every_min", "to_responders")
PROBE_KEYS = (
    "name",
    "kind",
    "url",
    "expect_status",
    "json_field",
    "query",
    "reduce",
    "interval_s",
    "timeout_s",
    "headers",
    "threshold",
    "unit",
    "baseline",
)
PHASE_KEYS = ("id", "title", "window", "summary", "steps", "steps_from")
STEP_KEYS = (
    "id",
    "title",
    "kind",
    "guidance",
    "owner",
    "required",
    "approver",
    "template",
    "probe",
    "evidence",
    "command",
    "patterns",
    "verify",
    "done_by_declaration",
)
VERIFY_KEYS = ("command", "exit_code", "regex", "json_path", "equals", "within_s", "every_s")
STEPS_FROM_KEYS = ("file", "section")
OPS = (">", ">=", "<", "<=", "==", "!=")


def seconds(minimum: float) -> str:
    """What a field of seconds must be, for its problem: `a number of seconds from 1 to
    3600`."""
    return f"a number of seconds from {minimum:g} to {MAX_SECONDS:g}"


class BuildContext:
    """What has been read so far, and the reporter problems go to."""

    def __init__(self, rep: Reporter, base_dir: Path, source: str) -> None:
        self.rep = rep
        self.base_dir = base_dir
        self.source = source
        self.roles: dict[str, None] = dict.fromkeys(DEFAULT_ROLES)
        """Known roles in order (a dict, so that checking a step's owner is one lookup)."""
        self.patterns: dict[DeploymentPattern, PatternInfo] = {}
        self.templates: dict[str, str] = {}
        self.template_keys: set[str] = set()
        self.probes: dict[str, ProbeKind | None] = {}
        self.tier_count = 0
        self.probe_thresholds: dict[str, DataPath] = {}
        """Where each probe that writes a `threshold` writes it."""
        self.trigger_thresholds: dict[str, DataPath] = {}
        """Where each metric trigger writes its `threshold` (`FILE:LINE`)."""
        self.tier_places: dict[str, str] = {}
        """Each database tier's id and where it is written (`FILE:LINE`): no step may
        take one (`tier_clash`)."""
        self.step_ids: dict[str, str] = {}
        self.explicit_step_ids: dict[str, str] = {}
        self.database_step: str | None = None

    def entries(self, fields: Fields, key: str, what: str) -> list[tuple[DataPath, Fields]]:
        """The mappings listed under `key`, each ready to read."""
        items = fields.items(key)
        out: list[tuple[DataPath, Fields]] = []
        for index, item in enumerate(items or ()):
            path = (*fields.at(key), index)
            if item is INVALID:
                continue
            if not isinstance(item, Mapping):
                self.rep.report(path, f"each entry of '{key}' must be a mapping")
                continue
            out.append((path, Fields(self.rep, path, item, self.keys_for(key), what)))
        return out

    @staticmethod
    def keys_for(key: str) -> tuple[str, ...]:
        return {
            "triggers": TRIGGER_KEYS,
            "database_tiers": TIER_KEYS,
            "probes": PROBE_KEYS,
            "targets": TARGET_KEYS,
            "phases": PHASE_KEYS,
            "steps": STEP_KEYS,
        }[key]

    def unique(self, seen: dict[str, DataPath], value: str, path: DataPath, what: str) -> bool:
        if value in seen:
            where = self.rep.location(seen[value])
            self.rep.report(path, f"duplicate {what} '{value}' (first at {where})")
            return False
        seen[value] = path
        return True

    def tier_clash(self, step_id: str, file: str | None = None) -> str | None:
        """Why a step may not have `step_id`: a database tier has it, and `approve
        restore-backup` approved the step where the tier was meant, leaving the tier
        blocked (ux_review8 #8). Not asked of a recorded snapshot, which passed the
        rules of its day."""
        if self.rep.recorded or step_id not in self.tier_places:
            return None
        tier = first_at(self.tier_places[step_id], file or self.rep.file)
        return (
            f"step id '{step_id}' is also database tier '{step_id}' ({tier}): `approve` "
            f"would take '{step_id}' for the step, the tier being tier:{step_id}; rename the step"
        )

    def role(self, fields: Fields, key: str) -> str | None:
        value = fields.ident(key, "role", required=False)
        if value is not None and value not in self.roles:
            hint = self.rep.hint(value, self.roles, "roles")
            fields.report(key, f"unknown role '{value}' for '{key}'{hint}; add it to 'roles'")
            return None
        return value

    def pattern_ref(self, path: DataPath, value: str) -> DeploymentPattern | None:
        pattern = parse_choice(self.rep, path, value, DeploymentPattern, "deployment pattern")
        if pattern is not None and pattern not in self.patterns:
            hint = self.rep.hint(value, [p.value for p in self.patterns], "defined")
            self.rep.report(path, f"pattern '{value}' is not defined under 'patterns'{hint}")
            return None
        return pattern

    def probe_ref(self, fields: Fields, key: str = "probe") -> str | None:
        name = fields.text(key, required=True)
        if name is None:
            return None
        if name not in self.probes:
            hint = self.rep.hint(name, self.probes, "defined")
            fields.report(key, f"probe '{name}' is not defined under 'probes'{hint}")
            return None
        return name
