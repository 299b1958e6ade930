"""The results pages and downloads over HTTP, and workshop notes made into meeting notes."""

import io
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from openpyxl import load_workbook

from coordinator.extensions import db
from coordinator.models import AuditEvent, Meeting, NoteRevision
from coordinator.services.surveys.responses import (
    AnswerInput,
    get_or_create_response,
    save_answers,
    submit_response,
)
from tests.factories import (
    make_contact,
    make_invitation,
    make_meeting,
    make_organisation,
    make_survey,
    make_user,
)
from tests.support import login

DEADLINE = datetime(2018, 8, 23, 21, 59, tzinfo=UTC)


def _survey():
    survey = make_survey(deadline_at=DEADLINE)
    q = {q.number: q.id for q in survey.questions}
    for code, name, choice, late in (
        ("12", "Skåne", "yes", False),
        ("20", "Dalarna", "no", True),
        ("14", "Västra Götaland", "yes", False),
    ):
        invitation, _ = make_invitation(
            survey, make_contact(make_organisation(f"Länsstyrelsen {name}", code))
        )
        at = DEADLINE + (timedelta(days=2) if late else -timedelta(days=1))
        response = get_or_create_response(invitation, at)
        save_answers(
            response,
            {
                q["1"]: AnswerInput(choice, f"<b>Kommentar</b> från {name}"),
                q["2a"]: AnswerInput(text=f"Exempel från {name}"),
                q["3"]: AnswerInput(options=["C"]),
            },
            None,
            at,
        )
        submit_response(response, at)
    db.session.commit()
    return survey


def test_viewer_reads_results_with_charts_tables_and_free_text(app, client, client_request):
    survey = _survey()
    login(client, make_user("viewer"))
    page = client_request.get(f"/surveys/{survey.id}/results")
    sections = page.select("section.result")
    assert len(sections) == 4
    first = sections[0]
    svg = first.find("svg")
    title = svg.find("title")
    assert svg["role"] == "img" and svg["aria-labelledby"] == title["id"]
    assert not page.select("[style]") and not page.find("style")
    assert [t.get_text() for t in svg.select("text.chart-value")] == ["2", "1"]
    rows = [(r.th.get_text(), r.td.get_text()) for r in first.select("table tbody tr")]
    assert rows == [("Ja", "2"), ("Nej", "1")]
    assert first.select_one("table tfoot td").get_text() == "0"
    texts = [d.get_text() for d in first.select("dd")]
    assert "<b>Kommentar</b> från Dalarna" in texts  # escaped, shown as typed
    assert "Exempel från Skåne" in sections[1].get_text()
    assert "3 svar ingår." in page.get_text()

    late = client_request.get(f"/surveys/{survey.id}/results?timing=late")
    assert "1 svar ingår." in late.get_text()
    assert [t.get_text() for t in late.select("text.chart-value")][:2] == ["0", "1"]


def test_downloads_are_named_for_the_survey(app, client):
    survey = _survey()
    login(client, make_user("coordinator"))
    with client.get(f"/surveys/{survey.id}/export.xlsx?coordinated=1") as response:
        assert response.status_code == 200
        data = response.data
    assert response.mimetype.endswith("spreadsheetml.sheet")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="Enk_t_om_n_ringslivet_')
    assert f"filename*=UTF-8''{quote('Enkät om näringslivet')}%20" in disposition
    assert load_workbook(io.BytesIO(data))["Alla svar"].max_row == 4

    with client.get(f"/surveys/{survey.id}/export.csv") as csv_response:
        csv_data = csv_response.data
    assert (
        csv_data.startswith(b"\xef\xbb\xbf")
        and ".csv" in csv_response.headers["Content-Disposition"]
    )
    notes = client.get(f"/surveys/{survey.id}/workshop-notes?download=1")
    assert notes.mimetype == "text/markdown"
    assert "## 1. Har ni strategier?" in notes.get_data(as_text=True)
    assert client.get("/surveys/999999/export.xlsx").status_code == 404


def test_member_creates_meeting_notes_from_the_results(app, client, client_request):
    survey = _survey()
    member = make_user("coordinator")
    survey.project.members = [member]
    meeting, _ = make_meeting(survey.project, member, notes="Dagordning: resultaten.")
    meeting_id = meeting.id
    db.session.commit()
    login(client, member)

    page = client_request.get(f"/surveys/{survey.id}/workshop-notes")
    assert page.find("textarea", id="notes").get_text().startswith("# Workshop: Enkät")
    options = [o.get_text() for o in page.select("select#meeting option")]
    assert options == [f"{meeting.title} (2018-09-18 09:00)"]

    location = client_request.post(
        f"/surveys/{survey.id}/workshop-notes", {"meeting": str(meeting_id)}
    )
    assert location == f"/meetings/{meeting_id}/notes"
    db.session.expire_all()
    revisions = db.session.get(Meeting, meeting_id).revisions
    assert len(revisions) == 2
    text = revisions[-1].text
    assert text.startswith("Dagordning: resultaten.\n\n# Workshop: Enkät om näringslivet")
    assert (
        "- Ja: 2" in text and "- **Länsstyrelsen Dalarna:** <b>Kommentar</b> från Dalarna" in text
    )
    assert revisions[-1].published  # as the notes were
    assert db.session.query(AuditEvent).filter_by(action="results.workshop_notes").count() == 1

    error = client_request.post(f"/surveys/{survey.id}/workshop-notes", {}, status=200)
    assert error.title.get_text().startswith("Fel: ")
    assert error.select_one(".error-summary a")["href"] == "#meeting"
    assert db.session.query(NoteRevision).count() == 2


def test_viewer_sees_no_notes_form(app, client, client_request):
    survey = _survey()
    login(client, make_user("viewer"))
    page = client_request.get(f"/surveys/{survey.id}/workshop-notes")
    assert page.find("textarea", id="notes") and not page.select("main form[method=post]")
