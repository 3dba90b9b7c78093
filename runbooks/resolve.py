"""Finding a runbook by name or path, and the runbooks bundled with lastgood.

`--runbook` takes either, and the two never stand in for each other:

- a PATH has a `/` (or `\\`) or a `.` in it (`./checkout.yaml`, `checkout.yaml`,
  `team/plan.md`) and is that file, relative to the working directory. A missing file
  is refused: someone in the wrong directory must not get the generic bundled plan in
  place of their team's `rollback.yaml`;
- a bare NAME (`rollback`, the default) is a runbook bundled with lastgood (or in the
  caller's `search_dirs`), never a file of that name in the working directory, which
  a script or a directory called `rollback` beside it would otherwise shadow.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from runbooks.checks import choices_hint
from runbooks.problems import Problem, RunbookError

BUNDLED_DIR = Path(__file__).resolve().parent
"""The runbooks package directory, where the bundled runbook files live."""

SUFFIXES = (".yaml", ".yml", ".md")


class RunbookNotFound(RunbookError):
    """No runbook by that name, or no file at that path: one sentence, since there is
    no line in any file to point at."""

    def __init__(self, given: str, message: str) -> None:
        self.given = given
        self.message = message
        super().__init__([Problem(given or "<runbook>", 1, 1, message)])

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[type[RunbookNotFound], tuple[str, str]]:  # type: ignore[override]
        return (type(self), (self.given, self.message))


def bundled_runbooks() -> list[Path]:
    """The runbook files shipped in the package, by name."""
    return sorted(
        path for path in BUNDLED_DIR.iterdir() if path.suffix in SUFFIXES and path.is_file()
    )


def is_path(name_or_path: str) -> bool:
    """Whether `--runbook` was given a file rather than a bundled runbook's name."""
    return any(mark in name_or_path for mark in ("/", "\\", "."))


def resolve_runbook(name_or_path: str, search_dirs: Sequence[Path] = ()) -> Path:
    """The runbook file `name_or_path` means: a PATH as it is, if anything is there;
    a NAME as NAME.yaml, NAME.yml or NAME.md in each of `search_dirs`, then bundled.

    Raises `RunbookNotFound`, saying what would have been found, when nothing is.
    """
    try:
        return _resolved(name_or_path, search_dirs)
    except OSError as error:  # a name too long for the file system, say
        shown = name_or_path if len(name_or_path) <= 80 else name_or_path[:77] + "..."
        raise RunbookNotFound(name_or_path, f"runbook {shown}: {error.strerror}") from None


def _resolved(name_or_path: str, search_dirs: Sequence[Path]) -> Path:
    if is_path(name_or_path):
        given = Path(name_or_path)
        if given.exists() or given.is_symlink():  # the loader says what is wrong with it
            return given
        hint = ""
        if "/" not in name_or_path and given.stem in available_names([BUNDLED_DIR]):
            hint = f" (a bundled runbook is named without a suffix: {given.stem})"
        raise RunbookNotFound(name_or_path, f"no runbook file {name_or_path}{hint}")
    directories = [*search_dirs, BUNDLED_DIR]
    if name_or_path:
        for directory in directories:
            for suffix in SUFFIXES:
                candidate = Path(directory) / (name_or_path + suffix)
                if candidate.is_file():
                    return candidate
    hint = choices_hint(name_or_path, available_names(directories), "choose")
    if name_or_path and Path(name_or_path).exists():
        hint += f"; a file is given by its path: ./{name_or_path}"
    raise RunbookNotFound(name_or_path, f"unknown runbook '{name_or_path}'{hint}")


def available_names(directories: Sequence[Path]) -> list[str]:
    """Runbook names found in `directories`, first occurrence wins, sorted."""
    names: set[str] = set()
    for directory in directories:
        try:
            entries = list(Path(directory).iterdir())
        except OSError:
            continue
        names.update(p.stem for p in entries if p.suffix in SUFFIXES and p.is_file())
    return sorted(names)
