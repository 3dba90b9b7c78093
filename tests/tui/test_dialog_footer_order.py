"""Every dialog's footer leads with what the dialog is for; `esc` comes last.

The footers read `esc Cancel  ctrl+s Submit`, `esc Later  ctrl+s Send  ctrl+d Don't
send`: Textual merges a class's bindings base first, and `escape` is bound at the base
of every dialog (`LastgoodModal`). Each dialog class is opened here on sample data and
its footer read as drawn; a dialog class added without a sample fails the first test.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from rich.text import Text
from textual.widgets._footer import FooterKey

import tui.app
from incident.app.params import Kind, Param
from incident.reports.drill_faults import FAULTS
from incident.reports.drill_score import ScoreCard
from tests.tui.modal_harness import ROWS, TEMPLATES, TIERS, TRIGGERS, Toggler, declare_modal, opened
from tui.app.modals.approval import ApprovalModal
from tui.app.modals.base import FormModal, LastgoodModal
from tui.app.modals.brief import BriefModal
from tui.app.modals.composer import ComposerModal
from tui.app.modals.confirm import ConfirmCommand, ConfirmModal
from tui.app.modals.database_tier import DatabaseTierModal
from tui.app.modals.decision import DecisionModal
from tui.app.modals.declare import DeclareModal
from tui.app.modals.due_message import DueMessageModal
from tui.app.modals.entry import EntryModal
from tui.app.modals.export_form import ExportForm
from tui.app.modals.help import HelpModal
from tui.app.modals.picker import IncidentPicker
from tui.app.modals.report_preview import ReportPreviewModal
from tui.app.modals.score_card import ScoreCardModal
from tui.app.modals.text_prompt import TextPrompt
from tui.app.modals.verb_form import VerbForm
from tui.demo.scenarios import SCENARIO_T0


async def refused_never(_: object) -> None:
    return None


SAMPLES: dict[type[LastgoodModal[Any]], Callable[[], LastgoodModal[Any]]] = {
    ApprovalModal: lambda: ApprovalModal("decide-rollback", "incident-commander"),
    BriefModal: lambda: BriefModal(["IC Ada", "Phase 2 of 4"]),
    ComposerModal: lambda: ComposerModal(TEMPLATES),
    ConfirmCommand: lambda: ConfirmCommand("Switch the load balancer", "lb switch blue"),
    ConfirmModal: lambda: ConfirmModal("Close", "Close the incident?", "Close"),
    DatabaseTierModal: lambda: DatabaseTierModal(TIERS),
    DecisionModal: lambda: DecisionModal(TRIGGERS, toggle_manual=Toggler(TRIGGERS)),
    DeclareModal: declare_modal,
    DueMessageModal: lambda: DueMessageModal("Initiating", "phase 1 began", "Rolling back."),
    EntryModal: lambda: EntryModal("T+00:00", Text("ada"), Text("Declared SEV2")),
    HelpModal: lambda: HelpModal([("Steps", [("space", "Check step")])]),
    IncidentPicker: lambda: IncidentPicker(ROWS),
    ReportPreviewModal: lambda: ReportPreviewModal("# INC-1\n\n## Summary\n"),
    ScoreCardModal: lambda: ScoreCardModal(
        ScoreCard("INC-1", next(iter(FAULTS.values())), True, ())
    ),
    TextPrompt: lambda: TextPrompt("Your name", "Who is at the keyboard?"),
    ExportForm: lambda: ExportForm(
        "Export report",
        "Write the incident to a file.",
        (Param("output", "the file", Kind.TEXT, True, True, "FILE"),),
        attempt=refused_never,
        now=SCENARIO_T0,
    ),
    VerbForm: lambda: VerbForm(
        "Note",
        "Add a note to the timeline.",
        (Param("text", "the note", Kind.LONG_TEXT, True, True, "TEXT"),),
        attempt=refused_never,
        now=SCENARIO_T0,
    ),
}
"""A sample of each dialog; `FormModal` is the forms' base, never shown itself."""


def dialog_classes() -> set[type[LastgoodModal[Any]]]:
    """Every dialog class the app defines (its modules imported first)."""
    for module in pkgutil.walk_packages(tui.app.__path__, "tui.app."):
        importlib.import_module(module.name)

    def below(cls: type[LastgoodModal[Any]]) -> Iterator[type[LastgoodModal[Any]]]:
        for sub in cls.__subclasses__():
            yield sub
            yield from below(sub)

    return set(below(LastgoodModal)) - {FormModal}


def test_every_dialog_has_a_sample() -> None:
    assert dialog_classes() == set(SAMPLES)


@pytest.mark.parametrize("dialog", list(SAMPLES), ids=lambda cls: cls.__name__)
async def test_esc_is_the_last_key_in_the_footer(dialog: type[LastgoodModal[Any]]) -> None:
    modal = SAMPLES[dialog]()
    async with opened(modal, size=(120, 40)) as (_app, pilot):
        await pilot.pause()
        keys = [key for key in modal.query(FooterKey) if key.display]
        assert keys, dialog
        assert keys[-1].key == "escape", [(key.key, key.description) for key in keys]
        assert sum(key.key == "escape" for key in keys) == 1


async def test_the_due_message_leads_with_send() -> None:
    """Its text area binds ctrl+d too (delete right), and the dialog's priority ctrl+d
    kept the text area's place, first: `ctrl+d Don't send` led the footer."""
    modal = SAMPLES[DueMessageModal]()
    async with opened(modal, size=(120, 40)) as (_app, pilot):
        await pilot.pause()
        keys = [(key.key, key.description) for key in modal.query(FooterKey) if key.display]
        assert keys == [("ctrl+s", "Send"), ("ctrl+d", "Don't send"), ("escape", "Later")]
