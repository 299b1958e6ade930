"""The one time zone that the county boards live in. Times are stored in UTC and shown here."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def local_datetime(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A wall-clock time in Stockholm as an aware datetime (DST handled by zoneinfo)."""
    return datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)
