"""The runbook format, written from the code that checks it (ux_review8 #12).

Every place of a YAML runbook (the top level, a phase, a step, a probe...) is listed
with the key tuple its reader takes (`runbooks.build_context`), and the allowed values
come from the enums and tuples the readers check against. Only the words are written
by hand (`runbooks.format_places`), one per key: `reference_text` refuses a key without
words, and words for a key
the reader does not take, so the reference cannot drift from the loader
(`tests/runbooks/test_format_reference.py` also holds `docs/RUNBOOK_FORMAT.md` equal to
it). `lastgood validate --explain` prints it, so an installed copy has it too.
"""

from __future__ import annotations

from collections.abc import Mapping

from runbooks.build_context import OPS
from runbooks.build_notify import MOMENT_FORMS, TARGET_KINDS
from runbooks.command_text import COMMAND_PLACEHOLDERS
from runbooks.format_places import PLACES as PLACES
from runbooks.format_places import PROBE_KINDS as PROBE_KINDS
from runbooks.format_places import STEP_KINDS as STEP_KINDS
from runbooks.format_places import TRIGGER_KINDS as TRIGGER_KINDS
from runbooks.format_places import Place, codes
from runbooks.model import (
    DEFAULT_ROLES,
    TEMPLATE_PLACEHOLDERS,
    DataLoss,
    DeploymentPattern,
    ProbeKind,
    Reduce,
    SendMode,
    StepKind,
    TriggerKind,
)


def _place_text(place: Place) -> list[str]:
    unknown = sorted(set(place.words) - set(place.keys))
    untold = [key for key in place.keys if key not in place.words]
    if unknown or untold:
        raise ValueError(f"{place.heading}: no words for {untold}, words for no key {unknown}")
    lines = [f"### {place.heading}", "", f"Written as {place.where}.", ""]
    lines += ["| key | required | what it takes |", "| --- | --- | --- |"]
    for key in place.keys:
        required, text = place.words[key]
        cell = text.replace("|", "\\|")
        lines.append(f"| `{key}` | {required or 'no'} | {cell} |")
    return [*lines, ""]


def _kinds(
    title: str, kinds: Mapping[StepKind, str] | Mapping[ProbeKind, str] | Mapping[TriggerKind, str]
) -> list[str]:
    lines = [f"### {title}", "", "| value | what it means |", "| --- | --- |"]
    return [*lines, *(f"| `{kind}` | {text} |" for kind, text in kinds.items()), ""]


INTRO = """\
# The runbook format

A YAML runbook is checked by `lastgood validate FILE` (one `FILE:LINE:COL` line per
problem). This reference is written from the code that checks it, and printed by
`lastgood validate --explain`. A key not listed for its place is refused, naming the
keys that place takes. "Required" says when a key must be given; a key for other
kinds of step, probe or trigger is refused there (`'command' only applies to command
steps`). A valid runbook that departs from the guide the bundled `rollback.yaml`
encodes gets a `FILE: note:` line for each departure (exit 0: teams adapt it; `declare`
says them too): a guide phase missing or with another window, the guide's phases in
another order, a verification step missing, another of the guide's steps missing (the
decision gate, paging the team, the stakeholder notice, the resolution, documenting the
incident, the preliminary RCA, booking the post-mortem; known by the bundled id, a gate by
its approver, a message by its template), a database tier missing (by `data_loss`) or
a `data_loss: certain` tier without `approver: leadership`, no error-rate trigger or one
other than error rate > 5%, no `manual` trigger.

`lastgood init` writes a commented runbook to start from. A Markdown checklist
(`## Phase (T+5 to T+30 minutes)` headings over `- [ ] task` lines) is a runbook too, or
a phase's `steps_from`: each task becomes a plain `check` step (its title, its indented
lines as guidance, `(optional)` for `required: false`, `{#id}` for its id); it has no
owner, command, approver, probe or template. A ticked `- [x]` loads open, and a task
indented under another is its guidance, not a step: each gets a note. A template's
`{placeholder}` in a step's title or guidance is shown as written, and noted.
"""

TEXT_RULES = (
    "`owner` and `approver` name a role, not a person: one of `roles` or a default role "
    "(%(roles)s). People are given roles during the incident (`assign`).",
    "Templates (`templates:`) take these placeholders: %(templates)s. `{{` and `}}` write a "
    "brace. The README's Placeholders table says what each is filled with. `{next_update}` "
    "is `none scheduled` once no update is due: set it apart (`Next update: {next_update}`) "
    "or write `{next_update_sentence}`; in a sentence (`Next update by {next_update}.`) "
    "`validate` warns of it.",
    "A `command` (of a step or a tier) and a `verify.command` take %(commands)s only, "
    "filled in and quoted for the shell when the command runs; `{{name}}` writes `{name}`, "
    "and the shell's own braces (`${HOME}`, `awk '{print $1}'`) stay as written.",
    "Titles, guidance, summaries, risks and `evidence` take no placeholders: they are shown "
    "as written.",
    "Probe and target `url`s and `headers` values may read the environment, `${NAME}` or "
    "`${NAME:-default}`, when they are used (never recorded).",
    "A variable they read is a secret (typed text holding its value is refused; command "
    "output and every probe's and webhook's error lines hide it) by where the runbook uses "
    "it, in any probe or target: all its value in a header, a URL's user-info, query or "
    'fragment; of a whole URL (`url: "${OPS_URL}"`) only its user-info, query, fragment '
    "and a webhook's token-like path segments; in a webhook's URL path only the segments "
    "that look like a token (a digit or a capital in them, or 20 characters or more: "
    "`/services/T…/B…/${TOKEN}` hides the token, `/hooks/${SERVICE}/alerts` leaves "
    "`SERVICE=checkout` free to type); none of it in a URL's host or port or a probe's "
    "path. Or by its name (`*TOKEN*`, `*SECRET*`, `*PASSWORD*`, `*_KEY`, `*AUTH*`, "
    "`*CRED*`, `*WEBHOOK*`, `*DSN*`...), unless its value is the path of a file that exists "
    "on this machine (`GOOGLE_APPLICATION_CREDENTIALS=/home/ada/key.json`: the file holds "
    "the credential, not its path). `lastgood validate` says which count, and why.",
)
"""Written one line per item: a Markdown list item may be as long as it needs."""


def reference_text() -> str:
    """The whole reference, in Markdown."""
    lines = [INTRO, "## Keys", ""]
    for place in PLACES:
        lines += _place_text(place)
    lines += ["## Values", ""]
    lines += _kinds("Step kinds (`kind:` of a step)", STEP_KINDS)
    lines += _kinds("Probe kinds (`kind:` of a probe)", PROBE_KINDS)
    lines += _kinds("Trigger kinds (`kind:` of a trigger)", TRIGGER_KINDS)
    lines += [
        "### Other values",
        "",
        f"- Trigger `op`: {codes(OPS)}.",
        f"- Send `on` (the moment a message is due): {MOMENT_FORMS}.",
        f"- Send `mode`: {codes(SendMode)} (`auto` sends when due, `confirm` asks first).",
        f'- Notify target `kind`: {codes(TARGET_KINDS)} (`slack` posts `{{"text": ...}}`).',
        f"- Tier `data_loss`: {codes(DataLoss)}.",
        f"- Probe `reduce`: {codes(Reduce)}.",
        f"- Deployment patterns: {codes(DeploymentPattern)}.",
        "",
    ]
    values = {
        "roles": codes(DEFAULT_ROLES),
        "templates": codes(f"{{{name}}}" for name in sorted(TEMPLATE_PLACEHOLDERS)),
        "commands": codes(f"{{{name}}}" for name in COMMAND_PLACEHOLDERS),
    }
    lines += ["### Text, names and placeholders", ""]
    lines += [f"- {rule % values}" for rule in TEXT_RULES]
    return "\n".join([*lines, ""])
