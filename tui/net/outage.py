"""A run of failures, said once when it begins and once when it ends.

The loops that keep trying while the record is away (a screen's live feed, webhook
deliveries, `monitor`'s samples and messages) try again every second or so; saying
each failure would bury the screen or the log in the same line. Each loop keeps an
`Outage` and reports every try to it; the outage says when the first try fails and
when one works again, naming what began it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

E = TypeVar("E")


class Outage(Generic[E]):
    """Whether the tries are failing; `began` hears the first failure of a run, `ended`
    (given that failure) the first try that works after it."""

    def __init__(self, began: Callable[[E], object], ended: Callable[[E], object]) -> None:
        self._began = began
        self._ended = ended
        self.cause: E | None = None
        """The failure that began the outage under way, or None while tries work."""

    def failed(self, error: E) -> None:
        if self.cause is None:
            self.cause = error
            self._began(error)

    def worked(self) -> None:
        cause, self.cause = self.cause, None
        if cause is not None:
            self._ended(cause)
