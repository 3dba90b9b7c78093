"""Reading a runbook's `notify` section: webhook targets, and which messages go where
and when.

```yaml
notify:
  targets:
    - {name: team, kind: slack, url: "${LASTGOOD_SLACK_WEBHOOK}"}
    - {name: ops, kind: json, url: "https://hooks.example/ingest",
       headers: {Authorization: "Bearer ${OPS_TOKEN}"}}
  send:                 # template id -> where its messages go (and when they are due)
    initiating: [team, ops]                 # sent by hand, delivered to both
    announce: {to: [team], on: "step:decide-rollback", mode: auto}
    update: {to: [team], on: update-due}    # mode defaults to confirm
    resolved: {to: [team, ops], on: "phase:verify"}
```

`on` is `declared`, `update-due`, `step:<step id>` or `phase:<phase id>`; the step
and phase references are checked once the phases are read (`check_moments`).
"""

from __future__ import annotations

from collections.abc import Mapping

from runbooks.build_context import NOTIFY_KEYS, SEND_KEYS
from runbooks.build_sections import SectionRules
from runbooks.checks import allowed, url_problem
from runbooks.data_path import DataPath
from runbooks.fields import Fields
from runbooks.model import Moment, MomentKind, NotifyTarget, Phase, SendMode, SendRule

TARGET_KINDS = ("slack", "json")
MOMENT_FORMS = "declared, update-due, step:<step id> or phase:<phase id>"


class NotifyRules(SectionRules):
    moment_paths: list[tuple[Moment, DataPath]]
    target_names: str
    """The targets defined, as listed in messages (made once, not once per mistake)."""

    def read_notify(
        self, top: Fields, templates: list[tuple[str, str]]
    ) -> tuple[tuple[NotifyTarget, ...], tuple[SendRule, ...]]:
        self.moment_paths = []
        value = top.mapping("notify")
        if value is None:
            return (), ()
        fields = Fields(self.rep, ("notify",), value, NOTIFY_KEYS, "notify")
        targets = self._targets(fields)
        names = {t.name for t in targets}
        self.target_names = allowed(sorted(names)) or "none defined"
        template_ids = {name for name, _ in templates}
        template_names = allowed(sorted(template_ids)) or "none defined"
        rules: list[SendRule] = []
        for key, entry in (fields.mapping("send") or {}).items():
            template = str(key)
            path: DataPath = (*fields.at("send"), template)
            if template not in template_ids:
                if template not in self.template_keys:  # else refused where it is defined
                    message = f"no template '{template}' (templates: {template_names})"
                    self.rep.report(path, message, key=True)
                continue
            rule = self._send_rule(template, path, entry, names)
            if rule is not None:
                rules.append(rule)
        return tuple(targets), tuple(rules)

    def check_moments(self, phases: list[Phase]) -> None:
        """Report `on: step:x` / `on: phase:x` that name no step or phase."""
        step_ids = dict.fromkeys(step.id for phase in phases for step in phase.steps)
        phase_ids = dict.fromkeys(phase.id for phase in phases)
        for moment, path in self.moment_paths:
            known = step_ids if moment.kind is MomentKind.STEP else phase_ids
            if moment.ref not in known:
                what = "steps" if moment.kind is MomentKind.STEP else "phases"
                hint = self.rep.hint(moment.ref, known, what)
                self.rep.report(path, f"no {moment.kind} '{moment.ref}'{hint}")

    def _send_rule(
        self, template: str, path: DataPath, entry: object, names: set[str]
    ) -> SendRule | None:
        if isinstance(entry, list):
            routed = self._target_names(path, entry, names)
            return None if routed is None else SendRule(template, routed)
        if not isinstance(entry, Mapping):
            self.rep.report(
                path,
                f"'send.{template}' must be a list of target names or a mapping (to, on, mode)",
            )
            return None
        fields = Fields(self.rep, path, entry, SEND_KEYS, f"send.{template}")
        targets: tuple[str, ...] | None = ()
        listed = fields.get("to")
        if listed is not None:
            if isinstance(listed, list):
                targets = self._target_names(fields.at("to"), listed, names)
            else:
                fields.report("to", f"'send.{template}.to' must be a list of target names")
                targets = None
        moment = self._moment(fields)
        mode = fields.choice("mode", SendMode, "send mode")
        if fields.given("mode") and not fields.given("on"):
            fields.report("mode", "'mode' needs 'on': the moment the message is due")
        if targets is None or (fields.given("on") and moment is None):
            return None
        if fields.given("mode") and mode is None:
            return None
        return SendRule(template, targets, moment, mode or SendMode.CONFIRM)

    def _target_names(
        self, path: DataPath, listed: list[object], names: set[str]
    ) -> tuple[str, ...] | None:
        if not all(isinstance(n, str) for n in listed):
            self.rep.report(path, "targets must be listed by name")
            return None
        for index, name in enumerate(listed):
            if name not in names:
                message = f"no target '{name}' (targets: {self.target_names})"
                self.rep.report((*path, index), message)
        return tuple(str(n) for n in listed if n in names)

    def _moment(self, fields: Fields) -> Moment | None:
        text = fields.text("on")
        if text is None:
            return None
        kind_text, _, ref = text.partition(":")
        kind = {k.value: k for k in MomentKind}.get(kind_text.strip())
        whole = kind is not None and kind in (MomentKind.DECLARED, MomentKind.UPDATE_DUE)
        if kind is None or (whole and ref) or (not whole and not ref.strip()):
            fields.report("on", f"unknown moment '{text}' (use {MOMENT_FORMS})")
            return None
        moment = Moment(kind, ref.strip())
        if moment.ref:
            self.moment_paths.append((moment, fields.at("on")))
        return moment

    def _targets(self, fields: Fields) -> list[NotifyTarget]:
        targets: list[NotifyTarget] = []
        seen: dict[str, DataPath] = {}
        for _path, entry in self.entries(fields, "targets", "notify target"):
            name = entry.ident("name", "target name")
            if name is not None and not self.unique(seen, name, entry.at("name"), "target"):
                name = None
            kind = entry.text("kind", required=True)
            if kind is not None and kind not in TARGET_KINDS:
                entry.report("kind", f"unknown target kind '{kind}' (choose slack or json)")
                kind = None
            url = entry.text("url", required=True)
            if url is not None and not url.startswith("${") and (problem := url_problem(url)):
                entry.report("url", problem)
                url = None
            headers = self.read_headers(entry)
            if name and kind and url:
                targets.append(NotifyTarget(name, kind, url, headers))
        return targets
