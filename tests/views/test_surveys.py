"""Staff survey pages through the test client."""

from datetime import UTC, datetime

from sqlalchemy import func, select

from coordinator.extensions import db
from coordinator.models import AuditEvent, Invitation, Meeting, OutboxMessage, Survey
from coordinator.services.register.seed import seed_reference_data
from tests.factories import (
    make_contact,
    make_member,
    make_network,
    make_organisation,
    make_survey,
    make_user,
)
from tests.support import login


def test_viewer_reads_but_cannot_build(app, client_request):
    survey = make_survey()
    login(client_request.client, make_user("viewer"))
    assert survey.title in client_request.get("/surveys").get_text()
    client_request.get(f"/surveys/{survey.id}/dashboard")
    client_request.get("/surveys/new", status=403)
    client_request.post(f"/surveys/{survey.id}/state", {"action": "close"}, status=403)


def test_build_from_the_rus_template_open_and_invite_a_network(app, client_request):
    seed_reference_data()
    skane = make_organisation("Skogsstyrelsen")
    members = [make_contact(skane, email=f"m{i}@example.org") for i in range(3)]
    opted_out = make_contact(skane, email="ut@example.org")
    opted_out.opted_out_at = opted_out.created_at
    network = make_network("Testnätverk", members + [opted_out])
    other = make_network("Andra", members[:1])
    login(client_request.client, make_user("coordinator"))
    page = client_request.post(
        "/surveys/new",
        {
            "project_title": "Näringsliv och miljömål",
            "template": "rus2018",
            "deadline_date": "2018-08-23",
            "deadline_time": "23:59",
        },
    )
    survey = db.session.scalar(select(Survey))
    assert page == f"/surveys/{survey.id}" and len(survey.questions) == 8
    preview = client_request.get(f"/surveys/{survey.id}/preview")
    assert "Den 29 augusti kommer projektgruppen" in preview.get_text()
    assert len(preview.select("fieldset")) == 7
    # The deadline of this survey (23 August 2018) has passed: opening asks first.
    page = client_request.post(f"/surveys/{survey.id}/state", {"action": "open"}, status=200)
    assert "torsdag 23 augusti 2018 23:59" in page.select_one(".flash-warning").get_text()
    assert survey.state == "draft"
    assert (
        client_request.post(
            f"/surveys/{survey.id}/state", {"action": "open", "confirm_past_deadline": "y"}
        )
        == f"/surveys/{survey.id}"
    )
    assert survey.state == "open"
    page = client_request.post(
        f"/surveys/{survey.id}/recipients",
        {"networks": [network.id, other.id], "action": "preview"},
        status=200,
    )
    text = page.get_text()
    assert "3 nya mottagare" in text and "1 dubbletter" in text and opted_out.name in text
    assert "(personlig länk)" in text
    url = f"/surveys/{survey.id}/recipients"
    page = client_request.post(url, {"networks": [network.id], "action": "send"}, status=200)
    warning = page.find(id="past-deadline").get_text()
    assert "Sista svarsdagen, torsdag 23 augusti 2018 23:59, har redan passerat" in warning
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0
    assert page.find("button", value="send").get_text() == "Skicka 3 inbjudningar ändå"
    assert page.find("input", attrs={"name": "confirm_past_deadline"})["value"] == "y"
    confirmed = {"networks": [network.id], "action": "send", "confirm_past_deadline": "y"}
    assert client_request.post(url, confirmed) == f"/surveys/{survey.id}/dashboard"
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 3
    messages = list(db.session.scalars(select(OutboxMessage)))
    assert len(messages) == 3 and all("/r/" in m.text_body for m in messages)
    dashboard = client_request.get(f"/surveys/{survey.id}/dashboard")
    assert "0 av 21 länsstyrelser har svarat" in dashboard.get_text()


def test_question_added_moved_and_deleted_while_draft(app, client_request):
    survey = make_survey(state="draft", questions=[])
    login(client_request.client, make_member(survey.project))
    page = client_request.post(
        f"/surveys/{survey.id}/questions/new",
        {"number": "1", "text": "", "kind": "single_choice"},
        status=200,
    )
    assert {a["href"] for a in page.select(".error-summary a")} >= {"#text"}
    for number in ("1", "2"):
        client_request.post(
            f"/surveys/{survey.id}/questions/new",
            {
                "number": number,
                "text": f"Fråga {number}",
                "kind": "single_choice",
                "options": "Ja\nNej\nVet inte",
                "required": "y",
            },
        )
    assert [q.number for q in survey.questions] == ["1", "2"]
    second = survey.questions[1]
    client_request.post(f"/surveys/{survey.id}/questions/{second.id}/move", {"direction": "up"})
    db.session.expire_all()
    assert [q.number for q in survey.questions] == ["2", "1"]
    client_request.post(f"/surveys/{survey.id}/questions/{second.id}/delete")
    db.session.expire_all()
    assert [q.number for q in survey.questions] == ["1"]
    assert [o["label"] for o in survey.questions[0].options] == ["Ja", "Nej", "Vet inte"]


def test_register_an_answer_that_came_by_email(app, client_request):
    from coordinator.models import Response

    survey = make_survey()
    org = make_organisation("Länsstyrelsen Gotland", "09")
    coordinator = make_member(survey.project)
    login(client_request.client, coordinator)
    q = {q.number: q.id for q in survey.questions}
    url = f"/surveys/{survey.id}/organisations/{org.id}/register"
    form = client_request.get(url)
    assert form.find("input", id="received_at")["value"]  # now, in Swedish time
    page = client_request.post(
        url, {f"q{q['2a']}_text": "Från e-post", "received_at": "igår"}, status=200
    )
    assert [a["href"] for a in page.select(".error-summary a")] == [
        "#respondent_name",
        "#received_at",
    ]
    assert page.find("textarea", id=f"q{q['2a']}_text").get_text() == "Från e-post"
    assert (
        client_request.post(
            url,
            {
                "respondent_name": "Eva Ek, miljömålssamordnare",
                f"q{q['1']}_choice": "yes",
                f"q{q['2a']}_text": "Från e-post",
                # a minute after the deadline (2018-08-23 23:59 Stockholm): late
                "received_at": "2018-08-24 00:00",
            },
        )
        == f"/surveys/{survey.id}/organisations/{org.id}"
    )
    response = db.session.scalar(select(Response))
    assert response.submitted and response.registered_by_id == coordinator.id
    assert response.late and response.submitted_at == datetime(2018, 8, 23, 22, 0, tzinfo=UTC)
    assert response.organisation_id == org.id and response.invitation_id is None


def test_copy_keeps_questions_and_recipients_but_no_answers(app, client_request):
    from coordinator.models import Response
    from coordinator.services.surveys.responses import get_or_create_response
    from tests.factories import make_invitation

    survey = make_survey()
    invitation, _ = make_invitation(survey)
    get_or_create_response(invitation, survey.deadline_at)
    login(client_request.client, make_member(survey.project))
    path = client_request.post(f"/surveys/{survey.id}/copy")
    copy = db.session.scalar(select(Survey).where(Survey.copied_from_id == survey.id))
    assert path == f"/surveys/{copy.id}" and copy.state == "draft"
    assert [q.number for q in copy.questions] == [q.number for q in survey.questions]
    assert copy.questions[2].parent.number == "2"
    assert (
        db.session.scalar(
            select(func.count()).select_from(Invitation).where(Invitation.survey_id == copy.id)
        )
        == 1
    )
    assert (
        db.session.scalar(
            select(func.count()).select_from(Response).where(Response.survey_id == copy.id)
        )
        == 0
    )


def test_text_edits_after_opening_are_audited_and_kind_is_fixed(app, client_request):
    from coordinator.models import AuditEvent

    survey = make_survey(state="open")
    question = survey.questions[0]
    login(client_request.client, make_member(survey.project))
    url = f"/surveys/{survey.id}/questions/{question.id}/edit"
    page = client_request.post(
        url, {"number": "1", "text": "Ny text", "kind": "long_text"}, status=200
    )
    assert "typen kan inte ändras" in page.get_text()
    client_request.post(
        url,
        {
            "number": "1",
            "text": "Har ni strategier, skrivna?",
            "kind": "yes_no_comment",
            "required": "y",
        },
    )
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "question.update"))
    assert event.details["changes"]["text"] == ["Har ni strategier?", "Har ni strategier, skrivna?"]
    assert event.details["after_opening"] is True


def test_the_creator_of_a_survey_in_a_new_project_can_hold_its_meetings(app, client_request):
    """The survey form creates a project the one way projects are created: its creator is
    a member, so the same coordinator can add the workshop and write its notes."""
    login(client_request.client, make_user("coordinator"))
    path = client_request.post(
        "/surveys/new",
        {
            "project_title": "Ett nytt projekt",
            "title": "Enkät",
            "template": "empty",
            "deadline_date": "2030-05-01",
            "deadline_time": "12:00",
        },
    )
    survey = db.session.scalar(select(Survey))
    assert path == f"/surveys/{survey.id}"
    slug = survey.project.slug
    assert slug == "ett-nytt-projekt"
    assert db.session.query(AuditEvent).filter_by(action="project.create").count() == 1
    meeting_path = client_request.post(
        f"/projects/{slug}/meetings/new",
        {
            "title": "Workshop",
            "date": "2030-05-20",
            "start": "09:00",
            "end": "12:00",
            "place": "Länsstyrelsen",
            "online_url": "",
            "agenda": "Resultaten",
        },
    )
    meeting = db.session.scalar(select(Meeting))
    assert meeting_path == f"/meetings/{meeting.id}"
    page = client_request.get(f"/surveys/{survey.id}/workshop-notes")
    assert page.select("main form[method=post]")
    assert client_request.post(
        f"/surveys/{survey.id}/workshop-notes", {"meeting": str(meeting.id)}
    ) == (f"/meetings/{meeting.id}/notes")


def test_survey_editing_follows_project_membership(app, client_request):
    """Issue 11, point 12: a coordinator outside the project can neither retitle its
    survey nor add one to it; a member can."""
    outsider, member = make_user("coordinator"), make_user("coordinator")
    survey = make_survey(state="draft")
    survey.project.members = [member]
    db.session.commit()
    login(client_request.client, outsider)
    page = client_request.get(f"/surveys/{survey.id}")
    assert page.find("a", href=f"/surveys/{survey.id}/settings") is None
    client_request.get(f"/surveys/{survey.id}/settings", status=403)
    client_request.post(f"/surveys/{survey.id}/settings", {"title": "Kapad"}, status=403)
    client_request.post(f"/surveys/{survey.id}/copy", status=403)
    page = client_request.post(
        "/surveys/new",
        {
            "project_title": survey.project.title.upper(),
            "template": "empty",
            "title": "Smygenkät",
            "deadline_date": "2031-08-23",
            "deadline_time": "23:59",
        },
        status=200,
    )
    assert "inte medlem i projektet" in page.find(class_="error-summary").get_text()
    assert db.session.scalar(select(func.count(Survey.id))) == 1
    assert survey.title != "Kapad"

    login(client_request.client, member)
    client_request.get(f"/surveys/{survey.id}/settings")
    path = client_request.post(
        "/surveys/new",
        {
            "project_title": survey.project.title,
            "template": "empty",
            "title": "Medlemmens enkät",
            "deadline_date": "2031-08-23",
            "deadline_time": "23:59",
        },
    )
    assert path.startswith("/surveys/")
    assert db.session.scalar(select(func.count(Survey.id))) == 2
