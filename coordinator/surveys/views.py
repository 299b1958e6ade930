"""Staff pages for surveys: build, preview, invite, follow up, remind."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.datastructures import CombinedMultiDict
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms import SelectChoice

from coordinator.bidi import isolate_format, isolate_message, isolate_text
from coordinator.extensions import db
from coordinator.fields import fill_local_moment, local_moment
from coordinator.form_errors import show_error
from coordinator.localtime import STOCKHOLM
from coordinator.models import (
    Invitation,
    Network,
    Organisation,
    Question,
    Response,
    Survey,
    User,
)
from coordinator.models.types import utcnow
from coordinator.permissions import (
    current_staff,
    editor_required,
    may_change_survey,
    staff_required,
)
from coordinator.services.errors import ClosedError, PastDeadlineError, ProjectError, SurveyError
from coordinator.services.projects.projects import project_for_survey
from coordinator.services.surveys.board_answers import submit_board_answer, writers
from coordinator.services.surveys.building import (
    copy_survey,
    create_survey,
    create_survey_from_rus2018,
    parse_reminder_days,
    update_survey_settings,
)
from coordinator.services.surveys.conditions import condition_sources
from coordinator.services.surveys.followup import dashboard_page
from coordinator.services.surveys.invitations import (
    contacts_for_picking,
    invite,
    mail_context,
    organisations_for_picking,
    resend_link,
    revoke,
    select_recipients,
)
from coordinator.services.surveys.kinds import all_kinds, kind_of, settings_fields
from coordinator.services.surveys.mail_texts import OWN_TEXT_TEMPLATE, survey_mail
from coordinator.services.surveys.questions import (
    add_question,
    answerable_questions,
    build_options,
    is_heading,
    question_tree,
    update_question,
)
from coordinator.services.surveys.questions import delete_question as remove_question
from coordinator.services.surveys.questions import move_question as reorder_question
from coordinator.services.surveys.reminders import (
    pending_count,
    pending_invitations,
    send_reminders,
)
from coordinator.services.surveys.responses import (
    parse_answers,
    register_response,
    set_coordinated,
    stored_answers,
    validate_answers,
)
from coordinator.services.surveys.rounds import start_next_round
from coordinator.services.surveys.states import (
    close_survey,
    extend_deadline,
    is_closed,
    open_survey,
    reopen_survey,
)
from coordinator.surveys.forms import (
    ExtensionForm,
    QuestionForm,
    RecipientsForm,
    ReminderForm,
    SettingsForm,
    SurveyForm,
)

bp = Blueprint("surveys", __name__, url_prefix="/surveys")


def _survey(survey_id: int) -> Survey:
    return db.get_or_404(Survey, survey_id)


@bp.app_context_processor
def survey_permissions() -> dict[str, Any]:
    def can_edit_survey(survey: Survey) -> bool:
        return may_change_survey(current_staff(), survey)

    return {"can_edit_survey": can_edit_survey}


def editable_survey(survey_id: int) -> Survey:
    """A survey the signed-in editor may change: only its project's members (and admins)
    may, as with the project's own pages."""
    survey = _survey(survey_id)
    if not may_change_survey(current_staff(), survey):
        abort(403)
    return survey


@bp.get("")
@staff_required
def list_surveys() -> str:
    surveys = db.session.scalars(select(Survey).order_by(Survey.created_at.desc()))
    return render_template("surveys/list.html", surveys=surveys)


@bp.route("/new", methods=["GET", "POST"])
@editor_required
def new_survey() -> str | WerkzeugResponse:
    form = SurveyForm()
    if form.validate_on_submit() and (
        deadline := local_moment(form, "deadline_date", "deadline_time", "deadline_fold")
    ):
        now = utcnow()
        actor = current_staff()
        try:
            project = project_for_survey(form.project_title.data or "", actor, now)
        except ProjectError as exc:
            show_error(form, exc, "project_title")
            return render_template("surveys/new.html", form=form)
        if form.template.data == "rus2018":
            survey = create_survey_from_rus2018(project, actor, now, deadline_at=deadline)
        else:
            survey = create_survey(project, form.title.data or _("Ny enkät"), deadline, actor, now)
        if form.title.data:
            survey.title = form.title.data
        if form.introduction.data:
            survey.introduction = form.introduction.data
        db.session.commit()
        flash(_("Enkäten är skapad som utkast."), "success")
        return redirect(url_for("surveys.show_survey", survey_id=survey.id))
    return render_template("surveys/new.html", form=form)


@bp.get("/<int:survey_id>")
@staff_required
def show_survey(survey_id: int) -> str:
    survey = _survey(survey_id)
    answered = db.session.scalar(
        select(func.count()).select_from(Response).where(Response.survey_id == survey.id)
    )
    return render_template(
        "surveys/show.html",
        survey=survey,
        groups=question_tree(survey),
        has_answers=bool(answered),
        extension_form=_extension_form(survey),
    )


def _extension_form(survey: Survey) -> ExtensionForm:
    form = ExtensionForm()
    form.organisation_id.choices = [
        SelectChoice(o.id, o.display_name) for o in organisations_for_picking()
    ]
    return form


@bp.post("/<int:survey_id>/state")
@editor_required
def change_state(survey_id: int) -> str | WerkzeugResponse:
    survey = editable_survey(survey_id)
    action = request.form.get("action")
    try:
        if action == "open":
            confirmed = request.form.get("confirm_past_deadline") == "y"
            open_survey(survey, current_staff(), utcnow(), past_deadline_confirmed=confirmed)
            flash(_("Enkäten är öppen för svar."), "success")
        elif action == "close":
            close_survey(survey, current_staff(), utcnow())
            flash(_("Enkäten är stängd."), "success")
        elif action == "reopen":
            reopen_survey(survey, current_staff(), utcnow())
            flash(_("Enkäten är öppen för svar igen."), "success")
        else:
            abort(400)
    except PastDeadlineError as exc:
        db.session.rollback()
        return render_template(
            "surveys/confirm_past_deadline.html", survey=survey, deadline=exc.deadline
        )
    except SurveyError as exc:
        flash(str(exc), "error")
    else:
        db.session.commit()
    return redirect(url_for("surveys.show_survey", survey_id=survey.id))


@bp.post("/<int:survey_id>/deadline-extensions")
@editor_required
def extend(survey_id: int) -> str | WerkzeugResponse:
    survey = editable_survey(survey_id)
    form = _extension_form(survey)
    if form.validate_on_submit() and (
        deadline := local_moment(form, "deadline_date", "deadline_time", "deadline_fold")
    ):
        try:
            extend_deadline(survey, form.organisation_id.data, deadline, current_staff(), utcnow())
        except SurveyError as exc:
            show_error(form, exc, "deadline_date")
        else:
            db.session.commit()
            flash(_("Svarstiden är förlängd för organisationen."), "success")
            return redirect(url_for("surveys.show_survey", survey_id=survey.id))
    return render_template(
        "surveys/show.html",
        survey=survey,
        groups=question_tree(survey),
        has_answers=True,
        extension_form=form,
        form=form,
    ), 400  # type: ignore[return-value]


def _question_form(survey: Survey, question: Question | None = None) -> QuestionForm:
    form = QuestionForm(obj=question)
    form.parent_id.choices = [SelectChoice("", _("Ingen (egen fråga)"))] + [
        SelectChoice(str(q.id), f"{q.number}. {q.text[:60]}")
        for q in survey.questions
        if is_heading(q)
    ]
    form.condition.choices = [
        SelectChoice(value, label)
        for _source, choices in _condition_groups(survey, question)
        for value, label in choices
    ]
    if question is not None and request.method == "GET":
        form.parent_id.data = str(question.parent_id or "")
        form.options.data = "\n".join(o["label"] for o in question.options)
        for name, value in kind_of(question).settings_data(question).items():
            form[name].data = value
        form.condition.data = [
            f"{question.condition_question_id}:{value}" for value in question.condition_values
        ]
    return form


def _condition_groups(
    survey: Survey, question: Question | None
) -> list[tuple[Question, list[tuple[str, str]]]]:
    """The earlier questions a follow-up can depend on, each with its values as the
    builder's checkboxes ("<question id>:<value>", label)."""
    return [
        (
            source,
            [(f"{source.id}:{v}", label) for v, label in kind_of(source).condition_choices(source)],
        )
        for source in condition_sources(survey, question)
    ]


def _render_question_form(
    form: QuestionForm, survey: Survey, question: Question | None = None
) -> str:
    """The question form: the settings of every kind (each saying which kinds it is for;
    script shows only the chosen kind's), the condition, and a preview of the question."""
    settings = [
        (form[name], [kind for kind in all_kinds() if name in kind.settings_fields])
        for name in settings_fields()
    ]
    return render_template(
        "surveys/question_form.html",
        form=form,
        survey=survey,
        question=question,
        settings=settings,
        condition_groups=_condition_groups(survey, question),
    )


def _question(survey: Survey, question_id: int) -> Question:
    question = db.session.get(Question, question_id)
    if question is None or question.survey_id != survey.id:
        abort(404)
    return question


def _question_values(form: QuestionForm, kind: str, options: list[Any]) -> dict[str, Any]:
    """What the add and edit forms of a question pass to the service."""
    return {
        "number": form.number.data or "",
        "text": form.text.data or "",
        "help_text": form.help_text.data or "",
        "kind": kind,
        "required": bool(form.required.data),
        "options": options,
        "allow_other": bool(form.allow_other.data),
        "parent_id": _parent_id(form),
        "actor": current_staff(),
        "now": utcnow(),
        "settings": {name: form[name].data for name in settings_fields()},
        "condition": list(form.condition.data or []),
    }


def _parent_id(form: QuestionForm) -> int | None:
    return int(form.parent_id.data) if form.parent_id.data else None


@bp.route("/<int:survey_id>/questions/new", methods=["GET", "POST"])
@editor_required
def new_question(survey_id: int) -> str | WerkzeugResponse:
    survey = editable_survey(survey_id)
    if survey.state != "draft":
        flash(_("Frågor kan bara läggas till medan enkäten är ett utkast."), "error")
        return redirect(url_for("surveys.show_survey", survey_id=survey.id))
    form = _question_form(survey)
    if form.validate_on_submit():
        kind = form.kind.data or ""
        try:
            options = build_options(kind, form.options.data or "", bool(form.use_sni.data))
            add_question(
                survey,
                **_question_values(form, kind, options),
            )
        except SurveyError as exc:
            show_error(form, exc, "options")
        else:
            db.session.commit()
            flash(_("Frågan är tillagd."), "success")
            return redirect(url_for("surveys.show_survey", survey_id=survey.id))
    return _render_question_form(form, survey)


@bp.post("/<int:survey_id>/questions/<int:question_id>/delete")
@editor_required
def delete_question(survey_id: int, question_id: int) -> WerkzeugResponse:
    survey = editable_survey(survey_id)
    try:
        remove_question(_question(survey, question_id), current_staff(), utcnow())
    except SurveyError as exc:
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("Frågan är borttagen."), "success")
    return redirect(url_for("surveys.show_survey", survey_id=survey.id))


@bp.post("/<int:survey_id>/questions/<int:question_id>/move")
@editor_required
def move_question(survey_id: int, question_id: int) -> WerkzeugResponse:
    survey = editable_survey(survey_id)
    direction = request.form.get("direction")
    if direction not in ("up", "down"):
        abort(400)
    try:
        reorder_question(_question(survey, question_id), direction, current_staff(), utcnow())
    except SurveyError as exc:
        flash(str(exc), "error")
    else:
        db.session.commit()
    return redirect(url_for("surveys.show_survey", survey_id=survey.id, _anchor=f"q{question_id}"))


@bp.get("/<int:survey_id>/preview")
@staff_required
def preview(survey_id: int) -> str:
    survey = _survey(survey_id)
    return render_template(
        "surveys/preview.html",
        survey=survey,
        groups=question_tree(survey),
        answers={},
        errors={},
        deadline=survey.deadline_at,
        readonly=False,
        invitation=None,
    )


@bp.route("/<int:survey_id>/recipients", methods=["GET", "POST"])
@editor_required
def recipients(survey_id: int) -> str | WerkzeugResponse:
    survey = editable_survey(survey_id)
    form = RecipientsForm()
    form.networks.choices = [
        SelectChoice(n.id, isolate_format("{} ({})", n.name, len(n.members)))
        for n in db.session.scalars(select(Network).order_by(Network.name))
    ]
    form.organisations.choices = [
        SelectChoice(o.id, o.display_name) for o in organisations_for_picking()
    ]
    form.contacts.choices = [
        SelectChoice(c.id, isolate_format("{}, {}", c.name, c.organisation.display_name))
        for c in contacts_for_picking()
    ]
    selection = None
    preview_mail = None
    past_deadline = None
    if form.validate_on_submit():
        selection = select_recipients(
            survey,
            network_ids=form.networks.data or [],
            organisation_ids=form.organisations.data or [],
            contact_ids=form.contacts.data or [],
        )
        if request.form.get("action") == "send":
            if survey.state == "draft":
                flash(_("Öppna enkäten innan du skickar inbjudningar."), "error")
            elif not selection.contacts:
                flash(_("Det finns ingen ny mottagare att bjuda in."), "error")
            else:
                try:
                    sent = invite(
                        survey,
                        selection.contacts,
                        current_staff(),
                        utcnow(),
                        past_deadline_confirmed=request.form.get("confirm_past_deadline") == "y",
                    )
                except PastDeadlineError as exc:
                    db.session.rollback()
                    past_deadline = exc.deadline
                else:
                    db.session.commit()
                    flash(
                        _("%(n)s inbjudningar ligger i utkorgen och skickas nu.", n=len(sent)),
                        "success",
                    )
                    return redirect(url_for("surveys.dashboard", survey_id=survey.id))
        if selection.contacts:
            preview_mail = _preview_mail(survey, selection.contacts[0], "survey_invitation")
    invited = db.session.scalar(
        select(func.count()).select_from(Invitation).where(Invitation.survey_id == survey.id)
    )
    return render_template(
        "surveys/recipients.html",
        survey=survey,
        form=form,
        selection=selection,
        preview_mail=preview_mail,
        invited=invited,
        past_deadline=past_deadline,
    )


def _preview_mail(survey: Survey, contact: Any, template: str) -> str:
    """The text of the e-mail as this contact would get it, with a stand-in link; in the
    survey's own words when it has them (survey_invitation → its "invitation" text)."""
    link = _("(personlig länk)")
    context = mail_context(survey, contact, contact.organisation, link)
    own = survey_mail(survey, template.removeprefix("survey_"), contact, contact.organisation, link)
    if own is not None:
        template = OWN_TEXT_TEMPLATE
        context |= own.context()
    return render_template(
        f"emails/{template}.txt", product_name="Coordinator", unsubscribe_url="…", **context
    )


@bp.get("/<int:survey_id>/dashboard")
@staff_required
def dashboard(survey_id: int) -> str:
    survey = _survey(survey_id)
    status = request.args.get("status", "")
    board = dashboard_page(survey, status, request.args.get("page", 1, type=int))
    return render_template(
        "surveys/dashboard.html",
        survey=survey,
        dashboard=board,
        rows=board.rows,
        status=status,
        pending=pending_count(survey),
    )


@bp.route("/<int:survey_id>/reminders", methods=["GET", "POST"])
@editor_required
def remind(survey_id: int) -> str | WerkzeugResponse:
    """Choose who gets a reminder (everyone who has not submitted, to begin with), see the
    e-mail, send."""
    survey = editable_survey(survey_id)
    pending = pending_invitations(survey)
    form = ReminderForm()
    form.invitations.choices = [
        SelectChoice(
            i.id,
            isolate_format(
                "{} <{}>, {}", i.contact.name, i.contact.email, i.organisation.display_name
            ),
        )
        for i in pending
        if i.contact is not None
    ]
    if request.method == "GET":
        form.invitations.data = [i.id for i in pending]
    if form.validate_on_submit():
        chosen = [i for i in pending if i.id in set(form.invitations.data or [])]
        if not chosen:
            form.invitations.errors = [_("Välj minst en mottagare")]
        else:
            sent = send_reminders(survey, chosen, current_staff(), utcnow())
            db.session.commit()
            flash(_("%(n)s påminnelser ligger i utkorgen.", n=sent), "success")
            return redirect(url_for("surveys.dashboard", survey_id=survey.id))
    preview_mail = None
    if pending and pending[0].contact is not None:
        preview_mail = _preview_mail(survey, pending[0].contact, "survey_reminder")
    return render_template(
        "surveys/reminders.html",
        survey=survey,
        form=form,
        pending=pending,
        preview_mail=preview_mail,
        closed=is_closed(survey, utcnow()),
    )


@bp.get("/<int:survey_id>/organisations/<int:organisation_id>")
@staff_required
def organisation_responses(survey_id: int, organisation_id: int) -> str:
    survey = _survey(survey_id)
    organisation = db.get_or_404(Organisation, organisation_id)
    responses = list(
        db.session.scalars(
            select(Response)
            .where(Response.survey_id == survey.id, Response.organisation_id == organisation_id)
            .order_by(Response.is_board_answer.desc(), Response.id)
        )
    )
    invitations = list(
        db.session.scalars(
            select(Invitation).where(
                Invitation.survey_id == survey.id, Invitation.organisation_id == organisation_id
            )
        )
    )
    return render_template(
        "surveys/organisation.html",
        survey=survey,
        organisation=organisation,
        responses=responses,
        invitations=invitations,
        organisation_id=organisation_id,
        answers={r.id: stored_answers(r) for r in responses},
        writers={r.id: writers(r, submitted=True) for r in responses if r.is_board_answer},
        questions=answerable_questions(survey),
    )


@bp.post(
    "/<int:survey_id>/responses/<int:response_id>/coordinated/<any(set, clear, submit):action>"
)
@editor_required
def mark_coordinated(survey_id: int, response_id: int, action: str) -> WerkzeugResponse:
    """Set or clear which response is the board's coordinated answer, or submit a board
    answer as the coordinated one on the board's behalf (audited)."""
    survey = editable_survey(survey_id)
    response = db.session.get(Response, response_id)
    if response is None or response.survey_id != survey.id:
        abort(404)
    now = utcnow()
    if action == "submit" and response.is_board_answer:
        try:
            missing = submit_board_answer(response, True, actor=current_staff(), now=now)
        except ClosedError:
            missing = {"closed": _("Enkäten är stängd. Svaren kan inte längre skickas in.")}
        if missing:
            db.session.rollback()
            for message in missing.values():
                flash(message, "error")
        else:
            flash(_("Det gemensamma svaret är inskickat som samordnat svar."), "success")
    else:
        set_coordinated(response, action != "clear", current_staff(), now)
        if action == "clear":
            flash(_("Svaret är inte längre markerat som samordnat."), "success")
        else:
            flash(_("Svaret är markerat som organisationens samordnade svar."), "success")
    db.session.commit()
    return redirect(
        url_for(
            "surveys.organisation_responses",
            survey_id=survey.id,
            organisation_id=response.organisation_id,
            _anchor=f"response-{response.id}",
        )
    )


@bp.post("/<int:survey_id>/invitations/<int:invitation_id>/<any(resend, revoke):action>")
@editor_required
def change_invitation(survey_id: int, invitation_id: int, action: str) -> WerkzeugResponse:
    survey = editable_survey(survey_id)
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.survey_id != survey.id:
        abort(404)
    if action == "resend":
        resend_link(invitation, current_staff(), utcnow())
        flash(_("En ny länk skickas; den gamla slutar fungera."), "success")
    else:
        revoke(invitation, current_staff(), utcnow())
        flash(_("Inbjudan är återkallad; länken fungerar inte längre."), "success")
    db.session.commit()
    return redirect(
        url_for(
            "surveys.organisation_responses",
            survey_id=survey.id,
            organisation_id=invitation.organisation_id,
        )
    )


@bp.route("/<int:survey_id>/organisations/<int:organisation_id>/register", methods=["GET", "POST"])
@editor_required
def register_answer(survey_id: int, organisation_id: int) -> str | WerkzeugResponse:
    """Enter an answer that came by e-mail, on behalf of the organisation."""
    survey = editable_survey(survey_id)
    organisation = db.get_or_404(Organisation, organisation_id)
    answers = (
        parse_answers(
            answerable_questions(survey), CombinedMultiDict((request.form, request.files))
        )
        if request.method == "POST"
        else {}
    )
    errors: dict[str, str] = {}
    received = request.form.get("received_at", "").strip()
    if request.method == "POST":
        name = request.form.get("respondent_name", "").strip()
        errors = validate_answers(answerable_questions(survey), answers)
        if not name:
            errors["respondent_name"] = _("Ange vem som svarade")
        received_at = _received_at(received)
        if received_at is None:
            errors["received_at"] = _("Ange när svaret kom som ÅÅÅÅ-MM-DD TT:MM, inte i framtiden")
        if not errors and received_at is not None:
            register_response(survey, organisation, name, answers, current_staff(), received_at)
            db.session.commit()
            flash(
                isolate_message(_("Svaret är registrerat för %(org)s."), org=organisation.name),
                "success",
            )
            return redirect(
                url_for(
                    "surveys.organisation_responses",
                    survey_id=survey.id,
                    organisation_id=organisation.id,
                )
            )
    else:
        received = utcnow().astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")
    return render_template(
        "surveys/register_answer.html",
        survey=survey,
        organisation=organisation,
        groups=question_tree(survey),
        answers=answers,
        errors=errors,
        readonly=False,
        respondent_name=request.form.get("respondent_name", ""),
        received_at=received,
    )


def _received_at(text: str) -> datetime | None:
    """When an answer sent by e-mail arrived, in Swedish time; it decides lateness."""
    try:
        at = datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=STOCKHOLM)
    except ValueError:
        return None
    return at if at <= utcnow() else None


@bp.post("/<int:survey_id>/copy")
@editor_required
def copy(survey_id: int) -> WerkzeugResponse:
    copy = copy_survey(editable_survey(survey_id), current_staff(), utcnow())
    db.session.commit()
    flash(_("Enkäten är kopierad som utkast, med frågor och mottagare men utan svar."), "success")
    return redirect(url_for("surveys.show_survey", survey_id=copy.id))


@bp.post("/<int:survey_id>/next-round")
@editor_required
def next_round(survey_id: int) -> WerkzeugResponse:
    """ "Ny omgång": a copy whose boards find their previous answers filled in."""
    new = start_next_round(editable_survey(survey_id), current_staff(), utcnow())
    db.session.commit()
    flash(
        _(
            "Den nya omgången är skapad som utkast. Organisationernas svar från förra "
            "omgången är förifyllda; ändrar du en fråga tas dess förifyllda svar bort."
        ),
        "success",
    )
    return redirect(url_for("surveys.show_survey", survey_id=new.id))


@bp.route("/<int:survey_id>/questions/<int:question_id>/edit", methods=["GET", "POST"])
@editor_required
def edit_question(survey_id: int, question_id: int) -> str | WerkzeugResponse:
    survey = editable_survey(survey_id)
    question = _question(survey, question_id)
    form = _question_form(survey, question)
    if form.validate_on_submit():
        kind = form.kind.data or question.kind
        try:
            options = build_options(
                kind, form.options.data or "", bool(form.use_sni.data), question.options
            )
            update_question(
                question,
                **_question_values(form, kind, options),
            )
        except SurveyError as exc:
            show_error(form, exc, "kind")
        else:
            db.session.commit()
            flash(_("Frågan är sparad."), "success")
            return redirect(
                url_for("surveys.show_survey", survey_id=survey.id, _anchor=f"q{question.id}")
            )
    return _render_question_form(form, survey, question)


def _settings_times(form: SettingsForm) -> tuple[datetime, datetime | None] | None:
    """The deadline and the closing time (23:59 when only a date is given), or None when
    either is a time that does not exist or happens twice (the reason is at its field)."""
    deadline_at = local_moment(form, "deadline_date", "deadline_time", "deadline_fold")
    closes_at = None
    if form.closes_date.data:
        form.closes_time.data = form.closes_time.data or time(23, 59)
        closes_at = local_moment(form, "closes_date", "closes_time", "closes_fold")
        if closes_at is None:
            return None
    return (deadline_at, closes_at) if deadline_at is not None else None


def _reminder_days(form: SettingsForm) -> list[int] | None:
    try:
        return parse_reminder_days(form.reminder_days.data or "")
    except SurveyError as exc:
        form.reminder_days.errors = [*form.reminder_days.errors, str(exc)]
        return None


@bp.route("/<int:survey_id>/settings", methods=["GET", "POST"])
@editor_required
def edit_settings(survey_id: int) -> str | WerkzeugResponse:
    survey = editable_survey(survey_id)
    form = SettingsForm(obj=survey)
    form.reply_to_user_id.choices = [SelectChoice(0, _("Ingen"))] + [
        SelectChoice(u.id, f"{isolate_text(u.name)} <{isolate_text(u.email)}>")
        for u in db.session.scalars(
            select(User).where(User.role.in_(("admin", "coordinator"))).order_by(User.name)
        )
    ]
    if request.method == "GET":
        deadline = survey.deadline_at
        fill_local_moment(form, "deadline_date", "deadline_time", "deadline_fold", deadline)
        if survey.closes_at:
            fill_local_moment(form, "closes_date", "closes_time", "closes_fold", survey.closes_at)
        form.reply_to_user_id.data = survey.reply_to_user_id or 0
        form.reminder_days.data = ", ".join(str(d) for d in survey.reminder_days or [])
    if form.validate_on_submit():
        times = _settings_times(form)
        reminder_days = _reminder_days(form)
        if times is not None and reminder_days is not None:
            try:
                update_survey_settings(
                    survey,
                    title=form.title.data or "",
                    introduction=form.introduction.data or "",
                    deadline_note=form.deadline_note.data or "",
                    deadline_at=times[0],
                    closes_at=times[1],
                    reply_to_user_id=form.reply_to_user_id.data or None,
                    reminder_days=reminder_days,
                    actor=current_staff(),
                    now=utcnow(),
                    language=form.language.data or "sv",
                )
            except SurveyError as exc:
                form.closes_date.errors = [*form.closes_date.errors, str(exc)]
            else:
                db.session.commit()
                flash(_("Enkätens inställningar är sparade."), "success")
                return redirect(url_for("surveys.show_survey", survey_id=survey.id))
    return render_template("surveys/settings.html", form=form, survey=survey)
