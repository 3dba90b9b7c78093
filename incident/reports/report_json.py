"""The JSON export's `events` array, written as the record streams past.

Each event is written as `json_text(..., indent=None, sort_keys=True)` of its envelope
would write it, without building the envelope: a long record is 100,000 of them. A
probe tick read from its canonical text is written from that text; the events
between the ticks of a run (`TickRun.between`), which the store hands over with
their stored time and payload, are written from that text when it is the canonical
encoding (checked for a run's events at once, in C); any other event is dumped from
its decoded payload, as it always was.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence

from incident.core.chain import json_string
from incident.core.events import Event, Kind, format_timestamp
from incident.core.folding import Item
from incident.core.text import escape_raw_controls
from incident.core.tick_runs import TickRun
from incident.core.ticks import ProbeTick, is_stored_at

_CHUNK = 1000
"""Events per piece of text handed on."""


class JsonEvents:
    """The export's events, each as the whole document's dump would write it, comma-separated."""

    def __init__(self, write: Callable[[str], object]) -> None:
        self._write = write
        self._pending: list[str] = []
        self._started = False

    def write(self, items: Iterable[Item | TickRun]) -> None:
        for _ in self.passing(items):
            pass

    def passing(self, items: Iterable[Item | TickRun]) -> Iterator[Item | TickRun]:
        """`items`, each written as it passes on."""
        pending = self._pending
        for item in items:
            if isinstance(item, TickRun):
                pending += _run_texts(item)
            else:
                pending.append(
                    _tick_text(item) if isinstance(item, ProbeTick) else _event_text(item)
                )
            if len(pending) >= _CHUNK:
                self._flush()
            yield item
        self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        if self._started:
            self._pending.insert(0, "")  # the comma after the events already written
        text = ",".join(self._pending)
        if not text.isascii() or "\x7f" in text:  # C1 is not ASCII; most records are
            text = escape_raw_controls(text)
        self._write(text)
        self._started = True
        self._pending.clear()


def _event_text(event: Event) -> str:
    """The event as `json_text(..., indent=None, sort_keys=True)` of its envelope writes it
    (keys sorted; DEL and C1 controls are escaped by `JsonEvents` for the whole chunk)."""
    return (
        f'{{"actor":{json_string(event.actor)},"at":"{format_timestamp(event.at)}",'
        f'"hash":{json_string(event.hash)},"kind":{json_string(event.kind)},'
        f'"mono_ns":{event.mono_ns},"payload":{_PAYLOAD(dict(event.payload))},'
        f'"prev_hash":{json_string(event.prev_hash)},"seq":{event.seq}}}'
    )


_PAYLOAD = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
"""What `json_text` writes of a payload, less its escape of DEL and C1 (see `_event_text`)."""


def _stored_texts(events: Sequence[Event], stored: Sequence[tuple[str, str]]) -> list[str]:
    """As `_event_text` writes each of `events`, from its stored time and payload (`stored`)
    where those are the canonical text, which is what the writer stores.

    The payloads are checked at once: the decoded payloads encoded in one call, against
    the stored texts joined the same way. Equal, each stored text is its payload's
    encoding: each decoded alone to its payload, and a JSON text ends where its
    outermost object closes, so no stored text can reach into the next one's place.
    Otherwise (a row edited by hand, say) each event is encoded on its own, as ever.
    """
    if len(stored) != len(events):
        return [_event_text(event) for event in events]
    payloads = [payload for _, payload in stored]
    if _PAYLOAD([dict(event.payload) for event in events]) != f"[{','.join(payloads)}]":
        return [_event_text(event) for event in events]
    strings = "".join([f"{e.actor}{e.hash}{e.kind}{e.prev_hash}" for e in events])
    if not (strings.isprintable() and '"' not in strings and "\\" not in strings):
        return [_event_text(event) for event in events]  # one to quote: `json_string` does
    return [
        (
            f'{{"actor":"{event.actor}","at":"{at}","hash":"{event.hash}",'
            f'"kind":"{event.kind}","mono_ns":{event.mono_ns},"payload":{payload},'
            f'"prev_hash":"{event.prev_hash}","seq":{event.seq}}}'
        )
        if is_stored_at(at)
        else _event_text(event)
        for event, (at, payload) in zip(events, stored, strict=True)
    ]


def _tick_text(tick: ProbeTick) -> str:
    """As `_event_text` writes it: the stored time and payload are their canonical text."""
    return (
        f'{{"actor":{json_string(tick.actor)},"at":"{tick.at_text}",'
        f'"hash":{json_string(tick.hash)},"kind":"{tick.kind}","mono_ns":{tick.mono_ns},'
        f'"payload":{tick.text},"prev_hash":{json_string(tick.prev_hash)},"seq":{tick.seq}}}'
    )


def _run_texts(run: TickRun) -> list[str]:
    """As `_tick_text` writes each tick of `run`, from the stored columns the run carries,
    and the events between them in their places.

    The store gave them only for ticks whose text hashed to their summary's hash, so the
    time and previous hash are plain text, written between quotes as they are."""
    actors = set(run.actors)
    if len(actors) == 1:  # the usual run: one writer's ticks
        who = json_string(next(iter(actors)))
        texts = [
            f'{{"actor":{who},"at":"{at}","hash":"{digest}","kind":"{_KIND}",'
            f'"mono_ns":{mono_ns},"payload":{payload},"prev_hash":"{prev}","seq":{seq}}}'
            for seq, at, mono_ns, payload, prev, digest in zip(
                run.seqs,
                run.ats,
                run.mono_ns,
                run.payloads,
                run.prev_hashes,
                run.hashes,
                strict=True,
            )
        ]
    else:
        quoted = {actor: json_string(actor) for actor in actors}
        texts = [
            f'{{"actor":{quoted[actor]},"at":"{at}","hash":"{digest}","kind":"{_KIND}",'
            f'"mono_ns":{mono_ns},"payload":{payload},"prev_hash":"{prev}","seq":{seq}}}'
            for seq, at, mono_ns, actor, payload, prev, digest in zip(
                run.seqs,
                run.ats,
                run.mono_ns,
                run.actors,
                run.payloads,
                run.prev_hashes,
                run.hashes,
                strict=True,
            )
        ]
    if not run.between:
        return texts
    between = _stored_texts(run.between, run.between_text)
    placed: list[str] = []
    start = 0
    for event, text in zip(run.between, between, strict=True):
        stop = bisect_left(run.seqs, event.seq)
        placed += texts[start:stop]
        placed.append(text)
        start = stop
    placed += texts[start:]
    return placed


_KIND = str(Kind.PROBE_SAMPLES)
