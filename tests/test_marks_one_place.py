"""The timeline's marks are defined once (`incident/reports/marks.py`): ★ a key moment,
📌 a pinned note, ⚠ where the record contradicts itself. The report's timeline,
`lastgood timeline` and the notes section each defined ★ and 📌 for themselves, so
one could change and the three disagree."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKS = {"★", "📌"}


def _defined(path: Path) -> list[str]:
    """The names `path` binds at its top level to one of the marks."""
    found = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant)
            and node.value.value in MARKS
        ):
            found += [t.id for t in node.targets if isinstance(t, ast.Name)]
    return found


def test_the_marks_are_defined_in_one_module() -> None:
    where = {
        str(path.relative_to(ROOT)): names
        for package in ("incident", "tui")
        for path in sorted((ROOT / package).rglob("*.py"))
        if (names := _defined(path))
    }
    assert where == {"incident/reports/marks.py": ["KEY_MARK", "PIN_MARK"]}


def test_every_face_writes_the_same_marks() -> None:
    from incident.reports import followup, marks, report_timeline, timeline
    from tui.app.widgets import timeline_marks

    for module in (followup, report_timeline, timeline):
        assert module.PIN_MARK is marks.PIN_MARK
    for module in (report_timeline, timeline):
        assert module.KEY_MARK is marks.KEY_MARK
    assert report_timeline.WARN_MARK is timeline_marks.WARN_MARK is marks.WARN_MARK
