"""Runbooks: the model, the loaders and the bundled runbook files.

The names below are imported when first used, so reading the model (as folding an
incident does) does not load the YAML and Markdown loaders: `lastgood start` on an
existing incident never parses a runbook file.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from runbooks.checks import env_references, template_placeholders
    from runbooks.loading import load_runbook, validate_runbook_file
    from runbooks.problems import Problem, RunbookError
    from runbooks.resolve import BUNDLED_DIR, bundled_runbooks, resolve_runbook
    from runbooks.serialize import runbook_from_data, runbook_to_data

_HOMES = {
    "env_references": "checks",
    "template_placeholders": "checks",
    "load_runbook": "loading",
    "validate_runbook_file": "loading",
    "Problem": "problems",
    "RunbookError": "problems",
    "BUNDLED_DIR": "resolve",
    "bundled_runbooks": "resolve",
    "resolve_runbook": "resolve",
    "runbook_from_data": "serialize",
    "runbook_to_data": "serialize",
}
"""Where each name lives, for the lazy `__getattr__` below."""


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)


__all__ = [
    "BUNDLED_DIR",
    "Problem",
    "RunbookError",
    "bundled_runbooks",
    "env_references",
    "load_runbook",
    "resolve_runbook",
    "runbook_from_data",
    "runbook_to_data",
    "template_placeholders",
    "validate_runbook_file",
]
