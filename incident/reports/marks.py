"""The marks a timeline line carries, the same in every face: the report's timeline,
`lastgood timeline`, the report's notes and the live panel."""

from __future__ import annotations

KEY_MARK = "★"
"""A key moment (`ReportContext.key_marks`)."""
PIN_MARK = "📌"
"""A pinned note."""
WARN_MARK = "⚠"
"""Where the record contradicts itself (`analysis.warned`)."""
