"""The second factor: asking for a code after the password, setting up the app, recovery
codes, and turning it off where it is not required."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from coordinator.auth.forms import ButtonForm, ConfirmAppForm, SecondFactorForm
from coordinator.auth.signin import password_pages, pending_next, pending_user, start_session
from coordinator.extensions import db, limiter, login_manager
from coordinator.form_errors import show_error
from coordinator.models import User
from coordinator.models.types import utcnow
from coordinator.permissions import current_staff, staff_required
from coordinator.services.accounts.two_factor import (
    SecondFactorError,
    disable_two_factor,
    enable_two_factor,
    new_recovery_codes,
    provisioning_uri,
    qr_code_svg,
    remaining_recovery_codes,
    start_two_factor,
    two_factor_required,
    verify_second_factor,
)

bp = Blueprint("two_factor", __name__)


def _login_limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


@bp.route("/login/two-factor", methods=["GET", "POST"])
@password_pages
@limiter.limit(_login_limit, methods=["POST"], deduct_when=lambda r: r.status_code != 302)
def verify() -> str | Response:
    user = pending_user()
    if user is None or not user.has_second_factor:
        flash(_("Logga in igen."), "info")
        return redirect(url_for("auth.login"))
    form = SecondFactorForm()
    if form.validate_on_submit():
        try:
            kind = verify_second_factor(user, form.code.data or "", now=utcnow())
        except SecondFactorError as error:
            db.session.commit()  # the failure counts
            show_error(form, error, "code")
        else:
            target = start_session(user, f"password+{kind}", pending_next())
            db.session.commit()
            if kind == "recovery_code":
                flash(
                    _("Du har %(n)s reservkoder kvar.", n=remaining_recovery_codes(user)),
                    "info",
                )
            return redirect(target)
    return render_template("auth/two_factor.html", form=form)


def _setup_user() -> tuple[User | None, bool]:
    """Who sets up the app: the signed-in user, or one whose role requires a second factor
    and who has just given the right password (pending)."""
    if current_user.is_authenticated:
        return current_staff(), False
    user = pending_user()
    if user is not None and two_factor_required(user) and not user.has_second_factor:
        return user, True
    return None, False


@bp.route("/account/two-factor/setup", methods=["GET", "POST"])
@password_pages
def setup() -> str | Response:
    user, pending = _setup_user()
    if user is None:
        return login_manager.unauthorized()  # type: ignore[no-any-return]
    if user.has_second_factor:
        return redirect(url_for("two_factor.manage"))
    form = ConfirmAppForm()
    secret = start_two_factor(user)
    db.session.commit()
    if form.validate_on_submit():
        try:
            codes = enable_two_factor(user, form.code.data or "", now=utcnow())
        except SecondFactorError as error:
            show_error(form, error, "code")
        else:
            target = url_for("two_factor.manage")
            if pending:
                target = start_session(user, "password+totp", pending_next())
            db.session.commit()
            return render_template("auth/recovery_codes.html", codes=codes, target=target)
    uri = provisioning_uri(user, secret)
    return render_template(
        "auth/two_factor_setup.html",
        form=form,
        secret=secret,
        qr_code=qr_code_svg(uri, _("QR-kod för appen för tvåstegsverifiering")),
        required=pending,
    )


@bp.get("/account/two-factor")
@password_pages
@staff_required
def manage() -> str:
    user = current_staff()
    return render_template(
        "auth/two_factor_manage.html",
        user=user,
        required=two_factor_required(user),
        remaining=remaining_recovery_codes(user),
        form=ButtonForm(),
    )


@bp.post("/account/two-factor/recovery-codes")
@password_pages
@staff_required
def renew_recovery_codes() -> str | Response:
    user = current_staff()
    if not ButtonForm().validate_on_submit() or not user.has_second_factor:
        return redirect(url_for("two_factor.manage"))
    codes = new_recovery_codes(user)
    db.session.commit()
    return render_template(
        "auth/recovery_codes.html", codes=codes, target=url_for("two_factor.manage")
    )


@bp.post("/account/two-factor/off")
@password_pages
@staff_required
def turn_off() -> Response:
    user = current_staff()
    if ButtonForm().validate_on_submit():
        try:
            disable_two_factor(user, actor=user, now=utcnow())
        except SecondFactorError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Tvåstegsverifiering är avstängd."), "success")
    return redirect(url_for("two_factor.manage"))
