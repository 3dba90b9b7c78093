"""The verbs that read one incident, and those that watch or serve it."""

from __future__ import annotations

from incident.app.params import Kind, Param
from incident.app.verb import OUTPUT, RD, TZ, Verb, json_answer

READING_VERBS: tuple[Verb, ...] = (
    Verb(
        "status",
        "Status",
        "Show an incident: phases, clocks, steps.",
        RD,
        (
            Param(
                "check_polled",
                "only whether anyone polls its probes: a line, exit 1 when nobody does; "
                "no ID: every open incident",
                Kind.FLAG,
                cli_only=True,
            ),
            json_answer("status"),
        ),
        json=True,
        tui=False,
        id_optional=True,
    ),
    Verb(
        "brief",
        "Handoff brief",
        "The incident in 20 lines for a new incident commander: phase and time left, "
        "decisions and why, open gates, triggers, messages, roles.",
        RD,
        (
            json_answer("brief"),
            Param(
                "audience",
                "stakeholders: one plain paragraph for people outside the incident (what "
                "broke, what was done, how production is now, the next update) in clock "
                "times, to paste; commander (the default): the handoff brief",
                Kind.CHOICE,
                choices=("commander", "stakeholders"),
                cli_only=True,
                default="commander",
                spelling="--for",
            ),
            Param(
                "tz",
                "with --for stakeholders: local time shown beside UTC, e.g. Europe/Paris "
                "(default: this machine's zone)",
                Kind.ZONE,
                metavar="ZONE",
                cli_only=True,
            ),
        ),
        key="i",
        json=True,
        id_optional=True,
    ),
    Verb(
        "export",
        "Export report",
        "Export the incident report (Markdown), the whole record (JSON), or the post-mortem "
        "invitation (ics).",
        RD,
        (
            Param(
                "format",
                "what to write (default: the one the -o file's name ends in, .md, .json or "
                ".ics, else markdown; a name for another is refused; json: its JSON Schema: "
                "tui/cli/schemas/export.schema.json, installed with lastgood)",
                Kind.CHOICE,
                choices=("markdown", "json", "ics"),
                cli_only=True,
            ),
            OUTPUT,
            TZ,
            Param(
                "check_step",
                "with -o: check the close-out step it completes (Document the incident), "
                "the file's absolute path, this machine's name and the head hash as evidence; "
                "that check is recorded after "
                "the report, so verify --expect-head with the report's head counts 1 event "
                "after it",
                Kind.FLAG,
                cli_only=True,
            ),
            Param(
                "export",
                "read this JSON export (export --format json) instead of the database, "
                "verified as verify --export verifies it (the ID, if given, must be its)",
                metavar="FILE",
                cli_only=True,
            ),
            Param(
                "audience",
                "org: the Markdown report for readers outside the incident team, notes, "
                "free-text reasons, evidence (host paths), command lines and delivery "
                "errors left out and said so, no head hash; team (the default): all of it",
                Kind.CHOICE,
                choices=("team", "org"),
                cli_only=True,
                default="team",
                spelling="--for",
            ),
        ),
        key="e",
        postmortem=True,
        id_optional=True,
    ),
    Verb(
        "timeline",
        "Timeline",
        "Print the post-mortem timeline (Markdown), grouped by phase.",
        RD,
        (
            Param(
                "gap",
                "call out stretches longer than this with no action recorded (default: 5)",
                Kind.NUMBER,
                metavar="MINUTES",
                cli_only=True,
                default=5.0,
            ),
            OUTPUT,
            TZ,
            json_answer("timeline"),
            Param(
                "export",
                "read this JSON export (export --format json) instead of the database, "
                "verified as verify --export verifies it (the ID, if given, must be its)",
                metavar="FILE",
                cli_only=True,
            ),
        ),
        json=True,
        tui=False,
        id_optional=True,
    ),
    Verb(
        "score",
        "Drill score",
        "A closed drill's score card: each phase against its window, time to decision, the "
        "database tier against the fault, messages on cadence, evidence on verification.",
        RD,
        (json_answer("score"),),
        json=True,
        tui=False,
    ),
    Verb(
        "ics",
        "Calendar file",
        "Export the booked post-mortem meeting as an iCalendar (.ics) file.",
        RD,
        (OUTPUT,),
        tui=False,
        id_optional=True,
    ),
    Verb(
        "replay",
        "Replay",
        "Play a recorded incident back, read-only, from its timestamps.",
        RD,
        (
            Param("speed", "playback speed", Kind.NUMBER, metavar="X", cli_only=True, default=1.0),
            Param(
                "at",
                "start at (or, with --json, print) this moment, to the end of its second: "
                "T+12:30, T+1:02:00, or whole minutes (T+0, T+5)",
                metavar="T+MM:SS",
                cli_only=True,
            ),
            Param(
                "json",
                "print the state at --at as JSON, as status --json does (its JSON "
                "Schema: tui/cli/schemas/status.schema.json, installed with lastgood)",
                Kind.FLAG,
                cli_only=True,
            ),
            Param("paused", "open paused", Kind.FLAG, cli_only=True),
        ),
        json=True,
        tui=False,
        id_optional=True,
    ),
    Verb(
        "monitor",
        "Monitor",
        "Headless: poll probes, send and deliver messages, record it all.",
        RD,
        (
            Param(
                "duration",
                "stop after this long (default: until Ctrl-C)",
                Kind.SECONDS,
                metavar="SECONDS",
                cli_only=True,
                spelling="--for",
            ),
            Param(
                "probes_only",
                "poll and record the probes only; messages are left to another face",
                Kind.FLAG,
                cli_only=True,
            ),
            Param(
                "exit_on_eof",
                "stop when standard input closes (how the TUI runs its probes)",
                Kind.FLAG,
                cli_only=True,
            ),
            Param(
                "keys_first",
                "a shared byte, non-zero while the screen draws a key: polls wait "
                "(how the TUI runs its probes)",
                Kind.COUNT,
                metavar="FD",
                cli_only=True,
            ),
            Param(
                "open",
                "every open incident, as each is declared, instead of one ID: waits while "
                "none is open (for a service)",
                Kind.FLAG,
                cli_only=True,
            ),
            json_answer("monitor-line", "one JSON object per line"),
        ),
        json=True,
        tui=False,
    ),
    Verb(
        "attach",
        "Attach",
        "Follow an incident live from another terminal, read-only.",
        RD,
        tui=False,
        id_optional=True,
    ),
    Verb(
        "serve",
        "Serve",
        "Serve the read-only view `attach` shows to browsers (textual-serve); "
        "GET /health for checks.",
        RD,
        (
            Param(
                "host", "address to bind (default: loopback)", cli_only=True, default="127.0.0.1"
            ),
            Param("port", "port (default 8000)", Kind.COUNT, cli_only=True, default=8000),
            Param(
                "public_url", "the URL browsers use, behind a proxy", metavar="URL", cli_only=True
            ),
            Param(
                "max_viewers",
                "browsers following at once, each an attach process (default 16)",
                Kind.COUNT,
                metavar="N",
                cli_only=True,
                default=16,
            ),
        ),
        tui=False,
        id_optional=True,
    ),
)
"""Reading one incident: in the order help lists them."""
