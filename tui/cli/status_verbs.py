"""`status` and `list`: what scripts and pipelines ask most often, so what must start fast.

They open the record read-only, fold each incident and print; nothing here loads
the reports, the exports or the runbook loaders (`tui.cli.reading` has those).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from incident.app.listing import (
    close_waits_text,
    incident_state,
    listed,
    recovery_figures,
    standing,
)
from incident.app.session import cannot_read
from incident.app.status_now import status_json, status_on_screen, status_said
from incident.core.chain import damage_data
from incident.core.clock import SystemClock
from incident.core.events import JSONValue, format_timestamp
from incident.core.phase_clocks import elapsed, format_offset
from incident.core.state import IncidentState
from incident.core.text import counted, visible
from incident.reports.drill_faults import drill_label, shown_fault
from runbooks.problems import RunbookError
from store.errors import StoreError
from tui.cli.arguments import Arguments
from tui.cli.context import db_location, incident_of, open_log, open_session, something_at
from tui.cli.damage_words import damage_warning
from tui.cli.fitted import MIN_WIDTH, fitted, terminal_size
from tui.cli.kept_here import kept_here
from tui.cli.shown_stream import json_for_stdout


def cmd_status(args: Arguments) -> int:
    if args.check_polled:  # is anyone polling: a line per incident and an exit status
        from tui.cli.polled_verb import cmd_check_polled

        return cmd_check_polled(args)
    with open_log(args, read_only=True) as log:
        session = open_session(log, incident_of(log, args))
        kept = kept_here(session.state)  # this machine's spool: a screen ended in an outage
        if args.json:
            data = status_json(session)
            data["damage"] = damage_data(session.damage)
            data["kept_here"] = kept
            print(json_for_stdout(data))
        else:
            said = [fitted(damage_warning(session.damage))] if session.damage is not None else []
            after = [fitted(f"Not recorded yet: {kept}")] if kept is not None else []
            size = terminal_size()
            if size is None or size[0] < MIN_WIDTH:
                shown = status_said(session)
            else:  # one row kept for the prompt that follows
                rows = size[1] - 1 - sum(line.count("\n") + 1 for line in [*said, *after])
                shown = "\n".join(status_on_screen(session, size[0], rows))
            print("\n".join([*said, shown, *after]))
    return 0


LISTED_NAME = 24
"""The widest the commander's column of `list` is padded to; a longer name is shown
whole, and moves only its own line's title."""


def _ic(row: dict[str, JSONValue]) -> str:
    """`IC Bo`, or `IC —` when no commander is named."""
    return f"IC {row['commander'] or '—'}"


def cmd_list(args: Arguments) -> int:
    """The incidents in the record, one line each; exit 1 when one cannot be read, which
    is said on stderr while the others are listed."""
    path = db_location(args)
    if isinstance(path, Path) and not something_at(path):
        # Still an empty list, exit 0 (a new machine's default record is made by its
        # first declaration), but said as `status` says it: a mistyped --db shows.
        # With --json, stdout keeps the list alone and stderr says it, so a script
        # (a cron job, a bot) asking "any open incidents?" of a path not mounted
        # leaves a line in its log instead of a silent "none".
        said = f"no incidents yet: no database at {visible(str(path))}"
        if args.json:
            print("[]")
            print(f"lastgood list: {said}", file=sys.stderr)
        else:
            print(said)
        return 0
    rows: list[dict[str, JSONValue]] = []
    labels: list[str] = []  # each row's drill as a line names it; "" for a real incident
    unreadable: list[tuple[str, str]] = []
    with open_log(args, read_only=True) as log:
        path = log.path  # a URL shown without its password
        clock = SystemClock()
        ids = log.incident_ids()

        def readable_states() -> Iterator[IncidentState]:
            """Each incident's state; one that cannot be read is set aside and said, so
            it does not hide the others (`verify --all` says what is wrong with it)."""
            for incident_id in ids:
                try:
                    yield incident_state(log, incident_id)
                except StoreError as error:  # it names the file, the incident and the event
                    if error.transient:  # not this incident's: the record, now (exit 75)
                        raise
                    unreadable.append((incident_id, str(error)))
                except (ValueError, RunbookError) as error:
                    unreadable.append((incident_id, cannot_read(path, incident_id, error)))

        for state in listed(readable_states(), drills=args.drills):
            rows.append(
                {
                    "id": state.id,
                    "severity": state.severity,
                    "status": "closed" if state.is_closed else "open",
                    "standing": standing(state, clock.now()),
                    "close_waits": close_waits_text(state, clock.now()),
                    "commander": state.commander,
                    "title": state.title,
                    "declared_at": format_timestamp(state.declared_at),
                    "elapsed": format_offset(elapsed(state, clock.now())),
                    "drill": shown_fault(state),
                    **(recovery_figures(state, clock.now()) if args.json else {}),
                }
            )
            labels.append(drill_label(state))
    for _, why in unreadable:
        print(f"lastgood list: {visible(why)}", file=sys.stderr)
    if args.json:
        listing: list[JSONValue] = [dict(row) for row in rows]
        listing += [{"id": incident_id, "unreadable": why} for incident_id, why in unreadable]
        print(json_for_stdout(listing))
    elif not rows and not unreadable:
        hidden = len(ids) - len(rows)
        drills = f"; {counted(hidden, 'drill')}: lastgood list --drills" if hidden else ""
        print(f"no incidents yet ({path}{drills})")
    else:
        # columns as wide as their widest entry (a commander's name up to LISTED_NAME)
        standing_w = max(len(str(row["standing"])) for row in rows) if rows else 0
        ic_w = min(LISTED_NAME, max((len(_ic(row)) for row in rows), default=0))
        for row, label in zip(rows, labels, strict=True):
            drill = f"  [{label}]" if label else ""
            print(
                visible(
                    f"{row['id']}  {row['severity']}  {row['standing']:{standing_w}}  "
                    f"{row['elapsed']:>10}  {_ic(row):{ic_w}}  {row['title']}{drill}"
                )
            )
            if "not stable" in str(row["standing"]):  # why `close` refuses what looks done
                print(visible(f"  the close waits: {row['close_waits']}"))
    return 1 if unreadable else 0
