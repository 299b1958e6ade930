"""Choosing recipients, one invitation per contact, and finding an invitation by its token."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import Invitation, OutboxMessage
from coordinator.services.errors import PastDeadlineError, SurveyError
from coordinator.services.surveys.invitations import (
    create_invitation,
    find_invitation_by_token,
    invite,
    resend_link,
    revoke,
    select_recipients,
)
from coordinator.services.surveys.reminders import send_reminders
from coordinator.services.surveys.states import extend_deadline
from tests.factories import (
    make_contact,
    make_invitation,
    make_network,
    make_organisation,
    make_survey,
    make_user,
)

NOW = datetime(2018, 8, 1, 8, 0, tzinfo=UTC)


def test_token_look_up_reaches_only_its_own_live_invitation(app):
    survey, other_survey = make_survey(), make_survey()
    invitation, token = make_invitation(survey)
    other, other_token = make_invitation(other_survey)
    assert find_invitation_by_token(token) is invitation
    assert find_invitation_by_token(other_token) is other
    assert other_token != token
    for wrong in ("", "x" * 300, token[:-1], token + "x", invitation.token_hash):
        assert find_invitation_by_token(wrong) is None
    assert len(token) >= 43  # 256 bits, URL-safe base64
    assert token not in (invitation.token_hash, invitation.token_nonce)
    revoke(invitation, make_user(), NOW)
    assert find_invitation_by_token(token) is None
    draft = make_survey(state="draft")
    _, draft_token = make_invitation(draft)
    assert find_invitation_by_token(draft_token) is None


def test_a_contact_is_invited_once_and_a_revoked_one_gets_a_new_link(app):
    survey = make_survey()
    contact = make_contact()
    invitation, token = create_invitation(survey, contact, None, NOW)
    with pytest.raises(SurveyError):
        create_invitation(survey, contact, None, NOW)
    revoke(invitation, make_user(), NOW)
    again, new_token = create_invitation(survey, contact, None, NOW)
    assert again is invitation and not again.revoked and new_token != token
    assert find_invitation_by_token(new_token) is invitation
    assert find_invitation_by_token(token) is None
    assert db.session.scalar(select(db.func.count(Invitation.id))) == 1


def test_resend_gives_a_new_link_and_a_new_mail(app):
    survey = make_survey()
    invitation, token = make_invitation(survey)
    resend_link(invitation, make_user(), NOW)
    assert find_invitation_by_token(token) is None
    message = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.cause_type == "invitation")
    )
    assert message is not None and message.cause_id == invitation.id
    assert "/r/" in message.text_body and token not in message.text_body


def test_recipients_without_duplicates_opted_out_or_already_invited(app):
    survey = make_survey()
    skane, dalarna = make_organisation("Skåne", "12"), make_organisation("Dalarna", "20")
    anna, bo = make_contact(skane, name="Anna"), make_contact(skane, name="Bo")
    cecilia = make_contact(dalarna, name="Cecilia")
    gone = make_contact(dalarna, name="Gunnar", opted_out_at=NOW)
    network = make_network(members=[anna, cecilia, gone])
    make_invitation(survey, bo)
    selection = select_recipients(
        survey, network_ids=[network.id], organisation_ids=[skane.id], contact_ids=[cecilia.id]
    )
    assert [c.name for c in selection.contacts] == ["Anna", "Cecilia"]
    assert selection.duplicates == 2  # Anna via organisation, Cecilia picked alone
    assert [c.name for c in selection.already_invited] == ["Bo"]
    assert [c.name for c in selection.opted_out] == ["Gunnar"]
    invitations = invite(survey, selection.contacts, make_user(), NOW)
    assert all(i.sent_at == NOW for i in invitations)
    mails = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [m.recipient_email for m in mails] == [anna.email, cecilia.email]
    assert {m.organisation_id for m in mails} == {skane.id, dalarna.id}
    again = select_recipients(survey, network_ids=[network.id])
    assert again.contacts == []


def test_mail_shows_the_organisations_own_deadline(app):
    survey = make_survey()  # deadline 23 August 2018
    survey.deadline_note = "Sena svar är också välkomna."
    invitation, _ = make_invitation(survey)
    extend_deadline(
        survey, invitation.organisation_id, datetime(2018, 8, 30, 10, 0, tzinfo=UTC), None, NOW
    )
    resend_link(invitation, make_user(), NOW)
    send_reminders(survey, [invitation], None, NOW)
    invitation_mail, reminder = db.session.scalars(
        select(OutboxMessage).order_by(OutboxMessage.id)
    ).all()
    for message in (invitation_mail, reminder):
        assert "30 augusti 2018" in message.text_body and "23 augusti" not in message.text_body
    assert "Sena svar är också välkomna." in reminder.text_body


def test_inviting_after_the_deadline_needs_a_confirmation(app):
    survey = make_survey(deadline_at=NOW - timedelta(days=1))
    skane, dalarna = make_organisation("Skåne", "12"), make_organisation("Dalarna", "20")
    extend_deadline(survey, skane.id, NOW + timedelta(days=7), make_user(), NOW)
    anna, cecilia = make_contact(skane, name="Anna"), make_contact(dalarna, name="Cecilia")
    assert len(invite(survey, [anna], make_user(), NOW)) == 1  # Skåne has more time
    with pytest.raises(PastDeadlineError) as refused:
        invite(survey, [cecilia], make_user(), NOW)
    assert refused.value.deadline == survey.deadline_at
    assert invite(survey, [cecilia], make_user(), NOW, past_deadline_confirmed=True)
