"""Text with a hanging indent: rows of a lead (a marker, a state) and a body, the body's
wrapped lines under its own first word, not under the lead.

Textual wraps an option's prompt back to the list's left edge: at 60 columns a manual
trigger's "(manual: space toggles)" went on to a line of its own under the trigger's
state marker, where it read as another item. This visual is laid out at the width it
is drawn at, so it wraps as the list is wide, whatever the terminal.
"""

from __future__ import annotations

from collections.abc import Sequence

from msgspec import Struct
from rich.cells import cell_len
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual


class Row(Struct, frozen=True):
    """One paragraph: `lead` in the indent's cells, then the body.

    `forms` are the body's forms, longest first: the first that fits on one line is
    shown; when none does, the first, wrapped under itself. A Struct, made in C: the
    checklist's prompts bring this module into start-up, where a dataclass's generated
    methods cost their compiling (`test_no_dataclass_is_made_at_start_up`)."""

    lead: Content
    forms: tuple[Content, ...]
    indent: int | None = None
    """The cells the body starts in, where not the `Hanging`'s: the post-mortem's items
    each hang under their own lead (`[x] `, `[ ] 1. `, `- `), whatever its width."""


class Hanging(Visual):
    """`rows`, each body `indent` cells in, its wrapped lines as far in as its first."""

    def __init__(self, rows: Sequence[Row], indent: int) -> None:
        self.rows = tuple(rows)
        self.indent = indent
        self._laid: dict[int, Content] = {}

    def __str__(self) -> str:
        return self.laid_out(10_000).plain

    def laid_out(self, width: int) -> Content:
        """The text as drawn `width` cells wide: every line fits it (where a word does)."""
        laid = self._laid.get(width)
        if laid is None:
            laid = self._laid[width] = Content("\n").join(self._lines(width))
        return laid

    def _lines(self, width: int) -> list[Content]:
        lines: list[Content] = []
        for row in self.rows:
            indent = self.indent if row.indent is None else row.indent
            room = max(width - indent, 1)
            form = next((f for f in row.forms if cell_len(f.plain) <= room), row.forms[0])
            wrapped = form.wrap(room) or [Content("")]
            lead = row.lead.pad_right(max(indent - cell_len(row.lead.plain), 0))
            lines.append(lead + wrapped[0])
            lines.extend(Content(" " * indent) + line for line in wrapped[1:])
        return lines

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        return self.laid_out(width).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return max(
            (
                (self.indent if row.indent is None else row.indent) + cell_len(row.forms[0].plain)
                for row in self.rows
            ),
            default=self.indent,
        )

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.laid_out(width).get_height(rules, width)
