"""The checklist of one phase: each step with a mark that reads without colour."""

from __future__ import annotations

from collections.abc import Mapping

from textual.content import Content
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets.option_list import Option

from incident.comms.notifications import undelivered_templates
from incident.core.phase_clocks import deciding_steps, next_in_phase
from incident.core.state import IncidentState, StepStatus
from incident.core.text import visible
from runbooks.model import Step
from tui.app.hanging import Hanging, Row
from tui.app.marked_list import MarkedOptionList

MARKS: dict[StepStatus, str] = {
    StepStatus.OPEN: "[ ]",
    StepStatus.DONE: "[x]",
    StepStatus.SKIPPED: "[-]",
    StepStatus.BLOCKED: "[!]",
}

CONTEXT_LINES = 2
"""Lines kept in view above a step the list scrolls down to (the steps just done)."""

STYLES: dict[StepStatus, str] = {
    StepStatus.OPEN: "",
    StepStatus.DONE: "dim",
    StepStatus.SKIPPED: "dim italic",
    StepStatus.BLOCKED: "bold",
}


LEAD_CELLS = 4
"""The mark and a space: a title's wrapped lines start this far in, under its first word."""


UNDELIVERED = " (not delivered: f re-sends)"
"""After a message step checked by a send whose delivery failed for good."""


def step_prompt(
    state: IncidentState, step_id: str, undelivered: bool = False, ran: str = ""
) -> Hanging:
    """The step's mark, then its title and what it is (optional, blocked), the title's
    wrapped lines under its first word: wrapped back under the mark (`[ ] Create a
    dedicated` / `communication channel` at 60 columns), a line read as a step of its own.

    Laid out only at the width it is drawn at, once per width (`Hanging`), and made
    again only when the step's status changes (`Checklist.show`). `ran`: what its command
    did here that the record does not hold yet (`UnrecordedRun.mark`)."""
    record = state.steps[step_id]
    status = state.status_of(step_id)
    body = Content.styled(visible(record.step.title), STYLES[status])
    if not record.step.required:
        body += Content.styled(" (optional)", "dim")
    if status == StepStatus.BLOCKED:
        body += Content.styled(" (blocked)", "bold")
    if undelivered:
        body += Content.styled(UNDELIVERED, "bold")
    if ran:
        body += Content.styled(f" {ran}", "bold")
    mark = Content.styled(MARKS[status] + " ", "bold")
    return Hanging([Row(mark, (body,))], LEAD_CELLS)


Mark = tuple[StepStatus, bool, str]
"""What a step's prompt shows of the incident: its status, whether its message failed
to be delivered (`UNDELIVERED`), and what its command did that is not recorded yet."""


def _mark(
    state: IncidentState, step_id: str, undelivered: frozenset[str], ran: Mapping[str, str]
) -> Mark:
    status = state.status_of(step_id)
    template = state.steps[step_id].step.template
    failed = status is StepStatus.DONE and template is not None and template in undelivered
    return status, failed, ran.get(step_id, "")


class Checklist(MarkedOptionList):
    """Steps of the phase on show; the highlighted one is the step acted on."""

    DEFAULT_CSS = """
    Checklist { height: 1fr; border: round $primary-muted; }
    Checklist:focus { border: round $primary; }
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
    """The list's length, redrawn without a layout of the screen.

    Its height is the column's (`1fr`), so another phase's longer or shorter list
    changes nothing else on screen; Textual's own `virtual_size` laid the whole
    screen out again and repainted all of it on each phase switch. A scrollbar that
    comes or goes is a layout still (`show_vertical_scrollbar`).
    """

    _shown: tuple[list[str], list[Mark]] = ([], [])
    """The step ids and their marks on show, to redraw only the steps that changed."""

    _made: dict[str, tuple[Step, Mark, Option]]
    """Each step's option as last made, with the step and mark its prompt shows.

    A phase shown again gets the same options back where nothing changed, and with
    them the lines already drawn of them (`MarkedOptionList._drawn_options`).
    """

    _advancing = False
    """Set while `highlight_next_open` moves the highlight: see `scroll_to_highlight`."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._made = {}
        self.ran: Mapping[str, str] = {}
        """What a step's command did here that the record does not hold yet, by step
        (`UnrecordedRun.mark`): shown after its title until it is recorded."""

    def show(self, state: IncidentState, phase_id: str) -> None:
        """Show the phase's steps, keeping the highlighted step where it was.

        The same steps as before (a step checked, say): only the prompts of steps
        whose status changed are made again and replaced, with no new layout (a
        prompt is its step's, which the runbook fixes, and its status); another
        phase: the list is rebuilt.
        """
        highlighted = self.highlighted_step
        step_ids = [r.step.id for r in state.phase_steps(phase_id)]
        undelivered = undelivered_templates(state)
        marks = [_mark(state, step_id, undelivered, self.ran) for step_id in step_ids]
        shown_ids, shown_marks = self._shown
        self._shown = (step_ids, marks)
        if step_ids == shown_ids and self.option_count == len(step_ids):
            for index, (mark, before) in enumerate(zip(marks, shown_marks, strict=True)):
                if mark != before:
                    step_id = step_ids[index]
                    prompt = step_prompt(state, step_id, mark[1], mark[2])
                    self.replace_option_prompt_at_index(index, prompt)
                    option = self.get_option_at_index(index)
                    self._made[step_id] = (state.steps[step_id].step, mark, option)
            return
        self.set_options(
            self._option_for(state, step_id, mark)
            for step_id, mark in zip(step_ids, marks, strict=True)
        )
        if highlighted in step_ids:
            self.highlighted = step_ids.index(highlighted)
        else:
            self.highlight_next_open(state)

    def _option_for(self, state: IncidentState, step_id: str, mark: Mark) -> Option:
        """The step's option: the one made before if its step and mark are the same."""
        step = state.steps[step_id].step
        made = self._made.get(step_id)
        if made is not None and made[1] == mark and (made[0] is step or made[0] == step):
            return made[2]
        option = Option(step_prompt(state, step_id, mark[1], mark[2]), id=step_id)
        self._made[step_id] = (step, mark, option)
        return option

    def on_resize(self) -> None:
        """The highlighted step back in view once the list's size changes: stacked under
        Production (`-stacked`, app.tcss) the list is a few rows high, and the step being
        worked in was below its end, the list showing the phase's first, done steps."""
        self.call_after_refresh(self.scroll_to_highlight)

    def highlight_next_open(self, state: IncidentState) -> None:
        """Move to the phase's next step (`next_in_phase`: its first required step still
        to do), so the next key acts on it. With none left, the highlight stays where it
        is, or goes to the phase's first required step when none is highlighted (a phase
        just put on show): an optional step ("record the version, then move on") is
        there to be seen, not to be in the way. It stays in the list, a key away, and
        is never highlighted as the next thing to do."""
        if not self.option_count:
            return
        first = self.get_option_at_index(0).id
        assert first is not None
        phase_id = state.steps[first].step.phase_id
        found = next_in_phase(state, phase_id)
        if found is not None:
            self.highlight_step(found.step.id)
        elif self.highlighted is None:
            self.highlight_step(deciding_steps(state, phase_id)[0].step.id)

    def highlight_step(self, step_id: str) -> None:
        """Highlight `step_id`, a step of the phase on show, as the next to act on."""
        index = next(
            i for i in range(self.option_count) if self.get_option_at_index(i).id == step_id
        )
        self._advancing = True
        try:
            self.highlighted = index
        finally:
            self._advancing = False

    def scroll_to_highlight(self, top: bool = False) -> None:
        """After a step is done, the next one below the list's end is brought up near
        its top, under the last CONTEXT_LINES lines before it, with the steps after it
        in view; the arrow keys scroll a line at a time, as OptionList does.

        Scrolled a line at a time, a long phase redrew every visible line of the
        checklist on each check once its steps ran past the end: 15-20 ms of a
        check's frame against 7 at 120x40. Brought up a page at a time, the list
        scrolls once a screenful.
        """
        highlighted = self.highlighted
        if not self._advancing or highlighted is None or not self.is_mounted:
            super().scroll_to_highlight(top)
            return
        first_line = self._index_to_line.get(highlighted)
        height = self._heights.get(highlighted)
        if first_line is None or height is None:
            return
        view = self.scrollable_content_region.height
        if first_line + height > self.scroll_offset.y + view:
            self._bring_up(first_line, height, view)
        else:
            super().scroll_to_highlight(top)

    def _bring_up(self, first_line: int, height: int, view: int) -> None:
        """Scroll the step at `first_line` up under the CONTEXT_LINES lines before it."""
        context = min(CONTEXT_LINES, max(view - height, 0))
        self.scroll_to(y=first_line - context, animate=False, force=True, immediate=True)

    def get_ready_for_next_check(self) -> None:
        """After a check's frame and before the next key: the scroll and the drawing the
        next check's frame would otherwise do (`scroll_ahead`, `render_next_page`)."""
        self.scroll_ahead()
        self.render_next_page()

    def scroll_ahead(self) -> None:
        """Bring the highlighted step up now if the step after it starts below the end.

        Checking it would move the highlight past the end, and that check's frame would
        scroll the list and draw all of it again: the one check in thirty that scrolled
        made the step check's p99. Scrolled here, after the frame of the check that
        highlighted it, the list moves while the coordinator reads the step, to where
        `scroll_to_highlight` puts a step brought up, and the check that follows draws
        only its own lines.
        """
        highlighted = self.highlighted
        if not self.is_mounted or highlighted is None or highlighted + 1 >= self.option_count:
            return
        first_line = self._index_to_line.get(highlighted)
        height = self._heights.get(highlighted)
        next_line = self._index_to_line.get(highlighted + 1)
        if first_line is None or height is None or next_line is None:
            return
        view = self.scrollable_content_region.height
        top = self.scroll_offset.y
        if first_line < top or first_line + height > top + view or next_line < top + view:
            return  # not in view, or the next step is: a check scrolls nothing
        self._bring_up(first_line, height, view)

    def render_next_page(self) -> None:
        """Render, ahead of need, the options of the page below the one on show.

        Checking steps in order brings the next page up a page at a time
        (`scroll_to_highlight`), and that check's frame drew every option on it for
        the first time: traced through tmux, the one check in thirty that scrolled took
        25-47 ms against 16 at the median, and made the step check's p99. Rendered
        here, after a frame and before the key that needs them, they come from the
        list's cache of drawn options (`MarkedOptionList.draw_ahead`; a check forgets
        only its own option's lines).
        """
        if not self.is_mounted or not self.option_count:
            return
        view = self.scrollable_content_region.height
        lines = self._lines
        first = self.scroll_offset.y + view
        indices = {lines[line][0] for line in range(first, min(first + view, len(lines)))}
        self.draw_ahead(sorted(indices))

    @property
    def highlighted_step(self) -> str | None:
        if self.highlighted is None or self.option_count == 0:
            return None
        return self.get_option_at_index(self.highlighted).id
