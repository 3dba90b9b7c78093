"""Reading a runbook's `notify` section: webhook targets and which messages go where.

```yaml
notify:
  targets:
    - {name: team, kind: slack, url: "${LASTGOOD_SLACK_WEBHOOK}"}
    - {name: ops, kind: json, url: "https://hooks.example/ingest",
       headers: {Authorization: "Bearer ${OPS_TOKEN}"}}
  send:                 # template id -> targets its messages are delivered to
    initiating: [team, ops]
    resolved: [team, ops]
```
"""

from __future__ import annotations

from runbooks.build_context import NOTIFY_KEYS
from runbooks.build_sections import SectionRules
from runbooks.checks import url_problem
from runbooks.fields import Fields
from runbooks.model import NotifyTarget
from runbooks.yaml_nodes import DataPath

TARGET_KINDS = ("slack", "json")


class NotifyRules(SectionRules):
    def read_notify(
        self, top: Fields, templates: list[tuple[str, str]]
    ) -> tuple[tuple[NotifyTarget, ...], tuple[tuple[str, tuple[str, ...]], ...]]:
        value = top.mapping("notify")
        if value is None:
            return (), ()
        fields = Fields(self.rep, ("notify",), value, NOTIFY_KEYS, "notify")
        targets = self._targets(fields)
        names = {t.name for t in targets}
        template_ids = {name for name, _ in templates}
        rules: list[tuple[str, tuple[str, ...]]] = []
        for key, listed in (fields.mapping("send") or {}).items():
            template = str(key)
            path: DataPath = (*fields.at("send"), template)
            if template not in template_ids:
                choices = ", ".join(sorted(template_ids)) or "none defined"
                self.rep.report(path, f"no template '{template}' (templates: {choices})", key=True)
                continue
            if not isinstance(listed, list) or not all(isinstance(n, str) for n in listed):
                self.rep.report(path, f"'send.{template}' must be a list of target names")
                continue
            for index, name in enumerate(listed):
                if name not in names:
                    known = ", ".join(sorted(names)) or "none defined"
                    self.rep.report((*path, index), f"no target '{name}' (targets: {known})")
            rules.append((template, tuple(n for n in listed if n in names)))
        return tuple(targets), tuple(rules)

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
