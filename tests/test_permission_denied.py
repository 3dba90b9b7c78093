"""A record another user owns: one line naming the permission, whose it is and who asked,
exit 2, in every verb (ux_review14 #2).

A service user owning `/var/lib/lastgood/lastgood.db` (directory 0750, file 0600) and a
person on the same bastion: every verb gave a `PermissionError` traceback from the
check that anything is there, and once the directory could be entered, `its directory
is read-only` (for a reader) or `unable to open database file`.

`.ci/run` runs as root, whom no mode refuses, and the interpreter lives where another
user may not read it (pyenv's, under /root): the verbs run in a forked child that
became `nobody` (`os.setuid`), after the parent imported what they load, so the system
refuses the child for real. Run as anyone else, the record is the runner's own with
its modes taken away, and the verbs run as processes.
"""

from __future__ import annotations

import io
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import IO

import msgspec
import pytest

from tests.cli_helpers import DECLARED, ROOT, Cli, Result, declare, lastgood_command

AS_ROOT = os.geteuid() == 0
NOBODY = pwd.getpwnam("nobody") if AS_ROOT else None
ME = pwd.getpwuid(os.geteuid()).pw_name
YOU = "nobody" if AS_ROOT else ME
CLOSED_DIRECTORY = 0o700 if AS_ROOT else 0o000
CLOSED_FILE = 0o600 if AS_ROOT else 0o000


@pytest.fixture
def shared() -> Iterator[Path]:
    """A directory every user can enter (pytest's own is its owner's alone)."""
    base = Path(tempfile.mkdtemp(prefix="lastgood-perm-"))
    base.chmod(0o755)
    try:
        yield base
    finally:
        for path in (base, *base.rglob("*")):
            if path.is_dir():
                path.chmod(0o700)
        shutil.rmtree(base)


def as_someone_else(cli: Cli, *argv: str) -> Result:
    """`lastgood ARGV` as a user the record's modes refuse: `nobody` in a forked child
    when the tests run as root, else the runner, in a process of its own."""
    if not AS_ROOT:
        return cli.run(*argv)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        return _forked_as_nobody(argv, cli.env, out, err)


def _forked_as_nobody(
    argv: tuple[str, ...], env: dict[str, str], out: IO[bytes], err: IO[bytes]
) -> Result:
    from tui.cli.main import main

    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child's lines are read by the parent
        code = 70
        try:
            os.dup2(out.fileno(), 1)
            os.dup2(err.fileno(), 2)
            sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
            sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
            os.environ.clear()
            os.environ.update(
                {k: v for k, v in env.items() if k in ("PATH", "LASTGOOD_DB", "LANG")}
            )
            os.environ.update(LASTGOOD_USER="Bo", HOME="/nonexistent")
            assert NOBODY is not None
            os.setgroups([])
            os.setgid(NOBODY.pw_gid)
            os.setuid(NOBODY.pw_uid)
            code = main(list(argv))
        except BaseException as error:  # a traceback is the defect this file is about
            sys.stderr.write(f"Traceback (escaped main): {error!r}\n")
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    out.seek(0)
    err.seek(0)
    return Result(os.waitstatus_to_exitcode(status), out.read().decode(), err.read().decode())


def loaded(cli: Cli, *argvs: tuple[str, ...]) -> None:
    """Each verb run once here, as the record's owner, refused before it records: what
    it imports is then in the process a forked child inherits (`nobody` may not read
    the interpreter's library)."""
    for argv in argvs:
        with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
            from unittest import mock

            from tui.cli.main import main

            with mock.patch.dict(os.environ, cli.env):
                main(list(argv))


VERBS = (
    ("status", "{id}"),
    ("brief", "{id}"),
    ("timeline", "{id}"),
    ("export", "{id}"),
    ("verify", "{id}"),
    ("list",),
    ("note", "{id}", "hello"),
    ("monitor", "{id}", "--for", "1"),
)
"""Readers and writers, the monitor among them."""


def record_in(shared: Path) -> tuple[Cli, str, Path]:
    directory = shared / "svc"
    directory.mkdir(mode=0o755)
    cli = Cli(directory / "lastgood.db", actor="Ada")
    incident_id = declare(cli)
    loaded(
        cli,
        *[tuple(word.format(id="INC-20000101-0000") for word in verb) for verb in VERBS],
        ("list",),
    )
    return cli, incident_id, directory


def refused_everywhere(cli: Cli, incident_id: str, said: str) -> None:
    for verb in VERBS:
        argv = [word.format(id=incident_id) for word in verb]
        done = as_someone_else(cli, *argv)
        assert done.code == 2, (argv, done)
        assert done.err == f"lastgood {argv[0]}: {said}\n", argv
        assert "Traceback" not in done.err + done.out


def test_a_directory_that_cannot_be_entered_is_named_with_its_owner_and_mode(
    shared: Path,
) -> None:
    cli, incident_id, directory = record_in(shared)
    directory.chmod(CLOSED_DIRECTORY)
    refused_everywhere(
        cli,
        incident_id,
        f"{cli.db}: permission denied on its directory {directory} (owned by {ME}, "
        f"group {_group(directory)}, mode {CLOSED_DIRECTORY:04o}; you are {YOU})",
    )


def test_a_file_that_cannot_be_read_is_named_with_its_owner_and_mode(shared: Path) -> None:
    cli, incident_id, _ = record_in(shared)
    cli.db.chmod(CLOSED_FILE)
    refused_everywhere(
        cli,
        incident_id,
        f"{cli.db}: permission denied (owned by {ME}, group {_group(cli.db)}, "
        f"mode {CLOSED_FILE:04o}; you are {YOU})",
    )


def test_a_file_that_can_be_read_but_not_written_refuses_writers_only(shared: Path) -> None:
    """It read as "attempt to write a readonly database" when the note was appended, and
    the monitor started, polled, and could record nothing."""
    cli, incident_id, directory = record_in(shared)
    for path in directory.iterdir():
        path.chmod(0o644 if AS_ROOT else 0o444)
    mode = 0o644 if AS_ROOT else 0o444
    said = (
        f"{cli.db}: permission denied for writing (owned by {ME}, group {_group(cli.db)}, "
        f"mode {mode:04o}; you are {YOU})"
    )
    for argv in (["note", incident_id, "hello"], ["monitor", incident_id, "--for", "1"]):
        done = as_someone_else(cli, *argv)
        assert (done.code, done.err) == (2, f"lastgood {argv[0]}: {said}\n")
    assert as_someone_else(cli, "status", incident_id).code == 0


def test_declaring_where_the_directory_cannot_be_written_names_it(shared: Path) -> None:
    _, _, directory = record_in(shared)
    directory.chmod(0o755 if AS_ROOT else 0o555)
    words = [word for option, value in DECLARED.items() for word in (option, value)]
    loaded(Cli(shared / "elsewhere.db"), ("declare", *words))
    fresh = Cli(directory / "new.db", actor="Bo")
    done = as_someone_else(fresh, "declare", *words)
    mode = 0o755 if AS_ROOT else 0o555
    assert (done.code, done.err) == (
        2,
        f"lastgood declare: {fresh.db}: permission denied on its directory {directory} "
        f"(owned by {ME}, group {_group(directory)}, mode {mode:04o}; you are {YOU})\n",
    )
    assert not fresh.db.exists()


def test_a_real_process_says_it_in_one_line(shared: Path) -> None:
    """The command as a process of another user: the installed one, or, where `nobody`
    may not run this interpreter, the same code run by the system's (`.ci/run`)."""
    cli, incident_id, directory = record_in(shared)
    directory.chmod(CLOSED_DIRECTORY)
    command, env = [*lastgood_command(), "status", incident_id], cli.env
    if AS_ROOT:
        as_nobody = ["runuser", "-u", "nobody", "--", "env", "HOME=/nonexistent"]
        if not _runs_as_nobody([sys.executable, "-c", "pass"], env):
            command, env = _system_python_command(shared, incident_id, env)
        command = [*as_nobody, *command]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert done.stderr.endswith(f"mode {CLOSED_DIRECTORY:04o}; you are {YOU})\n")
    assert done.stderr.count("\n") == 1


def _runs_as_nobody(command: list[str], env: dict[str, str]) -> bool:
    done = subprocess.run(
        ["runuser", "-u", "nobody", "--", *command], env=env, capture_output=True, check=False
    )
    return done.returncode == 0


def _system_python_command(
    shared: Path, incident_id: str, env: dict[str, str]
) -> tuple[list[str], dict[str, str]]:
    """`lastgood status ID` run by the system's interpreter of this one's version:
    pyenv's lives under /root, closed to `nobody`, and so may the checkout. Skipped
    there, the check proved nothing whenever the suite ran as root. What `status`
    imports (this checkout's packages and msgspec, whose compiled part is built for the
    version) is copied where every user may read it."""
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    system = shutil.which(version, path="/usr/bin:/bin")
    if system is None:
        pytest.skip(f"nobody may not run {sys.executable}, and there is no system {version}")
    readable = shared / "importable"
    for package in ("incident", "runbooks", "store", "tui"):
        shutil.copytree(ROOT / package, readable / package, ignore=UNCOMPILED)
    shutil.copytree(Path(msgspec.__file__).parent, readable / "msgspec", ignore=UNCOMPILED)
    for path in (readable, *readable.rglob("*")):
        path.chmod(0o755 if path.is_dir() else 0o644)
    env = {**env, "PYTHONPATH": str(readable), "PYTHONDONTWRITEBYTECODE": "1"}
    return [system, "-m", "tui.cli", "status", incident_id], env


UNCOMPILED = shutil.ignore_patterns("__pycache__")


def _group(path: Path) -> str:
    import grp

    return grp.getgrgid(os.stat(path).st_gid).gr_name
