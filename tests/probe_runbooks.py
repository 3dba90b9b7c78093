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
