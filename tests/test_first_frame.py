"""What the coordinator's screen has loaded when its first frame is on the terminal.

The first frame shows the incident: the fold of its record, the checklist, the
clocks, the timeline and the health panel. The verbs' use cases (and through them
every command), the outbox and the network run only once something is done, so
they are imported after that frame (`bench/startup.py` has the figures; no test
times anything). Done in a fresh interpreter, as `lastgood start` would be, on a
real SQLite file holding a mid-rollback incident whose runbook has probes:
Textual's headless driver writes its frames like a terminal's, and the screen's
after-the-first-frame hook writes `sorted(sys.modules)` down before and after it
starts the network.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.cli_helpers import ROOT
from tests.scenario_copies import scenario_copy

HARNESS = """
import gc, json, sys
from pathlib import Path
from collections import Counter
from textual.app import App
from textual.css.stylesheet import Stylesheet
from textual.widget import Widget
from store.sqlite_log import SqliteEventLog
from tui.app.app import LastGoodApp
from tui.app.screens.incident import IncidentScreen

out, db, incident_id = sys.argv[1:4]
seen = {}
passes = Counter()
apply = Stylesheet.apply
def counted(self, node, *args, **kwargs):
    passes[id(node)] += 1
    return apply(self, node, *args, **kwargs)
Stylesheet.apply = counted
display = App._display
def displayed(self, screen, renderable):
    display(self, screen, renderable)
    if isinstance(screen, IncidentScreen) and "styled" not in seen:
        seen["styled"] = [
            [type(w).__name__ + (f"#{w.id}" if w.id else ""), passes[id(w)]]
            for w in screen.walk_children(Widget, with_self=True)
        ]
App._display = displayed
start_background = IncidentScreen.start_background
def after_first_frame(self):
    seen["first frame"] = sorted(sys.modules)
    seen["timers"] = [t.name for t in self._timers]
    seen["collecting"] = gc.isenabled()
    seen["frozen"] = gc.get_freeze_count()
    seen["tables"] = [
        [name, attr, len(value)]
        for name, module in list(sys.modules.items())
        if name.split(".")[0] in ("incident", "runbooks", "store", "tui")
        for attr, value in vars(module).items()
        if isinstance(value, (dict, list, tuple, set, frozenset)) and len(value) > 1000
    ]
    start_background(self)
    seen["network started"] = sorted(sys.modules)
    self.app.exit()
IncidentScreen.start_background = after_first_frame
gc.disable()  # as `lastgood start` hands over to the app
with SqliteEventLog.open(Path(db)) as log:
    app = LastGoodApp(log, None, actor="Ada", incident_id=incident_id)
    app.run(headless=True, size=(120, 40))
with open(out, "w") as f:
    json.dump(seen, f)
"""

AFTER_THE_FIRST_FRAME = (
    "incident.commands",
    "incident.app.steps",
    "incident.app.command_runs",
    "incident.app.messages",
    "incident.app.autosend",
    "incident.app.health",
    "incident.reports.analysis",
    "store.outbox",
    "tui.app.screens.postmortem",
    "tui.app.widgets.postmortem_view",
    "tui.net",
    "httpx",
    "_hashlib",
    "statistics",
    "tui.app.modals",
    "textual.widgets._text_area",
    "incident.app.typed_secrets",
    "incident.app.command_output",
    "incident.core.secrets",
    "incident.app.written",
    "incident.app.whole_file",
    "incident.reports.message_context",
    "incident.comms.templates",
)
"""Loaded when a verb runs, a message is delivered, a probe polled or the post-mortem
screen opened; never before. `_hashlib` is OpenSSL's hashing (0.7 MiB at the first
frame): an incident's first events are hashed without it (`incident.core.digest`);
`statistics` (150 KiB with `fractions`) takes a baseline's median. The dialogs load
with the first one opened: their package brings TextArea, Checkbox and Button (0.8 MiB
at the first frame, RSS 1.28x the minimal app's went to 1.31x when the timeline's
Enter imported its dialog with the screen). A typed secret is refused, a report's
written line said and a message's templates rendered when a dialog asks (with their
modules, about 0.2 MiB traced at the first frame, 2026-12-08)."""


def loaded_at_first_frame(tmp_path: Path) -> dict[str, object]:
    db = tmp_path / "incident.db"
    scenario = scenario_copy("mid-phase-2", db)
    incident_id = scenario.incident_id
    scenario.log.close()
    out = tmp_path / "modules.json"
    done = subprocess.run(
        [sys.executable, "-c", HARNESS, str(out), str(db), incident_id],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.exists(), done.stderr
    seen: dict[str, object] = json.loads(out.read_text())
    return seen


def among(names: list[str], prefixes: tuple[str, ...]) -> list[str]:
    return [n for n in names if any(n == p or n.startswith(p + ".") for p in prefixes)]


def test_the_first_frame_loads_no_command_outbox_or_network(tmp_path):
    seen = loaded_at_first_frame(tmp_path)
    first, started = seen["first frame"], seen["network started"]
    assert isinstance(first, list) and isinstance(started, list)
    assert "incident.core.state" in first and "tui.app.widgets.health" in first  # it drew
    assert among(first, AFTER_THE_FIRST_FRAME) == []
    # Nor does a timer of the screen run before it: the once-a-second tick, started at
    # the mount, ran before a frame that took over a second under load and loaded the
    # messages' use cases (`incident.app.autosend`).
    assert [name for name in seen["timers"] if name != "screen_update"] == []  # Textual's
    # Deferred, not gone: the network starts right after the frame.
    assert "tui.net.network_loop" in started
    # The collector, paused by `lastgood start`, runs again from the first frame, with
    # what start-up made frozen out of its passes.
    assert seen["collecting"] is True
    assert isinstance(seen["frozen"], int) and seen["frozen"] > 10_000


def test_each_widget_of_the_first_frame_is_styled_once(tmp_path):
    """Styling a widget matches every rule of the stylesheet against it: a fifth of the
    work between the imports and the first frame. Textual restyles a whole screen when
    it resumes, which on its push repeats what mounting did moments before, and a class
    set on a mounted cell restyles it again; the screen skips the first and the phase
    strip sets its cells' classes before they mount. The checklist is styled again as
    it takes the focus (its `:focus` rules)."""
    styled = loaded_at_first_frame(tmp_path)["styled"]
    assert isinstance(styled, list)
    counts = dict(map(tuple, styled))
    assert "PhaseCell#phase-1" in counts and "HealthPanel#health" in counts  # it drew
    assert counts.pop("Checklist#checklist") == 2
    assert {name: n for name, n in counts.items() if n != 1} == {}


def test_the_first_frame_holds_no_table_built_at_import(tmp_path):
    """A table of thousands of entries made as a module loads stays in every process
    that imports it, whether or not anything reads it: `incident.core.text` held a
    tuple of 2,210 code points and a translation table of 2,274 (the surrogates most of
    both, 0.15 MiB traced) for the fields of dialogs the first frame does not open.
    Such tables are built on first use (`functools.cache`)."""
    tables = loaded_at_first_frame(tmp_path)["tables"]
    assert tables == []
