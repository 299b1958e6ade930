"""Issue 11, point 3: passing a survey on is no open relay and no register writer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from coordinator.extensions import db
from coordinator.models import Invitation, OutboxMessage
from coordinator.services.errors import RegisterError
from coordinator.services.register.seed import seed_reference_data
from coordinator.services.surveys.invitations import revoke, select_recipients
from coordinator.services.surveys.responses import pass_on_to_colleague
from tests.factories import make_contact, make_invitation, make_organisation, make_survey, make_user

NOW = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
LIMIT = 3


def _arrange(domains="lansstyrelsen.se"):
    survey = make_survey(deadline_at=NOW + timedelta(days=30))
    org = make_organisation("Länsstyrelsen Örebro", "18", mail_domains=domains)
    invitation, _ = make_invitation(survey, make_contact(org, email="anna@lansstyrelsen.se"))
    return survey, org, invitation


def _mail_to(address):
    return db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient_email == address))


def test_only_addresses_in_the_boards_own_domains(app):
    _, _, invitation = _arrange()
    for address in ("mallory@evil.example", "x@lansstyrelsen.se.evil.example"):
        with pytest.raises(RegisterError) as refused:
            pass_on_to_colleague(
                invitation, "Klicka här: https://evil.example", address, NOW, limit=LIMIT
            )
        assert "lansstyrelsen.se" in str(refused.value)
        assert _mail_to(address) is None
    colleague = pass_on_to_colleague(
        invitation, "Olle Ek", "olle.ek@lansstyrelsen.se", NOW, limit=LIMIT
    )
    assert colleague.contact.email == "olle.ek@lansstyrelsen.se"
    sub = pass_on_to_colleague(invitation, "Eva", "eva@t.lansstyrelsen.se", NOW, limit=LIMIT)
    assert sub.contact is not None


def test_an_organisation_without_domains_passes_nothing_on(app):
    _, _, invitation = _arrange(domains="")
    with pytest.raises(RegisterError):
        pass_on_to_colleague(invitation, "Olle", "olle@lansstyrelsen.se", NOW, limit=LIMIT)


def test_the_mail_to_the_colleague_greets_no_typed_text(app):
    _, _, invitation = _arrange()
    pass_on_to_colleague(
        invitation, "Klicka här: https://evil.example", "olle@lansstyrelsen.se", NOW, limit=LIMIT
    )
    mail = _mail_to("olle@lansstyrelsen.se")
    assert "evil.example" not in mail.text_body and "Klicka" not in mail.text_body
    assert "evil.example" not in (mail.html_body or "")
    assert "evil.example" not in (mail.recipient_name or "")
    assert mail.text_body.startswith("Hej!")


def test_a_contact_from_a_pass_on_is_marked_and_not_invited_with_its_organisation(app):
    survey, org, invitation = _arrange()
    colleague = pass_on_to_colleague(
        invitation, "Olle Ek", "olle@lansstyrelsen.se", NOW, limit=LIMIT
    )
    contact = colleague.contact
    assert contact.source == "pass_on" and contact.networks == []
    later = make_survey(deadline_at=NOW + timedelta(days=30))
    chosen = select_recipients(later, organisation_ids=[org.id]).contacts
    assert contact not in chosen and invitation.contact in chosen

    # Staff confirm it by saving it in the register.
    from coordinator.services.register.entries import save_contact

    save_contact(
        contact,
        name="Olle Ek",
        email=contact.email,
        organisation_id=org.id,
        actor=make_user("coordinator"),
        now=NOW,
    )
    assert contact.source == "staff"
    assert contact in select_recipients(later, organisation_ids=[org.id]).contacts


def test_a_revoked_invitation_stays_revoked(app):
    survey, org, invitation = _arrange()
    olle = make_contact(org, email="olle@lansstyrelsen.se")
    revoked, _ = make_invitation(survey, olle)
    revoke(revoked, make_user("coordinator"), NOW)
    with pytest.raises(RegisterError):
        pass_on_to_colleague(invitation, "Olle", "olle@lansstyrelsen.se", NOW, limit=LIMIT)
    assert revoked.revoked_at == NOW


def test_pass_on_is_limited_per_link(app):
    survey, _, invitation = _arrange()
    limit = LIMIT
    for i in range(limit):
        pass_on_to_colleague(invitation, f"K {i}", f"k{i}@lansstyrelsen.se", NOW, limit=LIMIT)
    with pytest.raises(RegisterError):
        pass_on_to_colleague(invitation, "En till", "entill@lansstyrelsen.se", NOW, limit=LIMIT)
    count = select(func.count()).select_from(Invitation).where(Invitation.survey_id == survey.id)
    assert db.session.scalar(count) == limit + 1


def test_staff_keep_an_organisations_mail_domains_on_its_form(app, client_request):
    from tests.support import login

    org = make_organisation("Skogsstyrelsen", kind="agency")
    login(client_request.client, make_user("admin"))
    data = {"name": "Skogsstyrelsen", "kind": "agency", "county_code": ""}
    page = client_request.post(
        f"/organisations/{org.id}/edit", {**data, "mail_domains": "inte en domän"}, status=200
    )
    assert "ingen e-postdomän" in page.find(class_="error-summary").get_text()
    client_request.post(
        f"/organisations/{org.id}/edit",
        {**data, "mail_domains": "@Skogsstyrelsen.se, skogsstyrelsen.se\nsks.se"},
    )
    assert org.mail_domains == "skogsstyrelsen.se sks.se"
    page = client_request.get(f"/organisations/{org.id}/edit")
    assert page.find("input", attrs={"name": "mail_domains"})["value"] == org.mail_domains


def test_seeded_county_boards_have_their_domain(app):
    from coordinator.models import Organisation

    seed_reference_data()
    boards = db.session.scalars(select(Organisation).where(Organisation.kind == "county_board"))
    assert {b.mail_domains for b in boards} == {"lansstyrelsen.se"}
