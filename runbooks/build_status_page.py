"""Reading a runbook's `status_page`: the page people read, and the notify target that
posts updates to it.

```yaml
status_page:
  url: https://status.example.com     # the page people read (shown, never posted to)
  target: statuspage                  # a notify target (webhook) that posts updates
  send: [resolved]                    # the templates it posts (default: resolved)
```

Without `target` the page is updated by hand, and the words the coordinator reads say so.
`status_page: none` says the team has none: the resolution's message alone communicates
it (`says_none`).
"""

from __future__ import annotations

from runbooks.build_context import STATUS_PAGE_KEYS
from runbooks.checks import allowed, url_problem
from runbooks.fields import Fields, Reporter
from runbooks.model import RESOLUTION_TEMPLATE, NotifyTarget, StatusPage

NO_STATUS_PAGE = "none"
"""`status_page: none`: no status page, said so."""


def says_none(top: Fields) -> bool:
    """Whether the runbook says it has no status page (`status_page: none`)."""
    value = top.get("status_page")
    return isinstance(value, str) and value.strip().lower() == NO_STATUS_PAGE


def read_status_page(
    rep: Reporter,
    top: Fields,
    targets: tuple[NotifyTarget, ...],
    templates: list[tuple[str, str]],
) -> StatusPage | None:
    """The runbook's status page, or None (with any problem reported) when it has none."""
    if says_none(top):
        return None
    value = top.mapping("status_page")
    if value is None:
        return None
    fields = Fields(rep, ("status_page",), value, STATUS_PAGE_KEYS, "status_page")
    url = fields.text("url", required=True)
    if url is not None and (problem := _url_problem(url)):
        fields.report("url", problem)
        url = None
    target = _target(fields, targets)
    send = _send(fields, {name for name, _ in templates}, target)
    if url is None or target is None or send is None:
        return None
    return StatusPage(url, target, send)


def url_problem_of_page(url: str) -> str | None:
    """Why `url` cannot be a status page's `url`, or None."""
    return _url_problem(url)


def _url_problem(url: str) -> str | None:
    if "${" in url:  # shown to people and in the report: never read from the environment
        return "the status page's 'url' is shown to people: write it out, not ${NAME}"
    return url_problem(url)


def _target(fields: Fields, targets: tuple[NotifyTarget, ...]) -> str | None:
    """The target's name, "" when none is given, None when it names no notify target."""
    name = fields.text("target")
    if name is None:
        return None if fields.given("target") else ""
    names = [t.name for t in targets]
    if name not in names:
        listed = allowed(names) or "none defined under notify.targets"
        fields.report("target", f"no notify target '{name}' (targets: {listed})")
        return None
    return name


def _send(fields: Fields, template_ids: set[str], target: str | None) -> tuple[str, ...] | None:
    listed = fields.items("send")
    if listed is None:
        if fields.given("send"):
            return None
        if target and RESOLUTION_TEMPLATE not in template_ids:
            fields.report(
                "target",
                f"the status page posts the '{RESOLUTION_TEMPLATE}' message unless 'send' "
                f"names others, and there is no template '{RESOLUTION_TEMPLATE}'",
            )
            return None
        return (RESOLUTION_TEMPLATE,)
    if fields.given("send") and not fields.given("target"):
        fields.report("send", "'send' needs 'target': the notify target that posts to the page")
        return None
    names = allowed(sorted(template_ids)) or "none defined"
    sent: list[str] = []
    for index, item in enumerate(listed):
        if not isinstance(item, str) or item not in template_ids:
            shown = item if isinstance(item, str) else repr(item)
            fields.rep.report(
                (*fields.at("send"), index), f"no template '{shown}' (templates: {names})"
            )
            return None
        sent.append(item)
    if not sent:
        fields.report("send", "'send' must name at least one template")
        return None
    return tuple(dict.fromkeys(sent))
