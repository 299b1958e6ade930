"""Reminders to those who have not submitted: by hand, or on the survey's schedule
(e.g. 7 and 2 days before the deadline), each scheduled one at most once per invitation."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import contains_eager, joinedload

from coordinator.extensions import db
from coordinator.models import Contact, Invitation, ReminderDelivery, Response, Survey, User
from coordinator.services.audit import record_event
from coordinator.services.surveys.invitations import invitation_token, send_invitation_email
from coordinator.services.surveys.states import effective_deadline, is_closed


def answered_organisation_ids(survey: Survey) -> set[int]:
    return set(db.session.scalars(_answered_organisations(survey)))


def _answered_organisations(survey: Survey) -> Select[Any]:
    """Any submitted response from an organisation counts as its answer."""
    return select(Response.organisation_id).where(
        Response.survey_id == survey.id, Response.state == "submitted"
    )


def _pending(survey: Survey) -> Select[tuple[Invitation]]:
    """Live invitations, to contacts who take e-mail, of organisations that have not
    submitted any response."""
    return (
        select(Invitation)
        .join(Invitation.contact)
        .where(
            Invitation.survey_id == survey.id,
            Invitation.revoked_at.is_(None),
            Invitation.organisation_id.not_in(_answered_organisations(survey)),
            Contact.email.is_not(None),
            Contact.opted_out_at.is_(None),
            Contact.erased_at.is_(None),
        )
    )


def pending_invitations(survey: Survey) -> list[Invitation]:
    return list(
        db.session.scalars(
            _pending(survey)
            .options(contains_eager(Invitation.contact), joinedload(Invitation.organisation))
            .order_by(Invitation.organisation_id, Invitation.id)
        )
    )


def pending_count(survey: Survey) -> int:
    return db.session.scalar(select(func.count()).select_from(_pending(survey).subquery())) or 0


def _remind(invitation: Invitation, now: datetime) -> None:
    # the same link as in the invitation, made with the key of that day
    token = invitation_token(invitation.token_nonce, invitation.token_hash)
    send_invitation_email(invitation, token, now, template="survey_reminder")
    invitation.reminded_count += 1
    invitation.last_reminded_at = now


def send_reminders(
    survey: Survey, invitations: list[Invitation], actor: User | None, now: datetime
) -> int:
    if is_closed(survey, now):
        return 0
    answered = answered_organisation_ids(survey)
    sent = 0
    for invitation in invitations:
        if invitation.organisation_id in answered or invitation.revoked:
            continue
        _remind(invitation, now)
        sent += 1
    record_event(
        actor, "survey.remind", "survey", survey.id, survey.title, {"reminders": sent}, now=now
    )
    return sent


def send_scheduled_reminders(now: datetime) -> int:
    """For `tick`: one reminder per invitation when a reminder day has come.

    Each (invitation, day) is recorded, so no day is reminded twice; when several days
    have passed since the last tick, one reminder covers them all.
    """
    sent = 0
    for survey in db.session.scalars(select(Survey).where(Survey.state == "open")):
        if is_closed(survey, now) or not survey.reminder_days:
            continue
        pending = pending_invitations(survey)
        delivered: dict[int, set[int]] = {}
        for invitation_id, day in db.session.execute(
            select(ReminderDelivery.invitation_id, ReminderDelivery.reminder_day).where(
                ReminderDelivery.invitation_id.in_([i.id for i in pending])
            )
        ):
            delivered.setdefault(invitation_id, set()).add(day)
        for invitation in pending:
            deadline = effective_deadline(survey, invitation.organisation_id)
            due = [
                day
                for day in survey.reminder_days
                if invitation.created_at <= deadline + timedelta(days=day) <= now
            ]
            new_days = set(due) - delivered.get(invitation.id, set())
            if not new_days:
                continue
            for day in new_days:
                db.session.add(
                    ReminderDelivery(invitation_id=invitation.id, reminder_day=day, sent_at=now)
                )
            _remind(invitation, now)
            sent += 1
    db.session.flush()
    return sent
