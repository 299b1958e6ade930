"""The one time zone that the county boards live in. Times are stored in UTC and shown here.

A wall-clock time typed into a form becomes UTC through `local_to_utc`, which never
guesses: on the night the clocks go forward (last Sunday of March) 02:00–02:59 do not
exist, and on the night they go back (last Sunday of October) 02:00–02:59 happen twice,
first in summer time and then in standard time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")

SUMMER_TIME, STANDARD_TIME = 0, 1  # datetime's `fold`: the first or the second of a time


class LocalTimeError(ValueError):
    """A date and time that do not name one moment in Stockholm."""

    def __init__(self, day: date, clock: time) -> None:
        super().__init__(f"{day} {clock:%H:%M}")
        self.day = day
        self.clock = clock


class NonexistentLocalTime(LocalTimeError):
    """The time falls in the hour skipped when the clocks go forward; `before` and `after`
    are the nearest times that exist (e.g. 01:59 and 03:00)."""

    def __init__(self, day: date, clock: time, before: time, after: time) -> None:
        super().__init__(day, clock)
        self.before = before
        self.after = after


class AmbiguousLocalTime(LocalTimeError):
    """The time happens twice when the clocks go back: first in summer time, then in
    standard time. `moments` holds both, in UTC."""

    def __init__(self, day: date, clock: time, moments: tuple[datetime, datetime]) -> None:
        super().__init__(day, clock)
        self.moments = moments


def local_datetime(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A wall-clock time in Stockholm as an aware datetime (DST handled by zoneinfo)."""
    return datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


def _exists(naive: datetime) -> bool:
    moment = naive.replace(tzinfo=STOCKHOLM)
    return moment.astimezone(UTC).astimezone(STOCKHOLM).replace(tzinfo=None) == naive


def is_ambiguous(naive: datetime) -> bool:
    """Whether this Stockholm wall-clock time happens twice."""
    first = naive.replace(tzinfo=STOCKHOLM, fold=SUMMER_TIME)
    second = naive.replace(tzinfo=STOCKHOLM, fold=STANDARD_TIME)
    return _exists(naive) and first.utcoffset() != second.utcoffset()


def local_to_utc(day: date, clock: time, fold: int | None = None) -> datetime:
    """The moment in UTC that a Stockholm date and time name.

    Raises NonexistentLocalTime for a time in the skipped hour, and AmbiguousLocalTime for
    a time in the repeated hour unless `fold` says which one is meant (SUMMER_TIME or
    STANDARD_TIME).
    """
    naive = datetime.combine(day, clock.replace(second=0, microsecond=0, tzinfo=None))
    if not _exists(naive):
        before, after = naive, naive
        while not _exists(before):
            before -= timedelta(minutes=1)
        while not _exists(after):
            after += timedelta(minutes=1)
        raise NonexistentLocalTime(day, clock, before.time(), after.time())
    if is_ambiguous(naive):
        if fold not in (SUMMER_TIME, STANDARD_TIME):
            moments = tuple(
                naive.replace(tzinfo=STOCKHOLM, fold=f).astimezone(UTC)
                for f in (SUMMER_TIME, STANDARD_TIME)
            )
            raise AmbiguousLocalTime(day, clock, moments)  # type: ignore[arg-type]
        return naive.replace(tzinfo=STOCKHOLM, fold=fold).astimezone(UTC)
    return naive.replace(tzinfo=STOCKHOLM).astimezone(UTC)


def to_local(moment: datetime) -> tuple[date, time, int | None]:
    """A stored moment as the Stockholm date and time to show in a form, and which of the
    two it is when that time happens twice (None otherwise)."""
    local = moment.astimezone(STOCKHOLM)
    naive = local.replace(tzinfo=None)
    fold = local.fold if is_ambiguous(naive) else None
    return local.date(), local.time().replace(tzinfo=None), fold
