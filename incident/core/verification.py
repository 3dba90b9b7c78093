"""Whether the service was verified: the guide's Phase 3, "you must verify that the
service is restored", read once for every face.

The verification steps are the runbook's `kind: verification` steps, the required
ones (all of them when none is required). The service is verified once every one of
them is checked: a skipped one verified nothing. The Verification phase read DONE and
the report "service was verified" with Confirm version and Smoke test skipped, the
moment Check health was checked (ux_review7 F2); status, the phase strip, the report,
the timeline, the invitation and the `resolved` message's warning now read this.
"""

from __future__ import annotations

from msgspec import Struct

from incident.core.events import JSONValue
from incident.core.records import StepRecord
from incident.core.state import IncidentState
from runbooks.model import StepKind


class Verification(Struct, frozen=True):
    """The verification steps and what became of them."""

    records: tuple[StepRecord, ...]
    """The steps that verify the service (`verification_records`), in runbook order."""

    @property
    def open(self) -> list[str]:
        """Those neither checked nor skipped yet."""
        return [r.step.id for r in self.records if not (r.done or r.skipped)]

    @property
    def skipped(self) -> list[str]:
        """Those skipped: each one a thing about the service nobody verified."""
        return [r.step.id for r in self.records if r.skipped]

    @property
    def verified(self) -> bool:
        """Every one checked (and there is at least one)."""
        return bool(self.records) and all(r.done for r in self.records)

    @property
    def last(self) -> StepRecord | None:
        """The check that verified the service, once it is: the last one recorded (two
        in the same millisecond told apart by their order in the record)."""
        if not self.verified:
            return None
        timed = [(r.at, r.seq or 0, r) for r in self.records if r.at is not None]
        if not timed:
            return self.records[-1]
        return max(timed, key=lambda t: (t[0], t[1]))[2]

    def to_json(self) -> dict[str, JSONValue]:
        """`verification` in `status --json` and `brief --json`: verified, and the steps
        skipped (each verified nothing) and still open, by id."""
        skipped: list[JSONValue] = [*self.skipped]
        still_open: list[JSONValue] = [*self.open]
        return {"verified": self.verified, "skipped": skipped, "open": still_open}

    def unverified(self) -> str:
        """Why the service is not verified, in a few words: `confirm-version, smoke-test
        skipped`, `check-health open`, both (`smoke-test skipped; check-health open`);
        "" once it is, or when the runbook has no verification step."""
        parts = []
        if self.skipped:
            parts.append(f"{', '.join(self.skipped)} skipped")
        if self.open:
            parts.append(f"{', '.join(self.open)} open")
        return "; ".join(parts)


def verification_records(state: IncidentState) -> list[StepRecord]:
    """The steps that verify the service: the required `kind: verification` steps, all
    of them when none is required."""
    records = [r for r in state.steps.values() if r.step.kind is StepKind.VERIFICATION]
    return [r for r in records if r.step.required] or records


def verification(state: IncidentState) -> Verification:
    return Verification(tuple(verification_records(state)))


def skipped_in_phase(state: IncidentState, phase_id: str) -> list[str]:
    """The verification steps of `phase_id` that were skipped, while at least one of
    them was checked: a phase that reads DONE though it left the service unverified
    (skipped whole, it reads SKIPPED already). Empty for any other phase."""
    records = [r for r in verification_records(state) if r.step.phase_id == phase_id]
    if not any(r.done for r in records):
        return []
    return [r.step.id for r in records if r.skipped]
