from datetime import UTC, datetime, timedelta
from io import BytesIO

from openpyxl import load_workbook

from coordinator.extensions import db
from coordinator.models import Answer, OutboxMessage, Project, Question, Response, Survey
from coordinator.services.register.personal_data import (
    apply_retention,
    erase_personal_data,
    export_personal_data,
    find_personal_data,
)
from tests.factories import make_contact, make_organisation, make_user

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def _survey(state="open", closed_at=None):
    survey = Survey(
        project=Project(title="P", slug=f"p-{state}-{closed_at}"),
        title="Enkät",
        deadline_at=NOW,
        state=state,
        closed_at=closed_at,
    )
    survey.questions = [Question(number="1", text="Fråga", kind="long_text")]
    db.session.add(survey)
    db.session.flush()
    return survey


def _response(survey, org, name, email):
    response = Response(
        survey=survey,
        organisation=org,
        respondent_name=name,
        respondent_email=email,
        state="submitted",
        submitted_at=NOW,
    )
    response.answers = [Answer(question=survey.questions[0], text="Vi har ett klimatråd.")]
    db.session.add(response)
    db.session.flush()
    return response


def test_find_export_and_erase_everything_about_one_address(app):
    admin = make_user("admin")
    org = make_organisation("Länsstyrelsen Skåne", "12")
    contact = make_contact(org, name="Karin Berg", email="karin.berg@example.org")
    other = make_contact(org, name="Olle Ek", email="olle.ek@example.org")
    survey = _survey()
    response = _response(survey, org, "Karin Berg", "Karin.Berg@example.org")
    kept = _response(survey, org, "Olle Ek", "olle.ek@example.org")
    db.session.add(
        OutboxMessage(
            recipient_email="karin.berg@example.org",
            subject='=HYPERLINK("x")',
            text_body="Hej Karin",
            contact_id=contact.id,
        )
    )
    db.session.flush()

    data = find_personal_data(" KARIN.BERG@example.org ")
    assert data.contacts == [contact] and data.responses == [response] and len(data.messages) == 1

    workbook = load_workbook(BytesIO(export_personal_data(data)))
    assert workbook.sheetnames == ["Kontakter", "Konton", "Inbjudningar", "Svar", "E-post"]
    assert workbook["Kontakter"]["A2"].value == "Karin Berg"
    subject = workbook["E-post"]["B2"]
    assert subject.value == '=HYPERLINK("x")' and subject.data_type == "s"

    counts = erase_personal_data(data, admin, now=NOW)
    assert counts == {"contacts": 1, "responses": 1, "messages": 1, "users": 0}
    assert contact.email is None and contact.name == "Raderad kontakt"
    assert response.respondent_name == "" and response.respondent_email is None
    assert response.answers[0].text == "Vi har ett klimatråd."  # the board's answer stays
    assert response.organisation is org
    assert kept.respondent_name == "Olle Ek" and other.email == "olle.ek@example.org"
    assert find_personal_data("karin.berg@example.org").empty


def test_retention_clears_respondents_of_long_closed_surveys_only(app):
    org = make_organisation("Länsstyrelsen Dalarna", "20")
    old = _survey("closed", closed_at=NOW - timedelta(days=400))
    recent = _survey("closed", closed_at=NOW - timedelta(days=30))
    still_open = _survey("open")
    old_response = _response(old, org, "A", "a@example.org")
    recent_response = _response(recent, org, "B", "b@example.org")
    open_response = _response(still_open, org, "C", "c@example.org")

    assert apply_retention(12, now=NOW) == 1
    db.session.expire_all()
    assert (old_response.respondent_name, old_response.respondent_email) == ("", None)
    assert old_response.answers[0].text == "Vi har ett klimatråd."
    assert recent_response.respondent_email == "b@example.org"
    assert open_response.respondent_email == "c@example.org"
    assert apply_retention(12, now=NOW) == 0


def test_erasing_a_person_clears_what_came_back_for_their_mail(app):
    from coordinator.models import InboundMessage

    contact = make_contact(make_organisation(), email="karin@lst.example")
    reason = "5.1.1 smtp; 550 5.1.1 <karin@lst.example>: User unknown"
    message = OutboxMessage(
        recipient_email=contact.email,
        contact_id=contact.id,
        subject="Inbjudan",
        text_body="Hej",
        state="bounced",
        bounced_at=NOW,
        last_error=reason,
    )
    db.session.add(message)
    db.session.flush()
    db.session.add(
        InboundMessage(key="k", kind="hard_bounce", outbox_message_id=message.id, detail=reason)
    )
    contact.bouncing_at, contact.bounce_reason = NOW, reason
    db.session.flush()
    erase_personal_data(find_personal_data("karin@lst.example"), make_user("admin"), now=NOW)
    db.session.expire_all()
    assert not contact.bouncing and contact.bounce_reason == ""
    assert message.last_error == ""
    assert db.session.scalar(db.select(InboundMessage.detail)) == ""


def _mentions(event, *words):
    import json

    text = " ".join(
        [event.summary, event.actor_label, json.dumps(event.details, ensure_ascii=False)]
    )
    return any(word in text for word in words)


def test_erasing_a_contact_pseudonymises_the_audit_trail_and_revokes_the_links(app):
    """Issue 11, point 14."""
    from sqlalchemy import select

    from coordinator.models import AuditEvent
    from coordinator.services.register.entries import erase_contact, save_contact
    from coordinator.services.surveys.invitations import find_invitation_by_token
    from tests.factories import make_invitation, make_survey

    admin = make_user("admin")
    org = make_organisation("Länsstyrelsen Gotland", "09")
    other = make_contact(org, name="Bo Berg", email="bo@example.org")
    contact = save_contact(
        None,
        name="Åsa Lind",
        email="asa.lind@example.org",
        organisation_id=org.id,
        title="Miljömålssamordnare",
        phone="",
        network_ids=[],
        opted_out=False,
        actor=admin,
        now=NOW,
    )
    save_contact(
        contact,
        name="Åsa Lind-Berg",
        email="asa.lind@example.org",
        organisation_id=org.id,
        title="Samordnare",
        phone="",
        network_ids=[],
        opted_out=False,
        actor=admin,
        now=NOW,
    )
    survey = make_survey()
    invitation, token = make_invitation(survey, contact)
    _, other_token = make_invitation(survey, other)
    assert find_invitation_by_token(token) is invitation

    erase_contact(contact, admin, NOW)
    db.session.flush()

    events = list(db.session.scalars(select(AuditEvent)))
    assert events and not [e for e in events if _mentions(e, "Åsa", "asa.lind@")]
    assert invitation.revoked_at == NOW
    assert find_invitation_by_token(token) is None
    assert find_invitation_by_token(other_token) is not None  # others' links still open


def test_erasing_a_staff_member_pseudonymises_them_as_an_actor(app):
    from sqlalchemy import select

    from coordinator.models import AuditEvent
    from coordinator.services.audit import record_event

    admin = make_user("admin")
    leaver = make_user("coordinator", email="leaver@example.org", name="Lea Ver")
    record_event(leaver, "survey.update", "survey", 1, "Ändrade titel", now=NOW)
    erase_personal_data(find_personal_data("leaver@example.org"), admin, NOW)
    events = list(db.session.scalars(select(AuditEvent)))
    assert not [e for e in events if _mentions(e, "leaver@", "Lea Ver")]
    assert any(e.action == "survey.update" for e in events)  # the event itself stays
