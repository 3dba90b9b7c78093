"""Modal screens of the lastgood TUI.

Each modal is pure UI: it takes plain data, returns a plain result through
``dismiss`` (``None`` when cancelled with Escape) and never touches the store or
the domain; the app turns results into commands.

Each is imported when first asked for (`from tui.app.modals import HelpModal`
loads the help modal alone): the incident screen's first frame needs none.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.app.modals.approval import ApprovalModal
    from tui.app.modals.base import FormModal, LastgoodModal
    from tui.app.modals.brief import BriefModal
    from tui.app.modals.composer import ComposerModal
    from tui.app.modals.confirm import ConfirmCommand, ConfirmModal
    from tui.app.modals.database_tier import DatabaseTierModal, TierView
    from tui.app.modals.decision import PRINCIPLE, DecisionForm, DecisionModal, TriggerView
    from tui.app.modals.declare import DeclareModal
    from tui.app.modals.declare_form import DeclareForm
    from tui.app.modals.help import HelpModal
    from tui.app.modals.picker import NEW, IncidentPicker, IncidentRow
    from tui.app.modals.report_preview import ReportPreviewModal
    from tui.app.modals.text_prompt import TextPrompt
    from tui.app.modals.verb_form import Refusal, VerbForm

_HOMES = {
    "ApprovalModal": "approval",
    "FormModal": "base",
    "LastgoodModal": "base",
    "BriefModal": "brief",
    "ComposerModal": "composer",
    "ConfirmCommand": "confirm",
    "ConfirmModal": "confirm",
    "DatabaseTierModal": "database_tier",
    "TierView": "database_tier",
    "PRINCIPLE": "decision",
    "DecisionForm": "decision",
    "DecisionModal": "decision",
    "TriggerView": "decision",
    "DeclareForm": "declare_form",
    "DeclareModal": "declare",
    "HelpModal": "help",
    "NEW": "picker",
    "IncidentPicker": "picker",
    "IncidentRow": "picker",
    "ReportPreviewModal": "report_preview",
    "TextPrompt": "text_prompt",
    "Refusal": "verb_form",
    "VerbForm": "verb_form",
}
"""Where each name lives, for the lazy `__getattr__` below."""


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)


__all__ = [
    "NEW",
    "PRINCIPLE",
    "ApprovalModal",
    "BriefModal",
    "ComposerModal",
    "ConfirmCommand",
    "ConfirmModal",
    "DatabaseTierModal",
    "DecisionForm",
    "DecisionModal",
    "DeclareForm",
    "DeclareModal",
    "FormModal",
    "HelpModal",
    "IncidentPicker",
    "IncidentRow",
    "LastgoodModal",
    "Refusal",
    "ReportPreviewModal",
    "TextPrompt",
    "TierView",
    "TriggerView",
    "VerbForm",
]
