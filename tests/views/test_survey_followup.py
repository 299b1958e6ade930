"""Staff survey pages: settings, recipients, reminders, the dashboard and CSRF."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import event, select

from coordinator.extensions import db
from coordinator.models import AuditEvent, Invitation, OutboxMessage, Response
from coordinator.services.register.seed import seed_reference_data
from coordinator.services.surveys.building import create_survey_from_rus2018
from tests.factories import (
    make_contact,
    make_invitation,
    make_organisation,
    make_project,
    make_survey,
    make_user,
)
from tests.support import login


def test_settings_in_swedish_time_across_the_daylight_saving_change(app, client_request):
    survey = make_survey(state="draft")
    coordinator = make_user("coordinator")
    login(client_request.client, coordinator)
    url = f"/surveys/{survey.id}/settings"
    assert client_request.get(url).find("input", id="deadline_time")["value"] == "23:59"
    data = {
        "title": "Höstenkät",
        "introduction": "Hej **alla**",
        "deadline_date": "2018-10-28",
        "deadline_time": "02:30",  # happens twice that night; the first (summer time) counts
        "deadline_note": "Sena svar är välkomna.",
        "closes_date": "2018-10-28",
        "closes_time": "03:30",  # winter time
        "reply_to_user_id": str(coordinator.id),
        "reminder_days": "-7, -2 ,1",
    }
    page = client_request.post(url, {**data, "reminder_days": "en vecka före"}, status=200)
    assert [a["href"] for a in page.select(".error-summary a")] == ["#reminder_days"]
    page = client_request.post(url, {**data, "closes_date": "2018-10-27"}, status=200)
    assert [a["href"] for a in page.select(".error-summary a")] == ["#closes_date"]
    assert client_request.post(url, data) == f"/surveys/{survey.id}"
    assert survey.deadline_at == datetime(2018, 10, 28, 0, 30, tzinfo=UTC)
    assert survey.closes_at == datetime(2018, 10, 28, 2, 30, tzinfo=UTC)
    assert survey.reminder_days == [-7, -2, 1] and survey.reply_to_user_id == coordinator.id
    event_ = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "survey.update"))
    assert set(event_.details["changes"]) >= {"title", "deadline_at", "closes_at"}
    shown = client_request.get(f"/surveys/{survey.id}").get_text()
    assert "Sena svar är välkomna." in shown and coordinator.name in shown


def test_single_contacts_can_be_invited(app, client_request):
    survey = make_survey()
    anna = make_contact(make_organisation("Länsstyrelsen Gotland", "09"), name="Anna Ö")
    make_contact(anna.organisation, name="Bertil")
    login(client_request.client, make_user("coordinator"))
    url = f"/surveys/{survey.id}/recipients"
    page = client_request.post(url, {"contacts": [anna.id], "action": "preview"}, status=200)
    assert "1 nya mottagare" in page.get_text() and "Anna Ö" in page.select_one("pre").get_text()
    assert client_request.post(url, {"contacts": [anna.id], "action": "send"}) == (
        f"/surveys/{survey.id}/dashboard"
    )
    assert [i.contact_id for i in db.session.scalars(select(Invitation))] == [anna.id]


def test_reminders_to_chosen_ones_who_have_not_answered(app, client_request):
    survey = make_survey()
    gotland, skane = make_organisation("Gotland", "09"), make_organisation("Skåne", "12")
    first, _ = make_invitation(survey, make_contact(gotland, name="Gun"))
    second, _ = make_invitation(survey, make_contact(gotland, name="Gert"))
    answered, _ = make_invitation(survey, make_contact(skane, name="Sven"))
    db.session.add(
        Response(survey=survey, organisation=skane, invitation=answered, state="submitted")
    )
    login(client_request.client, make_user("coordinator"))
    url = f"/surveys/{survey.id}/reminders"
    page = client_request.get(url)
    boxes = page.select("input[name=invitations]")
    assert {int(b["value"]) for b in boxes} == {first.id, second.id}
    assert all(b.has_attr("checked") for b in boxes)
    assert "Gun" in page.select_one("pre").get_text()
    page = client_request.post(url, {}, status=200)
    assert [a["href"] for a in page.select(".error-summary a")] == ["#invitations-0"]
    assert client_request.post(url, {"invitations": [second.id]}) == (
        f"/surveys/{survey.id}/dashboard"
    )
    mails = db.session.scalars(select(OutboxMessage)).all()
    assert [(m.cause_type, m.cause_id) for m in mails] == [("reminder", second.id)]
    assert second.reminded_count == 1 and first.reminded_count == 0
    dashboard = client_request.get(f"/surveys/{survey.id}/dashboard")
    assert "1 av 2 länsstyrelser har svarat" in dashboard.get_text()
    assert "(2)" in dashboard.select_one(f"a[href='{url}']").get_text()


def _statements(client_request, url):
    count = []

    def listener(*args):
        count.append(1)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        db.session.expire_all()
        client_request.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(count)


def _add_responses(survey, organisations, n):
    for i in range(n):
        organisation = organisations[i % len(organisations)]
        invitation, _ = make_invitation(survey, make_contact(organisation))
        db.session.add(
            Response(
                survey=survey,
                organisation=organisation,
                invitation=invitation,
                state="submitted" if i % 3 else "draft",
                late=i % 2 == 0,
                submitted_at=survey.deadline_at,
            )
        )
    db.session.commit()


def test_dashboard_queries_do_not_grow_with_the_responses(app, client_request):
    survey = make_survey()
    organisations = [make_organisation(f"Län {n:02}", f"{n:02}") for n in range(1, 6)]
    organisations += [make_organisation(f"Kommun {n}") for n in range(5)]
    login(client_request.client, make_user("viewer"))
    url = f"/surveys/{survey.id}/dashboard"
    _add_responses(survey, organisations, 4)
    few = _statements(client_request, url)
    _add_responses(survey, organisations, 60)
    many = _statements(client_request, url)
    assert few == many
    drafting = make_organisation("Länsstyrelsen i Norrbottens län", "25")
    _add_responses(survey, [drafting], 1)  # the first one added is a draft
    page = client_request.get(url + "?status=draft")
    assert [r.th.get_text(strip=True) for r in page.select("tbody tr")] == [drafting.display_name]


@pytest.mark.parametrize(
    "path",
    [
        "/surveys/new",
        "/surveys/{id}/state",
        "/surveys/{id}/settings",
        "/surveys/{id}/reminders",
        "/surveys/{id}/copy",
        "/surveys/{id}/recipients",
    ],
)
def test_posts_without_csrf_token_are_refused(app, client, path):
    survey = make_survey()
    login(client, make_user("admin"))
    db.session.commit()
    response = client.post(path.format(id=survey.id), data={"action": "close", "title": "X"})
    assert response.status_code == 400
    db.session.expire_all()
    assert survey.state == "open" and survey.title != "X"


def test_editing_an_open_sni_question_keeps_its_codes(app, client_request):
    seed_reference_data()
    survey = create_survey_from_rus2018(make_project(), None, datetime.now(UTC))
    survey.state = "open"
    sectors = next(q for q in survey.questions if q.number == "2d")
    codes = [o["value"] for o in sectors.options]
    login(client_request.client, make_user("coordinator"))
    url = f"/surveys/{survey.id}/questions/{sectors.id}/edit"
    form = client_request.get(url)
    data = {
        "number": "2d",
        "text": "Vilka sektorer? (ändrad)",
        "kind": form.find("option", selected=True)["value"],
        "parent_id": str(sectors.parent_id),
        "options": form.find("textarea", id="options").get_text().strip(),
        "allow_other": "y",
    }
    assert client_request.post(url, data) == f"/surveys/{survey.id}"
    assert sectors.text == "Vilka sektorer? (ändrad)"
    assert [o["value"] for o in sectors.options] == codes
    page = client_request.post(url, {**data, "options": "Bara en"}, status=200)
    assert [a["href"] for a in page.select(".error-summary a")] == ["#options"]
