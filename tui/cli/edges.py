"""Where a `lastgood` process meets the system: bytes, pipes, terminals, its own version.

Arguments and environment values reach Python as text even when they are not
UTF-8 (undecodable bytes become surrogate escapes), and would only fail deep in
a write; a reader that closes the pipe early (`lastgood list | head -1`) makes the
next write fail. Both end here as one line, or quietly, never as a traceback.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Callable, Sequence

from tui.cli.arguments import EVERY_VERB
from tui.cli.errors import CliError
from tui.cli.stdout import CLOSED_PIPE_EXIT, BufferedStdout, discard_output

NOT_A_TERMINAL = "not a terminal: the TUI needs one; use `lastgood status` or `monitor` in scripts"

_COMMAND_NAME = re.compile(r"[a-z][a-z-]*")

Main = Callable[[Sequence[str] | None], int]


def recovered(text: str) -> str:
    """`text` as the UTF-8 its bytes are, where an ASCII locale (`LC_ALL=C`, without
    Python's UTF-8 mode) left each byte past 127 a surrogate escape: `café` typed
    arrives as `caf\udcc3\udca9`, and was refused as not UTF-8. The bytes are
    recovered (`os.fsencode`) and decoded strictly; bytes that are not UTF-8 stay as
    they came, for `utf8_problem` to name."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        return os.fsencode(text).decode("utf-8")
    except UnicodeError:
        return text


def os_path(text: str, where: str) -> str:
    """`text`, a file's name given at `where` (`--db`), once the system can be given it.

    Under an ASCII locale (`LC_ALL=C`, without Python's UTF-8 mode) Python cannot
    hand the system a name with a character past 127 (`café.db` failed in `os.stat`,
    a traceback), and the surrogate escapes it arrived as are no text to record (a
    runbook's path is in its declaration): refused in one line, as it was before its
    bytes were `recovered`, now saying what to set.
    """
    try:
        os.fsencode(text)
    except UnicodeEncodeError:
        raise CliError(
            f"{where}: {text!r} has characters this locale's file names cannot hold "
            f"({sys.getfilesystemencoding()}): set a UTF-8 locale (LC_ALL=C.UTF-8)"
        ) from None
    return text


def utf8_problem(text: str) -> str | None:
    """Where `text` stops being UTF-8 (`byte 0xff at position 0`), or None if it is."""
    try:
        text.encode("utf-8")
        return None
    except UnicodeEncodeError:
        pass
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError as error:
        return f"character U+{ord(text[error.start]):04X} at position {error.start}"
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return f"byte 0x{raw[error.start]:02x} at position {error.start}"
    return "not UTF-8"  # pragma: no cover - a surrogate escape always decodes badly


def argv_problem(argv: Sequence[str]) -> str | None:
    """The one-line error for the first argument that is not UTF-8, or None.

    Arguments after the command are numbered from it, as in its usage line
    (`lastgood note: error: argument 2 ...` for `lastgood note ID $'\\xff'`).
    """
    command_at = _command_index(argv)
    for index, arg in enumerate(argv):
        problem = utf8_problem(arg)
        if problem is None:
            continue
        if command_at is not None and index > command_at:
            where = f"lastgood {argv[command_at]}: error: argument {index - command_at}"
        else:
            where = f"lastgood: error: argument {index + 1}"
        return f"{where} is not valid UTF-8 ({problem})"
    return None


def _command_index(argv: Sequence[str]) -> int | None:
    """The position of the subcommand: the first word that is not an option or its value."""
    skip_value = False
    for index, arg in enumerate(argv):
        if skip_value:
            skip_value = False
        elif arg in EVERY_VERB:
            skip_value = True
        elif not arg.startswith("-"):
            return index if _COMMAND_NAME.fullmatch(arg) else None
    return None


def guarded(main: Main) -> Main:
    """`main`, refusing undecodable arguments and ending quietly when stdout is closed.

    stdout is flushed before returning, so a closed pipe fails here, where it is
    caught, and not in the interpreter's last flush at exit.
    """

    @functools.wraps(main)
    def run(argv: Sequence[str] | None = None) -> int:
        args = [recovered(arg) for arg in (sys.argv[1:] if argv is None else argv)]
        try:
            if problem := argv_problem(args):
                print(problem, file=sys.stderr)
                return 2
            with BufferedStdout():
                try:
                    return main(args)
                finally:
                    sys.stdout.flush()
        except BrokenPipeError:
            discard_output()
            return CLOSED_PIPE_EXIT

    return run


def has_terminal() -> bool:
    """Whether a TUI can run: a terminal on stdin and stdout, or a driver that needs none.

    `lastgood serve` runs `attach` behind pipes with Textual's web driver, named in
    $TEXTUAL_DRIVER; that is the one way to run the TUI without a terminal.
    """
    if os.environ.get("TEXTUAL_DRIVER"):
        return True
    return sys.stdin.isatty() and sys.stdout.isatty()


def package_version() -> str:
    """The installed distribution's version; in a source checkout, its pyproject.toml's."""
    from importlib import metadata  # about 30 ms: only for --version

    try:
        return metadata.version("lastgood")
    except metadata.PackageNotFoundError:
        pass
    import tomllib
    from pathlib import Path

    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    try:
        with pyproject.open("rb") as handle:
            project = tomllib.load(handle).get("project", {})
    except (OSError, tomllib.TOMLDecodeError):
        return "unknown"
    if project.get("name") != "lastgood":
        return "unknown"
    return str(project.get("version", "unknown"))
