"""The numeric date formats (2018-08-23 14:05) are written without Babel, which is slow in
the loops of long tables; they must say exactly what Babel says, in both languages."""

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from flask_babel import force_locale, format_datetime

from coordinator import i18n

MOMENTS = [
    datetime(2026, 3, 29, 0, 59, tzinfo=UTC),  # the minute before the clocks go forward
    datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
    datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # 02:30 summer time
    datetime(2026, 10, 25, 1, 30, tzinfo=UTC),  # 02:30 standard time
    datetime(2026, 12, 31, 23, 59, 59, tzinfo=UTC),  # already next year in Stockholm
    datetime(2018, 8, 23, 12, 5),  # naive: UTC, as Babel takes it
] + [datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=7 * n) for n in range(0, 1300, 37)]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_numeric_formats_say_what_babel_says(app, language):
    with app.test_request_context(), force_locale(language):
        for moment in MOMENTS:
            assert i18n.short_datetime(moment) == format_datetime(moment, "yyyy-MM-dd HH:mm")
            assert i18n.iso_date(moment) == format_datetime(moment, "yyyy-MM-dd")
    assert i18n.short_datetime(None) == i18n.iso_date(None) == ""


def test_numeric_formats_do_not_go_through_babel(app):
    with app.test_request_context(), mock.patch.object(i18n, "format_datetime") as babel:
        i18n.short_datetime(MOMENTS[0])
        i18n.iso_date(MOMENTS[0])
    babel.assert_not_called()


def test_the_answer_limit_is_formatted_once_per_language(app):
    """Every long text field says its limit ("Högst 20 000 tecken"): the number is the
    same on every page, so it is formatted once per language, not once per field."""
    from coordinator.surveys import labels

    limit = app.jinja_env.globals["answer_limit"]
    with app.test_request_context():
        with force_locale("sv"):
            assert limit() == "20\xa0000"
        with force_locale("en"):
            assert limit() == "20,000"
        with mock.patch.object(labels, "format_decimal") as babel, force_locale("sv"):
            assert limit() == "20\xa0000"
    babel.assert_not_called()


def test_templates_look_up_the_translations_once_per_language(app):
    """A page calls _() dozens of times; the catalogue is found once per request and
    language (a forced language, as for e-mail, is its own), not on every call."""
    import flask_babel

    page = app.jinja_env.from_string("{% for i in range(30) %}{{ _('Spara utkast') }}{% endfor %}")
    with (
        app.test_request_context(),
        mock.patch.object(
            flask_babel, "get_translations", wraps=flask_babel.get_translations
        ) as lookups,
    ):
        assert page.render() == "Spara utkast" * 30
        with force_locale("en"):
            assert page.render() == "Save draft" * 30
        assert page.render() == "Spara utkast" * 30
    assert lookups.call_count == 3
