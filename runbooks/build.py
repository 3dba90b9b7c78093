"""Plain runbook data (from YAML or a JSON snapshot) to a validated `Runbook`.

The data has the shape of the YAML format (see `runbooks/yaml_loader.py`). Every
mistake is reported through a `Reporter`, at the key or value it concerns, and
checking goes on so one pass shows all of them; a runbook is built only when
there are none.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from runbooks.build_context import RUNBOOK_KEYS
from runbooks.build_notify import NotifyRules
from runbooks.build_phases import PhaseRules
from runbooks.build_status_page import read_status_page, says_none
from runbooks.build_thresholds import ThresholdRules
from runbooks.data_path import INVALID
from runbooks.fields import Fields, Reporter
from runbooks.model import Runbook
from runbooks.secret_reads import with_variable_uses


def build_runbook(data: object, rep: Reporter, base_dir: Path, source: str) -> Runbook | None:
    """The runbook `data` describes, or None with the reasons in `rep.problems`.

    `base_dir` is where `steps_from` files are looked up; `source` is recorded
    in the runbook as where it came from.
    """
    return _Builder(rep, base_dir, source).runbook(data)


class _Builder(NotifyRules, PhaseRules, ThresholdRules):
    def runbook(self, data: object) -> Runbook | None:
        if data is INVALID:
            return None
        if not isinstance(data, Mapping):
            self.rep.report((), "a runbook must be a mapping of keys (runbook, title, phases, ...)")
            return None
        top = Fields(self.rep, (), data, RUNBOOK_KEYS, "runbook")
        runbook_id = top.ident("runbook", "runbook id")
        title = top.text("title", required=True)
        description = top.text("description") or ""
        self.read_roles(top)
        patterns = self.read_patterns(top)
        default_pattern = self.read_default_pattern(top)
        templates = self.read_templates(top)
        probes = self.read_probes(top)
        triggers = self.read_triggers(top)
        probes = self.one_threshold(probes, triggers)
        tiers = self.read_tiers(top)
        cadence = self.read_cadence(top)
        notify_targets, notify_rules = self.read_notify(top, templates)
        self.check_update_counts(cadence, notify_rules)
        status_page = read_status_page(self.rep, top, notify_targets, templates)
        phases = self.read_phases(top)
        self.check_moments(phases)
        if self.rep.problems or runbook_id is None or title is None:
            return None
        runbook = Runbook(
            id=runbook_id,
            title=title,
            phases=tuple(phases),
            description=description,
            roles=tuple(self.roles),
            patterns=tuple(patterns),
            default_pattern=default_pattern,
            triggers=tuple(triggers),
            database_tiers=tuple(tiers),
            templates=tuple(templates),
            probes=tuple(probes),
            cadence=cadence,
            notify_targets=notify_targets,
            notify_rules=notify_rules,
            status_page=status_page,
            no_status_page=says_none(top),
            source=self.source,
        )
        return with_variable_uses(runbook)  # each request's error lines: the runbook's rule
