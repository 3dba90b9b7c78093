"""The generic form of a verb without a form of its own, built from its parameters.

A step parameter takes the highlighted step, a choice the choices the state offers
now; the form opens with what the guidance named in it, records through the desk
(`Desk.attempt`), or through what is kept on disk while the record refuses it
(`screens.kept`), and stays open on a refusal.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from incident.app.params import Kind
from incident.app.verb import Verb
from incident.app.verbs import run
from tui.app.screens.verb_keys import choices_for

if TYPE_CHECKING:  # the form is loaded when one first opens
    from tui.app.modals.verb_form import Refusal, Values
    from tui.app.screens.desk import After, Desk, Job


def open_form(
    desk: Desk,
    verb: Verb,
    *,
    fixed: Mapping[str, object] | None = None,
    after: After | None = None,
    initial: Mapping[str, str] | None = None,
    why: str = "",
) -> None:
    """The generic form for `verb`: a field for each parameter not `fixed` here,
    opening with `initial` in it (what the guidance named: `NextKey.prefill`); `why`,
    what the form is asked for, said above its fields (the close's "not stable").

    A step parameter takes the highlighted step; the form stays open on a refusal.
    """
    given = dict(fixed or {})
    context = ""
    for param in verb.params:
        if param.kind is Kind.STEP and param.name not in given:
            step_id = desk.view.selected_step
            if step_id is None:
                desk.notify("Highlight a step first.")
                return
            given[param.name] = step_id
    step = given.get("step")
    if isinstance(step, str) and step in desk.state.steps:
        context = f"Step: {desk.state.steps[step].step.title}"
    elif given:
        context = " · ".join(f"{name}: {value}" for name, value in given.items())
    context = " · ".join(part for part in (why, context) if part)
    shown = [p for p in verb.params if not p.cli_only and p.name not in given]
    choices = choices_for(verb, desk.state, desk.now())
    for param in shown:
        if param.kind is Kind.CHOICE and param.required and not choices.get(param.name):
            desk.notify(f"{verb.title}: no {param.name} to choose from now.")
            return
    actor = desk.actor
    from tui.app.examples import placeholders_for
    from tui.app.modals.verb_form import VerbForm

    now = desk.now()
    held = None
    if desk.kept is not None:
        from incident.app.kept import KEPT_VERBS
        from tui.app.screens.kept import HeldIntent

        held = HeldIntent(desk, verb.name) if verb.name in KEPT_VERBS else None

    async def attempt(values: Values) -> Refusal | None:
        call_values = {**given, **values}
        job: Job = lambda s: run(verb, s, actor, call_values, db=desk.db)  # noqa: E731
        if held is not None:  # kept on disk while the record refuses it
            return await held.attempt(call_values, job, after=after)
        return await desk.attempt(job, after=after)

    def closed(values: Values | None) -> None:
        if held is not None and values is None:  # cancelled: not to be recorded
            held.closed()

    desk.screen.app.push_screen(
        VerbForm(
            verb.title,
            verb.confirm or verb.help,
            shown,
            attempt=attempt,
            context=context,
            choices=choices,
            placeholders=placeholders_for(verb, now, desk.state),
            now=now,
            initial=initial,
        ),
        closed,
    )
