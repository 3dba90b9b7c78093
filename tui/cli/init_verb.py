"""`lastgood init`: the answers for a starter runbook, from options or questions.

At a terminal (stdin and stderr both one) every answer the options leave out is
asked for on stderr, with a default where one is sensible, and checked as it is
given: a bad answer is asked again with the reason, and end of input (Ctrl-D) stops
with nothing written. A blank Prometheus URL leaves Prometheus out (its error query
is not asked). In a script the URLs and the name must be given as options (a URL
left out with its flag, `--no-health-probe`; an empty one is refused), since a
question nobody can answer would hang the pipeline. Options are
checked before the first question, and so is the file to write.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Collection
from pathlib import Path

from msgspec.structs import replace

from incident.app.starter import (
    answer_problem,
    fit_problem,
    label,
    refuse_existing,
    starter_problems,
    write_starter,
)
from incident.app.whole_file import cannot_write, is_kept_file, is_stdout
from incident.app.written import RUNBOOK, written_line
from incident.core.errors import CommandError
from incident.core.samples import Outcome, Sample
from incident.core.text import visible
from incident.health.failure_words import failure_word
from incident.health.probe_answers import NO_API_STATUS, no_prometheus_api, several_series
from runbooks.checks import scheme_fix
from runbooks.model import Probe, ProbeKind, Reduce
from runbooks.starter import (
    DEFAULT_ERROR_QUERY,
    RollbackMethod,
    StarterAnswers,
    commands_for,
    rollback_check,
    rollback_command,
)
from runbooks.starter_checks import (
    BLANK_AT_A_QUESTION,
    OWN_COMMAND,
    Name,
    prometheus_problem,
    version_problem,
)
from runbooks.starter_migrations import DOWN_TIER, MigrationTool
from tui.cli import init_guide
from tui.cli.arguments import Arguments
from tui.cli.edges import os_path
from tui.cli.errors import CliError
from tui.cli.init_asking import Ask, Check, asked, terminal_ask

URL_FIELDS = frozenset({"health_url", "version_url", "prometheus_url"})
"""The questions whose refused answer may be mended with the `http://` it lacks."""

QUESTIONS: tuple[tuple[str, str, str | None], ...] = (
    ("service", "Service name", None),
    ("health_url", "Health URL (answers 200 while healthy; blank: no health probe)", None),
    ("version_url", "Version URL (JSON naming the running version; blank: no version probe)", None),
    ("version_field", "JSON field holding the version", "version"),
    ("prometheus_url", "Prometheus URL (blank: no Prometheus probe)", None),
    ("error_query", "Error-ratio query (PromQL, 0-1)", DEFAULT_ERROR_QUERY),
    ("method", f"Rollback method ({', '.join(RollbackMethod)})", RollbackMethod.KUBECTL.value),
)
"""(answer, question, default): asked in this order; None means no default."""
LATER = ("target", "namespace", "command", "migrations")
"""The answers asked after the method, as it needs them."""
NAMESPACE = "default"
MIGRATIONS = MigrationTool.NONE.value
"""The defaults of the questions asked after the method."""

ARGUMENT = {"command": "rollback_command"}
"""The option's name where it is not the answer's (`--rollback-command`)."""
LEAVE_OUT = {
    "health_url": "no_health_probe",
    "version_url": "no_version_probe",
    "prometheus_url": "no_prometheus",
}
"""The flag that leaves each URL out (`--no-health-probe`): an empty URL given as an
option is refused, as a variable left unset in a script more often is than a choice."""


def option(field: str) -> str:
    """The option giving the answer `field`."""
    return "--" + ARGUMENT.get(field, field).replace("_", "-")


def cmd_init(args: Arguments) -> int:
    if not args.output:
        raise CliError("--output: the path is empty (leave the option out for lastgood.yaml)")
    path = Path(os_path(args.output, "--output"))
    try:
        refuse_existing(path, overwrite=args.force)
    except CommandError as refusal:
        raise _refused(refusal) from None
    at_terminal = sys.stdin.isatty() and sys.stderr.isatty()
    ask = terminal_ask() if at_terminal else None
    if problems := init_guide.option_problems(args):
        raise CliError("; ".join(problems))
    answers = gather(args, ask=ask)
    tried = try_prometheus(answers)  # before writing: its answer may be asked about
    if ask is not None and tried is not None and answers.error_reduce is None:
        answers, tried = reduce_asked(ask, answers, tried)
    answers = init_guide.with_baseline(args, ask, answers, tried)
    answers = init_guide.with_page(args, ask, answers)
    try:
        write_starter(answers, path, overwrite=args.force)
    except CommandError as refusal:
        raise _refused(refusal) from None
    except OSError as error:
        raise CliError(cannot_write(path, error)) from None
    validate, declare = commands_for(str(path))
    written = written_line(RUNBOOK, str(path))
    # On stdout, as the exports say what they wrote; on stderr when the runbook is there.
    out = sys.stderr if is_stdout(path) else sys.stdout
    print(visible(f"{written}: the bundled rollback plan for {answers.service}"), file=out)
    print(f"  rollback: {visible(rollback_command(answers))}", file=out)
    if (check := rollback_check(answers)) is not None:
        print(f"  verified: {visible(str(check['command']))}", file=out)
    if (down := DOWN_TIER.get(answers.migrations)) is not None:
        print(f"  down migrations: {visible(str(down['command']))}", file=out)
    for left_out in http_lines(answers):
        print(f"  {left_out}", file=out)
    print(f"  {prometheus_line(answers, tried)}", file=out)
    if (baseline := init_guide.baseline_line(answers)) is not None:
        print(f"  {baseline}", file=out)
    print(f"  {visible(init_guide.page_line(answers))}", file=out)
    if (lag := lag_line(answers)) is not None:
        print(f"  {visible(lag)}", file=out)
    if not is_kept_file(path):  # `validate /dev/stdout` would read nothing back
        print("keep it:   save it to a file (-o lastgood.yaml) to check it and use it", file=out)
        return 0
    print(f"check it:  {visible(validate)}", file=out)
    for line in use_lines(path, declare):
        print(visible(line), file=out)
    return 0


def use_lines(path: Path, declare: str) -> list[str]:
    """How to use the runbook written: the TUI (`lastgood start`, or `lastgood`) and
    `declare`. Written as ./lastgood.yaml, both take it from this directory without
    `--runbook` (`default_runbook`); only `declare` was named, and the TUI, which the
    README's first steps open, went on with the bundled plan (ux_review11 #2)."""
    from incident.app.runbook_lookup import INIT_FILE, default_runbook

    flags = "--title ... --severity SEV2 --commander NAME"
    if default_runbook() == INIT_FILE and path.resolve() == Path(INIT_FILE).resolve():
        return [
            "use it:    lastgood start (or lastgood) in this directory opens the TUI on it",
            f"           lastgood declare {flags} declares with it here",
        ]
    start = declare.replace("lastgood declare", "lastgood start", 1)
    return [f"use it:    {start} opens the TUI on it", f"           {declare} {flags}"]


def _refused(refusal: CommandError) -> CliError:
    from incident.app.verbs import BY_NAME
    from tui.cli.context import refused  # the store's modules, only to say why not

    return refused(refusal, BY_NAME["init"])


def gather(args: Arguments, ask: Ask | None) -> StarterAnswers:
    """The answers: options first, checked before anything is asked; then questions
    at a terminal, each answer checked as it is given; else a one-line error."""
    fields = (*(field for field, _, _ in QUESTIONS), *LATER, "error_reduce")
    given = {
        field: value
        for field in fields
        if (value := getattr(args, ARGUMENT.get(field, field))) is not None
    }

    def name(field: str) -> str:  # an option where one gave the answer, else its words
        return option(field) if ask is None or field in given else label(field)

    problems = [p for field, text in given.items() if (p := _option_problem(field, text, name))]
    problems += _left_out(args, given)
    if "version_url" in given and not given["version_url"]:
        problems += [p for p in (version_problem(given, name),) if p]
    if "prometheus_url" in given and not given["prometheus_url"]:
        problems += [p for p in (prometheus_problem(given, name),) if p]
    if problems:
        raise CliError("; ".join(problems))
    if ask is None or "method" in given:
        method = RollbackMethod(given.get("method", RollbackMethod.KUBECTL))
        if problem := fit_problem(method, given, name):
            raise CliError(problem)
    values = dict(given)
    if ask is None:
        missing = [option(f) for f, _, default in QUESTIONS if default is None and f not in values]
        if missing:
            needed = ", ".join(missing)
            raise CliError(f"{needed} needed (or run lastgood init at a terminal to be asked)")
        values.update({f: d for f, _, d in QUESTIONS if d is not None and f not in values})
    else:
        for field, question, default in QUESTIONS:
            if field == "error_query" and not values["prometheus_url"]:
                continue  # no Prometheus to ask
            if field == "version_field" and not values["version_url"].strip():
                values[field] = default or ""
                continue  # no version URL to read it from
            if field not in values:
                offer = scheme_fix if field in URL_FIELDS else None
                check = _check(field, given, name)
                values[field] = asked(ask, question, default, check, offer)
        _ask_after_method(ask, values, name)
    answers = StarterAnswers(
        service=values["service"],
        health_url=values["health_url"],
        version_url=values["version_url"],
        prometheus_url=values["prometheus_url"],
        version_field=values["version_field"],
        error_query=values.get("error_query", DEFAULT_ERROR_QUERY),
        method=RollbackMethod(values["method"]),
        target=values.get("target", ""),
        namespace=values.get("namespace", ""),
        command=values.get("command", ""),
        migrations=MigrationTool(values.get("migrations", MIGRATIONS)),
        error_reduce=Reduce(values["error_reduce"]) if "error_reduce" in values else None,
    )
    if problems := starter_problems(answers, name):  # found above; kept as the last word
        raise CliError("; ".join(problems))
    return answers


def _option_problem(field: str, text: str, name: Name) -> str | None:
    """Why the option giving `field` cannot be `text`: an empty URL is refused, naming
    the flag that leaves it out; the rest as `answer_problem` says."""
    if field in LEAVE_OUT and not text.strip():
        flag = option(LEAVE_OUT[field])
        return f"{option(field)}: the URL is empty (give {flag} to leave it out)"
    return answer_problem(field, text, name)


def _left_out(args: Arguments, given: dict[str, str]) -> list[str]:
    """Each URL its flag leaves out, given as blank (as at a question); a flag beside
    its URL is refused."""
    problems = []
    for field, flag in LEAVE_OUT.items():
        if not getattr(args, flag, False):
            continue
        if field in given:
            problems.append(f"{option(field)} and {option(flag)}: give one")
        else:
            given[field] = ""
    return problems


def _check(field: str, given: Collection[str], name: Name) -> Check:
    """What an answer typed for `field` is checked with: on its own, and a method
    against the options given (`--rollback-command` needs load-balancer or custom)."""

    def check(text: str) -> str | None:
        if field in BLANK_AT_A_QUESTION and not text.strip():  # left out, unless needed
            if field == "prometheus_url":
                return prometheus_problem(given, name)
            return version_problem(given, name) if field == "version_url" else None
        if problem := answer_problem(field, text, name):
            return problem
        if field == "method":
            return fit_problem(RollbackMethod(text), given, name)
        return None

    return check


def _ask_after_method(ask: Ask, values: dict[str, str], name: Name) -> None:
    """The questions that depend on the method, then the migration tool."""
    if RollbackMethod(values["method"]) in OWN_COMMAND:
        if "command" not in values:
            question = "Rollback command (one line)"
            values["command"] = asked(ask, question, None, _check("command", (), name))
    else:
        if "target" not in values:
            question = "Deployment / release / rollout"
            values["target"] = asked(ask, question, values["service"], _check("target", (), name))
        if "namespace" not in values:
            question = "Namespace"
            values["namespace"] = asked(ask, question, NAMESPACE, _check("namespace", (), name))
    if "migrations" not in values:
        question = f"Migration tool ({', '.join(MigrationTool)})"
        values["migrations"] = asked(ask, question, MIGRATIONS, _check("migrations", (), name))


def reduce_asked(ask: Ask, answers: StarterAnswers, tried: Sample) -> tuple[StarterAnswers, Sample]:
    """Where the error query gave several series, how to make them one, asked, and the
    query tried again with it: a probe without it fails every poll (review 4)."""
    count = several_series(tried.detail)
    if count is None:
        return answers, tried
    question = f"The error query gives {count} series: make them one with ({', '.join(Reduce)})"
    reduce = asked(ask, question, Reduce.MAX.value, _check("error_reduce", (), label))
    answers = replace(answers, error_reduce=Reduce(reduce))
    return answers, try_prometheus(answers) or tried


def try_prometheus(answers: StarterAnswers) -> Sample | None:
    """The error query asked once of the Prometheus given, as its probe will ask it
    (with its `reduce`); None without Prometheus."""
    if not answers.prometheus_url:
        return None
    from tui.net.once import poll_once

    probe = Probe(
        name="error-rate",
        kind=ProbeKind.PROMETHEUS,
        url=answers.prometheus_url,
        query=answers.error_query,
        timeout_s=5.0,
        reduce=answers.error_reduce,
    )
    return poll_once(probe)


def http_lines(answers: StarterAnswers) -> list[str]:
    """What a blank health or version URL left out of the runbook, one line each."""
    lines = []
    if not answers.health_url.strip():
        lines.append("no health probe: its trigger (3 failed checks in a row) is left out")
    if not answers.version_url.strip():
        lines.append(
            "no version probe: Confirm version takes the version seen, typed when it is "
            "checked, and Record the running version is a plain check"
        )
    return lines


RATE_WINDOW = re.compile(r"\[([0-9][0-9a-zA-Z]*)\]")
"""A PromQL range, `[1m]`: the window a `rate()` averages over."""


def lag_line(answers: StarterAnswers) -> str | None:
    """That the error rate trails by its rate window, for a runbook with an error-rate
    probe: a `rate(...[1m])` stays green for up to its window after the service dies,
    while the health probe is refused at once (review11 #15). None without one."""
    if not answers.prometheus_url:
        return None
    window = RATE_WINDOW.search(answers.error_query)
    trails = f"its rate window ([{window.group(1)}])" if window else "its query's window"
    trusted = "the health probe" if answers.health_url.strip() else "the service itself"
    return f"the error rate trails by {trails}: for 'is it up', trust {trusted}"


def prometheus_line(answers: StarterAnswers, sample: Sample | None) -> str:
    """What Prometheus said to the error query, tried once: a runbook whose query
    returns nothing is better found now than at T+2."""
    if sample is None:
        return "no Prometheus probe: the error-rate probe and its trigger are left out"
    if (count := several_series(sample.detail)) is not None:
        return (
            f"Prometheus answered the error query with {count} series: give --error-reduce "
            f"{'|'.join(Reduce)} to make them one (the probe fails every poll until then)"
        )
    if sample.outcome is Outcome.OK:
        return f"Prometheus answered the error query: {sample.value:g} (the trigger fires > 0.05)"
    if sample.outcome is Outcome.NO_DATA:
        return "Prometheus answered the error query with no data: check the query's labels"
    if sample.outcome is Outcome.HTTP_STATUS and sample.http_status == NO_API_STATUS:
        said = no_prometheus_api(answers.prometheus_url)
        return visible(f"{said}; the runbook is written with this one: fix it there")
    detail = visible(sample.detail or failure_word(sample))
    if sample.http_status is not None:  # it answered, with something other than a number
        return f"Prometheus answered the error query with no number ({detail}); check the query"
    return f"Prometheus was not reached ({detail}); the runbook is written, try it later"
