"""The app's frames before its other work, and its keys before its frames.

What the first frame does not need waits until it is on the terminal: the network,
the outbox and the probes (`after_first_frame`), and the garbage collector that
`lastgood start` paused while it started, turned on again once start-up's heap is
settled and frozen (`tui.app.heap`). From then on each key is drawn first: the probe
poller gives way from its arrival until just after its frame (`tui.app.keys_first`),
and the interpreter hands its lock between threads more often while the app is up.
Apart from the app's routing (`tui.app.app`): this changes with what the benches
measure of a key press, that with which incident to open.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable

from textual import events

from tui.app.heap import TICK_S, FrozenCollections, settle_heap
from tui.app.keys_first import KeysFirst
from tui.app.type_ahead import TypeAhead

FRAME_WRITTEN_S = 0.05
"""How long what follows a first frame waits, so that the frame reaches the terminal first.

Textual writes frames from a thread of its own. A full garbage collection is C code
that holds the interpreter's lock throughout (25-28 ms at start-up), so started at
once it kept the first frame from the terminal until it ended; 50 ms is ten times
the interpreter's default switch interval, ample for the writer to take its turn."""

SWITCH_INTERVAL_S = 0.001
"""How long a thread runs Python before it must offer the interpreter's lock, while the app
is up (`sys.setswitchinterval`; 5 ms by default).

The screen shares the lock with Textual's input and frame-writing threads and with
the recorder's; a key's work passes through three of them. At 5 ms, a thread that
had work waited up to 5 ms at each handoff to one that was busy. At 1 ms, step
checks answered about 1 ms sooner at the median in runs of 200, interleaved with the
tree before (`bench/README.md`)."""


class FramesFirst(TypeAhead):
    """An app that writes a screen's first frame before what can wait, and a key's
    frame before its probe poller's next poll."""

    def __init__(self) -> None:
        super().__init__()
        self._after_frame: list[tuple[object, Callable[[], object]]] = []
        self._collector_paused = not gc.isenabled()
        """`lastgood start` pauses the garbage collector while it starts (imports, the
        record's fold, the first layout make objects to keep, not garbage); it runs again
        from the first frame of the screen the app opens, once that heap is settled."""
        self._frozen_collections: FrozenCollections | None = None
        """From then on, each full collection's survivors are frozen too (`tui.app.heap`)."""
        self._switch_interval_before = sys.getswitchinterval()
        """The interpreter's switch interval before the app was mounted, given back at unmount."""
        self.keys_first = KeysFirst(
            lambda delay, callback: self.set_timer(delay, callback),
            on_their_way=lambda: self.keys_on_their_way,
        )
        """What gives way from a key's arrival until just after its frame: the probe poller,
        in its child process or on the network thread."""

    def after_first_frame(self, screen: object, callback: Callable[[], object]) -> None:
        """Run `callback` once a frame of `screen` has been written to the terminal.

        What the first frame does not need (the network, the outbox, the probes) waits
        for it: `call_after_refresh` would run during start-up, before anything shows.
        """
        self._after_frame.append((screen, callback))

    def post_display_hook(self) -> None:
        if self._batch_count:
            return  # a batched refresh writes nothing
        self.keys_first.frame_shown()
        if self._collector_paused and len(self.screen_stack) > 1:
            self._collector_paused = False
            self.set_timer(FRAME_WRITTEN_S, self._resume_collector)
        if not self._after_frame:
            return
        shown = [(s, c) for s, c in self._after_frame if s is self.screen]
        self._after_frame = [(s, c) for s, c in self._after_frame if s is not self.screen]
        for _, callback in shown:
            self.set_timer(FRAME_WRITTEN_S, callback)

    def _resume_collector(self) -> None:
        """What start-up made collected once, then the survivors frozen: turned on as it
        was, the collector's first pass would walk every object made while it was off."""
        settle_heap()
        self._frozen_collections = FrozenCollections()
        self._frozen_collections.start()
        self.set_interval(TICK_S, self._frozen_collections.tick)
        gc.enable()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            if not event.is_forwarded:
                self.keys_first.key_arrived()
            if self._frozen_collections is not None:
                self._frozen_collections.key()
        await super().on_event(event)

    def on_mount(self) -> None:
        self._switch_interval_before = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_INTERVAL_S)  # until `on_unmount`

    def on_unmount(self) -> None:
        sys.setswitchinterval(self._switch_interval_before)
        if self._frozen_collections is not None:
            self._frozen_collections.stop()
