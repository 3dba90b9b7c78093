"""The TUI's side of "text is data": what people, runbooks and probes wrote is shown
as written, never parsed as markup and never passed raw to the terminal.

A note holding `[/bold]` once froze the live screen and left the incident unopenable,
because a `str` given to a Label, a DataTable cell or a toast is read as Textual
markup. Widgets therefore get `Text` objects built here (or `Text.append` with
`visible(...)`), and the apps' toasts go through `PlainToasts`.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import App
from textual.notifications import Notification, Notify, SeverityLevel
from textual.screen import Screen
from textual.widgets._toast import ToastRack

from incident.core.text import visible, visible_block


def plain(text: str, style: str = "") -> Text:
    """One line of data as a `Text`: no markup, control characters shown."""
    return Text(visible(text), style=style, no_wrap=True, overflow="ellipsis")


def reason_first(error: Exception) -> str:
    """A store's error for a toast: what is wrong, then where (`StoreError` puts the
    path first, for the CLI's one line). A PostgreSQL URL fills a toast's width at
    100x30, and the words after it ("retrying", "cannot connect") were cut off."""
    from store.errors import StoreError

    if isinstance(error, StoreError):
        return f"{error.reason} ({error.path})"
    return str(error)


UNTIL_REPLACED_S = 3600.0
"""How long a toast that says something is wrong stays up when the toast that says
it is right again takes its title and so replaces it ("Lost the connection",
"Webhook deliveries paused"): as good as until then."""

MAX_TOASTS = 2
"""Toasts live at once. With `app.tcss`'s compact toasts, two fit in the blank rows at
the checklist's foot at 120x40, so toasts never cover the steps, the guidance or the
timeline; under 38 rows, and in one column, only the last shows (one that `holds`, else
the newest), and the one before it once that one is gone, if it is still live."""

HOLDS_FROM_S = 30.0
"""A warning or an error raised for this long or longer `holds` its place: the rollback
decided at another terminal (30 s), the commands to run by hand, nobody polling
production (60 s). Lesser news never takes its place: the due messages' toast the
decision raises and a note from another terminal pushed the decision off within its
first seconds. The lesser news is in the timeline too.

Not a toast up `UNTIL_REPLACED_S` (the record out of reach, deliveries paused): it
stands for a state that may last an hour, and holding its place would keep every other
toast off the screen under 38 rows as long; newer toasts go in front of it, as before."""


def holds(notification: Notification) -> bool:
    """Whether `notification` stays up for its time whatever lesser news comes after it."""
    if notification.severity == "information":
        return False
    return HOLDS_FROM_S <= notification.timeout < UNTIL_REPLACED_S


STACKED_BELOW = 60
"""The width under which the incident view is one column (`-stacked`, app.tcss). Side by
side, the checklist keeps its 36 cells and Production has the rest: at 60 columns (24
cells) each probe's row still holds its state word and its value whole (`✖ err… FAILING
13.1%`; the threshold gave way from 66, the version's last good one from 69); at 59 the
value was cut (`FAILING 13.…`), and at a phone's 46 columns the column was 10 cells wide
(`✖ err…`), 4 in serve's page at 40 (ux_review13 #1). One column costs the checklist its
height, which 60x20 and 80x24 keep."""

SCREEN_WIDTHS: list[tuple[int, str]] = [
    (0, "-stacked"),
    (STACKED_BELOW, "-narrow"),
    (100, "-wide"),
]
"""The screens' classes by width (Textual's horizontal breakpoints), the apps' alike: one
column under `STACKED_BELOW` (`-stacked`), two columns from it (`-narrow` under 100,
`-wide` from 100)."""

SCREEN_HEIGHTS: list[tuple[int, str]] = [(0, "-cramped"), (24, "-short"), (38, "-tall")]
"""The screens' classes by height (Textual's vertical breakpoints), the apps' and their
dialogs' alike: under 24 rows, 24 to 37 (80x24), and tall enough for two seven-line
toasts at the checklist's foot. Where the toasts go and how many show, and where a dialog
sits, depend on them (app.tcss, `tui.app.modals.base`)."""


class PlainToasts(App[None]):
    """An app whose toasts show their message as text: messages quote what people typed.

    Toasts are merged: a new one replaces a live one with the same title (the newest
    says it best: "3 messages due" after "2 messages due"), and only `MAX_TOASTS` stay,
    so a burst of news never stacks up over the work. Those that `hold` are kept first
    (the oldest lesser one goes, then the oldest that holds), lesser news finding no room
    beside them is not shown, and they are put last, where the rack shows its one toast
    under 38 rows and in one column: the rollback decided at another terminal stays up
    for its 30 seconds through any notes that follow it.

    Each toast shows once, on the screen on top. Textual gives every screen a rack of
    toasts and fills only the top one's; a screen beneath a dialog, drawn through it,
    kept the toasts it had when the dialog opened: at 120x40 a toast showed at the
    dialog's top and again over the timeline, and one taken down meanwhile (merged,
    replaced) stayed up beneath. The racks beneath are hidden; a screen back on top
    fills its own again (Textual, on its resume).
    """

    def on_mount(self) -> None:
        self.screen_change_signal.subscribe(self, self._hide_toasts_beneath, immediate=True)

    def _hide_toasts_beneath(self, _top: Screen[object]) -> None:
        for screen in self.screen_stack[:-1]:
            for rack in screen.children:
                if isinstance(rack, ToastRack) and rack.display:
                    rack.display = False

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        super().notify(
            visible_block(message),
            title=visible(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def action_help_quit(self) -> None:
        """ctrl+c: which key quits. Textual says it in markup (`[b]ctrl+q[/b]`), which
        these toasts show as typed; the same words, as text."""
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(f"Press {key} to quit the app", title="Do you want to quit?")
                return

    def on_notify(self, event: Notify) -> None:
        """Take the toast in, and drop what it supersedes.

        This handler runs before Textual's own (`App._on_notify`, later in the MRO),
        which would add the toast after the ones put last here, or again after it was
        dropped: it is stopped, and the toast added here. Textual keeps its toasts in
        `_notifications` and removes one with `_unnotify`; it has no public way to
        withdraw a toast early.
        """
        event.prevent_default()
        new = event.notification
        live = list(self._notifications)
        self._notifications.add(new)
        stale = [n for n in live if n.title == new.title]
        kept = [n for n in live if n not in stale]
        held = [n for n in kept if holds(n)]
        if not holds(new) and len(held) >= MAX_TOASTS:
            stale.append(new)  # no room beside what holds
        else:
            lesser_first = [n for n in kept if not holds(n)] + held
            stale += lesser_first[: max(0, len(kept) - (MAX_TOASTS - 1))]
        for notification in stale:
            self._unnotify(notification, refresh=False)
        if new not in stale and not holds(new):
            self._put_last([n for n in held if n not in stale])
        self._refresh_notifications()

    def _unnotify(self, notification: Notification, refresh: bool = True) -> None:
        """Forget `notification`, and take its toast down with the holder it sits in.

        Textual's rack takes down a forgotten toast but leaves its `ToastHolder`, empty,
        in the rack (only a toast that expires takes its holder with it): one for each
        toast merged, withdrawn or put last, and under 38 rows an empty holder last in
        the rack hid the live toast before it."""
        super()._unnotify(notification, refresh=False)
        holder_id = f"--textual-toast-{notification.identity}"
        for screen in self.screen_stack:
            for rack in screen.children:
                if isinstance(rack, ToastRack):
                    for holder in rack.children:
                        if holder.id == holder_id:
                            holder.remove()
        if refresh:
            self._refresh_notifications()

    def _put_last(self, held: list[Notification]) -> None:
        """Raise `held` again after the newest, their expiry kept: the rack mounts a new
        toast at its end, and under 38 rows shows only its last."""
        from dataclasses import replace
        from uuid import uuid4

        for notification in held:
            self._unnotify(notification, refresh=False)
            self._notifications.add(replace(notification, identity=str(uuid4())))

    def revise(self, title: str, message: str) -> None:
        """The live toast titled `title` says `message` instead, for the time it had
        left; with none live, nothing is shown ("3 messages due" stayed up, unchanged,
        after one of the three was sent). Textual has no public way to change a toast:
        it is taken down and put up again, with its expiry kept."""
        from dataclasses import replace

        text = visible_block(message)
        stale = [n for n in self._notifications if n.title == visible(title) and n.message != text]
        for old in stale:
            self._unnotify(old, refresh=False)
            self._notifications.add(replace(old, message=text, identity=f"{old.identity}-r"))
        if stale:
            self._refresh_notifications()

    def withdraw(self, title: str) -> None:
        """Take down the live toasts titled `title`: what they said no longer holds."""
        stale = [n for n in self._notifications if n.title == visible(title)]
        for notification in stale:
            self._unnotify(notification, refresh=False)
        if stale:
            self._refresh_notifications()
