"""Templates whose words read wrong once no update is due, said by `validate` and `declare`.

`{next_update}` is the clock time the next stakeholder update is due, and `none
scheduled` once none is (from the resolution on). Set apart, as in "Next update:
{next_update}", both read right; inside a sentence, as a team runbook written before
`{next_update_sentence}` still has it ("Next update by {next_update}."), the message
after the resolution reads "Next update by none scheduled.", a promise of an update
nobody will send (ux_review13 #5, closing42). `{next_update_sentence}` is that sentence
written to read right both ways ("No further updates are scheduled."). The runbook is
valid as it is, so this is a warning, not a problem: it names the template and the line
and column where it puts `{next_update}`.
"""

from __future__ import annotations

import re
from pathlib import Path

from runbooks.model import Runbook
from runbooks.problems import Problem
from runbooks.source_text import line_col, read_source

NONE_DUE = "none scheduled"
"""What `{next_update}` is filled with once no update is due
(`incident.comms.templates.template_context`)."""

_FIELD = re.compile(r"\{\{|\}\}|\{(\w+)[^{}]*\}")
"""A placeholder (its name in group 1), or a brace written twice (no name)."""
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n")
QUOTED_CHARS = 100
"""Longest sentence quoted in a warning; a longer one is cut around the placeholder."""


def next_update_warnings(runbook: Runbook) -> list[Problem]:
    """A warning for each place a template puts `{next_update}` inside a sentence,
    at its line and column in the runbook's file (`runbook.source`)."""
    found = [
        (template_id, text, match)
        for template_id, text in runbook.templates
        for match in _FIELD.finditer(text)
        if match.group(1) == "next_update" and _in_a_sentence(text, match)
    ]
    if not found:
        return []
    places = _Places(runbook.source)
    return [
        Problem(
            runbook.source,
            *places.of(template_id, text, match.start()),
            f"warning: {_message(template_id, text, match)}",
        )
        for template_id, text, match in found
    ]


def _in_a_sentence(text: str, match: re.Match[str]) -> bool:
    """Whether a word runs into the placeholder, before it ("by {next_update}") or after
    it ("{next_update} at the latest"): then "none scheduled" is read as part of the
    sentence. Set apart by a colon, a dash or a bracket, it reads as a value."""
    before = text[: match.start()].rstrip()
    after = text[match.end() :].lstrip()
    return bool(before and before[-1].isalnum()) or bool(after and after[0].isalnum())


def _message(template_id: str, text: str, match: re.Match[str]) -> str:
    starts = [end.end() for end in _SENTENCE_END.finditer(text, 0, match.start())]
    start = starts[-1] if starts else 0
    ending = _SENTENCE_END.search(text, match.end())
    end = ending.end() if ending else len(text)
    before, after = text[start : match.start()].lstrip(), text[match.end() : end].rstrip()
    if len(before) + len(after) > QUOTED_CHARS:
        before = before if len(before) <= QUOTED_CHARS // 2 else "…" + before[-QUOTED_CHARS // 2 :]
        after = after if len(after) <= QUOTED_CHARS // 2 else after[: QUOTED_CHARS // 2] + "…"
    return (
        f"template '{template_id}' puts {{next_update}} in a sentence: once no update is due "
        f'it reads "{before}{NONE_DUE}{after}"; write {{next_update_sentence}} '
        '("Next update by 12:36 UTC.", then "No further updates are scheduled.") '
        'or set the time apart ("Next update: {next_update}")'
    )


def placeholder_place(source: str, template_id: str, template: str, at: int) -> tuple[int, int]:
    """The line and column in `source` of the placeholder or brace at `template[at]`."""
    return _Places(source).of(template_id, template, at)


class _Places:
    """Where each template's text starts in the runbook's file, read again (only when
    there is something to warn of); 1:1 when the file cannot be read as it was."""

    def __init__(self, source: str) -> None:
        from runbooks.yaml_nodes import parse_yaml

        self.text, _problems = read_source(Path(source), source) if source else (None, [])
        parsed = parse_yaml(self.text, source) if self.text is not None else None
        self.values = parsed.positions.values if parsed is not None else {}

    def of(self, template_id: str, template: str, at: int) -> tuple[int, int]:
        """The line and column of the placeholder at `template[at]`: the same words
        written in the file after where the template starts (an escape could only
        spell braces and letters differently, and no one writes one there), else where
        the template starts."""
        start = self.values.get(("templates", template_id))
        if start is None or self.text is None:
            return start or (1, 1)
        lines = self.text.split("\n")
        offset = sum(len(line) + 1 for line in lines[: start[0] - 1]) + start[1] - 1
        close = template.find("}", at)
        word = template[at : close + 1] if close >= 0 else template[at : at + 1]
        nth = template.count(word, 0, at)
        for _ in range(nth + 1):
            found = self.text.find(word, offset)
            if found < 0:
                return start
            offset = found + 1
        return line_col(self.text, offset - 1)
