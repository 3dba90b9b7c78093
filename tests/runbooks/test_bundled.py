"""The bundled `rollback` runbook encodes the whole rollback guide."""

from __future__ import annotations

import re
import string
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from runbooks import (
    BUNDLED_DIR,
    bundled_runbooks,
    load_runbook,
    resolve_runbook,
    template_placeholders,
    validate_runbook_file,
)
from runbooks.model import (
    TEMPLATE_PLACEHOLDERS,
    DataLoss,
    DeploymentPattern,
    ProbeKind,
    Runbook,
    StepKind,
    TriggerKind,
    Window,
)

BUNDLED = BUNDLED_DIR / "rollback.yaml"
GUIDE_GATE = (
    "When rollback criteria are met, do not hesitate. "
    "A bad deployment rarely gets better on its own."
)


@pytest.fixture(scope="module")
def rollback() -> Runbook:
    return load_runbook(BUNDLED)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_bundled_runbook_is_valid_and_found_by_name() -> None:
    assert validate_runbook_file(BUNDLED) == []
    assert BUNDLED in bundled_runbooks()
    assert resolve_runbook("rollback") == BUNDLED


def test_identity(rollback: Runbook) -> None:
    assert rollback.id == "rollback"
    assert rollback.title == "Emergency rollback"
    assert rollback.source == str(BUNDLED)


def test_four_phases_with_the_guide_windows(rollback: Runbook) -> None:
    """The guide's Phase 4 has no window: "Once the service is stable, close out the
    incident." A T+45 there showed as a start time, a countdown and a gantt milestone."""
    assert [(p.id, p.title, p.window) for p in rollback.phases] == [
        ("decide", "Decision and Communication", Window(0, 5)),
        ("execute", "Execute Rollback", Window(5, 30)),
        ("verify", "Verification", Window(15, 45)),
        ("close-out", "Communication and Post-Mortem Prep", None),
    ]


def test_steps_in_order(rollback: Runbook) -> None:
    assert {p.id: [s.id for s in p.steps] for p in rollback.phases} == {
        "decide": [
            "assess-severity",
            "create-channel",
            "assign-commander",
            "decide-rollback",
            "announce-rollback",
            "assemble-team",
            "notify-stakeholders",
        ],
        "execute": [
            "record-running-version",
            "app-rollback-blue-green",
            "app-rollback-redeploy",
            "database-rollback",
        ],
        "verify": ["confirm-version", "check-health", "smoke-test"],
        "close-out": [
            "communicate-resolution",
            "document-incident",
            "preliminary-rca",
            "schedule-post-mortem",
        ],
    }


def test_every_step_has_an_owner_role_and_guidance(rollback: Runbook) -> None:
    for step in rollback.steps():
        assert step.owner in rollback.roles, step.id
        assert step.guidance.strip(), step.id
        assert step.phase_id == next(p.id for p in rollback.phases if step in p.steps)


def test_phase_summaries_quote_the_guide(rollback: Runbook) -> None:
    summaries = {p.id: flat(p.summary) for p in rollback.phases}
    assert (
        summaries["decide"] == "This is the immediate response once a critical issue is detected."
    )
    assert "The rollback-checklist.md provides the generic execution steps." in summaries["execute"]
    assert "should be documented in the deployment-plan.md for the release" in summaries["execute"]
    assert summaries["verify"] == (
        "After executing the rollback, you must verify that the service is restored."
    )
    assert summaries["close-out"] == "Once the service is stable, close out the incident."


def test_core_principles_are_in_the_description(rollback: Runbook) -> None:
    description = flat(rollback.description)
    for phrase in (
        "It is a critical safety mechanism, not a failure.",
        "Speed is Critical: The priority is to stop the bleeding. "
        "Restore service first, then diagnose the cause.",
        f"Act Decisively: {GUIDE_GATE}",
        "Communicate Clearly: Declare an incident and keep stakeholders informed "
        "with concise, regular updates.",
        "Follow the Plan: Execute the pre-planned rollback procedure from the deployment "
        "runbook. Do not improvise under pressure.",
        "A successful rollback is one that is fast, safe, and effective.",
        "Every rollback is a valuable learning opportunity",
    ):
        assert phrase in description


GUIDE_STEP_WORDS = {
    "assess-severity": "Quickly determine if the issue meets the pre-defined rollback triggers "
    "(e.g., error rate > 5%, core functionality broken).",
    "create-channel": "Create a dedicated communication channel",
    "assign-commander": "Assign an incident commander",
    "decide-rollback": GUIDE_GATE,
    "announce-rollback": "announce that a rollback is being initiated",
    "assemble-team": "Page the deployment team and on-call engineers.",
    "notify-stakeholders": '"Initiating rollback due to [issue]. ETA [time]." '
    "is sufficient to start.",
    "app-rollback-blue-green": "switching the load balancer back",
    "app-rollback-redeploy": "re-deploying the previous version",
    "database-rollback": "This is the most dangerous step.",
    "confirm-version": "Ensure the old, stable version of the application is running.",
    "check-health": "Verify that health checks are passing and error rates are returning to "
    "baseline levels.",
    "smoke-test": "Perform a quick manual test of the most critical user functionality "
    "(login, etc.).",
    "communicate-resolution": "Update the status page and notify all stakeholders that the "
    "issue is resolved. Be transparent that a rollback was performed.",
    "document-incident": "While the details are fresh, create an incident report detailing "
    "the timeline, impact, and resolution.",
    "preliminary-rca": "Begin a preliminary root cause analysis.",
    "schedule-post-mortem": "Book a blameless post-mortem meeting within 24-48 hours to learn "
    "from the incident.",
}


@pytest.mark.parametrize("step_id", sorted(GUIDE_STEP_WORDS))
def test_step_guidance_uses_the_guide_words(rollback: Runbook, step_id: str) -> None:
    step = rollback.step(step_id)
    assert step is not None
    assert GUIDE_STEP_WORDS[step_id].casefold() in flat(step.guidance).casefold()


def test_declaring_is_a_formal_step(rollback: Runbook) -> None:
    for step_id in ("create-channel", "assign-commander"):
        step = rollback.step(step_id)
        assert step is not None and "This is a formal step." in step.guidance


def test_the_decision_is_an_approval_gate_of_the_incident_commander(rollback: Runbook) -> None:
    gate = rollback.step("decide-rollback")
    assert gate is not None
    assert gate.kind is StepKind.APPROVAL
    assert gate.approver == "incident-commander"
    assert gate.requires_approval and gate.required
    assert GUIDE_GATE in flat(gate.guidance)
    assert [s.id for s in rollback.steps() if s.requires_approval] == ["decide-rollback"]


def test_communications_and_their_templates(rollback: Runbook) -> None:
    expected = {
        "announce-rollback": "announce",
        "assemble-team": "paging",
        "notify-stakeholders": "initiating",
        "communicate-resolution": "resolved",
    }
    found = {s.id: s.template for s in rollback.steps() if s.kind is StepKind.COMMUNICATION}
    assert found == expected
    assert rollback.template("initiating") == "Initiating rollback due to {issue}. ETA {eta}."


def test_templates_cover_updates_and_render(rollback: Runbook) -> None:
    ids = [template_id for template_id, _ in rollback.templates]
    assert {"initiating", "update", "resolved", "paging"} <= set(ids)
    update = rollback.template("update") or ""
    # Stakeholders read a clock time, as "Next update by 12:18 UTC": not T+, whose zero
    # (a back-dated impact start) no one told them; and how production is now.
    assert {"phase", "time", "next_update_sentence", "service_now"} <= set(
        template_placeholders(update)
    )
    assert all("elapsed" not in template_placeholders(text) for _, text in rollback.templates)
    resolved = rollback.template("resolved") or ""
    assert "rollback" in resolved
    values = {name: f"<{name}>" for name in TEMPLATE_PLACEHOLDERS}
    for template_id, text in rollback.templates:
        names = set(template_placeholders(text))
        assert names <= TEMPLATE_PLACEHOLDERS, template_id
        rendered = text.format(**values)
        assert "{" not in rendered and "}" not in rendered
        for _literal, name, spec, conversion in string.Formatter().parse(text):
            assert not spec and not conversion, template_id
            assert name is None or name in TEMPLATE_PLACEHOLDERS


def test_application_rollback_per_deployment_pattern(rollback: Runbook) -> None:
    assert {info.id for info in rollback.patterns} == set(DeploymentPattern)
    assert rollback.default_pattern is DeploymentPattern.ROLLING
    execute = rollback.phase("execute")
    assert execute is not None
    for pattern in DeploymentPattern:
        specific = [s.id for s in execute.steps if pattern in s.patterns]
        expected = (
            "app-rollback-blue-green"
            if pattern is DeploymentPattern.BLUE_GREEN
            else "app-rollback-redeploy"
        )
        assert specific == [expected]
    blue_green = rollback.step("app-rollback-blue-green")
    assert blue_green is not None and "load balancer" in blue_green.title


def test_optional_command_step(rollback: Runbook) -> None:
    command = [s for s in rollback.steps() if s.kind is StepKind.COMMAND]
    assert len(command) == 1
    assert command[0].command and not command[0].required
    assert [s.id for s in rollback.steps() if not s.required] == [command[0].id]


def test_database_step_and_the_three_tiers(rollback: Runbook) -> None:
    database = [s for s in rollback.steps() if s.kind is StepKind.DATABASE]
    assert [s.id for s in database] == ["database-rollback"]
    assert database[0].title == "Execute database rollback (if absolutely necessary)"
    assert "This is the most dangerous step" in database[0].guidance
    tiers = rollback.database_tiers
    assert [(t.id, t.data_loss, t.approver) for t in tiers] == [
        ("none", DataLoss.NONE, None),
        ("down-migrations", DataLoss.POSSIBLE, None),
        ("restore-backup", DataLoss.CERTAIN, "leadership"),
    ]
    best, acceptable, last = tiers
    assert best.title.startswith("Best case")
    assert "Expand-Contract" in best.guidance
    assert flat(best.guidance).endswith("No database rollback is needed.")
    assert acceptable.title.startswith("Acceptable case")
    assert 'Run "down" migration scripts to reverse the schema changes.' in flat(
        acceptable.guidance
    )
    assert acceptable.risk == "This carries a risk of data loss."
    assert last.title.startswith("Last resort")
    assert "Restore the database from the pre-deployment backup." in flat(last.guidance)
    assert (
        "This *will* cause data loss for any transactions that occurred after the backup "
        "was taken." in flat(last.guidance)
    )
    assert "This requires leadership approval." in flat(last.guidance)


def test_verification_is_backed_by_probes(rollback: Runbook) -> None:
    confirm = rollback.step("confirm-version")
    health = rollback.step("check-health")
    assert confirm is not None and health is not None
    assert (confirm.kind, confirm.probe) == (StepKind.VERIFICATION, "version")
    assert confirm.evidence == "version == last_good_version"
    assert (health.kind, health.probe) == (StepKind.VERIFICATION, "error-rate")
    assert health.evidence and "baseline" in health.evidence
    smoke = rollback.step("smoke-test")
    # No probe backs it: what was tested and seen is its evidence, asked for at the check.
    assert smoke is not None and (smoke.kind, smoke.probe) == (StepKind.VERIFICATION, None)


def test_triggers(rollback: Runbook) -> None:
    by_id = {t.id: t for t in rollback.triggers}
    assert set(by_id) == {"error-rate", "health-failing", "core-broken"}
    error_rate = by_id["error-rate"]
    assert (error_rate.kind, error_rate.probe, error_rate.op, error_rate.threshold) == (
        TriggerKind.METRIC,
        "error-rate",
        ">",
        0.05,
    )
    health = by_id["health-failing"]
    assert health.kind is TriggerKind.CONSECUTIVE_FAILURES and health.probe == "health"
    assert health.count is not None and health.count >= 2
    core = by_id["core-broken"]
    assert (core.kind, core.title) == (TriggerKind.MANUAL, "Core functionality broken")


def test_probes_point_at_loopback(rollback: Runbook) -> None:
    kinds = {p.name: p.kind for p in rollback.probes}
    assert kinds == {
        "health": ProbeKind.HTTP,
        "version": ProbeKind.VERSION,
        "error-rate": ProbeKind.PROMETHEUS,
    }
    for probe in rollback.probes:
        assert urlsplit(probe.url).hostname == "127.0.0.1"
        assert 0 < probe.timeout_s <= probe.interval_s
    error_rate = rollback.probe("error-rate")
    assert error_rate is not None and error_rate.query and error_rate.threshold == 0.05


def test_update_cadence(rollback: Runbook) -> None:
    assert (rollback.cadence.first_update_min, rollback.cadence.every_min) == (5, 20)


def test_roles_are_the_defaults(rollback: Runbook) -> None:
    assert rollback.roles == (
        "incident-commander",
        "deployment-coordinator",
        "comms-lead",
        "ops",
        "leadership",
    )


def test_bundled_directory_holds_only_valid_runbooks() -> None:
    for path in bundled_runbooks():
        assert validate_runbook_file(path) == [], path
    examples = sorted((Path(BUNDLED_DIR) / "examples").iterdir())
    assert [p.name for p in examples] == ["deployment-plan.md", "rollback-checklist.md"]
    for path in examples:
        assert validate_runbook_file(path) == [], path
