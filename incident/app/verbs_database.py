"""The verbs about the database as a whole: declaring, listing, checking, moving it,
and the files and drills around it."""

from __future__ import annotations

from incident.app.params import Kind, Param
from incident.app.verb import G, Verb, json_answer

INIT_METHODS = ("kubectl", "helm", "argo-rollouts", "load-balancer", "custom")
"""`runbooks.starter.RollbackMethod`, spelled out so `--help` needs no domain import."""
INIT_MIGRATIONS = (
    "none", "alembic", "django", "rails", "flyway", "liquibase", "golang-migrate", "knex", "prisma",
)  # fmt: skip
"""`runbooks.starter_migrations.MigrationTool`, likewise (a test holds the two equal)."""
INIT_REDUCE = ("max", "min", "sum", "avg")
"""`runbooks.model.Reduce`, likewise."""
RUNBOOK_HELP = (
    "a PATH (with a '/' or a '.', e.g. ./checkout.yaml) is that file; a NAME is a runbook "
    "bundled with lastgood (default: ./lastgood.yaml when the working directory has one, "
    "as lastgood init writes it; else rollback)"
)
"""How `--runbook` is read (`runbooks.resolve`)."""
DRILL_FAULTS = ("bad-release", "slow-release", "irreversible-migration", "flapping-health")
"""`incident.reports.drill_faults.FaultName`, likewise."""

DATABASE_VERBS: tuple[Verb, ...] = (
    Verb(
        "start",
        "Start",
        "Open the coordinator's TUI (the default when no command is given).",
        G,
        (
            Param(
                "runbook",
                f"for new incidents: {RUNBOOK_HELP}",
                metavar="NAME|PATH",
            ),
            Param("incident", "open this incident", metavar="ID"),
            Param(
                "no_probes",
                "do not poll the runbook's probes (webhook messages are still delivered)",
                Kind.FLAG,
            ),
        ),
        tui=False,
    ),
    Verb(
        "declare",
        "Declare",
        "Declare an incident; prints its id alone on stdout.",
        G,
        (
            Param("title", "what is broken, in a few words", Kind.LINE, required=True),
            Param("severity", "SEV1..SEV4", required=True, metavar="SEV1..SEV4"),
            Param("commander", "the incident commander", Kind.NAME, True, metavar="NAME"),
            Param(
                "coordinator",
                "the deployment coordinator, who works the runbook (default: whoever "
                "declares, --as)",
                Kind.NAME,
                metavar="NAME",
            ),
            Param("issue", "what is wrong, for messages", Kind.LINE, metavar="TEXT"),
            Param("eta", "expected time to restore", Kind.MINUTES, metavar="MINUTES"),
            Param("pattern", "the deployment pattern", metavar="blue-green|rolling|recreate"),
            Param("runbook", RUNBOOK_HELP, metavar="NAME|PATH"),
            Param(
                "started_at",
                "back-date T+0 to the impact start (at most 7 days ago); the phase "
                "windows still start at the declaration",
                Kind.MOMENT,
                metavar="ISO8601",
            ),
            Param("channel", "the incident channel", Kind.LINE, metavar="NAME"),
            Param("from_version", "the bad release", Kind.LINE, metavar="VERSION"),
            Param("last_good", "the last known good release", Kind.LINE, metavar="VERSION"),
        ),
        tui=False,
    ),
    Verb(
        "list",
        "List",
        "List incidents (drills left out).",
        G,
        (Param("drills", "list drills too", Kind.FLAG, cli_only=True), json_answer("list")),
        json=True,
        tui=False,
    ),
    Verb(
        "verify",
        "Verify",
        "Recompute an incident's hash chain, and check a SQLite file's pages; "
        "exit 1 if either is broken.",
        G,
        (
            Param("id", "the incident", positional=True, metavar="ID"),
            Param("all", "verify every incident", Kind.FLAG),
            Param(
                "expect_head",
                "a head hash kept elsewhere (a report prints the one it covers), or its "
                "first 12 or more digits as the faces print it: exit 1 if "
                "no event has it (events cut from the end or rewritten); events recorded "
                "after it are counted ('the expected head is event N (M events after it)')",
                metavar="HASH",
            ),
            Param(
                "export",
                "verify a JSON export (export --format json) instead of the database: "
                "its events' chain recomputed from the file, its head and count checked "
                "against what it says (the ID, if given, must be the export's)",
                metavar="FILE",
            ),
            json_answer("verify"),
        ),
        json=True,
        tui=False,
    ),
    Verb(
        "migrate",
        "Migrate",
        "Copy every incident of a SQLite file into a PostgreSQL database with its hashes, "
        "verifying each after; one line per incident, exit 1 if any is refused.",
        G,
        (
            Param("source", "the SQLite file", required=True, metavar="PATH", spelling="--from"),
            Param(
                "target",
                "the database (an incident it holds with other events is refused)",
                required=True,
                metavar="URL",
                spelling="--to",
            ),
        ),
        tui=False,
    ),
    Verb(
        "validate",
        "Validate",
        "Check runbook files; one FILE:LINE:COL line per problem.",
        G,
        (
            Param(
                "files",
                "runbook files (at least one, unless --explain)",
                positional=True,
                metavar="FILE",
            ),
            json_answer("validate"),
            Param(
                "explain",
                "print the runbook format instead: every key of each place, which are "
                "required, the allowed values and placeholders (docs/RUNBOOK_FORMAT.md)",
                Kind.FLAG,
                cli_only=True,
            ),
        ),
        json=True,
        tui=False,
    ),
    Verb(
        "init",
        "Init",
        "Write a runbook for your service (lastgood.yaml): the bundled plan with your probes, "
        "rollback command and migration tool; asks at a terminal for what the options omit.",
        G,
        (
            Param("service", "the service's name", metavar="NAME"),
            Param(
                "health_url", "the URL answering 200 while the service is healthy", metavar="URL"
            ),
            Param(
                "no_health_probe",
                "no health URL (a batch worker): the health probe and its trigger left out",
                Kind.FLAG,
            ),
            Param("version_url", "the URL whose JSON names the running version", metavar="URL"),
            Param(
                "no_version_probe",
                "no version URL: Confirm version takes the version seen, typed",
                Kind.FLAG,
            ),
            Param(
                "version_field",
                "the JSON field holding the version (default: version)",
                metavar="FIELD",
            ),
            Param(
                "prometheus_url", "the Prometheus server (tried once if reachable)", metavar="URL"
            ),
            Param(
                "no_prometheus",
                "no Prometheus: the error-rate probe and its trigger left out",
                Kind.FLAG,
            ),
            Param(
                "error_query",
                "PromQL for the error ratio, 0-1 (default: the 5xx share of http_requests_total)",
                metavar="PROMQL",
            ),
            Param(
                "error_reduce",
                "how the error query's several series make one (default: one series expected; "
                "asked at a terminal when Prometheus gives several)",
                Kind.CHOICE,
                choices=INIT_REDUCE,
            ),
            Param(
                "error_baseline",
                "the error ratio while healthy, 0-1, which Check health's back to baseline "
                "compares with (asked at a terminal; without it, what was seen is asked)",
                Kind.NUMBER,
                metavar="RATIO",
            ),
            Param(
                "status_page",
                "the status page people read (updated by hand, recorded with status-page), "
                "or none (asked at a terminal)",
                metavar="URL|none",
            ),
            Param(
                "method",
                "how a release is rolled back (default: kubectl)",
                Kind.CHOICE,
                choices=INIT_METHODS,
            ),
            Param("target", "the Deployment, Helm release or Rollout (default: the service)"),
            Param("namespace", "its Kubernetes namespace (default: default)", metavar="NS"),
            Param(
                "rollback_command",
                "the command, for --method load-balancer or custom",
                metavar="CMD",
            ),
            Param(
                "migrations",
                "the migration tool (default: none)",
                Kind.CHOICE,
                choices=INIT_MIGRATIONS,
            ),
            Param(
                "output",
                "where to write it (default: lastgood.yaml)",
                short="-o",
                metavar="FILE",
                default="lastgood.yaml",
            ),
            Param("force", "overwrite the file if it exists", Kind.FLAG),
        ),
        tui=False,
    ),
    Verb(
        "changes",
        "What changed",
        "What rolling back undoes: the commits, files and migrations between the bad and "
        "the last good release (git refs), migrations without a down step or dropping data "
        "flagged, and the database tier they suggest.",
        G,
        (
            Param("repo", "the service's git repository", metavar="PATH", default="."),
            Param(
                "bad",
                "the bad release (tag, branch or SHA; default: the incident's, or v + it)",
                metavar="REF",
            ),
            Param("good", "the last good release (default: the incident's)", metavar="REF"),
            Param(
                "incident",
                "record it on this incident, as evidence for its database tier",
                metavar="ID",
            ),
        ),
        tui=False,
    ),
    Verb(
        "demo",
        "Demo",
        "Start a demo shop with a bad release on loopback and open the TUI on its incident "
        "(recorded in --db or $LASTGOOD_DB, else a scratch database it names).",
        G,
        (
            Param(
                "headless",
                "instead, walk a scripted rollback end to end; its report goes beside the "
                "database (report.md, or INC-...-report.md when one is there), path printed",
                Kind.FLAG,
            ),
        ),
        tui=False,
    ),
    Verb(
        "drill",
        "Drill",
        "Rehearse a rollback against the demo shop playing a fault (at random unless named), "
        "recorded as an incident marked drill; its score card shows when it is closed.",
        G,
        (
            Param("fault", "the fault to rehearse", Kind.CHOICE, choices=DRILL_FAULTS),
            Param("seed", "draw the fault and the shop's errors from this seed", Kind.COUNT),
            Param("list_faults", "name the faults and what the shop shows for each", Kind.FLAG),
            Param(
                "headless",
                "no TUI: print the incident's id, serve the shop until the drill is closed "
                "(drive it with the other verbs), then print its score card",
                Kind.FLAG,
            ),
            Param(
                "duration",
                "with --headless: stop after this long, closed or not",
                Kind.SECONDS,
                metavar="SECONDS",
                spelling="--for",
            ),
        ),
        tui=False,
    ),
)
"""The database as a whole: in the order help lists them."""
