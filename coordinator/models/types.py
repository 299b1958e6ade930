"""Column types shared by the models."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import validates
from sqlalchemy.types import TypeDecorator

from coordinator.text import single_line


class UTCDateTime(TypeDecorator[datetime]):
    """A point in time stored as naive UTC and always read back as an aware UTC datetime.

    Both SQLite and PostgreSQL then hold the same value, and comparisons in Python never
    mix naive and aware datetimes.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; pass an aware datetime (UTC)")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def one_line(*names: str) -> Any:
    """A validator keeping these text columns on one line (see coordinator.text): set it
    in the model's body, e.g. `_one_line = one_line("name", "title")`."""

    def validate(_model: object, _key: str, value: str | None) -> str | None:
        return single_line(value) if value else value

    return validates(*names)(validate)
