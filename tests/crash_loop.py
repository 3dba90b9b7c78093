"""A crash loop: real `lastgood` writers SIGKILLed at random moments, then an audit.

Each round starts a `note` and a `check` process on one SQLite file at the same time
and SIGKILLs each after a random delay (seeded), drawn around how long a round
takes, so kills land while a writer imports, folds, appends and fsyncs, or just
after. The scale follows the machine's load: it shrinks after a round where no
kill landed and grows after one where both did, so about half the writers die.
A command counts as acknowledged when it exited 0 and printed its confirmation,
as a script would take it. The audit: every acknowledged action is in
the log, the chains verify (`lastgood verify --all`), and a new writer can append.

Used by tests/test_durability.py (about 50 kills) and bench/crash_loop.py (200+).
"""

from __future__ import annotations

import json
import random
import signal
import statistics
import subprocess
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tests.cli_helpers import lastgood_command

KILL_WINDOW = (0.4, 1.4)
"""Kill delays, as fractions of the current scale (at first, an unkilled round's median)."""
SCALE_STEP = 1.1
"""How much the scale moves after a round with no kill, or two."""


@dataclass(frozen=True)
class Action:
    """One writer command: its verb and the text that identifies it in the log."""

    verb: str
    key: str


@dataclass
class Outcome:
    kills: int = 0
    attempts: int = 0
    acknowledged: list[Action] = field(default_factory=list)
    killed_but_recorded: int = 0
    """Killed after its commit, before it could say so: recorded, not acknowledged."""
    lost: list[Action] = field(default_factory=list)
    verify_code: int = -1
    verify_output: str = ""
    unexplained_events: int = -1
    """Events beyond the declaration, the warm-up and the actions above: must be 0."""
    appended_after: bool = False
    round_s: float = 0.0
    """Median duration of an unkilled round (a note and a check at once), at the start."""
    scales_s: list[float] = field(default_factory=list)
    """The scale of the kill delays, round by round."""

    @property
    def chain_ok(self) -> bool:
        return self.verify_code == 0 and "BROKEN" not in self.verify_output


class CrashLoop:
    """Writers and an auditor for one database file and one incident."""

    def __init__(self, workdir: Path, env: Mapping[str, str], *, seed: int, steps: int) -> None:
        self.workdir = workdir
        self.db = workdir / "crash.db"
        self.env = {**env, "LASTGOOD_DB": str(self.db), "LASTGOOD_ACTOR": "writer"}
        self.rng = random.Random(seed)
        self.steps = steps
        self.next_step = 1
        self.next_note = 1
        self.warm_up_actions = 0
        runbook = workdir / "many-steps.md"
        lines = ["# Crash loop", "", "## Execute (T+0 to T+30 minutes)", ""]
        lines += [f"- [ ] Step {n:04d} {{#s{n:04d}}}" for n in range(1, steps + 1)]
        runbook.write_text("\n".join(lines) + "\n")
        declared = self.lastgood(
            "declare", "--title", "Crash loop", "--severity", "SEV3", "--commander", "A",
            "--runbook", str(runbook),
        )  # fmt: skip
        assert declared.returncode == 0, declared.stderr
        self.incident_id = declared.stdout.strip()

    def lastgood(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*lastgood_command(), *args],
            env=self.env,
            cwd=self.workdir,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def next_action(self, verb: str) -> tuple[Action, list[str], str]:
        """The action, its arguments and the confirmation it prints when done."""
        if verb == "note":
            key = f"note {self.next_note:05d}"
            self.next_note += 1
            return Action(verb, key), ["note", self.incident_id, key], "note recorded"
        if self.next_step > self.steps:
            raise RuntimeError(f"the runbook's {self.steps} steps are all used")
        step = f"s{self.next_step:04d}"
        self.next_step += 1
        args = ["check", self.incident_id, step, "--note", f"check {step}"]
        return Action(verb, f"check {step}"), args, f"checked {step}"

    def warm_up(self, rounds: int = 3) -> float:
        """Median duration of unkilled rounds: the scale of the kill delays."""
        durations = []
        for _ in range(rounds):
            started = time.monotonic()
            running = [self._start(verb) for verb in ("note", "check")]
            self.warm_up_actions += len(running)
            for _action, confirmation, process in running:
                out, err = process.communicate(timeout=120)
                assert process.returncode == 0 and confirmation in out, err
            durations.append(time.monotonic() - started)
        return statistics.median(durations)

    def _start(self, verb: str) -> tuple[Action, str, subprocess.Popen[str]]:
        action, args, confirmation = self.next_action(verb)
        process = subprocess.Popen(
            [*lastgood_command(), *args],
            env=self.env,
            cwd=self.workdir,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        return action, confirmation, process

    def run(
        self,
        kills: int,
        *,
        acknowledged: int = 0,
        max_rounds: int | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> Outcome:
        outcome = Outcome(round_s=self.warm_up())
        scale = outcome.round_s
        unacknowledged: list[Action] = []
        # Rounds until `kills` writers died and `acknowledged` finished: under load more of
        # them die, and an audit of too few acknowledged commands shows nothing.
        while outcome.kills < kills or len(outcome.acknowledged) < acknowledged:
            if max_rounds is not None and len(outcome.scales_s) >= max_rounds:
                raise RuntimeError(
                    f"only {outcome.kills} kills and {len(outcome.acknowledged)} "
                    f"acknowledged in {max_rounds} rounds"
                )
            outcome.scales_s.append(scale)
            killed_now = 0
            for action, killed, finished in self._round(scale):
                outcome.attempts += 1
                killed_now += killed
                if finished:
                    outcome.acknowledged.append(action)
                else:
                    unacknowledged.append(action)
            outcome.kills += killed_now
            scale *= {0: 1 / SCALE_STEP, 2: SCALE_STEP}.get(killed_now, 1.0)
            if progress is not None:
                progress(outcome.kills)
        recorded, events = self.recorded()
        outcome.lost = [a for a in outcome.acknowledged if a.key not in recorded]
        outcome.killed_but_recorded = sum(1 for a in unacknowledged if a.key in recorded)
        explained = 1 + self.warm_up_actions + len(outcome.acknowledged)
        outcome.unexplained_events = events - explained - outcome.killed_but_recorded
        verified = self.lastgood("verify", "--all")
        outcome.verify_code, outcome.verify_output = verified.returncode, verified.stdout
        after = self.lastgood("note", self.incident_id, "after the crash loop")
        again = self.lastgood("verify", self.incident_id)
        outcome.appended_after = after.returncode == 0 and again.returncode == 0
        return outcome

    def _round(self, scale_s: float) -> list[tuple[Action, bool, bool]]:
        """A note and a check writer at once, each SIGKILLed at its own random moment."""
        started = time.monotonic()
        running = []
        for verb in ("note", "check"):
            action, confirmation, process = self._start(verb)
            kill_at = started + self.rng.uniform(*KILL_WINDOW) * scale_s
            running.append((kill_at, action, confirmation, process))
        for kill_at, _, _, process in sorted(running, key=lambda r: r[0]):
            time.sleep(max(0.0, kill_at - time.monotonic()))  # the random moment itself
            process.send_signal(signal.SIGKILL)  # a no-op once it has exited
        results = []
        for _, action, confirmation, process in running:
            out, err = process.communicate(timeout=120)
            killed = process.returncode == -signal.SIGKILL
            acknowledged = process.returncode == 0 and confirmation in out
            if not killed and not acknowledged:
                raise RuntimeError(
                    f"lastgood {action.verb} ({action.key}) failed unkilled: "
                    f"exit {process.returncode}: {err.strip()}"
                )
            results.append((action, killed, acknowledged))
        return results

    def recorded(self) -> tuple[set[str], int]:
        """The keys of the notes and checks in the log, and its number of events.

        Read by a fresh process, as anyone after the crash would.
        """
        exported = self.lastgood("export", self.incident_id, "--format", "json")
        assert exported.returncode == 0, exported.stderr
        events = json.loads(exported.stdout)["events"]
        keys = set()
        for event in events:
            payload = event["payload"]
            if event["kind"] == "note.added":
                keys.add(payload["text"])
            elif event["kind"] == "step.checked":
                keys.add(payload.get("note", ""))
        return keys, len(events)
