"""The hash chain: each event's SHA-256 covers its content and the hash before it.

Kept pure (no storage) so that the store, `verify` and the report all compute it
the same way. The canonical encoding is JSON with sorted keys, no whitespace and
UTF-8 text; the timestamp is the stored millisecond string.

A stored event is genuine only if its stored text *is* that canonical encoding:
a payload with a repeated key decodes (here, last value wins) to what the hash
covers while SQLite's `json_extract` reads the first value, so verification
compares the stored text with the encoding it hashed, not only the decoded values.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from msgspec import Struct

from incident.core.digest import sha256_hex
from incident.core.errors import CommandError
from incident.core.events import Event, JSONValue, NewEvent, Payload, format_timestamp
from incident.core.text import counted
from incident.core.ticks import ProbeTick

GENESIS_HASH = "0" * 64
"""The `prev_hash` of every incident's first event."""


def canonical_json(value: JSONValue | Payload) -> str:
    """The one JSON encoding used for payloads and hashing."""
    return _CANONICAL(value)


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode
"""What `json.dumps` with these options does, without building an encoder each call
(most of the cost of a small payload's: every stored event is checked against it)."""


def event_hash(event: NewEvent | Event, seq: int, prev_hash: str) -> str:
    """SHA-256 over the canonical encoding of an event at position `seq`."""
    return text_hash(
        event.incident_id,
        seq,
        format_timestamp(event.at),
        event.mono_ns,
        event.actor,
        event.kind,
        canonical_json(dict(event.payload)),
        prev_hash,
    )


def text_hash(
    incident_id: str,
    seq: int,
    at_text: str,
    mono_ns: int,
    actor: str,
    kind: str,
    payload_text: str,
    prev_hash: str,
) -> str:
    """The hash from an event's stored text, `at_text` and `payload_text` taken as they are.

    This is the canonical JSON of `{"actor", "at", "incident", "kind",
    "mono_ns", "payload", "prev", "seq"}` (sorted keys, no spaces), written out
    so that `verify`, having checked that the stored payload is canonical, need
    not encode it a second time. `event_hash` goes through here too, so there is
    one definition of the hash.
    """
    body = (
        f'{{"actor":{json_string(actor)},"at":{json_string(at_text)},'
        f'"incident":{json_string(incident_id)},"kind":{json_string(kind)},'
        f'"mono_ns":{int(mono_ns)},"payload":{payload_text},'
        f'"prev":{json_string(prev_hash)},"seq":{int(seq)}}}'
    )
    return sha256_hex(body.encode("utf-8"))


def json_string(text: str) -> str:
    """`text` as the canonical encoding writes a string (`json.dumps`, not ASCII-escaped).

    Most stored strings (hashes, kinds, times, actors) need no escape, and quoting
    them directly is several times cheaper than `json.dumps`, which hashing and
    exporting every event would otherwise call for each of them.
    """
    if text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'
    return json.dumps(text, ensure_ascii=False)


class ChainHead(Struct, frozen=True):
    """The last event a reader has verified: where the next one must link."""

    seq: int
    hash: str


GENESIS = ChainHead(0, GENESIS_HASH)
"""The head before an incident's first event."""


class ChainReport(Struct, frozen=True):
    """The outcome of recomputing one incident's chain."""

    incident_id: str
    ok: bool
    count: int
    head_hash: str
    first_bad_seq: int | None = None
    problem: str = ""

    @property
    def head(self) -> ChainHead:
        """The last event that checked out (`count` is its seq)."""
        return ChainHead(self.count, self.head_hash)


def damage_data(report: ChainReport | None) -> JSONValue:
    """A record's damage as `status --json` and the JSON export give it: null when its
    chain verifies."""
    if report is None:
        return None
    return {
        "first_bad_seq": report.first_bad_seq,
        "problem": report.problem,
        "verified_events": report.count,
        "verified_head": report.head_hash,
    }


class DamagedRecord(CommandError):
    """A refusal to record on top of a chain that does not verify.

    Appending would hash new events onto a record that can no longer be
    trusted, hiding the damage behind a valid-looking tail, so every recording
    path refuses and names the command that says more. A `CommandError`, so
    whatever shows a refused command (a TUI notice, a CLI error) shows this.
    """

    def __init__(self, report: ChainReport) -> None:
        self.report = report
        incident = report.incident_id
        super().__init__(
            f"incident {incident}: the record is damaged at event {report.first_bad_seq} "
            f"({report.problem}); run `lastgood verify {incident}`; nothing was recorded"
        )


def encoding_problem(at_text: str, payload_text: str, at: datetime, payload: Payload) -> str:
    """What makes stored text differ from the canonical encoding its hash covers; "" if none.

    `at` and `payload` are what `at_text` and `payload_text` decode to. Cheap on
    the common path (one re-encoding); the duplicate-key search runs only for
    a payload already known to be wrong, to say why.
    """
    expected_at = format_timestamp(at)
    if at_text != expected_at:
        return f"timestamp {at_text!r} is not stored as hashed ({expected_at!r})"
    if payload_text == canonical_json(payload):
        return ""
    repeated = _repeated_key(payload_text)
    if repeated is not None:
        return f"payload repeats the key {repeated!r}"
    return "payload is not its canonical encoding (key order, spacing or escapes)"


def _repeated_key(text: str) -> str | None:
    found: list[str] = []

    def pairs(items: list[tuple[str, object]]) -> dict[str, object]:
        keys = [key for key, _ in items]
        found.extend(key for key in keys if keys.count(key) > 1)
        return dict(items)

    json.loads(text, object_pairs_hook=pairs)
    return found[0] if found else None


class ChainWalk:
    """Verifies events one at a time from a known head; keeps the first problem.

    One pass serves both `verify` (from genesis) and a session reading what
    other writers appended (from the head it verified before).
    """

    def __init__(self, incident_id: str, start: ChainHead = GENESIS) -> None:
        self.incident_id = incident_id
        self.start = start
        self.head = start
        """The last event that checked out."""
        self.failure: tuple[int, str] | None = None
        """(first bad seq, problem), once found; later events are not checked."""

    def add(self, event: Event | ProbeTick, encoding: str = "", digest: str | None = None) -> None:
        """Check `event` as the successor of the head.

        `encoding` is a problem with its stored text, found by the caller;
        `digest` its hash recomputed from that text (`text_hash`), if the caller
        has it, else it is recomputed here from the event (a probe tick's stored
        text is its canonical encoding, so that is hashed as it is).
        """
        if self.failure is not None or not self._links(event.seq, event.prev_hash):
            return
        if encoding:
            self.fail(event.seq, encoding)
        elif (digest or _recomputed(event, self.head.hash)) != event.hash:
            self.fail(event.seq, "content does not match its hash")
        else:
            self.head = ChainHead(event.seq, event.hash)

    def add_hashed(self, seq: int, prev_hash: str, digest: str) -> None:
        """`add` for an event the caller has not read, only found its stored text to
        hash to `digest`, its stored hash (a page of summarised ticks, hashed at once)."""
        if self.failure is None and self._links(seq, prev_hash):
            self.head = ChainHead(seq, digest)

    def add_columns(
        self,
        seqs: list[int],
        prev_hashes: list[str],
        hashes: list[str],
        computed: list[str],
    ) -> bool:
        """`add_hashed` of a page of events at once, as columns compared in C: each in
        turn after the head, naming the hash before it, its text hashing (`computed`,
        found by the caller) to its stored hash.

        False, with nothing added, where anything does not hold: the caller then adds
        the page an event at a time, for the walk to name the first that does not.
        """
        if self.failure is not None or not seqs:
            return True
        first = self.head.seq + 1
        if (
            computed != hashes
            or prev_hashes[0] != self.head.hash
            or prev_hashes[1:] != hashes[:-1]
            or seqs != list(range(first, first + len(seqs)))
        ):
            return False
        self.head = ChainHead(seqs[-1], hashes[-1])
        return True

    def _links(self, seq: int, prev_hash: str) -> bool:
        """Whether event `seq` follows the head and names its hash; else the failure."""
        expected = self.head.seq + 1
        if seq != expected:
            self.fail(expected, f"expected event {expected}, found {seq}")
            return False
        if prev_hash != self.head.hash:
            self.fail(seq, "previous-hash link broken")
            return False
        return True

    def fail(self, seq: int, problem: str) -> None:
        """Record a problem found outside `add` (an unreadable row, a changed head)."""
        if self.failure is None:
            self.failure = (seq, problem)

    def report(self) -> ChainReport:
        head = self.head
        if self.failure is not None:
            seq, problem = self.failure
            return ChainReport(self.incident_id, False, head.seq, head.hash, seq, problem)
        if head.seq == 0:
            return ChainReport(self.incident_id, False, 0, GENESIS_HASH, 1, "no events")
        return ChainReport(self.incident_id, True, head.seq, head.hash)


def _recomputed(event: Event | ProbeTick, prev_hash: str) -> str:
    if isinstance(event, Event):
        return event_hash(event, event.seq, prev_hash)
    return text_hash(
        event.incident_id,
        event.seq,
        event.at_text,
        event.mono_ns,
        event.actor,
        event.kind,
        event.text,
        prev_hash,
    )


def verify_chain(
    incident_id: str, events: Iterable[Event], start: ChainHead = GENESIS
) -> ChainReport:
    """Recompute the chain from `start`; report the first sequence number that does not hold.

    Detects edits (hash mismatch), deletions and insertions (sequence gaps or a
    `prev_hash` that does not link), and reordering (both). The stored text's
    encoding is the store's to check (it alone has the text).
    """
    walk = ChainWalk(incident_id, start)
    for event in events:
        walk.add(event)
    return walk.report()


def head_problem(report: ChainReport, expected_hash: str, found_at: int | None) -> str:
    """Why a verified chain does not hold the head kept elsewhere; "" if it holds it.

    The chain alone cannot show events cut from its end (what is left still
    links); a head hash written down earlier (a report, a ticket) can. `found_at`
    is the seq of the event whose hash is `expected_hash`, if any: a chain that
    holds it, as its head or with events recorded after it, still holds everything
    up to it unchanged (each hash covers the ones before). Events recorded since
    are no damage (a report's own `--check-step` records one), and `head_position`
    counts them.
    """
    if report.head_hash == expected_hash or found_at is not None:
        return ""
    # a prefix (`verify --expect-head` takes 12 digits or more) that starts no hash
    which = "is in no event" if len(expected_hash) == 64 else "starts no event's hash"
    return (
        f"the stored head is event {report.count} {report.head_hash}, not the expected "
        f"{expected_hash}, which {which}: events were cut from the end or rewritten"
    )


def head_position(report: ChainReport, found_at: int) -> str:
    """Where the kept head stands in a chain that holds it (`found_at`, its seq):
    `the expected head`, or `the expected head is event 2 (1 event after it)`."""
    after = report.count - found_at
    if after <= 0:
        return "the expected head"
    return f"the expected head is event {found_at} ({counted(after, 'event')} after it)"
