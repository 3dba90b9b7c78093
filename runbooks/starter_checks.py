"""Whether answers can make a starter runbook (`runbooks.starter`), one line each.

Each answer is checked on its own as it is given (`answer_problem`), so a question
is asked again at once rather than after all of them; then how the rollback method
fits the others (`fit_problem`): a rollback command the method would not run, or a
target it would not use, is refused rather than left out of the runbook without a
word. `starter_problems` is every check over a whole set of answers.

A problem names its answer as the face calls it (`name`): `--health-url` on the
command line, "health URL" at a question.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable

from runbooks.checks import ENV_REFERENCE, suggest, url_problem, without_password
from runbooks.model import Reduce
from runbooks.printable import (
    BIDI_CONTROLS,
    control_message,
    describe,
    forbidden_in_commands,
)
from runbooks.probe_checks import query_problem
from runbooks.starter import RollbackMethod, StarterAnswers
from runbooks.starter_migrations import MigrationTool

Name = Callable[[str], str]
"""What a face calls the answer held in a `StarterAnswers` field."""

LABELS = {
    "service": "service name",
    "health_url": "health URL",
    "version_url": "version URL",
    "version_field": "version field",
    "prometheus_url": "Prometheus URL",
    "error_query": "error-rate query",
    "error_reduce": "error-rate reduce",
    "method": "rollback method",
    "target": "target",
    "namespace": "namespace",
    "command": "rollback command",
    "migrations": "migration tool",
}
"""Each answer in words, where no option names it."""

BLANK_LEAVES_OUT = frozenset({"health_url", "version_url"})
"""Answers a blank leaves out (a blank line at a question; a face's flag, as `init`'s
`--no-health-probe`, gives the blank): no health or version URL, no such probe nor
what reads it (`runbooks.starter`), for a service with no HTTP endpoint, a batch
worker say (ux_review8 #1). `init` says what it left out, and refuses an empty URL
option (`--health-url ""`), as a variable left unset more often than a choice."""
BLANK_AT_A_QUESTION = frozenset({"prometheus_url", *BLANK_LEAVES_OUT})
"""Answers a blank line leaves out at a question: no Prometheus URL, no error-rate probe
(`runbooks.starter`); `init --no-prometheus` gives the blank off a terminal."""

OWN_COMMAND = (RollbackMethod.LOAD_BALANCER, RollbackMethod.CUSTOM)
"""The methods that run the team's rollback command as given."""
KUBERNETES = tuple(method for method in RollbackMethod if method not in OWN_COMMAND)
"""The methods that roll a Kubernetes object back: a target in a namespace."""

_NAME = re.compile(r"[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?")
"""A Kubernetes object name (DNS subdomain, shortened): safe in a shell word as is."""
_SERVICE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,47}")
_FIELD = re.compile(r"[A-Za-z0-9_.-]{1,64}")


def label(field: str) -> str:
    """The answer in words: the `Name` for a face that has no option for it."""
    return LABELS[field]


def answer_problem(field: str, text: str, name: Name = label) -> str | None:
    """Why `text` cannot be the answer `field` on its own, or None."""
    what = name(field)
    if not text.strip():
        return None if field in BLANK_LEAVES_OUT else f"{what} must not be empty"
    if problem := _unprintable(text):  # each check below would fail it, less clearly
        return f"{what}: {problem}"
    match field:
        case "service" if not _SERVICE.fullmatch(text):
            return (
                f"{what} {text!r}: use letters, digits, '.', '_' and '-' "
                "(at most 48, starting with a letter or digit)"
            )
        case "health_url" | "version_url" | "prometheus_url":
            if problem := url_problem(text) or _literal_password(field, text, what):
                return f"{what}: {problem}"
        case "version_field" if not _FIELD.fullmatch(text):
            return f"{what} {text!r}: a JSON field name, like version"
        case "error_query" if "\n" in text:
            return f"{what}: one line of PromQL"
        case "error_query" if problem := query_problem(text):
            return f"{what} {problem}"
        case "command" if "\n" in text:
            return f"{what}: one line"
        case "target" | "namespace" if not _NAME.fullmatch(text):
            return f"{what} {text!r}: a Kubernetes name (lower case, digits, '-')"
        case "method" if text not in tuple(RollbackMethod):
            return f"{what} {text!r} is not one of {_listed(text, RollbackMethod)}"
        case "migrations" if text not in tuple(MigrationTool):
            return f"{what} {text!r} is not one of {_listed(text, MigrationTool)}"
        case "error_reduce" if text not in tuple(Reduce):
            return f"{what} {text!r} is not one of {_listed(text, Reduce)}"
    return None


def _listed(text: str, choices: Iterable[str]) -> str:
    """The choices, and the one `text` most likely meant: `kubectl, helm, ...,
    custom (did you mean 'load-balancer'?)`, as the CLI's verbs and steps say it."""
    names = [str(choice) for choice in choices]
    return ", ".join(names) + suggest(text, names)


def fit_problem(method: RollbackMethod, given: Collection[str], name: Name = label) -> str | None:
    """Why the answers `given` (fields) do not go with `method`, or None: the runbook
    would run a different command than the one asked for."""
    if method in OWN_COMMAND:
        unused = [field for field in ("target", "namespace") if field in given]
        if unused:
            needs = "needs" if len(unused) == 1 else "need"
            named = " and ".join(name(field) for field in unused)
            return f"{named} {needs} {name('method')} {_either(KUBERNETES)}"
    elif "command" in given:
        return f"{name('command')} needs {name('method')} {_either(OWN_COMMAND)}"
    return None


def prometheus_problem(given: Collection[str], name: Name = label) -> str | None:
    """Why the Prometheus URL cannot be left out with the answers `given` (fields), or
    None: an error query given would go unused."""
    for field in ("error_query", "error_reduce"):
        if field in given:
            return f"{name(field)} needs a Prometheus URL"
    return None


def version_problem(given: Collection[str], name: Name = label) -> str | None:
    """Why the version URL cannot be left out with the answers `given`, or None: a
    version field given would go unused."""
    if "version_field" in given:
        return f"{name('version_field')} needs a version URL"
    return None


def starter_problems(answers: StarterAnswers, name: Name = label) -> list[str]:
    """Why these answers cannot make a runbook, one line each naming the answer."""
    optional = {
        field: value
        for field, value in (
            ("target", answers.target),
            ("namespace", answers.namespace),
            ("command", answers.command),
        )
        if value
    }
    prometheus = {"prometheus_url": answers.prometheus_url} if answers.prometheus_url else {}
    texts = {
        "service": answers.service,
        "health_url": answers.health_url,
        "version_url": answers.version_url,
        **prometheus,
        "version_field": answers.version_field,
        "error_query": answers.error_query,
        **optional,
    }
    problems = [
        problem for field, text in texts.items() if (problem := answer_problem(field, text, name))
    ]
    if problem := fit_problem(answers.method, optional, name):
        problems.append(problem)
    elif answers.method in OWN_COMMAND and not answers.command:
        problems.append(f"{name('command')} needed: the {answers.method} method runs it")
    elif (
        answers.method in KUBERNETES
        and not answers.target
        and _SERVICE.fullmatch(answers.service)
        and not _NAME.fullmatch(answers.service)
    ):
        problems.append(
            f"{name('service')} {answers.service!r} is no Kubernetes name "
            f"(lower case, digits, '-'): give {name('target')}"
        )
    return problems


_USERINFO = re.compile(r"^[^:/?#\s]+://([^/?#@:]*):([^/?#]*)@")
"""`scheme://user:password@`: the user, and the password up to the last `@` before the
path (as `runbooks.checks.without_password` reads it)."""


def _literal_password(field: str, url: str, what: str) -> str | None:
    """Why a URL with a password typed into it is refused (ux_review12 #7): the runbook
    file would hold it, and every incident declared from it records the runbook whole,
    for good. A password written as `${NAME}` is read from the environment when asked."""
    found = _USERINFO.match(url)
    if found is None or not found.group(2):
        return None
    reference = ENV_REFERENCE.fullmatch(found.group(2))
    if reference is not None and reference.group(2) is None:
        return None
    variable = f"{field.removesuffix('_url').upper()}_PASSWORD"
    shown = without_password(url).replace(":…@", f":${{{variable}}}@", 1)
    quoted = " (in single quotes, so the shell leaves it)" if what.startswith("-") else ""
    return (
        "a password typed into the URL would be written into the runbook and recorded by "
        f"every incident declared from it: name a variable instead, '{shown}'{quoted}, "
        f"and set {variable} where lastgood runs"
    )


def _either(methods: Collection[RollbackMethod]) -> str:
    """`a, b or c`."""
    *first, last = [str(method) for method in methods]
    return f"{', '.join(first)} or {last}" if first else last


def _unprintable(text: str) -> str | None:
    """What in an answer cannot go into a runbook: a control character (which the
    runbook would refuse, blaming its file), a bidirectional control or an invisible
    character (which review would misread)."""
    found = forbidden_in_commands().search(text)
    if found is None:
        return None
    char, where = found.group(), f"at position {found.start() + 1}"
    if re.fullmatch(f"[{BIDI_CONTROLS}]", char):
        return (
            f"bidirectional control {describe(char)} {where}: "
            "it would show the text in another order than it runs"
        )
    return control_message(char, where)
