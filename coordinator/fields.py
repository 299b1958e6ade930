"""Form fields shared by several areas."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import Form, RadioField, SelectChoice, SelectField, SelectMultipleField
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget

from coordinator.i18n import long_date
from coordinator.localtime import (
    STANDARD_TIME,
    SUMMER_TIME,
    AmbiguousLocalTime,
    NonexistentLocalTime,
    is_ambiguous,
    local_to_utc,
    to_local,
)

# The largest id a column holds on every database we run on (PostgreSQL's integer).
MAX_ID = 2**31 - 1


def db_id(value: object) -> int:
    """An id from a form, query string or path: a whole number that fits the database's
    integer column, or ValueError (which forms, `args.get(type=...)` and the URL
    converter turn into their own "not valid"), never an overflow in the database."""
    number = int(value)  # type: ignore[call-overload]
    if not 0 <= number <= MAX_ID:
        raise ValueError(f"{number} is not an id")
    return number


def optional_db_id(value: object) -> int | None:
    """An id from a select; the empty first choice ("Välj …") becomes None."""
    if value in ("", None):
        return None
    return db_id(value)


# What a person can do in a text field that is shown formatted (Markdown), in their words.
FORMATTING_HINT = _l(
    "Fet stil med **två stjärnor**, punktlistor med - först på raden, tom rad mellan stycken."
)
FORMATTING_WITH_HEADINGS_HINT = _l(
    "Rubriker med ## först på raden, fet stil med **två stjärnor**, punktlistor med - "
    "först på raden, tom rad mellan stycken."
)


class MultiCheckboxField(SelectMultipleField):
    """Several choices shown as checkboxes in one fieldset (see macros/forms.html)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class FoldField(RadioField):
    """Which of a time that happens twice (the night the clocks go back) is meant. Forms
    show it only when `shown` is set, by `local_moment` or `fill_local_moment`."""

    def __init__(self, label: Any = None, **kwargs: Any) -> None:
        super().__init__(
            label or _l("Vilken av de två tiderna menar du?"),
            choices=[
                SelectChoice(str(SUMMER_TIME), _l("Den första, sommartid (UTC+2)")),
                SelectChoice(str(STANDARD_TIME), _l("Den andra, normaltid (UTC+1)")),
            ],
            validators=[Optional()],
            validate_choice=False,
            **kwargs,
        )
        self.shown = False

    @property
    def fold(self) -> int | None:
        return {str(SUMMER_TIME): SUMMER_TIME, str(STANDARD_TIME): STANDARD_TIME}.get(
            self.data or ""
        )


def local_moment(form: Form, date_name: str, time_name: str, fold_name: str) -> datetime | None:
    """The UTC moment a form's Stockholm date and time name, or None with the reason on the
    time field: a time skipped when the clocks go forward (the nearest times offered), or
    one that happens twice when they go back and the form does not say which."""
    day, clock = form[date_name].data, form[time_name].data
    fold_field = form[fold_name]
    assert isinstance(fold_field, FoldField)
    if day is None or clock is None:
        return None
    fold_field.shown = _happens_twice(day, clock)
    try:
        return local_to_utc(day, clock, fold_field.fold)
    except NonexistentLocalTime as exc:
        message = _(
            "Klockan %(time)s finns inte den %(date)s: då ställs klockan fram en timme. "
            "Välj %(before)s eller %(after)s.",
            time=f"{clock:%H:%M}",
            date=long_date(day),
            before=f"{exc.before:%H:%M}",
            after=f"{exc.after:%H:%M}",
        )
    except AmbiguousLocalTime:
        message = _(
            "Klockan %(time)s finns två gånger den %(date)s, eftersom klockan ställs "
            "tillbaka en timme. Välj nedan vilken av dem du menar.",
            time=f"{clock:%H:%M}",
            date=long_date(day),
        )
    form[time_name].errors = [*form[time_name].errors, message]
    return None


def _happens_twice(day: date, clock: time) -> bool:
    return is_ambiguous(datetime.combine(day, clock.replace(tzinfo=None)))


def fill_local_moment(
    form: Form, date_name: str, time_name: str, fold_name: str, moment: datetime
) -> None:
    """Show a stored moment in a form's date and time fields, saying which of a time that
    happens twice it is."""
    day, clock, fold = to_local(moment)
    form[date_name].data, form[time_name].data = day, clock
    if fold is not None:
        fold_field = form[fold_name]
        assert isinstance(fold_field, FoldField)
        fold_field.data = str(fold)
        fold_field.shown = True


def content_language_field(description: object = None) -> SelectField:
    """The language a survey, project or news item is written in: a page in the other
    interface language marks the text with it (WCAG 3.1.2, language of parts)."""
    return SelectField(
        _l("Språk"),
        description=description,
        choices=[SelectChoice("sv", _l("Svenska")), SelectChoice("en", _l("Engelska"))],
        default="sv",
    )
