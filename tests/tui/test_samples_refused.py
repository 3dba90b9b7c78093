"""A batch of samples the record did not take is said, whatever refused it.

A refusal the screen foresaw (the record unreachable, the incident closed elsewhere) was
said in a toast; any other failure while recording a batch went unsaid, and the
Production panel sat on "waiting for first poll" with polling on and nothing recorded
(an adversarial tester's review: a lone surrogate in a probed answer did it). The
failure is now said by its class, as data, and polling goes on.
"""

from __future__ import annotations

from pathlib import Path

from tests.tui.coordinator_harness import coordinator
from tests.tui.pilot_helpers import wait_until
from tui.app.screens.recorder import Outcome


async def test_an_unforeseen_failure_recording_samples_is_said(tmp_path: Path) -> None:
    async with coordinator(tmp_path / "s.db", notifications=True) as (app, pilot, screen):
        failure = RuntimeError("codec says [bold]no[/] \x1b[31m")
        screen._samples_refused(Outcome(error=failure))
        await wait_until(
            pilot, lambda: any(n.title == "Samples not recorded" for n in app._notifications)
        )
        [said] = [n.message for n in app._notifications if n.title == "Samples not recorded"]
        assert said.startswith("unexpected failure (RuntimeError: codec says [bold]no[/]"), said
        assert "\x1b" not in said and said.endswith("; polling goes on"), said
