"""A number: whole or decimal, with a unit after the field and optional limits.

Typed as Swedish people write numbers ("3,5", "1 200"), stored exactly, exported as a
number cell; the results show count, min, median, mean and max, and a histogram."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from coordinator.services.errors import SurveyError
from coordinator.services.surveys.kinds.answers import AnswerInput, field_name
from coordinator.services.surveys.kinds.base import Column, ExportValue
from coordinator.services.surveys.kinds.numbers import (
    MAX_DECIMALS,
    MAX_DIGITS,
    NotANumber,
    TooPrecise,
    format_number,
    parse_number,
)
from coordinator.services.surveys.kinds.statistics import NumberTally
from coordinator.services.surveys.kinds.summaries import Tally
from coordinator.services.surveys.kinds.typed_text import TypedText

if TYPE_CHECKING:
    from coordinator.models import Question

UNIT_LENGTH = 30


def _limit(text: str, field: str) -> str | None:
    """A limit from the builder, kept as plain decimal text ("" for none)."""
    if not text.strip():
        return None
    try:
        return format(parse_number(text), "f")
    except ValueError:
        raise SurveyError(
            _l("Skriv gränsen som ett tal, till exempel 0 eller 2,5"), field=field
        ) from None


def limits(question: Question) -> tuple[Decimal | None, Decimal | None]:
    settings = question.settings or {}
    low, high = settings.get("minimum"), settings.get("maximum")
    return (Decimal(low) if low else None), (Decimal(high) if high else None)


class Numeric(TypedText):
    name = "numeric"
    label = _l("Tal")
    export_label = "Tal"
    settings_fields: ClassVar[tuple[str, ...]] = ("unit", "minimum", "maximum", "integer_only")
    sheet_headers = ("Svar", "Enhet")
    sheet_widths = (16, 14)
    value_type = Decimal
    read = staticmethod(parse_number)
    write = staticmethod(format_number)

    def clean_settings(
        self, values: Mapping[str, Any], current: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        unit = str(values.get("unit") or "").strip()
        if len(unit) > UNIT_LENGTH:
            raise SurveyError(
                _l("Skriv enheten med högst %(n)s tecken", n=UNIT_LENGTH), field="unit"
            )
        low = _limit(str(values.get("minimum") or ""), "minimum")
        high = _limit(str(values.get("maximum") or ""), "maximum")
        if low is not None and high is not None and Decimal(low) > Decimal(high):
            raise SurveyError(_l("Det största talet kan inte vara mindre än det minsta"), "maximum")
        return {
            "unit": unit,
            "minimum": low,
            "maximum": high,
            "integer": bool(values.get("integer_only")),
        }

    def settings_data(self, question: Question) -> dict[str, Any]:
        low, high = limits(question)
        settings = question.settings or {}
        return {
            "unit": settings.get("unit", ""),
            "minimum": format_number(low, group=False) if low is not None else "",
            "maximum": format_number(high, group=False) if high is not None else "",
            "integer_only": bool(settings.get("integer")),
        }

    def hint(self, question: Question) -> str:
        """What the field takes: "Ett heltal från 0 till 500." and how to write decimals."""
        low, high = limits(question)
        whole = (question.settings or {}).get("integer")
        what = _("Ett heltal") if whole else _("Ett tal")
        if low is not None and high is not None:
            text = _(
                "%(what)s från %(low)s till %(high)s.",
                what=what,
                low=format_number(low),
                high=format_number(high),
            )
        elif low is not None:
            text = _("%(what)s, minst %(low)s.", what=what, low=format_number(low))
        elif high is not None:
            text = _("%(what)s, högst %(high)s.", what=what, high=format_number(high))
        else:
            text = _("%(what)s.", what=what)
        if whole:
            return text
        return _("%(text)s Decimaler skrivs med komma, till exempel 2,5.", text=text)

    def unit(self, question: Question) -> str:
        return str((question.settings or {}).get("unit", ""))

    def check(self, question: Question, answer: AnswerInput) -> dict[str, str]:
        name = field_name(question, "text")
        if not answer.text.strip():
            value = answer.value if isinstance(answer.value, Decimal) else None
            message = self._out_of_range(question, value) if value is not None else None
            return {name: message} if message else {}
        try:
            value = parse_number(answer.text)
        except NotANumber:
            return {
                name: _(
                    "Skriv ett tal i fråga %(number)s, till exempel 3,5 eller 1 200",
                    number=question.number,
                )
            }
        except TooPrecise:
            return {
                name: _(
                    "Talet i fråga %(number)s har för många siffror: högst %(digits)s siffror, "
                    "varav högst %(decimals)s decimaler",
                    number=question.number,
                    digits=MAX_DIGITS,
                    decimals=MAX_DECIMALS,
                )
            }
        message = self._out_of_range(question, value)
        return {name: message} if message else {}

    def _out_of_range(self, question: Question, value: Decimal) -> str | None:
        low, high = limits(question)
        if (question.settings or {}).get("integer") and value != value.to_integral_value():
            return _("Skriv ett heltal i fråga %(number)s", number=question.number)
        if low is not None and value < low:
            return _(
                "Talet i fråga %(number)s ska vara minst %(low)s",
                number=question.number,
                low=format_number(low),
            )
        if high is not None and value > high:
            return _(
                "Talet i fråga %(number)s ska vara högst %(high)s",
                number=question.number,
                high=format_number(high),
            )
        return None

    def plain_text(self, question: Question, answer: AnswerInput | None) -> str:
        text = self.form_text(answer)
        unit = self.unit(question)
        return f"{text} {unit}" if text and unit else text

    def tally(self, question: Question, collect_texts: bool) -> Tally:
        return NumberTally(question, collect_texts)

    def columns(self, question: Question) -> list[Column]:
        unit = self.unit(question)
        suffix = f" ({unit})" if unit else ""
        return [Column(f"{question.number}: {question.text}{suffix}", 16)]

    def cells(self, question: Question, answer: AnswerInput | None) -> list[ExportValue]:
        return [answer.value if answer and isinstance(answer.value, Decimal) else None]

    def sheet_cells(
        self, question: Question, answer: AnswerInput | None
    ) -> tuple[ExportValue, ExportValue]:
        return self.cells(question, answer)[0], self.unit(question) if answer else ""
