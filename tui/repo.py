"""Reading a git repository for what a rollback undoes (`git` itself, run read-only).

Only `git rev-parse`, `log`, `diff`, `ls-tree` and `cat-file` run, never anything
that writes; a ref that does not resolve, a directory that is not a repository or a
git that hangs (a held lock, a dead network mount) is a one-line error.
"""

from __future__ import annotations

import os
import selectors
import subprocess
import time
from collections.abc import Callable
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

GIT_TIMEOUT = 60.0
"""Seconds one git command may take before it is stopped: longer is a hang (a held
lock, a dead network mount), not a large repository. Tests lower it."""

MIGRATION_READ_LIMIT = 4 * 2**20
"""Bytes of a migration read for the checks: a 200 MB one (a data dump) is not read
whole into memory; the rest goes unchecked and the line says so. Tests lower it."""

PROGRESS_AFTER = 1.0
"""Seconds of reading before saying so: a silent terminal in an incident reads as hung."""


def release_changes(
    repo: Path, bad: str, good: str, progress: Callable[[str], None] | None = None
) -> ReleaseChanges:
    """What rolling `bad` back to `good` undoes, read from the repository at `repo`.

    `progress` is told once, with a line to show, when reading takes more than a moment.
    """
    if not repo.is_dir():
        raise CommandError(f"{repo} is not a directory")
    git = _Git(repo, progress)
    git.check_repository()
    shas = []
    for ref in (bad, good):
        if ref.startswith("-"):
            raise CommandError(f"{ref!r} is not a git ref")
        sha = git.output("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", what=ref)
        shas.append(sha.strip())
    warnings: tuple[str, ...] = ()
    if shas[0] == shas[1]:
        warnings = (f"{bad!r} and {good!r} are the same commit: rolling back undoes nothing",)
    elif git.run("merge-base", "--is-ancestor", good, bad)[0] != 0:
        warnings = (
            f"{good!r} is not an ancestor of {bad!r}: is the bad release older than the good, "
            f"or are they swapped? Listed is what {bad!r} has that {good!r} has not",
        )
    # NUL-separated, never split on lines: a subject may hold U+2028, \x1c or \x85,
    # which str.splitlines takes for line ends, and a forged line counts as a commit.
    log = git.output(
        "log", "-z", f"--max-count={MAX_COMMITS}", "--format=%H%x00%s", f"{good}..{bad}"
    )
    fields = log.split("\0")
    commits = tuple(
        Commit(sha[:12], subject)
        for sha, subject in zip(fields[0::2], fields[1::2], strict=False)
        if sha
    )
    count = None
    if len(commits) == MAX_COMMITS:
        count = int(git.output("rev-list", "--count", f"{good}..{bad}").strip())
    shallow = git.output("rev-parse", "--is-shallow-repository").strip() == "true"
    # -z: names as they are, not C-quoted (`"m\303\274ller.py"`), a tab or newline
    # in one no longer splits it.
    diff = git.output("diff", "--name-status", "-z", "--no-renames", good, bad)
    fields = diff.split("\0")
    pairs = zip(fields[0::2], fields[1::2], strict=False)
    files = tuple(ChangedFile(status, path) for status, path in pairs if status)
    listing = git.output("ls-tree", "-r", "-z", "--full-tree", bad)
    entries = (entry.partition("\t") for entry in listing.split("\0") if entry)
    in_bad = {path: meta.split()[2] for meta, _, path in entries}
    migrations = []
    for file in files:
        tool = migration_tool(file.path)
        if file.status != "A" or tool is None:
            continue
        text, whole = git.head(in_bad[file.path], MIGRATION_READ_LIMIT)
        down_file = way_down_file(file.path, tool)
        down_blob = in_bad.get(down_file) if down_file else None
        down = git.head(down_blob, MIGRATION_READ_LIMIT)[0] if down_blob else None
        checked_only = None if whole else MIGRATION_READ_LIMIT
        migrations.append(read_migration(file.path, tool, text, down, checked_only))
    return ReleaseChanges(bad, good, commits, files, tuple(migrations), count, shallow, warnings)


def resolve_ref(repo: Path, version: str) -> str:
    """The ref a release is tagged as: `version` itself, else `v` + it (`2.4.1`, `v2.4.1`)."""
    git = _Git(repo, None)
    for ref in (version, f"v{version}"):
        if not ref.startswith("-") and git.resolves(ref):
            return ref
    raise CommandError(f"neither {version!r} nor 'v{version}' is a commit, tag or branch in {repo}")


class _Git:
    """git run in one repository, each command stopped after `GIT_TIMEOUT`; `progress`
    is told once when the whole reading has taken longer than `PROGRESS_AFTER`."""

    def __init__(self, repo: Path, progress: Callable[[str], None] | None) -> None:
        self.repo = repo
        self.progress = progress
        self.started = time.monotonic()

    def check_repository(self) -> None:
        """A directory git will not read is one line: git's own reason when it is one
        people can act on (another user's repository), else 'not a git repository'."""
        code, _, err = self.run("rev-parse", "--is-inside-work-tree")
        if code == 0:
            return
        said = err.decode("utf-8", "replace")
        if "dubious ownership" not in said:
            raise CommandError(f"{self.repo} is not a git repository")
        hint = [line.strip() for line in said.split("\n") if "safe.directory" in line]
        hint.append(f"git config --global --add safe.directory {self.repo}")
        raise CommandError(
            f"git will not read {self.repo}: detected dubious ownership (it belongs to another "
            f"user); if you trust it: {hint[0]}"
        )

    def resolves(self, ref: str) -> bool:
        try:
            self.output("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", what=ref)
        except CommandError:
            return False
        return True

    def head(self, blob: str, limit: int) -> tuple[str, bool]:
        """At most `limit` bytes of `blob` as text, and whether that is all of it."""
        code, out, err = self.run("cat-file", "blob", blob, limit=limit)
        if len(out) > limit:  # stopped reading: git was killed, its status says nothing
            return out[:limit].decode("utf-8", "replace"), False
        return self._text(code, out, err, ("cat-file",), ""), True

    def output(self, *args: str, what: str = "") -> str:
        code, out, err = self.run(*args)
        return self._text(code, out, err, args, what)

    def _text(self, code: int, out: bytes, err: bytes, args: tuple[str, ...], what: str) -> str:
        """Git's output as text: UTF-8 whatever the locale, an undecodable byte as U+FFFD."""
        if code != 0:
            if what:
                raise CommandError(f"{what!r} is not a commit, tag or branch in {self.repo}")
            first = err.decode("utf-8", "replace").strip().split("\n")[0] or "git failed"
            raise CommandError(f"git {args[0]} in {self.repo}: {first}")
        return out.decode("utf-8", "replace")

    def run(self, *args: str, limit: int | None = None) -> tuple[int, bytes, bytes]:
        """The exit status, stdout and stderr of `git args`, read together so that
        neither pipe fills, waking to keep the deadline and to tell of progress. Past
        `limit` bytes of stdout git is stopped: what was read is more than `limit`."""
        try:
            process = subprocess.Popen(
                ["git", "-C", str(self.repo), *args],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        except FileNotFoundError as error:
            raise CommandError("git is not installed (needed to read what changed)") from error
        deadline = time.monotonic() + GIT_TIMEOUT
        out, err = bytearray(), bytearray()
        with process, selectors.DefaultSelector() as selector:
            assert process.stdout is not None and process.stderr is not None  # both piped
            selector.register(process.stdout, selectors.EVENT_READ, out)
            selector.register(process.stderr, selectors.EVENT_READ, err)
            while selector.get_map():
                self._wait(selector, deadline, process, args)
                if limit is not None and len(out) > limit:
                    process.kill()
                    break
            try:
                code = process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                raise self._too_long(args) from None
        return code, bytes(out), bytes(err)

    def _wait(
        self,
        selector: selectors.BaseSelector,
        deadline: float,
        process: subprocess.Popen[bytes],
        args: tuple[str, ...],
    ) -> None:
        now = time.monotonic()
        if now >= deadline:
            process.kill()
            raise self._too_long(args)
        wake = deadline
        if self.progress is not None:
            tell_at = self.started + PROGRESS_AFTER
            if now >= tell_at:
                self.progress(f"reading {self.repo} with git ...")
                self.progress = None
            else:
                wake = min(wake, tell_at)
        for key, _ in selector.select(wake - now):
            chunk = os.read(key.fd, 65536)
            if chunk:
                key.data.extend(chunk)
            else:
                selector.unregister(key.fileobj)

    def _too_long(self, args: tuple[str, ...]) -> CommandError:
        return CommandError(
            f"git {args[0]} in {self.repo} took longer than {GIT_TIMEOUT:g} s and was stopped "
            "(a held lock or a slow disk or network mount?)"
        )
