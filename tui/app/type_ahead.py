"""Typing ahead: keys that arrive while the screen is still catching up wait their turn.

Textual hands each key, the moment it arrives, to the widget that has the focus
then; what the key does happens a little later, once the key has passed up through
the widgets to the bindings. Three things change where the next key should go in
that moment: a verb key opening a dialog, a dialog being mounted (its field takes
the focus), and Enter in a form (the next field takes it). A coordinator typing
"a, Bo, Enter, reason, Enter" without looking used to have the reason land in the
approver's field, and a reason typed right after `s` went to the checklist, where
its letters are verbs. So the app holds the keys that arrive meanwhile and hands
them on, in order, once the focus is where they were meant to go:

- on a screen with `serial_keys` (the coordinator's), one key at a time: the next
  is handed out once the last has come back up to the app's bindings (its verb has
  run, a dialog it opens is on top);
- while a dialog on top has not `takes_keys` yet (`LastgoodModal`);
- between `hold_keys` and `release_keys` (Enter in a form, `FormModal`).
"""

from __future__ import annotations

from textual import events
from textual.app import App
from textual.timer import Timer

LANDING_S = 1.0
"""How long a key on a `serial_keys` screen holds the next before it is given up on:
a widget that consumes a key (it never comes back up) must not stop the keyboard."""


class TypeAhead(App[None]):
    """An app that keeps keys typed ahead in order and for the field they were meant for."""

    def __init__(self) -> None:
        super().__init__()
        self._holds = 0
        self._held: list[events.Key] = []
        self._in_flight: events.Key | None = None
        self._landing: Timer | None = None
        self._handed: events.Key | None = None
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
        """A key handed on that has yet to come back up to the bindings, or one held.

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
        (the focus moving, from `Widget.focus`)."""
        self._holds = max(0, self._holds - 1)
        self.call_later(self._hand_on)

    def screen_takes_keys(self) -> None:
        """The dialog on top has put the focus where typing goes (queued): hand the
        keys on, after that."""
        self.call_later(self._hand_on)

    def _landed(self) -> None:
        self._in_flight = None
        if self._landing is not None:
            self._landing.stop()
            self._landing = None
        self.call_later(self._hand_on)

    def _hand_on(self) -> None:
        if self._handed is not None or self.holding_keys or not self._held:
            return  # one on its way, or still held: its arrival or the hold's end goes on
        key, *rest = self._held
        self._held = rest
        # One at a time: this one may open a dialog the rest are meant for.
        self._handed = events.Key(key.key, key.character)
        self.post_message(self._handed)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            if not event.is_forwarded:
                if event is self._handed:
                    self._handed = None
                    if self.holding_keys:  # a hold began after it was handed on
                        self._held.insert(0, event)
                        return
                    self.call_later(self._hand_on)  # the next, once this one has gone
                elif self.holding_keys or self._held or self._handed is not None:
                    self._held.append(event)
                    return
                if getattr(self._top(), "serial_keys", False):
                    self._in_flight = event
                    self._landing = self.set_timer(LANDING_S, self._landed)
            elif event is self._in_flight:
                await super().on_event(event)  # the bindings: the verb runs
                self._landed()
                return
        await super().on_event(event)
