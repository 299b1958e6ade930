"""The PDFs over HTTP: the respondent's own receipt, and staff's handout, receipts and zip."""

import io
import zipfile
from datetime import UTC, datetime, timedelta

from pypdf import PdfReader
from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import OutboxMessage
from coordinator.services.surveys.responses import (
    AnswerInput,
    get_or_create_response,
    queue_receipt,
    save_answers,
    submit_response,
)
from tests.factories import make_contact, make_invitation, make_organisation, make_survey, make_user
from tests.support import login

FUTURE = datetime.now(UTC) + timedelta(days=30)


def _text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def _submitted(survey, name, code, comment, submit=True):
    invitation, token = make_invitation(survey, make_contact(make_organisation(name, code)))
    response = get_or_create_response(invitation, datetime.now(UTC))
    q = {q.number: q.id for q in survey.questions}
    answers = {q["1"]: AnswerInput("yes", comment), q["2a"]: AnswerInput(text="Exempel")}
    save_answers(response, answers, None, datetime.now(UTC))
    if submit:
        assert submit_response(response, datetime.now(UTC)) == {}
    return response, token


def _arrange():
    survey = make_survey(deadline_at=FUTURE)
    skane, skane_token = _submitted(survey, "Länsstyrelsen i Skåne län", "12", "Från Skåne")
    _, dalarna_token = _submitted(survey, "Länsstyrelsen Dalarna", "20", "Från Dalarna")
    _, draft_token = _submitted(survey, "Länsstyrelsen Gotland", "09", "Utkast", submit=False)
    db.session.commit()
    return survey, skane, skane_token, dalarna_token, draft_token


def test_respondent_downloads_only_their_own_submitted_answers(app, client, client_request):
    survey, skane, skane_token, dalarna_token, draft_token = _arrange()
    page = client_request.get(f"/r/{skane_token}/done")
    link = page.find("a", string="Ladda ner svaren som PDF")
    assert link["href"] == f"/r/{skane_token}/receipt.pdf"
    reply = client.get(link["href"])
    assert reply.status_code == 200 and reply.mimetype == "application/pdf"
    assert reply.headers["Content-Disposition"] == (
        "attachment; filename=12_Lansstyrelsen_i_Skane_lan.pdf"
    )
    assert reply.headers["Cache-Control"] == "no-store"
    text = _text(reply.data)
    assert "Från Skåne" in text and "Från Dalarna" not in text
    assert "Från Dalarna" in _text(client.get(f"/r/{dalarna_token}/receipt.pdf").data)
    # A draft has no receipt yet; a made-up token reaches nothing.
    assert client.get(f"/r/{draft_token}/receipt.pdf").location == f"/r/{draft_token}"
    assert client.get("/r/" + "x" * 43 + "/receipt.pdf").status_code == 404


def test_receipt_mail_links_to_the_pdf(app):
    survey, skane, *_ = _arrange()
    queue_receipt(skane, datetime.now(UTC))
    db.session.commit()
    mail = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.cause_type == "receipt")
    ).one()
    assert "Ladda ner svaren som PDF:" in mail.text_body
    (marker,) = [m for m, spec in mail.secret_links.items() if spec[0] == "invitation"]
    assert f"/r/{marker}/receipt.pdf" in mail.text_body
    assert f'href="http://localhost/r/{marker}/receipt.pdf"' in mail.html_body


def test_staff_download_the_handout_a_receipt_and_the_zip(app, client, client_request):
    survey, skane, *_ = _arrange()
    login(client, make_user("viewer"))
    page = client_request.get(f"/surveys/{survey.id}/results?timing=on_time")
    handout = page.find("a", string="Ladda ner workshopunderlag (PDF)")
    assert handout["href"] == f"/surveys/{survey.id}/handout.pdf?timing=on_time"
    with client.get(handout["href"]) as reply:
        assert reply.status_code == 200 and reply.mimetype == "application/pdf"
        disposition = reply.headers["Content-Disposition"]
        text = _text(reply.data)
    assert "filename*=UTF-8''Workshopunderlag%20Enk%C3%A4t" in disposition
    assert "Workshopunderlag" in text and "Från Skåne" in text and "Från Dalarna" in text

    organisation_page = client_request.get(
        f"/surveys/{survey.id}/organisations/{skane.organisation_id}"
    )
    link = organisation_page.find("a", href=f"/surveys/responses/{skane.id}/receipt.pdf")
    assert link is not None
    with client.get(link["href"]) as receipt:
        assert receipt.status_code == 200 and "Från Skåne" in _text(receipt.data)

    zip_link = page.find("a", string="Ladda ner varje inskickat svar som PDF (zip)")
    with client.get(zip_link["href"]) as reply:
        assert reply.status_code == 200 and reply.mimetype == "application/zip"
        data = reply.data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == [
            "12_Lansstyrelsen_i_Skane_lan.pdf",
            "20_Lansstyrelsen_Dalarna.pdf",
        ]


def test_results_page_says_how_long_a_large_surveys_pdfs_take(
    app, client, client_request, monkeypatch
):
    survey, *_ = _arrange()
    login(client, make_user("viewer"))
    page = client_request.get(f"/surveys/{survey.id}/results")
    assert page.find(id="pdf-wait") is None  # two answers: no wait worth a word
    # As if each response took 40 s: two responses, about two minutes.
    monkeypatch.setattr("coordinator.services.results.pdf.SECONDS_PER_RESPONSE", 40)
    page = client_request.get(f"/surveys/{survey.id}/results")
    assert " ".join(page.find(id="pdf-wait").text.split()) == (
        "Workshopunderlaget och zip-filen görs medan du väntar. Med 2 svar tar det omkring"
        " 2 min, längre när servern har mycket att göra. Klicka bara en gång."
    )
