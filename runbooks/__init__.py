"""Runbooks: the model, the loaders and the bundled runbook files.

The names below load their module on first use (PEP 562): reading an incident needs
the model and `runbook_from_data`, not the YAML parser, and `lastgood status` should
not pay for PyYAML.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from runbooks.checks import env_references, template_placeholders
    from runbooks.loading import inspect_runbook_file, load_runbook, validate_runbook_file
    from runbooks.problems import Problem, RunbookError
    from runbooks.resolve import BUNDLED_DIR, bundled_runbooks, resolve_runbook
    from runbooks.serialize import runbook_from_data, runbook_to_data

_HOMES = {
    "env_references": "runbooks.checks",
    "template_placeholders": "runbooks.checks",
    "load_runbook": "runbooks.loading",
    "validate_runbook_file": "runbooks.loading",
    "inspect_runbook_file": "runbooks.loading",
    "Problem": "runbooks.problems",
    "RunbookError": "runbooks.problems",
    "BUNDLED_DIR": "runbooks.resolve",
    "bundled_runbooks": "runbooks.resolve",
    "resolve_runbook": "runbooks.resolve",
    "runbook_from_data": "runbooks.serialize",
    "runbook_to_data": "runbooks.serialize",
}

__all__ = [
    "BUNDLED_DIR",
    "Problem",
    "RunbookError",
    "bundled_runbooks",
    "env_references",
    "inspect_runbook_file",
    "load_runbook",
    "resolve_runbook",
    "runbook_from_data",
    "runbook_to_data",
    "template_placeholders",
    "validate_runbook_file",
]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'runbooks' has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name]), name)
