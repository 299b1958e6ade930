"""Administration: staff accounts and the audit trail."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import (
    Blueprint,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from coordinator.admin.forms import (
    AccountActionForm,
    AuditFilterForm,
    EraseConfirmForm,
    NewUserForm,
    PersonalDataSearchForm,
    UserForm,
)
from coordinator.extensions import db
from coordinator.fields import db_id
from coordinator.form_errors import show_error
from coordinator.localtime import STOCKHOLM
from coordinator.models import AuditEvent, User
from coordinator.models.types import utcnow
from coordinator.permissions import admin_required, current_staff
from coordinator.services.accounts.sso import forget_sso_identity
from coordinator.services.accounts.two_factor import disable_two_factor
from coordinator.services.accounts.users import create_user, end_sessions, update_user
from coordinator.services.audit import audit_query, record_event
from coordinator.services.errors import UserError
from coordinator.services.register.personal_data import (
    erase_personal_data,
    export_personal_data,
    find_personal_data,
)

bp = Blueprint("admin", __name__, url_prefix="/admin")

PAGE_SIZE = 100


@bp.get("/users")
@admin_required
def list_users() -> str:
    users = db.session.scalars(select(User).order_by(User.name))
    return render_template("admin/users.html", users=users)


@bp.route("/users/new", methods=["GET", "POST"])
@admin_required
def new_user() -> str | Response:
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            user = create_user(
                form.email.data or "",
                form.name.data or "",
                form.role.data or "viewer",
                form.password.data or None,
                actor=current_staff(),
            )
        except UserError as exc:
            show_error(form, exc, "email")
        else:
            user.active = bool(form.active.data)
            db.session.commit()
            flash(_("Kontot för %(email)s är skapat.", email=user.email), "success")
            return redirect(url_for("admin.list_users"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@admin_required
def edit_user(user_id: int) -> str | Response:
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user)
    if form.validate_on_submit():
        try:
            update_user(
                user,
                name=form.name.data or "",
                role=form.role.data or "viewer",
                active=bool(form.active.data),
                actor=current_staff(),
            )
        except UserError as exc:
            show_error(form, exc, "role")
        else:
            db.session.commit()
            flash(_("Kontot är sparat."), "success")
            return redirect(url_for("admin.list_users"))
    return render_template(
        "admin/user_form.html", form=form, user=user, action_form=AccountActionForm()
    )


@bp.post("/users/<int:user_id>/end-sessions")
@admin_required
def end_user_sessions(user_id: int) -> Response:
    user = db.get_or_404(User, user_id)
    if AccountActionForm().validate_on_submit():
        end_sessions(user, actor=current_staff())
        db.session.commit()
        flash(_("%(name)s är utloggad överallt.", name=user.name), "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.post("/users/<int:user_id>/two-factor/reset")
@admin_required
def reset_two_factor(user_id: int) -> Response:
    user = db.get_or_404(User, user_id)
    if AccountActionForm().validate_on_submit() and user.has_second_factor:
        disable_two_factor(user, actor=current_staff(), now=utcnow())
        db.session.commit()
        flash(
            _(
                "Tvåstegsverifieringen för %(name)s är nollställd. Personen slår på den igen "
                "nästa gång hen loggar in.",
                name=user.name,
            ),
            "success",
        )
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.post("/users/<int:user_id>/sso/forget")
@admin_required
def forget_sso(user_id: int) -> Response:
    user = db.get_or_404(User, user_id)
    if AccountActionForm().validate_on_submit() and user.sso_subject:
        forget_sso_identity(user, actor=current_staff(), now=utcnow())
        db.session.commit()
        flash(
            _(
                "Kopplingen till identitetsleverantören är borttagen. Nästa inloggning via "
                "organisationens konto kopplar kontot på nytt."
            ),
            "success",
        )
    return redirect(url_for("admin.edit_user", user_id=user.id))


def _local_midnight(day: date | None, plus_days: int = 0) -> datetime | None:
    if day is None:
        return None
    return datetime.combine(day + timedelta(days=plus_days), time.min, tzinfo=STOCKHOLM)


@bp.get("/audit")
@admin_required
def audit_log() -> str:
    form = AuditFilterForm(request.args)
    types = select(AuditEvent.object_type).distinct().order_by(AuditEvent.object_type)
    form.object_type.choices = [SelectChoice("", _("Alla"))] + [
        SelectChoice(t) for t in db.session.scalars(types)
    ]
    form.actor.choices = [SelectChoice("", _("Alla"))] + [
        SelectChoice(str(u.id), u.name)
        for u in db.session.scalars(select(User).order_by(User.name))
    ]
    events: list[AuditEvent] = []
    page = max(request.args.get("page", 1, type=db_id) or 1, 1)
    if form.validate():
        query = audit_query(
            action=form.action.data or "",
            object_type=form.object_type.data or "",
            actor_id=int(form.actor.data) if form.actor.data else None,
            since=_local_midnight(form.since.data),
            until=_local_midnight(form.until.data, plus_days=1),
        )
        events = list(db.session.scalars(query.limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)))
    has_next = len(events) > PAGE_SIZE
    return render_template(
        "admin/audit.html",
        form=form,
        events=events[:PAGE_SIZE],
        page=page,
        has_next=has_next,
        filter_args={k: v for k, v in request.args.items() if k != "page"},
    )


@bp.get("/personal-data")
@admin_required
def personal_data() -> str:
    form = PersonalDataSearchForm(request.args)
    data = None
    if request.args and form.validate():
        data = find_personal_data(form.email.data or "")
    erase_form = EraseConfirmForm(email=data.email if data else "")
    return render_template("admin/personal_data.html", form=form, data=data, erase_form=erase_form)


@bp.post("/personal-data/export")
@admin_required
def export_personal_data_file() -> Response:
    form = EraseConfirmForm()
    data = find_personal_data(form.email.data or "")
    record_event(current_staff(), "personal_data.export", "person", None, data.email)
    db.session.commit()
    response = make_response(export_personal_data(data))
    response.headers["Content-Type"] = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response.headers["Content-Disposition"] = 'attachment; filename="personuppgifter.xlsx"'
    return response


@bp.post("/personal-data/erase")
@admin_required
def erase_personal_data_view() -> str | Response:
    form = EraseConfirmForm()
    data = find_personal_data(form.email.data or "")
    if not form.validate():
        search = PersonalDataSearchForm(data={"email": data.email})
        return render_template("admin/personal_data.html", form=search, data=data, erase_form=form)
    counts = erase_personal_data(data, current_staff(), now=utcnow())
    db.session.commit()
    flash(
        _(
            "Personuppgifterna är raderade: %(contacts)s kontakter, %(responses)s svar, "
            "%(messages)s e-postmeddelanden, %(users)s konton.",
            **counts,
        ),
        "success",
    )
    return redirect(url_for("admin.personal_data"))
