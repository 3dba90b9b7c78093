"""A starter runbook for one service: the bundled rollback plan, pointed at it.

`lastgood init` asks for a handful of answers (where the service answers health and
version checks, where Prometheus is, how a release is rolled back, which migration
tool it uses) and writes the bundled runbook with those filled in: its probes point
at the service, the application-rollback step runs the service's own rollback
command and reads back that it took, and the database step names the migration
tool's down command (with alembic, the down-migrations tier runs it). Everything else
(the guide's phases, windows, triggers, database tiers and messages) is the bundled
runbook's, unchanged; but with no Prometheus URL there is no error-rate probe, nor
its trigger, and Check health reads the health probe.

The file is written as commented YAML so a team can keep editing it; what it says is
checked by loading it back before it is written.
"""

from __future__ import annotations

import re
import shlex
from enum import StrEnum

import yaml
from msgspec import Struct

from runbooks.build_status_page import NO_STATUS_PAGE
from runbooks.checks import ENV_REFERENCE
from runbooks.loading import load_runbook
from runbooks.model import DeploymentPattern, Reduce
from runbooks.printable import visible
from runbooks.resolve import resolve_runbook
from runbooks.serialize import JSONValue, runbook_to_data
from runbooks.starter_migrations import DOWN_STEP, MigrationTool, down_tiers, tier_comment

DEFAULT_ERROR_QUERY = (
    'sum(rate(http_requests_total{code=~"5.."}[1m])) / sum(rate(http_requests_total[1m]))'
)
ROLLOUT_TIMEOUT = "5m"
"""How long a rollback command waits for the rollout to finish before it fails."""


class RollbackMethod(StrEnum):
    """How this service's release is rolled back, which fixes the guide's pattern."""

    KUBECTL = "kubectl"
    HELM = "helm"
    ARGO_ROLLOUTS = "argo-rollouts"
    LOAD_BALANCER = "load-balancer"
    CUSTOM = "custom"


METHOD_PATTERN = {
    RollbackMethod.KUBECTL: DeploymentPattern.ROLLING,
    RollbackMethod.HELM: DeploymentPattern.ROLLING,
    RollbackMethod.ARGO_ROLLOUTS: DeploymentPattern.BLUE_GREEN,
    RollbackMethod.LOAD_BALANCER: DeploymentPattern.BLUE_GREEN,
    RollbackMethod.CUSTOM: DeploymentPattern.ROLLING,
}
"""The guide's pattern each method is (an Argo rollout is undone by promoting back)."""


class StarterAnswers(Struct, frozen=True):
    """What `lastgood init` needs to know about the service."""

    service: str
    health_url: str
    version_url: str
    prometheus_url: str
    """Empty: no Prometheus, so no error-rate probe (nor its trigger)."""
    version_field: str = "version"
    error_query: str = DEFAULT_ERROR_QUERY
    method: RollbackMethod = RollbackMethod.KUBECTL
    target: str = ""
    """The Deployment, Helm release or Argo Rollout; empty: the service's name."""
    namespace: str = ""
    """The Kubernetes namespace; empty: `default`."""
    command: str = ""
    """The rollback command itself, for a load-balancer switch or a custom method."""
    migrations: MigrationTool = MigrationTool.NONE
    error_reduce: Reduce | None = None
    """How the error query's several series make the probe's one value; None: one
    series is expected (the default query's `sum(...)/sum(...)` gives one)."""
    error_baseline: float | None = None
    """The error ratio while healthy, written as the probe's `baseline:` (what Check
    health's "back to baseline" compares with); None: none, said in a comment."""
    status_page: str | None = None
    """The status page people read (`status_page: {url: ...}`, updated by hand), `none`
    for a team that has none (`status_page: none`); None: not asked, said in a comment."""

    @property
    def object_name(self) -> str:
        return self.target or self.service

    @property
    def object_namespace(self) -> str:
        return self.namespace or "default"


def rollback_command(answers: StarterAnswers) -> str:
    """The command that rolls the release back."""
    name, namespace = answers.object_name, answers.object_namespace
    match answers.method:
        case RollbackMethod.KUBECTL:
            return f"kubectl rollout undo deployment/{name} -n {namespace}"
        case RollbackMethod.HELM:
            return f"helm rollback {name} -n {namespace} --wait --timeout {ROLLOUT_TIMEOUT}"
        case RollbackMethod.ARGO_ROLLOUTS:
            return f"kubectl argo rollouts undo {name} -n {namespace}"
        case _:
            return answers.command.strip()


def rollback_check(answers: StarterAnswers) -> dict[str, JSONValue] | None:
    """The step's `verify` block: what reads back that the rollback took, retried for
    up to five minutes (None for a command only the team knows how to read)."""
    name, namespace = answers.object_name, answers.object_namespace
    match answers.method:
        case RollbackMethod.KUBECTL:
            status = f"kubectl rollout status deployment/{name} -n {namespace} --timeout=30s"
            expect: dict[str, JSONValue] = {"regex": "successfully rolled out"}
        case RollbackMethod.HELM:
            status = f"helm status {name} -n {namespace} -o json"
            expect = {"json_path": "info.status", "equals": "deployed"}
        case RollbackMethod.ARGO_ROLLOUTS:
            status = f"kubectl argo rollouts status {name} -n {namespace} --timeout 30s"
            expect = {"regex": "Healthy"}
        case _:
            return None
    return {"command": status, **expect, "within_s": 300, "every_s": 5}


def commands_for(path: str) -> tuple[str, str]:
    """How to check the runbook written at `path` and declare with it: shell commands
    to paste, the path quoted (a `$(...)` in it is not run, a space does not split it)."""
    runbook = path if "/" in path else f"./{path}"
    return (
        f"lastgood validate {shlex.quote(path)}",
        f"lastgood declare --runbook {shlex.quote(runbook)}",
    )


def starter_text(answers: StarterAnswers, path: str = "lastgood.yaml") -> str:
    """The runbook file for `answers` (which `starter_problems` found nothing wrong
    with), to be written at `path`."""
    data = runbook_to_data(load_runbook(resolve_runbook("rollback")))
    pattern = METHOD_PATTERN[answers.method]
    data["runbook"] = f"{answers.service}-rollback"
    data["title"] = f"Emergency rollback: {answers.service}"
    patterns = data["patterns"]
    assert isinstance(patterns, dict)
    data["patterns"] = {pattern.value: patterns[pattern.value]}
    data["default_pattern"] = pattern.value
    data["probes"] = _probes(answers, data["probes"])
    left_out = _left_out(answers)  # the triggers and steps of the probes left out go too
    data["triggers"] = [t for t in _list(data["triggers"]) if _probe_of(t) not in left_out]
    data["phases"] = [_phase(answers, pattern, phase) for phase in _list(data["phases"])]
    data["database_tiers"] = down_tiers(answers.migrations, data["database_tiers"])
    if answers.status_page is not None:  # before the probes, as the bundled file has it
        page: JSONValue = answers.status_page
        if answers.status_page != NO_STATUS_PAGE:
            page = {"url": answers.status_page}
        data = _before(data, "probes", "status_page", page)
    validate, declare = commands_for(path)
    header = _HEADER.format(
        service=answers.service,
        method=answers.method,
        validate=visible(validate),  # a comment line stays one line
        declare=visible(declare),
    )
    reads = "the health probe" if HEALTH not in left_out else "the evidence typed when checked"
    notes = {
        HEALTH: _NO_HEALTH,
        VERSION: _NO_VERSION,
        PROMETHEUS: _NO_PROMETHEUS.format(check_health=reads),
    }
    sections = [
        header + "".join(notes[probe] for probe in notes if probe in left_out),
        *(_section(key, value, _comment(answers, key)) for key, value in data.items()),
    ]
    return "\n".join(sections)


PROMETHEUS = "error-rate"
"""The bundled runbook's Prometheus probe, left out when no Prometheus URL is given."""
HEALTH = "health"
VERSION = "version"
NO_PROMETHEUS_EVIDENCE = "health checks passing, no rollback trigger met"
"""What Check health shows without Prometheus: the health probe, read instead."""


def _before(
    data: dict[str, JSONValue], key: str, new: str, value: JSONValue
) -> dict[str, JSONValue]:
    """`data` with `new` set to `value` just before `key` (at the end without it)."""
    items = [(k, v) for k, v in data.items() if k != new]
    at = next((i for i, (k, _) in enumerate(items) if k == key), len(items))
    return dict([*items[:at], (new, value), *items[at:]])


def _probe_of(item: JSONValue) -> JSONValue:
    assert isinstance(item, dict)
    return item.get("probe")


def _urls(answers: StarterAnswers) -> dict[str, str]:
    """Each bundled probe's URL; empty for a probe left out."""
    return {
        HEALTH: answers.health_url.strip(),
        VERSION: answers.version_url.strip(),
        PROMETHEUS: answers.prometheus_url.strip(),
    }


def _left_out(answers: StarterAnswers) -> set[str]:
    """The bundled probes the runbook has not: a blank URL (a batch worker has no health
    or version endpoint, ux_review8 #1; many services no Prometheus)."""
    return {name for name, url in _urls(answers).items() if not url}


def _probes(answers: StarterAnswers, probes: JSONValue) -> list[JSONValue]:
    urls = _urls(answers)
    written: list[JSONValue] = []
    for probe in _list(probes):
        assert isinstance(probe, dict)
        name = probe["name"]
        assert isinstance(name, str)
        if not urls[name]:
            continue
        probe = {**probe, "url": urls[name]}
        if name == "version":
            probe["json_field"] = answers.version_field
        if name == "error-rate":
            probe["query"] = answers.error_query.strip()
            if answers.error_reduce is not None:
                probe["reduce"] = answers.error_reduce.value
            if answers.error_baseline is not None:
                probe["baseline"] = answers.error_baseline
        written.append({key: value for key, value in probe.items() if value != ""})
    return written


ROLLBACK_TITLES: dict[RollbackMethod, str] = {
    RollbackMethod.KUBECTL: "Roll back with kubectl",
    RollbackMethod.HELM: "Roll back with helm",
    RollbackMethod.ARGO_ROLLOUTS: "Roll back with Argo Rollouts",
    RollbackMethod.LOAD_BALANCER: "Roll back {service} at the load balancer",
    RollbackMethod.CUSTOM: "Roll back {service}",
}
"""The rollback step's title for each method: a tool people know by name, else the
service (`Roll back with custom` named the option's value, not anything a reader at
3 a.m. knows)."""


def rollback_title(answers: StarterAnswers) -> str:
    """The title of the step that runs the rollback."""
    return ROLLBACK_TITLES[answers.method].format(service=answers.service)


def _phase(answers: StarterAnswers, pattern: DeploymentPattern, phase: JSONValue) -> JSONValue:
    assert isinstance(phase, dict)
    left_out = _left_out(answers)
    health = HEALTH not in left_out
    steps: list[JSONValue] = []
    for step in _list(phase["steps"]):
        assert isinstance(step, dict)
        patterns = step.get("patterns")
        if isinstance(patterns, list) and pattern.value not in patterns:
            continue
        step = dict(step)
        if isinstance(patterns, list):
            step["patterns"] = [pattern.value]
            step["kind"] = "command"
            step["title"] = rollback_title(answers)
            step["command"] = rollback_command(answers)
            if (check := rollback_check(answers)) is not None:
                step["verify"] = check
        elif step["id"] == "record-running-version" and not answers.version_url.strip():
            step["kind"] = "check"  # no URL to curl: the version is noted by hand
            del step["command"]
        elif step["id"] == "record-running-version":
            step["command"] = f"curl -fsS {_shell_url(answers.version_url)}"
        elif step["id"] == "database-rollback" and (down := DOWN_STEP[answers.migrations]):
            step["guidance"] = f"{step['guidance']} {down}"
        elif step.get("probe") == PROMETHEUS and not answers.prometheus_url and health:
            step["probe"] = HEALTH
            step["evidence"] = NO_PROMETHEUS_EVIDENCE
        elif step.get("probe") in left_out:  # its evidence is typed when it is checked
            del step["probe"]
            step.pop("evidence", None)
        steps.append(step)
    return {**phase, "steps": steps}


def _shell_url(url: str) -> str:
    """`url` as one shell word; `${NAME:-default}` is left for the shell to expand the
    way lastgood's probes do, which only double quotes allow."""
    if ENV_REFERENCE.search(url) and not re.search(r'["`\\]|\$(?!\{)', url):
        return f'"{url}"'
    return shlex.quote(url)


def _list(value: JSONValue) -> list[JSONValue]:
    assert isinstance(value, list)
    return value


class _Dumper(yaml.SafeDumper):
    """Writes text with line breaks as a `|-` block, as a person would."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def _comment(answers: StarterAnswers, key: str) -> str | None:
    """The comment over a section: `_COMMENTS`, and what the tier's command needs."""
    comment = _COMMENTS.get(key)
    if key == "probes" and answers.prometheus_url and answers.error_baseline is None:
        comment = f"{comment}\n{_NO_BASELINE}"
    if key == "probes" and answers.status_page is None:
        comment = f"{_NO_PAGE}\n\n{comment}"
    if key == "status_page":
        comment = _PAGE_NONE if answers.status_page == NO_STATUS_PAGE else _PAGE_BY_HAND
    said = tier_comment(answers.migrations) if key == "database_tiers" else None
    return f"{comment}\n{said}" if said else comment


def _section(key: str, value: JSONValue, comment: str | None) -> str:
    text = yaml.dump({key: value}, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=88)
    return f"{comment}\n{text}" if comment else text


_HEADER = """\
# The emergency rollback runbook for {service}, written by `lastgood init`.
#
# It is the runbook bundled with lastgood (rollback-guide.md as a plan) with this
# service's probes, its rollback command ({method}) and its migration tool filled in.
# Edit it freely, then check it:   {validate}
# Use it when you declare:         {declare} ...
"""

_NO_PROMETHEUS = """\
#
# No Prometheus URL was given: the error-rate probe and its trigger (error rate > 5%)
# are left out, and Check health reads {check_health}. Run `lastgood init` with
# one to have them, or copy them from the bundled runbook.
"""

_NO_BASELINE = """\
# The error-rate probe has no baseline, its error ratio while healthy (add
# `baseline: 0.002` to it, say): Check health's "back to baseline" then asks for what
# was seen. During an incident, `lastgood baseline ID error-rate --value RATIO` records one."""

_NO_PAGE = """\
# No status page was given. The guide's "Update the status page and notify all
# stakeholders" has two halves: add `status_page: {url: https://status.example.com}`
# (Communicate resolution then stays open until `lastgood status-page ID` records it
# updated), or `status_page: none` if people read none."""

_PAGE_NONE = """\
# No status page: people read none, so the resolution message alone communicates it."""

_PAGE_BY_HAND = """\
# The page people read for the incident's status, updated by hand: Communicate
# resolution stays open after the message until `lastgood status-page ID` (key U)
# records it updated. A notify target can post to it instead (see the bundled runbook)."""

_NO_HEALTH = """\
#
# No health URL was given: the health probe and its trigger (3 failed checks in a row)
# are left out.
"""

_NO_VERSION = """\
#
# No version URL was given: the version probe is left out; Confirm version takes the
# version seen, typed when it is checked, and Record the version running is a check.
"""

_COMMENTS = {
    "patterns": "# How a release of this service is rolled back (the guide's deployment patterns).",
    "triggers": "# The pre-defined rollback triggers (e.g., error rate > 5%, core functionality"
    " broken).",
    "database_tiers": "# The three database tiers of the guide, safest first.",
    "templates": "# The messages the coordinator confirms and sends; {placeholders} are filled in.",
    "cadence": "# Keep stakeholders informed with concise, regular updates. Messages from the\n"
    "# templates in to_responders (the page to the team) are no update to them.",
    "notify": "# When each message is due; add `to:` and `targets:` to deliver to Slack or a"
    " webhook.",
    "probes": "# Where lastgood watches the service. A URL may read the environment with\n"
    '# ${NAME} or ${NAME:-default}, e.g. url: "${CHECKOUT_URL:-https://checkout.example}/healthz".',
    "phases": "# The guide's four phases, their windows (minutes after the declaration; close-out\n"
    "# has none: it begins once the service is stable) and steps.",
}
