"""`lastgood changes`: what a rollback undoes, before the database tier is chosen.

With `--incident ID` it is recorded on the incident, where the database step, the
TUI's tier dialog, `status` and the report show it; the releases default to the
ones the incident was declared with (`2.4.1`, or the tag `v2.4.1`).
"""

from __future__ import annotations

import sys
from pathlib import Path

from incident.core.errors import CommandError
from incident.core.text import counted, visible
from incident.reports.changes import ReleaseChanges
from tui.cli.arguments import Arguments
from tui.cli.context import actor_name, open_log, open_session, refused
from tui.cli.edges import os_path
from tui.cli.errors import CliError
from tui.repo import release_changes, resolve_ref


def cmd_changes(args: Arguments) -> int:
    for option, value in (("--repo", args.repo), ("--bad", args.bad), ("--good", args.good)):
        if value == "":  # git takes '' for the current directory, and no ref as HEAD
            raise CliError(f"{option} is empty: give a {'path' if option == '--repo' else 'ref'}")
    repo = Path(os_path(args.repo, "--repo"))
    if args.incident is None:
        if args.bad is None or args.good is None:
            raise CliError("--bad and --good needed (or --incident ID, to use its releases)")
        print("\n".join(changes_text(_read(repo, args.bad, args.good))))
        return 0
    from incident.app.changes import record_changes

    with open_log(args) as log:
        session = open_session(log, args.incident)
        state = session.state
        bad = args.bad or _release(repo, state.from_version, "the bad release", "--bad")
        good = args.good or _release(repo, state.last_good_version, "the last good", "--good")
        changes = _read(repo, bad, good)
        print("\n".join(changes_text(changes)))
        try:
            done = record_changes(session, actor_name(args), changes)
        except CommandError as error:
            raise refused(error) from None
        print(done.said)
    return 0


def _read(repo: Path, bad: str, good: str) -> ReleaseChanges:
    try:
        changes = release_changes(repo, bad, good, _progress)
    except CommandError as error:
        raise CliError(str(error)) from error
    for warning in changes.warnings:
        print(f"lastgood changes: warning: {visible(warning)}", file=sys.stderr)
    return changes


def _progress(line: str) -> None:
    print(f"lastgood changes: {visible(line)}", file=sys.stderr, flush=True)


def _release(repo: Path, version: str, what: str, option: str) -> str:
    if not version:
        raise CliError(f"the incident does not name {what}: give {option} REF")
    try:
        return resolve_ref(repo, version)
    except CommandError as error:
        raise CliError(f"{error} (give {option} REF)") from error


def changes_text(changes: ReleaseChanges) -> list[str]:
    """The changes as lines: a count first, then each list, then the suggested tier."""
    lines = [
        f"Rolling back {visible(changes.bad)} to {visible(changes.good)} undoes "
        f"{counted(changes.undone, 'commit')}, {counted(len(changes.files), 'changed file')} "
        f"and {counted(len(changes.migrations), 'migration')}."
    ]
    if changes.shallow:
        lines.append(
            "(read from a shallow clone: commits past its depth are missing, so the count "
            "may be short; `git fetch --unshallow` reads them all)"
        )
    if changes.commits:
        listed = len(changes.commits)
        cut = f" (the latest {listed} of {changes.undone})" if listed < changes.undone else ""
        lines += ["", f"commits{cut}:"]
        lines += [f"  {c.sha}  {visible(c.subject)}" for c in changes.commits]
    if changes.files:
        lines += ["", "files:"]
        lines += [f"  {f.status}  {visible(f.path)}" for f in changes.files]
    if changes.migrations:
        lines += ["", "migrations added:"]
        lines += [f"  {visible(migration.line)}" for migration in changes.migrations]
    tier, why = changes.suggested_tier
    lines += ["", f"suggested database tier: {tier} ({visible(why)})"]
    return lines
