"""The runbook's sections other than phases: roles, patterns, templates, probes,
triggers, database tiers and the update cadence."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from runbooks.build_context import (
    CADENCE_KEYS,
    MAX_CADENCE_MIN,
    MAX_COUNT,
    MAX_SECONDS,
    MIN_INTERVAL_S,
    MIN_TIMEOUT_S,
    OPS,
    PATTERN_KEYS,
    BuildContext,
    seconds,
)
from runbooks.build_verify import read_verify
from runbooks.checks import (
    allowed,
    header_name_problem,
    header_value_problem,
    id_problem,
    template_problems_at,
    url_problem,
)
from runbooks.command_text import command_problems
from runbooks.data_path import INVALID, DataPath
from runbooks.fields import Fields, parse_choice
from runbooks.model import (
    Cadence,
    CommandCheck,
    DatabaseTier,
    DataLoss,
    DeploymentPattern,
    MomentKind,
    PatternInfo,
    Probe,
    ProbeKind,
    Reduce,
    SendRule,
    Trigger,
    TriggerKind,
)
from runbooks.probe_checks import json_field_problem, query_problem
from runbooks.problems import Problem


class SectionRules(BuildContext):
    """Reads the sections that phases and steps refer to."""

    def read_roles(self, top: Fields) -> None:
        listed: dict[str, DataPath] = {}
        for index, item in enumerate(top.items("roles") or ()):
            path = ("roles", index)
            if item is INVALID:
                continue
            if not isinstance(item, str):
                self.rep.report(path, "each role must be a string")
                continue
            problem = id_problem(item, "role")
            if problem:
                self.rep.report(path, problem)
            elif self.unique(listed, item, path, "role"):
                self.roles.setdefault(item)

    def read_patterns(self, top: Fields) -> list[PatternInfo]:
        for key, value in (top.mapping("patterns") or {}).items():
            path = ("patterns", str(key))
            pattern = parse_choice(
                self.rep, path, str(key), DeploymentPattern, "deployment pattern", key=True
            )
            if value is INVALID:
                continue
            if not isinstance(value, Mapping):
                self.rep.report(path, f"pattern '{key}' must be a mapping with a 'title'")
                continue
            fields = Fields(self.rep, path, value, PATTERN_KEYS, f"pattern '{key}'")
            title = fields.text("title", required=True)
            description = fields.text("description") or ""
            if pattern is not None and title is not None:
                self.patterns[pattern] = PatternInfo(pattern, title, description)
        return list(self.patterns.values())

    def read_default_pattern(self, top: Fields) -> DeploymentPattern | None:
        value = top.text("default_pattern")
        return None if value is None else self.pattern_ref(top.at("default_pattern"), value)

    def read_templates(self, top: Fields) -> list[tuple[str, str]]:
        for key, value in (top.mapping("templates") or {}).items():
            template_id = str(key)
            path = ("templates", template_id)
            self.template_keys.add(template_id)
            problem = id_problem(template_id, "template id")
            if problem:
                self.rep.report(path, problem, key=True)
                continue
            if value is INVALID:
                continue
            raw = self.rep.raw(path)
            text = value if isinstance(value, str) else raw
            if text is None or isinstance(value, dict | list):
                self.rep.report(path, f"template '{template_id}' must be a string")
                continue
            if not text.strip():
                self.rep.report(path, f"template '{template_id}' must not be empty")
                continue
            messages = template_problems_at(text)
            for at, message in messages:
                self.template_problem(path, template_id, text, at, message)
            if not messages:
                self.templates[template_id] = text
        return list(self.templates.items())

    def template_problem(
        self, path: DataPath, template_id: str, text: str, at: int | None, message: str
    ) -> None:
        """Report a template's problem at its placeholder (ux_review17 #10), else at it."""
        said = f"template '{template_id}': {message}"
        if at is None or self.rep.positions is None:
            self.rep.report(path, said)
            return
        from runbooks.template_wording import placeholder_place

        line, col = placeholder_place(self.rep.file, template_id, text, at)
        self.rep.add([Problem(self.rep.file, line, col, said)])

    def read_probes(self, top: Fields) -> list[Probe]:
        probes: list[Probe] = []
        names: dict[str, DataPath] = {}
        for _path, fields in self.entries(top, "probes", "probe"):
            name = fields.ident("name", "probe name")
            if name is not None:
                fields.what = f"probe '{name}'"
                if not self.unique(names, name, fields.at("name"), "probe name"):
                    name = None
            kind = fields.choice("kind", ProbeKind, "probe kind", required=True)
            if name is not None:
                self.probes[name] = kind
            url = fields.text("url", required=True)
            if url is not None and (problem := url_problem(url)):
                fields.report("url", problem)
                url = None
            query = json_field = reduce = None
            if kind is ProbeKind.PROMETHEUS:
                query = fields.text("query", required=True)
                if query is not None and (problem := query_problem(query)):
                    fields.report("query", f"'query' {problem}")
                    query = None
                reduce = fields.choice("reduce", Reduce, "reduction")
                fields.not_for(
                    ("json_field", "expect_status"), "does not apply to prometheus probes"
                )
            elif kind is not None:
                fields.not_for(("query", "reduce"), "only applies to prometheus probes")
                json_field = fields.text("json_field")
                if json_field is not None and (problem := json_field_problem(json_field)):
                    fields.report("json_field", f"'json_field' {problem}")
                    json_field = None
            status = fields.integer(
                "expect_status",
                minimum=100,
                maximum=599,
                message="'expect_status' must be an HTTP status code (100-599)",
            )
            interval = fields.number(
                "interval_s",
                message=f"'interval_s' must be {seconds(MIN_INTERVAL_S)}",
                positive=True,
                minimum=MIN_INTERVAL_S,
                maximum=MAX_SECONDS,
            )
            timeout = fields.number(
                "timeout_s",
                message=f"'timeout_s' must be {seconds(MIN_TIMEOUT_S)}",
                positive=True,
                minimum=MIN_TIMEOUT_S,
                maximum=MAX_SECONDS,
            )
            threshold = fields.number("threshold", message="'threshold' must be a number")
            if name is not None and threshold is not None:
                self.probe_thresholds[name] = fields.at("threshold")
            unit = fields.text("unit") or ""
            baseline = fields.number("baseline", message="'baseline' must be a number")
            headers = self.read_headers(fields)
            if name is None or kind is None or url is None:
                continue
            probes.append(
                Probe(
                    name=name,
                    kind=kind,
                    url=url,
                    expect_status=200 if status is None else status,
                    json_field=json_field,
                    query=query,
                    interval_s=5.0 if interval is None else interval,
                    timeout_s=2.0 if timeout is None else timeout,
                    headers=headers,
                    threshold=threshold,
                    unit=unit,
                    baseline=baseline,
                    reduce=reduce,
                )
            )
        return probes

    def read_headers(self, fields: Fields) -> tuple[tuple[str, str], ...]:
        headers: list[tuple[str, str]] = []
        seen: dict[str, DataPath] = {}
        for key, value in (fields.mapping("headers") or {}).items():
            name = str(key)
            path = (*fields.at("headers"), name)
            if problem := header_name_problem(name):
                self.rep.report(path, problem, key=True)
                continue
            if not self.unique(seen, name.lower(), path, "header"):
                continue
            if value is INVALID:
                continue
            raw = self.rep.raw(path)
            text = value if isinstance(value, str) else raw
            if text is None or isinstance(value, dict | list):
                self.rep.report(path, f"header '{name}' must be a string")
                continue
            if problem := header_value_problem(name, text):
                self.rep.report(path, problem)
                continue
            headers.append((name, text))
        return tuple(headers)

    def read_triggers(self, top: Fields) -> list[Trigger]:
        triggers: list[Trigger] = []
        ids: dict[str, DataPath] = {}
        for _path, fields in self.entries(top, "triggers", "trigger"):
            trigger_id = fields.ident("id", "trigger id")
            if trigger_id is not None:
                fields.what = f"trigger '{trigger_id}'"
                if not self.unique(ids, trigger_id, fields.at("id"), "trigger id"):
                    trigger_id = None
            title = fields.text("title", required=True)
            kind = fields.choice("kind", TriggerKind, "trigger kind", required=True)
            probe = op = None
            threshold: float | None = None
            for_samples: int | None = None
            count: int | None = None
            samples = "'for_samples' must be a positive integer"
            if kind is TriggerKind.METRIC:
                probe = self.probe_ref(fields)
                if probe is not None and self.probes.get(probe) is ProbeKind.VERSION:
                    fields.report(
                        "probe",
                        f"metric trigger needs a numeric probe; '{probe}' is a version probe",
                    )
                    probe = None
                op = fields.text("op", required=True)
                if op is not None and op not in OPS:
                    fields.report("op", f"invalid op '{op}' (allowed: {allowed(OPS)})")
                    op = None
                threshold = fields.number(
                    "threshold", message="'threshold' must be a number", required=True
                )
                if trigger_id is not None and threshold is not None:
                    self.trigger_thresholds[trigger_id] = fields.at("threshold")
                for_samples = fields.integer(
                    "for_samples", minimum=1, maximum=MAX_COUNT, message=samples
                )
                fields.not_for(("count",), "only applies to consecutive_failures triggers")
            elif kind is TriggerKind.CONSECUTIVE_FAILURES:
                probe = self.probe_ref(fields)
                count = fields.integer(
                    "count",
                    minimum=1,
                    maximum=MAX_COUNT,
                    message="'count' must be a positive integer",
                    required=True,
                )
                fields.not_for(
                    ("op", "threshold", "for_samples"), "only applies to metric triggers"
                )
            elif kind is TriggerKind.MANUAL:
                fields.not_for(
                    ("probe", "op", "threshold", "for_samples", "count"),
                    "does not apply to manual triggers",
                )
            if trigger_id is None or title is None or kind is None:
                continue
            triggers.append(
                Trigger(
                    id=trigger_id,
                    title=title,
                    kind=kind,
                    probe=probe,
                    op=op,
                    threshold=threshold,
                    for_samples=1 if for_samples is None else for_samples,
                    count=count,
                )
            )
        return triggers

    def read_tiers(self, top: Fields) -> list[DatabaseTier]:
        tiers: list[DatabaseTier] = []
        ids: dict[str, DataPath] = {}
        for _path, fields in self.entries(top, "database_tiers", "database tier"):
            self.tier_count += 1
            tier_id = fields.ident("id", "database tier id")
            if tier_id is not None:
                fields.what = f"database tier '{tier_id}'"
                if not self.unique(ids, tier_id, fields.at("id"), "database tier id"):
                    tier_id = None
                else:
                    self.tier_places[tier_id] = self.rep.place(fields.at("id"))
            title = fields.text("title", required=True)
            risk = fields.text("risk", required=True)
            data_loss = fields.choice("data_loss", DataLoss, "data_loss", required=True)
            guidance = fields.text("guidance") or ""
            approver = self.role(fields, "approver")
            command, verify = self.tier_command(fields)
            if tier_id is None or title is None or risk is None or data_loss is None:
                continue
            tiers.append(
                DatabaseTier(tier_id, title, risk, data_loss, guidance, approver, command, verify)
            )
        return tiers

    def tier_command(self, fields: Fields) -> tuple[str | None, CommandCheck | None]:
        """A tier's `command`, checked as a command step's (its placeholders), and its
        `verify`, which reads back that command: none without it (ux_review8 #9)."""
        command = fields.text("command")
        if command is not None and not self.rep.recorded:  # a snapshot passed its day's rules
            for problem in command_problems(command):
                fields.report("command", problem)
        verify = read_verify(fields)
        if fields.given("verify") and not fields.given("command"):
            fields.report("verify", "'verify' reads back the tier's 'command': give one")
            return None, None
        return command, verify

    def read_cadence(self, top: Fields) -> Cadence:
        value = top.mapping("cadence")
        if value is None:
            return Cadence()
        fields = Fields(self.rep, ("cadence",), value, CADENCE_KEYS, "cadence")
        minutes = f"a positive number of minutes (at most {MAX_CADENCE_MIN})"
        first = fields.integer(
            "first_update_min",
            minimum=1,
            maximum=MAX_CADENCE_MIN,
            message=f"'first_update_min' must be {minutes}",
        )
        every = fields.integer(
            "every_min",
            minimum=1,
            maximum=MAX_CADENCE_MIN,
            message=f"'every_min' must be {minutes}",
        )
        default = Cadence()
        return Cadence(
            default.first_update_min if first is None else first,
            default.every_min if every is None else every,
            self._to_responders(fields),
        )

    def check_update_counts(self, cadence: Cadence, rules: Sequence[SendRule]) -> None:
        """Report the `update-due` template listed in `cadence.to_responders`: its
        message would never count as the update it is due as, so it would stay due."""
        for rule in rules:
            if rule.on is None or rule.on.kind is not MomentKind.UPDATE_DUE:
                continue
            if rule.template in cadence.to_responders:
                index = cadence.to_responders.index(rule.template)
                self.rep.report(
                    ("cadence", "to_responders", index),
                    f"template '{rule.template}' is the update-due message (notify.send): "
                    "it goes to stakeholders, not to the responders",
                )

    def _to_responders(self, fields: Fields) -> tuple[str, ...]:
        """`cadence.to_responders`: the templates whose messages page the responders
        rather than update stakeholders, each one the runbook defines, named once."""
        listed = fields.items("to_responders")
        if listed is None:
            return ()
        names = allowed(sorted(self.templates)) or "none defined"
        found: list[str] = []
        for index, name in enumerate(listed):
            path = (*fields.at("to_responders"), index)
            if not isinstance(name, str):
                self.rep.report(path, "'to_responders' must list template ids")
            elif name not in self.templates:
                if name not in self.template_keys:  # else refused where it is defined
                    self.rep.report(path, f"no template '{name}' (templates: {names})")
            elif name in found:
                self.rep.report(path, f"template '{name}' is listed twice in 'to_responders'")
            else:
                found.append(name)
        return tuple(found)
