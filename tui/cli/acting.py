"""Who is acting: the name a `lastgood` command records as, from `--as`, the
environment, git or the login."""

from __future__ import annotations

from incident.core.names import is_person, not_a_person
from tui.cli.arguments import Arguments
from tui.cli.errors import CliError
from tui.cli.variables import set_variable


def known_actor(args: Arguments) -> str | None:
    """Who is at the keyboard, or None when nothing names a person.

    `--as NAME`, else $LASTGOOD_USER ($LASTGOOD_ACTOR, its older spelling), else git's
    `user.name`, else the login. A name given on purpose that names no one ("root",
    "you") is refused; a login or git name that does is passed over, so "root" on a
    bastion never signs the record. An empty `--as` is refused, as an empty `--db` is:
    it was taken as not given, and the record named whoever git or the login did. So
    is a variable set but empty (`LASTGOOD_USER="$SLACK_USER"` with no user): the
    first of these that is set decides (`set_variable`).
    """
    given = getattr(args, "as_name", None)
    if given is not None and not given.strip():
        raise CliError("--as needs a name, not an empty string")
    for source, read in (
        ("--as", lambda: given),
        ("$LASTGOOD_USER", lambda: set_variable("LASTGOOD_USER", "a name")),
        ("$LASTGOOD_ACTOR", lambda: set_variable("LASTGOOD_ACTOR", "a name")),
    ):
        name = (read() or "").strip()  # kept as written: the record shows it, controls visible
        if name:
            if problem := not_a_person(name):
                raise CliError(f"{source}: {problem}")
            return name
    for name in (_git_user_name(), _login()):
        if is_person(name):
            return name
    return None


NO_NAME = (
    "who is recording? Nothing names a person here (the login is '{login}'): "
    "give --as NAME or set LASTGOOD_USER"
)


def actor_name(args: Arguments) -> str:
    """The person recording; a one-line refusal when nothing names one."""
    name = known_actor(args)
    if name is None:
        raise CliError(NO_NAME.format(login=_login() or "unknown"))
    return name


def _git_user_name() -> str:
    """git's `user.name`, if git is installed and has one; quickly, or not at all."""
    import subprocess

    try:
        found = subprocess.run(
            ["git", "config", "--get", "user.name"],
            capture_output=True,
            encoding="utf-8",
            timeout=2,
            check=False,
        )
    except (OSError, subprocess.SubprocessError, ValueError):  # ValueError: not UTF-8
        return ""
    if found.returncode != 0:
        return ""
    return " ".join(found.stdout.split())


def _login() -> str:
    import getpass  # here: the reading verbs act as nobody

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""
