"""The generic verb form, built from each verb's parameters, on a tiny host app.

It fits 80x24 for every verb that uses it, parses values with the parameters' own
parsers (errors inline, the form stays open), stays open on a refusal naming the
fields that would resolve it, and hands the use case exactly its arguments.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from textual.widgets import Checkbox, OptionList, Select, TextArea

from incident.app.params import Kind
from incident.app.verbs import BY_NAME
from tests.tui.test_modals import assert_fits, assert_still_open, error_text, opened, type_text
from tui.app.modals.verb_form import Refusal, Values, VerbForm, remedy
from tui.app.screens.verb_keys import TUI_VERBS
from tui.demo.scenarios import SCENARIO_T0

ROLES = [
    ("incident-commander", "incident-commander — Ada"),
    ("comms-lead", "comms-lead — (vacant)"),
]


class Attempts:
    """Stands in for the screen: records each attempt, refusing with `refusal` if set."""

    def __init__(self, refusal: Refusal | None = None) -> None:
        self.calls: list[Values] = []
        self.refusal = refusal

    async def __call__(self, values: Values) -> Refusal | None:
        self.calls.append(values)
        return self.refusal


def form_for(name: str, attempt: Attempts, **kwargs: Any) -> VerbForm:
    verb = BY_NAME[name]
    params = [p for p in verb.params if not p.cli_only]
    choices = {p.name: ROLES for p in params if p.kind is Kind.CHOICE and not p.choices}
    kwargs.setdefault("now", SCENARIO_T0)
    return VerbForm(
        verb.title, verb.help, params, attempt=attempt, choices=choices, context="Step: x", **kwargs
    )


GENERIC = sorted(
    verb.name
    for verb in TUI_VERBS
    if any(not p.cli_only and p.kind is not Kind.STEP for p in verb.params)
)


@pytest.mark.parametrize("name", GENERIC)
async def test_every_verbs_form_fits_80x24_with_its_error(name: str) -> None:
    modal = form_for(name, Attempts(Refusal("refused: " + "because " * 12)))
    async with opened(modal) as (app, pilot):
        assert_fits(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error_text(app)
        assert_still_open(app, modal)
        assert_fits(app)


async def test_assign_lists_the_roles_with_their_holders_and_enter_submits() -> None:
    attempt = Attempts()
    modal = form_for("assign", attempt)
    async with opened(modal) as (app, pilot):
        select = app.screen.query_one("#param-role", Select)
        assert app.screen.focused is select
        overlay = select.query_one(OptionList)
        labels = [str(overlay.get_option_at_index(i).prompt) for i in range(overlay.option_count)]
        assert labels[1:] == ["incident-commander — Ada", "comms-lead — (vacant)"]
        await pilot.press("enter", "down", "down", "enter")
        await pilot.pause()
        assert select.value == "comms-lead"
        await pilot.press("tab")
        await type_text(pilot, "cy")
        await pilot.press("enter")
        await pilot.pause()
    assert attempt.calls == [{"role": "comms-lead", "person": "cy"}]
    assert app.results == [{"role": "comms-lead", "person": "cy"}]


async def test_required_fields_then_parsed_values_with_the_parsers_error_inline() -> None:
    attempt = Attempts()
    modal = form_for("action", attempt)
    async with opened(modal) as (app, pilot):
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error_text(app) == "Fill in text: it is required."
        app.screen.query_one("#param-text", TextArea).load_text("rehearse the rollback")
        app.screen.query_one("#param-due").value = "friday"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error_text(app) == "Due: 'friday' is not a date (YYYY-MM-DD)"
        assert app.screen.focused is app.screen.query_one("#param-due")
        assert_still_open(app, modal)
        assert attempt.calls == []
        app.screen.query_one("#param-due").value = "2026-12-04"
        await pilot.press("ctrl+s")
        await pilot.pause()
    # Empty optional fields are left out: the use case's defaults apply.
    assert attempt.calls == [{"text": "rehearse the rollback", "due": date(2026, 12, 4)}]


async def test_a_refusal_stays_open_and_names_the_fields_in_the_forms_terms() -> None:
    needs = Refusal("2 required steps still open", ("force", "reason"))
    attempt = Attempts(needs)
    modal = form_for("close", attempt)
    async with opened(modal) as (app, pilot):
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error_text(app) == "2 required steps still open (tick: force; fill in: reason)"
        assert "--" not in error_text(app)  # never a CLI flag
        assert app.screen.focused is app.screen.query_one("#param-force", Checkbox)
        assert_still_open(app, modal)
        await pilot.press("space")  # tick it
        attempt.refusal = None
        app.screen.query_one("#param-reason").value = "rest is paperwork"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert attempt.calls[-1] == {"force": True, "reason": "rest is paperwork"}
    assert app.results == [{"force": True, "reason": "rest is paperwork"}]


def test_remedy_phrases_needs_as_fields_and_ignores_others() -> None:
    params = BY_NAME["schedule-postmortem"].params
    assert remedy(("reason",), params) == "fill in: reason"
    assert remedy(("force", "reason"), params) == "tick: force; fill in: reason"
    assert remedy(("started_at",), params) == ""


def test_remedy_says_alternatives_as_any_one_of_them() -> None:
    """A refusal that any one field resolves (`CommandError.needs_one_of`) is not said
    as if all were needed: "fill in: evidence, override" read as both."""
    check = BY_NAME["check"].params
    assert remedy((), check, ("evidence", "override")) == "fill in: evidence or override"
    report = BY_NAME["report-status"].params
    assert (
        remedy((), report, ("status", "owner", "reviewers"))
        == "fill in: status, owner or reviewers"
    )
    close = BY_NAME["close"].params
    assert remedy((), close, ("force", "reason")) == "tick: force or fill in: reason"
    assert remedy(("force",), close, ("reason", "started_at")) == "tick: force; fill in: reason"


async def test_a_refusal_any_one_field_resolves_focuses_the_first_of_them() -> None:
    refused = Refusal("no samples yet", one_of=("evidence", "override"))
    modal = form_for("check", Attempts(refused))
    async with opened(modal) as (app, pilot):
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error_text(app) == "no samples yet (fill in: evidence or override)"
        assert app.screen.focused is app.screen.query_one("#param-evidence")
        assert_still_open(app, modal)


async def test_enter_in_an_empty_required_field_says_what_ctrl_s_says() -> None:
    """`s` on a step, Enter: the focus was in the empty Reason already, and Enter
    focused it again and said nothing. It now says why it goes nowhere."""
    attempt = Attempts()
    modal = form_for("skip", attempt)
    async with opened(modal) as (app, pilot):
        reason = app.screen.query_one("#param-reason")
        assert app.screen.focused is reason
        await pilot.press("enter")
        await pilot.pause()
        assert error_text(app) == "Fill in reason: it is required."
        assert app.screen.focused is reason
        assert_still_open(app, modal)
        await type_text(pilot, "not needed")
        await pilot.press("enter")
        await pilot.pause()
    assert attempt.calls == [{"reason": "not needed"}]


async def test_enter_in_a_filled_field_moves_on_to_the_empty_required_one() -> None:
    attempt = Attempts()
    modal = form_for("assign", attempt, initial={"person": "cy"})
    async with opened(modal) as (app, pilot):
        role, person = app.screen.query_one("#param-role"), app.screen.query_one("#param-person")
        assert app.screen.focused is role  # the empty required field comes first
        person.focus()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.focused is role and error_text(app) == ""
        assert_still_open(app, modal)
    assert attempt.calls == []


FIVE_ROLES = [
    ("incident-commander", "incident-commander — Ada Lovelace"),
    ("deployment-coordinator", "deployment-coordinator — (vacant)"),
    ("comms-lead", "comms-lead — (vacant)"),
    ("ops", "ops — (vacant)"),
    ("leadership", "leadership — (vacant)"),
]
"""The bundled runbook's roles, as the Assign role form lists them."""


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_a_choices_menu_is_drawn_inside_its_dialog(size: tuple[int, int]) -> None:
    """The menu, an overlay, was drawn over the dialog's bottom border and below it (at
    120x40 "ops — (vacant)" on the border, "leadership — (vacant)" under it): the
    dialog is as tall as the open menu needs, and as it was once it closes."""
    verb = BY_NAME["assign"]
    modal = VerbForm(
        verb.title,
        verb.help,
        verb.params,
        attempt=Attempts(),
        choices={"role": FIVE_ROLES},
        now=SCENARIO_T0,
    )
    async with opened(modal, size=size) as (app, pilot):
        dialog = app.screen.query_one(".dialog")
        closed = dialog.region
        select = app.screen.query_one("#param-role", Select)
        assert app.screen.focused is select
        await pilot.press("enter")
        await pilot.pause()
        menu = select.query_one(OptionList)
        assert select.expanded and menu.region.height == len(FIVE_ROLES) + 1  # and the prompt
        inside = dialog.region.shrink(dialog.styles.gutter)
        assert inside.contains_region(menu.region), (menu.region, dialog.region)
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert select.value == "deployment-coordinator" and not select.expanded
        assert dialog.region == closed
