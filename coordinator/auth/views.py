"""Logging in and out, changing one's own password, and resetting a forgotten one."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from coordinator.auth import oidc
from coordinator.auth.forms import (
    ChangePasswordForm,
    LoginForm,
    NewPasswordForm,
    PasswordResetRequestForm,
)
from coordinator.auth.signin import (
    begin_pending,
    password_login_enabled,
    password_pages,
    sso_enabled,
    start_session,
)
from coordinator.auth.sso import SSO_SESSION_KEY
from coordinator.extensions import db, limiter
from coordinator.form_errors import show_error
from coordinator.models.types import utcnow
from coordinator.permissions import current_staff, staff_required
from coordinator.redirects import safe_next
from coordinator.services.accounts.login import LoginError, password_login
from coordinator.services.accounts.password_reset import (
    request_password_reset,
    user_for_reset_token,
)
from coordinator.services.accounts.password_reset import reset_password as reset_password_service
from coordinator.services.accounts.two_factor import two_factor_required
from coordinator.services.accounts.users import change_own_password, end_sessions
from coordinator.services.errors import UserError
from coordinator.web import secret_link_page, token_rate_limit

bp = Blueprint("auth", __name__)


def _login_limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=lambda r: r.status_code != 302)
def login() -> str | Response | tuple[str, int]:
    next_url = safe_next(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("main.index"))
    form = LoginForm()
    if not password_login_enabled():
        if request.method == "POST":
            abort(404)
    elif form.validate_on_submit():
        try:
            user = password_login(form.email.data or "", form.password.data or "", now=utcnow())
        except LoginError as error:
            db.session.commit()  # the failure counts for this account
            show_error(form, error, "password")
        else:
            if user.has_second_factor or two_factor_required(user):
                begin_pending(user, next_url)
                db.session.commit()
                step = "verify" if user.has_second_factor else "setup"
                return redirect(url_for(f"two_factor.{step}"))
            target = start_session(user, "password", next_url)
            db.session.commit()
            return redirect(target)
    return render_template(
        "auth/login.html",
        form=form,
        password_login=password_login_enabled(),
        sso=sso_enabled(),
        sso_label=current_app.config["OIDC_BUTTON_LABEL"],
        next_url=next_url,
    )


@bp.post("/logout")
def logout() -> Response:
    provider_logout = None
    if current_user.is_authenticated:
        end_sessions(current_staff())  # a copy of this session's cookie stops working too
        db.session.commit()
        if session.get(SSO_SESSION_KEY) and sso_enabled():
            provider_logout = oidc.end_session_url()
    logout_user()
    session.clear()
    flash(_("Du är utloggad."), "success")
    return redirect(provider_logout or url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@password_pages
@staff_required
def change_password() -> str | Response:
    form = ChangePasswordForm()
    user = current_user._get_current_object()
    if form.validate_on_submit():
        try:
            change_own_password(
                user, form.current_password.data or "", form.new_password.data or ""
            )
        except UserError as exc:
            show_error(form, exc, "current_password")
        else:
            db.session.commit()
            login_user(user)  # the session version changed: keep this session, end the others
            flash(_("Ditt lösenord är bytt."), "success")
            return redirect(url_for("main.index"))
    return render_template("auth/change_password.html", form=form)


def _reset_limit() -> str:
    return str(current_app.config["PASSWORD_RESET_RATE_LIMIT"])


@bp.route("/password-reset", methods=["GET", "POST"])
@password_pages
@limiter.limit(_reset_limit, methods=["POST"])
def request_password_reset_view() -> str | Response:
    form = PasswordResetRequestForm()
    if form.validate_on_submit():
        request_password_reset(form.email.data or "", now=utcnow())
        db.session.commit()
        return render_template("auth/password_reset_sent.html", email=form.email.data)
    return render_template("auth/password_reset_request.html", form=form)


@bp.route("/password-reset/<token>", methods=["GET", "POST"])
@password_pages
@limiter.limit(token_rate_limit)
def reset_password(token: str) -> str | Response:
    secret_link_page()
    user = user_for_reset_token(token)
    if user is None:
        return render_template("auth/password_reset_invalid.html"), 404  # type: ignore[return-value]
    form = NewPasswordForm()
    if form.validate_on_submit():
        reset_password_service(user, form.new_password.data or "")
        db.session.commit()
        flash(_("Ditt lösenord är bytt. Logga in med det nya lösenordet."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/password_reset.html", form=form)
