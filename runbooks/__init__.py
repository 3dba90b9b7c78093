"""Runbooks: the model, the loaders and the bundled runbook files."""

from runbooks.checks import env_references, template_placeholders
from runbooks.loading import load_runbook, validate_runbook_file
from runbooks.problems import Problem, RunbookError
from runbooks.resolve import BUNDLED_DIR, bundled_runbooks, resolve_runbook
from runbooks.serialize import runbook_from_data, runbook_to_data

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
