"""Where a key's time goes inside the app: `keypress_latency.py --trace`.

The bench times a key from `send-keys` to the screen through tmux. With `--trace`
each app it starts also stamps, on the same monotonic clock, the moment its driver
read each key, the end of each display (the compositor's frame handed to the
driver) and each flush of Textual's writer thread with the bytes written. A
`sitecustomize` in the scratch directory installs the stamps, first on the app's
path, only in the panes the bench starts; each app writes its stamps when it
exits. The summary puts, per key, the key's read, the first display after it and
the flush that sent that frame side by side with the bytes in it; then the CPU of
the event loop's callbacks over a millisecond that ran after that flush and before
the next key's read: work the key left for later (a toast, say), and whatever the
app does by itself in between (a second's samples), which the next key may wait for.
"""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import NamedTuple

from terminal import ROOT

VARIABLE = "LASTGOOD_BENCH_TRACE"
"""Where the apps write their stamps: one file per process, `trace.PID`."""

HOOK = """
import os, sys
_where = os.environ.get("LASTGOOD_BENCH_TRACE")
if _where and sys.argv[1:2] == ["start"]:  # `python -m tui.cli start`: not its probe child
    import atexit, time
    _stamps = []
    def _stamp(kind, detail=""):
        _stamps.append(f"{time.monotonic():.6f} {time.process_time():.6f} {kind} {detail}")
    def _write():
        with open(os.path.join(_where, f"trace.{os.getpid()}"), "w") as out:
            out.write("\\n".join(_stamps) + "\\n")
    atexit.register(_write)
    import tui.app  # first: what the app sets before Textual loads (TEXTUAL_FPS) holds
    import textual.app as _app
    from textual import constants as _constants
    _stamp("fps", str(_constants.MAX_FPS))
    import textual.driver as _driver
    import textual.events as _events
    from textual.drivers import _writer_thread as _writer
    _process = _driver.Driver.process_message
    def process_message(self, message):
        if isinstance(message, _events.Key):
            _stamp("read", message.key)
        return _process(self, message)
    _driver.Driver.process_message = process_message
    _display = _app.App._display
    def display(self, screen, renderable):
        try:
            return _display(self, screen, renderable)
        finally:
            _stamp("display")
    _app.App._display = display
    class _Counted:
        def __init__(self, file):
            self._file, self._bytes = file, 0
        def write(self, text):
            self._bytes += len(text.encode())
            return self._file.write(text)
        def flush(self):
            flushed = self._file.flush()
            _stamp("flush", str(self._bytes))
            self._bytes = 0
            return flushed
        def __getattr__(self, name):
            return getattr(self._file, name)
    _init = _writer.WriterThread.__init__
    def init(self, file):
        _init(self, _Counted(file))
    _writer.WriterThread.__init__ = init
    import asyncio.events as _events_module
    _run = _events_module.Handle._run
    def run(self):
        started, cpu = time.monotonic(), time.process_time()
        try:
            return _run(self)
        finally:
            if time.monotonic() - started > 0.001:
                _stamps.append(f"{started:.6f} {cpu:.6f} loop {time.process_time() - cpu:.6f}")
    _events_module.Handle._run = run
"""

KEYS = {"right": "phase", "left": "phase", "space": "check"}


def install(directory: Path) -> dict[str, str]:
    """Write the hook under `directory`; the environment that makes an app use it."""
    hook = directory / "trace-hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(HOOK)
    return {"PYTHONPATH": f"{hook}:{ROOT}", VARIABLE: str(directory)}


class Frame(NamedTuple):
    """One key, as its app stamped it."""

    flushed_ms: float
    """From the key's read to the flush of the first frame after it."""
    cpu_ms: float
    """The app's CPU from the read to that frame's display."""
    sent: int
    """Bytes flushed with that frame."""
    after_ms: float
    """CPU of the loop's callbacks over 1 ms started after that flush and before the
    next key's read."""


class Stamp(NamedTuple):
    at: float
    """`time.monotonic()`, the same clock in every process."""
    cpu: float
    """The process's CPU time then."""
    kind: str
    detail: str


def _stamps(path: Path) -> list[Stamp]:
    """One app's stamps in time order (a loop callback is written when it ends)."""
    stamps = []
    for line in path.read_text().splitlines():
        if line:
            at, cpu, kind, *detail = line.split(" ", 3)
            stamps.append(Stamp(float(at), float(cpu), kind, detail[0] if detail else ""))
    return sorted(stamps)


def _frames(stamps: list[Stamp]) -> dict[str, list[Frame]]:
    """Per key kind, one `Frame` per key read."""
    found: dict[str, list[Frame]] = {}
    reads = [i for i, s in enumerate(stamps) if s.kind == "read" and s.detail in KEYS]
    for start, end in zip(reads, [*reads[1:], len(stamps)], strict=True):
        read, *span = stamps[start:end]
        display = next((s for s in span if s.kind == "display"), None)
        if display is None:
            continue
        flush = next((s for s in span if s.kind == "flush" and s.at >= display.at), None)
        if flush is None:
            continue
        after = sum(float(s.detail) for s in span if s.kind == "loop" and s.at > flush.at)
        found.setdefault(KEYS[read.detail], []).append(
            Frame(
                (flush.at - read.at) * 1000,
                (display.cpu - read.cpu) * 1000,
                int(flush.detail),
                after * 1000,
            )
        )
    return found


def summary(directory: Path, names: list[str]) -> list[str]:
    """One line per case and key kind: `names` names the apps in the order they ran,
    and the apps of one case (one per block) are summed up together."""
    traces = sorted(directory.glob("trace.*"), key=lambda p: p.stat().st_mtime)
    caps: dict[str, set[str]] = {}
    frames: dict[str, dict[str, list[Frame]]] = {}
    for name, path in zip(names, traces, strict=False):
        stamps = _stamps(path)
        caps.setdefault(name, set()).add(next((s.detail for s in stamps if s.kind == "fps"), "?"))
        for kind, found in _frames(stamps).items():
            frames.setdefault(name, {}).setdefault(kind, []).extend(found)
    lines = []
    for name, cap in caps.items():
        lines.append(f"{name}: Textual drawing at up to {'/'.join(sorted(cap))} frames a second")
        for kind, kept in frames.get(name, {}).items():
            flushed, cpu, sent, after = zip(*kept, strict=True)
            lines.append(
                f"{name:<30}{kind:>6}{len(kept):>5}  read to first frame flushed "
                f"p50 {statistics.median(flushed):5.1f} max {max(flushed):5.1f} ms, "
                f"CPU p50 {statistics.median(cpu):5.1f} ms, "
                f"frame p50 {statistics.median(sent):6.0f} bytes, "
                f"then loop CPU to the next key p50 {statistics.median(after):5.1f} "
                f"mean {statistics.mean(after):5.1f} max {max(after):5.1f} ms"
            )
    return lines
