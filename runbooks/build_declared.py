"""A step done by the declaration: `done_by_declaration: commander` (review7 F17).

The guide's phase 1 asks to "Declare an Incident: ... Create a dedicated communication
channel, assign an incident commander". A declaration that names the commander has
assigned one, and one that names the channel has it created: the step says which of
the declaration's fields does it (`runbooks.model.DECLARATION_FIELDS`), and declaring
with that field given records the step done (`incident.commands.declared_steps`).
"""

from __future__ import annotations

from runbooks.checks import choices_hint
from runbooks.fields import Fields
from runbooks.model import DECLARATION_FIELDS

KEY = "done_by_declaration"


def read_done_by_declaration(fields: Fields) -> str | None:
    """The declaration field a check step names, or None (reported when it is not one,
    or when the step also waits for an approval, which no declaration gives)."""
    value = fields.text(KEY)
    if value is None:
        return None
    if value not in DECLARATION_FIELDS:
        hint = choices_hint(value, DECLARATION_FIELDS)
        fields.report(KEY, f"unknown declaration field '{value}'{hint}")
        return None
    if fields.given("approver"):
        fields.report(
            KEY, f"'{KEY}' cannot be given with 'approver': no declaration approves a step"
        )
        return None
    return value
