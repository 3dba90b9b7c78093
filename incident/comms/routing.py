"""Notifications as data: where a message goes, what it says, and when to try again.

A `Target` is a webhook named in the runbook. Its URL and header values may hold
`${NAME}` references that are expanded from the environment only when a message is
sent (`incident.core.secrets.expand_request`), so a token never reaches the database,
a report or an error line.
An `OutboxMessage` is one message for one target, identified by an idempotency key
that the receiver sees as the `Idempotency-Key` header on every attempt.

Pure: no I/O, no httpx, no sqlite3. Sending lives in `tui.net.delivery`, keeping
messages in `store.outbox`.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal

from msgspec import Struct

from incident.core.text import visible, visible_block
from runbooks.model import VariableUse

TargetKind = Literal["slack", "json"]
TARGET_KINDS: tuple[TargetKind, ...] = ("slack", "json")

MAX_ATTEMPTS = 8
"""Tries per message before it is failed for good (about two minutes of backoff)."""
BACKOFF_BASE_S = 1.0
BACKOFF_CAP_S = 60.0

_TARGET_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class NotifyConfigError(ValueError):
    """A target cannot be used as configured; the message is one line, safe to show."""


class Target(Struct, frozen=True):
    """A webhook the runbook names.

    `url` and header values are templates: `${NAME}` is read from the environment
    at send time and is never stored expanded.
    """

    name: str
    kind: TargetKind
    url: str
    headers: tuple[tuple[str, str], ...] = ()
    uses: tuple[VariableUse, ...] = ()
    """Where its runbook uses each variable (`runbooks.model.VariableUse`): its error
    lines hide what the runbook calls a secret anywhere (`secrets_for`)."""

    def __post_init__(self) -> None:
        if not _TARGET_NAME.match(self.name):
            raise NotifyConfigError(f"bad target name {self.name!r}")
        if self.kind not in TARGET_KINDS:
            raise NotifyConfigError(
                f"target {self.name}: kind must be one of {', '.join(TARGET_KINDS)}"
            )
        if not self.url.startswith(("http://", "https://", "${")):
            raise NotifyConfigError(f"target {self.name}: url must be http(s) or ${{ENV_VAR}}")


class MessageAbout(Struct, frozen=True):
    """What a message is, as its record says when it was recorded: a receiver routes on
    it without parsing the text. A re-send later says the same, whatever changed since."""

    template: str | None
    """The template it was written from; None for free text."""
    severity: str
    title: str


class OutboxMessage(Struct, frozen=True):
    """One message for one target; `key` makes a resend recognisable as the same."""

    key: str
    incident_id: str
    target: str
    text: str
    created_at: datetime
    about: MessageAbout | None = None
    """None for a message an older release put in the outbox, which kept only the text."""


def message_key(incident_id: str, seq: int, target: str) -> str:
    """The key for the message recorded by event `seq`: stable across restarts."""
    return f"{incident_id}:{seq}:{target}"


def body_for(target: Target, message: OutboxMessage) -> dict[str, str | None]:
    """The JSON document POSTed: Slack's `{"text": ...}`, or a generic envelope.

    The envelope says what the message is (`template`, null for free text, and the
    incident's `severity` and `title` when it was recorded) beside what it always
    said; a message an older release queued knows only the text, and goes without
    them. Slack's body has no place for them: its shape stays `{"text": ...}`.

    The text and title go as every face shows them (`incident.core.text`): a control
    character a person typed or a service returned is its picture (ESC as ␛), lines
    kept, never the byte, which a receiver printing it to a terminal or a chat client
    would act on (ux_review17 #2). Slack's text escapes `&`, `<` and `>` as Slack asks,
    so a title holding `<!channel>` or `<https://x|y>` is read, not acted on.
    """
    text = visible_block(message.text)
    if target.kind == "slack":
        return {"text": slack_escaped(text)}
    body: dict[str, str | None] = {
        "incident": message.incident_id,
        "text": text,
        "key": message.key,
        "created_at": message.created_at.isoformat(),
    }
    if message.about is not None:
        body["template"] = message.about.template
        body["severity"] = message.about.severity
        body["title"] = visible(message.about.title)
    return body


def slack_escaped(text: str) -> str:
    """`text` as Slack's message text takes it: `&`, `<` and `>` as entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def backoff_s(attempt: int) -> float:
    """Seconds to wait after failed attempt number `attempt` (1-based): 1, 2, 4 … 60."""
    if attempt < 1:
        raise ValueError("attempts are counted from 1")
    return min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2.0 ** min(attempt - 1, 32))
