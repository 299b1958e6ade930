"""A date (a day, no time), written ÅÅÅÅ-MM-DD: the browser's own date field where it has
one, a text field otherwise; exported as a date cell."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from coordinator.services.surveys.kinds.answers import AnswerInput, field_name
from coordinator.services.surveys.kinds.base import ExportValue
from coordinator.services.surveys.kinds.statistics import DateTally
from coordinator.services.surveys.kinds.summaries import Tally
from coordinator.services.surveys.kinds.typed_text import TypedText

if TYPE_CHECKING:
    from coordinator.models import Question

# 2025-03-01, 2025-3-1, 2025 03 01, 2025/03/01, 2025.03.01 or 20250301.
_DATE = re.compile(r"(\d{4})[-/. ](\d{1,2})[-/. ](\d{1,2})|(\d{4})(\d{2})(\d{2})")
EARLIEST, LATEST = 1900, 2100


class NotADate(ValueError):
    """Not written as a date."""


class NoSuchDay(ValueError):
    """Written as a date, but the day does not exist (2025-02-30)."""


class YearOutOfRange(ValueError):
    """A year before 1900 or after 2100: almost surely mistyped."""


def parse_date(text: str) -> date:
    match = _DATE.fullmatch(text.strip())
    if match is None:
        raise NotADate(text)
    year, month, day = (int(part) for part in match.groups() if part is not None)
    if not EARLIEST <= year <= LATEST:
        raise YearOutOfRange(text)
    try:
        return date(year, month, day)
    except ValueError:
        raise NoSuchDay(text) from None


class CalendarDate(TypedText):
    name = "calendar_date"
    label = _l("Datum")
    export_label = "Datum"
    sheet_widths = (14, 14)
    value_type = date
    read = staticmethod(parse_date)
    write = staticmethod(date.isoformat)

    def check(self, question: Question, answer: AnswerInput) -> dict[str, str]:
        if not answer.text.strip():
            return {}
        try:
            parse_date(answer.text)
        except NoSuchDay:
            message = _(
                "Datumet i fråga %(number)s finns inte. Skriv det som ÅÅÅÅ-MM-DD, "
                "till exempel 2025-03-01",
                number=question.number,
            )
        except YearOutOfRange:
            message = _(
                "Året i fråga %(number)s ska vara mellan %(earliest)s och %(latest)s",
                number=question.number,
                earliest=EARLIEST,
                latest=LATEST,
            )
        except NotADate:
            message = _(
                "Skriv datumet i fråga %(number)s som ÅÅÅÅ-MM-DD, till exempel 2025-03-01",
                number=question.number,
            )
        else:
            return {}
        return {field_name(question, "text"): message}

    def plain_text(self, question: Question, answer: AnswerInput | None) -> str:
        return self.form_text(answer)

    def tally(self, question: Question, collect_texts: bool) -> Tally:
        return DateTally(question, collect_texts)

    def cells(self, question: Question, answer: AnswerInput | None) -> list[ExportValue]:
        return [answer.value if answer and isinstance(answer.value, date) else None]
