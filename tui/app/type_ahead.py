"""Typing ahead: keys that arrive while the screen is still catching up wait their turn.

Textual hands each key, the moment it arrives, to the widget that has the focus
then; what the key does happens a little later: a printable key when the widget
gets to it, a key bound to an action (Backspace, Delete, ctrl+w, Home, the arrows,
a verb) only once it has passed up through the widgets to the app's bindings, which
look the action up from the widget focused *then*. Meanwhile the next keys of a
burst (a laggy SSH link delivers them in one read) are handed out too. So a
Backspace typed before Tab erased from the field Tab moved to, and one typed before
a letter erased that letter. Three more things change where the next key should go
in that moment: a verb key opening a dialog, a dialog being mounted (its field
takes the focus), and Enter in a form (the next field takes it). A coordinator
typing "a, Bo, Enter, reason, Enter" without looking used to have the reason land
in the approver's field, and a reason typed right after `s` went to the checklist,
where its letters are verbs. So the app holds the keys (and pastes) that arrive
meanwhile and hands them on, in order, once the focus is where they were meant to go:

- one at a time: the next is handed out once the last is done, that is once it has
  come back up to the app's bindings (its action has run, a dialog it opens is on
  top), or once a widget on its way up took it (a letter in a field), which a
  callback queued behind it at each widget it passes tells;
- while a dialog on top has not `takes_keys` yet (`LastgoodModal`);
- between `hold_keys` and `release_keys` (a job whose reply may open a dialog,
  `Desk.submit_for_dialog`).

Enter, Tab and shift+Tab in a form (`FormModal`) need no hold of their own: handed on
after the keys typed before them are in the field, they move the focus at once, and
the keys typed after them follow to the field it moved to.
"""

from __future__ import annotations

import asyncio

from textual import events
from textual.app import App
from textual.dom import DOMNode

LANDING_S = 1.0
"""How long a key holds the next before it is given up on, should neither its return
to the bindings nor the callback following it come (a widget removed on its way up):
a lost key must not stop the keyboard. An event loop timer: a Textual timer starts a
task of its own, for every key."""

Typed = events.Key | events.Paste
"""What the app holds and hands on in order: keys, and pastes typed among them."""


def _again(event: Typed) -> Typed:
    """A new event for a held one, to be handed on (an event is dispatched once)."""
    if isinstance(event, events.Paste):
        return events.Paste(event.text)
    return events.Key(event.key, event.character)


def _taken_at(event: Typed, parent: DOMNode) -> bool:
    """Whether `event`, stopped, goes no further up than the widget below `parent`.

    Only saves the walk up to the app for a letter taken by a field deep in a dialog
    (a 200-key burst into the note: 1.05-1.19 ms a key against 1.14-1.61 without,
    medians of 7, on a loaded machine). Read from Textual's own flags: should they be
    renamed, the walk goes on to the app, as before. Textual still hands a stopped
    event to the parent that sent it (`MessagePump._on_message`)."""
    stopped = getattr(event, "_stop_propagation", False)
    return stopped is True and getattr(event, "_sender", parent) is not parent


class TypeAhead(App[None]):
    """An app that keeps keys typed ahead in order and for the field they were meant for."""

    def __init__(self) -> None:
        super().__init__()
        self._holds = 0
        self._held: list[Typed] = []
        self._in_flight: Typed | None = None
        """The key being dispatched: handed to its widget and not yet done."""
        self._landing: asyncio.TimerHandle | None = None
        self._handed: Typed | None = None
        """The held key handed on and not yet arrived. One at a time: a second handed on
        before the first arrived would pass it if a hold began in between (seen in CI,
        a booking's "2026-..." typed as "026-...2")."""

    @property
    def holding_keys(self) -> bool:
        """A key in flight, a hold, or a dialog on top whose field has yet to take the focus."""
        if self._holds > 0 or self._in_flight is not None:
            return True
        return not getattr(self._top(), "takes_keys", True)

    @property
    def keys_on_their_way(self) -> bool:
        """A key handed on that has yet to be done, or one held.

        A frame drawn meanwhile is not that key's (`tui/app/keys_first.py`)."""
        return self._in_flight is not None or self._handed is not None or bool(self._held)

    def _top(self) -> object:
        try:
            return self.screen
        except Exception:  # no screen yet: nothing to type into
            return None

    def hold_keys(self) -> None:
        """Keep the keys that arrive from now until the matching `release_keys`."""
        self._holds += 1

    def release_keys(self) -> None:
        """Undo one `hold_keys`; the held keys go on after what is queued already
        (a dialog the reply pushed, say)."""
        self._holds = max(0, self._holds - 1)
        self.call_later(self._hand_on)

    def screen_takes_keys(self) -> None:
        """The dialog on top has put the focus where typing goes (queued): hand the
        keys on, after that."""
        self.call_later(self._hand_on)

    def _landed(self, event: Typed) -> None:
        if event is not self._in_flight:
            return  # done already (back up at the bindings, or given up on)
        self._in_flight = None
        if self._landing is not None:
            self._landing.cancel()
            self._landing = None
        if self._held:  # a key typed alone hands nothing on: no callback for it
            self.call_later(self._hand_on)

    def _follow(self, event: Typed, node: DOMNode) -> None:
        """Queued behind `event` at `node`, so `node` is done with it. Queued again at
        each widget up the way the event bubbles, this comes once every widget that
        gets the event is done with it: at the app (it came back up), or where a widget
        took it (`_taken_at`)."""
        if event is not self._in_flight:
            return
        parent = node.parent
        if (
            node is self
            or parent is None
            or _taken_at(event, parent)
            or not parent.call_later(self._follow, event, parent)
        ):
            self._landed(event)

    def _hand_on(self) -> None:
        if self._handed is not None or self.holding_keys or not self._held:
            return  # one on its way, or still held: its arrival or the hold's end goes on
        key, *rest = self._held
        self._held = rest
        # One at a time: this one may open a dialog the rest are meant for.
        self._handed = _again(key)
        self.post_message(self._handed)

    async def on_event(self, event: events.Event) -> None:
        if not isinstance(event, Typed):
            await super().on_event(event)
        elif event.is_forwarded:  # on its way up, through the app's bindings
            await super().on_event(event)
            if event is self._in_flight:
                self._landed(event)
        else:
            if event is self._handed:
                self._handed = None
                if self.holding_keys:  # a hold began after it was handed on
                    self._held.insert(0, event)
                    return
                self.call_later(self._hand_on)  # the next, once this one is done
            elif self.holding_keys or self._held or self._handed is not None:
                self._held.append(event)
                return
            await self._dispatch(event)

    async def _dispatch(self, event: Typed) -> None:
        """Hand `event` on (the priority bindings, or the focused widget), and hold the
        next until it is done."""
        self._in_flight = event
        self._landing = asyncio.get_running_loop().call_later(LANDING_S, self._landed, event)
        await super().on_event(event)
        if not event.is_forwarded:
            self._landed(event)  # taken here: a priority binding (Tab, Enter in a form)
            return
        target = self.focused or self.screen  # where Textual sent it
        if not target.call_later(self._follow, event, target):
            self._landed(event)
