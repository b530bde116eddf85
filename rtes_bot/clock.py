"""The current time, aware and in UTC. One indirection so tests can move time forward.

Times are stored and compared in UTC; people read and type them in the network's time zone (the
``TIMEZONE`` setting, :data:`DEFAULT_TIMEZONE` unless set).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

#: The ``TIMEZONE`` setting's default: the network's wall clock.
DEFAULT_TIMEZONE = "Europe/Paris"
DEFAULT_ZONE = ZoneInfo(DEFAULT_TIMEZONE)


class Clock:
    """Wall clock with an adjustable offset (tests use :meth:`advance`)."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, delta: timedelta) -> None:
        self.offset += delta
