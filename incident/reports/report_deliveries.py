"""What became of each message sent to a webhook, as the timeline and the report say it.

The state keeps only where each delivery stands now: a message that failed every
try, was re-sent and then arrived reads there as plainly delivered. The record has
the rest (`notification.failed` with its tries and error, `notification.requeued`
with who asked), so the documents read it from the events: a message's line says
when it arrived, after how many failed tries, the last error and who re-sent it, and
the deliveries' summary counts the failures and the re-sends.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from incident.comms.routing import message_key
from incident.core.records import DeliveryRecord
from incident.core.text import counted
from incident.reports.context import ReportContext
from incident.reports.delivery_history import Setbacks
from incident.reports.markdown import inline


def delivered_note(ctx: ReportContext, seq: int) -> str:
    """` (delivered to team; …)`: the outcome of the message recorded at `seq` at each of
    its targets, or nothing for a message that went to no webhook."""
    state = ctx.state
    outcomes = [
        record
        for record in state.deliveries.values()
        if record.key == message_key(state.id, seq, record.target)
    ]
    if not outcomes:
        return ""
    history = ctx.setbacks
    return " (" + "; ".join(_outcome(ctx, r, history.get(r.key)) for r in outcomes) + ")"


def _outcome(ctx: ReportContext, record: DeliveryRecord, seen: Setbacks | None) -> str:
    target = inline(record.target)
    if seen is None or not seen.rounds:
        if record.status == "delivered":
            tries = f" after {record.attempts} tries" if record.attempts > 1 else ""
            return f"delivered to {target}{tries}"
        if record.status == "failed":
            return f"delivery to {target} failed: {inline(record.error)}"
        return f"delivery to {target} pending"
    if record.status == "delivered":
        failed = seen.tries + max(record.attempts - 1, 0)
        when = f" at {ctx.utc(record.at)}" if record.at is not None else ""
        return (
            f"delivered to {target}{when}, after {counted(failed, 'failed try', 'failed tries')}, "
            f"{inline(seen.error)}{_resent(seen)}"
        )
    if record.status == "failed":
        return (
            f"delivery to {target} failed for good after {counted(seen.tries, 'try', 'tries')}"
            f"{_resent(seen, ' in between' if seen.rounds > 1 else '')}: {inline(record.error)}"
        )
    return (
        f"delivery to {target} pending, after {counted(seen.tries, 'failed try', 'failed tries')}"
        f", {inline(seen.error)}{_resent(seen)}"
    )


def _resent(seen: Setbacks, tail: str = "") -> str:
    if not seen.resent_by:
        return ""
    return f", re-sent{_times(len(seen.resent_by))} by {_names(seen.resent_by)}{tail}"


def _times(count: int) -> str:
    return "" if count == 1 else " twice" if count == 2 else f" {count} times"


def _names(names: Sequence[str]) -> str:
    unique = [inline(name) for name in dict.fromkeys(names)]
    if len(unique) < 2:
        return "".join(unique)
    return f"{', '.join(unique[:-1])} and {unique[-1]}"


def deliveries(ctx: ReportContext) -> str:
    """The deliveries summed up: how many delivered, after retries or a re-send, failed
    for good (and how many tries that took, with the last error), re-sent and by whom."""
    found = list(ctx.state.deliveries.values())
    if not found:
        return "No messages were delivered to webhooks."
    history = ctx.setbacks
    counts = Counter(record.status for record in found)
    delivered = [r for r in found if r.status == "delivered"]
    resent = sum(1 for r in delivered if r.key in history and history[r.key].resent_by)
    retried = sum(1 for r in delivered if r.attempts > 1 and r.key not in history)
    notes = [f"{retried} after retries"] if retried else []
    notes += [f"{resent} after a re-send"] if resent else []
    parts = [f"{counts['delivered']} delivered" + (f" ({', '.join(notes)})" if notes else "")]
    if counts["failed"]:
        parts.append(f"{counts['failed']} failed")
    if counts["pending"]:
        parts.append(f"{counts['pending']} pending")
    targets = len({record.target for record in found})
    line = f"Webhook deliveries: {len(found)} to {counted(targets, 'target')}: {', '.join(parts)}."
    return line + _setbacks_sentence(found, history)


def _setbacks_sentence(found: list[DeliveryRecord], history: dict[str, Setbacks]) -> str:
    failed = [history[r.key] for r in found if r.key in history and history[r.key].rounds]
    if not failed:
        return ""
    tries = sum(s.tries for s in failed)
    error = inline(max(failed, key=lambda s: s.seq).error)
    sentence = (
        f" Failed for good: {counted(len(failed), 'delivery', 'deliveries')}, "
        f"{counted(tries, 'try', 'tries')} in all (last error {error})"
    )
    resends = [name for s in failed for name in s.resent_by]
    if resends:
        once = {1: "once", 2: "twice"}.get(len(resends), f"{len(resends)} times")
        sentence += f"; re-sent {once}, by {_names(resends)}"
    return sentence + "."
