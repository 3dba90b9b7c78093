"""A tick is not evidence, at the keyboard: the check key on a verification step its
probe shows nothing of asks what was seen; the palette's Check on a message step with
no message asks for an override reason; Esc records nothing either way. What was
recorded is read back from the file by a second reader.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.widgets import Input, Label

from incident.app import messages, steps
from incident.app.next_key import next_key
from incident.core.state import IncidentState, fold
from store.sqlite_log import SqliteEventLog
from tests.cli_helpers import Cli
from tests.tui.pilot_helpers import (
    coordinator_on,
    fill_form,
    from_palette,
    highlight,
    wait_for_screen,
    wait_until,
)
from tui.app.modals import ComposerModal, TextPrompt, VerbForm
from tui.app.screens.incident import IncidentScreen
from tui.demo.scenarios import ACTOR, SAMPLE_EVERY_S, declared


def read_back(db: Path, incident_id: str) -> IncidentState:
    with SqliteEventLog.open(db, read_only=True) as log:
        assert log.verify(incident_id).ok
        return fold(log.events(incident_id))


async def test_the_check_key_on_a_step_with_no_samples_asks_what_was_seen(tmp_path):
    db = tmp_path / "no-samples.db"
    scenario = declared(db, at=timedelta(0))  # declared this moment: no probe has polled
    async with coordinator_on(scenario) as (app, pilot, screen):
        before = screen.state.last_seq
        highlight(screen, "confirm-version")
        await pilot.press("space")
        await wait_for_screen(pilot, TextPrompt)
        prompt = str(app.screen.query_one(".prompt", Label).render())
        # The probe as the command line's refusal names it, and the step by its title:
        # what to type, and why.
        assert prompt.startswith(
            "Probe 'version' has no samples yet. What did you see that shows "
            "'Confirm version' is done? It is recorded as the step's evidence."
        )
        assert str(app.screen.query_one(".title", Label).render()) == ("Evidence: Confirm version")
        await pilot.press("escape")  # Esc records nothing
        await wait_for_screen(pilot, IncidentScreen)
        assert screen.state.last_seq == before
        assert not screen.state.steps["confirm-version"].done

        await pilot.press("space")
        await wait_for_screen(pilot, TextPrompt)
        app.screen.query_one("#answer", Input).value = "kubectl shows 2.4.0 on every pod"
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.state.steps["confirm-version"].done)
    record = read_back(db, scenario.incident_id).steps["confirm-version"]
    assert (record.done, record.evidence, record.override) == (
        True,
        "kubectl shows 2.4.0 on every pod",
        "",
    )


async def test_too_few_samples_the_question_names_the_probe_and_the_step(tmp_path):
    """One sample of five: the prompt said "1 of 5 samples so far. What shows it?",
    naming neither the probe counted nor the step, under a version example for a step
    about error rates. It now reads as `lastgood check`'s refusal (run as a process on
    the same file), with the step's title and an example that fits its probe."""
    db = tmp_path / "few.db"
    scenario = declared(db, at=timedelta(0))
    scenario.advance(SAMPLE_EVERY_S)  # one tick of the probes
    refused = Cli(db).run("check", scenario.incident_id, "check-health")
    assert refused.code == 2
    assert "probe 'error-rate' does not show it yet (1 of 5 samples so far)" in refused.err
    async with coordinator_on(scenario, size=(80, 24)) as (app, pilot, screen):
        highlight(screen, "check-health")
        await pilot.press("space")
        await wait_for_screen(pilot, TextPrompt)
        prompt = str(app.screen.query_one(".prompt", Label).render())
        assert prompt.startswith(
            "Probe 'error-rate' does not show it yet (1 of 5 samples so far). "
            "What did you see that shows 'Check health' is done?"
        )
        assert "kubectl" not in app.screen.query_one("#answer", Input).placeholder
        await pilot.press("escape")
        await wait_for_screen(pilot, IncidentScreen)
        assert not screen.state.steps["check-health"].done


async def test_the_palette_check_on_a_message_step_asks_for_an_override(tmp_path):
    db = tmp_path / "no-message.db"
    scenario = declared(db, at=timedelta(0))
    async with coordinator_on(scenario) as (app, pilot, screen):
        before = screen.state.last_seq
        highlight(screen, "announce-rollback")
        await from_palette(pilot, "Check")
        await fill_form(pilot, note="said it on the bridge")  # no override: refused
        form = app.screen
        assert isinstance(form, VerbForm)
        await wait_until(pilot, lambda: "fill in: override" in form.error_message)
        assert "'announce-rollback' is done by doing it: send the 'announce'" in (
            form.error_message
        )
        assert screen.state.last_seq == before
        await pilot.press("escape")  # Esc records nothing
        await wait_for_screen(pilot, IncidentScreen)
        assert screen.state.last_seq == before

        await from_palette(pilot, "Check")
        await fill_form(pilot, override="told them on the bridge call")
        await wait_until(pilot, lambda: screen.state.steps["announce-rollback"].done)
    record = read_back(db, scenario.incident_id).steps["announce-rollback"]
    assert (record.done, record.override) == (True, "told them on the bridge call")


async def test_the_check_key_on_a_message_step_still_opens_the_composer(tmp_path):
    db = tmp_path / "compose.db"
    scenario = declared(db, at=timedelta(0))
    async with coordinator_on(scenario) as (_, pilot, screen):
        highlight(screen, "notify-stakeholders")
        await pilot.press("space")
        await wait_for_screen(pilot, ComposerModal)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: screen.state.steps["notify-stakeholders"].done)
    state = read_back(db, scenario.incident_id)
    assert [c.template for c in state.communications] == ["initiating"]


async def test_the_check_key_on_a_reopened_message_step_checks_it_with_its_message(tmp_path):
    db = tmp_path / "reopened.db"
    scenario = declared(db, at=timedelta(0))
    session = scenario.session
    messages.send(session, ACTOR, template="announce")
    steps.reopen(session, ACTOR, "announce-rollback", reason="ticked before the channel existed")
    hint = next_key(session.state, "announce-rollback", scenario.clock.now())
    assert hint is not None and hint.key == "space"
    assert hint.what.startswith("check it ('announce' message sent by ada at T+")
    async with coordinator_on(scenario) as (app, pilot, screen):
        highlight(screen, "announce-rollback")
        await pilot.press("space")  # no composer: the message is in the record already
        await wait_until(pilot, lambda: screen.state.steps["announce-rollback"].done)
        assert isinstance(app.screen, IncidentScreen)
    state = read_back(db, scenario.incident_id)
    assert len(state.communications) == 1
    assert state.steps["announce-rollback"].evidence.startswith("'announce' message sent by ada")


async def test_the_check_key_on_the_smoke_test_asks_what_was_tested_and_seen(tmp_path):
    """No probe backs the smoke test: `space` ticked it with no question asked, before
    the rollback had even run (ux_review7 F3, ux_review8 #7). It asks, as `lastgood
    check` refuses a tick and names `--evidence`; the guidance says so."""
    db = tmp_path / "smoke.db"
    scenario = declared(db, at=timedelta(0))
    async with coordinator_on(scenario) as (app, pilot, screen):
        before = screen.state.last_seq
        hint = next_key(screen.state, "smoke-test", scenario.clock.now())
        assert hint is not None and "asks what you tested and saw" in hint.what
        highlight(screen, "smoke-test")
        await pilot.press("space")
        await wait_for_screen(pilot, TextPrompt)
        assert str(app.screen.query_one(".title", Label).render()) == "Evidence: Smoke test"
        prompt = str(app.screen.query_one(".prompt", Label).render())
        assert prompt.startswith(
            "A tick is not evidence: no probe backs 'Smoke test'. What did you test, and "
            "what did you see?"
        )
        await pilot.press("escape")
        await wait_for_screen(pilot, IncidentScreen)
        assert screen.state.last_seq == before and not screen.state.steps["smoke-test"].done

        await pilot.press("space")
        await wait_for_screen(pilot, TextPrompt)
        app.screen.query_one("#answer", Input).value = "logged in and checked out"
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.state.steps["smoke-test"].done)
    record = read_back(db, scenario.incident_id).steps["smoke-test"]
    assert (record.done, record.evidence) == (True, "logged in and checked out")
