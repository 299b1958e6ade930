"""Who gets a reminder, and nobody twice."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from coordinator.extensions import db
from coordinator.models import OutboxMessage, ReminderDelivery, Response
from coordinator.services.mail.secret_links import fill, tokens_for
from coordinator.services.surveys.invitations import find_invitation_by_token
from coordinator.services.surveys.reminders import (
    pending_count,
    pending_invitations,
    send_reminders,
    send_scheduled_reminders,
)
from coordinator.services.surveys.responses import (
    AnswerInput,
    get_or_create_response,
    save_answers,
    submit_response,
)
from tests.factories import make_contact, make_invitation, make_organisation, make_survey

DEADLINE = datetime(2018, 8, 23, 21, 59, tzinfo=UTC)


def _arrange():
    survey = make_survey(deadline_at=DEADLINE)
    survey.reminder_days = [-7, -2, 1]
    skane, dalarna = make_organisation("Skåne", "12"), make_organisation("Dalarna", "20")
    created = DEADLINE - timedelta(days=20)
    inv_skane, token = make_invitation(survey, make_contact(skane))
    inv_dalarna, _ = make_invitation(survey, make_contact(dalarna))
    inv_skane.created_at = inv_dalarna.created_at = created
    db.session.flush()
    return survey, inv_skane, inv_dalarna, token


def _reminders():
    return list(
        db.session.scalars(select(OutboxMessage).where(OutboxMessage.cause_type == "reminder"))
    )


def test_scheduled_reminders_each_day_once_never_after_submit(app):
    survey, skane, dalarna, token = _arrange()
    assert send_scheduled_reminders(DEADLINE - timedelta(days=8)) == 0
    assert send_scheduled_reminders(DEADLINE - timedelta(days=7)) == 2
    assert send_scheduled_reminders(DEADLINE - timedelta(days=6)) == 0  # not twice
    # Skåne submits; Dalarna does not.
    q = {q.number: q for q in survey.questions}
    response = get_or_create_response(skane, DEADLINE - timedelta(days=5))
    save_answers(
        response,
        {q["1"].id: AnswerInput(choice="yes"), q["2a"].id: AnswerInput(text="Ja")},
        response.version,
        DEADLINE - timedelta(days=5),
    )
    assert submit_response(response, DEADLINE - timedelta(days=5)) == {}
    assert send_scheduled_reminders(DEADLINE - timedelta(days=2)) == 1
    assert send_scheduled_reminders(DEADLINE + timedelta(days=3)) == 1
    assert send_scheduled_reminders(DEADLINE + timedelta(days=4)) == 0
    reminders = _reminders()
    assert sorted(m.recipient_email for m in reminders).count(skane.contact.email) == 1
    assert dalarna.reminded_count == 3
    assert find_invitation_by_token(token) is skane  # the link in the reminder is the same
    reminder = next(m for m in reminders if m.recipient_email == skane.contact.email)
    assert token not in reminder.text_body  # stored without it; the sender puts it in
    assert token in fill(reminder.text_body, tokens_for([reminder]))


def test_no_reminders_once_the_survey_is_closed(app):
    survey, *_ = _arrange()
    survey.state = "closed"
    assert send_scheduled_reminders(DEADLINE) == 0
    assert send_reminders(survey, pending_invitations(survey), None, DEADLINE) == 0


def test_manual_reminder_to_those_who_have_not_submitted(app):
    survey, skane, dalarna, _ = _arrange()
    assert {i.id for i in pending_invitations(survey)} == {skane.id, dalarna.id}
    assert (
        send_reminders(survey, pending_invitations(survey), None, DEADLINE - timedelta(days=3)) == 2
    )
    assert len(_reminders()) == 2


def test_nobody_at_an_organisation_that_submitted_revoked_or_opted_out(app):
    survey, skane, dalarna, _ = _arrange()
    colleague, _token = make_invitation(survey, make_contact(skane.organisation))
    gone, _token = make_invitation(survey, make_contact(make_organisation("Gotland", "09")))
    gone.contact.opted_out_at = DEADLINE
    revoked, _token = make_invitation(survey, make_contact(make_organisation("Kalmar", "08")))
    revoked.revoked_at = DEADLINE
    for invitation in (colleague, gone, revoked):
        invitation.created_at = skane.created_at
    db.session.add(
        Response(
            survey=survey,
            organisation_id=skane.organisation_id,
            invitation=skane,
            state="submitted",
        )
    )
    db.session.flush()
    assert [i.id for i in pending_invitations(survey)] == [dalarna.id]
    assert pending_count(survey) == 1
    assert send_scheduled_reminders(DEADLINE - timedelta(days=7)) == 1
    assert [m.recipient_email for m in _reminders()] == [dalarna.contact.email]
    assert send_reminders(survey, [colleague, revoked], None, DEADLINE) == 0


def test_no_scheduled_reminder_after_the_closing_time(app):
    survey, *_ = _arrange()
    survey.closes_at = DEADLINE + timedelta(hours=12)
    assert send_scheduled_reminders(DEADLINE + timedelta(days=1)) == 0
    assert db.session.scalar(select(func.count(ReminderDelivery.id))) == 0


def test_tick_sends_the_scheduled_reminders(app, runner):
    now = datetime.now(UTC)
    survey, skane, dalarna, _ = _arrange()
    survey.deadline_at = now + timedelta(days=2, minutes=-1)  # "-2" came a minute ago
    survey.reminder_days = [-2]
    db.session.commit()
    result = runner.invoke(args=["tick"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert skane.reminded_count == dalarna.reminded_count == 1
    assert runner.invoke(args=["tick"]).exit_code == 0
    db.session.expire_all()
    assert len(_reminders()) == 2
