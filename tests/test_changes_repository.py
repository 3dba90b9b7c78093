"""Reading the repository for `lastgood changes`: names and subjects as they are,
counts past the list, and git's hangs and refusals in one line, on real repositories."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from tests.cli_helpers import InProcessCli
from tests.git_repos import ALEMBIC_DROP_NO_DOWN, Repo, changes, declared, released


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("0042_drop_müller.py", "0042_drop_müller.py"),
        ("0042_drop\tlegacy.py", "0042_drop␉legacy.py"),
        ('0042_drop_"legacy".py', '0042_drop_"legacy".py'),
        ("0042_drop_\x1b[2Jlegacy.py", "0042_drop_␛[2Jlegacy.py"),
    ],
)
def test_a_migration_named_with_any_character_is_read(tmp_path, name, shown):
    """Git C-quotes such names unless asked for NUL-separated output: the quoted name
    matched no migration path, and a migration that drops data went unseen."""
    path = released(tmp_path, {f"migrations/versions/{name}": ALEMBIC_DROP_NO_DOWN})
    out = changes(tmp_path, path).out
    assert f"  A  migrations/versions/{shown}" in out
    assert f"  {shown} (alembic): no down step; op.drop_column(" in out
    assert out.splitlines()[-1].startswith(f"suggested database tier: restore-backup ({shown}")
    assert "\\303" not in out and "\x1b" not in out


def test_a_subject_with_a_line_separator_is_one_commit(tmp_path):
    """U+2028, \\x1c and \\x85 end a line for str.splitlines: a subject holding one
    forged a commit line and inflated the count, on screen and on the incident."""
    path = tmp_path / "service"
    path.mkdir()
    repo = Repo(path)
    repo.commit("2.4.0", {"a": "0\n"}, tag="v2.4.0")
    subjects = ["fake\u2028deadbeefcafe forged", "sep\x1cabcdef123456", "nel\x85NEXT"]
    for n, subject in enumerate(subjects):
        repo.commit(subject, {"a": f"{n + 1}\n"})
    repo.git("tag", "v2.4.1")
    cli, incident = declared(tmp_path)
    shown = cli.run("changes", "--repo", str(path), "--incident", incident)
    assert shown.code == 0, shown.err
    lines = shown.out.split("\n")
    assert lines[0].startswith("Rolling back v2.4.1 to v2.4.0 undoes 3 commits, ")
    listed = lines[lines.index("commits:") + 1 : lines.index("files:") - 1]
    assert len(listed) == 3
    assert "  sep␜abcdef123456" in listed[1] and "nel\\x85NEXT" in listed[0]
    assert "v2.4.1 → v2.4.0 undoes 3 commits" in cli.ok("status", incident)


def test_a_git_that_hangs_is_stopped_with_one_line(tmp_path, monkeypatch):
    """A git that outlives the timeout (a held lock, a dead mount) raised
    TimeoutExpired as a traceback. The fake git on PATH hangs on `diff` only; the
    timeout is lowered rather than the test waiting a minute."""
    import tui.repo

    path = released(tmp_path, {})
    real_git = shutil.which("git")
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "git").write_text(
        "#!/bin/sh\n"
        'for a in "$@"; do [ "$a" = diff ] && exec sleep 600; done\n'
        f'exec {real_git} "$@"\n'
    )
    (fake / "git").chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(tui.repo, "GIT_TIMEOUT", 0.5, raising=False)
    monkeypatch.setattr(tui.repo, "PROGRESS_AFTER", 0.0, raising=False)
    shown = changes(tmp_path, path)
    assert shown.code == 2
    assert shown.err.splitlines() == [
        f"lastgood changes: reading {path} with git ...",
        f"lastgood changes: git diff in {path} took longer than 0.5 s and was stopped "
        "(a held lock or a slow disk or network mount?)",
    ]


def test_past_the_listed_commits_the_true_count_is_given(tmp_path, monkeypatch):
    """The list stops at MAX_COMMITS (lowered here to 1, for 2 commits): the count
    stopped with it, 'undoes 500 commits' for 49,999, on screen and on the incident."""
    import tui.repo

    monkeypatch.setattr(tui.repo, "MAX_COMMITS", 1)
    path = released(tmp_path, {})
    cli, incident = declared(tmp_path)
    shown = cli.run("changes", "--repo", str(path), "--incident", incident)
    lines = shown.out.split("\n")
    assert lines[0].startswith("Rolling back v2.4.1 to v2.4.0 undoes 2 commits, ")
    at = lines.index("commits (the latest 1 of 2):")
    assert lines[at + 1].endswith("  Bump version") and lines[at + 2] == ""
    assert "v2.4.1 → v2.4.0 undoes 2 commits" in cli.ok("status", incident)


def test_a_shallow_clone_says_the_count_may_be_short(tmp_path):
    """A shallow clone lists only the commits within its depth: the count came out
    short without a word. Git reads `.git/shallow` as the clone's boundary."""
    path = tmp_path / "service"
    path.mkdir()
    repo = Repo(path)
    repo.commit("2.4.0", {"a": "0\n"}, tag="v2.4.0")
    repo.commit("first", {"a": "1\n"})
    repo.commit("second", {"a": "2\n"}, tag="v2.4.1")
    boundary = subprocess.run(
        ["git", "rev-parse", "v2.4.1"], cwd=path, capture_output=True, text=True, check=True
    ).stdout
    (path / ".git" / "shallow").write_text(boundary)
    lines = changes(tmp_path, path).out.split("\n")
    assert lines[0].startswith("Rolling back v2.4.1 to v2.4.0 undoes 1 commit, ")
    assert lines[1] == (
        "(read from a shallow clone: commits past its depth are missing, so the count may "
        "be short; `git fetch --unshallow` reads them all)"
    )


def test_another_users_repository_says_why_git_will_not_read_it(tmp_path, monkeypatch):
    """Git refuses a repository another user owns ('dubious ownership'); the reason
    was lost in 'is not a git repository'. Git's own test switch makes it refuse."""
    path = released(tmp_path, {})
    monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")
    shown = changes(tmp_path, path)
    assert shown.code == 2
    assert shown.err == (
        f"lastgood changes: git will not read {path}: detected dubious ownership (it belongs "
        f"to another user); if you trust it: git config --global --add safe.directory {path}\n"
    )


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("--bad=", "--bad is empty: give a ref"),
        ("--good=", "--good is empty: give a ref"),
        ("--repo=", "--repo is empty: give a path"),
    ],
)
def test_an_empty_option_is_refused_by_name(tmp_path, monkeypatch, option, message):
    """`--bad ''` got 'git rev-parse in …: git failed'; `--repo ''` read the current
    directory (here a repository, so it would have answered)."""
    path = released(tmp_path, {})
    monkeypatch.chdir(path)
    given = {"--repo=": str(path), "--bad=": "v2.4.1", "--good=": "v2.4.0"}
    given[option] = ""
    shown = InProcessCli(tmp_path / "unused.db").run(
        "changes", *(f"{name}{value}" for name, value in given.items())
    )
    assert (shown.code, shown.err) == (2, f"lastgood changes: {message}\n")


@pytest.mark.parametrize(
    ("bad", "good", "warning"),
    [
        ("v2.4.1", "main", "'v2.4.1' and 'main' are the same commit: rolling back undoes nothing"),
        ("v2.4.0", "v2.4.1", "'v2.4.1' is not an ancestor of 'v2.4.0': is the bad release older "
         "than the good, or are they swapped? Listed is what 'v2.4.0' has that 'v2.4.1' has not"),
    ],
)  # fmt: skip
def test_refs_the_wrong_way_round_are_warned_of(tmp_path, bad, good, warning):
    shown = changes(tmp_path, released(tmp_path, {}), bad=bad, good=good)
    assert shown.code == 0
    assert shown.err == f"lastgood changes: warning: {warning}\n"
    assert shown.out.startswith(f"Rolling back {bad} to {good} undoes 0 commits, ")
