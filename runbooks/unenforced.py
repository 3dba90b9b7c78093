"""What a Markdown runbook does not enforce, said in one line by `validate` and `declare`.

The guide's own rollback-checklist.md, loaded as the runbook, lost the leadership
approval of a backup restore, the triggers, the messages and the decision gate, and
`validate` said ok (ux_review7 F4): a Markdown task is a plain check. The way to keep
the rules is a YAML runbook whose phases take the Markdown tasks with `steps_from`.
"""

from __future__ import annotations

import re
from pathlib import Path

from runbooks.model import Runbook

MARKDOWN_SUFFIXES = (".md", ".markdown")
"""The suffixes a runbook file is read as Markdown by (`runbooks.loading`)."""

UNENFORCED = (
    "a Markdown runbook enforces none of the guide's rules (no database tiers, approvals, "
    "rollback triggers, message templates or verification evidence: each task is a plain "
    "check); to keep them, take its tasks into a YAML runbook's phases with steps_from "
    "(lastgood init writes one; README: Writing and checking runbooks)"
)


def unenforced_hint(runbook: Runbook) -> str | None:
    """`UNENFORCED` for a runbook read from a Markdown file; None for a YAML one."""
    if Path(runbook.source).suffix.lower() in MARKDOWN_SUFFIXES:
        return UNENFORCED
    return None


def guide_notes(runbook: Runbook) -> list[str]:
    """What `validate` and `declare` note of a valid runbook: for a Markdown one,
    `UNENFORCED` and the guide's phases it lacks (its tiers and triggers are in that
    line already); for a YAML one, each departure from the guide (`guide_frame`)."""
    from runbooks.guide_frame import departures, phase_departures

    if unenforced := unenforced_hint(runbook):
        return [unenforced, *_as_loaded(runbook), *unfilled(runbook), *phase_departures(runbook)]
    return [*unfilled(runbook), *departures(runbook)]


_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def unfilled(runbook: Runbook) -> list[str]:
    """A note per step whose title or guidance holds a template's `{placeholder}`,
    which only messages fill: `Tell finance about {issue}` was shown as written with no
    word (ux_review17 #11)."""
    from runbooks.model import TEMPLATE_PLACEHOLDERS

    notes: list[str] = []
    for step in runbook.steps():
        for what, text in (("title", step.title), ("guidance", step.guidance)):
            names = [n for n in _PLACEHOLDER.findall(text) if n in TEMPLATE_PLACEHOLDERS]
            if names:
                shown = ", ".join(f"{{{name}}}" for name in dict.fromkeys(names))
                notes.append(
                    f"step '{step.id}': its {what} holds {shown}, shown as written: only "
                    "message templates fill placeholders"
                )
    return notes


def _as_loaded(runbook: Runbook) -> list[str]:
    """What the Markdown file has that loads otherwise than written (a ticked box, a
    nested task read as guidance: ux_review17 #13), read again from it; none once the
    file is gone (a runbook declared from a file since removed)."""
    from runbooks.markdown_loader import parse_markdown

    try:
        text = Path(runbook.source).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return []
    return parse_markdown(text, runbook.source).notes
