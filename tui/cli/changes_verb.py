"""`lastgood changes`: what a rollback undoes, before the database tier is chosen."""

from __future__ import annotations

import argparse
from pathlib import Path, PurePosixPath

from incident.core.errors import CommandError
from incident.core.text import visible
from incident.reports.changes import ReleaseChanges
from tui.cli.errors import CliError
from tui.repo import release_changes


def cmd_changes(args: argparse.Namespace) -> int:
    try:
        changes = release_changes(Path(args.repo), args.bad, args.good)
    except CommandError as error:
        raise CliError(str(error)) from error
    print("\n".join(changes_text(changes)))
    return 0


def changes_text(changes: ReleaseChanges) -> list[str]:
    """The changes as lines: a count first, then each list, then the suggested tier."""
    lines = [
        f"Rolling back {visible(changes.bad)} to {visible(changes.good)} undoes "
        f"{_count(len(changes.commits), 'commit')}, {_count(len(changes.files), 'changed file')} "
        f"and {_count(len(changes.migrations), 'migration')}."
    ]
    if changes.commits:
        lines += ["", "commits:"]
        lines += [f"  {c.sha}  {visible(c.subject)}" for c in changes.commits]
    if changes.files:
        lines += ["", "files:"]
        lines += [f"  {f.status}  {visible(f.path)}" for f in changes.files]
    if changes.migrations:
        lines += ["", "migrations added:"]
        for migration in changes.migrations:
            flags = "; ".join(visible(flag) for flag in migration.flags) or "expand only"
            name = visible(PurePosixPath(migration.path).name)
            lines.append(f"  {name} ({migration.tool}): {flags}")
    tier, why = changes.suggested_tier
    lines += ["", f"suggested database tier: {tier} ({visible(why)})"]
    return lines


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
