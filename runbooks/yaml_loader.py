"""YAML runbook files: read, compose, validate, build.

Parsing goes through `yaml.compose` with (a bounded subclass of) PyYAML's
`SafeLoader`, so every key and value keeps its line and column, and problems
point at exactly the text that is wrong. Only standard YAML types are accepted;
anchors, aliases and `<<` merge keys work, within a bound on the nodes they
expand to. The format (`runbooks/rollback.yaml` is the full example)::

    runbook: rollback                  # id (required)
    title: Emergency rollback          # required
    description: ...
    roles: [sre]                       # added to DEFAULT_ROLES
    default_pattern: rolling           # one of `patterns`
    patterns:                          # blue-green | rolling | recreate
      rolling: {title: Rolling, description: ...}
    triggers:                          # metric: probe, op, threshold, for_samples
      - {id: error-rate, title: ..., kind: metric, probe: error-rate, op: ">", threshold: 0.05}
      - {id: health-failing, title: ..., kind: consecutive_failures, probe: health, count: 3}
      - {id: core-broken, title: Core functionality broken, kind: manual}
    database_tiers:                    # data_loss: none | possible | certain
      - {id: restore-backup, title: ..., risk: ..., data_loss: certain, approver: leadership,
         guidance: ...}
    templates:                         # placeholders: model.TEMPLATE_PLACEHOLDERS only
                                       # (no ${ENV_VAR}: the environment is not read)
      initiating: "Initiating rollback due to {issue}. ETA {eta}."
    cadence: {first_update_min: 5, every_min: 20, to_responders: [paging]}
    probes:                            # kind: http | version | prometheus
      - {name: health, kind: http, url: "http://127.0.0.1:8080/healthz", expect_status: 200,
         interval_s: 5, timeout_s: 2, headers: {Authorization: "Bearer ${HEALTH_TOKEN}"}}
      - {name: version, kind: version, url: ..., json_field: version}
      - {name: error-rate, kind: prometheus, url: ..., query: ..., threshold: 0.05, unit: ratio}
    phases:                            # at least one
      - id: decide
        title: Decision and Communication
        window: [0, 5]                 # minutes after declaring; [45, null] open-ended
        summary: ...
        steps:                         # kind: check (default) | approval | communication |
          - id: decide-rollback        #       verification | command | database
            title: ...
            kind: approval             # approval needs `approver`
            approver: incident-commander
            owner: incident-commander  # roles must be known
            required: true             # default true
            guidance: ...
            patterns: [blue-green]     # only for these deployment patterns
          # communication: template; verification: probe (optional), evidence;
          # command: command; database: chooses among database_tiers (one per runbook)
        steps_from: deployment-plan.md # or {file: ..., section: "Heading"}: Markdown
                                       # tasks appended to this phase (path relative
                                       # to this file; not a YAML file, nor this one)

Header values keep `${NAME}` references unexpanded (they are expanded only when
a request is made, and never stored). Limits (1 MiB per file, 100000 nodes,
64 levels of nesting, ...) are all in `runbooks/limits.py`. No string may hold a
control character other than tab and newline, whether typed or written as an
escape (`"\\e"`), and names, ids and titles must be one line.
"""

from __future__ import annotations

from pathlib import Path

from runbooks.build import build_runbook
from runbooks.fields import Reporter
from runbooks.model import Runbook
from runbooks.problems import Problem
from runbooks.source_text import read_source
from runbooks.yaml_nodes import parse_yaml


def parse_yaml_runbook(
    text: str, file: str, base_dir: Path
) -> tuple[Runbook | None, list[Problem]]:
    """The runbook in `text`, or None and every problem found in it.

    `file` names the text in problems and becomes the runbook's `source`;
    `base_dir` is where `steps_from` files are looked up.
    """
    parsed = parse_yaml(text, file)
    if parsed.empty:
        return None, [Problem(file, 1, 1, "empty runbook")]
    if parsed.data is None and parsed.problems:
        return None, parsed.problems
    reporter = Reporter(file, parsed.positions)
    reporter.add(parsed.problems)
    runbook = build_runbook(parsed.data, reporter, base_dir, file)
    problems = sort_problems(reporter.problems, file)
    return (None if problems else runbook), problems


def load_yaml_runbook(path: Path, file: str) -> tuple[Runbook | None, list[Problem]]:
    """Read and build a YAML runbook file; (runbook, []) or (None, problems)."""
    text, problems = read_source(path, file)
    if text is None:
        return None, problems
    return parse_yaml_runbook(text, file, path.parent)


def sort_problems(problems: list[Problem], main_file: str) -> list[Problem]:
    """Unique problems, the main file's first, each file's in reading order."""
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: (p.file != main_file, p.file, p.line, p.col))
