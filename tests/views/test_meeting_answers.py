"""Meeting answers (issue 16 point 4): the personal link "Jag kommer / Jag kommer inte /
Kanske", the meeting page (who is coming per board and network, a reminder, the
participant workbook), and an updated meeting that asks again."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

from openpyxl import load_workbook
from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import Attendance, Meeting, OutboxMessage
from coordinator.services.mail.sender import send_due_messages
from coordinator.services.projects.meetings import send_invitations
from tests.factories import make_contact, make_network, make_organisation, make_project, make_user
from tests.support import login

NOW = datetime.now(UTC).replace(microsecond=0)


def _meeting(names=("Karin", "Nils", "Eva")):
    gotland = make_organisation("Länsstyrelsen Gotland", "09")
    skane = make_organisation("Länsstyrelsen Skåne", "12")
    contacts = [
        make_contact(gotland if i % 2 == 0 else skane, name=name) for i, name in enumerate(names)
    ]
    member = make_user("coordinator")
    project = make_project()
    project.members = [member]
    meeting = Meeting(
        project=project,
        title="Uppföljningsmöte",
        uid="u1@coordinator",
        starts_at=NOW + timedelta(days=14),
        ends_at=NOW + timedelta(days=14, hours=2),
        online_url="https://meet.example.org/rus",
    )
    meeting.networks = [make_network("Miljömålssamordnare", members=contacts)]
    db.session.add(meeting)
    db.session.flush()
    send_invitations(meeting, member, NOW)
    db.session.commit()
    return meeting, contacts, member


def _links(smtp_server, email):
    text = smtp_server.to(email)[-1].get_body(("plain",)).get_content()
    return dict(re.findall(r"(Jag kommer inte|Jag kommer|Kanske): (http://localhost\S+)", text))


def test_the_links_in_the_invitation_answer_and_get_changes_nothing(
    app, client_request, smtp_server
):
    meeting, (karin, *_), _member = _meeting()
    send_due_messages(NOW)
    links = _links(smtp_server, karin.email)
    assert set(links) == {"Jag kommer", "Jag kommer inte", "Kanske"}
    ics = next(
        p
        for p in smtp_server.to(karin.email)[-1].iter_attachments()
        if p.get_content_type() == "text/calendar"
    ).get_content()
    assert "RSVP=FALSE" in ics  # without an inbound mailbox no calendar answer is asked for

    path = links["Jag kommer"].removeprefix("http://localhost")
    page = client_request.get(path)
    assert page.find("input", attrs={"value": "accepted"}).has_attr("checked")
    attendance = db.session.scalar(select(Attendance).where(Attendance.contact_id == karin.id))
    assert attendance.answer is None  # opening the link changed nothing
    token_path = path.partition("?")[0]
    assert client_request.post(token_path, {"answer": "accepted"}) == token_path
    db.session.expire_all()
    assert (attendance.answer, attendance.answered_via) == ("accepted", "link")
    assert "Jag kommer" in client_request.get(token_path).get_text()
    page = client_request.post(token_path, {}, status=200)
    # The summary links to the first option of the group, as it does for every radio group.
    assert [a["href"] for a in page.select(".error-summary a")] == ["#answer-0"]
    assert page.find(id="answer-0")["value"] == "accepted"
    assert client_request.client.get("/m/not-a-token").status_code == 404


def test_the_meeting_page_shows_who_is_coming_and_reminds_the_rest(
    app, client_request, smtp_server
):
    meeting, (karin, nils, eva), member = _meeting()
    rows = {a.contact_id: a for a in db.session.scalars(select(Attendance))}
    rows[karin.id].answer, rows[nils.id].answer = "accepted", "declined"
    db.session.commit()
    login(client_request.client, member)
    page = client_request.get(f"/meetings/{meeting.id}")
    text = page.get_text(" ")
    assert "Kommer: 1" in text and "Kommer inte: 1" in text and "Har inte svarat: 1" in text
    per_org = {
        row.th.get_text(strip=True): [td.get_text() for td in row.find_all("td")]
        for row in page.select("[aria-labelledby=svar-org] tbody tr")
    }
    assert per_org["09 Länsstyrelsen Gotland"] == ["1", "0", "0", "1"]
    assert per_org["12 Länsstyrelsen Skåne"] == ["0", "0", "1", "0"]
    assert "Miljömålssamordnare" in text

    before = db.session.scalar(select(db.func.count()).select_from(OutboxMessage))
    assert client_request.post(f"/meetings/{meeting.id}/remind") == f"/meetings/{meeting.id}"
    reminders = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()[before:]
    assert [m.recipient_email for m in reminders] == [eva.email]
    assert reminders[0].subject.startswith("Kommer du?")

    response = client_request.client.get(f"/meetings/{meeting.id}/participants.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    listed = [(r[0].value, r[1].value) for r in sheet.iter_rows(min_row=5)]
    assert listed == [("Kommer", "Karin"), ("Kommer inte", "Nils"), ("Har inte svarat", "Eva")]


def test_a_new_time_resets_the_answers_and_says_so(app, client_request, smtp_server):
    meeting, (karin, *_), member = _meeting()
    attendance = db.session.scalar(select(Attendance).where(Attendance.contact_id == karin.id))
    attendance.answer = "accepted"
    db.session.commit()
    login(client_request.client, member)
    later = (NOW + timedelta(days=15)).astimezone()
    data = {
        "title": meeting.title,
        "date": later.strftime("%Y-%m-%d"),
        "start": "10:00",
        "end": "12:00",
        "place": "",
        "online_url": meeting.online_url,
        "agenda": "",
        "networks": [meeting.networks[0].id],
        "contact_emails": "",
    }
    assert client_request.post(f"/meetings/{meeting.id}/edit", data) == f"/meetings/{meeting.id}"
    db.session.expire_all()
    assert attendance.answer is None
    update = db.session.scalar(
        select(OutboxMessage)
        .where(OutboxMessage.recipient_email == karin.email)
        .order_by(OutboxMessage.id.desc())
    )
    assert update.subject.startswith("Ändrat möte")
    assert "behöver vi ditt svar igen" in update.text_body


def test_someone_taken_off_the_meeting_is_not_counted(app, client_request):
    from coordinator.services.projects.attendance import attendance_overview

    meeting, (karin, nils, eva), _member = _meeting()
    meeting.networks[0].members.remove(nils)
    db.session.flush()
    assert {r.contact_id for r in attendance_overview(meeting).rows} == {karin.id, eva.id}
