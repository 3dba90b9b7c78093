"""What a verb is: the data every face builds its commands, keys and help from."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from enum import StrEnum

from incident.app.params import Kind, Param

TYPE_CHECKING = False  # `typing` waits until the arguments are parsed (see `params`)

if TYPE_CHECKING:
    from typing import Final

    from incident.app.outcome import Done


class Scope(StrEnum):
    """What a verb works on, which decides how a face opens the record for it."""

    RECORD = "record"
    """Records on one incident (the CLI takes its ID first; the TUI, the open one)."""
    READ = "read"
    """Shows one incident and records nothing."""
    GLOBAL = "global"
    """The whole database, or no incident yet."""


UseCase = Callable[..., "Done"]
"""`run(session, actor, **parameters)`: the application-layer use case."""


class Verb:
    """One thing a person can do, as every face offers it.

    A plain class, not a `NamedTuple`, for the reason `Param` gives.
    """

    __slots__ = (
        "confirm",
        "footer",
        "help",
        "id_optional",
        "json",
        "key",
        "name",
        "open_only",
        "params",
        "postmortem",
        "scope",
        "title",
        "tui",
        "use_case",
    )

    name: Final[str]
    """The CLI command and the palette's id: `check`, `db-tier`."""
    title: Final[str]
    """A short label for the footer and the palette: "Check", "DB tier"."""
    help: Final[str]
    """One line, in the domain's words."""
    scope: Final[Scope]
    params: Final[tuple[Param, ...]]
    use_case: Final[str]
    """Where its use case lives, `module:function`; imported only when the verb runs,
    so the CLI parses its arguments before loading the domain."""
    key: Final[str | None]
    """The TUI's key(s), comma-separated as Textual writes them; None: palette only."""
    footer: Final[bool]
    """Shown in the TUI's footer at every width: the verbs any step may want (check,
    note, compose; decide until decided). Those only some steps want (skip, approve, DB
    tier) join them from 120 columns (`tui.app.screens.verb_keys.WIDE_FOOTER`), so that
    at 80 the footer keeps `c Compose` and `q Quit` beside the keys that come and go
    (`m`, `P`, `X`; with `f` too, `c Compose` gives way to `q Quit`, which the footer
    always keeps): the guidance panel names `a` and `b` when the highlighted step
    wants them, and help and the palette list every verb."""
    confirm: Final[str | None]
    """The TUI's question before its key runs the verb: a key can be pressed by
    accident, a typed command line not. On the command line only `run` asks (and
    wants `--yes` off a terminal), as it starts a shell command on this machine."""
    tui: Final[bool]
    """Offered in the coordinator's TUI (False: a command-line verb only)."""
    json: Final[bool]
    """A read verb that can answer as JSON (`--json`)."""
    postmortem: Final[bool]
    """Offered on the post-mortem screen, which lists every verb that has it."""
    open_only: Final[bool]
    """Refused once the incident is closed: it changes the rollback's course (a step, a
    gate, a role, the severity), which the close ended (`refuse_if_closed` in the
    commands). The post-mortem, notes and messages go on after the close. A face
    offers such a verb only while the incident is open (`accepts`)."""
    id_optional: Final[bool]
    """A reading verb whose ID may be left out on the command line: it then reads the
    only open incident, and says so (`incident.app.incident_ids.only_open`). Only verbs
    that record nothing: a write to the wrong incident is worse than a keystroke."""

    def __init__(
        self,
        name: str,
        title: str,
        help: str,
        scope: Scope,
        params: tuple[Param, ...] = (),
        use_case: str = "",
        key: str | None = None,
        footer: bool = False,
        confirm: str | None = None,
        tui: bool = True,
        json: bool = False,
        postmortem: bool = False,
        open_only: bool = False,
        id_optional: bool = False,
    ) -> None:
        self.name = name
        self.title = title
        self.help = help
        self.scope = scope
        self.params = params
        self.use_case = use_case
        self.key = key
        self.footer = footer
        self.confirm = confirm
        self.tui = tui
        self.json = json
        self.postmortem = postmortem
        self.open_only = open_only
        self.id_optional = id_optional

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Verb) and self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        return f"Verb({', '.join(f'{n}={getattr(self, n)!r}' for n in self.__slots__)})"

    @property
    def run(self) -> UseCase | None:
        """The use case every face calls, or None for a verb a face runs itself."""
        if not self.use_case:
            return None
        module, name = self.use_case.split(":")
        found: UseCase = getattr(importlib.import_module(module), name)
        return found

    @property
    def key_display(self) -> str | None:
        """The first key, as the footer shows it."""
        return self.key.split(",")[0] if self.key else None

    def param(self, name: str) -> Param:
        return next(p for p in self.params if p.name == name)


R, RD, G = Scope.RECORD, Scope.READ, Scope.GLOBAL

STEP = Param("step", "the step's id (see `status`)", Kind.STEP, required=True, positional=True)
BY = Param("by", "who did it, when someone else records it", Kind.NAME, metavar="NAME")
REASON = Param("reason", "why", required=True, metavar="TEXT")
OPTIONAL_REASON = Param("reason", "why", metavar="TEXT")
ONLY_OPEN = "the incident (left out: the only open incident; none or several open: refused)"
"""The help of the ID of a verb whose ID may be left out (`Verb.id_optional`)."""
OUTPUT = Param("output", "write to FILE instead of stdout", metavar="FILE", short="-o")
TZ = Param(
    "tz",
    "local time shown beside UTC, e.g. Europe/Paris (default: this machine's zone)",
    Kind.ZONE,
    metavar="ZONE",
    cli_only=True,
)


def json_answer(schema: str, what: str = "answer as JSON") -> Param:
    """`--json`, naming the schema of the answer (`tui/cli/schemas/SCHEMA.schema.json`,
    which `tests/test_json_schemas.py` validates each answer against). The schemas are
    package data, so the path is there in an installed copy too (it pointed to `docs/`,
    which no wheel holds)."""
    shape = f"its JSON Schema: tui/cli/schemas/{schema}.schema.json, installed with lastgood"
    return Param("json", f"{what} ({shape})", Kind.FLAG, cli_only=True)
