"""`lastgood init`: the answers for a starter runbook, from options or questions.

At a terminal every answer the options leave out is asked for, with a default where
one is sensible; in a script the four URLs and the name must be given as options,
since a question nobody can answer would hang the pipeline.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from incident.core.errors import CommandError
from incident.core.samples import Outcome
from incident.core.text import visible
from runbooks.model import Probe, ProbeKind
from runbooks.starter import (
    DEFAULT_ERROR_QUERY,
    MigrationTool,
    RollbackMethod,
    StarterAnswers,
    commands_for,
    rollback_check,
    rollback_command,
)
from tui.cli.arguments import Arguments
from tui.cli.errors import CliError

Ask = Callable[[str], str]

QUESTIONS: tuple[tuple[str, str, str | None], ...] = (
    ("service", "Service name", None),
    ("health_url", "Health URL (answers 200 while healthy)", None),
    ("version_url", "Version URL (JSON naming the running version)", None),
    ("version_field", "JSON field holding the version", "version"),
    ("prometheus_url", "Prometheus URL", None),
    ("error_query", "Error-ratio query (PromQL, 0-1)", DEFAULT_ERROR_QUERY),
    ("method", f"Rollback method ({', '.join(RollbackMethod)})", RollbackMethod.KUBECTL.value),
)
"""(option, question, default): asked in this order; None means no default."""


def cmd_init(args: Arguments) -> int:
    if not args.output:
        raise CliError("--output: the path is empty (leave the option out for lastgood.yaml)")
    answers = gather(args, ask=input if sys.stdin.isatty() else None)
    from incident.app.starter import write_starter

    path = Path(args.output)
    try:
        write_starter(answers, path, overwrite=args.force)
    except CommandError as refusal:
        raise CliError(str(refusal)) from refusal
    except OSError as error:
        raise CliError(f"cannot write {path}: {error.strerror or error}") from error
    validate, declare = commands_for(str(path))
    print(f"wrote {visible(str(path))}: the bundled rollback plan for {answers.service}")
    print(f"  rollback: {visible(rollback_command(answers))}")
    if (check := rollback_check(answers)) is not None:
        print(f"  verified: {visible(str(check['command']))}")
    print(f"  {prometheus_line(answers)}")
    print(f"check it:  {visible(validate)}")
    print(f"use it:    {visible(declare)} --title ... --severity SEV2 --commander NAME")
    return 0


def gather(args: Arguments, ask: Ask | None) -> StarterAnswers:
    """The answers: options first, then questions at a terminal, else a one-line error."""
    values: dict[str, str | None] = {}
    for option, question, default in QUESTIONS:
        given: str | None = getattr(args, option)
        if given is None and ask is not None:
            given = _ask(ask, question, default)
        values[option] = default if given is None else given
    missing = [f"--{name.replace('_', '-')}" for name, value in values.items() if value is None]
    if missing:
        needed = ", ".join(missing)
        raise CliError(f"{needed} needed (or run lastgood init at a terminal to be asked)")
    known = {name: value or "" for name, value in values.items()}
    try:
        method = RollbackMethod(known["method"])
    except ValueError:
        given = known["method"]
        raise CliError(
            f"rollback method {given!r} is not one of {', '.join(RollbackMethod)}"
        ) from None
    command = args.rollback_command
    target, namespace, migrations = args.target, args.namespace, args.migrations
    if ask is not None:
        if method in (RollbackMethod.LOAD_BALANCER, RollbackMethod.CUSTOM) and command is None:
            command = _ask(ask, "Rollback command (one line)", None)
        elif method not in (RollbackMethod.LOAD_BALANCER, RollbackMethod.CUSTOM):
            target = target or _ask(ask, "Deployment / release / rollout", values["service"])
            namespace = namespace or _ask(ask, "Namespace", "default")
        tools = ", ".join(MigrationTool)
        migrations = migrations or _ask(ask, f"Migration tool ({tools})", "none")
    try:
        migration_tool = MigrationTool(migrations or "none")
    except ValueError:
        raise CliError(
            f"migration tool {migrations!r} is not one of {', '.join(MigrationTool)}"
        ) from None
    return StarterAnswers(
        service=known["service"],
        health_url=known["health_url"],
        version_url=known["version_url"],
        prometheus_url=known["prometheus_url"],
        version_field=known["version_field"],
        error_query=known["error_query"],
        method=method,
        target=target or "",
        namespace=namespace or "default",
        command=command or "",
        migrations=migration_tool,
    )


def _ask(ask: Ask, question: str, default: str | None) -> str | None:
    prompt = f"{question} [{default}]: " if default else f"{question}: "
    try:
        answer = ask(prompt).strip()
    except EOFError:
        return default
    return answer or default


def prometheus_line(answers: StarterAnswers) -> str:
    """What Prometheus said to the error query, tried once: a runbook whose query
    returns nothing is better found now than at T+2."""
    from tui.net.once import poll_once

    probe = Probe(
        name="error-rate",
        kind=ProbeKind.PROMETHEUS,
        url=answers.prometheus_url,
        query=answers.error_query,
        timeout_s=5.0,
    )
    sample = poll_once(probe)
    if sample.outcome is Outcome.OK:
        return f"Prometheus answered the error query: {sample.value:g} (the trigger fires > 0.05)"
    if sample.outcome is Outcome.NO_DATA:
        return "Prometheus answered the error query with no data: check the query's labels"
    detail = visible(sample.detail or sample.outcome.value)
    if sample.http_status is not None:  # it answered, with something other than a number
        return f"Prometheus answered the error query with no number ({detail}); check the query"
    return f"Prometheus was not reached ({detail}); the runbook is written, try it later"
