"""Opening the record a command works on: made only where asked, closed after, and
every failure of the store one line (`CliError`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from incident.core.chain import DamagedRecord
from store.backends import EventRecord, open_event_log
from store.errors import DamagedFile, StoreError
from store.sqlite_log import SqliteEventLog
from tui.cli.arguments import Arguments
from tui.cli.db_choice import db_location
from tui.cli.errors import DAMAGED, CliError, store_failure


@contextmanager
def open_log(
    args: Arguments, *, read_only: bool = False, snapshot: bool = False, creating: bool = False
) -> Iterator[EventRecord]:
    """The record `--db` names. A file that is not there is made only when `creating`
    (`declare`): a verb on an incident, given a mistyped path, made an empty database
    there before it said that the incident was not in it."""
    location = db_location(args)
    with open_log_at(location, read_only=read_only, snapshot=snapshot, creating=creating) as log:
        yield log


@contextmanager
def open_log_at(
    path: Path | str, *, read_only: bool = False, snapshot: bool = False, creating: bool = True
) -> Iterator[EventRecord]:
    """`open_log` on a location already chosen (a file or a URL); its failures one line.
    A file that is not there is made only when `creating` (and not `read_only`)."""
    if isinstance(path, Path) and (read_only or not creating) and not something_at(path):
        raise CliError(f"{path}: no database here yet (declare an incident first)")
    with _one_line(
        lambda: open_event_log(path, read_only=read_only, snapshot=snapshot, creating=creating)
    ) as log:
        yield log


@contextmanager
def open_file_at(path: Path, *, read_only: bool = False) -> Iterator[SqliteEventLog]:
    """`open_log_at` for what works on a SQLite file only (the TUI, for now)."""
    if read_only and not something_at(path):
        raise CliError(f"{path}: no database here yet (declare an incident first)")
    with _one_line(lambda: SqliteEventLog.open(path, read_only=read_only)) as log:
        yield log


@contextmanager
def open_log_or_damage(args: Arguments) -> Iterator[EventRecord | DamagedFile]:
    """`open_log` read-only, except that a file SQLite cannot even open for damage (a
    page its schema needs unreadable, a file cut short) is handed over as its
    `DamagedFile`, not raised: `verify`'s verdict on it is a finding, as on a file that
    opens with a damaged page."""
    location = db_location(args)
    if isinstance(location, Path) and not something_at(location):
        raise CliError(f"{location}: no database here yet (declare an incident first)")
    try:
        log = open_event_log(location, read_only=True)
    except DamagedFile as damage:
        yield damage
        return
    except StoreError as error:
        raise store_failure(error) from None
    with _held(log):
        yield log


def something_at(path: Path) -> bool:
    """Whether anything is at `path`, a link to nothing (or to itself) included: the
    store says what it is, where "no such file" would hide it."""
    try:
        return path.exists() or path.is_symlink()
    except PermissionError:  # a directory on the way refused: the store says which
        return True


L = TypeVar("L", SqliteEventLog, EventRecord)


@contextmanager
def _one_line(opener: Callable[[], L]) -> Iterator[L]:
    """The log `opener` opens, closed after; its store failures and refusals one line."""
    try:
        log = opener()
    except StoreError as error:  # a damaged file is a writer's refusal, as a damaged chain's
        raise store_failure(error) from None
    with _held(log):
        yield log


@contextmanager
def _held(log: L) -> Iterator[L]:
    """`log`, closed after; its store failures and refusals inside one line."""
    try:
        yield log
    except StoreError as error:
        raise store_failure(error) from None
    except DamagedRecord as refusal:
        raise CliError(str(refusal), exit_code=DAMAGED) from None
    finally:
        log.close()
