"""Stockholm wall-clock times to UTC, never guessed across the clock changes."""

from datetime import UTC, date, datetime, time

import pytest

from coordinator.localtime import (
    STANDARD_TIME,
    SUMMER_TIME,
    AmbiguousLocalTime,
    NonexistentLocalTime,
    local_to_utc,
    to_local,
)

SPRING = date(2026, 3, 29)  # 02:00 → 03:00
AUTUMN = date(2026, 10, 25)  # 03:00 → 02:00


def test_an_ordinary_time():
    assert local_to_utc(date(2026, 12, 15), time(23, 59)) == datetime(
        2026, 12, 15, 22, 59, tzinfo=UTC
    )
    assert local_to_utc(date(2026, 6, 15), time(12, 0)) == datetime(2026, 6, 15, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize("clock", [time(2, 0), time(2, 30), time(2, 59)])
def test_a_time_in_the_skipped_hour_is_refused_with_the_nearest_times(clock):
    with pytest.raises(NonexistentLocalTime) as refused:
        local_to_utc(SPRING, clock)
    assert (refused.value.before, refused.value.after) == (time(1, 59), time(3, 0))


def test_the_times_around_the_skipped_hour_exist():
    assert local_to_utc(SPRING, time(1, 59)) == datetime(2026, 3, 29, 0, 59, tzinfo=UTC)
    assert local_to_utc(SPRING, time(3, 0)) == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize("clock", [time(2, 0), time(2, 30), time(2, 59)])
def test_a_time_in_the_repeated_hour_needs_a_choice(clock):
    with pytest.raises(AmbiguousLocalTime) as refused:
        local_to_utc(AUTUMN, clock)
    first, second = refused.value.moments
    assert second - first == (datetime(2026, 1, 1, 1) - datetime(2026, 1, 1, 0))
    assert local_to_utc(AUTUMN, clock, SUMMER_TIME) == first
    assert local_to_utc(AUTUMN, clock, STANDARD_TIME) == second
    assert first == datetime(2026, 10, 25, clock.hour - 2, clock.minute, tzinfo=UTC)


def test_a_choice_is_ignored_where_there_is_nothing_to_choose():
    assert local_to_utc(AUTUMN, time(3, 0), SUMMER_TIME) == datetime(2026, 10, 25, 2, 0, tzinfo=UTC)


def test_a_stored_moment_shows_which_of_the_two_it_is():
    assert to_local(datetime(2026, 10, 25, 0, 30, tzinfo=UTC)) == (AUTUMN, time(2, 30), 0)
    assert to_local(datetime(2026, 10, 25, 1, 30, tzinfo=UTC)) == (AUTUMN, time(2, 30), 1)
    assert to_local(datetime(2026, 12, 15, 22, 59, tzinfo=UTC)) == (
        date(2026, 12, 15),
        time(23, 59),
        None,
    )
