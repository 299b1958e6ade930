"""A bouncing address and an automatic reply as coordinators see them (issue 16): on the
contact, the recipients page, the follow-up dashboard and the outbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from coordinator.extensions import db
from coordinator.models import OutboxMessage
from coordinator.services.surveys.invitations import invite
from tests.factories import make_contact, make_member, make_organisation, make_survey
from tests.support import login

NOW = datetime.now(UTC)
NOTICE = "Adressen studsar – byt kontakt"


def test_a_bouncing_address_is_shown_wherever_it_matters(app, client_request):
    survey = make_survey(deadline_at=NOW + timedelta(days=30))
    org = make_organisation("Länsstyrelsen Gotland", "09")
    karin, nils = make_contact(org, name="Karin"), make_contact(org, name="Nils")
    invitations = invite(survey, [karin, nils], None, NOW)
    karin.bouncing_at, karin.bounce_reason = NOW, "5.1.1 smtp; 550 5.1.1 User unknown"
    invitations[1].auto_reply_at, invitations[1].auto_reply_until = NOW, "2 december"
    message = db.session.scalar(
        db.select(OutboxMessage).where(OutboxMessage.contact_id == karin.id)
    )
    message.state, message.bounced_at, message.last_error = "bounced", NOW, karin.bounce_reason
    db.session.commit()
    login(client_request.client, make_member(survey.project))

    contact_page = client_request.get(f"/contacts/{karin.id}").get_text()
    assert NOTICE in contact_page and "User unknown" in contact_page
    assert NOTICE in client_request.get("/contacts").get_text()
    dashboard = client_request.get(f"/surveys/{survey.id}/dashboard").get_text()
    assert f"{NOTICE}: Karin" in dashboard and "Frånvarande till 2 december" in dashboard
    page = client_request.post(
        f"/surveys/{survey.id}/recipients",
        {"contacts": [karin.id], "action": "preview"},
        status=200,
    )
    assert NOTICE in page.get_text() and "0 nya mottagare" in page.get_text()
    outbox = client_request.get("/outbox?state=bounced").get_text()
    assert "Studsade" in outbox and karin.email in outbox and nils.email not in outbox
