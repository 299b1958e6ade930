"""Logging in and out, and changing one's own password."""

from __future__ import annotations

from flask import (
    Blueprint,
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

from coordinator.auth.forms import ChangePasswordForm, LoginForm
from coordinator.extensions import db, limiter
from coordinator.models.types import utcnow
from coordinator.permissions import staff_required
from coordinator.services.users import UserError, authenticate, change_own_password

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
            form.current_password.errors.append(str(exc))
        else:
            db.session.commit()
            login_user(user)  # the nonce changed: keep this session, end the others
            flash(_("Ditt lösenord är bytt."), "success")
            return redirect(url_for("main.index"))
    return render_template("auth/change_password.html", form=form)
