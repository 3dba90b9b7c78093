"""A verb parameter as the command line names it: the CLI's one mapping, read where a
refusal names the parameter it is about (`CommandError.about`)."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from incident.app.verb import Verb


def cli_name(name: str, verb: Verb | None) -> str:
    """A parameter as the command line names it: its option (`--last-good` for
    `last_good`), or its metavar when it is an argument in order (`TEXT`)."""
    params = {param.name: param for param in verb.params} if verb is not None else {}
    param = params.get(name)
    if param is None:
        return "--" + name.replace("_", "-")
    return param.metavar or name.upper() if param.positional else param.option
