"""What `lastgood init` writes for a service's migration tool: the database step's
words on its down step and, for a tool whose down step is one command (alembic), the
down-migrations tier's `command` and `verify` (ux_review8 #9)."""

from __future__ import annotations

from enum import StrEnum

from runbooks.serialize import JSONValue


class MigrationTool(StrEnum):
    NONE = "none"
    ALEMBIC = "alembic"
    DJANGO = "django"
    RAILS = "rails"
    FLYWAY = "flyway"
    LIQUIBASE = "liquibase"
    GOLANG_MIGRATE = "golang-migrate"
    KNEX = "knex"
    PRISMA = "prisma"


DOWN_TO = "ALEMBIC_DOWN_TO"
"""The variable the alembic tier's command reads the revision to go back to from: a
runbook cannot know it (each release moves it), so it is given when the step runs."""

DOWN_TIER: dict[MigrationTool, dict[str, JSONValue]] = {
    MigrationTool.ALEMBIC: {
        "command": f'alembic downgrade "${{{DOWN_TO}:?set it to the last good revision}}"',
        "verify": {
            "command": f'alembic current | grep -F -- "${DOWN_TO}"',
            "within_s": 60,
            "every_s": 5,
        },
    },
}
"""The down-migrations tier's `command` and `verify` for a tool whose down step is one
command; its revision left for the coordinator to give (ux_review8 #9)."""

DOWN_STEP = {
    MigrationTool.NONE: "",
    MigrationTool.ALEMBIC: (
        f"With alembic: the down-migrations tier runs `alembic downgrade ${DOWN_TO}`, the "
        f"revision given when it runs (`{DOWN_TO}=<last good revision> lastgood run ...`)."
    ),
    MigrationTool.DJANGO: "With Django: `python manage.py migrate <app> <last good migration>`.",
    MigrationTool.RAILS: "With Rails: `bin/rails db:rollback STEP=<migrations since last good>`.",
    MigrationTool.FLYWAY: "With Flyway: `flyway undo` (undo scripts must exist for each version).",
    MigrationTool.LIQUIBASE: "With Liquibase: `liquibase rollback <tag of the last good release>`.",
    MigrationTool.GOLANG_MIGRATE: "With golang-migrate: `migrate ... down <count>`.",
    MigrationTool.KNEX: "With knex: `knex migrate:rollback`.",
    MigrationTool.PRISMA: (
        "Prisma has no down migrations: write and apply a reverting migration, or take the "
        "restore-backup tier."
    ),
}


def down_tiers(tool: MigrationTool, tiers: JSONValue) -> list[JSONValue]:
    """The bundled tiers, the down-migrations one running `tool`'s down command."""
    down = DOWN_TIER.get(tool)
    assert isinstance(tiers, list)
    written: list[JSONValue] = []
    for tier in tiers:
        assert isinstance(tier, dict)
        written.append({**tier, **down} if down and tier["id"] == "down-migrations" else tier)
    return written


_DOWN_TIER_COMMENT = f"""\
# The down-migrations tier runs alembic where lastgood runs (from the database step,
# once the tier is chosen): give the revision to go back to when you run it,
#   {DOWN_TO}=<last good revision> lastgood run ID database-rollback
# (in the TUI, set it before `lastgood start`), or write the revision in its place.
# Run it with the bad release's migration scripts: they hold the down steps."""


def tier_comment(tool: MigrationTool) -> str | None:
    """What the comment over the tiers adds for the command `down_tiers` wrote."""
    return _DOWN_TIER_COMMENT if tool in DOWN_TIER else None
