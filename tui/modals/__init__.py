"""Modal screens of the lastgood TUI.

Each modal is pure UI: it takes plain data, returns a plain result through
``dismiss`` (``None`` when cancelled with Escape) and never touches the store or
the domain; the app turns results into commands.
"""

from tui.modals.approval import ApprovalModal
from tui.modals.base import FormModal, LastgoodModal
from tui.modals.composer import ComposerModal
from tui.modals.confirm import ConfirmCommand
from tui.modals.database_tier import DatabaseTierModal, TierView
from tui.modals.decision import PRINCIPLE, DecisionModal, TriggerView
from tui.modals.declare import DeclareForm, DeclareModal
from tui.modals.help import HelpModal
from tui.modals.picker import NEW, IncidentPicker, IncidentRow
from tui.modals.role import RoleModal
from tui.modals.text_prompt import TextPrompt

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
    "RoleModal",
    "TextPrompt",
    "TierView",
    "TriggerView",
]
