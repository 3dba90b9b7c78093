"""`lastgood validate`: each runbook file checked, each problem named by file, line and
column, on one line whatever the file's name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_helpers import InProcessCli


@pytest.fixture
def cli(tmp_path):
    return InProcessCli(tmp_path / "incidents.db")


def test_validate_names_a_file_on_one_line_whatever_its_name(cli, tmp_path):
    odd = tmp_path / "rollback\nforged.yaml"
    odd.write_text(Path("runbooks/rollback.yaml").read_text())
    result = cli.run("validate", str(odd))
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        f"{tmp_path}/rollback␊forged.yaml: ok (runbook 'rollback', 4 phases, 18 steps)"
    ]


def test_validate_reports_file_line_col_and_exit_2(cli, tmp_path):
    good = cli.run("validate", "runbooks/rollback.yaml", "runbooks/examples/rollback-checklist.md")
    assert good.code == 0, good.err
    assert "runbooks/rollback.yaml: ok (runbook 'rollback', 4 phases" in good.out
    bad = tmp_path / "bad.yaml"
    bad.write_text("runbook: x\ntitle: X\nphases:\n  - id: p\n    titel: P\n")
    garbage = tmp_path / "garbage.yaml"
    garbage.write_bytes(bytes(range(256)) * 4)
    tagged = tmp_path / "tagged.yaml"
    tagged.write_text("runbook: !!python/object:os.system x\n")
    result = cli.run("validate", str(bad), str(garbage), str(tagged), "runbooks/rollback.yaml")
    assert result.code == 2
    assert "Traceback" not in result.err
    lines = result.err.strip().splitlines()
    assert any(line.startswith(f"{bad}:5:5: unknown key 'titel'") for line in lines), lines
    assert any(line.startswith(f"{garbage}:2:118: not a text file") for line in lines), lines
    assert any(line.startswith(f"{tagged}:1:10: ") and "tag" in line for line in lines), lines


def test_validate_json_names_the_file_each_problem_is_in(cli, tmp_path):
    """A steps_from file's problem was put under the runbook's name alone: a CI annotation
    landed on the wrong file."""
    broken = tmp_path / "broken.md"
    broken.write_text("## Do\n- [ ] fine\n- [] broken\n")
    runbook = tmp_path / "sfb.yaml"
    runbook.write_text(
        "runbook: sfb\ntitle: T\nphases:\n  - {id: a, title: A, steps_from: broken.md}\n"
    )
    result = cli.run("validate", "--json", str(runbook))
    assert result.code == 2
    (checked,) = json.loads(result.out)["files"]
    assert checked["file"] == str(runbook)
    assert [(p["file"], p["line"], p["col"]) for p in checked["problems"]] == [(str(broken), 3, 3)]


def test_validate_counts_in_words(cli, tmp_path):
    one = tmp_path / "one.yaml"
    one.write_text(
        "runbook: x\ntitle: X\nphases:\n  - {id: a, title: A, steps: [{id: s, title: S}]}\n"
    )
    # (then its notes of the guide's phases, tiers and triggers it lacks)
    assert (
        cli.ok("validate", str(one)).splitlines()[0] == f"{one}: ok (runbook 'x', 1 phase, 1 step)"
    )


def test_a_template_refused_for_its_placeholder_is_not_reported_missing(cli):
    """`{title}` typed `{titel}`: the template was refused, then reported missing where
    `notify: send:` names it, as if it were not defined (a fresh-eyes review)."""
    path = Path("tests/runbooks/malformed/template-placeholder-sent.yaml")
    result = cli.run("validate", str(path))
    assert result.code == 2
    assert result.err.splitlines() == [
        f"{path}:5:24: template 'resolved': unknown placeholder '{{titel}}' (did you mean "
        "'title'? allowed: channel, commander, elapsed, eta, from_version, id, issue, "
        "last_good_version, next_update, next_update_sentence, pattern, phase, "
        "rollback_sentence, service_now, severity, status, time, title, version_now)"
    ]


def test_validate_says_where_a_quote_left_open_began_on_the_errors_line(cli, tmp_path):
    """`op: ">` on line 40: YAML gives up on line 54, where the string it took in ends.
    The one line names that place, as YAML does, and the quote's."""
    lines = Path("runbooks/rollback.yaml").read_text().split("\n")
    lines[39] = lines[39].removesuffix('"')
    unclosed = tmp_path / "unclosed.yaml"
    unclosed.write_text("\n".join(lines))
    result = cli.run("validate", str(unclosed))
    assert (result.code, result.out) == (2, "")
    assert result.err.splitlines() == [
        f"{unclosed}:54:13: YAML syntax error: expected <block end>, but found '<scalar>' "
        "(while parsing a block mapping started at line 36); "
        "a quoted string opened at 40:9 may be unclosed"
    ]


def test_a_templates_refusal_lists_every_placeholder(cli, tmp_path):
    """The only list of the placeholders an author could find was this refusal, cut at
    `severity and 2 more`, in `--json` too (ux_review8 #2)."""
    runbook = tmp_path / "t1.yaml"
    runbook.write_text(
        "runbook: t\ntitle: T\ntemplates:\n"
        '  initiating: "Initiating rollback due to {region}."\n'
        "phases:\n  - {id: a, title: A, steps: [{id: s, title: S}]}\n"
    )
    every = (
        "channel, commander, elapsed, eta, from_version, id, issue, last_good_version, "
        "next_update, next_update_sentence, pattern, phase, rollback_sentence, service_now, "
        "severity, status, time, title, version_now"
    )
    said = f"template 'initiating': unknown placeholder '{{region}}' (allowed: {every})"
    result = cli.run("validate", str(runbook))
    assert result.code == 2
    assert result.err.splitlines() == [f"{runbook}:4:43: {said}"]
    (checked,) = json.loads(cli.run("validate", "--json", str(runbook)).out)["files"]
    assert [p["message"] for p in checked["problems"]] == [said]


def test_the_example_plan_in_steps_from_is_refused_whole_and_taken_by_section(tmp_path):
    """The product's own deployment-plan.md, as the README pairs it with `steps_from`,
    poured its three sections into one phase and validate said ok (ux_review8 #3).
    Whole, it is refused naming its headings; by section, each phase gets its own."""
    cli = InProcessCli(tmp_path / "record.db", actor="Ada")
    plan = tmp_path / "deployment-plan.md"
    plan.write_text(Path("runbooks/examples/deployment-plan.md").read_text())
    whole = tmp_path / "whole.yaml"
    whole.write_text(
        "runbook: storefront\ntitle: Storefront\nphases:\n"
        "  - {id: execute, title: Execute Rollback, window: [5, 30],"
        " steps_from: deployment-plan.md}\n"
    )
    refused = cli.run("validate", str(whole))
    assert refused.code == 2
    assert refused.err.splitlines() == [
        f"{whole}:4:73: steps_from: 'deployment-plan.md' has tasks under 3 headings "
        "(Rollback: application, Rollback: database, Verification): name those this phase "
        'takes, as {file: deployment-plan.md, section: "Verification"} (a list takes '
        "several; the phase's own title and window stand)"
    ]
    by_section = tmp_path / "storefront.yaml"
    by_section.write_text(
        "runbook: storefront\ntitle: Storefront\nphases:\n"
        "  - id: execute\n    title: Execute Rollback\n    window: [5, 30]\n"
        "    steps_from:\n      file: deployment-plan.md\n"
        '      section: ["Rollback: application", "Rollback: database"]\n'
        "  - id: verify\n    title: Verification\n    window: [15, 45]\n"
        "    steps_from: {file: deployment-plan.md, section: Verification}\n"
    )
    assert cli.ok("validate", str(by_section)).splitlines()[0] == (
        f"{by_section}: ok (runbook 'storefront', 2 phases, 8 steps)"
    )
    incident = cli.ok(
        "declare", "--title", "t", "--severity", "SEV2", "--commander", "Ada",
        "--runbook", str(by_section),
    ).strip()  # fmt: skip
    status = json.loads(cli.ok("status", incident, "--json"))
    phases: dict[str, list[str]] = {}
    for step in status["steps"]:
        phases.setdefault(step["phase"], []).append(step["id"])
    assert phases == {
        "execute": [
            "switch-traffic-back",
            "drain-green",
            "disable-the-fraud-score-flag",
            "keep-green-running-for-diagnosis",
            "leave-the-schema-as-it-is",
        ],
        "verify": ["confirm-version", "check-health", "smoke-test"],
    }
