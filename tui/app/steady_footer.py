"""The footer, rebuilt only when the keys it shows change (beside the widgets: the
screens and the dialogs both show one).

Textual's `Footer` unmounts its keys and mounts new ones each time its screen's
bindings may have changed: the screen's push, each resume (every dialog that
closes), each move of the focus, each `refresh_bindings`. Most of those leave the
same keys, enabled alike. The coordinator's screen rebuilt its footer four times
before its first frame settled, and again after every dialog, each time some
twenty widgets mounted and styled. Here the keys are compared first.

When they do differ, it is mostly by a key or two: `P` comes into the footer with
the last phase and leaves with it. Rebuilt, the footer made a switch into or out of
that phase cost 34-38 ms of CPU where any other switch cost 10-15. So the keys that
stay are kept, and only the ones that come or go are mounted or removed: 20-28 ms,
the rest being the layout of the screen that a mount or a removal asks for.

Keys that do not fit are left out whole, the last first (the screen puts `?` first,
which lists every key, then what is most pressing): Textual's footer cut the key at
the edge mid-word (`c Compo`) and the ones after it were off the screen. `q Quit`,
last, is kept (`KEPT`): its room is set aside first, and the key before it goes in
its place (at 80 columns with `P`, `X`, `m` and `f` in, `q Quit` was left out).

Some keys a screen shows only where the footer has room for them (`if_room`, from
`room_from` columns): narrower they are not in it at all, so the footer is drawn as
it is without them; wider they keep their place among the others, and are the first
left out should the row still not fit. A resize across `room_from` brings them in or
takes them out, as a change of bindings does.
"""

from __future__ import annotations

from collections.abc import Set
from difflib import SequenceMatcher
from typing import Any

from textual.app import ComposeResult
from textual.compose import compose
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

KeysShown = tuple[tuple[object, ...], ...]
"""What a footer draws: each shown binding's key, action, label, group, state and tip."""

KEPT = frozenset({"quit", "app.quit"})
"""The actions whose keys stay in a footer however many others come in: the way out
(everything is already recorded) is the one key that must never be looked for."""


class SteadyFooter(Footer):
    """A `Footer` that skips a rebuild which would draw the keys it already shows."""

    _shown: KeysShown | None = None
    """The keys drawn by the last compose; None before the bindings were ready."""

    _rebuild_pending = False
    """A rebuild is asked for and has not run yet."""

    def __init__(
        self,
        *children: Widget,
        if_room: Set[str] = frozenset(),
        room_from: int = 0,
        **options: Any,
    ) -> None:
        """`Footer`'s arguments, and the keys shown only where there is room for them."""
        super().__init__(*children, **options)
        self.if_room = frozenset(if_room)
        """The actions of keys shown only from `room_from` columns, and left out first."""
        self.room_from = room_from
        """The footer's width from which the `if_room` keys are shown."""

    def _has_room(self) -> bool:
        """Wide enough for the `if_room` keys (the footer's width, once laid out; the
        screen's before)."""
        return (self.size.width or self.screen.size.width) >= self.room_from

    def _left_out(self) -> frozenset[str]:
        """The actions of the keys not in the footer at this width."""
        return frozenset() if self._has_room() else self.if_room

    def keys_to_show(self) -> KeysShown:
        """The keys `compose` would draw now, from the screen's active bindings (but the
        `if_room` keys, while the footer is narrower than `room_from`)."""
        active = self.screen.active_bindings
        left_out = self._left_out()
        keys: list[tuple[object, ...]] = [
            (binding.key, binding.action, binding.description, binding.group, enabled, tooltip)
            for _, binding, enabled, tooltip in active.values()
            if binding.show and binding.action not in left_out
        ]
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            palette = active.get(self.app.COMMAND_PALETTE_BINDING)
            if palette is not None:
                _, binding, enabled, tooltip = palette
                keys.append(("palette", binding.key, binding.description, enabled, tooltip))
        return tuple(keys)

    def compose(self) -> ComposeResult:
        self._rebuild_pending = False
        if self._bindings_ready:
            self._shown = self.keys_to_show()
        left_out = self._left_out()
        for widget in super().compose():
            if not (isinstance(widget, FooterKey) and widget.action in left_out):
                yield widget
        self.call_after_refresh(self.fit_keys)  # once the keys are mounted and styled

    def on_resize(self) -> None:
        if self.if_room and self._bindings_ready:
            self.bindings_changed(self.screen)  # across `room_from`: keys come or go
        self.fit_keys()

    def fit_keys(self) -> None:
        """Show the keys that fit whole, in their order; leave out the rest. The `KEPT`
        keys are fitted first, so the others make room for them; the `if_room` keys
        are fitted last: they go before any other, the last of them first."""
        if not self.is_attached:
            return
        keys = [key for key in self.children if isinstance(key, FooterKey)]
        docked = [key for key in keys if key.has_class("-command-palette")]
        room = self.size.width - sum(key.outer_size.width for key in docked)
        used = 0
        fits = True
        kept = [key for key in keys if key.action in KEPT and key not in docked]
        spare = [key for key in keys if key.action in self.if_room and key not in kept]
        rest = [key for key in keys if key not in spare and key not in kept and key not in docked]
        for key in kept + rest + spare:  # drawn in their order, whichever is fitted first
            margin = key.styles.margin
            width = key.render().cell_len
            fits = fits and used + margin.left + width <= room
            used += margin.left + width + margin.right
            if key.display != fits:
                key.display = fits

    def bindings_changed(self, screen: Screen[object]) -> None:
        """`Footer.bindings_changed`, less a rebuild already asked for or drawing the same keys.

        A rebuild reads the bindings when it runs, so a second change before it runs
        (the screen's push, then its focus) is drawn by the first.
        """
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        if self._rebuild_pending or self.keys_to_show() == self._shown:
            return
        self._rebuild_pending = True
        self.call_after_refresh(self.update_keys)

    async def update_keys(self) -> None:
        """Draw the keys the bindings show now, mounting and removing only those that
        changed; everything again when the keys are grouped, or none are shown yet."""
        if not self.is_attached:
            return  # the screen is closing: nothing to draw
        shown = [key for key in self.children if isinstance(key, FooterKey)]
        if not shown or len(shown) != len(self.children):
            await self.recompose()
            return
        composed = compose(self)  # `compose`, above: reads the bindings
        wanted = [key for key in composed if isinstance(key, FooterKey)]
        if len(wanted) != len(composed):
            await self.recompose()  # grouped keys
            return
        matcher = SequenceMatcher(a=list(map(_looks, shown)), b=list(map(_looks, wanted)))
        async with self.batch():
            for tag, gone_from, gone_to, come_from, come_to in matcher.get_opcodes():
                if tag == "equal":
                    continue
                coming = wanted[come_from:come_to]
                if coming:
                    if gone_from < len(shown):
                        await self.mount_all(coming, before=shown[gone_from])
                    else:
                        await self.mount_all(coming)
                if gone_to > gone_from:
                    await self.remove_children(shown[gone_from:gone_to])
        self.fit_keys()


def _looks(key: FooterKey) -> tuple[object, ...]:
    """What a footer key draws and does: two keys alike draw the same. (Of its classes,
    those it is made with: `-compact` is given it once mounted.)"""
    made_with = (key.has_class("-disabled"), key.has_class("-command-palette"))
    return (key.key, key.key_display, key.description, key.action, key.tooltip, made_with)
