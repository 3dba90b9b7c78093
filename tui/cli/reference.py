"""The README's verb tables, written from the verb table so they cannot drift.

`tests/test_verbs.py` compares the README with these; run it with
`LASTGOOD_UPDATE_README=1` to rewrite them after changing a verb.
"""

from __future__ import annotations

from incident.app.params import Kind, Param
from incident.app.verb import Scope, Verb
from incident.app.verbs import VERBS
from tui.cli.arguments import ID_IN_ORDER, ID_OR_FLAG


def usage(verb: Verb) -> str:
    """`check ID STEP [--by NAME] ...`: the command line, as the README shows it."""
    words = [verb.name]
    if verb.name in ID_OR_FLAG:
        words.append(f"ID|{verb.param(ID_OR_FLAG[verb.name]).option}")
    elif verb.scope is not Scope.GLOBAL:
        words.append("[ID]" if verb.id_optional else "ID")
    elif verb.name in ID_IN_ORDER:
        words.append("[ID]")
    for param in verb.params:
        if ID_OR_FLAG.get(verb.name) != param.name:  # shown with the ID
            words.append(_usage(param))
    return " ".join(words)


def _usage(param: Param) -> str:
    metavar = param.metavar or ("|".join(param.choices) if param.choices else param.name.upper())
    if param.positional:
        shown = f"{metavar}..." if param.name == "files" else metavar
        return shown if param.required else f"[{shown}]"
    option = param.option if param.kind is Kind.FLAG else f"{param.option} {metavar}"
    return option if param.required else f"[{option}]"


def _escape(text: str) -> str:
    return text.replace("|", "\\|")


def cli_table() -> str:
    """Every command with its arguments and what it does."""
    lines = ["| command | what it does |", "| --- | --- |"]
    for verb in VERBS:
        lines.append(f"| `{_escape(usage(verb))}` | {_escape(verb.help)} |")
    return "\n".join(lines)


def key_table() -> str:
    """The coordinator's verbs in the TUI: a key, or the command palette (ctrl+p)."""
    lines = ["| key | verb | what it does |", "| --- | --- | --- |"]
    for verb in VERBS:
        if not verb.tui:
            continue
        keys = " / ".join(f"`{key}`" for key in verb.key.split(",")) if verb.key else "palette"
        lines.append(f"| {keys} | {verb.title} | {_escape(verb.help)} |")
    return "\n".join(lines)


TABLES = {"verbs:keys": key_table, "verbs:cli": cli_table}
"""README marker name -> what goes between `<!-- name -->` and `<!-- /name -->`."""


def with_tables(readme: str) -> str:
    """`readme` with every marked table rewritten from the verb table."""
    for marker, table in TABLES.items():
        start, end = f"<!-- {marker} -->", f"<!-- /{marker} -->"
        before, rest = readme.split(start, 1)
        _, after = rest.split(end, 1)
        readme = f"{before}{start}\n{table()}\n{end}{after}"
    return readme
