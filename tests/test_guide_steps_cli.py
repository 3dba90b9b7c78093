"""`validate` notes each of the guide's own steps a runbook lacks.

bad/lacks2.yaml of ux_review17 #4, the bundled runbook's copy without the decision
gate, the page to the team, the resolution and the preliminary RCA, was `ok` with no
note, where a missing smoke test got one. Each is a note now (exit 0: teams adapt the
guide); the bundled, demo and `init` runbooks have none.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from runbooks.guide_frame import departures
from runbooks.loading import load_runbook
from tests.cli_helpers import InProcessCli
from tests.init_helpers import SERVICE, URLS, init
from tui.demo.launch import write_demo_runbook

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = (ROOT / "runbooks" / "rollback.yaml").read_text(encoding="utf-8")


def without(step_id: str) -> str:
    """The bundled runbook without one step (up to the next step, phase or the end),
    its messages sent at declaration where they waited for it."""
    start = BUNDLED.index(f"      - id: {step_id}\n")
    ends = [BUNDLED.find(mark, start + 1) for mark in ("\n      - id:", "\n  - id:")]
    end = min([at + 1 for at in ends if at > 0] or [len(BUNDLED)])
    text = BUNDLED[:start] + BUNDLED[end:]
    return text.replace(f'{{on: "step:{step_id}"}}', "{on: declared}")


MISSING = {
    "decide-rollback": "no step for the guide's Decide to initiate the rollback (Phase 1: the "
    "decision gate; a step with kind: approval or an approver)",
    "assemble-team": "no step for the guide's Assemble the Team (Phase 1: page the deployment "
    "team and on-call engineers; a communication step with template: paging)",
    "notify-stakeholders": "no step for the guide's Notify Stakeholders (Phase 1: 'Initiating "
    "rollback due to [issue]. ETA [time].'; a communication step with template: initiating)",
    "communicate-resolution": "no step for the guide's Communicate Resolution (Phase 4: notify "
    "all stakeholders that the issue is resolved; a communication step with template: resolved)",
    "document-incident": "no step for the guide's Document the Incident (Phase 4: an incident "
    "report of the timeline, impact and resolution; a step with id: document-incident, checked "
    "by exporting the report)",
    "preliminary-rca": "no step for the guide's Preliminary RCA (Phase 4: begin a preliminary "
    "root cause analysis; a step with id: preliminary-rca, checked by recording the root cause)",
    "schedule-post-mortem": "no step for the guide's Schedule Post-Mortem (Phase 4: book a "
    "blameless post-mortem within 24-48 hours; a step with id: schedule-post-mortem, checked by "
    "booking it)",
}


@pytest.mark.parametrize("step_id", list(MISSING))
def test_validate_notes_each_guide_step_missing(tmp_path: Path, step_id: str) -> None:
    path = tmp_path / "lacks.yaml"
    path.write_text(without(step_id), encoding="utf-8")
    result = InProcessCli(tmp_path / "x.db").run("validate", str(path))
    assert result.code == 0, result.err
    assert result.out.splitlines()[1:] == [f"{path}: note: {MISSING[step_id]}"]


def test_a_step_by_another_id_is_known_by_what_it_does(tmp_path: Path) -> None:
    """The page to the team under the author's own id, with the bundled template, is
    the guide's step: no note."""
    path = tmp_path / "own-ids.yaml"
    path.write_text(
        BUNDLED.replace("- id: assemble-team\n", "- id: page-payments\n").replace(
            "- id: preliminary-rca\n", "- id: rca\n"
        ),
        encoding="utf-8",
    )
    result = InProcessCli(tmp_path / "x.db").run("validate", str(path))
    assert result.out.splitlines()[1:] == [], result.out


def test_the_bundled_demo_and_init_runbooks_lack_none(tmp_path: Path) -> None:
    assert departures(load_runbook(ROOT / "runbooks" / "rollback.yaml")) == []
    assert departures(write_demo_runbook("http://127.0.0.1:9", tmp_path)) == []
    code, _, err = init(tmp_path, *SERVICE, *URLS, "--method", "kubectl")
    assert (code, err) == (0, "")
    result = InProcessCli(tmp_path / "x.db").run("validate", str(tmp_path / "lastgood.yaml"))
    assert (result.code, result.out.count("note:")) == (0, 0), result.out
