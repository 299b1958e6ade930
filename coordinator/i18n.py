"""Language and time zone: Swedish by default, English on request; times in Stockholm.

Message ids are written in Swedish, the default language, so that a page is whole even
where a translation is missing; the English catalogue translates them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import flask_babel
from flask import Flask, g, has_app_context, has_request_context, session
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from coordinator.extensions import babel
from coordinator.localtime import STOCKHOLM, SUMMER_TIME, is_ambiguous


def select_locale() -> str:
    from flask import current_app

    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return str(current_app.config["BABEL_DEFAULT_LOCALE"])
    chosen = session.get("lang")
    if chosen in languages:
        return str(chosen)
    if getattr(current_user, "is_authenticated", False) and current_user.language in languages:
        return str(current_user.language)
    return str(current_app.config["BABEL_DEFAULT_LOCALE"])


def long_date(value: date | datetime | None) -> str:
    """23 augusti 2018"""
    return format_date(value, "d MMMM y") if value else ""


def weekday_date(value: date | datetime | None) -> str:
    """torsdag 23 augusti 2018"""
    return format_date(value, "EEEE d MMMM y") if value else ""


def iso_date(value: date | datetime | None) -> str:
    """2018-08-23 (in Stockholm time for datetimes)"""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return _stockholm(value).strftime("%Y-%m-%d")
    return value.isoformat()


def _stockholm(value: datetime) -> datetime:
    """A stored moment (naive means UTC, as for Babel) in Stockholm time."""
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(STOCKHOLM)


def short_datetime(value: datetime | None) -> str:
    """2018-08-23 14:05 in Stockholm time. Numbers only, the same in every language, so
    written without Babel: it is shown in every row of long tables."""
    return _stockholm(value).strftime("%Y-%m-%d %H:%M") if value else ""


def long_datetime(value: datetime | None) -> str:
    """torsdag 23 augusti 2018 23:59 (Stockholm), and which of a time that happens twice"""
    if value is None:
        return ""
    return (
        f"{format_datetime(value, 'EEEE d MMMM y')} {format_datetime(value, 'HH:mm')}"
        f"{clock_change_note(value)}"
    )


def clock_change_note(value: datetime | None) -> str:
    """ " (sommartid)" or " (normaltid)" for a time that happens twice in Stockholm, the
    night the clocks go back; nothing for any other time."""
    if value is None:
        return ""
    local = value.astimezone(STOCKHOLM)
    if not is_ambiguous(local.replace(tzinfo=None)):
        return ""
    return " (%s)" % (_("sommartid") if local.fold == SUMMER_TIME else _("normaltid"))


def lang_attr(language: str | None) -> Markup:
    """` lang="sv"` for content written in another language than the page's (WCAG 3.1.2,
    language of parts), nothing when they are the same."""
    if not language or language == str(get_locale()):
        return Markup("")
    return Markup(' lang="%s"') % language


def _translations() -> Any:
    """The catalogue of the current language, looked up once per request and language
    rather than for each of the dozens of _() on a page. The cache is keyed by Flask-Babel's
    locale object, which force_locale and refresh replace, so a forced language (e-mail in
    the contact's language) gets its own catalogue."""
    if not has_app_context():
        return flask_babel.get_translations()
    context = g.get("_flask_babel")
    locale = getattr(context, "babel_locale", None)
    cached = g.get("_translations")
    if locale is not None and cached is not None and cached[0] is locale:
        return cached[1]
    translations = flask_babel.get_translations()
    g._translations = (getattr(g.get("_flask_babel"), "babel_locale", None), translations)
    return translations


def init_i18n(app: Flask) -> None:
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(app.root_path + "/translations"),
    )
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.jinja_env.filters.update(
        long_date=long_date,
        weekday_date=weekday_date,
        iso_date=iso_date,
        short_datetime=short_datetime,
        long_datetime=long_datetime,
        clock_change_note=clock_change_note,
    )
    app.jinja_env.globals["lang_attr"] = lang_attr
