"""Staff pages for a survey's e-mails in the coordinator's own words: an overview, an
editor with placeholders and a preview for a real recipient, and going back to the
built-in text. The rules are in services/surveys/mail_texts.py."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms import SelectChoice

from coordinator.bidi import isolate_format
from coordinator.extensions import db
from coordinator.form_errors import show_error
from coordinator.models import MAIL_TEXT_KINDS, Invitation, Survey
from coordinator.models.types import utcnow
from coordinator.permissions import current_staff, editor_required
from coordinator.services.errors import SurveyError
from coordinator.services.mail.outbox import absolute_url, redacted, secret_marker
from coordinator.services.surveys.mail_texts import (
    KIND_LABELS,
    LINK_ENDPOINTS,
    PLACEHOLDERS,
    check_mail_text,
    compose,
    editable_text,
    mail_text,
    preview_recipients,
    recipient_values,
    reset_mail_text,
    save_mail_text,
)
from coordinator.surveys.forms import MailTextForm
from coordinator.surveys.views import bp, editable_survey


def _survey_and_kind(survey_id: int, kind: str) -> Survey:
    if kind not in MAIL_TEXT_KINDS:
        abort(404)
    return editable_survey(survey_id)


@bp.get("/<int:survey_id>/mail-texts")
@editor_required
def mail_texts(survey_id: int) -> str:
    survey = editable_survey(survey_id)
    texts = [(kind, KIND_LABELS[kind], *editable_text(survey, kind)) for kind in MAIL_TEXT_KINDS]
    return render_template("surveys/mail_texts.html", survey=survey, texts=texts)


@bp.route("/<int:survey_id>/mail-texts/<mail_kind>", methods=["GET", "POST"])
@editor_required
def edit_mail_text(survey_id: int, mail_kind: str) -> str | WerkzeugResponse:
    """Write the text; "Förhandsgranska" shows it for a chosen recipient without saving."""
    survey = _survey_and_kind(survey_id, mail_kind)
    form = MailTextForm()
    recipients = preview_recipients(survey)
    form.recipient.choices = [
        SelectChoice(i.id, isolate_format("{}, {}", i.contact.name, i.organisation.display_name))
        for i in recipients
        if i.contact is not None
    ]
    if request.method == "GET":
        form.subject.data, form.body.data, _edited = editable_text(survey, mail_kind)
    preview = None
    if form.validate_on_submit():
        subject, body = form.subject.data or "", form.body.data or ""
        try:
            if request.form.get("action") == "save":
                save_mail_text(survey, mail_kind, subject, body, current_staff(), utcnow())
                db.session.commit()
                flash(_("Texten är sparad och används i enkätens e-post."), "success")
                return redirect(url_for("surveys.mail_texts", survey_id=survey.id))
            check_mail_text(subject, body)
        except SurveyError as exc:
            show_error(form, exc, "body")
        else:
            chosen = next((i for i in recipients if i.id == form.recipient.data), None)
            preview = _preview(
                survey, mail_kind, subject, body, chosen or next(iter(recipients), None)
            )
    return render_template(
        "surveys/mail_text.html",
        survey=survey,
        form=form,
        kind=mail_kind,
        label=KIND_LABELS[mail_kind],
        edited=mail_text(survey, mail_kind) is not None,
        placeholders=PLACEHOLDERS,
        preview=preview,
        has_recipients=bool(recipients),
    )


def _preview(
    survey: Survey, kind: str, subject: str, body: str, invitation: Invitation | None
) -> object:
    """The mail as this invited person would get it, the link's secret shown as "…"."""
    if invitation is None or invitation.contact is None:
        return None
    endpoint = LINK_ENDPOINTS.get(kind, "respond.show_form")
    link = redacted(absolute_url(endpoint, token=secret_marker()))
    values = recipient_values(survey, invitation.contact, invitation.organisation, link)
    # Headings in the text sit under "Som HTML" (an h3) on this page.
    return {"invitation": invitation, "mail": compose(subject, body, values, top=4)}


@bp.post("/<int:survey_id>/mail-texts/<mail_kind>/reset")
@editor_required
def restore_mail_text(survey_id: int, mail_kind: str) -> WerkzeugResponse:
    survey = _survey_and_kind(survey_id, mail_kind)
    reset_mail_text(survey, mail_kind, current_staff(), utcnow())
    db.session.commit()
    flash(_("Enkäten skickar åter standardtexten."), "success")
    return redirect(url_for("surveys.mail_texts", survey_id=survey.id))
