"""A runbook of one phase and one step that polls the probes a test names: what the
tests of polling (`monitor`, the probes' turn, the who-polls mark) run against."""

from __future__ import annotations

from pathlib import Path


def probe_runbook(path: Path, *probes: str, title: str = "Probes") -> Path:
    """Write it at `path` (its id is the file's stem), each of `probes` a YAML flow
    mapping such as `{name: health, kind: http, url: 'http://192.0.2.1/'}`."""
    rows = "".join(f"  - {probe}\n" for probe in probes)
    path.write_text(
        f"runbook: {path.stem}\n"
        f"title: {title}\n"
        f"probes:\n{rows}"
        "phases:\n"
        "  - id: execute\n"
        "    title: Execute\n"
        "    steps:\n"
        "      - {id: redeploy, title: Redeploy}\n"
    )
    return path


def pointed_rollback(path: Path, *unpointed: str) -> Path:
    """The bundled rollback runbook written at `path`, its probes pointed at TEST-NET
    (192.0.2.1, which nobody answers) rather than at their bundled 127.0.0.1 defaults,
    but for those named in `unpointed`, left at their defaults."""
    from runbooks import resolve_runbook
    from runbooks.unpointed import BUNDLED_PROBE_URLS

    text = resolve_runbook("rollback").read_text(encoding="utf-8")
    for name, url in BUNDLED_PROBE_URLS.items():
        if name not in unpointed:
            pointed = url.replace("127.0.0.1", "192.0.2.1")
            text = text.replace(f'url: "{url}"', f'url: "{pointed}"')
    path.write_text(text, encoding="utf-8")
    return path
