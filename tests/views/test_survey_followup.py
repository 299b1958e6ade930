"""Staff survey pages: settings, recipients, reminders, the dashboard and CSRF."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, func, select

from coordinator.extensions import db
from coordinator.models import AuditEvent, Invitation, OutboxMessage, Response, Survey
from coordinator.services.register.seed import seed_reference_data
from coordinator.services.surveys.building import create_survey_from_rus2018
from tests.factories import (
    make_contact,
    make_invitation,
    make_member,
    make_organisation,
    make_project,
    make_survey,
    make_user,
)
from tests.support import login


def test_settings_in_swedish_time_across_the_daylight_saving_change(app, client_request):
    survey = make_survey(state="draft")
    coordinator = make_member(survey.project)
    login(client_request.client, coordinator)
    url = f"/surveys/{survey.id}/settings"
    assert client_request.get(url).find("input", id="deadline_time")["value"] == "23:59"
    data = {
        "title": "Höstenkät",
        "introduction": "Hej **alla**",
        "deadline_date": "2018-10-28",
        "deadline_time": "02:30",  # happens twice that night: the form asks which
        "deadline_note": "Sena svar är välkomna.",
        "closes_date": "2018-10-28",
        "closes_time": "03:30",  # winter time
        "reply_to_user_id": str(coordinator.id),
        "reminder_days": "-7, -2 ,1",
    }
    page = client_request.post(url, {**data, "reminder_days": "en vecka före"}, status=200)
    assert [a["href"] for a in page.select(".error-summary a")] == [
        "#deadline_time",
        "#reminder_days",
    ]
    chosen = {**data, "deadline_fold": "0"}
    page = client_request.post(url, {**chosen, "closes_date": "2018-10-27"}, status=200)
    assert [a["href"] for a in page.select(".error-summary a")] == ["#closes_date"]
    page = client_request.post(url, data, status=200)
    assert [a["href"] for a in page.select(".error-summary a")] == ["#deadline_time"]
    assert "finns två gånger den 28 oktober 2018" in page.find(id="deadline_time-error").get_text()
    choices = page.select("input[name=deadline_fold]")
    assert [c["value"] for c in choices] == ["0", "1"]
    assert client_request.post(url, {**data, "deadline_fold": "0"}) == f"/surveys/{survey.id}"
    assert survey.deadline_at == datetime(2018, 10, 28, 0, 30, tzinfo=UTC)
    assert survey.closes_at == datetime(2018, 10, 28, 2, 30, tzinfo=UTC)
    assert survey.reminder_days == [-7, -2, 1] and survey.reply_to_user_id == coordinator.id
    event_ = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "survey.update"))
    assert set(event_.details["changes"]) >= {"title", "deadline_at", "closes_at"}
    shown = client_request.get(f"/surveys/{survey.id}").get_text()
    assert "Sena svar är välkomna." in shown and coordinator.name in shown
    assert "söndag 28 oktober 2018 02:30 (sommartid)" in shown
    # The form shows the stored time with its choice, so saving it again changes nothing.
    again = client_request.get(url)
    assert again.find("input", attrs={"name": "deadline_fold", "value": "0"}).has_attr("checked")
    assert again.find("input", id="deadline_time")["value"] == "02:30"


SPRING_GAP = {"deadline_date": "2026-03-29", "deadline_time": "02:30"}
SPRING_GAP_MESSAGE = (
    "Klockan 02:30 finns inte den 29 mars 2026: då ställs klockan fram en timme. "
    "Välj 01:59 eller 03:00."
)


def test_a_deadline_in_the_skipped_hour_is_refused_in_every_form(app, client_request):
    survey = make_survey(state="draft")
    org = make_organisation("Länsstyrelsen Gotland", "09")
    login(client_request.client, make_member(survey.project))
    new = client_request.post(
        "/surveys/new",
        {"project_title": "Näringsliv", "template": "empty", "title": "Ny", **SPRING_GAP},
        status=200,
    )
    settings = client_request.post(
        f"/surveys/{survey.id}/settings",
        {"title": "T", "reply_to_user_id": "0", **SPRING_GAP},
        status=200,
    )
    closes = client_request.post(
        f"/surveys/{survey.id}/settings",
        {
            "title": "T",
            "reply_to_user_id": "0",
            "deadline_date": "2026-03-28",
            "deadline_time": "12:00",
            "closes_date": "2026-03-29",
            "closes_time": "02:30",
        },
        status=200,
    )
    survey.state = "open"
    db.session.commit()
    extension = client_request.post(
        f"/surveys/{survey.id}/deadline-extensions",
        {"organisation_id": org.id, **SPRING_GAP},
        status=400,
    )
    for page, field in (
        (new, "deadline_time"),
        (settings, "deadline_time"),
        (closes, "closes_time"),
        (extension, "deadline_time"),
    ):
        assert [a["href"] for a in page.select(".error-summary a")] == [f"#{field}"]
        assert page.find(id=f"{field}-error").get_text(" ", strip=True).endswith(SPRING_GAP_MESSAGE)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Survey)) == 1
    assert survey.deadline_extensions == [] and survey.closes_at is None


def test_an_extension_in_the_repeated_hour_asks_which(app, client_request):
    survey = make_survey()
    org = make_organisation("Länsstyrelsen Gotland", "09")
    login(client_request.client, make_member(survey.project))
    data = {"organisation_id": org.id, "deadline_date": "2026-10-25", "deadline_time": "02:30"}
    page = client_request.post(f"/surveys/{survey.id}/deadline-extensions", data, status=400)
    assert "finns två gånger" in page.find(id="deadline_time-error").get_text()
    assert page.select("input[name=deadline_fold]")
    url = f"/surveys/{survey.id}/deadline-extensions"
    assert client_request.post(url, {**data, "deadline_fold": "1"}) == f"/surveys/{survey.id}"
    assert survey.deadline_extensions[0].deadline_at == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    assert "2026-10-25 02:30 (normaltid)" in client_request.get(url.rsplit("/", 1)[0]).get_text()


def test_single_contacts_can_be_invited(app, client_request):
    survey = make_survey(deadline_at=datetime.now(UTC) + timedelta(days=30))
    anna = make_contact(make_organisation("Länsstyrelsen Gotland", "09"), name="Anna Ö")
    make_contact(anna.organisation, name="Bertil")
    login(client_request.client, make_member(survey.project))
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
    login(client_request.client, make_member(survey.project))
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
    login(client_request.client, make_member(survey.project))
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


def test_inviting_and_reminding_a_contact_with_a_line_break_in_the_name(app, client_request):
    """Issue 11 point 1: a name stored with a line break (before names were normalised)
    fails that one message with its reason; the batch is invited, nothing answers 500."""
    from sqlalchemy import update

    from coordinator.models import Contact

    survey = make_survey(deadline_at=datetime.now(UTC) + timedelta(days=30))
    org = make_organisation("Länsstyrelsen Gotland", "09")
    broken, fine = make_contact(org, name="Anna"), make_contact(org, name="Bertil")
    db.session.execute(update(Contact).where(Contact.id == broken.id).values(name="Anna\r\nÖ"))
    coordinator = make_member(survey.project)
    db.session.commit()
    login(client_request.client, coordinator)
    url = f"/surveys/{survey.id}/recipients"
    data = {"contacts": [broken.id, fine.id], "action": "send"}
    assert client_request.post(url, data) == f"/surveys/{survey.id}/dashboard"
    mails = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [(m.recipient_email, m.state) for m in mails] == [
        (broken.email, "failed"),
        (fine.email, "queued"),
    ]
    assert "radbrytningar" in mails[0].last_error
    remind = f"/surveys/{survey.id}/reminders"
    invitations = db.session.scalars(select(Invitation.id)).all()
    assert client_request.post(remind, {"invitations": invitations}) == (
        f"/surveys/{survey.id}/dashboard"
    )
    outbox = client_request.get("/outbox?state=failed").get_text()
    assert "radbrytningar" in outbox


HOSTILE_NAME = "Göran \u202enäl sdnaltoG"  # a right-to-left override in the middle


def test_a_right_to_left_override_in_a_name_reorders_nothing_after_it(app, client_request):
    from coordinator.bidi import FSI, PDI
    from coordinator.services.surveys.invitations import invite
    from coordinator.services.surveys.reminders import send_reminders

    survey = make_survey(deadline_at=datetime.now(UTC) + timedelta(days=30))
    gotland = make_organisation("Länsstyrelsen i Gotlands län", "09")
    contact = make_contact(gotland, name=HOSTILE_NAME, email="payload@test.example")
    login(client_request.client, make_member(survey.project))
    invitation = invite(survey, [contact], None, datetime.now(UTC))[0]
    db.session.commit()
    page = client_request.get(f"/surveys/{survey.id}/reminders")
    label = page.find("label", attrs={"for": page.find("input", value=str(invitation.id))["id"]})
    assert [b.get_text() for b in label.find_all("bdi")] == [HOSTILE_NAME]
    assert (
        label.get_text()
        == f"{HOSTILE_NAME} <payload@test.example>, 09 Länsstyrelsen i Gotlands län"
    )
    send_reminders(survey, [invitation], None, datetime.now(UTC))
    for mail in db.session.scalars(select(OutboxMessage)):
        assert f"Hej {FSI}{HOSTILE_NAME}{PDI}!" in mail.text_body
        assert f"<bdi>{HOSTILE_NAME}</bdi>" in mail.html_body
    saved = client_request.post(
        f"/contacts/{contact.id}/edit",
        {"name": HOSTILE_NAME, "email": contact.email, "organisation": gotland.id},
        follow=True,
        status=200,
    )
    flash = saved.select_one(".flash-success")
    assert [b.get_text() for b in flash.find_all("bdi")] == [HOSTILE_NAME]


def test_dashboard_shows_organisations_a_page_at_a_time_with_counts_of_all(app, client_request):
    """A survey sent to hundreds of organisations lists them 50 to a page, county boards
    first, while the counts at the top are of every organisation."""
    survey = make_survey()
    boards = [make_organisation(f"Län {n:02}", f"{n:02}") for n in range(1, 4)]
    others = [make_organisation(f"Kommun {n:03}") for n in range(70)]
    for organisation in others:
        make_invitation(survey, make_contact(organisation))
    _add_responses(survey, boards + others[:9], 12)
    db.session.commit()
    login(client_request.client, make_user("viewer"))
    url = f"/surveys/{survey.id}/dashboard"
    first = client_request.get(url)
    names = [r.th.a.get_text(strip=True) for r in first.select("tbody tr")]
    assert len(names) == 50 and names[:3] == [b.display_name for b in boards]
    assert names[3:] == [o.display_name for o in others[:47]]
    counts = first.select_one("ul.counts").get_text(" ", strip=True)
    assert "Inbjuden, inte öppnat: 61" in counts  # all 70 others but the 9 with responses
    assert "av 3 länsstyrelser har svarat" in first.get_text()
    assert first.select_one("nav.pagination").get_text(" ", strip=True) == "Sida 1 av 2 Nästa"
    second = client_request.get(first.select_one("nav.pagination a")["href"])
    names = [r.th.a.get_text(strip=True) for r in second.select("tbody tr")]
    assert names == [o.display_name for o in others[47:]]
    assert "Inbjuden, inte öppnat: 61" in second.select_one("ul.counts").get_text(" ", strip=True)
    # The filter keeps to its own organisations, and the page links keep the filter.
    invited = client_request.get(url + "?status=invited&page=2")
    assert len(invited.select("tbody tr")) == 11
    assert "status=invited" in invited.select_one("nav.pagination a")["href"]
    assert len(client_request.get(url + "?page=99").select("tbody tr")) == 23  # the last


def test_the_dashboard_counts_are_read_from_an_index_alone(app):
    """The counts per organisation over all of a survey's responses need not read the
    table (SQLite says so in its query plan)."""
    from coordinator.services.surveys.followup import dashboard_page

    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's query plan")
    survey = make_survey()
    seen = []

    def listener(conn, cursor, statement, parameters, *args):
        if "FROM responses" in statement and "GROUP BY" in statement:
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        dashboard_page(survey)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    statement, parameters = seen[0]
    connection = db.session.connection().connection.driver_connection
    plan = connection.execute("EXPLAIN QUERY PLAN " + statement, parameters).fetchall()
    assert "COVERING INDEX" in " ".join(str(row) for row in plan), plan
