"""Logging in and out, changing one's own password, and resetting a forgotten one."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from coordinator.auth.forms import (
    ChangePasswordForm,
    LoginForm,
    NewPasswordForm,
    PasswordResetRequestForm,
)
from coordinator.extensions import db, limiter
from coordinator.form_errors import show_error
from coordinator.models.types import utcnow
from coordinator.permissions import staff_required
from coordinator.services.accounts.password_reset import (
    request_password_reset,
    user_for_reset_token,
)
from coordinator.services.accounts.password_reset import reset_password as reset_password_service
from coordinator.services.accounts.users import authenticate, change_own_password
from coordinator.services.errors import UserError

bp = Blueprint("auth", __name__)


def _login_limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("main.index")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=lambda r: r.status_code != 302)
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data or "", form.password.data or "", now=utcnow())
        if user is not None:
            lang = session.get("lang")
            session.clear()  # a fresh session at login
            if lang:
                session["lang"] = lang
            session.permanent = True
            login_user(user)
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append(_("Fel e-postadress eller lösenord"))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout() -> Response:
    logout_user()
    session.clear()
    flash(_("Du är utloggad."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
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
            login_user(user)  # the nonce changed: keep this session, end the others
            flash(_("Ditt lösenord är bytt."), "success")
            return redirect(url_for("main.index"))
    return render_template("auth/change_password.html", form=form)


def _reset_limit() -> str:
    return str(current_app.config["PASSWORD_RESET_RATE_LIMIT"])


@bp.route("/password-reset", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
def request_password_reset_view() -> str | Response:
    form = PasswordResetRequestForm()
    if form.validate_on_submit():
        request_password_reset(form.email.data or "", now=utcnow())
        db.session.commit()
        return render_template("auth/password_reset_sent.html", email=form.email.data)
    return render_template("auth/password_reset_request.html", form=form)


@bp.route("/password-reset/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: str(current_app.config["TOKEN_RATE_LIMIT"]))
def reset_password(token: str) -> str | Response:
    g.no_store = True
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
