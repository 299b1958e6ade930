"""Request-wide behaviour: login loading, security headers, error pages, template globals."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Request, Response, current_app, g, render_template, request, session
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import BadRequest, HTTPException
from werkzeug.routing import IntegerConverter

from coordinator.bidi import isolate_filter
from coordinator.extensions import db, login_manager
from coordinator.fields import MAX_ID
from coordinator.models import User
from coordinator.navigation import NAV_ITEMS, ROLE_LABELS
from coordinator.services.markdown import render_markdown

log = logging.getLogger(__name__)

ERROR_TEXTS = {
    400: (
        _l("Felaktig begäran"),
        _l("Sidan kunde inte visa det du skickade. Gå tillbaka och försök igen."),
    ),
    403: (
        _l("Du har inte behörighet"),
        _l("Ditt konto har inte behörighet att se eller ändra detta."),
    ),
    404: (
        _l("Sidan finns inte"),
        _l("Kontrollera adressen. Om du följde en länk kan den vara gammal."),
    ),
    405: (_l("Metoden är inte tillåten"), _l("Sidan kan inte användas på det sättet.")),
    410: (
        _l("Filen finns inte längre"),
        _l("Filen saknas hos oss. Be den som lade upp den att göra det igen."),
    ),
    413: (
        _l("Filen eller texten är för stor"),
        _l("Det du skickade var för stort. Försök med en mindre fil."),
    ),
    429: (
        _l("För många försök"),
        _l("Du har gjort för många försök på kort tid. Vänta en stund och försök igen."),
    ),
    500: (
        _l("Något gick fel"),
        _l(
            "Ett fel uppstod hos oss. Inget av det du redan sparat har gått förlorat. "
            "Försök igen om en stund."
        ),
    ),
    503: (
        _l("Tjänsten är inte tillgänglig"),
        _l("Databasen svarar inte just nu. Försök igen om en stund."),
    ),
}

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


class CoordinatorRequest(Request):
    """Form fields without NUL characters: they mean nothing in text, and PostgreSQL
    refuses to store them, so they are dropped before any form sees the input."""

    def _load_form_data(self) -> None:
        super()._load_form_data()
        form = self.__dict__.get("form")
        if form and any("\x00" in k or "\x00" in v for k, v in form.items(multi=True)):
            self.__dict__["form"] = ImmutableMultiDict(
                [(k.replace("\x00", ""), v.replace("\x00", "")) for k, v in form.items(multi=True)]
            )


class IdConverter(IntegerConverter):
    """`<int:…>` in a route: a number too big for the database's id column matches no
    route (404) instead of overflowing the query."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def refuse_nul() -> None:
    """A NUL in the path or query string means nothing in text and PostgreSQL cannot
    compare with it: the request is refused before any view sees it."""
    if "\x00" in request.path or any(
        "\x00" in key or "\x00" in value for key, value in request.args.items(multi=True)
    ):
        raise BadRequest()


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The user a session cookie names, if the cookie is still current: its id carries the
    password nonce and the session version, which a password change, logout and "log out
    everywhere" change."""
    raw_id = user_id.partition(":")[0]
    if not raw_id.isdigit():
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or user.get_id() != user_id or not user.active:
        return None
    return user


def token_rate_limit() -> str:
    """The limit on look-ups of secret links (answer, meeting, reset, opt-out links)."""
    return str(current_app.config["TOKEN_RATE_LIMIT"])


def secret_link_page() -> None:
    """The page was opened with a secret token in its address: neither cached nor sent
    on as a referrer to the sites its links lead to."""
    g.no_store = True
    g.no_referrer = True


def render_error(code: int, description: str | None = None) -> tuple[str, int]:
    title, text = ERROR_TEXTS.get(code, ERROR_TEXTS[500])
    return render_template("errors/error.html", code=code, title=title, text=text), code


def content_security_policy(app: Flask) -> str:
    """CSP, with the identity provider's origin as a form target when single sign-on is on:
    the logout form ends at its end_session_endpoint, a redirect after a form submission,
    which form-action governs."""
    issuer = urlsplit(app.config.get("OIDC_ISSUER") or "")
    if not (issuer.scheme and issuer.netloc):
        return CSP
    return CSP.replace(
        "form-action 'self'", f"form-action 'self' {issuer.scheme}://{issuer.netloc}"
    )


def security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy(current_app))
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    # Signed-in staff see personal data on almost every page: none of it is kept in
    # a browser's or proxy's cache.
    if getattr(g, "no_store", False) or session.get("_user_id"):
        headers["Cache-Control"] = "no-store"
    if getattr(g, "no_referrer", False):
        headers["Referrer-Policy"] = "no-referrer"
    return response


def init_web(app: Flask) -> None:
    app.request_class = CoordinatorRequest
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_nul)
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["isolate"] = isolate_filter
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Logga in för att se sidan.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    app.after_request(security_headers)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        log.info("CSRF refused: %s %s", request.method, request.path)
        return render_error(400)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int] | HTTPException:
        if error.code is None or error.code < 400:
            return error
        return render_error(error.code)

    @app.errorhandler(Exception)
    def server_error(error: Exception) -> tuple[str, int]:
        from sqlalchemy.exc import OperationalError

        db.session.rollback()
        log.exception("Unhandled error on %s %s", request.method, request.path)
        if isinstance(error, OperationalError):
            # The database is away: show the page without asking it who is logged in.
            g.setdefault("_login_user", login_manager.anonymous_user())
            return render_error(503)
        return render_error(500)

    @app.context_processor
    def layout_globals() -> dict[str, object]:
        return {
            "product_name": app.config["PRODUCT_NAME"],
            "sender_name": app.config["SENDER_NAME"],
            "sender_logo": bool(app.config["SENDER_LOGO"]),
            "get_locale": get_locale,
            "nav_items": lambda: NAV_ITEMS,
            "role_label": lambda role: ROLE_LABELS.get(role, role),
        }
