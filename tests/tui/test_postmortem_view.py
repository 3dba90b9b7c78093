"""The post-mortem screen's text shows what the report shows: contributing factors, each
action item's priority, type, ticket and whether it is done, and the document's status."""

from __future__ import annotations

from rich.text import Text

from tests.golden.reviewed import reviewed_record
from tui.app.widgets.postmortem_view import findings_text


def test_findings_show_factors_action_fields_and_the_document() -> None:
    state = reviewed_record().state
    assert state.contributing_factors and state.document is not None
    text = Text()
    findings_text(state, text)
    shown = text.plain
    for factor in state.contributing_factors:
        assert f"  - {factor.text}\n" in shown
    for item in state.action_items:
        line = next(row for row in shown.splitlines() if f" {item.number}. {item.text}" in row)
        assert line.startswith("  [x]" if item.done else "  [ ]")
        for value in (item.priority, item.type, item.ticket):
            if value:
                assert value in line
    assert any(item.done for item in state.action_items)
    assert any(not item.done for item in state.action_items)
    assert f"Report: {state.document.status}, owner {state.document.owner}" in shown


def test_a_lesson_without_a_kind_reads_as_itself() -> None:
    """It read "- Unsorted: ...", the tool's word (a fresh user's review)."""
    from incident import commands
    from incident.core.clock import ManualClock
    from tests.conftest import T0
    from tests.drill_walk import ACTOR, drill_session

    clock = ManualClock(T0)
    session = drill_session(clock)
    for kind in ("", "went-well"):
        session.run(
            lambda s, kind=kind: commands.note_lesson(
                s, f"lesson {kind or 'without a kind'}", actor=ACTOR, clock=clock, category=kind
            )
        )
    text = Text()
    findings_text(session.state, text)
    lines = text.plain.splitlines()
    assert "  - lesson without a kind" in lines
    assert any(line.startswith("  - ") and line.endswith(": lesson went-well") for line in lines)
    assert "Unsorted" not in text.plain


def test_text_typed_on_two_lines_shows_on_two_lines_never_as_markup() -> None:
    """ux_review10 #7: a two-line root cause typed in the screen's form showed its
    break as `␊`; the report showed its two lines."""
    from incident import commands
    from incident.core.clock import ManualClock
    from tests.conftest import T0
    from tests.drill_walk import drill_session

    clock = ManualClock(T0)
    session = drill_session(clock)
    cause = "3.1.0 retried `POST /pay` on 502 | [b]no backoff[/b] 🐘\n## second line\x1b[31m"
    session.run(lambda s: commands.note_rca(s, cause, actor="Bo", clock=clock))
    session.run(
        lambda s: commands.note_contributing_factor(s, "canary\nskipped", actor="Bo", clock=clock)
    )
    text = Text()
    findings_text(session.state, text)
    lines = text.plain.splitlines()
    at = lines.index("Root cause (by Bo)")
    assert lines[at + 1 : at + 3] == [
        "  3.1.0 retried `POST /pay` on 502 | [b]no backoff[/b] 🐘",
        "  ## second line␛[31m",  # the escape shown, not obeyed
    ]
    assert "␊" not in text.plain
    factors = lines.index("Contributing factors")
    assert lines[factors + 1 : factors + 3] == ["  - canary", "    skipped"]
    assert not text.spans or all(span.style for span in text.spans)  # styles only ours
