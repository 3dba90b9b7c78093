"""A real log that keeps the name of each read made through it: which read a use case
takes is what tells a long record's streamed read from its whole decoding."""

from __future__ import annotations

from typing import Any

from store.sqlite_log import SqliteEventLog


class ReadsSeen:
    """A real log, with the name of each read made through it kept in `reads`."""

    READS = ("scan", "events", "read_chain", "opening_items", "report_items", "export_items")

    def __init__(self, log: SqliteEventLog) -> None:
        self._log = log
        self.reads: list[tuple[str, dict[str, Any]]] = []

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._log, name)
        if name not in self.READS:
            return found

        def read(*args: Any, **kwargs: Any) -> Any:
            self.reads.append((name, kwargs))
            return found(*args, **kwargs)

        return read

    def names(self) -> list[str]:
        """Each read by its name, `(runs)` after a read of ticks in runs."""
        return [f"{name}{'(runs)' if kwargs.get('runs') else ''}" for name, kwargs in self.reads]
