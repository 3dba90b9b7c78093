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

Each job of the screen's recorder thread (`tui/app/screens/recorder.py`) is stamped
too, with its kind and length: a key during which one ran (the once-a-second read of
what the poller recorded, say) shared the interpreter with it. Only the timed keys
are summed up, so the read-to-flush p99 here is the app's own share of the bench's.
"""

from __future__ import annotations

import statistics
from collections import Counter
from pathlib import Path
from typing import NamedTuple

from terminal import ROOT, rank

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
    from tui.app.screens import recorder as _recorder
    _job = _recorder.Recorder._run
    def job(self, work, reply, kind):
        started, cpu = time.monotonic(), time.process_time()
        try:
            return _job(self, work, reply, kind)
        finally:
            took = time.monotonic() - started
            _stamps.append(f"{started:.6f} {cpu:.6f} job {kind or '-'} {took:.6f}")
    _recorder.Recorder._run = job
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
    jobs: tuple[str, ...]
    """The kinds of the recorder's jobs that ran while the key was on its way."""


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


def _frames(stamps: list[Stamp], untimed: int, timed: int) -> dict[str, list[Frame]]:
    """Per key kind, one `Frame` per timed key: of each kind, the `timed` presses after
    the `untimed` first ones (the moves to the last phase after them are not timed)."""
    found: dict[str, list[Frame]] = {}
    jobs = [(s.at, s.at + float(took), name)
            for s in stamps if s.kind == "job" for name, took in [s.detail.split()]]  # fmt: skip
    reads = [i for i, s in enumerate(stamps) if s.kind == "read" and s.detail in KEYS]
    seen: dict[str, int] = {}
    for start, end in zip(reads, [*reads[1:], len(stamps)], strict=True):
        read, *span = stamps[start:end]
        kind = KEYS[read.detail]
        if kind == "phase" and "phase" not in seen and read.detail != "right":
            continue  # a move to where the switches start (`--into-last`): they start right
        nth = seen[kind] = seen.get(kind, -1) + 1
        if not untimed <= nth < untimed + timed:
            continue
        display = next((s for s in span if s.kind == "display"), None)
        if display is None:
            continue
        flush = next((s for s in span if s.kind == "flush" and s.at >= display.at), None)
        if flush is None:
            continue
        after = sum(float(s.detail) for s in span if s.kind == "loop" and s.at > flush.at)
        during = tuple(name for began, ended, name in jobs if began < flush.at and ended > read.at)
        found.setdefault(kind, []).append(
            Frame(
                (flush.at - read.at) * 1000,
                (display.cpu - read.cpu) * 1000,
                int(flush.detail),
                after * 1000,
                during,
            )
        )
    return found


def summary(directory: Path, apps: list[tuple[str, int]], untimed: int) -> list[str]:
    """One line per case and key kind: `apps` names each app in the order they ran
    with its timed presses of each kind, made after `untimed` ones; the apps of one
    case (one per block) are summed up together. Then, per key kind, the p99 of the
    last case (the one with probes) over that of the first (the bare one)."""
    traces = sorted(directory.glob("trace.*"), key=lambda p: p.stat().st_mtime)
    caps: dict[str, set[str]] = {}
    frames: dict[str, dict[str, list[Frame]]] = {}
    for (name, timed), path in zip(apps, traces, strict=False):
        stamps = _stamps(path)
        caps.setdefault(name, set()).add(next((s.detail for s in stamps if s.kind == "fps"), "?"))
        for kind, found in _frames(stamps, untimed, timed).items():
            frames.setdefault(name, {}).setdefault(kind, []).extend(found)
    lines = []
    p99: dict[str, list[float]] = {}
    for name, cap in caps.items():
        lines.append(f"{name}: Textual drawing at up to {'/'.join(sorted(cap))} frames a second")
        for kind, kept in frames.get(name, {}).items():
            flushed, cpu, sent, after, jobs = zip(*kept, strict=True)
            high = rank(list(flushed), 0.99)
            p99.setdefault(kind, []).append(high)
            ran = Counter(job for during in jobs for job in during)
            lines.append(
                f"{name:<30}{kind:>6}{len(kept):>5}  read to first frame flushed "
                f"p50 {statistics.median(flushed):5.1f} p99 {high:5.1f} "
                f"max {max(flushed):5.1f} ms, CPU p50 {statistics.median(cpu):5.1f} ms, "
                f"frame p50 {statistics.median(sent):6.0f} bytes, "
                f"then loop CPU to the next key p50 {statistics.median(after):5.1f} "
                f"mean {statistics.mean(after):5.1f} max {max(after):5.1f} ms; "
                f"recorder jobs during {sum(1 for d in jobs if d)} of them "
                f"({', '.join(f'{job} {n}' for job, n in sorted(ran.items())) or 'none'})"
            )
    for kind, (bare, *_, probes) in ((k, v) for k, v in p99.items() if len(v) > 1):
        lines.append(f"in-app ratio {kind} p99 (probes / no probes): {probes / bare:.2f}")
    return lines
