"""The e-mail text editor over HTTP: what it starts from, how it refuses a text, the
preview for a real recipient, saving and going back to the built-in text."""

import re

from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import AuditEvent, Invitation
from coordinator.models.types import utcnow
from coordinator.services.mail.sender import send_due_messages
from coordinator.services.surveys.mail_texts import built_in_text, editable_text
from tests.factories import (
    make_contact,
    make_invitation,
    make_member,
    make_organisation,
    make_survey,
)
from tests.support import login


def survey_invitations(survey):
    return db.session.scalars(select(Invitation).where(Invitation.survey_id == survey.id))


def _arrange(client_request):
    survey = make_survey()
    contact = make_contact(make_organisation("Länsstyrelsen i Skåne", "12"), name="Karin <Ek>")
    make_invitation(survey, contact)
    db.session.commit()
    login(client_request.client, make_member(survey.project))
    return survey, f"/surveys/{survey.id}/mail-texts/reminder"


def test_the_editor_starts_from_the_built_in_text_with_the_placeholders_listed(client_request):
    survey, url = _arrange(client_request)
    page = client_request.get(url)
    assert page.find("input", {"name": "subject"})["value"] == built_in_text("reminder", "sv")[0]
    assert (
        page.find("textarea", {"name": "body"}).get_text().strip()
        == built_in_text("reminder", "sv")[1].strip()
    )
    listed = [code.get_text() for code in page.select(".placeholder-list code")]
    assert listed == [
        "{namn}",
        "{organisation}",
        "{enkät}",
        "{projekt}",
        "{sista_dag}",
        "{svarstid}",
        "{länk}",
    ]
    overview = client_request.get(f"/surveys/{survey.id}/mail-texts").get_text()
    assert "Standardtext" in overview and "Egen text" not in overview


def test_a_text_without_the_link_is_refused_at_the_field(client_request):
    survey, url = _arrange(client_request)
    page = client_request.post(
        url, {"subject": "Påminnelse", "body": "Hej {namn}!", "action": "save"}, status=200
    )
    assert page.title.get_text().startswith("Fel")
    summary = page.select_one(".error-summary a")
    assert summary["href"] == "#body" and "{länk}" in summary.get_text()
    assert editable_text(survey, "reminder")[2] is False


def test_an_unknown_placeholder_is_refused(client_request):
    _survey, url = _arrange(client_request)
    page = client_request.post(
        url, {"subject": "Hej {mottagare}", "body": "{länk}", "action": "preview"}, status=200
    )
    assert "Okänd platshållare {mottagare}" in page.select_one("#subject-error").get_text()


def test_the_preview_shows_a_real_recipient_escaped_and_saves_nothing(client_request):
    survey, url = _arrange(client_request)
    page = client_request.post(
        url,
        {"subject": "Till {namn}", "body": "# Hej\n\nHej **{namn}**! {länk}", "action": "preview"},
        status=200,
    )
    preview = page.select_one(".mail-preview")
    assert "Till Karin <Ek>" in preview.get_text()
    html = str(preview.select_one(".mail-html"))
    assert "<strong>Karin &lt;Ek&gt;</strong>" in html
    assert 'href="http://localhost/r/…"' in html
    # The text part reads as plain text: no heading marks, no stars.
    assert preview.select_one("pre").get_text() == "Hej\n\nHej Karin <Ek>! http://localhost/r/…"
    assert preview.select_one(".mail-html h4").get_text() == "Hej"  # under "Som HTML", an h3
    assert editable_text(survey, "reminder")[2] is False


def test_saving_and_going_back_to_the_built_in_text(client_request):
    survey, url = _arrange(client_request)
    assert (
        client_request.post(url, {"subject": "Glöm inte", "body": "{länk}", "action": "save"})
        == f"/surveys/{survey.id}/mail-texts"
    )
    assert editable_text(survey, "reminder") == ("Glöm inte", "{länk}", True)
    assert "Egen text" in client_request.get(f"/surveys/{survey.id}/mail-texts").get_text()
    assert db.session.query(AuditEvent).filter_by(action="survey.mail_text").count() == 1
    client_request.post(f"{url}/reset")
    assert editable_text(survey, "reminder") == (*built_in_text("reminder", "sv"), False)


def test_an_unknown_kind_of_mail_is_not_found(client_request):
    survey, _url = _arrange(client_request)
    client_request.get(f"/surveys/{survey.id}/mail-texts/newsletter", status=404)


def test_an_edited_reminder_arrives_over_smtp_with_a_working_link(client_request, smtp_server):
    survey, url = _arrange(client_request)
    body = "Hej {namn}!\n\n**{organisation}** har inte svarat. Svara senast {sista_dag}:\n{länk}\n"
    client_request.post(url, {"subject": "Glöm inte {enkät}", "body": body, "action": "save"})
    client_request.post(
        f"/surveys/{survey.id}/reminders",
        {"invitations": [i.id for i in survey_invitations(survey)]},
    )
    send_due_messages(utcnow())
    [sent] = smtp_server.messages
    assert sent["Subject"] == f"Glöm inte {survey.title}"
    assert sent.is_multipart()
    text = sent.get_body(("plain",)).get_content()
    html = sent.get_body(("html",)).get_content()
    assert "Hej Karin <Ek>!\n\nLänsstyrelsen i Skåne har inte svarat" in text
    assert "<strong>Länsstyrelsen i Skåne</strong>" in html and "Karin &lt;Ek&gt;" in html
    token = re.search(r"http://localhost/r/(\S+)", text)[1]
    assert f'href="http://localhost/r/{token}"' in html
    client_request.post("/logout")
    assert survey.title in client_request.get(f"/r/{token}").get_text()


def test_the_reminder_page_previews_the_edited_text(client_request):
    survey, url = _arrange(client_request)
    before = client_request.get(f"/surveys/{survey.id}/reminders").select_one(".mail-body")
    assert "En påminnelse: vi har ännu inte fått något svar" in before.get_text()
    client_request.post(
        url, {"subject": "Glöm inte", "body": "Hej {namn}! {länk}", "action": "save"}
    )
    after = client_request.get(f"/surveys/{survey.id}/reminders").select_one(".mail-body")
    assert after.get_text().startswith("Hej Karin <Ek>! (personlig länk)")


def test_the_results_shared_preview_links_to_the_boards_results(client_request):
    survey, _url = _arrange(client_request)
    page = client_request.post(
        f"/surveys/{survey.id}/mail-texts/results_shared",
        {"subject": "Resultat", "body": "{länk}", "action": "preview"},
        status=200,
    )
    assert page.select_one(".mail-preview pre").get_text() == "http://localhost/r/…/results"
