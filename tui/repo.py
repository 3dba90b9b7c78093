"""Reading a git repository for what a rollback undoes (`git` itself, run read-only).

Only `git log`, `git diff`, `git ls-tree` and `git cat-file` run, never anything that writes; a ref
that does not resolve or a directory that is not a repository is a one-line error.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from incident.core.errors import CommandError
from incident.reports.changes import (
    ChangedFile,
    Commit,
    ReleaseChanges,
    migration_tool,
    read_migration,
    way_down_file,
)

MAX_COMMITS = 500
"""More than this between two releases is listed by count, not one by one."""


def release_changes(repo: Path, bad: str, good: str) -> ReleaseChanges:
    """What rolling `bad` back to `good` undoes, read from the repository at `repo`."""
    if not repo.is_dir():
        raise CommandError(f"{repo} is not a directory")
    _git(repo, "rev-parse", "--is-inside-work-tree", missing=f"{repo} is not a git repository")
    for ref in (bad, good):
        if ref.startswith("-"):
            raise CommandError(f"{ref!r} is not a git ref")
        _git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", what=ref)
    # NUL-separated, never split on lines: a subject may hold U+2028, \x1c or \x85,
    # which str.splitlines takes for line ends, and a forged line counts as a commit.
    log = _git(
        repo, "log", "-z", f"--max-count={MAX_COMMITS}", "--format=%H%x00%s", f"{good}..{bad}"
    )
    fields = log.split("\0")
    commits = tuple(
        Commit(sha[:12], subject)
        for sha, subject in zip(fields[0::2], fields[1::2], strict=False)
        if sha
    )
    # -z: names as they are, not C-quoted (`"m\303\274ller.py"`), a tab or newline
    # in one no longer splits it.
    diff = _git(repo, "diff", "--name-status", "-z", "--no-renames", good, bad)
    fields = diff.split("\0")
    pairs = zip(fields[0::2], fields[1::2], strict=False)
    files = tuple(ChangedFile(status, path) for status, path in pairs if status)
    listing = _git(repo, "ls-tree", "-r", "-z", "--full-tree", bad)
    entries = (entry.partition("\t") for entry in listing.split("\0") if entry)
    in_bad = {path: meta.split()[2] for meta, _, path in entries}
    migrations = []
    for file in files:
        tool = migration_tool(file.path)
        if file.status != "A" or tool is None:
            continue
        text = _git(repo, "cat-file", "blob", in_bad[file.path])
        down_file = way_down_file(file.path, tool)
        down_blob = in_bad.get(down_file) if down_file else None
        down = _git(repo, "cat-file", "blob", down_blob) if down_blob else None
        migrations.append(read_migration(file.path, tool, text, down))
    return ReleaseChanges(bad, good, commits, files, tuple(migrations))


def resolve_ref(repo: Path, version: str) -> str:
    """The ref a release is tagged as: `version` itself, else `v` + it (`2.4.1`, `v2.4.1`)."""
    for ref in (version, f"v{version}"):
        if not ref.startswith("-") and _resolves(repo, ref):
            return ref
    raise CommandError(f"neither {version!r} nor 'v{version}' is a commit, tag or branch in {repo}")


def _resolves(repo: Path, ref: str) -> bool:
    try:
        _git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", what=ref)
    except CommandError:
        return False
    return True


def _git(repo: Path, *args: str, what: str = "", missing: str = "") -> str:
    """Git's output as text: UTF-8 whatever the locale, an undecodable byte shown as U+FFFD."""
    try:
        done = subprocess.run(
            ["git", "-C", str(repo), *args],
            capture_output=True,
            timeout=60,
            check=False,
        )
    except FileNotFoundError as error:
        raise CommandError("git is not installed (needed to read what changed)") from error
    if done.returncode != 0:
        if missing:
            raise CommandError(missing)
        if what:
            raise CommandError(f"{what!r} is not a commit, tag or branch in {repo}")
        first = done.stderr.decode("utf-8", "replace").strip().split("\n")[0] or "git failed"
        raise CommandError(f"git {args[0]} in {repo}: {first}")
    return done.stdout.decode("utf-8", "replace")
