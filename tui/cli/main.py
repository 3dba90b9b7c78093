"""`lastgood`: the command line, for coordinators, scripts and pipelines.

Every error is one line on stderr and a non-zero exit (2 for usage and input
errors, 1 for a failed `verify`); never a traceback. A reader that closes stdout
early (`lastgood list | head -1`) ends the command quietly with exit 141, the
status of a tool killed by SIGPIPE (see `tui.cli.edges`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date, datetime, tzinfo
from typing import NoReturn
from zoneinfo import ZoneInfo

from incident.core.events import parse_timestamp
from incident.reports.postmortem import LESSON_CATEGORIES
from tui.cli import verbs
from tui.cli.edges import VersionAction, guarded
from tui.cli.shown_stream import show_control_characters


class OneLineParser(argparse.ArgumentParser):
    """argparse, but its errors are one line: `lastgood check: error: ...`."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="the event database (default: $LASTGOOD_DB, else the XDG data directory)",
    )


def build_parser() -> OneLineParser:
    common = OneLineParser(add_help=False)
    _db_option(common)
    parser = OneLineParser(
        prog="lastgood",
        description="A terminal companion for emergency production rollbacks.",
        epilog="Run 'lastgood COMMAND --help' for a command's options.",
    )
    _db_option(parser)
    parser.add_argument("--version", action=VersionAction)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help_text, description=help_text, parents=[common])

    p = command("start", "Open the coordinator's TUI (the default when no command is given).")
    p.add_argument("--runbook", default="rollback", metavar="NAME|PATH", help="for new incidents")
    p.add_argument("--incident", metavar="ID", help="open this incident")
    p.add_argument("--no-probes", action="store_true", help="do not poll the runbook's probes")

    p = command("declare", "Declare an incident; prints its id alone on stdout.")
    p.add_argument("--title", required=True)
    p.add_argument("--severity", required=True, metavar="SEV1..SEV4")
    p.add_argument("--commander", required=True, metavar="NAME")
    p.add_argument("--issue", default="", metavar="TEXT", help="what is wrong, for messages")
    p.add_argument("--eta", type=_minutes, metavar="MINUTES", help="expected time to restore")
    p.add_argument("--pattern", metavar="blue-green|rolling|recreate")
    p.add_argument("--runbook", default="rollback", metavar="NAME|PATH")
    p.add_argument("--started-at", metavar="ISO8601", help="back-date T+0 to the impact start")
    p.add_argument("--channel", default="", metavar="NAME")
    p.add_argument("--from-version", default="", metavar="VERSION")
    p.add_argument("--last-good", default="", metavar="VERSION", dest="last_good")

    p = command("check", "Mark a step done.")
    _id_step(p)
    p.add_argument("--by", default="", metavar="NAME")
    p.add_argument("--note", default="", metavar="TEXT")
    p.add_argument("--evidence", default="", metavar="TEXT")

    p = command("skip", "Skip a step, with a reason.")
    _id_step(p)
    p.add_argument("--reason", required=True, metavar="TEXT")
    p.add_argument("--by", default="", metavar="NAME")

    p = command("reopen", "Reopen a done or skipped step (a correction, recorded).")
    _id_step(p)
    p.add_argument("--reason", required=True, metavar="TEXT")

    p = command("approve", "Approve a gated step or a database tier.")
    p.add_argument("id", metavar="ID")
    p.add_argument("target", metavar="STEP|TIER")
    p.add_argument("--by", required=True, metavar="NAME")
    p.add_argument("--reason", required=True, metavar="TEXT")

    p = command("db-tier", "Choose the database rollback tier, with a reason.")
    p.add_argument("id", metavar="ID")
    p.add_argument("tier", metavar="TIER")
    p.add_argument("--reason", required=True, metavar="TEXT")

    p = command("run", "Run a command step's shell command, record its exit code, check it.")
    _id_step(p)
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    p = command("note", "Add a note to the timeline.")
    p.add_argument("id", metavar="ID")
    p.add_argument("text", metavar="TEXT")
    p.add_argument("--pin", action="store_true", help="pin it for the post-mortem")

    p = command("assign", "Give a role to a person.")
    p.add_argument("id", metavar="ID")
    p.add_argument("role", metavar="ROLE")
    p.add_argument("person", metavar="NAME")

    p = command("handoff", "Hand incident command to someone else.")
    p.add_argument("id", metavar="ID")
    p.add_argument("to", metavar="NAME")
    p.add_argument("--reason", default="", metavar="TEXT")

    p = command("page", "Record that a person or team was paged.")
    p.add_argument("id", metavar="ID")
    p.add_argument("target", metavar="WHO")
    p.add_argument("--note", default="", metavar="TEXT")

    p = command("send", "Record a stakeholder message, from a template or as written.")
    p.add_argument("id", metavar="ID")
    p.add_argument("--template", metavar="NAME")
    p.add_argument("--text", metavar="TEXT", help="the exact text (overrides the template)")
    p.add_argument("--channel", default="", metavar="NAME")
    p.add_argument("--preview", action="store_true", help="print the message, record nothing")

    p = command("decline", "Record that a message the runbook made due will not be sent.")
    p.add_argument("id", metavar="ID")
    p.add_argument("template", metavar="TEMPLATE")
    p.add_argument("--reason", required=True, metavar="TEXT", help="why it is not being sent")

    p = command("deliver", "Deliver the incident's messages to its webhooks, with retries.")
    p.add_argument("id", metavar="ID")
    p.add_argument(
        "--wait",
        type=_seconds,
        default=60.0,
        metavar="SECONDS",
        help="give up retrying after this long (default 60)",
    )
    p.add_argument(
        "--resend-failed", action="store_true", help="try messages that failed for good again"
    )
    p.add_argument("--attempts", type=int, metavar="N", help="tries per message (default 8)")

    p = command("severity", "Change the incident's severity.")
    p.add_argument("id", metavar="ID")
    p.add_argument("severity", metavar="SEV1..SEV4")
    p.add_argument("--reason", default="", metavar="TEXT")

    p = command("close", "Close the incident.")
    p.add_argument("id", metavar="ID")
    p.add_argument("--force", action="store_true", help="close with required steps open")
    p.add_argument("--reason", default="", metavar="TEXT")

    p = command("monitor", "Headless: poll probes, send and deliver messages, record it all.")
    p.add_argument("id", metavar="ID")
    p.add_argument(
        "--for",
        dest="duration",
        type=_seconds,
        metavar="SECONDS",
        help="stop after this long (default: until Ctrl-C)",
    )

    p = command("baseline", "Record a probe's baseline: a value, or the median of recent samples.")
    p.add_argument("id", metavar="ID")
    p.add_argument("probe", metavar="PROBE")
    p.add_argument("--value", type=float, metavar="NUMBER")

    p = command("attach", "Follow an incident live from another terminal, read-only.")
    p.add_argument("id", metavar="ID")

    p = command("serve", "Serve the read-only follow view to browsers (textual-serve).")
    p.add_argument("id", metavar="ID")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--public-url", metavar="URL", help="the URL browsers use, behind a proxy")

    p = command("replay", "Play a recorded incident back, read-only, from its timestamps.")
    p.add_argument("id", metavar="ID")
    p.add_argument("--speed", type=float, default=1.0, metavar="X", help="playback speed")
    p.add_argument("--at", metavar="T+MM:SS", help="start at (or, with --json, print) this moment")
    p.add_argument("--json", action="store_true", help="print the state at --at as JSON")
    p.add_argument("--paused", action="store_true", help="open paused")

    p = command("status", "Show an incident: phases, clocks, steps.")
    p.add_argument("id", metavar="ID")
    p.add_argument("--json", action="store_true")

    p = command("list", "List incidents.")
    p.add_argument("--json", action="store_true")

    p = command(
        "export",
        "Export the incident report (Markdown), the whole record with its figures (JSON), "
        "or the post-mortem invitation (ics).",
    )
    p.add_argument("id", metavar="ID")
    p.add_argument("--format", choices=["markdown", "json", "ics"], default="markdown")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    _tz_option(p)

    p = command("timeline", "Print the post-mortem timeline (Markdown), grouped by phase.")
    p.add_argument("id", metavar="ID")
    p.add_argument(
        "--gap",
        type=_gap_minutes,
        default=5.0,
        metavar="MINUTES",
        help="call out stretches longer than this with no action recorded (default: 5)",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    _tz_option(p)

    p = command("ics", "Export the booked post-mortem meeting as an iCalendar (.ics) file.")
    p.add_argument("id", metavar="ID")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")

    p = command("rca", "Record preliminary root-cause analysis (also after close).")
    p.add_argument("id", metavar="ID")
    p.add_argument("text", metavar="TEXT")

    p = command("action", "Add a post-mortem action item (also after close).")
    p.add_argument("id", metavar="ID")
    p.add_argument("text", metavar="TEXT")
    p.add_argument("--owner", default="", metavar="NAME")
    p.add_argument("--due", type=_due_date, metavar="YYYY-MM-DD")

    p = command("lesson", "Record a lesson learned (also after close).")
    p.add_argument("id", metavar="ID")
    p.add_argument("text", metavar="TEXT")
    p.add_argument(
        "--kind",
        choices=list(LESSON_CATEGORIES),
        default="",
        help="what went well, what went wrong, or where we got lucky",
    )

    p = command(
        "schedule-postmortem",
        "Book the blameless post-mortem: it must start 24-48 h after the incident was closed.",
    )
    p.add_argument("id", metavar="ID")
    p.add_argument(
        "--at",
        required=True,
        type=_moment,
        metavar="ISO8601",
        help="start time with a timezone, e.g. 2026-11-29T14:00:00Z",
    )
    p.add_argument(
        "--duration", type=_duration_minutes, default=60, metavar="MIN", help="default: 60"
    )
    p.add_argument("--attendees", default="", metavar="A,B", help="comma-separated names")
    p.add_argument("--force", action="store_true", help="book outside the 24-48 h window")
    p.add_argument("--reason", default="", metavar="TEXT", help="why, when forced")

    p = command("verify", "Recompute an incident's hash chain; exit 1 if it is broken.")
    p.add_argument("id", metavar="ID", nargs="?")
    p.add_argument("--all", action="store_true", help="verify every incident")
    p.add_argument(
        "--expect-head",
        metavar="HASH",
        help="the head hash kept elsewhere (a report, a ticket); exit 1 if the stored "
        "head differs, which is how events cut from the end show",
    )

    p = sub.add_parser(
        "validate",
        help="Check runbook files; one FILE:LINE:COL line per problem.",
        description="Check runbook files; one FILE:LINE:COL line per problem.",
    )
    p.add_argument("files", metavar="FILE", nargs="+")

    p = command(
        "demo",
        "Start a demo shop with a bad release on loopback and open the TUI on its incident.",
    )
    p.add_argument(
        "--headless",
        action="store_true",
        help="instead, walk a scripted rollback end to end and print the report's path",
    )
    return parser


def _id_step(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", metavar="ID")
    parser.add_argument("step", metavar="STEP")


def _minutes(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of minutes") from None
    if value < 0:
        raise argparse.ArgumentTypeError("minutes cannot be negative")
    return value


def _tz_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--tz",
        type=_zone,
        metavar="ZONE",
        help="local time shown beside UTC, e.g. Europe/Paris (default: this machine's zone)",
    )


def _zone(text: str) -> tzinfo:
    try:
        return ZoneInfo(text)
    except (ValueError, KeyError, OSError):
        raise argparse.ArgumentTypeError(f"unknown time zone '{text}'") from None


def _moment(text: str) -> datetime:
    try:
        moment = parse_timestamp(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not an ISO 8601 time with a timezone (e.g. 2026-11-29T14:00:00Z)"
        ) from None
    return moment


def _due_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def _duration_minutes(text: str) -> int:
    value = _minutes(text)
    if value == 0:
        raise argparse.ArgumentTypeError("the meeting needs at least one minute")
    return value


def _gap_minutes(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of minutes") from None
    if not value > 0:
        raise argparse.ArgumentTypeError("the gap must be more than zero minutes")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds") from None
    if not value > 0:
        raise argparse.ArgumentTypeError("seconds must be more than zero")
    return value


@guarded
def main(argv: Sequence[str] | None = None) -> int:
    show_control_characters()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args([*(argv if argv is not None else sys.argv[1:]), "start"])
    try:
        return verbs.dispatch(args)
    except verbs.CliError as error:
        print(f"lastgood {args.command}: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print(f"lastgood {args.command}: interrupted", file=sys.stderr)
        return 130


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
