"""The coordinator's keys, footer, help and palette, read from the verb table.

A verb offered in the TUI (`Verb.tui`) is bound to its key when it has one, shown in
the footer when it is frequent (`Verb.footer`), listed by the help screen and offered
by the command palette under its title and help. Keys that move around rather than
record (phases, the due message) are the screen's own.

Three verbs only some steps want (skip, approve, DB tier) are in the footer where it
is wide enough for them beside every other key (`FOOTER_IF_ROOM`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from textual.binding import Binding

from incident.app.next_key import DECIDE_KEY, DUE_KEY
from incident.app.params import Kind, Param
from incident.app.verb import Verb
from incident.app.verbs import BY_NAME, VERBS
from incident.comms.due import due_messages
from incident.core.errors import CommandError
from incident.core.state import IncidentState
from runbooks.model import TriggerKind

TUI_VERBS: tuple[Verb, ...] = tuple(verb for verb in VERBS if verb.tui)
"""What the coordinator can do from the TUI, in the order help lists them."""


def verb_action(verb: Verb) -> str:
    """The screen action that starts `verb`: `verb('db-tier')`."""
    return f"verb({verb.name!r})"


FOOTER_IF_ROOM: frozenset[str] = frozenset(
    verb_action(BY_NAME[name]) for name in ("skip", "approve", "db-tier")
)
"""The actions of the verbs in the footer only where it has room for them
(`SteadyFooter.if_room`): those only some steps want. At 80 columns they took the
room of `c Compose` and `q Quit` once `P`, `X` or a due message's `m` came in (the
guidance panel names `a` and `b` when the highlighted step wants them, and help and
the palette list all three); from `WIDE_FOOTER` columns there is room for them."""

WIDE_FOOTER = 120
"""The footer's width from which `FOOTER_IF_ROOM` come in (`SteadyFooter.room_from`).

The widest row the coordinator's screen can show (`P`, a due message's `m` and
`d Decide` beside every verb, help and quit) draws 103 of 120 columns: the three
keys stay when a key comes or goes, rather than come and go with it. Narrower (at
80 columns it held them in the first minutes only), the footer is as it was
without them."""


def verb_bindings() -> list[Binding]:
    """A binding for each TUI verb with a key; in the footer when the verb says so,
    or where the footer has room (`FOOTER_IF_ROOM`)."""
    return [
        Binding(
            verb.key,
            verb_action(verb),
            verb.title,
            show=verb.footer or verb_action(verb) in FOOTER_IF_ROOM,
            key_display=verb.key_display if "," in verb.key else None,
        )
        for verb in TUI_VERBS
        if verb.key
    ]


DECIDED_KEY = Binding(DECIDE_KEY, "decided", show=False)
"""`d` once the decision is recorded: out of the footer, and it says so rather than
open a dialog whose submit is refused (`IncidentKeys.check_action`)."""

DUE_MESSAGE_KEY = Binding(DUE_KEY, "due_message", "Send due")
"""In the footer only while a message waits, and then right after help (and `P`): at
80 columns the verbs fill the footer, and after them it fell off the edge."""

RESEND_KEY = Binding(BY_NAME["deliver"].key or "f", verb_action(BY_NAME["deliver"]), "Re-send")
"""`f Re-send` in the footer only while a message failed for good (the verb's own
binding, out of the footer, has the same key and action; the first one enabled is the
one shown), right after a due message's `m`: the bar said `✉ 4 FAILED` and nothing on
the screen said how to send them again.

"Re-send", not the verb's "Re-send failed" (help and the palette say that): at 80
columns in the last phase, with `P` and a due message's `m` before it, the longer
label pushed `q Quit` off the footer. Beside the bar's `✉ 1 FAILED` and the step's
`(not delivered: f re-sends)` it needs no more words."""

CLOSE_READY_KEY = Binding("X", "close_ready", "Close")
"""`X` in the footer (after help and `P`) once every required step is done and the
incident is open: the close is what is left, and the coordinator's screen named it
nowhere (only the post-mortem screen did). Otherwise the close verb's own binding,
out of the footer, takes `X` (`IncidentKeys.check_action`).

"Close", not the verb's "Close incident": at 80 columns in the last phase, with `P`
and a due message's `m` before it, the longer label pushed `q Quit` off the footer."""


CLOSED_KEY = Binding("X", "closed_already", show=False)
"""`X` once the incident is closed: out of the footer, and it says so, in the words
`lastgood close` refuses with (`incident.app.lifecycle.closed_already`). The close
verb's binding is off by then (`Verb.open_only`), and `X` did nothing at all."""


def ready_to_close(state: IncidentState) -> bool:
    """Open, every required step done: what is left is the close (`CLOSE_READY_KEY`)."""
    return not state.is_closed and not state.open_required_steps()


NAVIGATION: list[Binding] = [
    Binding("left,left_square_bracket", "phase(-1)", "Prev phase", show=False),
    Binding("right,right_square_bracket", "phase(1)", "Next phase", show=False),
]
"""The screen's keys that are not verbs: they show something rather than record it.

`[` and `]` are given by their key names: given as characters, Textual asks
`unicodedata` for their names, and the pages of its tables it reads stay resident
(`tui.app.key_characters`)."""

POSTMORTEM_KEY = Binding("P", "postmortem", "Post-mortem")
"""Opens the post-mortem screen; in the footer (right after help) in the last phase,
the close-out, and in every phase once the incident is closed: then it is what is
left to do, wherever the screen opens (a closed incident reopened with `start
--incident` opened on phase 1, and its footer had no `P`)."""

POSTMORTEM_ANY_PHASE = Binding("P", "open_postmortem", show=False)
"""`P` in the other phases: the same screen, kept out of the footer. The palette and
the command line record a root cause or a lesson in any phase; a `P` that did nothing
there, while help listed it, read as a broken key."""

HELP_FIRST = Binding("question_mark,f1", "app.help", "Help", key_display="?")
"""The app's help key, bound again first so the footer shows it first: at 80 columns
the verbs fill the footer, and `?` is how the rest are found."""

PANEL_KEYS = (
    "tab",
    "Next panel: checklist, production, guidance, timeline (shift+tab back); "
    "enter on a timeline entry reads it whole",
)
"""Every screen with the four panels moves through them so (Textual's focus order)."""

MOVING_AROUND: tuple[tuple[str, str], ...] = (
    ("↑ ↓", "Move through the checklist"),
    PANEL_KEYS,
    ("← → [ ]", "Show the previous / next phase"),
    ("m", "Review a message the runbook made due (while one waits)"),
    ("P", "Post-mortem: root cause, action items, lessons, meeting, report, close"),
    ("ctrl+p", "Command palette: every verb by name"),
    ("? / F1", "This help"),
    ("q", "Quit (everything is already recorded)"),
    ("ctrl+q", "Quit from anywhere, a dialog too (asks first if it holds typed text)"),
)


def way_to(verb: Verb) -> str:
    """How the coordinator reaches `verb` here, as a refusal names it in place of the
    command line's verb: its key (`c` for a message, or `m` while one is due), else
    its entry on the post-mortem screen, else the palette's."""
    if verb.name == "send":
        return f"key {verb.key_display}, or {DUE_KEY} while it is due"
    if verb.key_display:
        return f"key {verb.key_display}"
    if verb.postmortem:
        return f"P, then {verb.title}"
    return f"palette: {verb.title}"


def in_tui_words(error: CommandError) -> str:
    """A refusal as this face says it: each verb it names in brackets, "(send)", as
    the way to it here, "(key c, or m while it is due)" (`CommandError.verbs`); the
    parameter it is about by its field's label (`label_of`: "Last-good version")."""
    from tui.app.modals.field_labels import label_of

    message = error.said_as(label_of)
    for name in error.verbs:
        verb = BY_NAME.get(name)
        if verb is not None and verb.tui:
            message = message.replace(f"({name})", f"({way_to(verb)})")
    return message


def keys_of(verb: Verb) -> str:
    """How help shows a verb's keys: `space / x`, or `palette` when it has none."""
    return " / ".join(verb.key.split(",")) if verb.key else "palette"


def help_rows() -> list[tuple[str, str]]:
    """One row per TUI verb: its keys, then its title and help."""
    return [(keys_of(verb), f"{verb.title}: {verb.help}") for verb in TUI_VERBS]


def choices_for(
    verb: Verb, state: IncidentState, now: datetime
) -> dict[str, Sequence[tuple[str, str]]]:
    """Each choice parameter's (value, label) options, read from the incident."""
    return {
        param.name: _choices(verb, param, state, now)
        for param in verb.params
        if param.kind is Kind.CHOICE
    }


def _choices(
    verb: Verb, param: Param, state: IncidentState, now: datetime
) -> Sequence[tuple[str, str]]:
    runbook = state.runbook
    if param.name == "role":
        return [(role, f"{role} — {state.roles.get(role) or '(vacant)'}") for role in runbook.roles]
    if param.name == "probe":
        return [(probe.name, probe.name) for probe in runbook.probes]
    if param.name == "trigger":
        manual = [t for t in runbook.triggers if t.kind == TriggerKind.MANUAL]
        return [(t.id, t.title) for t in manual]
    if param.name == "tier":
        return [(tier.id, tier.title) for tier in runbook.database_tiers]
    if param.name == "template" and verb.name == "decline":
        due = sorted({m.template for m in due_messages(state, now)})
        return [(name, name.replace("-", " ")) for name in due]
    if param.name == "template":
        return [(name, name.replace("-", " ")) for name, _ in runbook.templates]
    return [(choice, choice) for choice in param.choices]
