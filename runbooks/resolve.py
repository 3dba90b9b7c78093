"""Finding a runbook by name or path, and the runbooks bundled with lastgood."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from runbooks.checks import choices_hint
from runbooks.problems import Problem, RunbookError

BUNDLED_DIR = Path(__file__).resolve().parent
"""The runbooks package directory, where the bundled runbook files live."""

SUFFIXES = (".yaml", ".yml", ".md")


def bundled_runbooks() -> list[Path]:
    """The runbook files shipped in the package, by name."""
    return sorted(
        path for path in BUNDLED_DIR.iterdir() if path.suffix in SUFFIXES and path.is_file()
    )


def resolve_runbook(name_or_path: str, search_dirs: Sequence[Path] = ()) -> Path:
    """A runbook file: `name_or_path` itself if it exists, else NAME.yaml, NAME.yml
    or NAME.md in each of `search_dirs`, then in the bundled directory.

    Raises `RunbookError` (one problem naming the choices) when nothing matches.
    """
    given = Path(name_or_path)
    if name_or_path and given.exists():
        return given
    directories = [*search_dirs, BUNDLED_DIR]
    looks_like_path = "/" in name_or_path or "\\" in name_or_path
    if name_or_path and not looks_like_path:
        names = (
            [name_or_path]
            if given.suffix in SUFFIXES
            else [name_or_path + suffix for suffix in SUFFIXES]
        )
        for directory in directories:
            for name in names:
                candidate = Path(directory) / name
                if candidate.is_file():
                    return candidate
    if looks_like_path or given.suffix in SUFFIXES:
        message = "cannot read runbook: No such file or directory"
    else:
        hint = choices_hint(name_or_path, available_names(directories), "choose")
        message = f"unknown runbook '{name_or_path}'{hint}"
    raise RunbookError([Problem(name_or_path or "<runbook>", 1, 1, message)])


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
