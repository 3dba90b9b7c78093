"""Modal screens of the lastgood TUI.

Each modal is pure UI: it takes plain data, returns a plain result through
``dismiss`` (``None`` when cancelled with Escape) and never touches the store or
the domain; the app turns results into commands.
"""

from tui.app.modals.approval import ApprovalModal
from tui.app.modals.base import FormModal, LastgoodModal
from tui.app.modals.composer import ComposerModal
from tui.app.modals.confirm import ConfirmCommand
from tui.app.modals.database_tier import DatabaseTierModal, TierView
from tui.app.modals.decision import PRINCIPLE, DecisionModal, TriggerView
from tui.app.modals.declare import DeclareForm, DeclareModal
from tui.app.modals.help import HelpModal
from tui.app.modals.picker import NEW, IncidentPicker, IncidentRow
from tui.app.modals.text_prompt import TextPrompt
from tui.app.modals.verb_form import Refusal, VerbForm

__all__ = [
    "NEW",
    "PRINCIPLE",
    "ApprovalModal",
    "ComposerModal",
    "ConfirmCommand",
    "DatabaseTierModal",
    "DecisionModal",
    "DeclareForm",
    "DeclareModal",
    "FormModal",
    "HelpModal",
    "IncidentPicker",
    "IncidentRow",
    "LastgoodModal",
    "Refusal",
    "TextPrompt",
    "TierView",
    "TriggerView",
    "VerbForm",
]
