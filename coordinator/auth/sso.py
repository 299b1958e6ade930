"""Single sign-on: to the identity provider and back (OpenID Connect)."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, current_app, redirect, render_template, request, session
from flask_login import current_user
from werkzeug.wrappers import Response

from coordinator.auth import oidc
from coordinator.auth.signin import fresh_session, sso_enabled, start_session
from coordinator.extensions import db
from coordinator.models.types import utcnow
from coordinator.redirects import safe_next
from coordinator.services.accounts.sso import SsoError, SsoSettings, account_for_claims

log = logging.getLogger(__name__)

bp = Blueprint("sso", __name__)

# Marks a session that came through the provider, so that logout ends its session too.
SSO_SESSION_KEY = "sso"


def _failed(message: object, status: int) -> tuple[str, int]:
    return render_template("auth/sso_failed.html", message=message), status


@bp.get("/login/oidc")
def start() -> Response | tuple[str, int]:
    if not sso_enabled():
        abort(404)
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")) or "/")
    fresh_session(sso_next=safe_next(request.args.get("next")))
    try:
        return oidc.authorization_redirect()  # type: ignore[no-any-return]
    except (oidc.ProviderError, *oidc.SIGN_IN_ERRORS) as error:
        log.error("Single sign-on could not start: %s", error)
        return _failed(None, 502)


@bp.get("/login/oidc/callback")
def callback() -> Response | tuple[str, int]:
    if not sso_enabled():
        abort(404)
    next_url = session.get("sso_next")
    try:
        claims = oidc.validated_claims()
    except oidc.ProviderError as error:
        log.warning("Single sign-on refused: %s", error)
        return _failed(None, 400)
    config = current_app.config
    settings = SsoSettings(
        issuer=config["OIDC_ISSUER"],
        allowed_domains=tuple(config["OIDC_ALLOWED_DOMAINS"]),
        create_viewers=bool(config["OIDC_CREATE_VIEWERS"]),
    )
    try:
        user = account_for_claims(claims, settings, now=utcnow())
    except SsoError as error:
        db.session.commit()  # the refusal stays in the audit trail
        return _failed(error, 403)
    target = start_session(user, "sso", next_url, **{SSO_SESSION_KEY: True})
    db.session.commit()
    return redirect(target)
