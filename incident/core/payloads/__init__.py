"""One typed payload per event kind, decoded once where events leave the store.

Each class knows its `Kind`, encodes to the stored field names and shapes
(`to_json`, fed to the one canonical encoding in `incident.core.chain`), and
decodes strictly (`from_json`, raising `PayloadError` with a line that names
the field). Commands build them, the store encodes and decodes them, and the
fold, the descriptions and the reports read them, never a raw dict.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeAlias

from incident.core.events import JSONValue, Kind
from incident.core.payloads.base import PayloadError
from incident.core.payloads.health import (
    BaselineCaptured,
    ProbeSamples,
    TriggerChanged,
    sample_to_json,
)
from incident.core.payloads.lifecycle import Closed, Declared, SeverityChanged
from incident.core.payloads.messages import (
    CommunicationDeclined,
    CommunicationSent,
    NotificationDelivered,
    NotificationFailed,
    NotificationQueued,
    NotificationRequeued,
    StatusPageUpdated,
    UpdateOverdue,
)
from incident.core.payloads.people import (
    ChannelSet,
    CommanderHandedOff,
    NoteAdded,
    PageSent,
    RoleAssigned,
)
from incident.core.payloads.postmortem import (
    ActionItemAdded,
    ActionItemDone,
    ContributingFactorNoted,
    ImpactMeasured,
    LessonNoted,
    PostmortemScheduled,
    RcaNoted,
    ReportStatusSet,
)
from incident.core.payloads.steps import (
    ApprovalGranted,
    ChangesRead,
    CommandRan,
    DatabaseTierChosen,
    StepChecked,
    StepReopened,
    StepSkipped,
)

EventData: TypeAlias = (
    Declared
    | Closed
    | SeverityChanged
    | StepChecked
    | StepSkipped
    | StepReopened
    | ApprovalGranted
    | DatabaseTierChosen
    | NoteAdded
    | RoleAssigned
    | CommanderHandedOff
    | PageSent
    | CommunicationSent
    | CommunicationDeclined
    | CommandRan
    | TriggerChanged
    | ProbeSamples
    | BaselineCaptured
    | RcaNoted
    | ActionItemAdded
    | LessonNoted
    | PostmortemScheduled
    | UpdateOverdue
    | NotificationQueued
    | NotificationDelivered
    | NotificationFailed
    | NotificationRequeued
    | ContributingFactorNoted
    | ActionItemDone
    | ReportStatusSet
    | ImpactMeasured
    | ChangesRead
    | ChannelSet
    | StatusPageUpdated
)
"""Any event's payload: `match` on it, or `isinstance` one class."""

PAYLOAD_TYPES: tuple[type[EventData], ...] = (
    Declared,
    Closed,
    SeverityChanged,
    StepChecked,
    StepSkipped,
    StepReopened,
    ApprovalGranted,
    DatabaseTierChosen,
    NoteAdded,
    RoleAssigned,
    CommanderHandedOff,
    PageSent,
    CommunicationSent,
    CommunicationDeclined,
    CommandRan,
    TriggerChanged,
    ProbeSamples,
    BaselineCaptured,
    RcaNoted,
    ActionItemAdded,
    LessonNoted,
    PostmortemScheduled,
    UpdateOverdue,
    NotificationQueued,
    NotificationDelivered,
    NotificationFailed,
    NotificationRequeued,
    ContributingFactorNoted,
    ActionItemDone,
    ReportStatusSet,
    ImpactMeasured,
    ChangesRead,
    ChannelSet,
    StatusPageUpdated,
)

_DECODERS: dict[str, Callable[[Mapping[str, JSONValue]], EventData]] = {
    str(cls.KIND): cls.from_json for cls in PAYLOAD_TYPES
}


def decode_payload(kind: str, data: Mapping[str, JSONValue]) -> EventData:
    """The typed payload of a stored event of `kind`, or PayloadError saying why not."""
    decoder = _DECODERS.get(kind)
    if decoder is None:
        raise PayloadError(f"unknown event kind {kind!r}")
    return decoder(data)


__all__ = [
    "PAYLOAD_TYPES",
    "ActionItemAdded",
    "ActionItemDone",
    "ApprovalGranted",
    "BaselineCaptured",
    "ChangesRead",
    "ChannelSet",
    "Closed",
    "CommandRan",
    "CommanderHandedOff",
    "CommunicationDeclined",
    "CommunicationSent",
    "ContributingFactorNoted",
    "DatabaseTierChosen",
    "Declared",
    "EventData",
    "ImpactMeasured",
    "Kind",
    "LessonNoted",
    "NoteAdded",
    "NotificationDelivered",
    "NotificationFailed",
    "NotificationQueued",
    "NotificationRequeued",
    "PageSent",
    "PayloadError",
    "PostmortemScheduled",
    "ProbeSamples",
    "RcaNoted",
    "ReportStatusSet",
    "RoleAssigned",
    "SeverityChanged",
    "StatusPageUpdated",
    "StepChecked",
    "StepReopened",
    "StepSkipped",
    "TriggerChanged",
    "UpdateOverdue",
    "decode_payload",
    "sample_to_json",
]
