"""A probe's threshold and its rollback trigger's: one number the faces agree on.

A probe's `threshold` draws its panel's line (`FAILING 1.0% > 0.5%`) and judges a
verification step with no baseline; its metric trigger's `threshold` decides the
rollback trigger (`monitor`, `status`, the report). They were two numbers: an author
who tightened the probe's to 0.005 and left the trigger's at 0.05 saw the screen say
FAILING while `status` said "not met" (ux_review8 #10). Now the probe takes its
trigger's when it writes none, and when it writes one it must be the trigger's.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from runbooks.build_context import BuildContext
from runbooks.checks import first_at
from runbooks.model import Probe, Trigger, TriggerKind

ABOVE = (">", ">=")
"""The ops of a trigger whose threshold is the probe's: the panel shows a breach above it."""


def probe_trigger(probe: str, triggers: Sequence[Trigger]) -> Trigger | None:
    """The metric trigger whose threshold is `probe`'s: its first that fires above one."""
    return next(
        (
            t
            for t in triggers
            if t.kind is TriggerKind.METRIC
            and t.probe == probe
            and t.op in ABOVE
            and t.threshold is not None
        ),
        None,
    )


class ThresholdRules(BuildContext):
    def one_threshold(self, probes: list[Probe], triggers: Sequence[Trigger]) -> list[Probe]:
        """`probes`, each without a threshold given its trigger's; a probe whose own
        threshold is not its trigger's is reported (not in a recorded snapshot, which
        passed the rules of its day and is shown as it was)."""
        settled: list[Probe] = []
        if not self.rep.recorded:
            self._never_firing(probes, triggers)
        for probe in probes:
            trigger = probe_trigger(probe.name, triggers)
            if trigger is None or trigger.threshold is None:
                settled.append(probe)
            elif probe.threshold is None:
                settled.append(msgspec.structs.replace(probe, threshold=trigger.threshold))
            else:
                if probe.threshold != trigger.threshold and not self.rep.recorded:
                    self._report(probe, trigger)
                settled.append(probe)
        return settled

    def _report(self, probe: Probe, trigger: Trigger) -> None:
        path = self.probe_thresholds.get(probe.name)
        if path is None:
            return
        where = self.trigger_thresholds.get(trigger.id)
        at = f" ({first_at(self.rep.place(where), self.rep.file)})" if where else ""
        self.rep.report(
            path,
            f"probe '{probe.name}' threshold {probe.threshold:g} is not its trigger "
            f"'{trigger.id}' threshold {trigger.threshold:g}{at}: the panel would show FAILING "
            "where the trigger is not met (or the reverse); leave the probe's out (it takes "
            "its trigger's) or make them equal",
        )

    def _never_firing(self, probes: list[Probe], triggers: Sequence[Trigger]) -> None:
        """Refuse a trigger above a ratio probe's ceiling of 1: `threshold: 5` meant as 5%
        on `unit: ratio` was a note, exit 0, and a rollback trigger that could never fire
        (ux_review17 #8). Refused, not warned: the trigger would read "not met" through
        the worst error rate, and a CI gate on `validate` passes a warning."""
        ratios = {probe.name for probe in probes if probe.unit == "ratio"}
        for trigger in triggers:
            limit = trigger.threshold
            if trigger.probe not in ratios or limit is None or trigger.op not in ABOVE:
                continue
            if limit > 1 or (limit == 1 and trigger.op == ">"):
                path = self.trigger_thresholds.get(trigger.id)
                if path is not None:
                    self.rep.report(
                        path,
                        f"trigger '{trigger.id}' fires at {trigger.op} {limit:g} on the ratio "
                        f"probe '{trigger.probe}', which never goes above 1: it could never "
                        f"fire; for {limit:g}%, write {limit / 100:g}",
                    )
